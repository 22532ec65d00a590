/*
 * test_arena.c - the bump allocator (uk/arena.h): alignment, exhaustion,
 * reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/arena.h>

#define ALIGN (sizeof(void *) > 8 ? sizeof(void *) : 8)

static union {
    uint64_t align;
    uint8_t b[256];
} mem;

static void test_alignment(void **state)
{
    struct uk_arena a;
    size_t sizes[] = {1, 3, 8, 0, 7, 13, 1};
    size_t i;
    uint8_t *prev = NULL;
    (void)state;
    uk_arena_init(&a, mem.b, sizeof mem.b);
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *p = uk_arena_alloc(&a, sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % ALIGN, 0);
        assert_true(p >= mem.b && p + sizes[i] <= mem.b + sizeof mem.b);
        if (prev != NULL)
            assert_true(p >= prev);
        memset(p, 0xab, sizes[i]);
        prev = p + sizes[i];
    }
}

static void test_misaligned_base(void **state)
{
    struct uk_arena a;
    size_t off;
    (void)state;
    /* Memory that starts off alignment still yields aligned blocks, inside
     * the memory given. */
    for (off = 1; off < ALIGN; off++) {
        uint8_t *p, *q;
        uk_arena_init(&a, mem.b + off, 64);
        p = uk_arena_alloc(&a, 5);
        q = uk_arena_alloc(&a, 5);
        assert_non_null(p);
        assert_non_null(q);
        assert_int_equal((uintptr_t)p % ALIGN, 0);
        assert_int_equal((uintptr_t)q % ALIGN, 0);
        assert_true(p >= mem.b + off && q + 5 <= mem.b + off + 64);
        assert_true(q >= p + 5);
    }
}

static void test_exhaustion(void **state)
{
    struct uk_arena a;
    uint8_t *p;
    size_t used;
    (void)state;
    uk_arena_init(&a, mem.b, 64);
    assert_null(uk_arena_alloc(&a, 65));
    assert_int_equal(a.used, 0); /* a failed allocation takes nothing */
    p = uk_arena_alloc(&a, 64);
    assert_ptr_equal(p, mem.b);
    assert_null(uk_arena_alloc(&a, 1));
    uk_arena_reset(&a);
    assert_ptr_equal(uk_arena_alloc(&a, 60), mem.b);
    /* 60 used, next aligned start is 64: only 0 bytes remain. */
    assert_null(uk_arena_alloc(&a, 1));
    used = a.used;
    assert_null(uk_arena_alloc(&a, SIZE_MAX)); /* no overflow */
    assert_null(uk_arena_alloc(&a, SIZE_MAX - 3));
    assert_int_equal(a.used, used);
    uk_arena_reset(&a);
    assert_int_equal(a.used, 0);
    assert_null(uk_arena_alloc(&a, SIZE_MAX));
}

static void test_empty_arena(void **state)
{
    struct uk_arena a;
    (void)state;
    uk_arena_init(&a, mem.b, 0);
    assert_null(uk_arena_alloc(&a, 1));
    /* Zero bytes from an empty arena is a valid (empty) block. */
    assert_ptr_equal(uk_arena_alloc(&a, 0), mem.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_misaligned_base),
        cmocka_unit_test(test_exhaustion),
        cmocka_unit_test(test_empty_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
