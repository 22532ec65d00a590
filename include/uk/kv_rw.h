/*
 * uk/kv_rw.h - KV_RW: a read-write key/value store with atomic multi-key
 * commits and a history of commits (a small Irmin: each commit records its
 * parent).  Includes DEVICE.
 *
 * Keys, directories, stat and list follow uk/kv_ro.h exactly (same key
 * rule, uk_kv_key_check; same struct uk_kv_stat and uk_kv_entry; "a/b"
 * makes "a" a directory), so code that browses a KV_RO store browses this
 * one the same way.  Unlike KV_RO, reads and commits are asynchronous: a
 * store lives on a BLOCK device, whose requests complete on a later turn.
 *
 * Commits.  Changes are collected in a transaction (struct uk_kv_txn,
 * below) and committed at once: after a crash the store holds either all
 * of a commit or none of it, and a commit whose callback reported 0 is
 * durable.  Commits are numbered 1, 2, ...; commit 0 is the empty store.
 * Each commit records its parent (the head when it was made), a time and a
 * message.  How far back history reaches is the store's policy (see the
 * implementation); older commits report UK_ENOENT.
 *
 * Requests.  Asynchronous methods take a caller-owned struct uk_kv_rw_req
 * that must stay alive until its callback runs; one request per record at a
 * time.  Requests are served in the order they are made, so a read made
 * after a commit sees it.  A method returning an error never runs its
 * callback; the callback never runs inside the call.
 *
 *   int stat(self, const char *key, struct uk_kv_stat *out)   required
 *       As uk_kv_ro_stat, at the head (synchronous: from the store's
 *       in-memory index).  mtime_s is the time of the commit that last
 *       wrote key; the digest changes whenever the value does.
 *       Returns 0, UK_ENOENT, UK_EINVAL, UK_ENAMETOOLONG, UK_EIO (the
 *       store failed, see below).
 *
 *   int list(self, const char *dir, size_t index, struct uk_kv_entry *out)
 *                                                             required
 *       As uk_kv_ro_list, at the head (synchronous).
 *
 *   int read(self, struct uk_kv_rw_req *req, const char *key,
 *            uint64_t offset, void *buf, size_t len, uk_kv_rw_cb cb,
 *            void *arg)                                       required
 *       Copies up to len bytes of key's value from offset into buf
 *       (BORROWED until cb runs); req->got is the count (less than len only
 *       at the end of the value).  key is BORROWED for the call only.
 *       status: 0, UK_ENOENT (absent when the request is served), UK_EIO.
 *       Returns 0, UK_EINVAL, UK_ENAMETOOLONG, UK_EISDIR (key ""),
 *       UK_EBUSY (req in use).
 *
 *   int commit(self, struct uk_kv_rw_req *req, const struct uk_kv_txn *txn,
 *              struct uk_kv_commit *out, uk_kv_rw_cb cb, void *arg)
 *                                                             required
 *       Applies txn's operations, in order, as one commit whose parent is
 *       the head when the request is served.  txn and its bytes, and out
 *       (may be NULL; receives the new commit), are BORROWED until cb.  status: 0 (durable),
 *       UK_ENOSPC (the device is full of live data), UK_ELIMIT (the index
 *       is full), UK_EIO.  Returns 0, UK_EBUSY, UK_EROFS, UK_EMSGSIZE (txn
 *       larger than the store's largest commit), txn->error (a put/del
 *       that failed while building: UK_EINVAL, UK_ENOSPC).
 *
 *   void head(self, struct uk_kv_commit *out)                 required
 *       The last commit (synchronous).
 *
 *   int parent(self, struct uk_kv_rw_req *req, struct uk_kv_commit *c,
 *              uk_kv_rw_cb cb, void *arg)                     required
 *       Replaces *c (BORROWED until cb; a commit from head, commit or
 *       parent) with its parent.  Walking from head to the root lists the
 *       history.  status: 0, UK_ENOENT (no parent, or no longer kept),
 *       UK_EIO.  Returns 0, UK_EBUSY.
 *
 *   int read_at(self, struct uk_kv_rw_req *req, const struct uk_kv_commit
 *               *at, const char *key, uint64_t offset, void *buf,
 *               size_t len, uk_kv_rw_cb cb, void *arg)        required
 *       As read, as the store was right after commit *at (BORROWED until
 *       cb).  status also UK_ENOENT when the commit is no longer kept.
 *
 *   int compact(self, struct uk_kv_rw_req *req, uk_kv_rw_cb cb, void *arg)
 *                                                             optional
 *       Reclaims the space of overwritten data and old history now rather
 *       than when the store runs out of room.  status: 0, UK_ENOSPC,
 *       UK_EIO.  Returns 0, UK_EBUSY, UK_EROFS; UK_ENOTSUP (not needed).
 *
 * A store whose device fails a write can no longer tell what is on it:
 * from then on every method reports UK_EIO; opening it again recovers the
 * last durable commit.
 */
#ifndef UK_KV_RW_H
#define UK_KV_RW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/device.h>
#include <uk/kv_ro.h>
#include <uk/time.h>

#define UK_KV_MSG_MAX 63 /* longest commit message */

/* A commit.  id, parent, time_s and msg are the caller's to read; `where`
 * is the store's (where the commit lives, to find it again fast). */
struct uk_kv_commit {
    uint64_t id;
    uint64_t parent; /* == id for commit 0, which has none */
    int64_t time_s;  /* as given by the committer */
    char msg[UK_KV_MSG_MAX + 1];
    uint32_t checksum; /* of the commit's record, for display */
    uint64_t where[2];
};

typedef void (*uk_kv_rw_cb)(void *arg, int status);

/* A request record; its fields belong to the store while busy, except the
 * results (status, got), which are the caller's once cb runs. */
struct uk_kv_txn;
struct uk_kv_rw_req {
    struct uk_kv_rw_req *next;
    struct uk_timer timer;
    uk_kv_rw_cb cb;
    void *arg;
    int status;
    size_t got;
    bool busy;
    int kind;
    char key[UK_KV_KEY_MAX + 1];
    void *buf;
    uint64_t offset;
    size_t len;
    const struct uk_kv_txn *txn;
    struct uk_kv_commit *commit;  /* commit's out, parent's c */
    const struct uk_kv_commit *at; /* read_at's commit */
};

/*
 * A transaction: operations encoded into caller-owned bytes.  The encoding
 * is part of the interface (stores check it again on commit):
 *   op  := kind:u8 (1 put, 2 delete) 0:u8 key_len:u16le val_len:u32le
 *          key[key_len] value[val_len]      (val_len 0 for a delete)
 * Build with uk_kv_txn_init, then uk_kv_txn_put / uk_kv_txn_del; the first
 * failure is kept in `error` and makes the rest no-ops, so a caller may
 * check once, at commit.
 */
struct uk_kv_txn {
    uint8_t *buf; /* BORROWED for the txn's lifetime */
    size_t cap, len;
    uint32_t nops;
    int error;
    int64_t time_s;
    char msg[UK_KV_MSG_MAX + 1];
};

#define UK_KV_OP_PUT 1
#define UK_KV_OP_DEL 2
#define UK_KV_OP_HDR 8

/* Starts an empty transaction over buf[0..cap). */
static inline void uk_kv_txn_init(struct uk_kv_txn *t, void *buf, size_t cap)
{
    t->buf = (uint8_t *)buf;
    t->cap = cap;
    t->len = 0;
    t->nops = 0;
    t->error = 0;
    t->time_s = 0;
    t->msg[0] = '\0';
}

/* Sets the commit's time and message (msg BORROWED, cut at
 * UK_KV_MSG_MAX bytes). */
static inline void uk_kv_txn_info(struct uk_kv_txn *t, int64_t time_s,
                                  const char *msg)
{
    size_t n = 0;
    while (n < UK_KV_MSG_MAX && msg[n] != '\0')
        n++;
    t->time_s = time_s;
    memcpy(t->msg, msg, n);
    t->msg[n] = '\0';
}

static inline int uk__kv_txn_op(struct uk_kv_txn *t, int kind,
                                const char *key, const void *val, size_t len)
{
    size_t klen;
    uint8_t *p;
    int rc;
    if (t->error != 0)
        return t->error;
    rc = uk_kv_key_check(key);
    if (rc == 0 && key[0] == '\0')
        rc = UK_EINVAL;
    klen = rc == 0 ? strlen(key) : 0;
    if (rc == 0 && (len > UINT32_MAX ||
                    t->cap - t->len < UK_KV_OP_HDR ||
                    t->cap - t->len - UK_KV_OP_HDR < klen ||
                    t->cap - t->len - UK_KV_OP_HDR - klen < len))
        rc = UK_ENOSPC;
    if (rc != 0)
        return t->error = rc;
    p = t->buf + t->len;
    p[0] = (uint8_t)kind;
    p[1] = 0;
    p[2] = (uint8_t)klen;
    p[3] = (uint8_t)(klen >> 8);
    p[4] = (uint8_t)len;
    p[5] = (uint8_t)(len >> 8);
    p[6] = (uint8_t)(len >> 16);
    p[7] = (uint8_t)((uint32_t)len >> 24);
    memcpy(p + UK_KV_OP_HDR, key, klen);
    if (len > 0)
        memcpy(p + UK_KV_OP_HDR + klen, val, len);
    t->len += UK_KV_OP_HDR + klen + len;
    t->nops++;
    return 0;
}

/* Adds "key := val[0..len)" (both BORROWED for the call).  Returns 0,
 * UK_EINVAL / UK_ENAMETOOLONG (bad key; "" is not a key), UK_ENOSPC (buf
 * is full), or an earlier error. */
static inline int uk_kv_txn_put(struct uk_kv_txn *t, const char *key,
                                const void *val, size_t len)
{
    return uk__kv_txn_op(t, UK_KV_OP_PUT, key, val, len);
}

/* Adds "remove key" (deleting an absent key is not an error).  Returns as
 * uk_kv_txn_put. */
static inline int uk_kv_txn_del(struct uk_kv_txn *t, const char *key)
{
    return uk__kv_txn_op(t, UK_KV_OP_DEL, key, NULL, 0);
}

#define UK_KV_RW_METHODS(T, M, V, O)                                          \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, stat,                                                           \
      (struct T * self, const char *key, struct uk_kv_stat *out),             \
      (self, key, out))                                                       \
    M(T, int, list,                                                           \
      (struct T * self, const char *dir, size_t index,                        \
       struct uk_kv_entry *out),                                              \
      (self, dir, index, out))                                                \
    M(T, int, read,                                                           \
      (struct T * self, struct uk_kv_rw_req * req, const char *key,           \
       uint64_t offset, void *buf, size_t len, uk_kv_rw_cb cb, void *arg),    \
      (self, req, key, offset, buf, len, cb, arg))                            \
    M(T, int, commit,                                                         \
      (struct T * self, struct uk_kv_rw_req * req,                            \
       const struct uk_kv_txn *txn, struct uk_kv_commit *out,                 \
       uk_kv_rw_cb cb, void *arg),                                            \
      (self, req, txn, out, cb, arg))                                         \
    V(T, head, (struct T * self, struct uk_kv_commit * out), (self, out))     \
    M(T, int, parent,                                                         \
      (struct T * self, struct uk_kv_rw_req * req, struct uk_kv_commit * c,   \
       uk_kv_rw_cb cb, void *arg),                                            \
      (self, req, c, cb, arg))                                                \
    M(T, int, read_at,                                                        \
      (struct T * self, struct uk_kv_rw_req * req,                            \
       const struct uk_kv_commit *at, const char *key, uint64_t offset,       \
       void *buf, size_t len, uk_kv_rw_cb cb, void *arg),                     \
      (self, req, at, key, offset, buf, len, cb, arg))                        \
    O(T, int, compact,                                                        \
      (struct T * self, struct uk_kv_rw_req * req, uk_kv_rw_cb cb,            \
       void *arg),                                                            \
      (self, req, cb, arg), UK_ENOTSUP)

UK_INTERFACE(uk_kv_rw, UK_KV_RW_METHODS);

#endif
