/*
 * of_switch.c - the switch's control side: ports, the controller
 * connection (connect, reconnect with backoff, hello through
 * uk/openflow_conn.h), buffered table misses, and the answers to the
 * controller's requests.  Stats replies are in stats.c.
 */
#include <string.h>

#include "of_switch.h"

void uk__ofs_send(struct ofs *sw, const struct uk_of_msg *m)
{
    if (sw->connected)
        uk_of_conn_send(&sw->conn, m);
}

static void send_error(struct uk_of_conn *c, const struct uk_of_err *e,
                       const uint8_t *raw, size_t len)
{
    uk_of_conn_send_error(c, e->type, e->code, raw, len);
}

/* Holds the frame for the controller; returns its buffer id. */
static uint32_t buffer_store(struct ofs *sw, uint16_t in_port,
                             const uint8_t *frame, size_t len)
{
    unsigned i = sw->next_buffer++ % OFS_BUFFERS;
    struct ofs_buffer *b = &sw->buffers[i];
    sw->buffer_gen = (sw->buffer_gen + 1) & 0xffffff;
    if (sw->buffer_gen == 0)
        sw->buffer_gen = 1;
    b->id = sw->buffer_gen << 8 | i;
    b->in_port = in_port;
    b->len = len;
    memcpy(b->frame, frame, len);
    return b->id;
}

/* The buffer with this id, taken (a buffer is used once), or NULL. */
static struct ofs_buffer *buffer_take(struct ofs *sw, uint32_t id)
{
    struct ofs_buffer *b = &sw->buffers[(id & 0xff) % OFS_BUFFERS];
    if (id == 0 || b->id != id)
        return NULL;
    b->id = 0;
    return b;
}

void uk__ofs_packet_in(struct ofs *sw, uint16_t in_port, const uint8_t *frame,
                       size_t len, uint8_t reason, uint16_t max_len)
{
    struct uk_of_msg m;
    if (!sw->connected)
        return;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_PACKET_IN;
    m.u.packet_in.buffer_id = buffer_store(sw, in_port, frame, len);
    m.u.packet_in.total_len = (uint16_t)len;
    m.u.packet_in.in_port = in_port;
    m.u.packet_in.reason = reason;
    m.u.packet_in.data = frame;
    m.u.packet_in.data_len = len < max_len ? len : max_len;
    uk__ofs_send(sw, &m);
}

int uk__ofs_check_actions(const struct ofs *sw, const struct uk_of_actions *a,
                          struct uk_of_err *err)
{
    struct uk_of_action act;
    size_t pos = 0;
    while (uk_of_action_next(a, &pos, &act)) {
        uint16_t p = act.type == UK_OFPAT_OUTPUT    ? act.u.output.port
                     : act.type == UK_OFPAT_ENQUEUE ? act.u.enqueue.port
                                                    : UK_OFPP_NONE;
        if (p < UK_OFPP_MAX && (p == 0 || p > sw->nports)) {
            err->type = UK_OFPET_BAD_ACTION;
            err->code = UK_OFPBAC_BAD_OUT_PORT;
            return UK_EPROTO;
        }
        if (act.type == UK_OFPAT_ENQUEUE) {
            err->type = UK_OFPET_BAD_ACTION;
            err->code = UK_OFPBAC_BAD_QUEUE; /* no queues here */
            return UK_EPROTO;
        }
    }
    return 0;
}

/* The description of port p, as features-reply and port-status carry. */
static void port_desc(const struct ofs_port *p, struct uk_of_port *out)
{
    memset(out, 0, sizeof *out);
    out->port_no = p->no;
    out->hw_addr = p->mac;
    memcpy(out->name, p->name, sizeof out->name);
    out->config = p->config;
    out->curr = UK_OFPPF_1GB_FD | UK_OFPPF_COPPER;
}

static void features_reply(struct ofs *sw, struct uk_of_conn *c,
                           uint32_t xid)
{
    struct uk_of_port ports[OFS_MAX_PORTS];
    struct uk_of_msg m;
    unsigned i;
    for (i = 0; i < sw->nports; i++)
        port_desc(&sw->ports[i], &ports[i]);
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FEATURES_REPLY;
    m.hdr.xid = xid;
    m.u.features.datapath_id = sw->cfg.datapath_id;
    m.u.features.n_buffers = OFS_BUFFERS;
    m.u.features.n_tables = 1;
    m.u.features.capabilities = UK_OFPC_FLOW_STATS | UK_OFPC_TABLE_STATS |
                                UK_OFPC_PORT_STATS | UK_OFPC_ARP_MATCH_IP;
    m.u.features.actions = UK_OFP_ACTIONS_ALL & ~(1u << UK_OFPAT_ENQUEUE);
    m.u.features.ports.list = ports;
    m.u.features.ports.count = sw->nports;
    uk_of_conn_send(c, &m);
}

static void packet_out(struct ofs *sw, struct uk_of_conn *c,
                       const struct uk_of_packet_out *po,
                       const uint8_t *raw, size_t len)
{
    struct uk_of_err err;
    struct ofs_buffer *b = NULL;
    if (uk__ofs_check_actions(sw, &po->actions, &err) != 0) {
        send_error(c, &err, raw, len);
        return;
    }
    if (po->buffer_id != UK_OFP_NO_BUFFER) {
        b = buffer_take(sw, po->buffer_id);
        if (b == NULL) {
            err.type = UK_OFPET_BAD_REQUEST;
            err.code = UK_OFPBRC_BUFFER_UNKNOWN;
            send_error(c, &err, raw, len);
            return;
        }
        uk__ofs_apply(sw, po->in_port, b->frame, b->len, po->actions.wire,
                      po->actions.wire_len, false);
        return;
    }
    if (po->data_len >= 14)
        uk__ofs_apply(sw, po->in_port, po->data, po->data_len,
                      po->actions.wire, po->actions.wire_len, false);
}

static void flow_mod(struct ofs *sw, struct uk_of_conn *c,
                     const struct uk_of_flow_mod *fm,
                     const uint8_t *raw, size_t len)
{
    struct uk_of_err err;
    struct ofs_buffer *b;
    if (uk__ofs_flow_mod(sw, fm, &err) != 0) {
        send_error(c, &err, raw, len);
        return;
    }
    if (fm->buffer_id == UK_OFP_NO_BUFFER || fm->command == UK_OFPFC_DELETE ||
        fm->command == UK_OFPFC_DELETE_STRICT)
        return;
    b = buffer_take(sw, fm->buffer_id);
    if (b == NULL) {
        err.type = UK_OFPET_BAD_REQUEST;
        err.code = UK_OFPBRC_BUFFER_UNKNOWN;
        send_error(c, &err, raw, len);
        return;
    }
    /* the buffered packet goes through the table, now holding the flow */
    {
        struct uk_of_match m;
        struct ofs_flow *f;
        if (uk_of_match_from_frame(&m, b->frame, b->len, b->in_port) == 0 &&
            (f = uk__ofs_lookup(sw, &m)) != NULL) {
            f->packets++;
            f->bytes += b->len;
            uk__ofs_apply(sw, b->in_port, b->frame, b->len, f->actions,
                          f->actions_len, true);
        }
    }
}

static void port_mod(struct ofs *sw, struct uk_of_conn *c,
                     const struct uk_of_port_mod *pm,
                     const uint8_t *raw, size_t len)
{
    struct uk_of_err err;
    struct uk_of_msg st;
    uint32_t config;
    struct ofs_port *p = pm->port_no >= 1 && pm->port_no <= sw->nports
                             ? &sw->ports[pm->port_no - 1]
                             : NULL;
    if (p == NULL || !uk_mac_eq(&p->mac, &pm->hw_addr)) {
        err.type = UK_OFPET_PORT_MOD_FAILED;
        err.code = p == NULL ? UK_OFPPMFC_BAD_PORT : UK_OFPPMFC_BAD_HW_ADDR;
        send_error(c, &err, raw, len);
        return;
    }
    config = (p->config & ~pm->mask) | (pm->config & pm->mask);
    if (config == p->config)
        return;
    /* The controller hears of the change, whoever asked for it. */
    p->config = config;
    memset(&st, 0, sizeof st);
    st.hdr.type = UK_OFPT_PORT_STATUS;
    st.u.port_status.reason = UK_OFPPR_MODIFY;
    port_desc(p, &st.u.port_status.desc);
    uk__ofs_send(sw, &st);
}

void uk__ofs_message(struct ofs *sw, struct uk_of_conn *c,
                     const struct uk_of_msg *m, const uint8_t *raw,
                     size_t len)
{
    struct uk_of_msg r;
    struct uk_of_err err;
    memset(&r, 0, sizeof r);
    r.hdr.xid = m->hdr.xid;
    switch (m->hdr.type) {
    case UK_OFPT_FEATURES_REQUEST:
        features_reply(sw, c, m->hdr.xid);
        break;
    case UK_OFPT_GET_CONFIG_REQUEST:
        r.hdr.type = UK_OFPT_GET_CONFIG_REPLY;
        r.u.config.flags = sw->config_flags;
        r.u.config.miss_send_len = sw->miss_send_len;
        uk_of_conn_send(c, &r);
        break;
    case UK_OFPT_SET_CONFIG:
        sw->config_flags = m->u.config.flags & UK_OFPC_FRAG_MASK;
        sw->miss_send_len = m->u.config.miss_send_len;
        break;
    case UK_OFPT_BARRIER_REQUEST: /* everything before is done already */
        r.hdr.type = UK_OFPT_BARRIER_REPLY;
        uk_of_conn_send(c, &r);
        break;
    case UK_OFPT_PACKET_OUT:
        packet_out(sw, c, &m->u.packet_out, raw, len);
        break;
    case UK_OFPT_FLOW_MOD:
        flow_mod(sw, c, &m->u.flow_mod, raw, len);
        break;
    case UK_OFPT_PORT_MOD:
        port_mod(sw, c, &m->u.port_mod, raw, len);
        break;
    case UK_OFPT_STATS_REQUEST:
        uk__ofs_stats(sw, c, m, raw, len);
        break;
    case UK_OFPT_QUEUE_GET_CONFIG_REQUEST:
        r.hdr.type = UK_OFPT_QUEUE_GET_CONFIG_REPLY; /* no queues */
        r.u.queue_config.port = m->u.queue_config.port;
        uk_of_conn_send(c, &r);
        break;
    case UK_OFPT_ERROR:
    case UK_OFPT_BARRIER_REPLY:
    case UK_OFPT_ECHO_REPLY:
        break;
    default: /* switch-to-controller messages sent to us */
        err.type = UK_OFPET_BAD_REQUEST;
        err.code = UK_OFPBRC_BAD_TYPE;
        send_error(c, &err, raw, len);
        break;
    }
}

/* The controller connection. */
static void start_connect(void *arg);

static void c_ready(void *arg, struct uk_of_conn *c)
{
    struct ofs *sw = arg;
    (void)c;
    sw->connected = true;
    sw->backoff_ns = UK_NS_PER_S;
    uk_console_printf(sw->con, "of-switch: controller connected");
}

static void c_message(void *arg, struct uk_of_conn *c,
                      const struct uk_of_msg *m, const uint8_t *raw,
                      size_t len)
{
    uk__ofs_message(arg, c, m, raw, len);
}

static void c_closed(void *arg, struct uk_of_conn *c, int reason)
{
    struct ofs *sw = arg;
    (void)c;
    if (sw->connected)
        uk_console_printf(sw->con, "of-switch: controller gone (%s), "
                                   "standalone until it is back",
                          uk_strerror(reason));
    sw->connected = false;
    sw->conn_live = false;
    if (sw->tcp != NULL && sw->cfg.controller.port != 0)
        uk_time_after(sw->time, &sw->reconnect, sw->backoff_ns,
                      start_connect, sw);
    if (sw->backoff_ns < 8 * UK_NS_PER_S)
        sw->backoff_ns *= 2;
}

static const struct uk_of_conn_handlers conn_handlers = {c_ready, c_message,
                                                         c_closed};

void ofs_attach(struct ofs *sw, struct uk_flow *flow)
{
    struct uk_of_conn_config cfg;
    if (sw->conn_live) {
        uk_flow_close(flow, NULL, NULL);
        return;
    }
    cfg.echo_interval_ns = sw->cfg.echo_interval_ns;
    cfg.echo_max_missed = 0;
    sw->conn_live = uk_of_conn_init(&sw->conn, flow, sw->time, &cfg,
                                    &conn_handlers, sw) == 0;
    if (!sw->conn_live && sw->tcp != NULL && sw->cfg.controller.port != 0)
        uk_time_after(sw->time, &sw->reconnect, sw->backoff_ns,
                      start_connect, sw);
}

static void on_connect(void *arg, int status, struct uk_flow *flow)
{
    struct ofs *sw = arg;
    sw->connecting = false;
    if (status != 0) {
        uk_time_after(sw->time, &sw->reconnect, sw->backoff_ns,
                      start_connect, sw);
        if (sw->backoff_ns < 8 * UK_NS_PER_S)
            sw->backoff_ns *= 2;
        return;
    }
    ofs_attach(sw, flow);
}

static void start_connect(void *arg)
{
    struct ofs *sw = arg;
    if (sw->connecting || sw->conn_live || sw->tcp == NULL)
        return;
    sw->connecting = uk_tcpv4_connect(sw->tcp, &sw->cfg.controller,
                                      on_connect, sw) == 0;
    if (!sw->connecting)
        uk_time_after(sw->time, &sw->reconnect, sw->backoff_ns,
                      start_connect, sw);
}

/* Management connections (ovs-ofctl): answered, never sent events. */
static void m_ready(void *arg, struct uk_of_conn *c)
{
    (void)arg, (void)c;
}

static void m_message(void *arg, struct uk_of_conn *c,
                      const struct uk_of_msg *m, const uint8_t *raw,
                      size_t len)
{
    struct ofs_mgmt *mg = arg;
    uk__ofs_message(mg->sw, c, m, raw, len);
}

static void m_closed(void *arg, struct uk_of_conn *c, int reason)
{
    struct ofs_mgmt *mg = arg;
    (void)c, (void)reason;
    mg->used = false;
}

static const struct uk_of_conn_handlers mgmt_handlers = {m_ready, m_message,
                                                         m_closed};

static void on_mgmt_accept(void *arg, struct uk_flow *flow)
{
    struct ofs *sw = arg;
    struct ofs_mgmt *mg = NULL;
    int i;
    for (i = 0; i < OFS_MGMT && mg == NULL; i++)
        if (!sw->mgmt[i].used)
            mg = &sw->mgmt[i];
    if (mg == NULL) {
        uk_flow_close(flow, NULL, NULL);
        return;
    }
    mg->sw = sw;
    mg->used = uk_of_conn_init(&mg->conn, flow, sw->time, NULL,
                               &mgmt_handlers, mg) == 0;
}

static void port_rx(void *arg, struct uk_buf *frame)
{
    struct ofs_port *p = arg;
    uk__ofs_rx(p->sw, p, frame->data, frame->len);
    uk_buf_free(frame);
}

int ofs_start(struct ofs *sw, struct uk_console *con, struct uk_time *time,
              struct uk_tcpv4 *tcp, struct uk_network *const *devs,
              unsigned n, const struct ofs_config *cfg)
{
    unsigned i;
    if (n < 1 || n > OFS_MAX_PORTS)
        return UK_EINVAL;
    memset(sw, 0, sizeof *sw);
    sw->con = con;
    sw->time = time;
    sw->tcp = tcp;
    sw->cfg = *cfg;
    sw->nports = n;
    sw->miss_send_len = 128;
    sw->backoff_ns = UK_NS_PER_S;
    for (i = 0; i < n; i++) {
        struct ofs_port *p = &sw->ports[i];
        p->sw = sw;
        p->dev = devs[i];
        p->no = (uint16_t)(i + 1);
        uk_network_mac(devs[i], &p->mac);
        snprintf(p->name, sizeof p->name, "%s", uk_network_id(devs[i]));
        uk_network_listen(devs[i], port_rx, p);
    }
    if (sw->cfg.datapath_id == 0)
        for (i = 0; i < 6; i++)
            sw->cfg.datapath_id = sw->cfg.datapath_id << 8 |
                                  sw->ports[0].mac.b[i];
    uk_time_after(time, &sw->expiry, UK_NS_PER_S / 2, uk__ofs_expire, sw);
    if (tcp != NULL && cfg->controller.port != 0)
        uk_time_defer(time, &sw->reconnect, start_connect, sw);
    if (tcp != NULL && cfg->listen_port != 0)
        return uk_tcpv4_listen(tcp, cfg->listen_port, 0, on_mgmt_accept, sw);
    return 0;
}
