/*
 * unix_mem_test.c - the unix targets' memory budget: --memory=SIZE sizes
 * uk_default_mem(), which is one budget (the same object every time) that
 * says no when full and takes memory back; a bad size is refused by the
 * option parser; without uk_unikernel() the declared capacity is lib/core's
 * default.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/kv_decl.h>
#include <uk/target.h>

const struct uk_kv_decl uk__kv_decls[] = {{NULL, NULL, NULL}};

static int parse(const char *arg)
{
    char *argv[] = {(char *)"prog", (char *)arg, NULL};
    return uk_parse_options(NULL, 2, argv);
}

static void test_bad_sizes_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("--memory=12Q"), 2);
    assert_int_equal(parse("--memory=1K"), 2); /* below the least budget */
    assert_int_equal(parse("--memory="), 2);
}

static void test_budget_from_option(void **state)
{
    struct uk_mem *m;
    struct uk_mem_stats s;
    void *a, *b;
    (void)state;
    assert_int_equal(parse("--memory=1M"), UK_RUN);
    m = uk_default_mem();
    assert_ptr_equal(m, uk_default_mem());
    uk_mem_stats(m, &s);
    /* 1 MiB less the allocator's map (1/129) and alignment. */
    assert_true(s.total <= 1u << 20);
    assert_true(s.total >= (1u << 20) - (1u << 20) / 100);
    assert_int_equal(s.used, 0);
    /* A half of the largest block fits; two of it do not both fit with
     * the map carved from the same mapping. */
    a = uk_mem_alloc(m, 512u << 10);
    assert_non_null(a);
    memset(a, 1, 512u << 10);
    b = uk_mem_alloc(m, 512u << 10);
    assert_null(b);
    uk_mem_stats(m, &s);
    assert_int_equal(s.failures, 1);
    uk_mem_free(m, a, 512u << 10);
    uk_mem_stats(m, &s);
    assert_int_equal(s.used, 0);
    assert_int_equal(s.peak, 512u << 10);
}

static void test_default_capacity(void **state)
{
    const struct uk_capacity *c = uk_image_capacity();
    (void)state;
    assert_true(c->memory >= 1u << 20);
    assert_true(c->connections > 0);
    assert_true(c->devices > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_sizes_refused),
        cmocka_unit_test(test_budget_from_option),
        cmocka_unit_test(test_default_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
