/*
 * test_mem.h - a memory budget (uk/mem.h) for tests: blocks from malloc,
 * a byte limit that makes alloc() return NULL beyond it, and checks that
 * every free() names the size it was given.  Header-only.
 *
 *   struct test_mem m;  test_mem_init(&m, 4u << 20);
 *   ... pass &m.mem as the layer's struct uk_mem * ...
 *   assert m.stats.used == 0 at the end: nothing leaked.
 *
 * A block carries a 16-byte prefix with its size; a free() of the wrong
 * size, or of more than was given, aborts the test.
 */
#ifndef UK_TEST_MEM_H
#define UK_TEST_MEM_H

#include <stdlib.h>
#include <string.h>

#include <uk/iface.h>
#include <uk/mem.h>

struct test_mem {
    struct uk_mem mem; /* pass &m->mem */
    struct uk_mem_stats stats;
};

#define TEST_MEM_PREFIX 16

static inline void *test_mem_alloc(struct uk_mem *self, size_t n)
{
    struct test_mem *m = UK_CONTAINER_OF(self, struct test_mem, mem);
    unsigned char *p;
    if (n == 0 || n > m->stats.total - m->stats.used ||
        (p = (unsigned char *)malloc(n + TEST_MEM_PREFIX)) == NULL) {
        m->stats.failures++;
        return NULL;
    }
    memcpy(p, &n, sizeof n);
    m->stats.used += n;
    if (m->stats.used > m->stats.peak)
        m->stats.peak = m->stats.used;
    return p + TEST_MEM_PREFIX;
}

static inline void test_mem_free(struct uk_mem *self, void *p, size_t n)
{
    struct test_mem *m = UK_CONTAINER_OF(self, struct test_mem, mem);
    unsigned char *b = (unsigned char *)p;
    size_t had;
    if (p == NULL)
        return;
    b -= TEST_MEM_PREFIX;
    memcpy(&had, b, sizeof had);
    if (had != n || n > m->stats.used)
        abort(); /* the caller lost track of a size */
    m->stats.used -= n;
    free(b);
}

static inline void test_mem_stats(struct uk_mem *self,
                                  struct uk_mem_stats *out)
{
    *out = UK_CONTAINER_OF(self, struct test_mem, mem)->stats;
}

static const struct uk_mem_ops test_mem_ops = {
    .alloc = test_mem_alloc,
    .free = test_mem_free,
    .stats = test_mem_stats,
};

/* A budget of total bytes. */
static inline void test_mem_init(struct test_mem *m, size_t total)
{
    memset(m, 0, sizeof *m);
    m->mem.ops = &test_mem_ops;
    m->stats.total = total;
}

#endif
