/*
 * test_mem.h - a MEM budget (uk/mem.h) for tests: every block is its own
 * malloc(), so AddressSanitizer sees an overrun or a use after free of any
 * one block, and `total` caps what the budget gives, so a test can run a
 * layer out of memory at an exact point (lower `total` at any time).
 * Whatever is not given back shows in `used` (and as a leak under ASan).
 *
 *   struct test_mem m;
 *   test_mem_init(&m, 8u << 20);
 *   layer_init(..., &m.base);     // or an account on &m.base
 *   ...
 *   assert_int_equal(m.used, 0);  // everything returned
 */
#ifndef TEST_MEM_H
#define TEST_MEM_H

#include <stdlib.h>
#include <string.h>

#include <uk/mem.h>

struct test_mem {
    struct uk_mem base; /* implements MEM: pass &m.base */
    size_t total, used, peak;
    uint64_t failures, allocs, frees;
};

static inline struct test_mem *test_mem_of(struct uk_mem *self)
{
    return (struct test_mem *)(void *)self;
}

static inline void *test_mem_alloc(struct uk_mem *self, size_t n)
{
    struct test_mem *m = test_mem_of(self);
    void *p;
    if (n == 0 || n > m->total - m->used || m->used > m->total ||
        (p = malloc(n)) == NULL) {
        m->failures++;
        return NULL;
    }
    memset(p, 0xa5, n); /* uninitialised, as the contract says */
    m->used += n;
    m->allocs++;
    if (m->used > m->peak)
        m->peak = m->used;
    return p;
}

static inline void test_mem_free(struct uk_mem *self, void *p, size_t n)
{
    struct test_mem *m = test_mem_of(self);
    if (p == NULL)
        return;
    m->used -= n;
    m->frees++;
    free(p);
}

static inline void test_mem_stats(struct uk_mem *self,
                                  struct uk_mem_stats *out)
{
    struct test_mem *m = test_mem_of(self);
    out->total = m->total;
    out->used = m->used;
    out->peak = m->peak;
    out->failures = m->failures;
}

static const struct uk_mem_ops test_mem_ops = {
    .alloc = test_mem_alloc,
    .free = test_mem_free,
    .stats = test_mem_stats,
};

static inline void test_mem_init(struct test_mem *m, size_t total)
{
    memset(m, 0, sizeof *m);
    m->base.ops = &test_mem_ops;
    m->total = total;
}

#endif
