/*
 * test_zonefile.c - the zone-file parser: known-answer vectors for each
 * syntax element and record type (wire RDATA compared byte for byte),
 * error cases with their position and message, names from text.
 * Includes and whole zones: test_zonefile_zone.c; fuzz replay:
 * test_zonefile_fuzz.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_zonefile_support.h"

#define EX "076578616d706c6503636f6d00" /* example.com. */

static uint8_t scratch[TEST_SCRATCH];

/* Parses text with origin example.com. and default TTL 3600. */
static int parse(const char *text, struct recs *rs,
                 struct uk_dns_zonefile_error *err)
{
    uint8_t origin[UK_DNS_NAME_MAX];
    wire("example.com.", origin);
    return uk_dns_zonefile_parse("t.zone", text, strlen(text), NULL, origin,
                                 3600, scratch, sizeof(scratch), collect, rs,
                                 err);
}

struct vec {
    const char *zone;  /* the last record of it is checked */
    const char *owner; /* absolute */
    uint16_t type;
    uint32_t ttl;
    const char *hex; /* RDATA */
};

static const struct vec vecs[] = {
    /* owners, TTLs, classes */
    {"a 1 IN A 192.0.2.1\n", "a.example.com.", 1, 1, "c0000201"},
    {"@ A 10.0.0.1", "example.com.", 1, 3600, "0a000001"},
    {"b.example.org. IN 60 A 1.2.3.4", "b.example.org.", 1, 60, "01020304"},
    {"c in 1h30m a 1.2.3.4", "c.example.com.", 1, 5400, "01020304"},
    {"c 1w A 1.2.3.4", "c.example.com.", 1, 604800, "01020304"},
    {"c 2D3h4M5s A 1.2.3.4", "c.example.com.", 1, 183845, "01020304"},
    {"c 2147483647 A 1.2.3.4", "c.example.com.", 1, 2147483647u, "01020304"},
    {"$TTL 2h\nc A 1.2.3.4", "c.example.com.", 1, 7200, "01020304"},
    {"c 5 A 1.2.3.4\nd A 1.2.3.5", "d.example.com.", 1, 5, "01020305"},
    {"$TTL 9\nc 5 A 1.2.3.4\nd A 1.2.3.5", "d.example.com.", 1, 9, "01020305"},
    {"c A 1.2.3.4\n\t60 A 1.2.3.5", "c.example.com.", 1, 60, "01020305"},
    {"c A 1.2.3.4\n  ; comment\n\n\tA 1.2.3.5 ; c", "c.example.com.", 1, 3600,
     "01020305"},
    {"a\\.b A 1.2.3.4", "a\\.b.example.com.", 1, 3600, "01020304"},
    {"\\065bc A 1.2.3.4", "Abc.example.com.", 1, 3600, "01020304"},
    {"a\\000b A 1.2.3.4", "a\\000b.example.com.", 1, 3600, "01020304"},
    {"*.w A 1.2.3.4", "*.w.example.com.", 1, 3600, "01020304"},
    {". A 1.2.3.4", ".", 1, 3600, "01020304"},
    {"$ORIGIN sub\nx A 1.2.3.4", "x.sub.example.com.", 1, 3600, "01020304"},
    {"$ORIGIN org.\n@ A 1.2.3.4", "org.", 1, 3600, "01020304"},
    {"x ( IN\n 60 ) A ( 1.2.3.4 ; why\n )", "x.example.com.", 1, 60,
     "01020304"},
    {"x\tA\t1.2.3.4\r\n", "x.example.com.", 1, 3600, "01020304"},
    /* AAAA: RFC 4291 §2.2 forms */
    {"x AAAA ::", "x.example.com.", 28, 3600,
     "00000000000000000000000000000000"},
    {"x AAAA ::1", "x.example.com.", 28, 3600,
     "00000000000000000000000000000001"},
    {"x AAAA 1::", "x.example.com.", 28, 3600,
     "00010000000000000000000000000000"},
    {"x AAAA 2001:DB8:0:0:8:800:200C:417A", "x.example.com.", 28, 3600,
     "20010db80000000000080800200c417a"},
    {"x AAAA 2001:db8::8:800:200c:417a", "x.example.com.", 28, 3600,
     "20010db80000000000080800200c417a"},
    {"x AAAA fe80::1:2", "x.example.com.", 28, 3600,
     "fe800000000000000000000000010002"},
    {"x AAAA 1:2:3:4:5:6:7::", "x.example.com.", 28, 3600,
     "00010002000300040005000600070000"},
    {"x AAAA ::ffff:192.0.2.1", "x.example.com.", 28, 3600,
     "00000000000000000000ffffc0000201"},
    {"x AAAA ::13.1.68.3", "x.example.com.", 28, 3600,
     "0000000000000000000000000d014403"},
    {"x AAAA 1:2:3:4:5:6:1.2.3.4", "x.example.com.", 28, 3600,
     "00010002000300040005000601020304"},
    /* names in RDATA */
    {"x NS ns1", "x.example.com.", 2, 3600, "036e7331" EX},
    {"x CNAME foo.example.net.", "x.example.com.", 5, 3600,
     "03666f6f076578616d706c65036e657400"},
    {"x PTR @", "x.example.com.", 12, 3600, EX},
    {"x TYPE2 ns1.example.com.", "x.example.com.", 2, 3600, "036e7331" EX},
    {"@ SOA ns1 hostmaster ( 1 2h 30m\n 2w 5m )", "example.com.", 6, 3600,
     "036e7331" EX "0a686f73746d6173746572" EX
     "00000001 00001c20 00000708 00127500 0000012c"},
    {"@ SOA . . 4294967295 0 1 2 3", "example.com.", 6, 3600,
     "00 00 ffffffff 00000000 00000001 00000002 00000003"},
    {"@ MX 10 mail", "example.com.", 15, 3600, "000a 046d61696c" EX},
    {"@ MX 0 .", "example.com.", 15, 3600, "0000 00"},
    {"s SRV 1 2 3 t", "s.example.com.", 33, 3600, "0001 0002 0003 0174" EX},
    {"s SRV 65535 0 53 .", "s.example.com.", 33, 3600, "ffff 0000 0035 00"},
    /* TXT */
    {"t TXT \"a b\" c \"\\\"q\\\"\" \"\\065\"", "t.example.com.", 16, 3600,
     "03612062 0163 03227122 0141"},
    {"t TXT \"\"", "t.example.com.", 16, 3600, "00"},
    {"t TXT a\\ b\\;", "t.example.com.", 16, 3600, "046120623b"},
    {"t TXT ( \"x;y\" ; c\n \"(z)\" )", "t.example.com.", 16, 3600,
     "03783b79 03287a29"},
    /* CAA */
    {"@ CAA 0 issue \"ca.example.net; x=1\"", "example.com.", 257, 3600,
     "00 05 6973737565 63612e6578616d706c652e6e65743b20783d31"},
    {"@ CAA 128 iodef mailto:a@b", "example.com.", 257, 3600,
     "80 05 696f646566 6d61696c746f3a614062"},
    {"@ CAA 0 issue \"\"", "example.com.", 257, 3600, "00 05 6973737565"},
    /* RFC 3597 */
    {"u TYPE65534 \\# 4 0a000001", "u.example.com.", 65534, 3600, "0a000001"},
    {"u CLASS1 TYPE65534 \\# 0", "u.example.com.", 65534, 3600, ""},
    {"u type300 \\# 3 0A 0b 0c\n", "u.example.com.", 300, 3600, "0a0b0c"},
    {"u TYPE1 \\# 4 0a 00 00 01", "u.example.com.", 1, 3600, "0a000001"},
    {"u A \\# ( 4 0a000002 )", "u.example.com.", 1, 3600, "0a000002"},
    {"u TXT \\# 3 026869", "u.example.com.", 16, 3600, "026869"},
    {"u MX \\# 3 000a00", "u.example.com.", 15, 3600, "000a00"},
    {"u CAA \\# 3 000178", "u.example.com.", 257, 3600, "000178"},
};

static void test_vectors(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
        const struct vec *v = &vecs[i];
        struct recs rs = {0};
        struct uk_dns_zonefile_error err;
        uint8_t want[512], owner[UK_DNS_NAME_MAX];
        size_t wn, on;
        int rc = parse(v->zone, &rs, &err);
        const struct rec *r;
        if (rc != 0 || rs.n == 0) {
            print_error("vector %zu '%s': rc %d %s:%u:%u: %s\n", i, v->zone,
                        rc, err.file, err.line, err.column, err.message);
            fail();
        }
        r = &rs.r[rs.n - 1];
        on = wire(v->owner, owner);
        wn = unhex(v->hex, want, sizeof(want));
        if (r->owner_len != on || memcmp(r->owner, owner, on) != 0 ||
            r->type != v->type || r->ttl != v->ttl || r->rclass != 1 ||
            r->rdlen != wn || memcmp(r->rdata, want, wn) != 0) {
            print_error("vector %zu '%s': type %u ttl %u rdlen %u\n", i,
                        v->zone, r->type, r->ttl, r->rdlen);
            fail();
        }
        free(rs.r);
    }
}

struct errvec {
    const char *zone;
    int rc;
    unsigned line, col;
    const char *frag;
};

static const struct errvec errs[] = {
    {"a A 1.2.3.4.5", UK_EPROTO, 1, 5, "bad IPv4"},
    {"a A 1.2.3.256", UK_EPROTO, 1, 5, "bad IPv4"},
    {"a A", UK_EPROTO, 1, 4, "missing address"},
    {"a A\nb A 1.2.3.4", UK_EPROTO, 1, 4, "missing address"},
    {"a XYZ 1", UK_EPROTO, 1, 3, "unknown type 'XYZ'"},
    {"a TYPE0 \\# 0", UK_EPROTO, 1, 3, "unknown type"},
    {"a TYPE65536 \\# 0", UK_EPROTO, 1, 3, "unknown type"},
    {"a TYPE41 \\# 0", UK_ENOTSUP, 1, 3, "cannot appear"},
    {"a TYPE252 \\# 0", UK_ENOTSUP, 1, 3, "cannot appear"},
    {"a CH A 1.2.3.4", UK_ENOTSUP, 1, 3, "class 'CH'"},
    {"a 1 CLASS3 A 1.2.3.4", UK_ENOTSUP, 1, 5, "only IN"},
    {"a IN IN A 1.2.3.4", UK_EPROTO, 1, 6, "unknown type 'IN'"},
    {"a A 1.2.3.4 extra", UK_EPROTO, 1, 13, "unexpected 'extra'"},
    {"\n\na TXT \"abc\nb A 1.2.3.4", UK_EPROTO, 3, 11, "not closed"},
    {"a TXT \"abc", UK_EPROTO, 1, 7, "not closed"},
    {"a A ( 1.2.3.4", UK_EPROTO, 1, 5, "'(' never closed"},
    {"a A 1.2.3.4 )", UK_EPROTO, 1, 13, "')' without '('"},
    {"a ( A ( 1.2.3.4 ) )", UK_EPROTO, 1, 7, "'(' inside"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa A "
     "1.2.3.4",
     UK_ENAMETOOLONG, 1, 1, "label longer than 63"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa A 1.2.3.4",
     UK_ENAMETOOLONG, 1, 1, "name longer than 255"},
    {"x NS aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     UK_ENAMETOOLONG, 1, 6, "origin appended"},
    {"a..b A 1.2.3.4", UK_EPROTO, 1, 1, "empty label"},
    {".a A 1.2.3.4", UK_EPROTO, 1, 1, "empty label"},
    {"a\\12 A 1.2.3.4", UK_EPROTO, 1, 1, "three digits"},
    {"a\\256 A 1.2.3.4", UK_EPROTO, 1, 1, "above 255"},
    {"a\\", UK_EPROTO, 1, 2, "'\\' must be followed"},
    {"  A 1.2.3.4", UK_EPROTO, 1, 3, "no owner name"},
    {"\"a\" A 1.2.3.4", UK_EPROTO, 1, 1, "owner must not be quoted"},
    {"a 1x A 1.2.3.4", UK_EPROTO, 1, 3, "TTL: bad TTL"},
    {"a 1h30 A 1.2.3.4", UK_EPROTO, 1, 3, "TTL: bad TTL"},
    {"a 2147483648 A 1.2.3.4", UK_ERANGE, 1, 3, "TTL"},
    {"a 4294967296 A 1.2.3.4", UK_ERANGE, 1, 3, "TTL"},
    {"a 3551w A 1.2.3.4", UK_ERANGE, 1, 3, "TTL out of range"},
    {"$TTL x", UK_EPROTO, 1, 6, "$TTL"},
    {"$TTL 1 2", UK_EPROTO, 1, 8, "unexpected '2'"},
    {"$GENERATE 1-2 a A 1.2.3.4", UK_ENOTSUP, 1, 1, "unsupported directive"},
    {"$INCLUDE x", UK_ENOTSUP, 1, 1, "needs a store"},
    {"$ORIGIN", UK_EPROTO, 1, 8, "missing $ORIGIN name"},
    {"a MX 65536 b", UK_ERANGE, 1, 6, "MX preference"},
    {"a MX 10", UK_EPROTO, 1, 8, "missing MX exchange"},
    {"a MX -1 b", UK_EPROTO, 1, 6, "MX preference"},
    {"a SRV 1 2 3", UK_EPROTO, 1, 12, "missing SRV target"},
    {"a SOA a b 1 2 3 4", UK_EPROTO, 1, 18, "missing SOA minimum"},
    {"a SOA a b 4294967296 2 3 4 5", UK_ERANGE, 1, 11, "SOA serial"},
    {"a SOA a b 1h 2 3 4 5", UK_EPROTO, 1, 11, "SOA serial"},
    {"a AAAA 1::2::3", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA 1:2:3:4:5:6:7:8:9", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA 1:2:3:4:5:6:7:8::", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA 1:2:3:4:5:6:7", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA ::ffff:1.2.3", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA 1:2:3:4:5:6:7:1.2.3.4", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA 12345::", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA :1::", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA 1:", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a AAAA 1.2.3.4", UK_EPROTO, 1, 8, "bad IPv6"},
    {"a CAA 0 is-sue x", UK_EPROTO, 1, 9, "CAA tag"},
    {"a CAA 256 issue x", UK_ERANGE, 1, 7, "CAA flags"},
    {"a CAA 0 issue", UK_EPROTO, 1, 14, "missing CAA value"},
    {"a TXT", UK_EPROTO, 1, 6, "missing TXT string"},
    {"a TXT \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
     "cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123"
     "456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"",
     UK_EMSGSIZE, 1, 7, "longer than 255"},
    {"a TYPE65534 0a000001", UK_ENOTSUP, 1, 13, "no text form"},
    {"a TYPE1 \\# 3 0a0000", UK_EPROTO, 1, 12, "not valid for TYPE1"},
    {"a NS \\# 2 0100", UK_EPROTO, 1, 9, "not valid for TYPE2"},
    {"a SOA \\# 2 0000", UK_EPROTO, 1, 10, "not valid for TYPE6"},
    {"a CAA \\# 3 000000", UK_EPROTO, 1, 10, "not valid for TYPE257"},
    {"a TYPE65534 \\# 2 0a", UK_EPROTO, 1, 16, "length 2 but 2 hex"},
    {"a TYPE65534 \\# 1 0a00", UK_EPROTO, 1, 18, "more hex data"},
    {"a TYPE65534 \\# 1 0g", UK_EPROTO, 1, 18, "hex digits"},
    {"a TYPE65534", UK_EPROTO, 1, 12, "missing RDATA (\\# length hex)"},
    {"a TYPE65534 \\# x", UK_EPROTO, 1, 16, "data length"},
    {"a TYPE65534 \\# 65536", UK_ERANGE, 1, 16, "data length"},
    {"u type300 \\# 3 0A 0b0\n", UK_EPROTO, 1, 14, "length 3 but 5"},
    {"a A 1.2.3.4\nb A 1.2.3.400\n", UK_EPROTO, 2, 5, "bad IPv4"},
    {"a A 1.2.3.4\n\tA bad\n", UK_EPROTO, 2, 4, "bad IPv4"},
    {"a A 1.2.3.4\x01", UK_EPROTO, 1, 12, "control byte 0x01"},
    {"a TXT \"\x7f\"", UK_EPROTO, 1, 8, "control byte 0x7f"},
    {"a A \"1.2.3.4\"", UK_EPROTO, 1, 5, "must not be a quoted"},
};

static void test_errors(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
        const struct errvec *v = &errs[i];
        struct recs rs = {0};
        struct uk_dns_zonefile_error err;
        int rc = parse(v->zone, &rs, &err);
        if (rc != v->rc || err.line != v->line || err.column != v->col ||
            strstr(err.message, v->frag) == NULL ||
            strcmp(err.file, "t.zone") != 0) {
            print_error("error vector %zu '%s': got %s %s:%u:%u: %s\n", i,
                        v->zone, uk_errname(rc), err.file, err.line,
                        err.column, err.message);
            fail();
        }
        free(rs.r);
    }
}

static void test_no_origin(void **state)
{
    struct recs rs = {0};
    struct uk_dns_zonefile_error err;
    static const char text[] = "a.example. A 1.2.3.4\nb A 1.2.3.4\n";
    int rc =
        uk_dns_zonefile_parse("n.zone", text, strlen(text), NULL, NULL, 0,
                              scratch, sizeof(scratch), collect, &rs, &err);
    (void)state;
    assert_int_equal(rc, UK_EPROTO);
    assert_int_equal(rs.n, 1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.message, "no $ORIGIN"));
    assert_int_equal(rs.r[0].ttl, 0);
    free(rs.r);
}

static void test_owner_carry(void **state)
{
    struct recs rs = {0};
    struct uk_dns_zonefile_error err;
    uint8_t w[UK_DNS_NAME_MAX];
    size_t n = wire("b.example.com.", w);
    (void)state;
    assert_int_equal(parse("a A 1.1.1.1\nb A 2.2.2.2\n A 3.3.3.3\n"
                           "\t( MX 1 x )\n",
                           &rs, &err),
                     0);
    assert_int_equal(rs.n, 4);
    assert_int_equal(rs.r[2].owner_len, n);
    assert_memory_equal(rs.r[2].owner, w, n);
    assert_int_equal(rs.r[3].owner_len, n);
    assert_int_equal(rs.r[3].type, UK_DNS_MX);
    free(rs.r);
}

static void test_callback_error(void **state)
{
    struct recs rs = {0};
    struct uk_dns_zonefile_error err;
    (void)state;
    rs.fail_at = 2;
    assert_int_equal(
        parse("a A 1.1.1.1\nb A 2.2.2.2\nc A 3.3.3.3\n", &rs, &err),
        UK_ENOSPC);
    assert_int_equal(rs.n, 1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.message, "record refused"));
    free(rs.r);
}

static void test_bad_arguments(void **state)
{
    struct recs rs = {0};
    struct uk_dns_zonefile_error err;
    static const uint8_t bad_origin[] = {64, 'a'};
    (void)state;
    assert_int_equal(uk_dns_zonefile_parse("x", "", 0, NULL, NULL, 0, scratch,
                                           UK_DNS_ZONEFILE_SCRATCH - 1,
                                           collect, &rs, &err),
                     UK_EINVAL);
    assert_non_null(strstr(err.message, "scratch"));
    assert_int_equal(uk_dns_zonefile_parse("x", "", 0, NULL, bad_origin, 0,
                                           scratch, sizeof(scratch), collect,
                                           &rs, &err),
                     UK_EINVAL);
    /* unaligned scratch of exactly the minimum works */
    assert_int_equal(
        uk_dns_zonefile_parse("x", "@ A 1.2.3.4", 11, NULL,
                              (const uint8_t *)"\0", 0, scratch + 1,
                              UK_DNS_ZONEFILE_SCRATCH, collect, &rs, &err),
        0);
    assert_int_equal(rs.n, 1);
    free(rs.r);
}

static void test_name_from_text(void **state)
{
    uint8_t out[UK_DNS_NAME_MAX], origin[UK_DNS_NAME_MAX];
    size_t n;
    char big[300];
    (void)state;
    wire("example.com.", origin);
    assert_int_equal(uk_dns_name_from_text("www", 3, origin, out, &n), 0);
    assert_int_equal(n, 17);
    assert_memory_equal(out, "\3www\7example\3com\0", 17);
    assert_int_equal(uk_dns_name_from_text("@", 1, origin, out, &n), 0);
    assert_int_equal(n, 13);
    assert_int_equal(uk_dns_name_from_text(".", 1, NULL, out, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], 0);
    assert_int_equal(uk_dns_name_from_text("A.b.", 4, origin, out, &n), 0);
    assert_memory_equal(out, "\1A\1b\0", 5);
    assert_int_equal(uk_dns_name_from_text("a\\.b\\032.", 9, NULL, out, &n),
                     0);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "\4a.b \0", 6);
    assert_int_equal(uk_dns_name_from_text("www", 3, NULL, out, &n),
                     UK_EINVAL);
    assert_int_equal(uk_dns_name_from_text("@", 1, NULL, out, &n), UK_EINVAL);
    assert_int_equal(uk_dns_name_from_text("", 0, origin, out, &n), UK_EINVAL);
    assert_int_equal(uk_dns_name_from_text("a..", 3, origin, out, &n),
                     UK_EINVAL);
    memset(big, 'a', sizeof(big));
    assert_int_equal(uk_dns_name_from_text(big, 64, origin, out, &n),
                     UK_ENAMETOOLONG);
    assert_int_equal(uk_dns_name_from_text(big, 63, origin, out, &n), 0);
    assert_int_equal(n, 64 + 13);
    /* 253 text bytes = 255 wire bytes: the longest name */
    for (n = 63; n < 253; n += 64)
        big[n] = '.';
    assert_int_equal(uk_dns_name_from_text(big, 253, NULL, out, &n),
                     UK_EINVAL); /* relative: no origin */
    big[253] = '.';
    assert_int_equal(uk_dns_name_from_text(big, 254, NULL, out, &n), 0);
    assert_int_equal(n, 255);
    big[254] = 'a';
    big[255] = '.';
    assert_int_equal(uk_dns_name_from_text(big, 256, NULL, out, &n),
                     UK_ENAMETOOLONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_no_origin),
        cmocka_unit_test(test_owner_carry),
        cmocka_unit_test(test_callback_error),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_name_from_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
