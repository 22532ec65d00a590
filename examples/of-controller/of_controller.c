/*
 * of_controller.c - the learning-switch controller (of_controller.h).
 */
#include <string.h>

#include <uk/openflow_match.h>

#include "of_controller.h"

static void sw_ready(void *arg, struct uk_of_conn *conn);
static void sw_message(void *arg, struct uk_of_conn *conn,
                       const struct uk_of_msg *m, const uint8_t *raw,
                       size_t len);
static void sw_closed(void *arg, struct uk_of_conn *conn, int reason);

static const struct uk_of_conn_handlers handlers = {sw_ready, sw_message,
                                                    sw_closed};

static void dpid_format(uint64_t dpid, char *out /* 17 bytes */)
{
    static const char hex[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 16; i++)
        out[i] = hex[(dpid >> (60 - 4 * i)) & 15];
    out[16] = '\0';
}

int ofc_lookup(const struct ofc_switch *sw, const struct uk_mac *mac)
{
    int i;
    for (i = 0; i < OFC_MAC_ENTRIES; i++)
        if (sw->macs[i].used && uk_mac_eq(&sw->macs[i].mac, mac))
            return sw->macs[i].port;
    return -1;
}

/* Records mac on port: its entry, a free one, or the oldest. */
static void learn(struct ofc_switch *sw, const struct uk_mac *mac,
                  uint16_t port, uint64_t now)
{
    struct ofc_mac *slot = NULL;
    int i;
    for (i = 0; i < OFC_MAC_ENTRIES; i++) {
        struct ofc_mac *e = &sw->macs[i];
        if (e->used && uk_mac_eq(&e->mac, mac)) {
            slot = e;
            break;
        }
        if (slot == NULL || (slot->used && (!e->used ||
                                            e->seen_ns < slot->seen_ns)))
            slot = e;
    }
    slot->mac = *mac;
    slot->port = port;
    slot->used = true;
    slot->seen_ns = now;
}

static void forget_port(struct ofc_switch *sw, uint16_t port)
{
    int i;
    for (i = 0; i < OFC_MAC_ENTRIES; i++)
        if (sw->macs[i].used && sw->macs[i].port == port)
            sw->macs[i].used = false;
}

/* A flow-mod deleting every flow (out_port NONE) or those that output to
 * out_port; with in_port not NONE, only those coming in there. */
static void delete_flows_in(struct ofc_switch *sw, uint16_t in_port,
                            uint16_t out_port)
{
    struct uk_of_msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FLOW_MOD;
    m.hdr.xid = uk_of_conn_xid(&sw->conn);
    m.u.flow_mod.match.wildcards = UK_OFPFW_ALL;
    if (in_port != UK_OFPP_NONE) {
        m.u.flow_mod.match.wildcards &= ~UK_OFPFW_IN_PORT;
        m.u.flow_mod.match.in_port = in_port;
    }
    m.u.flow_mod.command = UK_OFPFC_DELETE;
    m.u.flow_mod.buffer_id = UK_OFP_NO_BUFFER;
    m.u.flow_mod.out_port = out_port;
    uk_of_conn_send(&sw->conn, &m);
}

static void delete_flows(struct ofc_switch *sw, uint16_t out_port)
{
    delete_flows_in(sw, UK_OFPP_NONE, out_port);
}

static void sw_ready(void *arg, struct uk_of_conn *conn)
{
    struct ofc_switch *sw = arg;
    struct uk_of_msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FEATURES_REQUEST;
    m.hdr.xid = uk_of_conn_xid(conn);
    uk_of_conn_send(conn, &m);
    m.hdr.type = UK_OFPT_SET_CONFIG;
    m.hdr.xid = uk_of_conn_xid(conn);
    m.u.config.flags = UK_OFPC_FRAG_NORMAL;
    m.u.config.miss_send_len = 128;
    uk_of_conn_send(conn, &m);
    delete_flows(sw, UK_OFPP_NONE); /* start from a clean table */
}

/* Sends the packet-in's packet out of `port` (or drops it, releasing its
 * buffer, when port is UK_OFPP_NONE). */
static void packet_out(struct ofc_switch *sw, const struct uk_of_packet_in *pi,
                       uint16_t port)
{
    struct uk_of_msg m;
    struct uk_of_action out;
    if (port == UK_OFPP_NONE && pi->buffer_id == UK_OFP_NO_BUFFER)
        return; /* nothing to release */
    memset(&m, 0, sizeof m);
    memset(&out, 0, sizeof out);
    out.type = UK_OFPAT_OUTPUT;
    out.u.output.port = port;
    m.hdr.type = UK_OFPT_PACKET_OUT;
    m.hdr.xid = uk_of_conn_xid(&sw->conn);
    m.u.packet_out.buffer_id = pi->buffer_id;
    m.u.packet_out.in_port = pi->in_port;
    m.u.packet_out.actions.list = &out;
    m.u.packet_out.actions.count = port == UK_OFPP_NONE ? 0 : 1;
    if (pi->buffer_id == UK_OFP_NO_BUFFER) {
        m.u.packet_out.data = pi->data;
        m.u.packet_out.data_len = pi->data_len;
    }
    uk_of_conn_send(&sw->conn, &m);
}

/* Installs in_port + dl_src + dl_dst -> output port; the flow-mod carries
 * the packet's buffer, which the switch then forwards. */
static void install(struct ofc_switch *sw, const struct uk_of_packet_in *pi,
                    const struct uk_of_match *pkt, uint16_t port)
{
    struct ofc *c = sw->ctl;
    struct uk_of_msg m;
    struct uk_of_action out;
    memset(&m, 0, sizeof m);
    memset(&out, 0, sizeof out);
    out.type = UK_OFPAT_OUTPUT;
    out.u.output.port = port;
    m.hdr.type = UK_OFPT_FLOW_MOD;
    m.hdr.xid = uk_of_conn_xid(&sw->conn);
    m.u.flow_mod.match = *pkt;
    m.u.flow_mod.match.wildcards =
        UK_OFPFW_ALL & ~(UK_OFPFW_IN_PORT | UK_OFPFW_DL_SRC | UK_OFPFW_DL_DST);
    uk_of_match_normalize(&m.u.flow_mod.match);
    m.u.flow_mod.command = UK_OFPFC_ADD;
    m.u.flow_mod.idle_timeout = c->cfg.idle_timeout;
    m.u.flow_mod.hard_timeout = c->cfg.hard_timeout;
    m.u.flow_mod.priority = OFC_PRIORITY;
    m.u.flow_mod.buffer_id = pi->buffer_id;
    m.u.flow_mod.out_port = UK_OFPP_NONE;
    m.u.flow_mod.actions.list = &out;
    m.u.flow_mod.actions.count = 1;
    if (uk_of_conn_send(&sw->conn, &m) != 0)
        return;
    sw->flows++;
    if (c->cfg.verbose) {
        char s[UK_MAC_STRLEN], d[UK_MAC_STRLEN];
        uk_console_printf(c->con, "of-controller: flow %s -> %s: port %u -> %u",
                          uk_mac_format(&pkt->dl_src, s),
                          uk_mac_format(&pkt->dl_dst, d),
                          (unsigned)pi->in_port, (unsigned)port);
    }
    if (pi->buffer_id == UK_OFP_NO_BUFFER)
        packet_out(sw, pi, port);
}

static void packet_in(struct ofc_switch *sw, const struct uk_of_packet_in *pi)
{
    struct uk_of_match pkt;
    int port;
    sw->packet_ins++;
    if (uk_of_match_from_frame(&pkt, pi->data, pi->data_len, pi->in_port) != 0)
        return; /* runt: nothing to learn or forward */
    if (!uk_mac_is_multicast(&pkt.dl_src))
        learn(sw, &pkt.dl_src, pi->in_port, uk_time_now_ns(sw->ctl->time));
    port = uk_mac_is_multicast(&pkt.dl_dst) ? -1 : ofc_lookup(sw, &pkt.dl_dst);
    if (port < 0) {
        sw->floods++;
        packet_out(sw, pi, UK_OFPP_FLOOD);
    } else if (port == pi->in_port) {
        packet_out(sw, pi, UK_OFPP_NONE); /* would go back: drop */
    } else {
        install(sw, pi, &pkt, (uint16_t)port);
    }
}

static void port_status(struct ofc_switch *sw,
                        const struct uk_of_port_status *ps)
{
    if (ps->reason == UK_OFPPR_DELETE ||
        (ps->desc.config & UK_OFPPC_PORT_DOWN) != 0 ||
        (ps->desc.state & UK_OFPPS_LINK_DOWN) != 0) {
        /* the flows into it and the flows out of it */
        forget_port(sw, ps->desc.port_no);
        delete_flows(sw, ps->desc.port_no);
        delete_flows_in(sw, ps->desc.port_no, UK_OFPP_NONE);
    }
}

static void sw_message(void *arg, struct uk_of_conn *conn,
                       const struct uk_of_msg *m, const uint8_t *raw,
                       size_t len)
{
    struct ofc_switch *sw = arg;
    struct ofc *c = sw->ctl;
    char id[17];
    (void)conn;
    (void)raw;
    (void)len;
    switch (m->hdr.type) {
    case UK_OFPT_FEATURES_REPLY:
        if (!sw->known) {
            sw->known = true;
            sw->dpid = m->u.features.datapath_id;
            sw->nports = (unsigned)m->u.features.ports.count;
            uk_console_printf(c->con,
                              "of-controller: switch %s connected from %s "
                              "(%u ports)",
                              (dpid_format(sw->dpid, id), id), sw->peer,
                              sw->nports);
        }
        break;
    case UK_OFPT_PACKET_IN:
        packet_in(sw, &m->u.packet_in);
        break;
    case UK_OFPT_PORT_STATUS:
        port_status(sw, &m->u.port_status);
        break;
    case UK_OFPT_ERROR:
        uk_console_printf(c->con,
                          "of-controller: switch %s: error type %u code %u",
                          (dpid_format(sw->dpid, id), id),
                          (unsigned)m->u.error.type,
                          (unsigned)m->u.error.code);
        break;
    default: /* flow-removed, replies we did not ask for: nothing to do */
        break;
    }
}

static void sw_closed(void *arg, struct uk_of_conn *conn, int reason)
{
    struct ofc_switch *sw = arg;
    char id[17];
    (void)conn;
    if (sw->known)
        dpid_format(sw->dpid, id);
    else
        memcpy(id, "(no features)", 14);
    uk_console_printf(sw->ctl->con,
                      "of-controller: switch %s from %s disconnected: %s "
                      "(%lu packet-ins, %lu flows)",
                      id, sw->peer,
                      reason == UK_EOF ? "closed by the switch"
                                       : uk_strerror(reason),
                      sw->packet_ins, sw->flows);
    sw->used = false;
}

void ofc_attach(struct ofc *c, struct uk_flow *flow)
{
    struct uk_of_conn_config cfg;
    struct ofc_switch *sw = NULL;
    struct uk_ipv4_ep peer;
    int i;
    for (i = 0; i < OFC_MAX_SWITCHES && sw == NULL; i++)
        if (!c->sw[i].used)
            sw = &c->sw[i];
    if (sw == NULL) {
        c->refused++;
        uk_console_printf(c->con, "of-controller: switch table full (%d), "
                                  "connection refused", OFC_MAX_SWITCHES);
        uk_flow_close(flow, NULL, NULL);
        return;
    }
    memset(sw->macs, 0, sizeof sw->macs);
    sw->ctl = c;
    sw->used = true;
    sw->known = false;
    sw->dpid = 0;
    sw->nports = 0;
    sw->packet_ins = sw->flows = sw->floods = 0;
    if (uk_flow_endpoints(flow, NULL, &peer) == 0)
        uk_ipv4_ep_format(&peer, sw->peer);
    else
        memcpy(sw->peer, "?", 2);
    cfg.echo_interval_ns = c->cfg.echo_interval_ns;
    cfg.echo_max_missed = 0;
    c->accepted++;
    if (uk_of_conn_init(&sw->conn, flow, c->time, &cfg, &handlers, sw) != 0)
        sw->used = false;
}

static void on_accept(void *arg, struct uk_flow *flow)
{
    ofc_attach(arg, flow);
}

void ofc_init(struct ofc *c, struct uk_console *con, struct uk_time *time,
              const struct ofc_config *cfg)
{
    int i;
    c->con = con;
    c->time = time;
    c->cfg = *cfg;
    c->accepted = c->refused = 0;
    for (i = 0; i < OFC_MAX_SWITCHES; i++)
        c->sw[i].used = false;
}

int ofc_listen(struct ofc *c, struct uk_tcpv4 *tcp)
{
    int rc = uk_tcpv4_listen(tcp, c->cfg.port, 0, on_accept, c);
    if (rc != 0)
        uk_console_printf(c->con, "of-controller: cannot listen on port %u: %s",
                          (unsigned)c->cfg.port, uk_strerror(rc));
    else
        uk_console_printf(c->con, "of-controller: listening on port %u",
                          (unsigned)c->cfg.port);
    return rc;
}

struct ofc_switch *ofc_find(struct ofc *c, uint64_t dpid)
{
    int i;
    for (i = 0; i < OFC_MAX_SWITCHES; i++)
        if (c->sw[i].used && c->sw[i].known && c->sw[i].dpid == dpid)
            return &c->sw[i];
    return NULL;
}
