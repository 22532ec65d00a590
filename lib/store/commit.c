/*
 * commit.c - uk_kvstore's commits: one record appended to the live zone
 * with a single write, then a flush, then the index and head move.  Until
 * the flush completes nothing in memory changes, so a failure leaves the
 * store as it was (or, when the write's outcome is unknown, failed).
 */
#include <string.h>

#include "store.h"

int kvs_m_commit(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                 const struct uk_kv_txn *txn, struct uk_kv_commit *out,
                 uk_kv_rw_cb cb, void *arg)
{
    struct uk_kvstore *s = KVS(self);
    size_t msg_len = memchr(txn->msg, '\0', sizeof txn->msg) != NULL
                         ? strlen(txn->msg)
                         : UK_KV_MSG_MAX + 1;
    if (s->info.read_only)
        return UK_EROFS;
    if (txn->error != 0)
        return txn->error;
    if (msg_len > UK_KV_MSG_MAX ||
        kvs_ops_check(txn->buf, txn->len, txn->nops) != 0)
        return UK_EINVAL;
    if (txn->len > s->cfg.record_max - KVS_HDR_LEN - msg_len)
        return UK_EMSGSIZE;
    if (req->busy)
        return UK_EBUSY;
    req->txn = txn;
    req->commit = out;
    return kvs_enqueue(s, req, KVS_REQ_COMMIT, cb, arg);
}

static uint64_t record_size(const struct uk_kvstore *s)
{
    const struct uk_kv_txn *t = s->cur->txn;
    return kvs_record_size((uint32_t)(strlen(t->msg) + t->len),
                           s->info.sector_size);
}

static void written(struct uk_kvstore *s, int status)
{
    struct kvs_hdr h;
    if (status != 0) {
        kvs_fail(s); /* the record may or may not be on the device */
        return;
    }
    (void)kvs_hdr_decode(s->wbuf, KVS_HDR_LEN, s->cfg.record_max, &h);
    if (kvs_apply(s, s->wbuf, &h, s->tail) != 0) {
        kvs_fail(s); /* cannot happen: room was checked */
        return;
    }
    kvs_commit_from(s, s->wbuf, s->tail, &s->head);
    s->last_pos = s->tail;
    s->last_crc = h.crc;
    s->tail += kvs_record_size(h.body_len, s->info.sector_size);
    if (s->cur->commit != NULL)
        *s->cur->commit = s->head;
    kvs_done(s, 0);
}

static void write_record(struct uk_kvstore *s)
{
    const struct uk_kv_txn *t = s->cur->txn;
    uint32_t ss = s->info.sector_size;
    size_t msg_len = strlen(t->msg);
    struct kvs_hdr h;
    memset(&h, 0, sizeof h);
    h.kind = KVS_KIND_COMMIT;
    h.msg_len = (uint16_t)msg_len;
    h.generation = s->gen;
    h.seq = s->head.id + 1;
    h.parent = s->head.id;
    h.prev_pos = s->last_pos;
    h.time_s = t->time_s;
    h.body_len = (uint32_t)(msg_len + t->len);
    h.nops = t->nops;
    h.prev_crc = s->last_crc;
    memcpy(s->wbuf + KVS_HDR_LEN, t->msg, msg_len);
    memcpy(s->wbuf + KVS_HDR_LEN + msg_len, t->buf, t->len);
    kvs_seal(s, s->wbuf, &h);
    s->op_next = written;
    kvs_io(s, true, (kvs_zone_base(s, s->zone) + s->tail) / ss, s->wbuf,
           (size_t)(record_size(s) / ss), kvs_then_flush);
}

static void compacted(struct uk_kvstore *s, int status)
{
    if (status != 0)
        kvs_done(s, status);
    else if (record_size(s) > kvs_zone_bytes(s) - s->tail)
        kvs_done(s, UK_ENOSPC);
    else
        write_record(s);
}

void kvs_start_commit(struct uk_kvstore *s)
{
    const struct uk_kv_txn *t = s->cur->txn;
    size_t off = 0, keys = 0, bytes = 0;
    struct kvs_op op;
    /* Room in the index for every key the commit may add. */
    while (kvs_op_next(t->buf, t->len, &off, &op) == 1) {
        if (op.kind == UK_KV_OP_PUT &&
            kvs_index_get(&s->ix, op.key, op.key_len) == NULL) {
            keys++;
            bytes += op.key_len;
        }
    }
    if (!kvs_index_has_room(&s->ix, keys, bytes)) {
        kvs_done(s, UK_ELIMIT);
        return;
    }
    if (record_size(s) > kvs_zone_bytes(s) - s->tail)
        kvs_compact(s, compacted);
    else
        write_record(s);
}

int kvs_m_compact(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                  uk_kv_rw_cb cb, void *arg)
{
    struct uk_kvstore *s = KVS(self);
    if (s->info.read_only)
        return UK_EROFS;
    return kvs_enqueue(s, req, KVS_REQ_COMPACT, cb, arg);
}
