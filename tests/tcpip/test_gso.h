/*
 * test_gso.h - what a segmenting device (the Linux kernel's GSO behind a
 * TAP with IFF_VNET_HDR) does with a TCP/IPv4 super-segment, written
 * independently of the stack for tests to check against: gso_check
 * asserts the frame is one uk/network.h allows (IP header of the whole
 * packet, the TCP checksum field holding the pseudo-header sum of the whole
 * TCP length), gso_cut builds its wire segment k, and seg_check asserts a
 * plain frame's IPv4 and TCP checksums.  Frames have a 20-byte IP header.
 * Header-only.
 */
#ifndef TEST_GSO_H
#define TEST_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include <uk/bytes.h>
#include <uk/ethif.h>
#include <uk/ipv4.h>
#include <uk/network.h>

#define GSO_FRAME_MAX (UK_ETH_HLEN + 65535)

/* TCP header length of frame f. */
static inline size_t gso_thl(const uint8_t *f)
{
    return (size_t)(f[UK_ETH_HLEN + 20 + 12] >> 4) * 4;
}

/* Payload bytes of frame f (n bytes). */
static inline size_t gso_pay(const uint8_t *f, size_t n)
{
    return n - UK_ETH_HLEN - 20 - gso_thl(f);
}

/* Asserts f (n bytes) is a super-segment to cut at mss; its segments. */
static inline size_t gso_check(const uint8_t *f, size_t n, size_t mss)
{
    const uint8_t *ip = f + UK_ETH_HLEN, *th = ip + 20;
    struct uk_ipv4_addr src, dst;
    size_t thl, pay;
    uint32_t ps;
    assert_true(n > 1514 && n <= GSO_FRAME_MAX);
    assert_int_equal(uk_load_be16(f + 12), UK_ETHERTYPE_IPV4);
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(ip[9], UK_IPPROTO_TCP);
    assert_int_equal(uk_load_be16(ip + 2), n - UK_ETH_HLEN);
    assert_int_equal(uk_load_be16(ip + 6) & 0x3fff, 0); /* not a fragment */
    assert_int_equal(uk_inet_fold(uk_inet_sum(0, ip, 20)), 0);
    thl = gso_thl(f);
    assert_true(thl >= 20 && UK_ETH_HLEN + 20 + thl < n);
    pay = n - UK_ETH_HLEN - 20 - thl;
    assert_true(mss > 0 && pay > mss);
    src.v = uk_load_be32(ip + 12);
    dst.v = uk_load_be32(ip + 16);
    ps = uk_ipv4_pseudo_sum(src, dst, UK_IPPROTO_TCP, n - UK_ETH_HLEN - 20);
    assert_int_equal(uk_load_be16(th + 16), (uint16_t)~uk_inet_fold(ps));
    return (pay + mss - 1) / mss;
}

/* Segment k of super-segment f (n bytes) cut at mss, built at out (room
 * for 14 + 20 + thl + mss bytes); its length. */
static inline size_t gso_cut(const uint8_t *f, size_t n, size_t mss,
                             size_t k, uint8_t *out)
{
    size_t thl = gso_thl(f), pay = gso_pay(f, n);
    size_t off = k * mss, len = pay - off < mss ? pay - off : mss;
    size_t hl = UK_ETH_HLEN + 20 + thl;
    bool last = off + len == pay;
    uint8_t *ip = out + UK_ETH_HLEN, *th = ip + 20;
    struct uk_ipv4_addr src = {uk_load_be32(f + 26)};
    struct uk_ipv4_addr dst = {uk_load_be32(f + 30)};
    memcpy(out, f, hl);
    memcpy(out + hl, f + hl + off, len);
    uk_store_be16(ip + 2, (uint16_t)(20 + thl + len));
    uk_store_be16(ip + 4, (uint16_t)(uk_load_be16(f + 18) + k));
    uk_store_be16(ip + 10, 0);
    uk_store_be16(ip + 10, uk_inet_fold(uk_inet_sum(0, ip, 20)));
    uk_store_be32(th + 4, uk_load_be32(f + 38) + (uint32_t)off);
    if (!last)
        th[13] &= (uint8_t)~0x09; /* FIN and PSH: the last segment's */
    if (k > 0)
        th[13] &= (uint8_t)~0x80; /* CWR: the first's */
    uk_store_be16(th + 16, 0);
    uk_store_be16(th + 16,
                  uk_inet_fold(uk_inet_sum(
                      uk_ipv4_pseudo_sum(src, dst, UK_IPPROTO_TCP,
                                         thl + len),
                      th, thl + len)));
    return hl + len;
}

/* Asserts plain TCP/IPv4 frame f (n bytes) has valid IPv4 and TCP sums. */
static inline void seg_check(const uint8_t *f, size_t n)
{
    const uint8_t *ip = f + UK_ETH_HLEN;
    struct uk_ipv4_addr src, dst;
    assert_true(n >= UK_ETH_HLEN + 40 && n <= 1514);
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(uk_load_be16(ip + 2), n - UK_ETH_HLEN);
    assert_int_equal(uk_inet_fold(uk_inet_sum(0, ip, 20)), 0);
    src.v = uk_load_be32(ip + 12);
    dst.v = uk_load_be32(ip + 16);
    assert_int_equal(
        uk_inet_fold(uk_inet_sum(uk_ipv4_pseudo_sum(src, dst, UK_IPPROTO_TCP,
                                                    n - UK_ETH_HLEN - 20),
                                 ip + 20, n - UK_ETH_HLEN - 20)),
        0);
}

#endif
