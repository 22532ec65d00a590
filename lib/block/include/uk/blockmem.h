/*
 * uk/blockmem.h - a BLOCK device in caller-owned memory: for tests (the
 * store's crash test reopens thousands of images) and for images that want
 * a scratch disk.  Portable.
 *
 * Reads and writes are copies done during the call; the callback runs on a
 * later turn (through req->timer, in call order).  Completed writes are
 * "durable" at once (the memory is the medium), so there is no flush.
 * disconnect completes pending requests normally, then runs its callback.
 */
#ifndef UK_BLOCKMEM_H
#define UK_BLOCKMEM_H

#include <stddef.h>
#include <stdint.h>

#include <uk/block.h>
#include <uk/time.h>

struct uk_block_mem {
    struct uk_block blk; /* the interface: pass &m->blk */
    struct uk_time *time;
    uint8_t *data; /* BORROWED: sectors * sector_size bytes */
    struct uk_block_info info;
    uint64_t reads, writes; /* requests accepted, for tests */
    struct uk_timer done;
};

/* A device over data[0..sectors * sector_size) (BORROWED for the device's
 * life; not cleared), completing on time (BORROWED).  sector_size is a
 * power of two >= 512. */
void uk_block_mem_init(struct uk_block_mem *m, struct uk_time *time,
                       void *data, uint32_t sector_size, uint64_t sectors);

#endif
