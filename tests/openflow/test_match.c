/*
 * test_match.c - the 12-tuple on packets: extraction from Ethernet frames
 * (untagged, 802.1Q, 802.3/SNAP, IPv4 TCP/UDP/ICMP, fragments, ARP, runts)
 * and the predicates (covers with every wildcard and the nw prefixes,
 * equal, subsumes, normalize).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/openflow_match.h>

#include "of_test_util.h"

#define ETH "66778899aabb 001122334455 "
#define IP4(proto, frag) "45 ff 0028 0001 " frag " 40 " proto " 0000 0a000001 0a000002 "

static struct uk_of_match from_hex(const char *hex, uint16_t in_port)
{
    uint8_t b[256];
    struct uk_of_match m;
    size_t n = of_hex(hex, b, sizeof b);
    assert_true(n != (size_t)-1);
    assert_int_equal(uk_of_match_from_frame(&m, b, n, in_port), 0);
    return m;
}

static void test_tcp(void **state)
{
    struct uk_of_match m = from_hex(ETH "0800 " IP4("06", "0000") "1234 0050 00000000", 7);
    struct uk_of_match want = of_sample_match();
    (void)state;
    assert_int_equal(m.wildcards, 0);
    assert_int_equal(m.in_port, 7);
    assert_memory_equal(m.dl_src.b, want.dl_src.b, 6);
    assert_memory_equal(m.dl_dst.b, want.dl_dst.b, 6);
    assert_int_equal(m.dl_vlan, UK_OFP_VLAN_NONE);
    assert_int_equal(m.dl_vlan_pcp, 0);
    assert_int_equal(m.dl_type, 0x0800);
    assert_int_equal(m.nw_tos, 0xfc); /* DSCP bits only */
    assert_int_equal(m.nw_proto, 6);
    assert_int_equal(m.nw_src, 0x0a000001);
    assert_int_equal(m.nw_dst, 0x0a000002);
    assert_int_equal(m.tp_src, 0x1234);
    assert_int_equal(m.tp_dst, 80);
}

static void test_vlan_udp(void **state)
{
    struct uk_of_match m =
        from_hex(ETH "8100 a123 0800 " IP4("11", "0000") "0035 c000", 1);
    (void)state;
    assert_int_equal(m.dl_vlan, 0x123);
    assert_int_equal(m.dl_vlan_pcp, 5);
    assert_int_equal(m.dl_type, 0x0800);
    assert_int_equal(m.nw_proto, 17);
    assert_int_equal(m.tp_src, 53);
    assert_int_equal(m.tp_dst, 0xc000);
}

static void test_icmp_and_fragments(void **state)
{
    struct uk_of_match m = from_hex(ETH "0800 " IP4("01", "0000") "0800 0000", 1);
    (void)state;
    assert_int_equal(m.tp_src, 8); /* echo request type */
    assert_int_equal(m.tp_dst, 0); /* code */
    /* first fragment (MF set, offset 0): ports read */
    m = from_hex(ETH "0800 " IP4("06", "2000") "1234 0050", 1);
    assert_int_equal(m.tp_src, 0x1234);
    /* later fragment: no transport header */
    m = from_hex(ETH "0800 " IP4("06", "0010") "1234 0050", 1);
    assert_int_equal(m.nw_proto, 6);
    assert_int_equal(m.tp_src, 0);
    assert_int_equal(m.tp_dst, 0);
    /* transport header cut short */
    m = from_hex(ETH "0800 " IP4("06", "0000") "12", 1);
    assert_int_equal(m.tp_src, 0);
    /* IPv4 header cut short: network fields stay zero */
    m = from_hex(ETH "0800 45000028 0001", 1);
    assert_int_equal(m.dl_type, 0x0800);
    assert_int_equal(m.nw_proto, 0);
    assert_int_equal(m.nw_src, 0);
    /* IHL below 5 */
    m = from_hex(ETH "0800 " "44 00 0028 0001 0000 40 06 0000 0a000001 0a000002", 1);
    assert_int_equal(m.nw_src, 0);
}

static void test_arp(void **state)
{
    struct uk_of_match m = from_hex(
        ETH "0806 0001 0800 06 04 0001 001122334455 0a000001 000000000000 "
            "0a000002",
        2);
    (void)state;
    assert_int_equal(m.dl_type, 0x0806);
    assert_int_equal(m.nw_proto, 1);
    assert_int_equal(m.nw_src, 0x0a000001);
    assert_int_equal(m.nw_dst, 0x0a000002);
    /* not Ethernet/IPv4 ARP: no addresses */
    m = from_hex(ETH "0806 0006 0800 06 04 0001 001122334455 0a000001 "
                     "000000000000 0a000002",
                 2);
    assert_int_equal(m.nw_src, 0);
}

static void test_8023(void **state)
{
    struct uk_of_match m = from_hex(ETH "0030 aaaa03 000000 0800 " IP4("06", "0000") "0001 0002", 1);
    (void)state;
    assert_int_equal(m.dl_type, 0x0800);
    assert_int_equal(m.nw_proto, 6);
    assert_int_equal(m.tp_dst, 2);
    m = from_hex(ETH "0030 424203 000000", 1); /* LLC, no SNAP (STP) */
    assert_int_equal(m.dl_type, UK_OFP_DL_TYPE_NOT_ETH);
    m = from_hex(ETH "0030 aaaa03 00000c 2000", 1); /* SNAP, other OUI */
    assert_int_equal(m.dl_type, UK_OFP_DL_TYPE_NOT_ETH);
}

static void test_runt(void **state)
{
    uint8_t b[13] = {0};
    struct uk_of_match m;
    (void)state;
    assert_int_equal(uk_of_match_from_frame(&m, b, sizeof b, 1), UK_EINVAL);
    m = from_hex(ETH "8100 00", 1); /* a tag cut short */
    assert_int_equal(m.dl_vlan, UK_OFP_VLAN_NONE);
}

static void test_covers(void **state)
{
    struct uk_of_match pkt = of_sample_match(), r;
    int f;
    (void)state;
    pkt.wildcards = 0;
    r = pkt;
    assert_true(uk_of_match_covers(&r, &pkt));
    /* Each field alone: a different value is not covered, unless that
     * field is wildcarded. */
    for (f = 0; f < 12; f++) {
        static const uint32_t bit[12] = {
            UK_OFPFW_IN_PORT, UK_OFPFW_DL_VLAN, UK_OFPFW_DL_VLAN_PCP,
            UK_OFPFW_DL_SRC, UK_OFPFW_DL_DST, UK_OFPFW_DL_TYPE,
            UK_OFPFW_NW_TOS, UK_OFPFW_NW_PROTO, UK_OFPFW_NW_SRC_ALL,
            UK_OFPFW_NW_DST_ALL, UK_OFPFW_TP_SRC, UK_OFPFW_TP_DST};
        struct uk_of_match p = pkt;
        switch (f) {
        case 0: p.in_port++; break;
        case 1: p.dl_vlan++; break;
        case 2: p.dl_vlan_pcp++; break;
        case 3: p.dl_src.b[5]++; break;
        case 4: p.dl_dst.b[0]++; break;
        case 5: p.dl_type++; break;
        case 6: p.nw_tos += 4; break;
        case 7: p.nw_proto++; break;
        case 8: p.nw_src ^= 0x80000000u; break;
        case 9: p.nw_dst ^= 1; break;
        case 10: p.tp_src++; break;
        default: p.tp_dst++; break;
        }
        r = pkt;
        assert_false(uk_of_match_covers(&r, &p));
        r.wildcards = bit[f];
        assert_true(uk_of_match_covers(&r, &p));
    }
    /* nw prefixes: /24 covers the subnet, not beyond it */
    r = pkt;
    r.wildcards = 8u << UK_OFPFW_NW_SRC_SHIFT;
    {
        struct uk_of_match p = pkt;
        p.nw_src = 0x0a0000fe;
        assert_true(uk_of_match_covers(&r, &p));
        p.nw_src = 0x0a000101;
        assert_false(uk_of_match_covers(&r, &p));
        r.wildcards = 63u << UK_OFPFW_NW_SRC_SHIFT; /* >= 32: everything */
        p.nw_src = 0xffffffff;
        assert_true(uk_of_match_covers(&r, &p));
        r.wildcards = 31u << UK_OFPFW_NW_DST_SHIFT; /* /1 */
        p = pkt;
        p.nw_dst = 0x7fffffff;
        assert_true(uk_of_match_covers(&r, &p));
        p.nw_dst = 0x8a000002;
        assert_false(uk_of_match_covers(&r, &p));
    }
    assert_int_equal(uk_of_nw_mask(0, UK_OFPFW_NW_SRC_SHIFT), 0xffffffffu);
    assert_int_equal(uk_of_nw_mask(8u << 8, 8), 0xffffff00u);
    assert_int_equal(uk_of_nw_mask(32u << 14, 14), 0);
    /* all wildcards cover anything */
    r.wildcards = UK_OFPFW_ALL;
    assert_true(uk_of_match_covers(&r, &pkt));
}

static void test_equal_subsumes(void **state)
{
    struct uk_of_match a = of_sample_match(), b = a, wide;
    (void)state;
    assert_true(uk_of_match_equal(&a, &b));
    b.nw_tos = 0xff; /* wildcarded in a (and b): still equal */
    assert_true(uk_of_match_equal(&a, &b));
    b.wildcards |= UK_OFPFW_IN_PORT;
    assert_false(uk_of_match_equal(&a, &b));
    /* 33 and 63 wildcard bits are the same rule */
    a.wildcards = 33u << UK_OFPFW_NW_SRC_SHIFT;
    b = a;
    b.wildcards = 63u << UK_OFPFW_NW_SRC_SHIFT;
    b.nw_src = 0x01020304;
    assert_true(uk_of_match_equal(&a, &b));

    a = of_sample_match();
    wide = a;
    wide.wildcards |= UK_OFPFW_TP_SRC | UK_OFPFW_TP_DST |
                      (16u << UK_OFPFW_NW_DST_SHIFT);
    assert_true(uk_of_match_subsumes(&wide, &a));
    assert_false(uk_of_match_subsumes(&a, &wide));
    wide.wildcards = UK_OFPFW_ALL;
    assert_true(uk_of_match_subsumes(&wide, &a));
    /* prefixes: /16 (a) subsumes /24 (wide), not the reverse */
    wide = a;
    wide.wildcards |= 8u << UK_OFPFW_NW_SRC_SHIFT;
    a.wildcards |= 16u << UK_OFPFW_NW_SRC_SHIFT;
    assert_true(uk_of_match_subsumes(&a, &wide));
    assert_false(uk_of_match_subsumes(&wide, &a));
}

static void test_normalize(void **state)
{
    struct uk_of_match m = of_sample_match();
    (void)state;
    /* ARP: no tos, no ports */
    m.wildcards = 0;
    m.dl_type = 0x0806;
    uk_of_match_normalize(&m);
    assert_true(m.wildcards & UK_OFPFW_NW_TOS);
    assert_true(m.wildcards & UK_OFPFW_TP_SRC);
    assert_int_equal(m.tp_src, 0);
    assert_int_equal(m.nw_src, 0x0a000001);
    /* no dl_type: no network fields */
    m = of_sample_match();
    m.wildcards = UK_OFPFW_DL_TYPE;
    uk_of_match_normalize(&m);
    assert_int_equal((m.wildcards & UK_OFPFW_NW_SRC_MASK) >> 8, 32);
    assert_int_equal(m.nw_src, 0);
    assert_int_equal(m.nw_proto, 0);
    assert_int_equal(m.dl_type, 0);
    /* IPv4 without a transport protocol: no ports; prefix masks applied */
    m = of_sample_match();
    m.wildcards = UK_OFPFW_NW_PROTO | (8u << UK_OFPFW_NW_DST_SHIFT);
    m.nw_dst = 0x0a0000ff;
    uk_of_match_normalize(&m);
    assert_true(m.wildcards & UK_OFPFW_TP_DST);
    assert_int_equal(m.nw_dst, 0x0a000000);
    assert_int_equal(m.tp_dst, 0);
    /* TCP keeps everything it matches */
    m = of_sample_match();
    m.wildcards = 0;
    m.dl_vlan = 5;
    uk_of_match_normalize(&m);
    assert_int_equal(m.wildcards, 0);
    assert_int_equal(m.tp_dst, 80);
    /* untagged: still an exact match (untagged frames extract pcp 0) */
    m.dl_vlan = UK_OFP_VLAN_NONE;
    uk_of_match_normalize(&m);
    assert_int_equal(m.wildcards, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_vlan_udp),
        cmocka_unit_test(test_icmp_and_fragments),
        cmocka_unit_test(test_arp),
        cmocka_unit_test(test_8023),
        cmocka_unit_test(test_runt),
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_equal_subsumes),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
