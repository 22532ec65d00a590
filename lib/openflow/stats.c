/*
 * stats.c - bodies of OpenFlow 1.0 stats requests and replies (after the
 * 12-byte header + type(2) + flags(2)).
 *
 * Requests: DESC and TABLE have no body; FLOW and AGGREGATE carry
 * match(40) table_id(1) pad(1) out_port(2); PORT carries port_no(2)
 * pad(6); QUEUE port_no(2) pad(2) queue_id(4).
 * Replies: DESC is five NUL-padded strings (256, 256, 256, 32, 256);
 * FLOW a sequence of variable-length entries; AGGREGATE packet_count(8)
 * byte_count(8) flow_count(4) pad(4); TABLE, PORT and QUEUE arrays of
 * 64-, 104- and 32-byte entries.
 */
#include <string.h>

#include "wire.h"

#define BAD_LEN(err) uk__of_fail(err, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_LEN)

int uk__of_stats_request_read(const uint8_t *p, size_t len,
                              struct uk_of_stats_request *r,
                              struct uk_of_err *err)
{
    switch (r->type) {
    case UK_OFPST_DESC:
    case UK_OFPST_TABLE:
        return len == 0 ? 0 : BAD_LEN(err);
    case UK_OFPST_FLOW:
    case UK_OFPST_AGGREGATE:
        if (len != 44)
            return BAD_LEN(err);
        uk__of_match_read(p, &r->u.flow.match);
        r->u.flow.table_id = p[40];
        r->u.flow.out_port = uk_load_be16(p + 42);
        return 0;
    case UK_OFPST_PORT:
        if (len != 8)
            return BAD_LEN(err);
        r->u.port_no = uk_load_be16(p);
        return 0;
    case UK_OFPST_QUEUE:
        if (len != 8)
            return BAD_LEN(err);
        r->u.queue.port_no = uk_load_be16(p);
        r->u.queue.queue_id = uk_load_be32(p + 4);
        return 0;
    case UK_OFPST_VENDOR:
        if (len < 4)
            return BAD_LEN(err);
        r->u.vendor.vendor = uk_load_be32(p);
        r->u.vendor.data = p + 4;
        r->u.vendor.len = len - 4;
        return uk__of_fail(err, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_VENDOR);
    default:
        return uk__of_fail(err, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_STAT);
    }
}

/* Reads one flow stats entry at p (length already checked to fit). */
static void flow_stats_read(const uint8_t *p, size_t elen,
                            struct uk_of_flow_stats *f)
{
    f->table_id = p[2];
    uk__of_match_read(p + 4, &f->match);
    f->duration_sec = uk_load_be32(p + 44);
    f->duration_nsec = uk_load_be32(p + 48);
    f->priority = uk_load_be16(p + 52);
    f->idle_timeout = uk_load_be16(p + 54);
    f->hard_timeout = uk_load_be16(p + 56);
    f->cookie = uk__of_load64(p + 64);
    f->packet_count = uk__of_load64(p + 72);
    f->byte_count = uk__of_load64(p + 80);
    f->actions.wire = p + UK_OFP_FLOW_STATS_LEN;
    f->actions.wire_len = elen - UK_OFP_FLOW_STATS_LEN;
    f->actions.list = NULL;
    f->actions.count = 0;
}

static int flow_stats_check(const uint8_t *p, size_t len, size_t *count,
                            struct uk_of_err *err)
{
    size_t off = 0, n = 0, nact;
    while (off < len) {
        size_t elen;
        int rc;
        if (len - off < UK_OFP_FLOW_STATS_LEN)
            return BAD_LEN(err);
        elen = uk_load_be16(p + off);
        if (elen < UK_OFP_FLOW_STATS_LEN || elen > len - off)
            return BAD_LEN(err);
        rc = uk__of_actions_check(p + off + UK_OFP_FLOW_STATS_LEN,
                                  elen - UK_OFP_FLOW_STATS_LEN, &nact, err);
        if (rc != 0)
            return rc;
        off += elen;
        n++;
    }
    *count = n;
    return 0;
}

/* A fixed-size entry array: len must be a multiple of size. */
static int array_read(const uint8_t *p, size_t len, size_t size,
                      struct uk_of_stats_list *l, struct uk_of_err *err)
{
    if (len % size != 0)
        return BAD_LEN(err);
    l->wire = p;
    l->wire_len = len;
    l->list = NULL;
    l->count = len / size;
    return 0;
}

static void desc_read(const uint8_t *p, struct uk_of_desc_stats *d)
{
    memcpy(d->mfr_desc, p, UK_OFP_DESC_LEN);
    memcpy(d->hw_desc, p + 256, UK_OFP_DESC_LEN);
    memcpy(d->sw_desc, p + 512, UK_OFP_DESC_LEN);
    memcpy(d->serial_num, p + 768, UK_OFP_SERIAL_LEN);
    memcpy(d->dp_desc, p + 800, UK_OFP_DESC_LEN);
    d->mfr_desc[UK_OFP_DESC_LEN - 1] = '\0';
    d->hw_desc[UK_OFP_DESC_LEN - 1] = '\0';
    d->sw_desc[UK_OFP_DESC_LEN - 1] = '\0';
    d->serial_num[UK_OFP_SERIAL_LEN - 1] = '\0';
    d->dp_desc[UK_OFP_DESC_LEN - 1] = '\0';
}

int uk__of_stats_reply_read(const uint8_t *p, size_t len,
                            struct uk_of_stats_reply *r,
                            struct uk_of_err *err)
{
    switch (r->type) {
    case UK_OFPST_DESC:
        if (len != 1056)
            return BAD_LEN(err);
        desc_read(p, &r->u.desc);
        return 0;
    case UK_OFPST_FLOW: {
        int rc = flow_stats_check(p, len, &r->u.entries.count, err);
        if (rc != 0)
            return rc;
        r->u.entries.wire = p;
        r->u.entries.wire_len = len;
        r->u.entries.list = NULL;
        return 0;
    }
    case UK_OFPST_AGGREGATE:
        if (len != 24)
            return BAD_LEN(err);
        r->u.aggregate.packet_count = uk__of_load64(p);
        r->u.aggregate.byte_count = uk__of_load64(p + 8);
        r->u.aggregate.flow_count = uk_load_be32(p + 16);
        return 0;
    case UK_OFPST_TABLE:
        return array_read(p, len, UK_OFP_TABLE_STATS_LEN, &r->u.entries, err);
    case UK_OFPST_PORT:
        return array_read(p, len, UK_OFP_PORT_STATS_LEN, &r->u.entries, err);
    case UK_OFPST_QUEUE:
        return array_read(p, len, UK_OFP_QUEUE_STATS_LEN, &r->u.entries, err);
    case UK_OFPST_VENDOR:
        if (len < 4)
            return BAD_LEN(err);
        r->u.vendor.vendor = uk_load_be32(p);
        r->u.vendor.data = p + 4;
        r->u.vendor.len = len - 4;
        return 0;
    default:
        return uk__of_fail(err, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_STAT);
    }
}

bool uk_of_flow_stats_next(const struct uk_of_stats_list *l, size_t *pos,
                           struct uk_of_flow_stats *out)
{
    size_t elen;
    if (l->list != NULL) {
        if (*pos >= l->count)
            return false;
        *out = ((const struct uk_of_flow_stats *)l->list)[(*pos)++];
        return true;
    }
    if (l->wire == NULL || *pos + UK_OFP_FLOW_STATS_LEN > l->wire_len)
        return false;
    elen = uk_load_be16(l->wire + *pos);
    if (elen < UK_OFP_FLOW_STATS_LEN || elen > l->wire_len - *pos)
        return false; /* only for lists that were never validated */
    flow_stats_read(l->wire + *pos, elen, out);
    {
        /* count the actions for the caller's convenience */
        struct uk_of_err e;
        if (uk__of_actions_check(out->actions.wire, out->actions.wire_len,
                                 &out->actions.count, &e) != 0)
            return false;
    }
    *pos += elen;
    return true;
}

void uk_of_table_stats_get(const struct uk_of_stats_list *l, size_t i,
                           struct uk_of_table_stats *out)
{
    const uint8_t *p;
    if (l->list != NULL) {
        *out = ((const struct uk_of_table_stats *)l->list)[i];
        return;
    }
    p = l->wire + i * UK_OFP_TABLE_STATS_LEN;
    out->table_id = p[0];
    uk__of_rstr(out->name, p + 4, UK_OFP_TABLE_NAME_LEN);
    out->wildcards = uk_load_be32(p + 36);
    out->max_entries = uk_load_be32(p + 40);
    out->active_count = uk_load_be32(p + 44);
    out->lookup_count = uk__of_load64(p + 48);
    out->matched_count = uk__of_load64(p + 56);
}

void uk_of_port_stats_get(const struct uk_of_stats_list *l, size_t i,
                          struct uk_of_port_stats *out)
{
    const uint8_t *p;
    uint64_t *f[12];
    int k;
    if (l->list != NULL) {
        *out = ((const struct uk_of_port_stats *)l->list)[i];
        return;
    }
    p = l->wire + i * UK_OFP_PORT_STATS_LEN;
    out->port_no = uk_load_be16(p);
    f[0] = &out->rx_packets, f[1] = &out->tx_packets, f[2] = &out->rx_bytes;
    f[3] = &out->tx_bytes, f[4] = &out->rx_dropped, f[5] = &out->tx_dropped;
    f[6] = &out->rx_errors, f[7] = &out->tx_errors;
    f[8] = &out->rx_frame_err, f[9] = &out->rx_over_err;
    f[10] = &out->rx_crc_err, f[11] = &out->collisions;
    for (k = 0; k < 12; k++)
        *f[k] = uk__of_load64(p + 8 + 8 * k);
}

void uk_of_queue_stats_get(const struct uk_of_stats_list *l, size_t i,
                           struct uk_of_queue_stats *out)
{
    const uint8_t *p;
    if (l->list != NULL) {
        *out = ((const struct uk_of_queue_stats *)l->list)[i];
        return;
    }
    p = l->wire + i * UK_OFP_QUEUE_STATS_LEN;
    out->port_no = uk_load_be16(p);
    out->queue_id = uk_load_be32(p + 4);
    out->tx_bytes = uk__of_load64(p + 8);
    out->tx_packets = uk__of_load64(p + 16);
    out->tx_errors = uk__of_load64(p + 24);
}
