/*
 * uk/heap_mem.h - MEM (uk/mem.h) over one caller-given region: a binary
 * buddy allocator.
 *
 * Free blocks are powers of two from UK_HEAP_MEM_MIN bytes up, each
 * aligned to its own size relative to the region's (aligned) start.  A
 * request of n bytes takes the smallest free block that holds it (so it is
 * aligned to that size, hence for any object) and gives the block's tail
 * beyond n, rounded up to UK_HEAP_MEM_MIN, straight back as smaller free
 * blocks: a 3 KiB request costs 3 KiB, not 4.  Allocation is O(log n) in
 * the region's size (one walk over the block sizes, one split per level);
 * free gives the request back as its O(log n) aligned pieces, each merged
 * with its free buddy at every level it can, so a region given back
 * entirely is the blocks it started as.
 *
 * There is no header in front of a block: free() is told the size (as
 * uk/mem.h requires) and finds the block size from it.  The metadata is a
 * bitmap of one bit per UK_HEAP_MEM_MIN bytes (1/128 of the region), carved
 * from the region's end; the free blocks hold their own list links.  The
 * region may have any address and size; what cannot hold a whole block (an
 * unaligned start, a tail) is not used, and regions beyond 2^32 blocks
 * (64 GiB) use the first 64 GiB.
 *
 * Statistics: `total` is the bytes usable for blocks, `used` the sum of the
 * requests given out, each rounded up to UK_HEAP_MEM_MIN (what the region
 * really lost), `peak` the highest `used`, `failures` the alloc() calls that
 * returned NULL.  A request fails when no free block of its size rounded up
 * to a power of two is left, even if `total - used` is larger.
 *
 * Contract: free() must get a pointer from this heap's alloc() with the
 * same n, once; a pointer outside the region, a size that does not match a
 * block or a second free are caught by assert() where it is enabled.
 */
#ifndef UK_HEAP_MEM_H
#define UK_HEAP_MEM_H

#include <stddef.h>
#include <stdint.h>

#include <uk/mem.h>

/* The smallest block: also the alignment of every block. */
#define UK_HEAP_MEM_MIN 16u

/* Block sizes UK_HEAP_MEM_MIN << 0 .. << (UK_HEAP_MEM_ORDERS - 1). */
#define UK_HEAP_MEM_ORDERS 33

struct uk_heap_mem {
    struct uk_mem mem; /* implements MEM: pass &h->mem */
    uint8_t *base;     /* BORROWED: first block, UK_HEAP_MEM_MIN-aligned */
    uint8_t *free_map; /* bit i: a free block starts at block index i */
    uint32_t blocks;   /* usable size in UK_HEAP_MEM_MIN units */
    unsigned orders;   /* block sizes in use: the largest is order - 1 */
    uint32_t free_head[UK_HEAP_MEM_ORDERS]; /* per size; UINT32_MAX: none */
    struct uk_mem_stats stats;
};

/*
 * Makes h a budget over region[0..size) (BORROWED for h's lifetime: the
 * heap writes its metadata and list links into it; the caller must not
 * touch it otherwise).  UK_EINVAL when the region cannot hold one block
 * besides its metadata.
 */
int uk_heap_mem_init(struct uk_heap_mem *h, void *region, size_t size);

#endif
