/*
 * test_zonefile_zone.c - the zone-file parser on whole files: $INCLUDE
 * through a fake store (scoped origin, owner revert, confinement to the
 * zone's directory, depth limit, size limit, map and read paths), loading
 * by key, and tests/dns/zones/example.zone, checked record by record and
 * against NSD's own parse of it (nsd-checkzone -p) when NSD is installed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_zonefile_support.h"

static uint8_t scratch[TEST_SCRATCH];

static const struct fake_file files[] = {
    {"zones/main.zone", "$ORIGIN example.com.\n"
                        "a A 1.1.1.1\n"
                        "$INCLUDE sub/inc.zone sub\n"
                        "  A 2.2.2.2\n"
                        "@ A 3.3.3.3\n"},
    {"zones/sub/inc.zone", "x A 10.0.0.1\n"
                           "  A 10.0.0.2\n"
                           "$INCLUDE \"deeper.zone\" deep.example.org.\n"
                           "y A 10.0.0.3\n"},
    {"zones/sub/deeper.zone", "@ TXT deep\n"},
    {"zones/dotdot.zone", "$INCLUDE sub/../main.zone\n"},
    {"zones/dotdot2.zone", "$INCLUDE ..\n"},
    {"zones/abs.zone", "$INCLUDE /etc/passwd\n"},
    {"zones/dot.zone", "$INCLUDE ./sub/inc.zone\n"},
    {"zones/nul.zone", "$INCLUDE sub\\000x\n"},
    {"zones/missing.zone", "a A 1.1.1.1\n$INCLUDE nothere.zone\n"},
    {"zones/dir.zone", "$INCLUDE sub\n"},
    {"zones/sub", NULL},
    {"zones/loop.zone", "@ A 1.1.1.1\n$INCLUDE loop.zone\n"},
    {"zones/bad.zone", "@ A 1.1.1.1\n$INCLUDE bad-inc.zone\n"},
    {"zones/bad-inc.zone", "ok A 1.1.1.1\n\nbad A 1.1.1\n"},
    {"zones/paren.zone", "$INCLUDE paren-inc.zone\n"},
    {"zones/paren-inc.zone", "@ A ( 1.1.1.1\n"},
    {"zones/extra.zone", "$INCLUDE sub/deeper.zone example.net. junk\n"},
    {"top.zone", "$INCLUDE zones/sub/deeper.zone\n"},
    {NULL, NULL},
};

static int load(const char *key, bool can_map, size_t scratch_len,
                struct recs *rs, struct uk_dns_zonefile_error *err)
{
    static struct fake_kv kv;
    uint8_t origin[UK_DNS_NAME_MAX];
    wire("example.com.", origin);
    fake_kv_init(&kv, files, can_map);
    return uk_dns_zonefile_load(&kv.kv, key, origin, 3600, scratch,
                                scratch_len, collect, rs, err);
}

static void assert_owner(const struct rec *r, const char *name)
{
    uint8_t w[UK_DNS_NAME_MAX];
    size_t n = wire(name, w);
    assert_int_equal(r->owner_len, n);
    assert_memory_equal(r->owner, w, n);
}

static void test_include(void **state)
{
    int map;
    (void)state;
    for (map = 0; map < 2; map++) {
        struct recs rs = {0};
        struct uk_dns_zonefile_error err;
        int rc = load("zones/main.zone", map, sizeof(scratch), &rs, &err);
        if (rc != 0)
            print_error("%s:%u:%u: %s\n", err.file, err.line, err.column,
                        err.message);
        assert_int_equal(rc, 0);
        assert_int_equal(rs.n, 7);
        assert_owner(&rs.r[0], "a.example.com.");
        assert_owner(&rs.r[1], "x.sub.example.com.");
        assert_owner(&rs.r[2], "x.sub.example.com.");
        assert_owner(&rs.r[3], "deep.example.org.");
        assert_int_equal(rs.r[3].type, UK_DNS_TXT);
        /* origin and owner revert after each $INCLUDE */
        assert_owner(&rs.r[4], "y.sub.example.com.");
        assert_owner(&rs.r[5], "a.example.com.");
        assert_memory_equal(rs.r[5].rdata, "\2\2\2\2", 4);
        assert_owner(&rs.r[6], "example.com.");
        free(rs.r);
    }
}

struct inc_err {
    const char *key;
    int rc;
    const char *file;
    unsigned line, col;
    const char *frag;
};

static const struct inc_err inc_errs[] = {
    {"zones/dotdot.zone", UK_EACCES, "zones/dotdot.zone", 1, 10, "'..'"},
    {"zones/dotdot2.zone", UK_EACCES, "zones/dotdot2.zone", 1, 10, "'..'"},
    {"zones/abs.zone", UK_EACCES, "zones/abs.zone", 1, 10, "relative"},
    {"zones/dot.zone", UK_EINVAL, "zones/dot.zone", 1, 10, "invalid $INCLUDE"},
    {"zones/nul.zone", UK_EINVAL, "zones/nul.zone", 1, 10, "NUL byte"},
    {"zones/missing.zone", UK_ENOENT, "zones/missing.zone", 2, 10,
     "cannot read 'zones/nothere.zone'"},
    {"zones/dir.zone", UK_EISDIR, "zones/dir.zone", 1, 10, "cannot read"},
    {"zones/loop.zone", UK_ELIMIT, "zones/loop.zone", 2, 1, "nested"},
    {"zones/bad.zone", UK_EPROTO, "zones/bad-inc.zone", 3, 7, "bad IPv4"},
    {"zones/paren.zone", UK_EPROTO, "zones/paren-inc.zone", 1, 5,
     "never closed"},
    {"zones/extra.zone", UK_EPROTO, "zones/extra.zone", 1, 39,
     "unexpected 'junk'"},
    {"zones/none.zone", UK_ENOENT, "zones/none.zone", 0, 0, "cannot read"},
    {"../x.zone", UK_EINVAL, "../x.zone", 0, 0, "invalid key"},
};

static void test_include_errors(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(inc_errs) / sizeof(inc_errs[0]); i++) {
        const struct inc_err *v = &inc_errs[i];
        struct recs rs = {0};
        struct uk_dns_zonefile_error err;
        int rc = load(v->key, i % 2 == 0, sizeof(scratch), &rs, &err);
        if (rc != v->rc || strcmp(err.file, v->file) != 0 ||
            err.line != v->line || err.column != v->col ||
            strstr(err.message, v->frag) == NULL) {
            print_error("case %zu %s: %s %s:%u:%u: %s\n", i, v->key,
                        uk_errname(rc), err.file, err.line, err.column,
                        err.message);
            fail();
        }
        free(rs.r);
    }
}

static void test_include_top_dir(void **state)
{
    struct recs rs = {0};
    struct uk_dns_zonefile_error err;
    (void)state;
    assert_int_equal(load("top.zone", false, sizeof(scratch), &rs, &err), 0);
    assert_int_equal(rs.n, 1);
    assert_owner(&rs.r[0], "example.com.");
    free(rs.r);
}

static void test_include_count(void **state)
{
    static const char line[] = "$INCLUDE sub/deeper.zone\n";
    static char text[(UK_DNS_ZONEFILE_INCLUDES + 1) * sizeof(line)];
    struct fake_file table[3];
    struct fake_kv kv;
    struct recs rs = {0};
    struct uk_dns_zonefile_error err;
    size_t i;
    (void)state;
    for (i = 0; i <= UK_DNS_ZONEFILE_INCLUDES; i++)
        memcpy(text + i * (sizeof(line) - 1), line, sizeof(line) - 1);
    table[0].key = "many.zone";
    table[0].text = text;
    table[1].key = "sub/deeper.zone";
    table[1].text = "x. TXT deep\n";
    table[2].key = NULL;
    fake_kv_init(&kv, table, true);
    assert_int_equal(uk_dns_zonefile_load(&kv.kv, "many.zone", NULL, 0,
                                          scratch, sizeof(scratch), collect,
                                          &rs, &err),
                     UK_ELIMIT);
    assert_int_equal(rs.n, UK_DNS_ZONEFILE_INCLUDES);
    assert_int_equal(err.line, UK_DNS_ZONEFILE_INCLUDES + 1);
    assert_non_null(strstr(err.message, "$INCLUDEs"));
    free(rs.r);
}

static void test_scratch_limit(void **state)
{
    static char big[40000];
    struct fake_file table[3];
    struct fake_kv kv;
    struct recs rs = {0};
    struct uk_dns_zonefile_error err;
    size_t i;
    (void)state;
    for (i = 0; i + 1 < sizeof(big); i++)
        big[i] = i % 40 == 39 ? '\n' : i % 40 == 0 ? ';' : 'x';
    table[0].key = "big.zone";
    table[0].text = big;
    table[1].key = "inc-big.zone";
    table[1].text = "\n$INCLUDE big.zone\n";
    table[2].key = NULL;
    fake_kv_init(&kv, table, false);
    /* the main file does not fit the minimum scratch */
    assert_int_equal(uk_dns_zonefile_load(&kv.kv, "big.zone", NULL, 0, scratch,
                                          UK_DNS_ZONEFILE_SCRATCH, collect,
                                          &rs, &err),
                     UK_ENOSPC);
    assert_string_equal(err.file, "big.zone");
    assert_non_null(strstr(err.message, "39999 bytes"));
    /* nor does an included one; the error points at the $INCLUDE */
    assert_int_equal(uk_dns_zonefile_load(&kv.kv, "inc-big.zone", NULL, 0,
                                          scratch, UK_DNS_ZONEFILE_SCRATCH,
                                          collect, &rs, &err),
                     UK_ENOSPC);
    assert_string_equal(err.file, "inc-big.zone");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 10);
    assert_non_null(strstr(err.message, "scratch left"));
    /* with room, or with a store that maps, it loads */
    kv.reads = 0;
    assert_int_equal(uk_dns_zonefile_load(&kv.kv, "inc-big.zone", NULL, 0,
                                          scratch, sizeof(scratch), collect,
                                          &rs, &err),
                     0);
    assert_int_equal(kv.reads, 2);
    fake_kv_init(&kv, table, true);
    assert_int_equal(uk_dns_zonefile_load(&kv.kv, "inc-big.zone", NULL, 0,
                                          scratch, UK_DNS_ZONEFILE_SCRATCH,
                                          collect, &rs, &err),
                     0);
    assert_int_equal(kv.maps, 2);
    assert_int_equal(kv.reads, 0);
    assert_int_equal(rs.n, 0);
}

/* Reads a whole file into a malloc'd NUL-terminated buffer. */
static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *zone_path(const char *name)
{
    static char path[4096];
    const char *src = getenv("UK_SOURCE_DIR");
    if (src == NULL)
        return NULL;
    snprintf(path, sizeof(path), "%s/tests/dns/zones/%s", src, name);
    return path;
}

static void parse_text(const char *name, const char *text, size_t len,
                       const uint8_t *origin, struct recs *rs)
{
    struct uk_dns_zonefile_error err;
    int rc =
        uk_dns_zonefile_parse(name, text, len, NULL, origin, 3600, scratch,
                              sizeof(scratch), collect, rs, &err);
    if (rc != 0)
        print_error("%s:%u:%u: %s\n", err.file, err.line, err.column,
                    err.message);
    assert_int_equal(rc, 0);
}

static const struct rec *find(const struct recs *rs, const char *owner,
                              uint16_t type, size_t nth)
{
    uint8_t w[UK_DNS_NAME_MAX];
    size_t n = wire(owner, w), i;
    for (i = 0; i < rs->n; i++)
        if (rs->r[i].type == type && rs->r[i].owner_len == n &&
            memcmp(rs->r[i].owner, w, n) == 0 && nth-- == 0)
            return &rs->r[i];
    fail_msg("no %s type %u", owner, type);
    return NULL;
}

static void test_example_zone(void **state)
{
    const char *path = zone_path("example.zone");
    struct recs rs = {0};
    const struct rec *r;
    FILE *f;
    char *text;
    size_t len, i;
    (void)state;
    if (path == NULL)
        skip(); /* run through ctest, which sets UK_SOURCE_DIR */
    f = fopen(path, "rb");
    assert_non_null(f);
    text = slurp(f, &len);
    fclose(f);
    parse_text("example.zone", text, len, NULL, &rs);
    assert_int_equal(rs.n, 43);
    r = &rs.r[0];
    assert_int_equal(r->type, UK_DNS_SOA);
    assert_int_equal(r->ttl, 3600);
    assert_int_equal(r->rdlen, 17 + 24 + 20);
    assert_memory_equal(r->rdata + 41,
                        "\x78\xc4\x06\xbd\0\0\x1c\x20\0\0\x07\x08"
                        "\0\x12\x75\0\0\0\x01\x2c",
                        20);
    r = find(&rs, "long.example.com.", UK_DNS_TXT, 0);
    assert_int_equal(r->rdlen, 65 + 65 + 256);
    assert_int_equal(r->rdata[130], 255);
    r = find(&rs, "generic.example.com.", UK_DNS_A, 0);
    assert_memory_equal(r->rdata, "\xc0\0\2\5", 4);
    r = find(&rs, "v4mapped.example.com.", UK_DNS_AAAA, 0);
    assert_memory_equal(r->rdata, "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\0\2\1",
                        16);
    r = find(&rs, "ns2.example.com.", UK_DNS_A, 0);
    assert_int_equal(r->ttl, 7200);
    r = find(&rs, "ns1.sub.example.com.", UK_DNS_AAAA, 0);
    r = find(&rs, "_sip._tcp.example.com.", UK_DNS_SRV, 0);
    assert_memory_equal(r->rdata, "\0\x0a\0\x14\x13\xc4\3sip", 10);
    r = find(&rs, "MiXeD.example.com.", UK_DNS_A, 0);
    r = find(&rs, "www.example.com.", UK_DNS_A, 1);
    assert_int_equal(r->ttl, 300);
    r = find(&rs, "example.com.", UK_DNS_CAA, 1);
    assert_int_equal(r->rdata[0], 128);
    r = find(&rs, "unknown.example.com.", 65280, 0);
    assert_int_equal(r->rdlen, 4);
    for (i = 0; i < rs.n; i++)
        assert_int_equal(rs.r[i].rclass, UK_DNS_IN);
    free(rs.r);
    free(text);
}

static void lower(uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] >= 'A' && p[i] <= 'Z')
            p[i] = (uint8_t)(p[i] + 32);
}

static int rec_cmp(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    int c;
    if (x->owner_len != y->owner_len)
        return x->owner_len < y->owner_len ? -1 : 1;
    if ((c = memcmp(x->owner, y->owner, x->owner_len)) != 0)
        return c;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->ttl != y->ttl)
        return x->ttl < y->ttl ? -1 : 1;
    if (x->rdlen != y->rdlen)
        return x->rdlen < y->rdlen ? -1 : 1;
    return memcmp(x->rdata, y->rdata, x->rdlen);
}

/* Our parse of a zone equals our parse of NSD's canonical print of it:
 * same records, TTLs and RDATA bytes (owners compared in lower case, as
 * NSD prints them). */
static void compare_with_nsd(const char *name)
{
    const char *path = zone_path(name);
    struct recs ours = {0}, nsd = {0};
    char cmd[4300], *text, *printed;
    size_t len, plen, i;
    FILE *f;
    f = fopen(path, "rb");
    assert_non_null(f);
    text = slurp(f, &len);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "nsd-checkzone -p example.com '%s' 2>&1", path);
    f = popen(cmd, "r");
    assert_non_null(f);
    printed = slurp(f, &plen);
    assert_int_equal(pclose(f), 0);
    if (strstr(printed, "warning") != NULL)
        fail_msg("NSD warns about %s:\n%s", name, printed);
    parse_text(name, text, len, NULL, &ours);
    parse_text("nsd-print", printed, plen, NULL, &nsd);
    assert_int_equal(ours.n, nsd.n);
    for (i = 0; i < ours.n; i++) {
        lower(ours.r[i].owner, ours.r[i].owner_len);
        lower(nsd.r[i].owner, nsd.r[i].owner_len);
    }
    qsort(ours.r, ours.n, sizeof(*ours.r), rec_cmp);
    qsort(nsd.r, nsd.n, sizeof(*nsd.r), rec_cmp);
    for (i = 0; i < ours.n; i++)
        if (rec_cmp(&ours.r[i], &nsd.r[i]) != 0)
            fail_msg("%s: record %zu (type %u) differs from NSD's", name, i,
                     ours.r[i].type);
    free(ours.r);
    free(nsd.r);
    free(text);
    free(printed);
}

static void test_zones_vs_nsd(void **state)
{
    (void)state;
    if (zone_path("") == NULL)
        skip();
    if (system("command -v nsd-checkzone >/dev/null 2>&1") != 0) {
        print_message("skipped: nsd-checkzone not installed (Debian nsd)\n");
        skip();
    }
    compare_with_nsd("example.zone");
    compare_with_nsd("syntax.zone");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_include),
        cmocka_unit_test(test_include_errors),
        cmocka_unit_test(test_include_top_dir),
        cmocka_unit_test(test_include_count),
        cmocka_unit_test(test_scratch_limit),
        cmocka_unit_test(test_example_zone),
        cmocka_unit_test(test_zones_vs_nsd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
