/*
 * test_mem.h - a MEM budget (uk/mem.h) over malloc for the stream tests:
 * `total` bytes at most, counting what is given out so tests can check
 * that everything came back.  Header-only.
 */
#ifndef UK_TEST_STREAM_MEM_H
#define UK_TEST_STREAM_MEM_H

#include <stdlib.h>

#include <uk/mem.h>

struct test_mem {
    struct uk_mem mem; /* pass &m->mem */
    size_t total, used, peak;
    uint64_t failures;
};

static void *test_mem_alloc(struct uk_mem *self, size_t n)
{
    struct test_mem *m = UK_CONTAINER_OF(self, struct test_mem, mem);
    void *p = n <= m->total - m->used ? malloc(n) : NULL;
    if (p == NULL) {
        m->failures++;
        return NULL;
    }
    m->used += n;
    if (m->used > m->peak)
        m->peak = m->used;
    return p;
}

static void test_mem_free(struct uk_mem *self, void *p, size_t n)
{
    struct test_mem *m = UK_CONTAINER_OF(self, struct test_mem, mem);
    if (p == NULL)
        return;
    m->used -= n;
    free(p);
}

static void test_mem_stats(struct uk_mem *self, struct uk_mem_stats *out)
{
    struct test_mem *m = UK_CONTAINER_OF(self, struct test_mem, mem);
    out->total = m->total;
    out->used = m->used;
    out->peak = m->peak;
    out->failures = m->failures;
}

static const struct uk_mem_ops test_mem_ops = {
    .alloc = test_mem_alloc, .free = test_mem_free, .stats = test_mem_stats};

static void test_mem_init(struct test_mem *m, size_t total)
{
    m->mem.ops = &test_mem_ops;
    m->total = total;
    m->used = m->peak = 0;
    m->failures = 0;
}

#endif
