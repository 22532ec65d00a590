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

static struct tb_app srv, cli;

static bool both_closed(void)
{
    return srv.closed && cli.closed;
}

static bool tcp_idle(void)
{
    return uk_tcpip_tcp_active(&na.tcp) == 0 &&
           uk_tcpip_tcp_active(&nb.tcp) == 0;
}

static void run(const char *spec, uint64_t seed)
{
    struct uk_faults_config fc;
    struct uk_tcpip_tcp_config cfg;
    struct uk_ipv4_ep dst = {A_IP, 80};
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    if (spec != NULL) {
        assert_int_equal(uk_faults_parse(spec, strlen(spec), &fc), 0);
        fc.seed = seed;
    }
    tb_build(&cfg, 4, spec != NULL ? &fc : NULL, seed);
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.seed = cli.peer_seed = seed * 3 + 1;
    cli.seed = srv.peer_seed = seed * 5 + 2;
    srv.to_send = cli.to_send = BULK_BYTES;
    srv.chunk = 65536;
    cli.chunk = 10000;
    srv.shutdown_after = cli.shutdown_after = true;
    srv.close_on_eof = cli.close_on_eof = true;
    tb_start(&srv, &cli, &dst);
    if (!tb_run_until(both_closed, 4 * 3600 * UK_NS_PER_S)) {
        tb_dump("A", &na);
        tb_dump("B", &nb);
    }
    assert_true(both_closed());
    assert_false(srv.mismatch);
    assert_false(cli.mismatch);
    assert_int_equal(srv.received, BULK_BYTES);
    assert_int_equal(cli.received, BULK_BYTES);
    assert_int_equal(srv.eofs, 1);
    assert_int_equal(cli.eofs, 1);
    tb_app_check_counts(&srv);
    tb_app_check_counts(&cli);
    assert_int_equal(srv.close_cbs, 1);
    assert_int_equal(cli.close_cbs, 1);
    assert_true(tb_run_until(tcp_idle, 120 * UK_NS_PER_S));
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
