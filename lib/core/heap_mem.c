/*
 * heap_mem.c - the buddy allocator behind uk/heap_mem.h.
 *
 * Blocks are named by their index in UK_HEAP_MEM_MIN units from h->base;
 * a block of order k has an index that is a multiple of 2^k, and its buddy
 * is the index with bit k flipped.  A free block holds a list node (next,
 * previous, order) in its first bytes and has its bit set in free_map, so
 * free() learns whether the buddy is free, and of which size, without any
 * header on allocated blocks.
 */
#include <assert.h>
#include <string.h>

#include <uk/err.h>
#include <uk/heap_mem.h>

#define NIL UINT32_MAX

/* Under AddressSanitizer, the bytes of a block beyond what was asked for
 * and free blocks (but for their list node) are poisoned, so overruns and
 * uses after free inside the budget are caught like heap ones. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define POISON(p, n) __asan_poison_memory_region((p), (n))
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct node {
    uint32_t next, prev;
    uint32_t order;
};

/* Free blocks are reached through memcpy: the region is the caller's
 * memory, of whatever declared type. */
static struct node node_get(const struct uk_heap_mem *h, uint32_t i)
{
    struct node n;
    memcpy(&n, h->base + (size_t)i * UK_HEAP_MEM_MIN, sizeof n);
    return n;
}

static void node_put(struct uk_heap_mem *h, uint32_t i, const struct node *n)
{
    memcpy(h->base + (size_t)i * UK_HEAP_MEM_MIN, n, sizeof *n);
}

static int map_test(const struct uk_heap_mem *h, uint32_t i)
{
    return (h->free_map[i / 8] >> (i % 8)) & 1;
}

static void map_set(struct uk_heap_mem *h, uint32_t i, int on)
{
    uint8_t bit = (uint8_t)(1u << (i % 8));
    if (on)
        h->free_map[i / 8] |= bit;
    else
        h->free_map[i / 8] &= (uint8_t)~bit;
}

static void link_next_prev(struct uk_heap_mem *h, uint32_t i, uint32_t next,
                           int set_next)
{
    struct node n = node_get(h, i);
    if (set_next)
        n.next = next;
    else
        n.prev = next;
    node_put(h, i, &n);
}

/* Makes block i of order k free: onto its list, its bit set. */
static void push(struct uk_heap_mem *h, uint32_t i, unsigned k)
{
    struct node n;
    n.next = h->free_head[k];
    n.prev = NIL;
    n.order = k;
    UNPOISON(h->base + (size_t)i * UK_HEAP_MEM_MIN, sizeof n);
    node_put(h, i, &n);
    POISON(h->base + (size_t)i * UK_HEAP_MEM_MIN + UK_HEAP_MEM_MIN,
           ((size_t)UK_HEAP_MEM_MIN << k) - UK_HEAP_MEM_MIN);
    if (n.next != NIL)
        link_next_prev(h, n.next, i, 0);
    h->free_head[k] = i;
    map_set(h, i, 1);
}

/* Takes free block i (of order k) off its list and clears its bit. */
static void unlink_block(struct uk_heap_mem *h, uint32_t i, unsigned k)
{
    struct node n = node_get(h, i);
    if (n.prev != NIL)
        link_next_prev(h, n.prev, n.next, 1);
    else
        h->free_head[k] = n.next;
    if (n.next != NIL)
        link_next_prev(h, n.next, n.prev, 0);
    map_set(h, i, 0);
    POISON(h->base + (size_t)i * UK_HEAP_MEM_MIN, UK_HEAP_MEM_MIN);
}

/* The order of the block that serves n bytes, or h->orders when none can. */
static unsigned order_for(const struct uk_heap_mem *h, size_t n)
{
    size_t units;
    unsigned k = 0;
    if (n == 0 || n > (size_t)h->blocks * UK_HEAP_MEM_MIN)
        return h->orders;
    units = (n - 1) / UK_HEAP_MEM_MIN + 1;
    while (((size_t)1 << k) < units)
        k++;
    return k < h->orders ? k : h->orders;
}

/* The order of the largest block that starts at index o (aligned to it)
 * and ends by index end. */
static unsigned piece(const struct uk_heap_mem *h, size_t o, size_t end)
{
    unsigned k = 0;
    while (k + 1 < h->orders && (o & ((size_t)1 << k)) == 0 &&
           o + ((size_t)2 << k) <= end)
        k++;
    return k;
}

/* Gives block i of order k back, merged with its buddy while that is free
 * and whole. */
static void release(struct uk_heap_mem *h, uint32_t i, unsigned k)
{
    while (k + 1 < h->orders) {
        uint32_t b = i ^ ((uint32_t)1 << k);
        if (b >= h->blocks || !map_test(h, b) || node_get(h, b).order != k)
            break;
        unlink_block(h, b, k);
        i &= ~((uint32_t)1 << k);
        k++;
    }
    push(h, i, k);
}

static void *heap_alloc(struct uk_mem *self, size_t n)
{
    struct uk_heap_mem *h = UK_CONTAINER_OF(self, struct uk_heap_mem, mem);
    unsigned k = order_for(h, n), j = k;
    size_t units, o;
    uint32_t i;
    uint8_t *p;
    while (j < h->orders && h->free_head[j] == NIL)
        j++;
    if (j >= h->orders) {
        h->stats.failures++;
        return NULL;
    }
    i = h->free_head[j];
    unlink_block(h, i, j);
    /* Split down to the size asked for; the upper halves stay free. */
    while (j > k) {
        j--;
        push(h, i + ((uint32_t)1 << j), j);
    }
    /* Trim: the block's tail beyond n goes back as the largest aligned
     * pieces (their buddies are in use, so none would merge). */
    units = (n - 1) / UK_HEAP_MEM_MIN + 1;
    for (o = units; o < (size_t)1 << k; o += (size_t)1 << j) {
        j = piece(h, o, (size_t)1 << k);
        push(h, i + (uint32_t)o, j);
    }
    h->stats.used += units * UK_HEAP_MEM_MIN;
    if (h->stats.used > h->stats.peak)
        h->stats.peak = h->stats.used;
    p = h->base + (size_t)i * UK_HEAP_MEM_MIN;
    UNPOISON(p, n);
    POISON(p + n, units * UK_HEAP_MEM_MIN - n);
    return p;
}

static void heap_free(struct uk_mem *self, void *p, size_t n)
{
    struct uk_heap_mem *h = UK_CONTAINER_OF(self, struct uk_heap_mem, mem);
    size_t units, o;
    uint32_t i;
    unsigned k;
    if (p == NULL)
        return;
    k = order_for(h, n);
    assert(k < h->orders);
    assert((uint8_t *)p >= h->base &&
           (size_t)((uint8_t *)p - h->base) <
               (size_t)h->blocks * UK_HEAP_MEM_MIN);
    i = (uint32_t)((size_t)((uint8_t *)p - h->base) / UK_HEAP_MEM_MIN);
    assert((size_t)((uint8_t *)p - h->base) % UK_HEAP_MEM_MIN == 0);
    assert((i & (((uint32_t)1 << k) - 1)) == 0); /* n matches the block */
    assert(!map_test(h, i));                     /* not freed twice */
    units = (n - 1) / UK_HEAP_MEM_MIN + 1;
    h->stats.used -= units * UK_HEAP_MEM_MIN;
    POISON(p, units * UK_HEAP_MEM_MIN);
    /* The pieces alloc kept, largest first, each merged as far as it
     * goes. */
    for (o = 0; o < units; o += (size_t)1 << k) {
        k = piece(h, o, units);
        release(h, i + (uint32_t)o, k);
    }
}

static void heap_stats(struct uk_mem *self, struct uk_mem_stats *out)
{
    *out = UK_CONTAINER_OF(self, struct uk_heap_mem, mem)->stats;
}

static const struct uk_mem_ops heap_ops = {
    .alloc = heap_alloc,
    .free = heap_free,
    .stats = heap_stats,
};

int uk_heap_mem_init(struct uk_heap_mem *h, void *region, size_t size)
{
    size_t pad = (size_t)(0u - (uintptr_t)region) & (UK_HEAP_MEM_MIN - 1);
    size_t rest, map_bytes, units;
    uint32_t i;
    unsigned k;

    if (size <= pad)
        return UK_EINVAL;
    rest = size - pad;
    /* One bit of map per block: rest = units * MIN + units / 8, so the
     * map takes 1/129 of what is left, rounded up. */
    map_bytes = rest / 129 + 1;
    if (rest <= map_bytes)
        return UK_EINVAL;
    units = (rest - map_bytes) / UK_HEAP_MEM_MIN;
    if (units > NIL - 1)
        units = NIL - 1;
    if (units == 0)
        return UK_EINVAL;

    /* The region may have served an earlier heap. */
    UNPOISON(region, size);
    h->mem.ops = &heap_ops;
    h->base = (uint8_t *)region + pad;
    h->blocks = (uint32_t)units;
    h->free_map = h->base + units * UK_HEAP_MEM_MIN;
    memset(h->free_map, 0, (units + 7) / 8);
    for (k = 0; k < UK_HEAP_MEM_ORDERS; k++)
        h->free_head[k] = NIL;
    h->orders = 1;
    while (h->orders < UK_HEAP_MEM_ORDERS &&
           ((size_t)1 << h->orders) <= units)
        h->orders++;

    /* The region as the largest aligned blocks that fit, left to right. */
    for (i = 0; i < h->blocks; i += (uint32_t)1 << k) {
        k = piece(h, i, units);
        push(h, i, k);
    }
    h->stats.total = units * UK_HEAP_MEM_MIN;
    h->stats.used = 0;
    h->stats.peak = 0;
    h->stats.failures = 0;
    return 0;
}
