/*
 * of_test_util.h - helpers shared by the OpenFlow tests: hex vectors and
 * the sample values the vectors use.
 */
#ifndef UK_TEST_OF_UTIL_H
#define UK_TEST_OF_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/openflow.h>

/* Parses hex digits (spaces ignored) into out[cap]; returns the length,
 * or (size_t)-1 on a bad digit or overflow. */
static inline size_t of_hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *s != '\0'; s++) {
        int v;
        if (*s == ' ' || *s == '\n')
            continue;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else
            return (size_t)-1;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap)
            return (size_t)-1;
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? n : (size_t)-1;
}

/* A match using every field, with distinct values (M1 in the vectors). */
static inline struct uk_of_match of_sample_match(void)
{
    static const struct uk_mac src = {{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}};
    static const struct uk_mac dst = {{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}};
    struct uk_of_match m;
    memset(&m, 0, sizeof m);
    m.wildcards = UK_OFPFW_DL_VLAN_PCP | UK_OFPFW_NW_TOS;
    m.in_port = 1;
    m.dl_src = src;
    m.dl_dst = dst;
    m.dl_vlan = 0x0123;
    m.dl_vlan_pcp = 5;
    m.dl_type = 0x0800;
    m.nw_tos = 0x10;
    m.nw_proto = 6;
    m.nw_src = 0x0a000001;
    m.nw_dst = 0x0a000002;
    m.tp_src = 0x1234;
    m.tp_dst = 80;
    return m;
}

#define OF_M1_HEX                                                             \
    "00300000 0001 001122334455 66778899aabb 0123 05 00 0800 10 06 0000 "     \
    "0a000001 0a000002 1234 0050 "

#define OF_M_ALL_HEX                                                          \
    "003fffff 0000 000000000000 000000000000 0000 00 00 0000 00 00 0000 "     \
    "00000000 00000000 0000 0000 "

/* The port of the features and port-status vectors. */
static inline struct uk_of_port of_sample_port(void)
{
    struct uk_of_port p;
    memset(&p, 0, sizeof p);
    p.port_no = 1;
    p.hw_addr.b[0] = 0x02;
    p.hw_addr.b[5] = 0x01;
    memcpy(p.name, "eth1", 5);
    p.config = UK_OFPPC_PORT_DOWN;
    p.state = UK_OFPPS_STP_FORWARD;
    p.curr = UK_OFPPF_1GB_FD | UK_OFPPF_COPPER;
    p.advertised = 0x2a0;
    p.supported = 0x2bf;
    p.peer = 0;
    return p;
}

#define OF_PORT_HEX                                                           \
    "0001 020000000001 65746831 000000000000000000000000 00000001 00000200 "  \
    "000000a0 000002a0 000002bf 00000000 "

#endif
