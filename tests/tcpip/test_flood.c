/*
 * test_flood.c - hostile input against an assembled stack: fragment
 * floods, overlapping fragments, ARP floods, bad checksums, unreachable
 * storms.  Memory stays bounded (fixed slots and pools, all returned) and
 * the stack still works afterwards.
 */
#include "stack_fixture.h"

#include <uk/prng.h>

static struct uk_prng rnd;
static uint8_t seg[70000];

static uint8_t *seg_buf(void)
{
    return seg;
}

static uint32_t r32(void)
{
    return uk_random_u32(&rnd.random);
}

static int udp_got;
static size_t udp_len;
static void on_udp(void *arg, const struct uk_udpv4_info *info,
                   const void *data, size_t len)
{
    UK_UNUSED(arg);
    UK_UNUSED(info);
    UK_UNUSED(data);
    udp_got++;
    udp_len = len;
}

static int setup(void **state)
{
    stack_setup(state);
    uk_prng_init_u64(&rnd, 99);
    udp_got = 0;
    assert_int_equal(uk_stackv4_listen_udp(&stack.base, 53, on_udp, NULL), 0);
    return 0;
}

static size_t reass_busy(void)
{
    size_t i, n = 0;
    for (i = 0; i < UK_TCPIP_IPV4_REASS_SLOTS; i++)
        n += stack.ip.reass[i].state != 0;
    return n;
}

/* A fragmented UDP datagram of len bytes still gets through. */
static void assert_still_works(size_t len)
{
    static uint8_t big[20000];
    size_t n;
    int before = udp_got;
    memset(big, 0x42, len);
    n = h_udp(seg_buf(), PEER, ME, 1000, 53, big, len);
    inject_ip(ME, UK_IPPROTO_UDP, seg_buf(), n);
    assert_int_equal(udp_got, before + 1);
    assert_int_equal(udp_len, len);
}

static void test_fragment_flood(void **state)
{
    uint8_t pl[1480];
    unsigned i;
    UK_UNUSED(state);
    memset(pl, 0x11, sizeof pl);
    for (i = 0; i < 20000; i++) {
        uint32_t r = r32();
        size_t len = 8 * (1 + r % 185);
        uint16_t off = (uint16_t)(r32() % 8192);
        fn_inject(&net, frame,
                  h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME, UK_IPPROTO_UDP,
                         (uint16_t)(r >> 16), (uint16_t)(off | 0x2000), pl,
                         len));
        assert_true(reass_busy() <= UK_TCPIP_IPV4_REASS_SLOTS);
    }
    fn_assert_no_leak(&net);
    assert_int_equal(udp_got, 0);
    assert_true(stack.ip.stats.reass_evicted > 0);
    assert_int_equal(net.ntx, 0);
    assert_still_works(5000);
    h_run_for(&env, UK_TCPIP_IPV4_REASS_TIMEOUT_NS + UK_NS_PER_S);
    assert_int_equal(reass_busy(), 0);
}

static void test_overlapping_fragments(void **state)
{
    uint8_t pl[1480];
    uint16_t id;
    UK_UNUSED(state);
    for (id = 1; id < 2000; id++) {
        uint32_t r = r32();
        size_t a_off = 8 * (r % 64), a_len = 8 * (1 + (r >> 8) % 64);
        size_t b_off = a_off + 8 * ((r >> 16) % 8) - (a_off ? 8 : 0);
        size_t b_len = 8 * (1 + (r >> 20) % 64);
        memset(pl, (int)(id & 0xff), sizeof pl);
        fn_inject(&net, frame,
                  h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME, UK_IPPROTO_UDP,
                         id, (uint16_t)(a_off / 8 | 0x2000), pl, a_len));
        pl[0] ^= 0xff; /* different bytes where they overlap */
        fn_inject(&net, frame,
                  h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME, UK_IPPROTO_UDP,
                         id, (uint16_t)(b_off / 8), pl, b_len));
    }
    assert_int_equal(udp_got, 0);
    assert_true(stack.ip.stats.reass_overlap > 0);
    fn_assert_no_leak(&net);
    /* Teardrop: a final fragment overlapping the start of the first. */
    memset(pl, 1, sizeof pl);
    fn_inject(&net, frame, h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME,
                                  UK_IPPROTO_UDP, 5000, 0x2000, pl, 32));
    fn_inject(&net, frame, h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME,
                                  UK_IPPROTO_UDP, 5000, 2, pl, 4));
    assert_int_equal(udp_got, 0);
    assert_still_works(3000);
    h_run_for(&env, UK_TCPIP_IPV4_REASS_TIMEOUT_NS + UK_NS_PER_S);
    assert_int_equal(reass_busy(), 0);
}

static void test_arp_flood(void **state)
{
    static const struct uk_mac zero = {{0}};
    uint8_t f[64];
    unsigned i, used = 0;
    UK_UNUSED(state);
    for (i = 0; i < 20000; i++) {
        struct uk_mac m = {{0x02, 1, 2, 3, 4, 5}};
        uint32_t r = r32();
        struct uk_ipv4_addr spa = {r};
        struct uk_ipv4_addr tpa = (r & 1) ? ME : uk_ipv4(10, 0, 0, r >> 24);
        m.b[5] = (uint8_t)r;
        fn_inject(&net, f, h_arp(f, (r & 2) ? &h_mac_bcast : &h_mac_a,
                                 (uint16_t)(1 + (r >> 2 & 1)), &m, spa, &zero,
                                 tpa));
    }
    for (i = 0; i < UK_TCPIP_ARP_ENTRIES; i++)
        used += stack.arp.entries[i].state != 0;
    assert_true(used <= UK_TCPIP_ARP_ENTRIES);
    fn_assert_no_leak(&net);
    /* The peer may have been evicted: UDP to it still works (re-ARP). */
    {
        struct uk_ipv4_ep dst = {PEER, 9};
        size_t n0 = net.ntx;
        assert_int_equal(uk_udpv4_sendto(uk_stackv4_udpv4(&stack.base), 1,
                                         &dst, "x", 1),
                         0);
        assert_true(net.ntx > n0);
    }
}

static void test_bad_checksums(void **state)
{
    uint8_t msg[64];
    unsigned i;
    size_t n;
    UK_UNUSED(state);
    for (i = 0; i < 1000; i++) {
        /* IP header checksum off by one bit. */
        n = h_udp(msg, PEER, ME, 1, 53, "abcd", 4);
        h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME, UK_IPPROTO_UDP, 1, 0, msg,
               n);
        frame[14 + 10] ^= (uint8_t)(1u << (i % 8));
        fn_inject(&net, frame, 14 + 20 + n);
        /* UDP checksum wrong. */
        msg[8 + i % 4] ^= 0x40;
        inject_ip(ME, UK_IPPROTO_UDP, msg, n);
        /* ICMP checksum wrong. */
        n = h_icmp_echo(msg, 8, 1, (uint16_t)i, "ping", 4);
        msg[9] ^= 1;
        inject_ip(ME, UK_IPPROTO_ICMP, msg, n);
    }
    assert_int_equal(stack.ip.stats.rx_bad_checksum, 1000);
    assert_int_equal(stack.udp.stats.rx_bad_checksum, 1000);
    assert_int_equal(stack.icmp.stats.rx_bad_checksum, 1000);
    assert_int_equal(udp_got, 0);
    assert_int_equal(net.ntx, 0);
    fn_assert_no_leak(&net);
}

static void test_unreachable_storm(void **state)
{
    uint8_t msg[64];
    unsigned i;
    size_t n;
    UK_UNUSED(state);
    n = h_udp(msg, PEER, ME, 1, 9999, "abcd", 4);
    for (i = 0; i < 5000; i++) {
        inject_ip(ME, UK_IPPROTO_UDP, msg, n);
        if (i % 500 == 0)
            h_run_for(&env, 10 * UK_NS_PER_MS);
    }
    /* 10 ms x 10 pauses at 100/s: about one token per pause, plus the
     * burst. */
    assert_true(stack.icmp.stats.tx_unreachable <=
                UK_TCPIP_ICMP_BURST + 10 + 1);
    assert_true(stack.icmp.stats.tx_rate_limited > 4900);
    fn_assert_no_leak(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fragment_flood, setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_overlapping_fragments, setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_arp_flood, setup, stack_teardown),
        cmocka_unit_test_setup_teardown(test_bad_checksums, setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_unreachable_storm, setup,
                                        stack_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
