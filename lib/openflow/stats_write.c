/*
 * stats_write.c - encoding of OpenFlow 1.0 stats request and reply bodies
 * (layouts in stats.c).
 */
#include <string.h>

#include "wire.h"

int uk__of_stats_request_write(struct uk__of_w *w,
                               const struct uk_of_stats_request *r)
{
    switch (r->type) {
    case UK_OFPST_DESC:
    case UK_OFPST_TABLE:
        return 0;
    case UK_OFPST_FLOW:
    case UK_OFPST_AGGREGATE:
        uk__of_match_write(w, &r->u.flow.match);
        uk__of_w8(w, r->u.flow.table_id);
        uk__of_w8(w, 0);
        uk__of_w16(w, r->u.flow.out_port);
        return 0;
    case UK_OFPST_PORT:
        uk__of_w16(w, r->u.port_no);
        uk__of_wzero(w, 6);
        return 0;
    case UK_OFPST_QUEUE:
        uk__of_w16(w, r->u.queue.port_no);
        uk__of_wzero(w, 2);
        uk__of_w32(w, r->u.queue.queue_id);
        return 0;
    case UK_OFPST_VENDOR:
        uk__of_w32(w, r->u.vendor.vendor);
        uk__of_wbytes(w, r->u.vendor.data, r->u.vendor.len);
        return 0;
    default:
        return UK_EINVAL;
    }
}

static int flow_stats_write(struct uk__of_w *w,
                            const struct uk_of_flow_stats *f)
{
    size_t start = w->len, alen;
    int rc;
    uk__of_w16(w, 0); /* length, patched below */
    uk__of_w8(w, f->table_id);
    uk__of_w8(w, 0);
    uk__of_match_write(w, &f->match);
    uk__of_w32(w, f->duration_sec);
    uk__of_w32(w, f->duration_nsec);
    uk__of_w16(w, f->priority);
    uk__of_w16(w, f->idle_timeout);
    uk__of_w16(w, f->hard_timeout);
    uk__of_wzero(w, 6);
    uk__of_w64(w, f->cookie);
    uk__of_w64(w, f->packet_count);
    uk__of_w64(w, f->byte_count);
    rc = uk__of_actions_write(w, &f->actions);
    if (rc != 0)
        return rc;
    alen = w->len - start;
    if (alen > 0xffff)
        return UK_EMSGSIZE;
    if (w->len <= w->cap)
        uk_store_be16(w->buf + start, (uint16_t)alen);
    return 0;
}

static void table_stats_write(struct uk__of_w *w,
                              const struct uk_of_table_stats *t)
{
    uk__of_w8(w, t->table_id);
    uk__of_wzero(w, 3);
    uk__of_wstr(w, t->name, UK_OFP_TABLE_NAME_LEN);
    uk__of_w32(w, t->wildcards);
    uk__of_w32(w, t->max_entries);
    uk__of_w32(w, t->active_count);
    uk__of_w64(w, t->lookup_count);
    uk__of_w64(w, t->matched_count);
}

static void port_stats_write(struct uk__of_w *w,
                             const struct uk_of_port_stats *s)
{
    const uint64_t v[12] = {s->rx_packets,   s->tx_packets,  s->rx_bytes,
                            s->tx_bytes,     s->rx_dropped,  s->tx_dropped,
                            s->rx_errors,    s->tx_errors,   s->rx_frame_err,
                            s->rx_over_err,  s->rx_crc_err,  s->collisions};
    int k;
    uk__of_w16(w, s->port_no);
    uk__of_wzero(w, 6);
    for (k = 0; k < 12; k++)
        uk__of_w64(w, v[k]);
}

static void queue_stats_write(struct uk__of_w *w,
                              const struct uk_of_queue_stats *q)
{
    uk__of_w16(w, q->port_no);
    uk__of_wzero(w, 2);
    uk__of_w32(w, q->queue_id);
    uk__of_w64(w, q->tx_bytes);
    uk__of_w64(w, q->tx_packets);
    uk__of_w64(w, q->tx_errors);
}

/* Entries of a TABLE, PORT, QUEUE or FLOW reply. */
static int entries_write(struct uk__of_w *w, uint16_t type,
                         const struct uk_of_stats_list *l)
{
    size_t i;
    if (l->list == NULL) {
        uk__of_wbytes(w, l->wire, l->wire != NULL ? l->wire_len : 0);
        return 0;
    }
    for (i = 0; i < l->count; i++) {
        if (type == UK_OFPST_TABLE)
            table_stats_write(
                w, &((const struct uk_of_table_stats *)l->list)[i]);
        else if (type == UK_OFPST_PORT)
            port_stats_write(w,
                             &((const struct uk_of_port_stats *)l->list)[i]);
        else if (type == UK_OFPST_QUEUE)
            queue_stats_write(
                w, &((const struct uk_of_queue_stats *)l->list)[i]);
        else {
            int rc = flow_stats_write(
                w, &((const struct uk_of_flow_stats *)l->list)[i]);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

int uk__of_stats_reply_write(struct uk__of_w *w,
                             const struct uk_of_stats_reply *r)
{
    const struct uk_of_desc_stats *d = &r->u.desc;
    switch (r->type) {
    case UK_OFPST_DESC:
        uk__of_wstr(w, d->mfr_desc, UK_OFP_DESC_LEN);
        uk__of_wstr(w, d->hw_desc, UK_OFP_DESC_LEN);
        uk__of_wstr(w, d->sw_desc, UK_OFP_DESC_LEN);
        uk__of_wstr(w, d->serial_num, UK_OFP_SERIAL_LEN);
        uk__of_wstr(w, d->dp_desc, UK_OFP_DESC_LEN);
        return 0;
    case UK_OFPST_AGGREGATE:
        uk__of_w64(w, r->u.aggregate.packet_count);
        uk__of_w64(w, r->u.aggregate.byte_count);
        uk__of_w32(w, r->u.aggregate.flow_count);
        uk__of_wzero(w, 4);
        return 0;
    case UK_OFPST_FLOW:
    case UK_OFPST_TABLE:
    case UK_OFPST_PORT:
    case UK_OFPST_QUEUE:
        return entries_write(w, r->type, &r->u.entries);
    case UK_OFPST_VENDOR:
        uk__of_w32(w, r->u.vendor.vendor);
        uk__of_wbytes(w, r->u.vendor.data, r->u.vendor.len);
        return 0;
    default:
        return UK_EINVAL;
    }
}
