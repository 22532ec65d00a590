/*
 * read.c - uk_kvstore's reads: at the head through the index (one device
 * read), and history (read_at, parent) by walking the chain of records
 * back from the head or from where a commit was last seen.
 */
#include <string.h>

#include "store.h"

enum { WALK_FIND, WALK_SEARCH };

static int take_request(struct uk_kvstore *s, struct uk_kv_rw_req *req,
                        const char *key, uint64_t offset, void *buf,
                        size_t len)
{
    int rc = uk_kv_key_check(key);
    if (rc == 0 && key[0] == '\0')
        rc = UK_EISDIR;
    if (rc != 0)
        return rc;
    if (req->busy)
        return UK_EBUSY;
    UK_UNUSED(s);
    memcpy(req->key, key, strlen(key) + 1);
    req->offset = offset;
    req->buf = buf;
    req->len = len;
    return 0;
}

int kvs_m_read(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
               const char *key, uint64_t offset, void *buf, size_t len,
               uk_kv_rw_cb cb, void *arg)
{
    struct uk_kvstore *s = KVS(self);
    int rc = take_request(s, req, key, offset, buf, len);
    return rc != 0 ? rc : kvs_enqueue(s, req, KVS_REQ_READ, cb, arg);
}

int kvs_m_read_at(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                  const struct uk_kv_commit *at, const char *key,
                  uint64_t offset, void *buf, size_t len, uk_kv_rw_cb cb,
                  void *arg)
{
    struct uk_kvstore *s = KVS(self);
    int rc = take_request(s, req, key, offset, buf, len);
    if (rc != 0)
        return rc;
    req->at = at;
    return kvs_enqueue(s, req, KVS_REQ_READ_AT, cb, arg);
}

int kvs_m_parent(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                 struct uk_kv_commit *c, uk_kv_rw_cb cb, void *arg)
{
    struct uk_kvstore *s = KVS(self);
    if (req->busy)
        return UK_EBUSY;
    req->commit = c;
    return kvs_enqueue(s, req, KVS_REQ_PARENT, cb, arg);
}

/* Copies the requested range of a value held in memory at val. */
static void copy_out(struct uk_kvstore *s, const uint8_t *val, uint32_t len)
{
    struct uk_kv_rw_req *r = s->cur;
    size_t n = 0;
    if (r->offset < len) {
        n = len - (size_t)r->offset;
        if (n > r->len)
            n = r->len;
        memcpy(r->buf, val + r->offset, n);
    }
    r->got = n;
    kvs_done(s, 0);
}

static void value_read(struct uk_kvstore *s, int status)
{
    struct uk_kv_rw_req *r = s->cur;
    if (status != 0) {
        kvs_done(s, UK_EIO);
        return;
    }
    memcpy(r->buf, s->rbuf + s->io_skip, s->io_len);
    r->got = s->io_len;
    kvs_done(s, 0);
}

void kvs_start_read(struct uk_kvstore *s)
{
    struct uk_kv_rw_req *r = s->cur;
    struct uk__kvs_ent *e = kvs_index_get(&s->ix, r->key, strlen(r->key));
    uint32_t ss = s->info.sector_size;
    uint64_t start;
    size_t n;
    if (e == NULL) {
        kvs_done(s, UK_ENOENT);
        return;
    }
    if (r->offset >= e->len || r->len == 0) {
        r->got = 0;
        kvs_done(s, 0);
        return;
    }
    n = e->len - (size_t)r->offset;
    if (n > r->len)
        n = r->len;
    start = e->loc + r->offset;
    s->io_skip = (size_t)(start % ss);
    s->io_len = n;
    kvs_io(s, false, start / ss, s->rbuf,
           (size_t)((start % ss + n + ss - 1) / ss), value_read);
}

/* Where to start looking for commit id: where the caller last saw it, if
 * that was in the live zone, else the newest record. */
static uint64_t start_pos(const struct uk_kvstore *s,
                          const struct uk_kv_commit *c)
{
    if (c->where[0] == s->gen && c->where[1] <= s->last_pos)
        return c->where[1];
    return s->last_pos;
}

/* Whether the loaded record h is the one standing for commit walk_seq. */
static bool is_target(const struct uk_kvstore *s, const struct kvs_hdr *h)
{
    return h->seq == s->walk_seq &&
           (h->kind == KVS_KIND_COMMIT || (h->flags & KVS_FLAG_LAST));
}

/* One step of read_at: find the commit's record, then search it and
 * every record before it for the last operation on the key. */
static void at_step(struct uk_kvstore *s, int status)
{
    struct uk_kv_rw_req *r = s->cur;
    struct kvs_hdr h;
    struct kvs_op op, found;
    const uint8_t *ops;
    size_t off = 0, klen = strlen(r->key);
    bool hit = false;
    if (status != 0) {
        kvs_done(s, UK_EIO);
        return;
    }
    kvs_loaded(s, &h);
    if (s->phase == WALK_FIND) {
        if (is_target(s, &h))
            s->phase = WALK_SEARCH;
        else if (h.seq < s->walk_seq || h.prev_pos == KVS_NONE) {
            kvs_done(s, UK_ENOENT); /* no longer kept */
            return;
        }
    }
    if (s->phase == WALK_SEARCH) {
        ops = s->rbuf + KVS_HDR_LEN + h.msg_len;
        while (kvs_op_next(ops, h.body_len - h.msg_len, &off, &op) == 1) {
            if (op.key_len == klen && memcmp(op.key, r->key, klen) == 0) {
                found = op;
                hit = true;
            }
        }
        if (hit) {
            if (found.kind == UK_KV_OP_DEL)
                kvs_done(s, UK_ENOENT);
            else
                copy_out(s, found.val, found.val_len);
            return;
        }
        if (h.prev_pos == KVS_NONE) {
            kvs_done(s, UK_ENOENT); /* searched back to the snapshot's start */
            return;
        }
    }
    kvs_load(s, h.prev_pos, at_step);
}

void kvs_start_read_at(struct uk_kvstore *s)
{
    const struct uk_kv_commit *at = s->cur->at;
    if (at->id == s->head.id) {
        kvs_start_read(s);
        return;
    }
    if (at->id > s->head.id) {
        kvs_done(s, UK_ENOENT);
        return;
    }
    s->walk_seq = at->id;
    s->phase = WALK_FIND;
    kvs_load(s, start_pos(s, at), at_step);
}

static void parent_step(struct uk_kvstore *s, int status)
{
    struct kvs_hdr h;
    if (status != 0) {
        kvs_done(s, UK_EIO);
        return;
    }
    kvs_loaded(s, &h);
    if (is_target(s, &h)) {
        kvs_commit_from(s, s->rbuf, s->pos, s->cur->commit);
        kvs_done(s, 0);
    } else if (h.seq < s->walk_seq || h.prev_pos == KVS_NONE)
        kvs_done(s, UK_ENOENT);
    else
        kvs_load(s, h.prev_pos, parent_step);
}

void kvs_start_parent(struct uk_kvstore *s)
{
    struct uk_kv_commit *c = s->cur->commit;
    if (c->id == c->parent || c->id > s->head.id) {
        kvs_done(s, UK_ENOENT);
        return;
    }
    s->walk_seq = c->parent;
    kvs_load(s, start_pos(s, c), parent_step);
}
