/*
 * decode.c - framing and decoding of OpenFlow 1.0 messages (every type but
 * the stats bodies, which are in stats.c).  Every length and count read
 * from the wire is checked against the message's own length before use.
 */
#include <string.h>

#include "wire.h"

int uk_of_frame(const uint8_t *buf, size_t len, size_t *msg_len)
{
    uint16_t n;
    if (len < UK_OFP_HEADER_LEN)
        return UK_EAGAIN;
    n = uk_load_be16(buf + 2);
    if (n < UK_OFP_HEADER_LEN)
        return UK_EPROTO;
    if (len < n)
        return UK_EAGAIN;
    *msg_len = n;
    return 0;
}

#define BAD_LEN(err) uk__of_fail(err, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_LEN)

/* Version-bitmap hello elements (later versions' hello body): type(2)
 * length(2) then data, padded to 8.  Malformed bodies are ignored, as 1.0
 * peers ignore the body altogether. */
static void hello_read(const uint8_t *p, size_t len, struct uk_of_hello *h)
{
    size_t off = 0;
    h->body = p;
    h->body_len = len;
    h->has_bitmap = false;
    h->bitmap = 0;
    while (len - off >= 4) {
        uint16_t type = uk_load_be16(p + off), elen = uk_load_be16(p + off + 2);
        size_t padded = ((size_t)elen + 7u) & ~(size_t)7u;
        if (elen < 4 || elen > len - off)
            return;
        if (type == 1 && elen >= 8 && !h->has_bitmap) {
            h->has_bitmap = true;
            h->bitmap = uk_load_be32(p + off + 4);
        }
        if (padded > len - off)
            return;
        off += padded;
    }
}

static int features_read(const uint8_t *p, size_t len,
                         struct uk_of_features *f, struct uk_of_err *err)
{
    if (len < 32 || (len - 32) % UK_OFP_PHY_PORT_LEN != 0)
        return BAD_LEN(err);
    f->datapath_id = uk__of_load64(p + 8);
    f->n_buffers = uk_load_be32(p + 16);
    f->n_tables = p[20];
    f->capabilities = uk_load_be32(p + 24);
    f->actions = uk_load_be32(p + 28);
    f->ports.wire = p + 32;
    f->ports.list = NULL;
    f->ports.count = (len - 32) / UK_OFP_PHY_PORT_LEN;
    return 0;
}

static int packet_out_read(const uint8_t *p, size_t len,
                           struct uk_of_packet_out *po,
                           struct uk_of_err *err)
{
    size_t alen;
    int rc;
    if (len < 16)
        return BAD_LEN(err);
    po->buffer_id = uk_load_be32(p + 8);
    po->in_port = uk_load_be16(p + 12);
    alen = uk_load_be16(p + 14);
    if (alen > len - 16)
        return BAD_LEN(err);
    rc = uk__of_actions_check(p + 16, alen, &po->actions.count, err);
    if (rc != 0)
        return rc;
    po->actions.wire = p + 16;
    po->actions.wire_len = alen;
    po->actions.list = NULL;
    po->data = p + 16 + alen;
    po->data_len = len - 16 - alen;
    return 0;
}

static int flow_mod_read(const uint8_t *p, size_t len,
                         struct uk_of_flow_mod *fm, struct uk_of_err *err)
{
    int rc;
    if (len < 72)
        return BAD_LEN(err);
    uk__of_match_read(p + 8, &fm->match);
    fm->cookie = uk__of_load64(p + 48);
    fm->command = uk_load_be16(p + 56);
    fm->idle_timeout = uk_load_be16(p + 58);
    fm->hard_timeout = uk_load_be16(p + 60);
    fm->priority = uk_load_be16(p + 62);
    fm->buffer_id = uk_load_be32(p + 64);
    fm->out_port = uk_load_be16(p + 68);
    fm->flags = uk_load_be16(p + 70);
    rc = uk__of_actions_check(p + 72, len - 72, &fm->actions.count, err);
    if (rc != 0)
        return rc;
    fm->actions.wire = p + 72;
    fm->actions.wire_len = len - 72;
    fm->actions.list = NULL;
    if (fm->command > UK_OFPFC_DELETE_STRICT)
        return uk__of_fail(err, UK_OFPET_FLOW_MOD_FAILED,
                           UK_OFPFMFC_BAD_COMMAND);
    return 0;
}

static void flow_removed_read(const uint8_t *p, struct uk_of_flow_removed *r)
{
    uk__of_match_read(p + 8, &r->match);
    r->cookie = uk__of_load64(p + 48);
    r->priority = uk_load_be16(p + 56);
    r->reason = p[58];
    r->duration_sec = uk_load_be32(p + 60);
    r->duration_nsec = uk_load_be32(p + 64);
    r->idle_timeout = uk_load_be16(p + 68);
    r->packet_count = uk__of_load64(p + 72);
    r->byte_count = uk__of_load64(p + 80);
}

static void port_mod_read(const uint8_t *p, struct uk_of_port_mod *pm)
{
    pm->port_no = uk_load_be16(p + 8);
    memcpy(pm->hw_addr.b, p + 10, 6);
    pm->config = uk_load_be32(p + 16);
    pm->mask = uk_load_be32(p + 20);
    pm->advertise = uk_load_be32(p + 24);
}

/* Queue config reply: port(2) pad(6) then ofp_packet_queue entries:
 * queue_id(4) len(2) pad(2) properties, len covering the entry. */
static int queue_reply_read(const uint8_t *p, size_t len,
                            struct uk_of_queue_config *q,
                            struct uk_of_err *err)
{
    size_t off = 16;
    if (len < 16)
        return BAD_LEN(err);
    q->port = uk_load_be16(p + 8);
    while (off < len) {
        uint16_t qlen;
        if (len - off < 8)
            return BAD_LEN(err);
        qlen = uk_load_be16(p + off + 4);
        if (qlen < 8 || qlen > len - off)
            return BAD_LEN(err);
        off += qlen;
    }
    q->queues = p + 16;
    q->queues_len = len - 16;
    return 0;
}

/* Checks an exact length for fixed-size messages. */
static int want_len(size_t len, size_t want, struct uk_of_err *err)
{
    return len == want ? 0 : BAD_LEN(err);
}

static int body_read(const uint8_t *p, size_t len, struct uk_of_msg *m,
                     struct uk_of_err *err)
{
    switch (m->hdr.type) {
    case UK_OFPT_HELLO:
        hello_read(p + 8, len - 8, &m->u.hello);
        return 0;
    case UK_OFPT_ERROR:
        if (len < 12)
            return BAD_LEN(err);
        m->u.error.type = uk_load_be16(p + 8);
        m->u.error.code = uk_load_be16(p + 10);
        m->u.error.data = p + 12;
        m->u.error.data_len = len - 12;
        return 0;
    case UK_OFPT_ECHO_REQUEST:
    case UK_OFPT_ECHO_REPLY:
        m->u.echo.data = p + 8;
        m->u.echo.len = len - 8;
        return 0;
    case UK_OFPT_VENDOR:
        if (len < 12)
            return BAD_LEN(err);
        m->u.vendor.vendor = uk_load_be32(p + 8);
        m->u.vendor.data = p + 12;
        m->u.vendor.len = len - 12;
        return 0;
    case UK_OFPT_FEATURES_REQUEST:
    case UK_OFPT_GET_CONFIG_REQUEST:
    case UK_OFPT_BARRIER_REQUEST:
    case UK_OFPT_BARRIER_REPLY:
        return want_len(len, 8, err);
    case UK_OFPT_FEATURES_REPLY:
        return features_read(p, len, &m->u.features, err);
    case UK_OFPT_GET_CONFIG_REPLY:
    case UK_OFPT_SET_CONFIG:
        if (want_len(len, 12, err) != 0)
            return UK_EPROTO;
        m->u.config.flags = uk_load_be16(p + 8);
        m->u.config.miss_send_len = uk_load_be16(p + 10);
        return 0;
    case UK_OFPT_PACKET_IN:
        if (len < 18)
            return BAD_LEN(err);
        m->u.packet_in.buffer_id = uk_load_be32(p + 8);
        m->u.packet_in.total_len = uk_load_be16(p + 12);
        m->u.packet_in.in_port = uk_load_be16(p + 14);
        m->u.packet_in.reason = p[16];
        m->u.packet_in.data = p + 18;
        m->u.packet_in.data_len = len - 18;
        return 0;
    case UK_OFPT_FLOW_REMOVED:
        if (want_len(len, 88, err) != 0)
            return UK_EPROTO;
        flow_removed_read(p, &m->u.flow_removed);
        return 0;
    case UK_OFPT_PORT_STATUS:
        if (want_len(len, 64, err) != 0)
            return UK_EPROTO;
        m->u.port_status.reason = p[8];
        uk__of_port_read(p + 16, &m->u.port_status.desc);
        return 0;
    case UK_OFPT_PACKET_OUT:
        return packet_out_read(p, len, &m->u.packet_out, err);
    case UK_OFPT_FLOW_MOD:
        return flow_mod_read(p, len, &m->u.flow_mod, err);
    case UK_OFPT_PORT_MOD:
        if (want_len(len, 32, err) != 0)
            return UK_EPROTO;
        port_mod_read(p, &m->u.port_mod);
        return 0;
    case UK_OFPT_STATS_REQUEST:
        if (len < 12)
            return BAD_LEN(err);
        m->u.stats_request.type = uk_load_be16(p + 8);
        m->u.stats_request.flags = uk_load_be16(p + 10);
        return uk__of_stats_request_read(p + 12, len - 12,
                                         &m->u.stats_request, err);
    case UK_OFPT_STATS_REPLY:
        if (len < 12)
            return BAD_LEN(err);
        m->u.stats_reply.type = uk_load_be16(p + 8);
        m->u.stats_reply.flags = uk_load_be16(p + 10);
        return uk__of_stats_reply_read(p + 12, len - 12, &m->u.stats_reply,
                                       err);
    case UK_OFPT_QUEUE_GET_CONFIG_REQUEST:
        if (want_len(len, 12, err) != 0)
            return UK_EPROTO;
        m->u.queue_config.port = uk_load_be16(p + 8);
        m->u.queue_config.queues = NULL;
        m->u.queue_config.queues_len = 0;
        return 0;
    case UK_OFPT_QUEUE_GET_CONFIG_REPLY:
        return queue_reply_read(p, len, &m->u.queue_config, err);
    default:
        return uk__of_fail(err, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_TYPE);
    }
}

int uk_of_decode(const uint8_t *buf, size_t len, struct uk_of_msg *out,
                 struct uk_of_err *err)
{
    size_t n;
    if (len < UK_OFP_HEADER_LEN)
        return UK_EMSGSIZE;
    n = uk_load_be16(buf + 2);
    if (n < UK_OFP_HEADER_LEN || n > len)
        return UK_EMSGSIZE;
    memset(out, 0, sizeof *out);
    out->hdr.version = buf[0];
    out->hdr.type = buf[1];
    out->hdr.length = (uint16_t)n;
    out->hdr.xid = uk_load_be32(buf + 4);
    if (out->hdr.version != UK_OFP_VERSION &&
        out->hdr.type != UK_OFPT_HELLO && out->hdr.type != UK_OFPT_ERROR)
        return uk__of_fail(err, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_VERSION);
    return body_read(buf, n, out, err);
}
