/*
 * test_heap_mem.c - the buddy allocator (uk/heap_mem.h): regions of any
 * size and alignment, exhaustion and recovery, trimming, coalescing back
 * to the initial state, and seeded random alloc/free checked against a
 * model of which bytes are taken.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/err.h>
#include <uk/heap_mem.h>
#include <uk/prng.h>

#define GUARD 64
#define REGION (256 * 1024)

/* The region under test sits between two guard zones that must stay
 * untouched: the heap's metadata lives inside the region. */
static union {
    uint64_t align;
    uint8_t b[GUARD + REGION + 64 + GUARD];
} area;

#if defined(__SANITIZE_ADDRESS__)
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The region at offset off in the area, every byte of the area set to the
 * guard value (and, under AddressSanitizer, unpoisoned: an earlier heap
 * over it left its free blocks poisoned). */
static uint8_t *region_at(size_t off)
{
    UNPOISON(area.b, sizeof area.b);
    memset(area.b, 0xee, sizeof area.b);
    return area.b + GUARD + off;
}

static void check_guards(size_t off, size_t size)
{
    size_t i;
    for (i = 0; i < GUARD + off; i++)
        assert_int_equal(area.b[i], 0xee);
    for (i = GUARD + off + size; i < sizeof area.b; i++)
        assert_int_equal(area.b[i], 0xee);
}

static struct uk_mem_stats stats_of(struct uk_heap_mem *h)
{
    struct uk_mem_stats s;
    uk_mem_stats(&h->mem, &s);
    return s;
}

static void test_small_regions(void **state)
{
    struct uk_heap_mem h;
    size_t size, off;
    (void)state;
    assert_int_equal(uk_heap_mem_init(&h, area.b, 0), UK_EINVAL);
    for (off = 0; off < 16; off += 3) {
        for (size = 1; size < 200; size++) {
            uint8_t *r = region_at(off);
            int rc = uk_heap_mem_init(&h, r, size);
            if (rc != 0) {
                assert_int_equal(rc, UK_EINVAL);
                assert_true(size < 64);
                continue;
            }
            {
                struct uk_mem_stats s = stats_of(&h);
                uint8_t *p = uk_mem_alloc(&h.mem, UK_HEAP_MEM_MIN);
                assert_true(s.total >= UK_HEAP_MEM_MIN);
                assert_true(s.total < size);
                assert_non_null(p);
                assert_int_equal((uintptr_t)p % UK_HEAP_MEM_MIN, 0);
                assert_true(p >= r && p + UK_HEAP_MEM_MIN <= r + size);
                memset(p, 0x5a, UK_HEAP_MEM_MIN);
                uk_mem_free(&h.mem, p, UK_HEAP_MEM_MIN);
            }
            check_guards(off, size);
        }
    }
}

static void test_exhaustion_recovers(void **state)
{
    struct uk_heap_mem h;
    static void *ptrs[REGION / UK_HEAP_MEM_MIN];
    size_t n = 0, i, size = 10000;
    struct uk_mem_stats s;
    (void)state;
    assert_int_equal(uk_heap_mem_init(&h, region_at(5), size), 0);
    s = stats_of(&h);
    while ((ptrs[n] = uk_mem_alloc(&h.mem, 9)) != NULL)
        n++;
    /* Every 16-byte block was handed out, then the budget said no. */
    assert_int_equal(n * UK_HEAP_MEM_MIN, s.total);
    s = stats_of(&h);
    assert_int_equal(s.used, s.total);
    assert_int_equal(s.peak, s.total);
    assert_int_equal(s.failures, 1);
    assert_null(uk_mem_alloc(&h.mem, 1));
    assert_int_equal(stats_of(&h).failures, 2);
    /* One block given back is one block available again. */
    uk_mem_free(&h.mem, ptrs[n / 2], 9);
    ptrs[n / 2] = uk_mem_alloc(&h.mem, 16);
    assert_non_null(ptrs[n / 2]);
    assert_null(uk_mem_alloc(&h.mem, 32));
    for (i = 0; i < n; i++)
        uk_mem_free(&h.mem, ptrs[i], 16);
    s = stats_of(&h);
    assert_int_equal(s.used, 0);
    assert_int_equal(s.peak, s.total);
    assert_int_equal(s.failures, 3);
    /* All merged: the largest block fits again. */
    {
        size_t big = 1;
        void *p;
        while (big * 2 <= s.total)
            big *= 2;
        p = uk_mem_alloc(&h.mem, big);
        assert_non_null(p);
        uk_mem_free(&h.mem, p, big);
    }
    check_guards(5, size);
}

static void test_zero_huge_null(void **state)
{
    struct uk_heap_mem h;
    struct uk_mem_stats s;
    (void)state;
    assert_int_equal(uk_heap_mem_init(&h, region_at(0), 4096), 0);
    s = stats_of(&h);
    assert_null(uk_mem_alloc(&h.mem, 0));
    assert_null(uk_mem_alloc(&h.mem, s.total + 1));
    assert_null(uk_mem_alloc(&h.mem, SIZE_MAX));
    assert_int_equal(stats_of(&h).failures, 3);
    assert_int_equal(stats_of(&h).used, 0);
    uk_mem_free(&h.mem, NULL, 100); /* nothing */
    assert_int_equal(stats_of(&h).used, 0);
}

static void test_alignment_and_rounding(void **state)
{
    struct uk_heap_mem h;
    size_t n;
    (void)state;
    assert_int_equal(uk_heap_mem_init(&h, region_at(3), 65536), 0);
    for (n = 1; n <= 8192; n = n * 3 / 2 + 1) {
        size_t block = UK_HEAP_MEM_MIN;
        uint8_t *p = uk_mem_alloc(&h.mem, n);
        while (block < n)
            block *= 2;
        assert_non_null(p);
        /* Aligned to the block size relative to the heap's start, so to
         * at least UK_HEAP_MEM_MIN absolutely. */
        assert_int_equal((uintptr_t)p % UK_HEAP_MEM_MIN, 0);
        assert_int_equal((size_t)(p - h.base) % block, 0);
        /* The tail of the block went back: only n, rounded to the
         * smallest block, is used. */
        assert_int_equal(stats_of(&h).used,
                         (n + UK_HEAP_MEM_MIN - 1) / UK_HEAP_MEM_MIN *
                             UK_HEAP_MEM_MIN);
        memset(p, 0x77, n);
        uk_mem_free(&h.mem, p, n);
        assert_int_equal(stats_of(&h).used, 0);
    }
    check_guards(3, 65536);
}

static void test_coalescing(void **state)
{
    struct uk_heap_mem h;
    static uint32_t heads[UK_HEAP_MEM_ORDERS];
    static uint8_t map[REGION / 128 + 1];
    size_t size = 100000, map_len;
    void *a, *b, *c, *d;
    (void)state;
    assert_int_equal(uk_heap_mem_init(&h, region_at(7), size), 0);
    map_len = (h.blocks + 7) / 8;
    memcpy(heads, h.free_head, sizeof heads);
    memcpy(map, h.free_map, map_len);
    /* Four neighbours freed in an order that merges only at the end. */
    a = uk_mem_alloc(&h.mem, 64);
    b = uk_mem_alloc(&h.mem, 64);
    c = uk_mem_alloc(&h.mem, 128);
    d = uk_mem_alloc(&h.mem, 256);
    assert_ptr_equal((uint8_t *)b, (uint8_t *)a + 64);
    uk_mem_free(&h.mem, b, 64);
    uk_mem_free(&h.mem, d, 256);
    uk_mem_free(&h.mem, c, 128);
    assert_memory_not_equal(heads, h.free_head, sizeof heads);
    uk_mem_free(&h.mem, a, 64);
    /* The free lists and the map are exactly what init made. */
    assert_memory_equal(heads, h.free_head, sizeof heads);
    assert_memory_equal(map, h.free_map, map_len);
    check_guards(7, size);
}

static bool is_free(const struct uk_heap_mem *h, size_t unit)
{
    return (h->free_map[unit / 8] >> (unit % 8)) & 1;
}

static void test_trimming(void **state)
{
    struct uk_heap_mem h;
    static uint32_t heads[UK_HEAP_MEM_ORDERS];
    uint8_t *a, *b, *c;
    size_t ia;
    (void)state;
    assert_int_equal(uk_heap_mem_init(&h, region_at(0), 70000), 0);
    memcpy(heads, h.free_head, sizeof heads);
    /* 3000 bytes (188 units) cost 3008: the 4 KiB block's tail is free
     * again, as a 64-byte block at unit 188 and a 1 KiB one at 192. */
    a = uk_mem_alloc(&h.mem, 3000);
    assert_non_null(a);
    assert_int_equal(stats_of(&h).used, 3008);
    ia = (size_t)(a - h.base) / UK_HEAP_MEM_MIN;
    assert_int_equal(ia % 256, 0);
    assert_true(is_free(&h, ia + 188));
    assert_true(is_free(&h, ia + 192));
    assert_false(is_free(&h, ia + 189));
    b = uk_mem_alloc(&h.mem, 1024);
    c = uk_mem_alloc(&h.mem, 64);
    assert_non_null(b);
    assert_non_null(c);
    uk_mem_free(&h.mem, a, 3000);
    uk_mem_free(&h.mem, c, 64);
    uk_mem_free(&h.mem, b, 1024);
    assert_int_equal(stats_of(&h).used, 0);
    assert_memory_equal(heads, h.free_head, sizeof heads);
}

/* The model: one byte per UK_HEAP_MEM_MIN unit, nonzero when taken. */
static uint8_t model[REGION / UK_HEAP_MEM_MIN];

static int model_has_free_run(size_t blocks, size_t units)
{
    size_t i, j;
    for (i = 0; i + units <= blocks; i += units) {
        for (j = 0; j < units && !model[i + j]; j++)
            ;
        if (j == units)
            return 1;
    }
    return 0;
}

struct live {
    uint8_t *p;
    size_t n;
    uint8_t fill;
};

static void random_run(uint64_t seed, size_t off, size_t size)
{
    struct uk_heap_mem h;
    struct uk_prng rng;
    static struct live live[4096];
    size_t nlive = 0, used = 0, step, i;
    uk_prng_init_u64(&rng, seed);
    memset(model, 0, sizeof model);
    assert_int_equal(uk_heap_mem_init(&h, region_at(off), size), 0);
    for (step = 0; step < 20000; step++) {
        int do_alloc = nlive == 0 || (nlive < 4096 && uk_prng_below(&rng, 100) < 55);
        if (do_alloc) {
            size_t n = uk_prng_below(&rng, 4) == 0
                           ? 1 + uk_prng_below(&rng, 16384)
                           : 1 + uk_prng_below(&rng, 300);
            size_t units = 1, idx, taken = (n - 1) / UK_HEAP_MEM_MIN + 1;
            uint8_t *p = uk_mem_alloc(&h.mem, n);
            while (units * UK_HEAP_MEM_MIN < n)
                units *= 2;
            if (p == NULL) {
                /* Refused only when no aligned free run of that size is
                 * left: full coalescing finds every one. */
                assert_false(model_has_free_run(h.blocks, units));
                continue;
            }
            idx = (size_t)(p - h.base) / UK_HEAP_MEM_MIN;
            assert_int_equal((size_t)(p - h.base) % (units * UK_HEAP_MEM_MIN),
                             0);
            /* Aligned to the power of two, but only n (in whole
             * UK_HEAP_MEM_MIN units) taken. */
            assert_true(idx + taken <= h.blocks);
            for (i = 0; i < taken; i++) {
                assert_int_equal(model[idx + i], 0);
                model[idx + i] = 1;
            }
            live[nlive].p = p;
            live[nlive].n = n;
            live[nlive].fill = (uint8_t)uk_prng_below(&rng, 256);
            memset(p, live[nlive].fill, n);
            nlive++;
            used += taken * UK_HEAP_MEM_MIN;
        } else {
            size_t k = uk_prng_below(&rng, (uint32_t)nlive), taken, idx;
            struct live l = live[k];
            for (i = 0; i < l.n; i++)
                assert_int_equal(l.p[i], l.fill);
            taken = (l.n - 1) / UK_HEAP_MEM_MIN + 1;
            idx = (size_t)(l.p - h.base) / UK_HEAP_MEM_MIN;
            for (i = 0; i < taken; i++)
                model[idx + i] = 0;
            uk_mem_free(&h.mem, l.p, l.n);
            live[k] = live[--nlive];
            used -= taken * UK_HEAP_MEM_MIN;
        }
        assert_int_equal(stats_of(&h).used, used);
    }
    while (nlive > 0) {
        nlive--;
        uk_mem_free(&h.mem, live[nlive].p, live[nlive].n);
    }
    assert_int_equal(stats_of(&h).used, 0);
    assert_true(stats_of(&h).peak <= stats_of(&h).total);
    check_guards(off, size);
}

static void test_random_against_model(void **state)
{
    uint64_t seed;
    (void)state;
    for (seed = 1; seed <= 6; seed++)
        random_run(seed, (size_t)(seed * 5) % 16,
                   seed % 2 ? 65536 + 777 * (size_t)seed : 200000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_regions),
        cmocka_unit_test(test_exhaustion_recovers),
        cmocka_unit_test(test_zero_huge_null),
        cmocka_unit_test(test_alignment_and_rounding),
        cmocka_unit_test(test_coalescing),
        cmocka_unit_test(test_trimming),
        cmocka_unit_test(test_random_against_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
