/*
 * test_arpv4.c - ARP: replies, resolution, retries and failure, queue and
 * cache bounds, the learning policy, expiry.
 */
#include "tcpip_harness.h"

#include <uk/tcpip/arpv4.h>
#include <uk/tcpip/ethif.h>

static struct h_env env;
static struct fake_net net;
static struct uk_tcpip_ethif eth;
static struct uk_tcpip_arpv4 arp;

#define ME uk_ipv4(10, 0, 0, 1)
#define PEER uk_ipv4(10, 0, 0, 2)

static int setup(void **state)
{
    UK_UNUSED(state);
    h_env_init(&env, 2);
    fake_net_init(&net, &h_mac_a);
    assert_int_equal(uk_tcpip_ethif_init(&eth, &net.base, &env.loop.time), 0);
    assert_int_equal(uk_tcpip_arpv4_init(&arp, &eth.base, &env.loop.time), 0);
    assert_int_equal(uk_arpv4_add_address(&arp.base, ME), 0);
    return 0;
}

static int teardown(void **state)
{
    UK_UNUSED(state);
    uk_arpv4_disconnect(&arp.base, NULL, NULL);
    h_run_for(&env, 100 * UK_NS_PER_S);
    fn_assert_no_leak(&net);
    return 0;
}

/* Checks that frame f is an ARP packet with op, spa and tpa. */
static void assert_arp(const uint8_t *f, size_t len, const struct uk_mac *dst,
                       uint16_t op, struct uk_ipv4_addr spa,
                       struct uk_ipv4_addr tpa)
{
    assert_int_equal(len, 42);
    assert_memory_equal(f, dst->b, 6);
    assert_int_equal(uk_load_be16(f + 12), 0x0806);
    assert_int_equal(uk_load_be16(f + 20), op);
    assert_memory_equal(f + 22, h_mac_a.b, 6);
    assert_int_equal(uk_load_be32(f + 28), spa.v);
    assert_int_equal(uk_load_be32(f + 38), tpa.v);
}

/* A one-byte IPv4 "packet" to send through ARP. */
static struct uk_buf *pkt(void)
{
    struct uk_buf *b = NULL;
    assert_int_equal(uk_ethif_alloc(&eth.base, 0, 1, &b), 0);
    *uk_buf_put(b, 1) = 0x45;
    return b;
}

static void test_gratuitous_and_limits(void **state)
{
    const uint8_t *f;
    size_t len;
    int i;
    UK_UNUSED(state);
    f = fn_last(&net, &len);
    assert_arp(f, len, &h_mac_bcast, 1, ME, ME);
    assert_int_equal(uk_arpv4_add_address(&arp.base, ME), UK_EEXIST);
    for (i = 1; i < UK_TCPIP_ARP_ADDRS; i++)
        assert_int_equal(uk_arpv4_add_address(&arp.base,
                                              uk_ipv4(10, 0, 1, (unsigned)i)),
                         0);
    assert_int_equal(uk_arpv4_add_address(&arp.base, uk_ipv4(10, 0, 2, 1)),
                     UK_ELIMIT);
    assert_int_equal(uk_arpv4_remove_address(&arp.base, uk_ipv4(10, 0, 1, 1)),
                     0);
    assert_int_equal(uk_arpv4_remove_address(&arp.base, uk_ipv4(10, 0, 1, 1)),
                     UK_ENOENT);
}

static void test_reply_only_for_us(void **state)
{
    static const struct uk_mac zero = {{0}};
    uint8_t f[64];
    const uint8_t *o;
    size_t len, n0;
    struct uk_mac m;
    UK_UNUSED(state);
    n0 = net.ntx;
    fn_inject(&net, f, h_arp(f, &h_mac_bcast, 1, &h_mac_b, PEER, &zero,
                             uk_ipv4(10, 0, 0, 99)));
    assert_int_equal(net.ntx, n0); /* not ours: silent */
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), UK_EAGAIN);
    /* (the query started a resolution: a request went out) */
    n0 = net.ntx;
    fn_inject(&net, f, h_arp(f, &h_mac_bcast, 1, &h_mac_b, PEER, &zero, ME));
    assert_int_equal(net.ntx, n0 + 1);
    o = fn_last(&net, &len);
    assert_arp(o, len, &h_mac_b, 2, ME, PEER);
    assert_memory_equal(o + 32, h_mac_b.b, 6);
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), 0);
    assert_true(uk_mac_eq(&m, &h_mac_b));
}

static void test_resolve_flushes_queue(void **state)
{
    static const struct uk_mac zero = {{0}};
    uint8_t f[64];
    const uint8_t *o;
    size_t len, n0 = net.ntx;
    UK_UNUSED(state);
    assert_int_equal(uk_arpv4_output(&arp.base, PEER, pkt()), 0);
    assert_int_equal(uk_arpv4_output(&arp.base, PEER, pkt()), 0);
    assert_int_equal(net.ntx, n0 + 1); /* one request, two queued */
    o = fn_last(&net, &len);
    assert_arp(o, len, &h_mac_bcast, 1, ME, PEER);
    fn_inject(&net, f, h_arp(f, &h_mac_a, 2, &h_mac_b, PEER, &zero, ME));
    assert_int_equal(net.ntx, n0 + 3);
    o = fn_last(&net, &len);
    assert_int_equal(len, 15);
    assert_memory_equal(o, h_mac_b.b, 6);
    assert_int_equal(uk_load_be16(o + 12), 0x0800);
    /* Resolved: straight out. */
    assert_int_equal(uk_arpv4_output(&arp.base, PEER, pkt()), 0);
    assert_int_equal(net.ntx, n0 + 4);
    (void)zero;
}

static void test_retry_then_fail(void **state)
{
    struct uk_mac m;
    size_t n0 = net.ntx;
    int i, rc;
    UK_UNUSED(state);
    for (i = 0; i < UK_TCPIP_ARP_PENDING + 5; i++) {
        rc = uk_arpv4_output(&arp.base, PEER, pkt());
        assert_int_equal(rc, i < UK_TCPIP_ARP_PENDING ? 0 : UK_ENOBUFS);
    }
    assert_int_equal(arp.stats.pending_overflow, 5);
    assert_int_equal(net.ntx, n0 + 1);
    h_run_for(&env, UK_TCPIP_ARP_RETRY_NS);
    assert_int_equal(net.ntx, n0 + 2);
    h_run_for(&env, UK_TCPIP_ARP_RETRY_NS);
    assert_int_equal(net.ntx, n0 + UK_TCPIP_ARP_TRIES);
    h_run_for(&env, UK_TCPIP_ARP_RETRY_NS);
    assert_int_equal(net.ntx, n0 + UK_TCPIP_ARP_TRIES); /* gave up */
    assert_int_equal(arp.stats.resolve_failed, 1);
    assert_int_equal(arp.stats.pending_failed, UK_TCPIP_ARP_PENDING);
    fn_assert_no_leak(&net);
    assert_int_equal(uk_arpv4_output(&arp.base, PEER, pkt()), UK_EHOSTUNREACH);
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), UK_EHOSTUNREACH);
    h_run_for(&env, UK_TCPIP_ARP_FAIL_HOLD_NS);
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), UK_EAGAIN);
}

static void test_no_poisoning(void **state)
{
    static const struct uk_mac zero = {{0}};
    uint8_t f[64];
    struct uk_mac m;
    struct uk_ipv4_addr third = uk_ipv4(10, 0, 0, 5);
    UK_UNUSED(state);
    /* Unsolicited reply and gratuitous ARP about a stranger: ignored. */
    fn_inject(&net, f, h_arp(f, &h_mac_a, 2, &h_mac_c, third, &zero,
                             uk_ipv4(10, 0, 0, 77)));
    fn_inject(&net, f, h_arp(f, &h_mac_bcast, 1, &h_mac_c, third, &zero,
                             third));
    assert_int_equal(arp.stats.learned, 0);
    assert_int_equal(arp.stats.ignored, 2);
    assert_int_equal(uk_arpv4_query(&arp.base, third, &m), UK_EAGAIN);
    /* Someone claiming our address changes nothing. */
    fn_inject(&net, f, h_arp(f, &h_mac_bcast, 2, &h_mac_c, ME, &zero, ME));
    assert_int_equal(arp.stats.conflicts, 1);
    /* A known host's gratuitous ARP updates its entry. */
    fn_inject(&net, f, h_arp(f, &h_mac_a, 1, &h_mac_b, PEER, &zero, ME));
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), 0);
    assert_true(uk_mac_eq(&m, &h_mac_b));
    fn_inject(&net, f, h_arp(f, &h_mac_bcast, 1, &h_mac_c, PEER, &zero, PEER));
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), 0);
    assert_true(uk_mac_eq(&m, &h_mac_c));
    /* Multicast sender MAC, probes (sender 0.0.0.0), garbage. */
    {
        struct uk_mac mc = {{0x01, 0, 0x5e, 0, 0, 1}};
        fn_inject(&net, f, h_arp(f, &h_mac_a, 1, &mc, third, &zero, ME));
    }
    assert_int_equal(uk_arpv4_query(&arp.base, third, &m), UK_EAGAIN);
    fn_inject(&net, f, h_arp(f, &h_mac_a, 1, &h_mac_c, uk_ipv4_any(), &zero,
                             ME));
    assert_int_equal(arp.stats.tx_replies, 2); /* the probe is answered */
    h_arp(f, &h_mac_a, 3, &h_mac_c, third, &zero, ME);
    fn_inject(&net, f, 42);
    fn_inject(&net, f, 30);
    assert_int_equal(arp.stats.rx_malformed, 3);
}

static void test_flood_bounded(void **state)
{
    static const struct uk_mac zero = {{0}};
    uint8_t f[64];
    unsigned i, used = 0;
    UK_UNUSED(state);
    for (i = 0; i < 5000; i++) {
        struct uk_mac m = h_mac_c;
        m.b[4] = (uint8_t)(i >> 8);
        m.b[5] = (uint8_t)i;
        fn_inject(&net, f, h_arp(f, &h_mac_bcast, 1, &m,
                                 uk_ipv4(10, 1, i >> 8 & 255, i & 255), &zero,
                                 ME));
    }
    for (i = 0; i < UK_TCPIP_ARP_ENTRIES; i++)
        used += arp.entries[i].state != 0;
    assert_int_equal(used, UK_TCPIP_ARP_ENTRIES);
    assert_int_equal(arp.stats.evicted, 5000 - UK_TCPIP_ARP_ENTRIES);
    assert_int_equal(arp.stats.tx_replies, 5000);
    fn_assert_no_leak(&net);
}

static void test_expiry(void **state)
{
    static const struct uk_mac zero = {{0}};
    uint8_t f[64];
    struct uk_mac m;
    UK_UNUSED(state);
    fn_inject(&net, f, h_arp(f, &h_mac_a, 1, &h_mac_b, PEER, &zero, ME));
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), 0);
    h_run_for(&env, UK_TCPIP_ARP_TTL_NS - UK_NS_PER_S);
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), 0);
    h_run_for(&env, 2 * UK_NS_PER_S);
    assert_int_equal(uk_arpv4_query(&arp.base, PEER, &m), UK_EAGAIN);
}

static void test_broadcast_and_disconnect(void **state)
{
    const uint8_t *o;
    size_t len;
    UK_UNUSED(state);
    assert_int_equal(uk_arpv4_output(&arp.base, uk_ipv4(255, 255, 255, 255),
                                     pkt()),
                     0);
    o = fn_last(&net, &len);
    assert_memory_equal(o, h_mac_bcast.b, 6);
    /* Queued packets are freed by disconnect (teardown checks the pool). */
    assert_int_equal(uk_arpv4_output(&arp.base, PEER, pkt()), 0);
    assert_int_equal(uk_arpv4_output(&arp.base, PEER, pkt()), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_gratuitous_and_limits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reply_only_for_us, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_resolve_flushes_queue, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_retry_then_fail, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_poisoning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flood_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broadcast_and_disconnect, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
