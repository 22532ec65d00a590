/*
 * test_ipv4.c - IPv4: validation, delivery rules, next hop, fragmentation,
 * reassembly (order, duplicates, overlaps, limits, timeout).
 */
#include "tcpip_harness.h"

#include <uk/tcpip/arpv4.h>
#include <uk/tcpip/ethif.h>
#include <uk/tcpip/ipv4.h>

static struct h_env env;
static struct fake_net net;
static struct uk_tcpip_ethif eth;
static struct uk_tcpip_arpv4 arp;
static struct uk_tcpip_ipv4 ip;

#define ME uk_ipv4(10, 0, 0, 1)
#define PEER uk_ipv4(10, 0, 0, 2)
#define GW uk_ipv4(10, 0, 0, 254)

static int got;
static struct uk_ipv4_info got_info;
static size_t got_len;
static uint8_t got_data[70000];

static void on_udp(void *arg, const struct uk_ipv4_info *info,
                   struct uk_buf *p)
{
    UK_UNUSED(arg);
    got++;
    got_info = *info;
    got_len = p->len;
    memcpy(got_data, p->data, p->len);
    uk_buf_free(p);
}

static void build(const struct uk_ipv4_config *cfg)
{
    h_env_init(&env, 3);
    fake_net_init(&net, &h_mac_a);
    assert_int_equal(uk_tcpip_ethif_init(&eth, &net.base, &env.loop.time), 0);
    assert_int_equal(uk_tcpip_arpv4_init(&arp, &eth.base, &env.loop.time), 0);
    assert_int_equal(uk_tcpip_ipv4_init(&ip, &eth.base, &arp.base,
                                        &env.loop.time, &env.prng.random, cfg),
                     0);
    assert_int_equal(uk_ipv4_set_handler(&ip.base, UK_IPPROTO_UDP, on_udp,
                                         NULL),
                     0);
    got = 0;
}

static int setup(void **state)
{
    struct uk_ipv4_config cfg = {ME, {0xffffff00u}, GW};
    UK_UNUSED(state);
    build(&cfg);
    return 0;
}

static int teardown(void **state)
{
    size_t i;
    UK_UNUSED(state);
    uk_ipv4_disconnect(&ip.base, NULL, NULL);
    uk_arpv4_disconnect(&arp.base, NULL, NULL);
    h_run_for(&env, 100 * UK_NS_PER_S);
    fn_assert_no_leak(&net);
    assert_int_equal(ip.big.available, ip.big.count);
    for (i = 0; i < UK_TCPIP_IPV4_REASS_SLOTS; i++)
        assert_int_equal(ip.reass[i].state, 0);
    return 0;
}

static uint8_t frame[2000];

static size_t udp_frame(struct uk_ipv4_addr dst, size_t len)
{
    uint8_t pl[1500];
    size_t i;
    for (i = 0; i < len; i++)
        pl[i] = (uint8_t)i;
    return h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, dst, UK_IPPROTO_UDP, 7, 0,
                  pl, len);
}

static void test_deliver_and_trim(void **state)
{
    size_t n;
    UK_UNUSED(state);
    n = udp_frame(ME, 10);
    memset(frame + n, 0xee, 20); /* Ethernet padding */
    fn_inject(&net, frame, n + 20);
    assert_int_equal(got, 1);
    assert_int_equal(got_len, 10);
    assert_int_equal(got_info.src.v, PEER.v);
    assert_int_equal(got_info.dst.v, ME.v);
    assert_int_equal(got_info.ttl, 64);
    assert_int_equal(got_info.header_len, 20);
    assert_int_equal(got_data[9], 9);
    assert_false(got_info.broadcast);
    fn_inject(&net, frame, udp_frame(uk_ipv4(255, 255, 255, 255), 4));
    assert_true(got_info.broadcast);
    got_info.broadcast = false;
    fn_inject(&net, frame, udp_frame(uk_ipv4(10, 0, 0, 255), 4));
    assert_true(got_info.broadcast);
    assert_int_equal(got, 3);
    fn_inject(&net, frame, udp_frame(uk_ipv4(10, 0, 0, 9), 4));
    fn_inject(&net, frame, udp_frame(uk_ipv4(224, 0, 0, 1), 4));
    assert_int_equal(ip.stats.rx_not_ours, 2);
    assert_int_equal(got, 3);
}

/* Corrupts one header field of a good frame (fixing the checksum unless
 * fix is false) and checks the packet is dropped. */
static void bad(size_t off, uint8_t val, bool fix, size_t len)
{
    size_t n = udp_frame(ME, 10);
    uint8_t *h = frame + 14;
    h[off] = val;
    if (fix) {
        uk_store_be16(h + 10, 0);
        uk_store_be16(h + 10, uk_inet_fold(uk_inet_sum(0, h, 20)));
    }
    fn_inject(&net, frame, len ? len : n);
}

static void test_bad_headers(void **state)
{
    UK_UNUSED(state);
    bad(0, 0x65, true, 0);       /* version 6 */
    bad(0, 0x44, true, 0);       /* IHL 4 */
    bad(0, 0x4f, true, 0);       /* IHL 15 > packet */
    bad(2, 0x10, true, 0);       /* total length > frame */
    bad(3, 0x10, true, 0);       /* total length < header */
    bad(8, 0x01, false, 0);      /* bad checksum */
    bad(0, 0x45, true, 14 + 19); /* truncated header */
    assert_int_equal(ip.stats.rx_bad_header, 6);
    assert_int_equal(ip.stats.rx_bad_checksum, 1);
    bad(12, 0xff, false, 0); /* source made broadcast (checksum fixed below) */
    {
        size_t n = udp_frame(ME, 4);
        uk_store_be32(frame + 14 + 12, 0xffffffffu);
        uk_store_be16(frame + 14 + 10, 0);
        uk_store_be16(frame + 14 + 10,
                      uk_inet_fold(uk_inet_sum(0, frame + 14, 20)));
        fn_inject(&net, frame, n);
    }
    assert_int_equal(ip.stats.rx_bad_source, 1);
    assert_int_equal(got, 0);
}

static void test_options_skipped(void **state)
{
    uint8_t *h = frame + 14;
    UK_UNUSED(state);
    h_eth(frame, &h_mac_a, &h_mac_b, 0x0800);
    memset(h, 0, 40);
    h[0] = 0x47; /* 28-byte header: 8 bytes of options */
    uk_store_be16(h + 2, 28 + 5);
    h[8] = 1;
    h[9] = UK_IPPROTO_UDP;
    uk_store_be32(h + 12, PEER.v);
    uk_store_be32(h + 16, ME.v);
    h[20] = 0x44; /* a timestamp option, not interpreted */
    h[21] = 8;
    memcpy(h + 28, "hello", 5);
    uk_store_be16(h + 10, uk_inet_fold(uk_inet_sum(0, h, 28)));
    fn_inject(&net, frame, 14 + 33);
    assert_int_equal(got, 1);
    assert_int_equal(got_len, 5);
    assert_memory_equal(got_data, "hello", 5);
    assert_int_equal(got_info.header_len, 28);
}

static struct uk_buf *payload(size_t len)
{
    struct uk_buf *b = NULL;
    size_t i;
    assert_int_equal(uk_ipv4_alloc(&ip.base, 0, len, &b), 0);
    for (i = 0; i < len; i++)
        *uk_buf_put(b, 1) = (uint8_t)(i * 7);
    return b;
}

static void teach_arp(struct uk_ipv4_addr who, const struct uk_mac *mac)
{
    static const struct uk_mac zero = {{0}};
    uint8_t f[64];
    fn_inject(&net, f, h_arp(f, &h_mac_a, 1, mac, who, &zero, ME));
}

static void test_next_hop(void **state)
{
    const uint8_t *f;
    size_t len;
    UK_UNUSED(state);
    assert_int_equal(uk_ipv4_output(&ip.base, PEER, 17, payload(5)), 0);
    f = fn_last(&net, &len);
    assert_int_equal(uk_load_be16(f + 12), 0x0806);
    assert_int_equal(uk_load_be32(f + 38), PEER.v); /* ARP for the peer */
    assert_int_equal(uk_ipv4_output(&ip.base, uk_ipv4(8, 8, 8, 8), 17,
                                    payload(5)),
                     0);
    f = fn_last(&net, &len);
    assert_int_equal(uk_load_be32(f + 38), GW.v); /* ARP for the gateway */
    teach_arp(GW, &h_mac_c); /* flushes the packet, then replies */
    f = net.tx[net.ntx - 2];
    assert_memory_equal(f, h_mac_c.b, 6);
    assert_int_equal(uk_load_be32(f + 14 + 16), 0x08080808u);
    assert_int_equal(uk_load_be32(f + 14 + 12), ME.v);
    assert_int_equal(uk_inet_fold(uk_inet_sum(0, f + 14, 20)), 0);
    /* Subnet broadcast: straight to ff:ff:..., no ARP. */
    assert_int_equal(uk_ipv4_output(&ip.base, uk_ipv4(10, 0, 0, 255), 17,
                                    payload(5)),
                     0);
    f = fn_last(&net, &len);
    assert_memory_equal(f, h_mac_bcast.b, 6);
    assert_int_equal(uk_load_be16(f + 12), 0x0800);
    {
        struct uk_ipv4_config c = {ME, {0xffffff00u}, {0}};
        assert_int_equal(uk_ipv4_set_config(&ip.base, &c), 0);
    }
    assert_int_equal(uk_ipv4_output(&ip.base, uk_ipv4(8, 8, 8, 8), 17,
                                    payload(5)),
                     UK_ENETUNREACH);
    assert_int_equal(ip.stats.tx_no_route, 1);
}

static void test_unconfigured(void **state)
{
    const uint8_t *f;
    size_t len, n0;
    UK_UNUSED(state);
    uk_ipv4_disconnect(&ip.base, NULL, NULL);
    uk_arpv4_disconnect(&arp.base, NULL, NULL);
    h_run_now(&env);
    build(NULL);
    n0 = net.ntx;
    /* DHCP-style: broadcast from 0.0.0.0, no ARP. */
    assert_int_equal(uk_ipv4_output(&ip.base, uk_ipv4(255, 255, 255, 255),
                                    17, payload(5)),
                     0);
    assert_int_equal(net.ntx, n0 + 1);
    f = fn_last(&net, &len);
    assert_memory_equal(f, h_mac_bcast.b, 6);
    assert_int_equal(uk_load_be32(f + 14 + 12), 0);
    assert_int_equal(uk_ipv4_output(&ip.base, PEER, 17, payload(5)),
                     UK_ENETUNREACH);
    /* Offers to any unicast address reach the handler. */
    fn_inject(&net, frame, udp_frame(uk_ipv4(10, 0, 0, 77), 4));
    fn_inject(&net, frame, udp_frame(uk_ipv4(255, 255, 255, 255), 4));
    assert_int_equal(got, 2);
    /* Then DHCP configures it; the gratuitous ARP goes out. */
    {
        struct uk_ipv4_config c = {ME, {0xffffff00u}, GW}, out;
        struct uk_ipv4_config badmask = {ME, {0xff00ff00u}, GW};
        assert_int_equal(uk_ipv4_set_config(&ip.base, &badmask), UK_EINVAL);
        assert_int_equal(uk_ipv4_set_config(&ip.base, &c), 0);
        uk_ipv4_config(&ip.base, &out);
        assert_int_equal(out.addr.v, ME.v);
        f = fn_last(&net, &len);
        assert_int_equal(uk_load_be16(f + 12), 0x0806);
        assert_int_equal(uk_load_be32(f + 28), ME.v);
    }
    fn_inject(&net, frame, udp_frame(uk_ipv4(10, 0, 0, 77), 4));
    assert_int_equal(got, 2);
}

static void test_fragment_output(void **state)
{
    uint8_t whole[4000];
    size_t i, n0, off_total = 0;
    UK_UNUSED(state);
    teach_arp(PEER, &h_mac_b);
    n0 = net.ntx;
    assert_int_equal(uk_ipv4_mtu(&ip.base), 1480);
    assert_int_equal(uk_ipv4_output(&ip.base, PEER, 17, payload(4000)), 0);
    assert_int_equal(net.ntx, n0 + 3);
    for (i = n0; i < net.ntx; i++) {
        const uint8_t *h = net.tx[i] + 14;
        uint16_t frag = uk_load_be16(h + 6);
        size_t plen = uk_load_be16(h + 2) - 20u;
        assert_true(net.tx_len[i] <= 1514);
        assert_int_equal(uk_inet_fold(uk_inet_sum(0, h, 20)), 0);
        assert_int_equal((frag & 0x1fff) * 8u, off_total);
        assert_int_equal((frag & 0x2000) != 0, i + 1 < net.ntx);
        memcpy(whole + off_total, h + 20, plen);
        off_total += plen;
    }
    assert_int_equal(off_total, 4000);
    for (i = 0; i < 4000; i++)
        assert_int_equal(whole[i], (uint8_t)(i * 7));
}

/* A link MTU too small for one 8-byte fragment is refused, not looped on
 * (it used to send empty fragments forever). */
static void test_fragment_tiny_mtu(void **state)
{
    size_t n0;
    UK_UNUSED(state);
    teach_arp(PEER, &h_mac_b);
    n0 = net.ntx;
    net.mtu = UK_IPV4_HLEN + 4;
    assert_int_equal(uk_ipv4_mtu(&ip.base), 4);
    assert_int_equal(uk_ipv4_output(&ip.base, PEER, 17, payload(100)),
                     UK_EMSGSIZE);
    assert_int_equal(net.ntx, n0);
    net.mtu = 10;
    assert_int_equal(uk_ipv4_mtu(&ip.base), 0);
    net.mtu = 1500;
}

/* Injects fragment [off, off+len) of a datagram whose bytes are i*3. */
static void frag(uint16_t id, size_t off, size_t len, bool mf)
{
    uint8_t pl[1500];
    size_t i;
    for (i = 0; i < len; i++)
        pl[i] = (uint8_t)((off + i) * 3);
    fn_inject(&net, frame,
              h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME, UK_IPPROTO_UDP, id,
                     (uint16_t)(off / 8 | (mf ? 0x2000 : 0)), pl, len));
}

static void assert_datagram(size_t len)
{
    size_t i;
    assert_int_equal(got_len, len);
    for (i = 0; i < len; i++)
        assert_int_equal(got_data[i], (uint8_t)(i * 3));
}

static void test_reassembly(void **state)
{
    UK_UNUSED(state);
    frag(1, 0, 1480, true);
    frag(1, 1480, 1480, true);
    frag(1, 2960, 40, false);
    assert_int_equal(got, 1);
    assert_datagram(3000);
    assert_int_equal(got_info.header_len, 20);
    /* Reverse order, with a duplicate in the middle. */
    frag(2, 2960, 40, false);
    frag(2, 1480, 1480, true);
    frag(2, 1480, 1480, true);
    assert_int_equal(got, 1);
    frag(2, 0, 1480, true);
    assert_int_equal(got, 2);
    assert_datagram(3000);
    assert_int_equal(ip.stats.reass_dup, 1);
    assert_int_equal(ip.stats.reass_ok, 2);
}

static void test_reassembly_overlap_and_limits(void **state)
{
    size_t off;
    UK_UNUSED(state);
    /* Overlap with different data: the whole datagram goes. */
    frag(3, 0, 800, true);
    {
        uint8_t pl[800];
        memset(pl, 0xab, sizeof pl);
        fn_inject(&net, frame,
                  h_ipv4(frame, &h_mac_a, &h_mac_b, PEER, ME, UK_IPPROTO_UDP,
                         3, 400 / 8 | 0x2000, pl, 800));
    }
    frag(3, 1200, 100, false);
    assert_int_equal(got, 0);
    assert_int_equal(ip.stats.reass_overlap, 1);
    /* The late fragment started a new datagram: it times out. */
    h_run_for(&env, UK_TCPIP_IPV4_REASS_TIMEOUT_NS + UK_NS_PER_S);
    assert_int_equal(ip.stats.reass_timeout, 1);
    /* Odd-sized middle fragment; data after the end; over 65535. */
    frag(4, 0, 100, true);
    assert_int_equal(ip.stats.reass_bad, 1);
    frag(5, 0, 800, true);
    frag(5, 2000, 100, false);
    frag(5, 2400, 8, true);
    assert_int_equal(ip.stats.reass_bad, 2);
    for (off = 0; off < 65528; off += 1480)
        frag(6, off, 1480, true);
    assert_int_equal(ip.stats.reass_too_big, 1);
    assert_int_equal(got, 0);
    /* Slots are bounded: with all busy, the oldest datagram goes. */
    for (off = 0; off < UK_TCPIP_IPV4_REASS_SLOTS + 3; off++) {
        frag((uint16_t)(100 + off), 0, 8, true);
        h_run_for(&env, UK_NS_PER_MS);
    }
    assert_int_equal(ip.stats.reass_evicted, 3);
    frag(100, 8, 8, false); /* evicted: its end starts a new datagram */
    assert_int_equal(got, 0);
    frag((uint16_t)(100 + UK_TCPIP_IPV4_REASS_SLOTS + 2), 8, 8, false);
    assert_int_equal(got, 1);
    assert_datagram(16);
    h_run_for(&env, UK_TCPIP_IPV4_REASS_TIMEOUT_NS + UK_NS_PER_S);
    frag(200, 8, 8, false);
    frag(200, 0, 8, true);
    assert_int_equal(got, 2);
    assert_datagram(16);
}

/* The word-at-a-time checksum equals RFC 1071's 16-bit reference for every
 * length, alignment, seed and chaining, including all-ones data (carries). */
static uint16_t ref_checksum(uint32_t seed, const uint8_t *p, size_t len)
{
    uint64_t sum = seed;
    size_t i;
    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void test_inet_checksum(void **state)
{
    static uint8_t buf[3100];
    uint32_t x = 12345;
    int round;
    (void)state;
    for (round = 0; round < 3000; round++) {
        size_t off = (size_t)round % 8, len, split, i;
        uint32_t seed;
        for (i = 0; i < sizeof buf; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = round % 5 == 0 ? 0xff : (uint8_t)(x >> 16);
        }
        x = x * 1103515245u + 12345u;
        len = (x >> 8) % 3000;
        seed = round % 3 == 0 ? 0xfffffff0u : x;
        assert_int_equal(uk_inet_fold(uk_inet_sum(seed, buf + off, len)),
                         ref_checksum(seed, buf + off, len));
        split = (len / 2) & ~(size_t)1; /* chained, even first part */
        assert_int_equal(
            uk_inet_fold(uk_inet_sum(uk_inet_sum(seed, buf + off, split),
                                     buf + off + split, len - split)),
            ref_checksum(seed, buf + off, len));
    }
}

static void test_alloc(void **state)
{
    struct uk_buf *a = NULL, *b = NULL, *c = NULL;
    UK_UNUSED(state);
    assert_int_equal(uk_ipv4_alloc(&ip.base, 0, UK_IPV4_MAX_PAYLOAD + 1, &a),
                     UK_EMSGSIZE);
    assert_int_equal(uk_ipv4_alloc(&ip.base, 8, 60000, &a), 0);
    assert_true(uk_buf_headroom(a) >= 8 + 20 + 14);
    assert_true(uk_buf_tailroom(a) >= 60000);
    assert_int_equal(uk_ipv4_alloc(&ip.base, 8, 60000, &b), 0);
    assert_int_equal(uk_ipv4_alloc(&ip.base, 8, 60000, &c), UK_ENOBUFS);
    uk_buf_free(a);
    uk_buf_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deliver_and_trim, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_skipped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_next_hop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unconfigured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fragment_output, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fragment_tiny_mtu, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reassembly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reassembly_overlap_and_limits,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc, setup, teardown),
        cmocka_unit_test(test_inet_checksum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
