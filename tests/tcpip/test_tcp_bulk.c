/*
 * test_tcp_bulk.c - 64 MiB in each direction at once over one connection,
 * byte-exact, over the loopback wire: clean, and under each fault mix (5%
 * loss, 5% reordering, 5% duplication, 5% corruption, and all of them
 * together) with three seeds each.  Under sanitizers (much slower) the
 * size drops to 8 MiB each way; the runs are otherwise the same.
 */
#include "test_tcp_harness.h"

#include <stdio.h>

#if defined(__SANITIZE_ADDRESS__)
#define BULK_BYTES (8u << 20)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULK_BYTES (8u << 20)
#endif
#endif
#ifndef BULK_BYTES
#define BULK_BYTES (64u << 20)
#endif

static void run(const char *spec, uint64_t seed)
{
    tb_bulk(spec, seed, BULK_BYTES, 65536, 10000, 4 * 3600 * UK_NS_PER_S);
    printf("  %-10s seed %lu: %.1f s virtual; A rto %lu fast %lu sack %lu "
           "rexmit %lu; B rto %lu fast %lu rexmit %lu\n",
           spec ? spec : "clean", (unsigned long)seed,
           (double)(env.clock.mono_ns - 1000 * UK_NS_PER_S) / 1e9,
           (unsigned long)na.tcp.stats.rto,
           (unsigned long)na.tcp.stats.fast_rexmit,
           (unsigned long)na.tcp.stats.sack_rexmit,
           (unsigned long)na.tcp.stats.tx_rexmit,
           (unsigned long)nb.tcp.stats.rto,
           (unsigned long)nb.tcp.stats.fast_rexmit,
           (unsigned long)nb.tcp.stats.tx_rexmit);
    tb_teardown();
}

static void test_clean(void **state)
{
    UK_UNUSED(state);
    run(NULL, 1);
    assert_int_equal(na.tcp.stats.rto + nb.tcp.stats.rto, 0);
}

static void mix(const char *spec)
{
    uint64_t seed;
    for (seed = 1; seed <= 3; seed++)
        run(spec, seed);
}

static void test_loss(void **state)
{
    UK_UNUSED(state);
    mix("drop=5%");
}

static void test_reorder(void **state)
{
    UK_UNUSED(state);
    mix("reorder=5%");
}

static void test_duplicate(void **state)
{
    UK_UNUSED(state);
    mix("dup=5%");
}

static void test_corrupt(void **state)
{
    UK_UNUSED(state);
    mix("corrupt=5%");
}

static void test_all(void **state)
{
    UK_UNUSED(state);
    mix("drop=2%,reorder=2%,dup=2%,corrupt=2%,delay=2%,delay_ms=5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),     cmocka_unit_test(test_loss),
        cmocka_unit_test(test_reorder),   cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_corrupt),   cmocka_unit_test(test_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
