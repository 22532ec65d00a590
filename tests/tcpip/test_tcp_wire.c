/*
 * test_tcp_wire.c - two stacks with the direct TCP over the loopback wire:
 * handshake, data both ways, closes from either side and simultaneous,
 * bulk transfers byte-exact with and without faults, callback counts and
 * buffer pools back to full.
 */
#include "test_tcp_harness.h"

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

/* A serves on 80; B connects; each sends its bytes then shuts down and
 * closes on EOF. */
static void exchange(uint64_t a_bytes, uint64_t b_bytes, uint64_t limit_ns)
{
    struct uk_ipv4_ep dst = {A_IP, 80};
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.seed = cli.peer_seed = 11;
    cli.seed = srv.peer_seed = 22;
    srv.to_send = a_bytes;
    cli.to_send = b_bytes;
    srv.shutdown_after = cli.shutdown_after = true;
    srv.close_on_eof = cli.close_on_eof = true;
    tb_start(&srv, &cli, &dst);
    assert_int_equal(tb_connects, 0); /* never inside connect */
    if (!tb_run_until(both_closed, limit_ns))
        print_error("stuck: srv sent %lu recv %lu eof %d; cli sent %lu recv "
                    "%lu eof %d; rto %lu/%lu\n",
                    (unsigned long)srv.sent, (unsigned long)srv.received,
                    srv.eof, (unsigned long)cli.sent,
                    (unsigned long)cli.received, cli.eof,
                    (unsigned long)na.tcp.stats.rto,
                    (unsigned long)nb.tcp.stats.rto);
    if (!both_closed()) {
        tb_dump("A", &na);
        tb_dump("B", &nb);
    }
    assert_true(both_closed());
    assert_int_equal(tb_accepts, 1);
    assert_int_equal(tb_connects, 1);
    assert_int_equal(tb_connect_status, 0);
    assert_false(srv.mismatch);
    assert_false(cli.mismatch);
    assert_int_equal(srv.received, b_bytes);
    assert_int_equal(cli.received, a_bytes);
    assert_int_equal(srv.sent, a_bytes);
    assert_int_equal(cli.sent, b_bytes);
    assert_int_equal(srv.eofs, 1);
    assert_int_equal(cli.eofs, 1);
    tb_app_check_counts(&srv);
    tb_app_check_counts(&cli);
    assert_int_equal(srv.read_err, 0);
    assert_int_equal(cli.read_err, 0);
    /* both ends finish: one side holds TIME_WAIT (in the table) */
    assert_true(tb_run_until(tcp_idle, 10 * UK_NS_PER_S));
    assert_int_equal(uk_tcpv4_unlisten(&na.tcp.base, 80), 0);
}

static void test_small_exchange(void **state)
{
    UK_UNUSED(state);
    tb_build(NULL, 4, NULL, 1);
    exchange(5, 7, 10 * UK_NS_PER_S);
    assert_int_equal(na.tcp.stats.rto + nb.tcp.stats.rto, 0);
    assert_int_equal(na.tcp.tw_count + nb.tcp.tw_count, 1);
    tb_teardown();
}

static void test_bulk_clean(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    tb_build(&cfg, 4, NULL, 2);
    exchange(8u << 20, 3u << 20, 600 * UK_NS_PER_S);
    assert_int_equal(na.tcp.stats.rto + nb.tcp.stats.rto, 0);
    tb_teardown();
}

static void faulty(const char *spec, uint64_t seed, uint64_t bytes)
{
    struct uk_faults_config fc;
    struct uk_tcpip_tcp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    assert_int_equal(uk_faults_parse(spec, strlen(spec), &fc), 0);
    fc.seed = seed;
    tb_build(&cfg, 4, &fc, seed);
    exchange(bytes, bytes / 2, 3600 * UK_NS_PER_S);
    tb_teardown();
}

static void test_bulk_loss(void **state)
{
    UK_UNUSED(state);
    faulty("drop=5%", 3, 4u << 20);
}

static void test_bulk_reorder(void **state)
{
    UK_UNUSED(state);
    faulty("reorder=5%", 4, 4u << 20);
}

static void test_bulk_dup(void **state)
{
    UK_UNUSED(state);
    faulty("dup=5%", 5, 4u << 20);
}

static void test_bulk_corrupt(void **state)
{
    UK_UNUSED(state);
    faulty("corrupt=5%", 6, 4u << 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_exchange),
        cmocka_unit_test(test_bulk_clean),
        cmocka_unit_test(test_bulk_loss),
        cmocka_unit_test(test_bulk_reorder),
        cmocka_unit_test(test_bulk_dup),
        cmocka_unit_test(test_bulk_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
