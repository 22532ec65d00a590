/*
 * test_answer_cache.c - memoised replies (uk/dns_cache.h) are byte for
 * byte the replies computed afresh: for many questions, asked repeatedly
 * with other ids, RD bits, letter case and EDNS shapes, through a large
 * cache and through a one-entry cache (every question evicting the last).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <uk/dns_cache.h>

#include "test_dns_support.h"

static uint8_t arena_mem[1 << 20];
static struct uk_arena arena;
static struct uk_dns_db db;

static const char *const names[] = {
    "www.example.com.",    "WWW.EXAMPLE.COM.",    "wWw.eXaMpLe.cOm.",
    "alias2.example.com.", "ALIAS2.example.com.", "x.wild.example.com.",
    "X.Wild.Example.Com.", "nope.example.com.",   "example.com.",
    "Example.COM.",        "x.sub.example.com.",  "X.SUB.example.com.",
    "example.org.",        "x.www.example.com.",  "long.example.com.",
    "loop1.example.com.",  "ent.example.com.",    "_sip._udp.example.com.",
};
static const uint16_t types[] = {UK_DNS_A,   UK_DNS_AAAA, UK_DNS_MX,
                                 UK_DNS_NS,  UK_DNS_TXT,  UK_DNS_ANY,
                                 UK_DNS_SOA, UK_DNS_SRV};

static int setup(void **state)
{
    (void)state;
    uk_arena_init(&arena, arena_mem, sizeof arena_mem);
    uk_dns_db_init(&db, &arena);
    return td_load_file(&db, "example.com.", "example.zone");
}

static void run(struct uk_dns_cache *cache, bool tcp)
{
    static const int edns[] = {0, 512, 1232, 4096};
    struct uk_dns_answer_cfg cfg = {tcp, 1232};
    size_t pass, i, t, e;
    uint16_t id = 1;
    for (pass = 0; pass < 3; pass++)
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            for (t = 0; t < sizeof types / sizeof types[0]; t++)
                for (e = 0; e < 4; e++) {
                    uint8_t q[300], a[4096], b[4096];
                    size_t qlen, na, nb;
                    struct td_q o;
                    o.id = id++;
                    o.flags = (id & 1) ? UK_DNS_F_RD : 0;
                    o.edns = edns[e];
                    o.edns_version = 0;
                    o.do_bit = (int)(pass == 2 && e == 3);
                    qlen = td_query(q, names[i], types[t], &o);
                    assert_int_equal(
                        uk_dns_answer(&db, q, qlen, &cfg, a, sizeof a, &na),
                        0);
                    assert_int_equal(uk_dns_cache_answer(cache, &db, q, qlen,
                                                         &cfg, b, sizeof b,
                                                         &nb),
                                     0);
                    assert_int_equal(na, nb);
                    assert_memory_equal(a, b, na);
                }
}

static void test_big_cache(void **state)
{
    static struct uk_dns_cache_entry entries[4096];
    struct uk_dns_cache c;
    (void)state;
    assert_int_equal(uk_dns_cache_init(&c, entries, 4096), 0);
    run(&c, false);
    assert_true(c.hits > c.misses); /* later passes hit */
    run(&c, true);
}

static void test_one_entry(void **state)
{
    static struct uk_dns_cache_entry entries[1];
    struct uk_dns_cache c;
    (void)state;
    assert_int_equal(uk_dns_cache_init(&c, entries, 1), 0);
    run(&c, false);
    assert_int_equal(uk_dns_cache_init(&c, entries, 3), UK_EINVAL);
    assert_int_equal(uk_dns_cache_init(&c, entries, 0), UK_EINVAL);
}

/* Malformed queries and drops behave the same through the cache. */
static void test_errors(void **state)
{
    static struct uk_dns_cache_entry entries[8];
    struct uk_dns_cache c;
    struct uk_dns_answer_cfg cfg = {false, 1232};
    uint8_t q[300], a[600], b[600];
    size_t qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL), na, nb;
    (void)state;
    assert_int_equal(uk_dns_cache_init(&c, entries, 8), 0);
    uk_store_be16(q + 6, 1); /* ANCOUNT: FORMERR */
    assert_int_equal(uk_dns_answer(&db, q, qlen, &cfg, a, sizeof a, &na), 0);
    assert_int_equal(
        uk_dns_cache_answer(&c, &db, q, qlen, &cfg, b, sizeof b, &nb), 0);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    assert_int_equal(
        uk_dns_cache_answer(&c, &db, q, 5, &cfg, b, sizeof b, &nb), UK_EPROTO);
    /* class HS: a header-only REFUSED, twice (never served from a copy) */
    qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL);
    uk_store_be16(q + qlen - 2, 4);
    assert_int_equal(
        uk_dns_cache_answer(&c, &db, q, qlen, &cfg, b, sizeof b, &nb), 0);
    assert_int_equal(nb, 12);
    assert_int_equal(
        uk_dns_cache_answer(&c, &db, q, qlen, &cfg, b, sizeof b, &nb), 0);
    assert_int_equal(nb, 12);
    assert_int_equal(b[3] & 0xf, UK_DNS_REFUSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_big_cache),
        cmocka_unit_test(test_one_entry),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
