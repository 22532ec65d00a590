/*
 * store.c - uk_kvstore: construction, device I/O helpers and the request
 * queue, and the synchronous methods (stat, list, head).  Opening and
 * recovery are in open.c.
 */
#include <string.h>

#include <uk/arena.h>

#include "store.h"

void uk_kvstore_config_default(struct uk_kvstore_config *cfg)
{
    cfg->max_keys = 1024;
    cfg->key_bytes = 64 * 1024;
    cfg->record_max = 64 * 1024;
    cfg->create = true;
}

/* Bytes for each part, with room to align every part. */
size_t uk_kvstore_mem_size(const struct uk_kvstore_config *cfg,
                           uint32_t sector_size)
{
    return 4 * 16 + (size_t)cfg->record_max * 2 + sector_size +
           cfg->max_keys * sizeof(struct uk__kvs_ent) + cfg->key_bytes;
}

uint64_t kvs_zone_bytes(const struct uk_kvstore *s)
{
    return s->zone_sectors * s->info.sector_size;
}

uint64_t kvs_zone_base(const struct uk_kvstore *s, unsigned z)
{
    return (2 + (uint64_t)z * s->zone_sectors) * s->info.sector_size;
}

static void io_complete(void *arg, int status)
{
    struct uk_kvstore *s = arg;
    kvs_step next = s->next;
    s->next = NULL;
    next(s, status);
}

static void io_refused(void *arg)
{
    struct uk_kvstore *s = arg;
    io_complete(s, s->breq.status);
}

/* A request the device refused: report it from a later turn, as a
 * completion would be. */
static void refuse(struct uk_kvstore *s, int rc)
{
    s->breq.status = rc;
    uk_time_defer(s->time, &s->io_timer, io_refused, s);
}

void kvs_io(struct uk_kvstore *s, bool write, uint64_t sector, void *buf,
            size_t nsectors, kvs_step next)
{
    int rc;
    s->next = next;
    rc = write ? uk_block_write(s->blk, &s->breq, sector, buf, nsectors,
                                io_complete, s)
               : uk_block_read(s->blk, &s->breq, sector, buf, nsectors,
                               io_complete, s);
    if (rc != 0)
        refuse(s, rc);
}

void kvs_flush(struct uk_kvstore *s, kvs_step next)
{
    int rc = UK_ENOTSUP;
    s->next = next;
    if (s->has_flush)
        rc = uk_block_flush(s->blk, &s->breq, io_complete, s);
    if (rc == UK_ENOTSUP)
        refuse(s, 0); /* completed writes are durable already */
    else if (rc != 0)
        refuse(s, rc);
}

/* kvs_load's steps: the first sector, then the rest of the record. */
static void load_rest(struct uk_kvstore *s, int status)
{
    struct kvs_hdr h;
    kvs_step next = (kvs_step)0;
    if (status == 0) {
        kvs_loaded(s, &h);
        if (kvs_record_crc(s->rbuf, s->rbuf + KVS_HDR_LEN, h.body_len) !=
            h.crc)
            status = UK_EPROTO;
    }
    next = s->io_next;
    s->io_next = NULL;
    next(s, status);
}

static void load_first(struct uk_kvstore *s, int status)
{
    struct kvs_hdr h;
    uint32_t ss = s->info.sector_size;
    uint64_t size;
    if (status == 0 &&
        kvs_hdr_decode(s->rbuf, ss, s->cfg.record_max, &h) != 0)
        status = UK_EPROTO;
    if (status == 0) {
        size = kvs_record_size(h.body_len, ss);
        if (size > kvs_zone_bytes(s) - s->pos)
            status = UK_EPROTO;
        else if (size > ss) {
            kvs_io(s, false, (kvs_zone_base(s, s->zone) + s->pos) / ss + 1,
                   s->rbuf + ss, (size_t)(size / ss - 1), load_rest);
            return;
        }
    }
    load_rest(s, status);
}

void kvs_load(struct uk_kvstore *s, uint64_t pos, kvs_step next)
{
    uint32_t ss = s->info.sector_size;
    s->pos = pos;
    s->io_next = next;
    if (pos > kvs_zone_bytes(s) - ss) {
        s->next = load_rest;
        refuse(s, UK_EPROTO);
        return;
    }
    kvs_io(s, false, (kvs_zone_base(s, s->zone) + pos) / ss, s->rbuf, 1,
           load_first);
}

void kvs_loaded(const struct uk_kvstore *s, struct kvs_hdr *h)
{
    int rc = kvs_hdr_decode(s->rbuf, KVS_HDR_LEN, s->cfg.record_max, h);
    UK_UNUSED(rc); /* checked by kvs_load */
}

void kvs_commit_from(const struct uk_kvstore *s, const uint8_t *buf,
                     uint64_t pos, struct uk_kv_commit *c)
{
    struct kvs_hdr h;
    int rc = kvs_hdr_decode(buf, KVS_HDR_LEN, s->cfg.record_max, &h);
    UK_UNUSED(rc); /* a record checked or made by the store */
    c->id = h.seq;
    c->parent = h.parent;
    c->time_s = h.time_s;
    memcpy(c->msg, buf + KVS_HDR_LEN, h.msg_len);
    c->msg[h.msg_len] = '\0';
    c->checksum = h.crc;
    c->where[0] = s->gen;
    c->where[1] = pos;
}

int kvs_apply(struct uk_kvstore *s, const uint8_t *buf,
              const struct kvs_hdr *h, uint64_t pos)
{
    const uint8_t *ops = buf + KVS_HDR_LEN + h->msg_len;
    size_t len = h->body_len - h->msg_len, off = 0;
    uint64_t vbase = kvs_zone_base(s, s->zone) + pos + KVS_HDR_LEN +
                     h->msg_len;
    struct kvs_op op;
    struct uk__kvs_ent e;
    int rc;
    while ((rc = kvs_op_next(ops, len, &off, &op)) == 1) {
        if (op.kind == UK_KV_OP_DEL) {
            kvs_index_del(&s->ix, op.key, op.key_len);
            continue;
        }
        e.loc = vbase + op.val_off;
        e.seq = h->seq;
        e.mtime = h->time_s;
        e.len = op.val_len;
        if (kvs_index_put(&s->ix, op.key, op.key_len, &e) != 0)
            return UK_ELIMIT;
    }
    return 0;
}

void kvs_then_flush(struct uk_kvstore *s, int status)
{
    if (status != 0)
        s->op_next(s, status);
    else
        kvs_flush(s, s->op_next);
}

void kvs_seal(struct uk_kvstore *s, uint8_t *buf, struct kvs_hdr *h)
{
    uint64_t size = kvs_record_size(h->body_len, s->info.sector_size);
    h->crc = 0;
    kvs_hdr_encode(buf, h);
    h->crc = kvs_record_crc(buf, buf + KVS_HDR_LEN, h->body_len);
    kvs_hdr_encode(buf, h);
    memset(buf + KVS_HDR_LEN + h->body_len, 0,
           (size_t)(size - KVS_HDR_LEN - h->body_len));
}

/* The request queue. */

static void run(struct uk_kvstore *s);

static void req_complete(void *arg)
{
    struct uk_kv_rw_req *req = arg;
    req->busy = false;
    req->cb(req->arg, req->status);
}

static void closed(void *arg)
{
    struct uk_kvstore *s = arg;
    if (s->close_cb != NULL)
        s->close_cb(s->close_arg);
}

void kvs_done(struct uk_kvstore *s, int status)
{
    struct uk_kv_rw_req *req = s->cur;
    s->cur = NULL;
    req->status = status;
    uk_time_defer(s->time, &req->timer, req_complete, req);
    run(s);
}

void kvs_fail(struct uk_kvstore *s)
{
    s->failed = UK_EIO;
    kvs_done(s, UK_EIO);
}

void kvs_kick(void *arg)
{
    struct uk_kvstore *s = arg;
    struct uk_kv_rw_req *req;
    if (s->cur != NULL)
        return;
    if ((req = s->q_first) == NULL) {
        if (s->closing)
            uk_time_defer(s->time, &s->timer, closed, s);
        return;
    }
    s->q_first = req->next;
    if (s->q_first == NULL)
        s->q_last = NULL;
    s->cur = req;
    if (s->closing || s->failed != 0) {
        kvs_done(s, s->closing ? UK_ECANCELED : s->failed);
        return;
    }
    switch (req->kind) {
    case KVS_REQ_COMMIT:
        kvs_start_commit(s);
        break;
    case KVS_REQ_READ:
        kvs_start_read(s);
        break;
    case KVS_REQ_READ_AT:
        kvs_start_read_at(s);
        break;
    case KVS_REQ_PARENT:
        kvs_start_parent(s);
        break;
    default:
        kvs_compact(s, kvs_done);
        break;
    }
}

/* Starts the next request on a later turn (never inside a method call,
 * and without recursion when requests end at once). */
static void run(struct uk_kvstore *s)
{
    if (s->cur == NULL && !s->opening &&
        (s->q_first != NULL || s->closing))
        uk_time_defer(s->time, &s->timer, kvs_kick, s);
}

int kvs_enqueue(struct uk_kvstore *s, struct uk_kv_rw_req *req, int kind,
                uk_kv_rw_cb cb, void *arg)
{
    if (req->busy)
        return UK_EBUSY;
    if (s->failed != 0)
        return s->failed;
    req->busy = true;
    req->kind = kind;
    req->cb = cb;
    req->arg = arg;
    req->status = 0;
    req->got = 0;
    req->next = NULL;
    if (s->q_last != NULL)
        s->q_last->next = req;
    else
        s->q_first = req;
    s->q_last = req;
    /* Idle: start it now (its callback still runs on a later turn). */
    if (s->cur == NULL && !s->opening && !s->closing &&
        !uk_timer_is_armed(&s->timer))
        kvs_kick(s);
    return 0;
}

/* Synchronous methods. */

static const char *m_id(struct uk_kv_rw *self)
{
    return KVS(self)->id;
}

/* Requests queued but not started complete with UK_ECANCELED; the one
 * running finishes; then cb. */
static void m_disconnect(struct uk_kv_rw *self, uk_done_cb cb, void *arg)
{
    struct uk_kvstore *s = KVS(self);
    s->closing = true;
    s->close_cb = cb;
    s->close_arg = arg;
    if (s->cur == NULL && !uk_timer_is_armed(&s->timer))
        uk_time_defer(s->time, &s->timer, kvs_kick, s);
}

static int m_stat(struct uk_kv_rw *self, const char *key,
                  struct uk_kv_stat *out)
{
    struct uk_kvstore *s = KVS(self);
    int rc = uk_kv_key_check(key);
    if (rc != 0)
        return rc;
    if (s->failed != 0)
        return s->failed;
    return kvs_index_stat(&s->ix, key, out);
}

static int m_list(struct uk_kv_rw *self, const char *dir, size_t index,
                  struct uk_kv_entry *out)
{
    struct uk_kvstore *s = KVS(self);
    int rc = uk_kv_key_check(dir);
    if (rc != 0)
        return rc;
    if (s->failed != 0)
        return s->failed;
    return kvs_index_list(&s->ix, dir, index, out);
}

static void m_head(struct uk_kv_rw *self, struct uk_kv_commit *out)
{
    *out = KVS(self)->head;
}

const struct uk_kv_rw_ops uk__kvstore_ops = {
    .id = m_id,
    .disconnect = m_disconnect,
    .stat = m_stat,
    .list = m_list,
    .read = kvs_m_read,
    .commit = kvs_m_commit,
    .head = m_head,
    .parent = kvs_m_parent,
    .read_at = kvs_m_read_at,
    .compact = kvs_m_compact,
};

/* Carves mem into the store's buffers and index. */
int kvs_setup(struct uk_kvstore *s, void *mem, size_t len)
{
    struct uk_arena a;
    uint32_t ss = s->info.sector_size;
    struct uk__kvs_ent *ents;
    char *keys;
    if (len < uk_kvstore_mem_size(&s->cfg, ss))
        return UK_ENOMEM;
    uk_arena_init(&a, mem, len);
    s->wbuf = uk_arena_alloc(&a, s->cfg.record_max);
    s->rbuf = uk_arena_alloc(&a, (size_t)s->cfg.record_max + ss);
    ents = uk_arena_alloc(&a, s->cfg.max_keys * sizeof *ents + 1);
    keys = uk_arena_alloc(&a, s->cfg.key_bytes + 1);
    if (s->wbuf == NULL || s->rbuf == NULL || ents == NULL || keys == NULL)
        return UK_ENOMEM;
    kvs_index_init(&s->ix, ents, s->cfg.max_keys, keys, s->cfg.key_bytes);
    return 0;
}
