/*
 * test_dhcp_msg.c - the DHCP message parser and builder: table-driven
 * vectors for every validation rule, a builder round trip, and a replay of
 * the fuzz seeds (fuzz/tcpip/corpus/dhcp) plus pseudo-random mutations of
 * them and random bytes, so CI exercises the parser like the fuzzer does.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/bytes.h>
#include <uk/tcpip/dhcp_msg.h>

/* A message under construction: header, cookie, then options. */
struct m {
    uint8_t b[700];
    size_t n;
};

static void m_init(struct m *m, uint8_t op, uint8_t type)
{
    memset(m, 0, sizeof *m);
    m->b[0] = op;
    m->b[1] = 1;
    m->b[2] = 6;
    uk_store_be32(m->b + 4, 0xdeadbeefu);
    uk_store_be32(m->b + 16, 0x0a000032u);
    m->b[28] = 2;
    m->b[33] = 0x42;
    uk_store_be32(m->b + 236, UK_DHCP_MAGIC);
    m->n = 240;
    if (type != 0) {
        m->b[m->n++] = UK_DHCPOPT_MSG_TYPE;
        m->b[m->n++] = 1;
        m->b[m->n++] = type;
    }
}

static void m_raw(struct m *m, const uint8_t *p, size_t n)
{
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void m_opt(struct m *m, uint8_t code, uint8_t len, uint32_t v)
{
    m->b[m->n++] = code;
    m->b[m->n++] = len;
    if (len >= 4) {
        memset(m->b + m->n, 0, len);
        uk_store_be32(m->b + m->n, v);
    } else if (len > 0) {
        memset(m->b + m->n, (int)v, len);
    }
    m->n += len;
}

static void m_end(struct m *m)
{
    m->b[m->n++] = UK_DHCPOPT_END;
}

static int parse(const struct m *m, struct uk_dhcp_msg *out)
{
    return uk_dhcp_parse(m->b, m->n, out);
}

static void test_valid_ack(void **state)
{
    struct m m;
    struct uk_dhcp_msg d;
    (void)state;
    m_init(&m, UK_BOOTREPLY, UK_DHCPACK);
    m_opt(&m, UK_DHCPOPT_PAD, 0, 0); /* a PAD has no length... */
    m.n -= 1;                         /* ...so keep only the code byte */
    m_opt(&m, UK_DHCPOPT_SUBNET_MASK, 4, 0xffffff00u);
    m_opt(&m, UK_DHCPOPT_ROUTER, 8, 0x0a000001u);
    m_opt(&m, UK_DHCPOPT_SERVER_ID, 4, 0x0a000002u);
    m_opt(&m, UK_DHCPOPT_LEASE_TIME, 4, 3600);
    m_opt(&m, UK_DHCPOPT_T1, 4, 1000);
    m_opt(&m, UK_DHCPOPT_T2, 4, 2000);
    m_opt(&m, 200, 3, 7); /* unknown: skipped */
    m_end(&m);
    assert_int_equal(parse(&m, &d), 0);
    assert_int_equal(d.op, UK_BOOTREPLY);
    assert_int_equal(d.type, UK_DHCPACK);
    assert_int_equal(d.xid, 0xdeadbeefu);
    assert_int_equal(d.yiaddr.v, 0x0a000032u);
    assert_int_equal(d.chaddr.b[0], 2);
    assert_int_equal(d.chaddr.b[5], 0x42);
    assert_true(d.has_mask && d.has_router && d.has_server_id);
    assert_int_equal(d.mask.v, 0xffffff00u);
    assert_int_equal(d.router.v, 0x0a000001u);
    assert_int_equal(d.server_id.v, 0x0a000002u);
    assert_true(d.has_lease && d.has_t1 && d.has_t2);
    assert_int_equal(d.lease_s, 3600);
    assert_int_equal(d.t1_s, 1000);
    assert_int_equal(d.t2_s, 2000);
    assert_int_equal(d.ndns, 0);
    /* Trailing bytes after END are ignored. */
    m.b[m.n++] = 0x77;
    assert_int_equal(parse(&m, &d), 0);
}

/* A table of malformed variants of a valid OFFER. */
enum bad {
    SHORT,
    BAD_OP,
    BAD_HTYPE,
    BAD_HLEN,
    BAD_COOKIE,
    NO_TYPE,
    TYPE_ZERO,
    TYPE_NINE,
    TYPE_LEN2,
    NO_END,
    LEN_PAST_END,
    CODE_WITHOUT_LEN,
    MASK_LEN3,
    MASK_HOLES,
    ROUTER_LEN6,
    ROUTER_LEN0,
    DNS_LEN5,
    LEASE_LEN2,
    SERVER_LEN5,
    DUPLICATE,
    OVERLOAD_BAD_VALUE,
    OVERLOAD_LEN2,
    OVERLOAD_FILE_NO_END,
    OVERLOAD_INSIDE_FILE,
    NBAD
};

static void make_bad(enum bad which, struct m *m)
{
    m_init(m, UK_BOOTREPLY, UK_DHCPOFFER);
    switch (which) {
    case SHORT:
        m->n = 239;
        return;
    case BAD_OP:
        m->b[0] = 3;
        break;
    case BAD_HTYPE:
        m->b[1] = 6;
        break;
    case BAD_HLEN:
        m->b[2] = 16;
        break;
    case BAD_COOKIE:
        m->b[239] ^= 1;
        break;
    case NO_TYPE:
        m->n = 240;
        break;
    case TYPE_ZERO:
        m->b[242] = 0;
        break;
    case TYPE_NINE:
        m->b[242] = 9;
        break;
    case TYPE_LEN2:
        m->n = 240;
        m_opt(m, UK_DHCPOPT_MSG_TYPE, 2, 2);
        break;
    case NO_END:
        m_opt(m, UK_DHCPOPT_SERVER_ID, 4, 1);
        return;
    case LEN_PAST_END:
        m_opt(m, UK_DHCPOPT_SERVER_ID, 4, 1);
        m->b[m->n - 5] = 5; /* one more than what is left before END */
        break;
    case CODE_WITHOUT_LEN:
        m->b[m->n++] = UK_DHCPOPT_ROUTER;
        return;
    case MASK_LEN3:
        m_opt(m, UK_DHCPOPT_SUBNET_MASK, 3, 0xff);
        break;
    case MASK_HOLES:
        m_opt(m, UK_DHCPOPT_SUBNET_MASK, 4, 0xff00ff00u);
        break;
    case ROUTER_LEN6:
        m_opt(m, UK_DHCPOPT_ROUTER, 6, 1);
        break;
    case ROUTER_LEN0:
        m_opt(m, UK_DHCPOPT_ROUTER, 0, 0);
        break;
    case DNS_LEN5:
        m_opt(m, UK_DHCPOPT_DNS, 5, 1);
        break;
    case LEASE_LEN2:
        m_opt(m, UK_DHCPOPT_LEASE_TIME, 2, 1);
        break;
    case SERVER_LEN5:
        m_opt(m, UK_DHCPOPT_SERVER_ID, 5, 1);
        break;
    case DUPLICATE:
        m_opt(m, UK_DHCPOPT_LEASE_TIME, 4, 1);
        m_opt(m, UK_DHCPOPT_LEASE_TIME, 4, 2);
        break;
    case OVERLOAD_BAD_VALUE:
        m_opt(m, UK_DHCPOPT_OVERLOAD, 1, 4);
        break;
    case OVERLOAD_LEN2:
        m_opt(m, UK_DHCPOPT_OVERLOAD, 2, 1);
        break;
    case OVERLOAD_FILE_NO_END:
        m_opt(m, UK_DHCPOPT_OVERLOAD, 1, 1);
        memset(m->b + 108, UK_DHCPOPT_PAD, 128); /* no END in file */
        break;
    case OVERLOAD_INSIDE_FILE:
        m_opt(m, UK_DHCPOPT_OVERLOAD, 1, 1);
        m->b[108] = UK_DHCPOPT_OVERLOAD;
        m->b[109] = 1;
        m->b[110] = 2;
        m->b[111] = UK_DHCPOPT_END;
        break;
    case NBAD:
        break;
    }
    m_end(m);
}

static void test_malformed_rejected(void **state)
{
    struct m m;
    struct uk_dhcp_msg d;
    int i;
    (void)state;
    /* The unmodified base message is valid. */
    m_init(&m, UK_BOOTREPLY, UK_DHCPOFFER);
    m_end(&m);
    assert_int_equal(parse(&m, &d), 0);
    for (i = 0; i < NBAD; i++) {
        memset(&d, 0x5a, sizeof d);
        make_bad((enum bad)i, &m);
        if (uk_dhcp_parse(m.b, m.n, &d) != UK_EPROTO)
            fail_msg("malformed variant %d accepted", i);
        /* out is untouched on error */
        assert_int_equal(d.op, 0x5a);
    }
}

static void test_dns_list_capped(void **state)
{
    struct m m;
    struct uk_dhcp_msg d;
    uint8_t dns[2 + 24];
    int i;
    (void)state;
    m_init(&m, UK_BOOTREPLY, UK_DHCPACK);
    dns[0] = UK_DHCPOPT_DNS;
    dns[1] = 24;
    for (i = 0; i < 6; i++)
        uk_store_be32(dns + 2 + 4 * i, 0x01010100u + (uint32_t)i);
    m_raw(&m, dns, sizeof dns);
    m_end(&m);
    assert_int_equal(parse(&m, &d), 0);
    assert_int_equal(d.ndns, UK_DHCP_MAX_DNS);
    assert_int_equal(d.dns[3].v, 0x01010103u);
}

static void test_overload(void **state)
{
    struct m m;
    struct uk_dhcp_msg d;
    (void)state;
    m_init(&m, UK_BOOTREPLY, UK_DHCPACK);
    m_opt(&m, UK_DHCPOPT_OVERLOAD, 1, 3);
    m_end(&m);
    /* file: lease time; sname: server id */
    m.b[108] = UK_DHCPOPT_LEASE_TIME;
    m.b[109] = 4;
    uk_store_be32(m.b + 110, 600);
    m.b[114] = UK_DHCPOPT_END;
    m.b[44] = UK_DHCPOPT_SERVER_ID;
    m.b[45] = 4;
    uk_store_be32(m.b + 46, 0x0a000001u);
    m.b[50] = UK_DHCPOPT_END;
    assert_int_equal(parse(&m, &d), 0);
    assert_true(d.has_lease);
    assert_int_equal(d.lease_s, 600);
    assert_true(d.has_server_id);
    assert_int_equal(d.server_id.v, 0x0a000001u);
    /* Without the overload option, file and sname are not options. */
    m.n = 240 + 3;
    m_end(&m);
    assert_int_equal(parse(&m, &d), 0);
    assert_false(d.has_lease);
    /* An option in file may not run into sname or past 128 bytes. */
    m.n = 240 + 3;
    m_opt(&m, UK_DHCPOPT_OVERLOAD, 1, 1);
    m_end(&m);
    m.b[108 + 120] = UK_DHCPOPT_HOSTNAME;
    m.b[108 + 121] = 10;
    m.b[108] = UK_DHCPOPT_PAD;
    memset(m.b + 108, 0, 120);
    assert_int_equal(parse(&m, &d), UK_EPROTO);
}

static void test_build_round_trip(void **state)
{
    struct uk_dhcp_build b;
    struct uk_dhcp_msg d;
    uint8_t out[UK_DHCP_MAX_LEN];
    size_t n;
    char host[100];
    (void)state;
    memset(&b, 0, sizeof b);
    memset(host, 'h', sizeof host - 1);
    host[sizeof host - 1] = '\0';
    b.type = UK_DHCPREQUEST;
    b.xid = 0x01020304u;
    b.secs = 7;
    b.broadcast = true;
    b.mac.b[0] = 2;
    b.mac.b[5] = 9;
    b.has_requested = true;
    b.requested = uk_ipv4(10, 0, 0, 50);
    b.has_server_id = true;
    b.server_id = uk_ipv4(10, 0, 0, 1);
    b.hostname = host;
    assert_int_equal(uk_dhcp_build(&b, out, sizeof out - 1), 0);
    n = uk_dhcp_build(&b, out, sizeof out);
    assert_true(n >= UK_DHCP_MIN_LEN && n <= UK_DHCP_MAX_LEN);
    assert_int_equal(uk_dhcp_parse(out, n, &d), 0);
    assert_int_equal(d.op, UK_BOOTREQUEST);
    assert_int_equal(d.type, UK_DHCPREQUEST);
    assert_int_equal(d.xid, 0x01020304u);
    assert_int_equal(d.secs, 7);
    assert_int_equal(d.flags, UK_DHCP_FLAG_BROADCAST);
    assert_int_equal(d.chaddr.b[5], 9);
    assert_true(d.has_requested && d.has_server_id);
    assert_int_equal(d.requested.v, 0x0a000032u);
    assert_int_equal(d.server_id.v, 0x0a000001u);
    /* A short DISCOVER is padded to the BOOTP minimum. */
    memset(&b, 0, sizeof b);
    b.type = UK_DHCPDISCOVER;
    n = uk_dhcp_build(&b, out, sizeof out);
    assert_int_equal(n, UK_DHCP_MIN_LEN);
    assert_int_equal(uk_dhcp_parse(out, n, &d), 0);
    assert_false(d.has_requested);
}

/* ---- seed replay and random inputs ------------------------------------ */

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Parses buf, checking the promises the parser makes on success. */
static void check_one(const uint8_t *buf, size_t n)
{
    struct uk_dhcp_msg d;
    if (uk_dhcp_parse(buf, n, &d) == 0) {
        assert_true(n >= UK_DHCP_OPTIONS_OFF);
        assert_in_range(d.type, UK_DHCPDISCOVER, UK_DHCPINFORM);
        assert_true(d.ndns <= UK_DHCP_MAX_DNS);
    }
}

/* Copies into exactly-sized heap memory so ASan sees any overread. */
static void check_exact(const uint8_t *buf, size_t n)
{
    uint8_t *p = malloc(n > 0 ? n : 1);
    assert_non_null(p);
    if (n > 0)
        memcpy(p, buf, n);
    check_one(p, n);
    free(p);
}

static void mutate_and_check(const uint8_t *seed, size_t n, unsigned rounds)
{
    uint8_t buf[1024];
    unsigned r;
    for (r = 0; r < rounds; r++) {
        size_t len = n, k, flips = 1 + next_rand() % 8;
        memcpy(buf, seed, n);
        for (k = 0; k < flips; k++) {
            size_t at = next_rand() % (len > 0 ? len : 1);
            switch (next_rand() % 4) {
            case 0:
                buf[at] = (uint8_t)next_rand();
                break;
            case 1: /* small values hit lengths and codes */
                buf[at] = (uint8_t)(next_rand() % 8);
                break;
            case 2:
                len = at;
                break;
            default:
                if (len < sizeof buf)
                    buf[len++] = (uint8_t)next_rand();
                break;
            }
        }
        check_exact(buf, len);
    }
}

static void test_seed_replay(void **state)
{
    const char *src = getenv("UK_SOURCE_DIR");
    char dir[1024], path[1300];
    DIR *dp;
    struct dirent *e;
    unsigned seeds = 0;
    (void)state;
    if (src == NULL)
        src = ".";
    snprintf(dir, sizeof dir, "%s/fuzz/tcpip/corpus/dhcp", src);
    dp = opendir(dir);
    if (dp == NULL)
        fail_msg("cannot open the seed corpus %s (set UK_SOURCE_DIR)", dir);
    while ((e = readdir(dp)) != NULL) {
        uint8_t buf[1024];
        size_t n;
        FILE *f;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        assert_non_null(f);
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        check_exact(buf, n);
        mutate_and_check(buf, n, 1000);
        seeds++;
    }
    closedir(dp);
    assert_true(seeds >= 4);
}

static void test_random_bytes(void **state)
{
    uint8_t buf[600];
    unsigned r;
    (void)state;
    for (r = 0; r < 3000; r++) {
        size_t n = next_rand() % sizeof buf, i;
        for (i = 0; i < n; i++)
            buf[i] = (uint8_t)next_rand();
        /* Mostly valid headers, so the option parser gets exercised. */
        if (n >= 240 && (r & 1)) {
            buf[0] = 2;
            buf[1] = 1;
            buf[2] = 6;
            uk_store_be32(buf + 236, UK_DHCP_MAGIC);
        }
        check_exact(buf, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_ack),
        cmocka_unit_test(test_malformed_rejected),
        cmocka_unit_test(test_dns_list_capped),
        cmocka_unit_test(test_overload),
        cmocka_unit_test(test_build_round_trip),
        cmocka_unit_test(test_seed_replay),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
