/*
 * test_ipaddr.c - address value types (uk/ipaddr.h): table-driven vectors
 * for the strict parsers, formatting round trips, masks and subnets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/ipaddr.h>

struct v4_case {
    const char *s;
    int ok;
    uint32_t v;
};

static const struct v4_case v4_cases[] = {
    {"0.0.0.0", 1, 0},
    {"10.0.0.1", 1, 0x0a000001u},
    {"127.0.0.1", 1, 0x7f000001u},
    {"255.255.255.255", 1, 0xffffffffu},
    {"192.168.100.200", 1, 0xc0a864c8u},
    {"1.2.3.4", 1, 0x01020304u},
    {"", 0, 0},
    {"1", 0, 0},
    {"1.2", 0, 0},
    {"1.2.3", 0, 0},       /* missing octet */
    {"1.2.3.4.5", 0, 0},
    {"1.2.3.4.", 0, 0},    /* trailing dot */
    {".1.2.3.4", 0, 0},
    {"1..3.4", 0, 0},
    {"256.0.0.1", 0, 0},
    {"1.2.3.256", 0, 0},
    {"1.2.3.1000", 0, 0},
    {"01.2.3.4", 0, 0},    /* leading zeros */
    {"1.2.3.04", 0, 0},
    {"1.2.3.00", 0, 0},
    {"1.2.3.4 ", 0, 0},    /* spaces */
    {" 1.2.3.4", 0, 0},
    {"1. 2.3.4", 0, 0},
    {"1.2.3.-4", 0, 0},
    {"+1.2.3.4", 0, 0},
    {"0x1.2.3.4", 0, 0},
    {"a.b.c.d", 0, 0},
    {"1.2.3.4/8", 0, 0},
    {"1.2.3.4:80", 0, 0},
    {"99999999999999999999.1.1.1", 0, 0},
};

static void test_ipv4_parse(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof v4_cases / sizeof v4_cases[0]; i++) {
        const struct v4_case *c = &v4_cases[i];
        struct uk_ipv4_addr a = {0xdeadbeefu};
        int rc = uk_ipv4_parse(c->s, strlen(c->s), &a);
        if (c->ok) {
            char buf[UK_IPV4_STRLEN];
            if (rc != 0 || a.v != c->v)
                fail_msg("'%s': rc %d v %08x", c->s, rc, (unsigned)a.v);
            assert_string_equal(uk_ipv4_format(a, buf), c->s);
        } else if (rc != UK_EINVAL || a.v != 0xdeadbeefu) {
            fail_msg("'%s' accepted (rc %d) or output touched", c->s, rc);
        }
    }
}

static void test_ipv4_parse_length(void **state)
{
    struct uk_ipv4_addr a = {0};
    const char *s = "10.1.2.3xyz";
    (void)state;
    /* Exactly n bytes are parsed: no NUL needed, the rest is ignored. */
    assert_int_equal(uk_ipv4_parse(s, 8, &a), 0);
    assert_true(uk_ipv4_eq(a, uk_ipv4(10, 1, 2, 3)));
    assert_int_equal(uk_ipv4_parse(s, 7, &a), UK_EINVAL); /* "10.1.2." */
    assert_int_equal(uk_ipv4_parse(s, 6, &a), UK_EINVAL); /* "10.1.2" */
    assert_int_equal(uk_ipv4_parse(s, 9, &a), UK_EINVAL);
    assert_int_equal(uk_ipv4_parse(s, 0, &a), UK_EINVAL);
}

static void test_format_all_octets(void **state)
{
    char buf[UK_IPV4_STRLEN];
    unsigned i;
    (void)state;
    for (i = 0; i < 256; i++) {
        struct uk_ipv4_addr a = uk_ipv4(i, 255 - i, i / 2, 0), b = {0};
        uk_ipv4_format(a, buf);
        assert_true(strlen(buf) < UK_IPV4_STRLEN);
        assert_int_equal(uk_ipv4_parse(buf, strlen(buf), &b), 0);
        assert_true(uk_ipv4_eq(a, b));
    }
    assert_string_equal(uk_ipv4_format(uk_ipv4_any(), buf), "0.0.0.0");
    assert_string_equal(uk_ipv4_format(uk_ipv4(300, 1, 2, 3), buf),
                        "44.1.2.3"); /* uk_ipv4 keeps the low 8 bits */
}

struct cidr_case {
    const char *s;
    int ok;
    uint32_t v;
    unsigned prefix;
};

static const struct cidr_case cidr_cases[] = {
    {"10.0.0.0/8", 1, 0x0a000000u, 8},
    {"192.168.1.7/24", 1, 0xc0a80107u, 24},
    {"0.0.0.0/0", 1, 0, 0},
    {"1.2.3.4/32", 1, 0x01020304u, 32},
    {"1.2.3.4/33", 0, 0, 0},
    {"1.2.3.4/", 0, 0, 0},
    {"1.2.3.4", 0, 0, 0},
    {"/24", 0, 0, 0},
    {"1.2.3.4/08", 0, 0, 0},
    {"1.2.3.4/-1", 0, 0, 0},
    {"1.2.3.4/24 ", 0, 0, 0},
    {"1.2.3.4/2/4", 0, 0, 0},
    {"1.2.3/24", 0, 0, 0},
    {"1.2.3.4/99999999999999999999999", 0, 0, 0},
};

static void test_cidr_parse(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cidr_cases / sizeof cidr_cases[0]; i++) {
        const struct cidr_case *c = &cidr_cases[i];
        struct uk_ipv4_addr a = {7};
        unsigned prefix = 99;
        int rc = uk_ipv4_parse_cidr(c->s, strlen(c->s), &a, &prefix);
        if (c->ok ? rc != 0 || a.v != c->v || prefix != c->prefix
                  : rc != UK_EINVAL || a.v != 7 || prefix != 99)
            fail_msg("cidr '%s': rc %d", c->s, rc);
    }
}

struct ep_case {
    const char *s;
    int ok;
    uint32_t v;
    uint16_t port;
};

static const struct ep_case ep_cases[] = {
    {"127.0.0.1:80", 1, 0x7f000001u, 80},
    {"0.0.0.0:0", 1, 0, 0},
    {"10.0.0.1:65535", 1, 0x0a000001u, 65535},
    {"10.0.0.1:65536", 0, 0, 0},
    {"10.0.0.1:", 0, 0, 0},
    {"10.0.0.1", 0, 0, 0},
    {":80", 0, 0, 0},
    {"10.0.0.1:080", 0, 0, 0},
    {"10.0.0.1:8 0", 0, 0, 0},
    {"10.0.0.1:80:80", 0, 0, 0},
    {"10.0.0:80", 0, 0, 0},
    {"10.0.0.1:+80", 0, 0, 0},
};

static void test_ep_parse(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ep_cases / sizeof ep_cases[0]; i++) {
        const struct ep_case *c = &ep_cases[i];
        struct uk_ipv4_ep ep = {{7}, 7};
        int rc = uk_ipv4_ep_parse(c->s, strlen(c->s), &ep);
        if (c->ok) {
            char buf[UK_IPV4_EP_STRLEN];
            if (rc != 0 || ep.addr.v != c->v || ep.port != c->port)
                fail_msg("ep '%s': rc %d", c->s, rc);
            assert_string_equal(uk_ipv4_ep_format(&ep, buf), c->s);
        } else if (rc != UK_EINVAL || ep.addr.v != 7 || ep.port != 7) {
            fail_msg("ep '%s' accepted (rc %d) or output touched", c->s, rc);
        }
    }
}

static void test_ep_format_longest(void **state)
{
    struct uk_ipv4_ep ep = {{0xffffffffu}, 65535};
    char buf[UK_IPV4_EP_STRLEN];
    (void)state;
    uk_ipv4_ep_format(&ep, buf);
    assert_string_equal(buf, "255.255.255.255:65535");
    assert_int_equal(strlen(buf) + 1, UK_IPV4_EP_STRLEN);
}

struct mac_case {
    const char *s;
    int ok;
    uint8_t b[6];
    const char *canon; /* the formatted form */
};

static const struct mac_case mac_cases[] = {
    {"02:00:00:00:00:01", 1, {2, 0, 0, 0, 0, 1}, "02:00:00:00:00:01"},
    {"ff:ff:ff:ff:ff:ff", 1, {255, 255, 255, 255, 255, 255},
     "ff:ff:ff:ff:ff:ff"},
    {"AA:bb:Cc:dD:01:9f", 1, {0xaa, 0xbb, 0xcc, 0xdd, 1, 0x9f},
     "aa:bb:cc:dd:01:9f"},
    {"02-00-5e-10-00-00", 1, {2, 0, 0x5e, 0x10, 0, 0}, "02:00:5e:10:00:00"},
    {"02:00-5e:10:00:00", 0, {0}, NULL}, /* mixed separators */
    {"02.00.5e.10.00.00", 0, {0}, NULL},
    {"02:00:00:00:00", 0, {0}, NULL},
    {"02:00:00:00:00:01:", 0, {0}, NULL},
    {"02:00:00:00:00:1", 0, {0}, NULL},
    {"2:0:0:0:0:1", 0, {0}, NULL},
    {"02:00:00:00:00:0g", 0, {0}, NULL},
    {"0200.0000.0001", 0, {0}, NULL},
    {"020000000001", 0, {0}, NULL},
    {" 02:00:00:00:00:1", 0, {0}, NULL},
    {"", 0, {0}, NULL},
};

static void test_mac(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof mac_cases / sizeof mac_cases[0]; i++) {
        const struct mac_case *c = &mac_cases[i];
        struct uk_mac m = {{9, 9, 9, 9, 9, 9}}, back;
        int rc = uk_mac_parse(c->s, strlen(c->s), &m);
        if (c->ok) {
            char buf[UK_MAC_STRLEN];
            if (rc != 0 || memcmp(m.b, c->b, 6) != 0)
                fail_msg("mac '%s': rc %d", c->s, rc);
            assert_string_equal(uk_mac_format(&m, buf), c->canon);
            assert_int_equal(uk_mac_parse(buf, strlen(buf), &back), 0);
            assert_true(uk_mac_eq(&m, &back));
        } else if (rc != UK_EINVAL || m.b[0] != 9) {
            fail_msg("mac '%s' accepted (rc %d) or output touched", c->s,
                     rc);
        }
    }
}

static void test_mac_predicates(void **state)
{
    struct uk_mac bc = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
    struct uk_mac mc = {{0x01, 0x00, 0x5e, 0, 0, 1}};
    struct uk_mac uc = {{0x02, 0, 0, 0, 0, 1}};
    struct uk_mac almost = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}};
    (void)state;
    assert_true(uk_mac_is_broadcast(&bc));
    assert_false(uk_mac_is_broadcast(&almost));
    assert_true(uk_mac_is_multicast(&bc));
    assert_true(uk_mac_is_multicast(&mc));
    assert_false(uk_mac_is_multicast(&uc));
    assert_false(uk_mac_eq(&uc, &mc));
    assert_true(uk_mac_eq(&uc, &uc));
}

static void test_netmask_subnet(void **state)
{
    static const struct {
        unsigned prefix;
        uint32_t mask;
    } masks[] = {{0, 0},           {1, 0x80000000u},  {8, 0xff000000u},
                 {16, 0xffff0000u}, {23, 0xfffffe00u}, {24, 0xffffff00u},
                 {31, 0xfffffffeu}, {32, 0xffffffffu}, {33, 0xffffffffu}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof masks / sizeof masks[0]; i++)
        assert_int_equal(uk_ipv4_netmask(masks[i].prefix).v, masks[i].mask);
    assert_true(uk_ipv4_same_subnet(uk_ipv4(10, 0, 0, 1),
                                    uk_ipv4(10, 0, 0, 254),
                                    uk_ipv4_netmask(24)));
    assert_false(uk_ipv4_same_subnet(uk_ipv4(10, 0, 0, 1),
                                     uk_ipv4(10, 0, 1, 1),
                                     uk_ipv4_netmask(24)));
    assert_true(uk_ipv4_same_subnet(uk_ipv4(10, 0, 0, 1),
                                    uk_ipv4(10, 0, 1, 1),
                                    uk_ipv4_netmask(23)));
    assert_true(uk_ipv4_same_subnet(uk_ipv4(1, 2, 3, 4),
                                    uk_ipv4(200, 1, 1, 1),
                                    uk_ipv4_netmask(0)));
    assert_false(uk_ipv4_same_subnet(uk_ipv4(10, 0, 0, 1),
                                     uk_ipv4(10, 0, 0, 2),
                                     uk_ipv4_netmask(32)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_parse),
        cmocka_unit_test(test_ipv4_parse_length),
        cmocka_unit_test(test_format_all_octets),
        cmocka_unit_test(test_cidr_parse),
        cmocka_unit_test(test_ep_parse),
        cmocka_unit_test(test_ep_format_longest),
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_mac_predicates),
        cmocka_unit_test(test_netmask_subnet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
