/*
 * datapath.c - the switch's forwarding path: a received frame is looked
 * up in the flow table and its flow's actions applied, or it goes to the
 * controller (or, with none, to standalone learning).  Actions work on a
 * copy of the frame, so each output sends the frame as modified so far;
 * header changes keep the IPv4 and TCP/UDP checksums right (RFC 1624
 * incremental updates).
 */
#include <string.h>

#include <uk/bytes.h>

#include "of_switch.h"

static struct ofs_port *port_of(struct ofs *sw, uint16_t no)
{
    return no >= 1 && no <= sw->nports ? &sw->ports[no - 1] : NULL;
}

static void send_on(struct ofs_port *p, const uint8_t *frame, size_t len)
{
    struct uk_iov iov;
    if (p->config & (UK_OFPPC_PORT_DOWN | UK_OFPPC_NO_FWD)) {
        p->tx_dropped++;
        return;
    }
    iov.base = frame;
    iov.len = len;
    if (uk_network_sendv(p->dev, &iov, 1) != 0) {
        p->tx_dropped++;
        return;
    }
    p->tx_packets++;
    p->tx_bytes += len;
}

/* Sends to every port but in_port (flood: also skipping NO_FLOOD). */
static void send_all(struct ofs *sw, uint16_t in_port, const uint8_t *f,
                     size_t len, bool flood)
{
    unsigned i;
    for (i = 0; i < sw->nports; i++) {
        struct ofs_port *p = &sw->ports[i];
        if (p->no == in_port || (flood && (p->config & UK_OFPPC_NO_FLOOD)))
            continue;
        send_on(p, f, len);
    }
}

/* Replaces a 16-bit word covered by the checksum at csum. */
static void csum_replace(uint8_t *csum, uint16_t old, uint16_t new_)
{
    uint32_t s = (uint16_t)~uk_load_be16(csum);
    s += (uint16_t)~old;
    s += new_;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    uk_store_be16(csum, (uint16_t)~s);
}

/* Where the IPv4 header starts (after an optional tag), or 0. */
static size_t ipv4_at(const uint8_t *f, size_t len)
{
    size_t off = 14;
    if (len >= 18 && uk_load_be16(f + 12) == 0x8100)
        off = 18;
    if (len < off + 20 || uk_load_be16(f + off - 2) != 0x0800 ||
        f[off] >> 4 != 4 || (f[off] & 15) < 5 || len < off + (f[off] & 15) * 4u)
        return 0;
    return off;
}

/* The TCP/UDP checksum field of the IPv4 packet at ip, or NULL. */
static uint8_t *l4_csum(uint8_t *f, size_t len, size_t ip, bool *udp)
{
    size_t l4 = ip + (f[ip] & 15) * 4u;
    if ((uk_load_be16(f + ip + 6) & 0x1fff) != 0)
        return NULL;
    if (f[ip + 9] == 6 && len >= l4 + 18) {
        *udp = false;
        return f + l4 + 16;
    }
    if (f[ip + 9] == 17 && len >= l4 + 8) {
        *udp = true;
        return f + l4 + 6;
    }
    return NULL;
}

static void set_nw_addr(uint8_t *f, size_t len, size_t off, uint32_t a)
{
    size_t ip = ipv4_at(f, len);
    bool udp = false;
    uint8_t *c4;
    int k;
    if (ip == 0)
        return;
    c4 = l4_csum(f, len, ip, &udp);
    for (k = 0; k < 2; k++) {
        uint8_t *w = f + ip + off + 2 * k;
        uint16_t old = uk_load_be16(w), nw = (uint16_t)(a >> (16 - 16 * k));
        csum_replace(f + ip + 10, old, nw);
        if (c4 != NULL && !(udp && uk_load_be16(c4) == 0))
            csum_replace(c4, old, nw);
        uk_store_be16(w, nw);
    }
}

static void set_tp_port(uint8_t *f, size_t len, size_t off, uint16_t port)
{
    size_t ip = ipv4_at(f, len);
    bool udp = false;
    uint8_t *c4, *w;
    if (ip == 0 || (c4 = l4_csum(f, len, ip, &udp)) == NULL)
        return;
    w = f + ip + (f[ip] & 15) * 4u + off;
    if (!(udp && uk_load_be16(c4) == 0))
        csum_replace(c4, uk_load_be16(w), port);
    uk_store_be16(w, port);
}

static void set_tos(uint8_t *f, size_t len, uint8_t tos)
{
    size_t ip = ipv4_at(f, len);
    uint16_t old, nw;
    if (ip == 0)
        return;
    old = uk_load_be16(f + ip);
    f[ip + 1] = (uint8_t)((f[ip + 1] & 3) | (tos & 0xfc));
    nw = uk_load_be16(f + ip);
    csum_replace(f + ip + 10, old, nw);
}

/* VLAN: modify the tag's TCI under mask, pushing a tag if there is none;
 * strip removes it. */
static void set_vlan(uint8_t *f, size_t *len, uint16_t tci, uint16_t mask)
{
    if (*len >= 18 && uk_load_be16(f + 12) == 0x8100) {
        uk_store_be16(f + 14, (uint16_t)((uk_load_be16(f + 14) & ~mask) |
                                         (tci & mask)));
        return;
    }
    if (*len + 4 > OFS_FRAME_MAX + 4)
        return;
    memmove(f + 16, f + 12, *len - 12);
    uk_store_be16(f + 12, 0x8100);
    uk_store_be16(f + 14, (uint16_t)(tci & mask));
    *len += 4;
}

static void strip_vlan(uint8_t *f, size_t *len)
{
    if (*len >= 18 && uk_load_be16(f + 12) == 0x8100) {
        memmove(f + 12, f + 16, *len - 16);
        *len -= 4;
    }
}

static void output(struct ofs *sw, uint16_t in_port, const uint8_t *f,
                   size_t len, uint16_t port, uint16_t max_len,
                   bool from_table)
{
    struct ofs_port *p;
    switch (port) {
    case UK_OFPP_IN_PORT:
        if ((p = port_of(sw, in_port)) != NULL)
            send_on(p, f, len);
        break;
    case UK_OFPP_FLOOD:
    case UK_OFPP_ALL:
        send_all(sw, in_port, f, len, port == UK_OFPP_FLOOD);
        break;
    case UK_OFPP_CONTROLLER:
        uk__ofs_packet_in(sw, in_port, f, len, UK_OFPR_ACTION, max_len);
        break;
    case UK_OFPP_TABLE:
        if (!from_table) {
            struct uk_of_match m;
            struct ofs_flow *fl;
            if (uk_of_match_from_frame(&m, f, len, in_port) != 0)
                break;
            fl = uk__ofs_lookup(sw, &m);
            if (fl != NULL)
                uk__ofs_apply(sw, in_port, f, len, fl->actions,
                              fl->actions_len, true);
        }
        break;
    case UK_OFPP_NORMAL:
        uk__ofs_standalone(sw, in_port, f, len);
        break;
    default: /* a physical port (never back out of in_port); LOCAL, NONE:
                there is no local port */
        if (port != in_port && (p = port_of(sw, port)) != NULL)
            send_on(p, f, len);
        break;
    }
}

int uk__ofs_apply(struct ofs *sw, uint16_t in_port, const uint8_t *frame,
                  size_t len, const uint8_t *actions, size_t alen,
                  bool from_table)
{
    struct uk_of_actions list;
    struct uk_of_action a;
    uint8_t *f = sw->scratch;
    size_t pos = 0;
    if (len > OFS_FRAME_MAX)
        return UK_EMSGSIZE;
    memmove(f, frame, len); /* frame may be the scratch (OFPP_TABLE) */
    list.wire = actions;
    list.wire_len = alen;
    list.list = NULL;
    list.count = 0;
    while (uk_of_action_next(&list, &pos, &a)) {
        switch (a.type) {
        case UK_OFPAT_OUTPUT:
            output(sw, in_port, f, len, a.u.output.port, a.u.output.max_len,
                   from_table);
            break;
        case UK_OFPAT_ENQUEUE:
            output(sw, in_port, f, len, a.u.enqueue.port, 0, from_table);
            break;
        case UK_OFPAT_SET_VLAN_VID:
            set_vlan(f, &len, a.u.vlan_vid, 0x0fff);
            break;
        case UK_OFPAT_SET_VLAN_PCP:
            set_vlan(f, &len, (uint16_t)(a.u.vlan_pcp << 13), 0xe000);
            break;
        case UK_OFPAT_STRIP_VLAN:
            strip_vlan(f, &len);
            break;
        case UK_OFPAT_SET_DL_SRC:
            memcpy(f + 6, a.u.dl_addr.b, 6);
            break;
        case UK_OFPAT_SET_DL_DST:
            memcpy(f, a.u.dl_addr.b, 6);
            break;
        case UK_OFPAT_SET_NW_SRC:
            set_nw_addr(f, len, 12, a.u.nw_addr);
            break;
        case UK_OFPAT_SET_NW_DST:
            set_nw_addr(f, len, 16, a.u.nw_addr);
            break;
        case UK_OFPAT_SET_NW_TOS:
            set_tos(f, len, a.u.nw_tos);
            break;
        case UK_OFPAT_SET_TP_SRC:
            set_tp_port(f, len, 0, a.u.tp_port);
            break;
        case UK_OFPAT_SET_TP_DST:
            set_tp_port(f, len, 2, a.u.tp_port);
            break;
        default:
            break;
        }
    }
    return 0;
}

/* Fail-standalone (and OFPP_NORMAL): a plain learning bridge. */
void uk__ofs_standalone(struct ofs *sw, uint16_t in_port,
                        const uint8_t *frame, size_t len)
{
    struct uk_mac src, dst;
    struct ofs_mac *slot = NULL;
    uint64_t now = uk_time_now_ns(sw->time);
    int i, out = -1;
    memcpy(dst.b, frame, 6);
    memcpy(src.b, frame + 6, 6);
    for (i = 0; i < OFS_MACS; i++) {
        struct ofs_mac *e = &sw->macs[i];
        if (e->port != 0 && uk_mac_eq(&e->mac, &dst) &&
            now - e->seen_ns < 300 * UK_NS_PER_S)
            out = e->port;
        if (!uk_mac_is_multicast(&src)) {
            if (e->port != 0 && uk_mac_eq(&e->mac, &src))
                slot = e;
            else if (slot == NULL || (slot->port != 0 &&
                                      !uk_mac_eq(&slot->mac, &src) &&
                                      e->seen_ns < slot->seen_ns))
                slot = e;
        }
    }
    if (slot != NULL) {
        slot->mac = src;
        slot->port = in_port;
        slot->seen_ns = now;
    }
    if (uk_mac_is_multicast(&dst) || out < 0)
        send_all(sw, in_port, frame, len, true);
    else if (out != in_port)
        send_on(&sw->ports[out - 1], frame, len);
}

void uk__ofs_rx(struct ofs *sw, struct ofs_port *in, const uint8_t *frame,
                size_t len)
{
    struct uk_of_match m;
    struct ofs_flow *fl;
    in->rx_packets++;
    in->rx_bytes += len;
    if ((in->config & (UK_OFPPC_PORT_DOWN | UK_OFPPC_NO_RECV)) != 0 ||
        uk_of_match_from_frame(&m, frame, len, in->no) != 0 ||
        len > OFS_FRAME_MAX) {
        in->rx_dropped++;
        return;
    }
    if (!sw->connected) {
        uk__ofs_standalone(sw, in->no, frame, len);
        return;
    }
    sw->lookups++;
    fl = uk__ofs_lookup(sw, &m);
    if (fl == NULL) {
        if (!(in->config & UK_OFPPC_NO_PACKET_IN))
            uk__ofs_packet_in(sw, in->no, frame, len, UK_OFPR_NO_MATCH,
                              sw->miss_send_len);
        return;
    }
    sw->matched++;
    fl->packets++;
    fl->bytes += len;
    fl->used_ns = uk_time_now_ns(sw->time);
    uk__ofs_apply(sw, in->no, frame, len, fl->actions, fl->actions_len, true);
}
