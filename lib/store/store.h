/*
 * store.h - what the parts of uk_kvstore share (internal to lib/store):
 * store.c (open, the request queue, device I/O), commit.c, read.c
 * (read, read_at, parent) and compact.c.
 *
 * Every operation is a chain of device requests written in continuation
 * style: a step issues one request with kvs_io/kvs_flush/kvs_load and names
 * the next step, which receives the request's status.  One operation runs
 * at a time (s->cur); kvs_done ends it and starts the next.
 */
#ifndef UK_STORE_STORE_H
#define UK_STORE_STORE_H

#include <uk/kvstore.h>

#include "format.h"
#include "index.h"

typedef void (*kvs_step)(struct uk_kvstore *s, int status);

enum {
    KVS_REQ_READ = 1,
    KVS_REQ_READ_AT,
    KVS_REQ_COMMIT,
    KVS_REQ_PARENT,
    KVS_REQ_COMPACT
};

/* Byte size of a zone, and the device byte offset of zone z's start. */
uint64_t kvs_zone_bytes(const struct uk_kvstore *s);
uint64_t kvs_zone_base(const struct uk_kvstore *s, unsigned z);

/* Reads (write false) or writes nsectors sectors at sector into/from buf,
 * then next(s, status).  A request the device refuses reaches next as its
 * error on a later turn. */
void kvs_io(struct uk_kvstore *s, bool write, uint64_t sector, void *buf,
            size_t nsectors, kvs_step next);

/* A barrier (when the device has one), then next(s, status). */
void kvs_flush(struct uk_kvstore *s, kvs_step next);

/* Loads the record at byte pos of the live zone into s->rbuf and checks
 * its header and crc, then next(s, 0 or UK_EPROTO or the I/O error).
 * kvs_loaded then decodes the header again for the caller. */
void kvs_load(struct uk_kvstore *s, uint64_t pos, kvs_step next);
void kvs_loaded(const struct uk_kvstore *s, struct kvs_hdr *h);

/* Fills c from the commit or last snapshot record in buf (at zone pos
 * pos of the live zone). */
void kvs_commit_from(const struct uk_kvstore *s, const uint8_t *buf,
                     uint64_t pos, struct uk_kv_commit *c);

/* After a write: a flush, then s->op_next(s, status); a failed write
 * goes straight to s->op_next. */
void kvs_then_flush(struct uk_kvstore *s, int status);

/* Seals the record in buf whose body is in place: computes h->crc,
 * encodes the header and zeroes the padding up to the sector boundary. */
void kvs_seal(struct uk_kvstore *s, uint8_t *buf, struct kvs_hdr *h);

/* Starts the next queued request (a uk_timer_cb on s). */
void kvs_kick(void *arg);

/* Ends the current request with status and starts the next. */
void kvs_done(struct uk_kvstore *s, int status);

/* Marks the store failed (a write's outcome is unknown) and ends the
 * current request with UK_EIO. */
void kvs_fail(struct uk_kvstore *s);

/* Applies the operations of the record in buf (its header h, at zone pos
 * pos) to the index.  Returns 0 or UK_ELIMIT. */
int kvs_apply(struct uk_kvstore *s, const uint8_t *buf,
              const struct kvs_hdr *h, uint64_t pos);

/* Carves mem into the store's buffers and index (store.c).  Returns 0 or
 * UK_ENOMEM. */
int kvs_setup(struct uk_kvstore *s, void *mem, size_t len);

extern const struct uk_kv_rw_ops uk__kvstore_ops;

/* The request starters. */
void kvs_start_commit(struct uk_kvstore *s);
void kvs_start_read(struct uk_kvstore *s);
void kvs_start_read_at(struct uk_kvstore *s);
void kvs_start_parent(struct uk_kvstore *s);

/* Compaction: copies the live data into the other zone and switches to
 * it, then next(s, 0, UK_ENOSPC or UK_EIO).  On UK_EIO the store has
 * failed. */
void kvs_compact(struct uk_kvstore *s, kvs_step next);

/* The store's methods (interface table in store.c). */
int kvs_m_commit(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                 const struct uk_kv_txn *txn, struct uk_kv_commit *out,
                 uk_kv_rw_cb cb, void *arg);
int kvs_m_read(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
               const char *key, uint64_t offset, void *buf, size_t len,
               uk_kv_rw_cb cb, void *arg);
int kvs_m_read_at(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                  const struct uk_kv_commit *at, const char *key,
                  uint64_t offset, void *buf, size_t len, uk_kv_rw_cb cb,
                  void *arg);
int kvs_m_parent(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                 struct uk_kv_commit *c, uk_kv_rw_cb cb, void *arg);
int kvs_m_compact(struct uk_kv_rw *self, struct uk_kv_rw_req *req,
                  uk_kv_rw_cb cb, void *arg);

/* Queues req as a request of kind (fields already set by the caller).
 * Returns 0, UK_EBUSY, UK_EIO (store failed). */
int kvs_enqueue(struct uk_kvstore *s, struct uk_kv_rw_req *req, int kind,
                uk_kv_rw_cb cb, void *arg);

#define KVS(self) UK_CONTAINER_OF(self, struct uk_kvstore, kv)

#endif
