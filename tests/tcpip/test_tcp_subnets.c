/*
 * test_tcp_subnets.c - TCP between two stacks on point-to-point prefixes:
 * a /30 (with a broadcast address), a /31 (RFC 3021: both addresses are
 * hosts, no broadcast) and /32s that reach each other as gateways.  Each
 * connects and exchanges data both ways; no segment is refused as
 * malformed.  TCP to the /30's broadcast address is dropped.
 */
#include "test_tcp_harness.h"

static struct tb_app srv, cli;

static bool both_closed(void)
{
    return srv.closed && cli.closed;
}

/* A serves on 80 at ca's address; B connects and both exchange bytes. */
static void exchange_on(const struct uk_ipv4_config *ca,
                        const struct uk_ipv4_config *cb)
{
    struct uk_ipv4_ep dst;
    dst.addr = ca->addr;
    dst.port = 80;
    tb_build_on(NULL, 4, NULL, 9, ca, cb);
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.seed = cli.peer_seed = 31;
    cli.seed = srv.peer_seed = 32;
    srv.to_send = 100000;
    cli.to_send = 3000;
    srv.shutdown_after = cli.shutdown_after = true;
    srv.close_on_eof = cli.close_on_eof = true;
    tb_start(&srv, &cli, &dst);
    assert_true(tb_run_until(both_closed, 60 * UK_NS_PER_S));
    assert_int_equal(tb_accepts, 1);
    assert_int_equal(tb_connect_status, 0);
    assert_false(srv.mismatch);
    assert_false(cli.mismatch);
    assert_int_equal(srv.received, 3000);
    assert_int_equal(cli.received, 100000);
    assert_int_equal(na.tcp.stats.rx_malformed, 0);
    assert_int_equal(nb.tcp.stats.rx_malformed, 0);
    assert_int_equal(uk_tcpv4_unlisten(&na.tcp.base, 80), 0);
    tb_teardown();
}

static void test_slash30(void **state)
{
    struct uk_ipv4_config ca = {uk_ipv4(10, 1, 0, 1), {0xfffffffcu}, {0}};
    struct uk_ipv4_config cb = {uk_ipv4(10, 1, 0, 2), {0xfffffffcu}, {0}};
    UK_UNUSED(state);
    exchange_on(&ca, &cb);
}

static void test_slash31(void **state)
{
    struct uk_ipv4_config ca = {uk_ipv4(10, 1, 0, 0), {0xfffffffeu}, {0}};
    struct uk_ipv4_config cb = {uk_ipv4(10, 1, 0, 1), {0xfffffffeu}, {0}};
    UK_UNUSED(state);
    exchange_on(&ca, &cb); /* B's address is A's "all ones" host */
    exchange_on(&cb, &ca); /* and the other way round */
}

static void test_slash32(void **state)
{
    struct uk_ipv4_config ca = {uk_ipv4(10, 1, 0, 1), {0xffffffffu},
                                uk_ipv4(10, 1, 0, 2)};
    struct uk_ipv4_config cb = {uk_ipv4(10, 1, 0, 2), {0xffffffffu},
                                uk_ipv4(10, 1, 0, 1)};
    UK_UNUSED(state);
    exchange_on(&ca, &cb);
}

static unsigned refused;
static void on_refused(void *arg, int status, struct uk_flow *f)
{
    UK_UNUSED(arg);
    UK_UNUSED(f);
    if (status != 0)
        refused++;
}

/* A SYN to the /30's broadcast address reaches no listener. */
static void test_slash30_broadcast_dropped(void **state)
{
    struct uk_ipv4_config ca = {uk_ipv4(10, 1, 0, 1), {0xfffffffcu}, {0}};
    struct uk_ipv4_config cb = {uk_ipv4(10, 1, 0, 2), {0xfffffffcu}, {0}};
    struct uk_ipv4_ep dst = {uk_ipv4(10, 1, 0, 3), 80};
    UK_UNUSED(state);
    tb_build_on(NULL, 4, NULL, 10, &ca, &cb);
    tb_server_app = &srv;
    tb_accepts = 0;
    refused = 0;
    assert_int_equal(uk_tcpv4_listen(&na.tcp.base, 80, 0, tb_on_accept, NULL),
                     0);
    assert_int_equal(uk_tcpv4_connect(&nb.tcp.base, &dst, on_refused, NULL),
                     0);
    h_run_for(&env, 200 * UK_NS_PER_S);
    assert_int_equal(tb_accepts, 0);
    assert_int_equal(refused, 1); /* timed out, never answered */
    assert_true(na.tcp.stats.rx_segments == 0 ||
                na.tcp.stats.rx_malformed == na.tcp.stats.rx_segments);
    assert_int_equal(na.tcp.stats.tx_segments, 0);
    assert_int_equal(uk_tcpv4_unlisten(&na.tcp.base, 80), 0);
    tb_teardown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slash30),
        cmocka_unit_test(test_slash31),
        cmocka_unit_test(test_slash32),
        cmocka_unit_test(test_slash30_broadcast_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
