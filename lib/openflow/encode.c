/*
 * encode.c - writing OpenFlow 1.0 messages from struct uk_of_msg (layouts
 * as in decode.c), the error-reply helper and type names.
 */
#include <string.h>

#include "wire.h"

static void features_write(struct uk__of_w *w, const struct uk_of_features *f)
{
    size_t i;
    uk__of_w64(w, f->datapath_id);
    uk__of_w32(w, f->n_buffers);
    uk__of_w8(w, f->n_tables);
    uk__of_wzero(w, 3);
    uk__of_w32(w, f->capabilities);
    uk__of_w32(w, f->actions);
    if (f->ports.list == NULL) {
        if (f->ports.wire != NULL)
            uk__of_wbytes(w, f->ports.wire,
                          f->ports.count * UK_OFP_PHY_PORT_LEN);
        return;
    }
    for (i = 0; i < f->ports.count; i++)
        uk__of_port_write(w, &f->ports.list[i]);
}

static int packet_out_write(struct uk__of_w *w,
                            const struct uk_of_packet_out *po)
{
    size_t at, alen;
    int rc;
    uk__of_w32(w, po->buffer_id);
    uk__of_w16(w, po->in_port);
    at = w->len;
    uk__of_w16(w, 0); /* actions_len, patched below */
    rc = uk__of_actions_write(w, &po->actions);
    if (rc != 0)
        return rc;
    alen = w->len - at - 2;
    if (alen > 0xffff)
        return UK_EMSGSIZE;
    if (w->len <= w->cap)
        uk_store_be16(w->buf + at, (uint16_t)alen);
    uk__of_wbytes(w, po->data, po->data_len);
    return 0;
}

static int flow_mod_write(struct uk__of_w *w, const struct uk_of_flow_mod *fm)
{
    uk__of_match_write(w, &fm->match);
    uk__of_w64(w, fm->cookie);
    uk__of_w16(w, fm->command);
    uk__of_w16(w, fm->idle_timeout);
    uk__of_w16(w, fm->hard_timeout);
    uk__of_w16(w, fm->priority);
    uk__of_w32(w, fm->buffer_id);
    uk__of_w16(w, fm->out_port);
    uk__of_w16(w, fm->flags);
    return uk__of_actions_write(w, &fm->actions);
}

static void flow_removed_write(struct uk__of_w *w,
                               const struct uk_of_flow_removed *r)
{
    uk__of_match_write(w, &r->match);
    uk__of_w64(w, r->cookie);
    uk__of_w16(w, r->priority);
    uk__of_w8(w, r->reason);
    uk__of_w8(w, 0);
    uk__of_w32(w, r->duration_sec);
    uk__of_w32(w, r->duration_nsec);
    uk__of_w16(w, r->idle_timeout);
    uk__of_w16(w, 0);
    uk__of_w64(w, r->packet_count);
    uk__of_w64(w, r->byte_count);
}

static void port_mod_write(struct uk__of_w *w, const struct uk_of_port_mod *pm)
{
    uk__of_w16(w, pm->port_no);
    uk__of_wbytes(w, pm->hw_addr.b, 6);
    uk__of_w32(w, pm->config);
    uk__of_w32(w, pm->mask);
    uk__of_w32(w, pm->advertise);
    uk__of_wzero(w, 4);
}

static int body_write(struct uk__of_w *w, const struct uk_of_msg *m)
{
    const struct uk_of_stats_request *sq = &m->u.stats_request;
    const struct uk_of_stats_reply *sr = &m->u.stats_reply;
    switch (m->hdr.type) {
    case UK_OFPT_HELLO:
        uk__of_wbytes(w, m->u.hello.body, m->u.hello.body_len);
        return 0;
    case UK_OFPT_ERROR:
        uk__of_w16(w, m->u.error.type);
        uk__of_w16(w, m->u.error.code);
        uk__of_wbytes(w, m->u.error.data, m->u.error.data_len);
        return 0;
    case UK_OFPT_ECHO_REQUEST:
    case UK_OFPT_ECHO_REPLY:
        uk__of_wbytes(w, m->u.echo.data, m->u.echo.len);
        return 0;
    case UK_OFPT_VENDOR:
        uk__of_w32(w, m->u.vendor.vendor);
        uk__of_wbytes(w, m->u.vendor.data, m->u.vendor.len);
        return 0;
    case UK_OFPT_FEATURES_REQUEST:
    case UK_OFPT_GET_CONFIG_REQUEST:
    case UK_OFPT_BARRIER_REQUEST:
    case UK_OFPT_BARRIER_REPLY:
        return 0;
    case UK_OFPT_FEATURES_REPLY:
        features_write(w, &m->u.features);
        return 0;
    case UK_OFPT_GET_CONFIG_REPLY:
    case UK_OFPT_SET_CONFIG:
        uk__of_w16(w, m->u.config.flags);
        uk__of_w16(w, m->u.config.miss_send_len);
        return 0;
    case UK_OFPT_PACKET_IN:
        uk__of_w32(w, m->u.packet_in.buffer_id);
        uk__of_w16(w, m->u.packet_in.total_len);
        uk__of_w16(w, m->u.packet_in.in_port);
        uk__of_w8(w, m->u.packet_in.reason);
        uk__of_w8(w, 0);
        uk__of_wbytes(w, m->u.packet_in.data, m->u.packet_in.data_len);
        return 0;
    case UK_OFPT_FLOW_REMOVED:
        flow_removed_write(w, &m->u.flow_removed);
        return 0;
    case UK_OFPT_PORT_STATUS:
        uk__of_w8(w, m->u.port_status.reason);
        uk__of_wzero(w, 7);
        uk__of_port_write(w, &m->u.port_status.desc);
        return 0;
    case UK_OFPT_PACKET_OUT:
        return packet_out_write(w, &m->u.packet_out);
    case UK_OFPT_FLOW_MOD:
        return flow_mod_write(w, &m->u.flow_mod);
    case UK_OFPT_PORT_MOD:
        port_mod_write(w, &m->u.port_mod);
        return 0;
    case UK_OFPT_STATS_REQUEST:
        uk__of_w16(w, sq->type);
        uk__of_w16(w, sq->flags);
        return uk__of_stats_request_write(w, sq);
    case UK_OFPT_STATS_REPLY:
        uk__of_w16(w, sr->type);
        uk__of_w16(w, sr->flags);
        return uk__of_stats_reply_write(w, sr);
    case UK_OFPT_QUEUE_GET_CONFIG_REQUEST:
        uk__of_w16(w, m->u.queue_config.port);
        uk__of_wzero(w, 2);
        return 0;
    case UK_OFPT_QUEUE_GET_CONFIG_REPLY:
        uk__of_w16(w, m->u.queue_config.port);
        uk__of_wzero(w, 6);
        uk__of_wbytes(w, m->u.queue_config.queues,
                      m->u.queue_config.queues_len);
        return 0;
    default:
        return UK_EINVAL;
    }
}

int uk_of_encode(const struct uk_of_msg *m, uint8_t *buf, size_t cap,
                 size_t *out_len)
{
    struct uk__of_w w;
    int rc;
    w.buf = buf;
    w.cap = cap;
    w.len = 0;
    uk__of_w8(&w, m->hdr.version != 0 ? m->hdr.version : UK_OFP_VERSION);
    uk__of_w8(&w, m->hdr.type);
    uk__of_w16(&w, 0); /* length, patched below */
    uk__of_w32(&w, m->hdr.xid);
    rc = body_write(&w, m);
    if (rc != 0)
        return rc;
    if (w.len > UK_OFP_MAX_MSG)
        return UK_EMSGSIZE;
    if (w.len > cap)
        return UK_ENOSPC;
    uk_store_be16(buf + 2, (uint16_t)w.len);
    *out_len = w.len;
    return 0;
}

int uk_of_encode_error(uint8_t *buf, size_t cap, size_t *out_len,
                       uint32_t xid, uint16_t type, uint16_t code,
                       const uint8_t *offending, size_t n)
{
    struct uk_of_msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_ERROR;
    m.hdr.xid = xid;
    m.u.error.type = type;
    m.u.error.code = code;
    m.u.error.data = offending;
    m.u.error.data_len = n < UK_OFP_ERROR_DATA_MAX ? n : UK_OFP_ERROR_DATA_MAX;
    return uk_of_encode(&m, buf, cap, out_len);
}

const char *uk_of_type_name(unsigned type)
{
    static const char *const names[UK_OFPT__COUNT] = {
        "HELLO",         "ERROR",           "ECHO_REQUEST",
        "ECHO_REPLY",    "VENDOR",          "FEATURES_REQUEST",
        "FEATURES_REPLY", "GET_CONFIG_REQUEST", "GET_CONFIG_REPLY",
        "SET_CONFIG",    "PACKET_IN",       "FLOW_REMOVED",
        "PORT_STATUS",   "PACKET_OUT",      "FLOW_MOD",
        "PORT_MOD",      "STATS_REQUEST",   "STATS_REPLY",
        "BARRIER_REQUEST", "BARRIER_REPLY", "QUEUE_GET_CONFIG_REQUEST",
        "QUEUE_GET_CONFIG_REPLY"};
    return type < UK_OFPT__COUNT ? names[type] : "UNKNOWN";
}
