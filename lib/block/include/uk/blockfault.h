/*
 * uk/blockfault.h - a BLOCK device that wraps another and simulates a disk
 * with a volatile write cache, and power loss.  For crash tests (SQLite's
 * fault-injecting VFS shims play this role there).  Portable.
 *
 * Writes are copied into a cache (caller-owned memory) and complete at
 * once; they reach the lower device, in order, only when a flush (or a
 * full cache) writes the cache back; flush then flushes the lower device.
 * Reads see the cache over the lower device.
 *
 * Power loss: when the cut_after'th write request arrives (counting from
 * 1), power fails.  Of the writes still in the cache (including that
 * one, if it fits in the cache; otherwise it is lost), each sector independently reaches the lower device or not, chosen
 * by a generator seeded with `seed`, and in a shuffled order: unflushed
 * writes are torn, reordered and dropped.  The write that tripped the cut
 * and every request after it complete with UK_EIO; `dead` becomes true,
 * and `settled` once the surviving sectors are on the lower device (the
 * test then opens the lower device afresh, as after a reboot).
 *
 * Requests are served one at a time in call order (at most
 * UK_BLOCK_FAULT_QUEUE outstanding: beyond that calls return UK_EAGAIN);
 * the lower device is borrowed and used with one request at a time.
 */
#ifndef UK_BLOCKFAULT_H
#define UK_BLOCKFAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/block.h>
#include <uk/time.h>

#define UK_BLOCK_FAULT_QUEUE 16
#define UK_BLOCK_FAULT_ENTRIES 256

struct uk_block_fault_config {
    uint64_t cut_after; /* write request at which power fails; 0 never */
    uint64_t seed;      /* chooses what survives the cut */
};

struct uk__block_fault_op {
    struct uk_block_req *req;
    int kind;
    uint64_t sector;
    void *buf; /* BORROWED from the caller until its callback */
    size_t nsectors;
};

struct uk_block_fault {
    struct uk_block blk; /* the interface: pass &f->blk */
    struct uk_block *lower;
    struct uk_time *time;
    struct uk_block_info info;
    uint64_t cut_after, rng;
    uint64_t writes, flushes; /* requests seen, for tests */
    bool dead, settled;
    /* the cache: entries in write order, data in cache[] */
    uint8_t *cache;
    size_t cache_len, cache_used, nent;
    struct {
        uint64_t sector;
        size_t nsectors, off;
    } ent[UK_BLOCK_FAULT_ENTRIES];
    /* requests */
    struct uk__block_fault_op q[UK_BLOCK_FAULT_QUEUE];
    size_t q_head, q_count;
    bool running;
    struct uk_block_req lreq;
    void (*lnext)(struct uk_block_fault *f, int status);
    void (*then)(struct uk_block_fault *f, int status);
    size_t wb_next, wb_sector; /* write-back / cut cursor */
    size_t order[UK_BLOCK_FAULT_ENTRIES];
    struct uk_timer kick, done;
};

/*
 * Wraps lower (BORROWED) with a cache of cache[0..cache_len) (BORROWED;
 * at least one sector), completing on time.  The device reports lower's
 * geometry and always has flush.
 */
void uk_block_fault_init(struct uk_block_fault *f, struct uk_block *lower,
                         struct uk_time *time,
                         const struct uk_block_fault_config *cfg,
                         void *cache, size_t cache_len);

#endif
