/*
 * uk/kvstore.h - a crash-safe key/value store over any BLOCK device: the
 * implementation of KV_RW (uk/kv_rw.h) in lib/store.  Portable.
 *
 * The device holds a superblock pair and two zones (lib/store/format.h
 * describes every byte); one zone is live and written append-only, one
 * checksummed record per commit, and each write of a commit is followed by
 * a flush before the commit is reported, so power loss at any write leaves
 * the last reported commit (and at most the one in flight, whole).  When
 * the live zone is full, or on compact(), the live data is copied into the
 * other zone as a snapshot and a new superblock names it.
 *
 * History: every commit since the last compaction can be listed (parent)
 * and read (read_at); the snapshot stands for the head at compaction time
 * (its id), and commits before it report UK_ENOENT.  History is thus
 * bounded by the zone size: a larger device keeps more.
 *
 * Memory: everything the store uses is one caller-owned block of
 * uk_kvstore_mem_size(cfg, sector_size) bytes (from a struct uk_mem budget
 * or static storage), fixed at open: two record buffers and the index of
 * live keys (cfg.max_keys keys of cfg.key_bytes bytes of key text in all;
 * a commit that would exceed them fails with UK_ELIMIT).  Values stay on
 * the device; reads fetch them.
 *
 * Requests are served one at a time, in order.  Cost: a commit is one
 * write + one flush; a read is one device read; read_at and parent walk the
 * records back from the head (or from the commit given); opening reads
 * every record of the live zone.
 */
#ifndef UK_KVSTORE_H
#define UK_KVSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/block.h>
#include <uk/kv_rw.h>
#include <uk/time.h>

struct uk_kvstore_config {
    size_t max_keys;     /* live keys the index holds */
    size_t key_bytes;    /* bytes of key text the index holds */
    uint32_t record_max; /* largest record (a commit, with its 64-byte
                          * header and message), a multiple of the sector
                          * size; a value is at most this minus its key,
                          * the commit message and 72 bytes */
    bool create;         /* format a device that holds no store */
};

/* Sensible defaults: 1024 keys, 64 KiB of key text, 64 KiB records,
 * create on. */
void uk_kvstore_config_default(struct uk_kvstore_config *cfg);

/* Bytes of memory a store with cfg needs on a device of sector_size. */
size_t uk_kvstore_mem_size(const struct uk_kvstore_config *cfg,
                           uint32_t sector_size);

/* The index of live keys (lib/store/index.h; fields private). */
struct uk__kvs_ent {
    uint64_t loc;  /* device byte offset of the value */
    uint64_t seq;  /* commit that last wrote it */
    int64_t mtime; /* that commit's time */
    uint32_t len;  /* value bytes */
    uint32_t key_off;
    uint32_t key_len;
};

struct uk__kvs_index {
    struct uk__kvs_ent *ents; /* cap entries */
    size_t n, cap;
    char *keys; /* key_cap bytes */
    size_t key_used, key_cap;
};

/* The store's state: caller-owned storage, fields private. */
struct uk_kvstore {
    struct uk_kv_rw kv; /* the interface: pass &s->kv */
    struct uk_block *blk;
    struct uk_time *time;
    struct uk_block_info info;
    struct uk_kvstore_config cfg;
    bool has_flush;
    int failed; /* sticky UK_EIO after a failed write */
    uint8_t *wbuf, *rbuf;
    struct uk__kvs_index ix;
    /* geometry and position */
    uint64_t zone_sectors, gen;
    unsigned zone;
    uint64_t tail, last_pos, snap_pos;
    uint32_t last_crc, last_len;
    struct uk_kv_commit head;
    /* requests */
    struct uk_kv_rw_req *q_first, *q_last, *cur;
    struct uk_block_req breq;
    void (*next)(struct uk_kvstore *s, int status);
    void (*io_next)(struct uk_kvstore *s, int status);
    void (*op_next)(struct uk_kvstore *s, int status);
    struct uk_timer timer, io_timer;
    uk_kv_rw_cb open_cb;
    void *open_arg;
    bool opening, closing;
    uk_done_cb close_cb;
    void *close_arg;
    /* the current operation's cursor */
    uint64_t pos, walk_seq;
    size_t io_skip, io_len;
    int phase;
    struct {
        void (*next)(struct uk_kvstore *s, int status);
        uint64_t pos, prev_pos, gen;
        uint32_t prev_crc, len, nops;
        size_t ent, first;
        unsigned zone;
    } cp; /* compaction */
    char id[32];
};

/*
 * Opens (or, with cfg->create, formats) the store on blk, using mem[0..len)
 * (BORROWED until disconnect's callback; len >= uk_kvstore_mem_size).  blk
 * and time are BORROWED likewise.  cb(arg, status) runs on a later turn:
 * 0, then the store is ready; UK_ENOENT (no store and not create),
 * UK_EPROTO (a superblock or snapshot is corrupt, or was written with a
 * different sector size or larger records), UK_ELIMIT (the live keys
 * exceed cfg's index), UK_EIO.  Returns 0, UK_EINVAL (cfg unusable, or the
 * device too small: at least 2 sectors and 2 zones of 2 records), UK_ENOMEM
 * (len too small).
 */
int uk_kvstore_open(struct uk_kvstore *s, struct uk_block *blk,
                    struct uk_time *time, const struct uk_kvstore_config *cfg,
                    void *mem, size_t len, uk_kv_rw_cb cb, void *arg);

#endif
