/*
 * stack_fixture.h - one assembled stack (10.0.0.1/24, gateway .254) over a
 * fake network, with a peer 10.0.0.2 (MAC h_mac_b) already in its ARP
 * cache: the setting of the ICMP and UDP tests.
 */
#ifndef TCPIP_STACK_FIXTURE_H
#define TCPIP_STACK_FIXTURE_H

#include "tcpip_harness.h"

#include <uk/tcpip/stackv4.h>

#define ME uk_ipv4(10, 0, 0, 1)
#define PEER uk_ipv4(10, 0, 0, 2)
#define GW uk_ipv4(10, 0, 0, 254)

static struct h_env env;
static struct fake_net net;
static struct uk_tcpip_stackv4 stack;
static uint8_t frame[70000];

static int stack_setup(void **state)
{
    static const struct uk_mac zero = {{0}};
    struct uk_ipv4_config cfg = {ME, {0xffffff00u}, GW};
    uint8_t f[64];
    UK_UNUSED(state);
    h_env_init(&env, 4);
    fake_net_init(&net, &h_mac_a);
    assert_int_equal(uk_tcpip_stackv4_init(&stack, &net.base, &env.loop.time,
                                           &env.prng.random, &cfg, NULL),
                     0);
    fn_inject(&net, f, h_arp(f, &h_mac_a, 1, &h_mac_b, PEER, &zero, ME));
    net.ntx = 0;
    return 0;
}

static int stack_done;
static void on_stack_done(void *arg)
{
    UK_UNUSED(arg);
    stack_done++;
}

static int stack_teardown(void **state)
{
    UK_UNUSED(state);
    stack_done = 0;
    uk_stackv4_disconnect(&stack.base, on_stack_done, NULL);
    assert_int_equal(stack_done, 0);
    h_run_for(&env, 100 * UK_NS_PER_S);
    assert_int_equal(stack_done, 1);
    fn_assert_no_leak(&net);
    assert_int_equal(stack.ip.big.available, stack.ip.big.count);
    return 0;
}

/* Injects an IPv4 packet from PEER (fragmenting it when over 1480 bytes,
 * in order). */
static inline void inject_ip(struct uk_ipv4_addr dst, uint8_t proto,
                      const uint8_t *pl, size_t len)
{
    static uint16_t id = 40000; /* clear of the ids tests use by hand */
    size_t off = 0;
    id++;
    if (len <= 1480) {
        fn_inject(&net, frame, h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, dst,
                                      proto, id, 0, pl, len));
        return;
    }
    for (off = 0; off < len; off += 1480) {
        size_t n = len - off < 1480 ? len - off : 1480;
        uint16_t fr = (uint16_t)(off / 8 | (off + n < len ? 0x2000 : 0));
        uint8_t f[1600];
        fn_inject(&net, f, h_ipv4(f, &h_mac_a, &h_mac_b, PEER, dst, proto, id,
                                  fr, pl + off, n));
    }
}

/* Reassembles the IPv4 payload of the frames net.tx[first..ntx) (all of one
 * datagram, in order) into out; returns its length. */
static inline size_t collect_ip(size_t first, uint8_t *out, uint8_t *proto)
{
    size_t i, total = 0;
    for (i = first; i < net.ntx; i++) {
        const uint8_t *h = net.tx[i] + 14;
        size_t n = uk_load_be16(h + 2) - (size_t)(h[0] & 15) * 4;
        assert_int_equal(uk_load_be16(net.tx[i] + 12), 0x0800);
        assert_int_equal(uk_inet_fold(uk_inet_sum(0, h, 20)), 0);
        assert_int_equal((uk_load_be16(h + 6) & 0x1fff) * 8u, total);
        memcpy(out + total, h + 20, n);
        total += n;
        *proto = h[9];
    }
    return total;
}

#endif
