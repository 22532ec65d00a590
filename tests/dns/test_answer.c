/*
 * test_answer.c - the answering rules (uk/dns_answer.h) on
 * tests/dns/zones/example.zone: every section of each reply is asserted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_dns_support.h"

static uint8_t arena_mem[1 << 20];
static struct uk_arena arena;
static struct uk_dns_db db;

#define SOA_NEG                                                               \
    "example.com. 300 SOA ns1.example.com. "                                  \
    "hostmaster.example.com. 2026112701 7200 1800 1209600 300"
#define END NULL

struct acase {
    const char *name;
    uint16_t qtype;
    int edns;       /* 0 or the OPT payload size */
    uint16_t flags; /* expected QR|AA|TC|RD bits (rcode separately) */
    int rcode;
    const char *an[8], *ns[8], *ar[8];
};

#define QR UK_DNS_F_QR
#define AA UK_DNS_F_AA

static const struct acase cases[] = {
    /* exact match, several records, case-preserving question */
    {"www.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {"www.example.com. 300 A 192.0.2.80", "www.example.com. 300 A 192.0.2.81",
      END},
     {END},
     {END}},
    {"WwW.ExAmPlE.cOm.",
     UK_DNS_A,
     1232,
     QR | AA,
     0,
     {"WwW.ExAmPlE.cOm. 300 A 192.0.2.80", "WwW.ExAmPlE.cOm. 300 A 192.0.2.81",
      END},
     {END},
     {END}},
    {"mixed.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {"mixed.example.com. 3600 A 192.0.2.42", END},
     {END},
     {END}},
    /* CNAME chains inside the zone, out of it, and a loop */
    {"alias2.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {"alias2.example.com. 3600 CNAME alias.example.com.",
      "alias.example.com. 3600 CNAME www.example.com.",
      "www.example.com. 300 A 192.0.2.80", "www.example.com. 300 A 192.0.2.81",
      END},
     {END},
     {END}},
    {"ext.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {"ext.example.com. 3600 CNAME www.example.net.", END},
     {END},
     {END}},
    {"loop1.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {"loop1.example.com. 3600 CNAME loop2.example.com.",
      "loop2.example.com. 3600 CNAME loop1.example.com.", END},
     {END},
     {END}},
    {"alias.example.com.",
     UK_DNS_CNAME,
     0,
     QR | AA,
     0,
     {"alias.example.com. 3600 CNAME www.example.com.", END},
     {END},
     {END}},
    {"alias.example.com.",
     UK_DNS_MX,
     0,
     QR | AA,
     0,
     {"alias.example.com. 3600 CNAME www.example.com.", END},
     {SOA_NEG, END},
     {END}},
    /* NODATA and NXDOMAIN with the RFC 2308 negative TTL */
    {"www.example.com.",
     UK_DNS_MX,
     0,
     QR | AA,
     0,
     {END},
     {SOA_NEG, END},
     {END}},
    {"x.www.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     UK_DNS_NXDOMAIN,
     {END},
     {SOA_NEG, END},
     {END}},
    /* empty non-terminals: NODATA; below them NXDOMAIN (no wildcard) */
    {"ent.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {END},
     {SOA_NEG, END},
     {END}},
    {"b.ent.example.com.",
     UK_DNS_TXT,
     0,
     QR | AA,
     0,
     {END},
     {SOA_NEG, END},
     {END}},
    {"x.ent.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     UK_DNS_NXDOMAIN,
     {END},
     {SOA_NEG, END},
     {END}},
    /* wildcards: synthesis, NODATA at a wildcard, existing names win */
    {"x.wild.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {"x.wild.example.com. 3600 A 192.0.2.99", END},
     {END},
     {END}},
    {"a.b.wild.example.com.",
     UK_DNS_TXT,
     0,
     QR | AA,
     0,
     {"a.b.wild.example.com. 3600 TXT \\# 9 0877696c6463617264", END},
     {END},
     {END}},
    {"x.wild.example.com.",
     UK_DNS_MX,
     0,
     QR | AA,
     0,
     {END},
     {SOA_NEG, END},
     {END}},
    {"exists.wild.example.com.",
     UK_DNS_TXT,
     0,
     QR | AA,
     0,
     {END},
     {SOA_NEG, END},
     {END}},
    {"nope.example.com.",
     UK_DNS_MX,
     0,
     QR | AA,
     0,
     {"nope.example.com. 3600 MX 10 mail.example.com.", END},
     {END},
     {END}},
    {"nope.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {END},
     {SOA_NEG, END},
     {END}},
    /* delegations: referral with glue, without glue, DS at the cut */
    {"x.sub.example.com.",
     UK_DNS_A,
     0,
     QR,
     0,
     {END},
     {"sub.example.com. 3600 NS ns1.sub.example.com.",
      "sub.example.com. 3600 NS ns.example.net.", END},
     {"ns1.sub.example.com. 3600 A 192.0.2.153",
      "ns1.sub.example.com. 3600 AAAA \\# 16 20010db8005300000000000000000001",
      END}},
    {"sub.example.com.",
     UK_DNS_NS,
     0,
     QR,
     0,
     {END},
     {"sub.example.com. 3600 NS ns1.sub.example.com.",
      "sub.example.com. 3600 NS ns.example.net.", END},
     {"ns1.sub.example.com. 3600 A 192.0.2.153",
      "ns1.sub.example.com. 3600 AAAA \\# 16 20010db8005300000000000000000001",
      END}},
    {"other.example.com.",
     UK_DNS_A,
     0,
     QR,
     0,
     {END},
     {"other.example.com. 3600 NS ns.other.example.net.", END},
     {END}},
    {"sub.example.com.", 43, 0, QR | AA, 0, {END}, {SOA_NEG, END}, {END}},
    /* apex NS with glue for in-zone targets; ANY gives one RRset */
    {"example.com.",
     UK_DNS_NS,
     0,
     QR | AA,
     0,
     {"example.com. 3600 NS ns1.example.com.",
      "example.com. 3600 NS ns2.example.com.", END},
     {END},
     {"ns1.example.com. 3600 A 192.0.2.53",
      "ns2.example.com. 7200 A 198.51.100.53",
      "ns1.example.com. 3600 AAAA \\# 16 20010db8000000000000000000000053",
      END}},
    {"www.example.com.",
     UK_DNS_ANY,
     0,
     QR | AA,
     0,
     {"www.example.com. 300 A 192.0.2.80", "www.example.com. 300 A 192.0.2.81",
      END},
     {END},
     {END}},
    /* other types */
    {"_sip._udp.example.com.",
     UK_DNS_SRV,
     0,
     QR | AA,
     0,
     {"_sip._udp.example.com. 3600 SRV \\# 23 000a003c13c4037369700765"
      "78616d706c6503636f6d00",
      END},
     {END},
     {END}},
    {"ptr.example.com.",
     UK_DNS_PTR,
     0,
     QR | AA,
     0,
     {"ptr.example.com. 3600 PTR www.example.com.", END},
     {END},
     {END}},
    {"unknown.example.com.",
     65280,
     0,
     QR | AA,
     0,
     {"unknown.example.com. 3600 TYPE65280 \\# 4 0a000001", END},
     {END},
     {END}},
    {"generic.example.com.",
     UK_DNS_A,
     0,
     QR | AA,
     0,
     {"generic.example.com. 3600 A 192.0.2.5", END},
     {END},
     {END}},
    /* outside the served zones */
    {"example.org.", UK_DNS_A, 0, QR, UK_DNS_REFUSED, {END}, {END}, {END}},
    {"com.", UK_DNS_SOA, 0, QR, UK_DNS_REFUSED, {END}, {END}, {END}},
    /* zone transfers are not offered (over UDP, as NSD answers) */
    {"example.com.", UK_DNS_AXFR, 0, QR, UK_DNS_NOTIMP, {END}, {END}, {END}},
    {"example.com.", UK_DNS_IXFR, 0, QR, UK_DNS_REFUSED, {END}, {END}, {END}},
    {"www.example.com.",
     UK_DNS_IXFR,
     0,
     QR,
     UK_DNS_NOTAUTH,
     {END},
     {END},
     {END}},
};

static int setup(void **state)
{
    (void)state;
    uk_arena_init(&arena, arena_mem, sizeof arena_mem);
    uk_dns_db_init(&db, &arena);
    return td_load_file(&db, "example.com.", "example.zone");
}

static void ask(const uint8_t *q, size_t qlen, bool tcp, struct td_reply *r,
                size_t *len)
{
    static uint8_t out[65535];
    struct uk_dns_answer_cfg cfg = {tcp, 1232};
    assert_int_equal(uk_dns_answer(&db, q, qlen, &cfg, out, sizeof out, len),
                     0);
    assert_int_equal(td_decode(out, *len, r), 0);
}

static void test_cases(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct acase *c = &cases[i];
        struct td_q o = {0x1234, UK_DNS_F_RD, c->edns, 0, 0};
        uint8_t q[600];
        size_t qlen = td_query(q, c->name, c->qtype, &o), len;
        struct td_reply r;
        char want_q[300], tb[16];
        printf("# %s %s\n", c->name, td_type_name(c->qtype, tb));
        ask(q, qlen, false, &r, &len);
        assert_int_equal(r.id, 0x1234);
        assert_int_equal(r.flags & 0xfff0, c->flags | UK_DNS_F_RD);
        assert_int_equal(r.rcode, c->rcode);
        assert_int_equal(r.qd, 1);
        snprintf(want_q, sizeof want_q, "%s %s 1", c->name,
                 td_type_name(c->qtype, tb));
        assert_string_equal(r.question, want_q);
        assert_true(td_section_is(&r, 0, c->an));
        assert_true(td_section_is(&r, 1, c->ns));
        assert_true(td_section_is(&r, 2, c->ar));
        assert_int_equal(r.has_opt, c->edns != 0);
        if (c->edns) {
            assert_int_equal(r.opt_size, 1232);
            assert_int_equal(r.opt_ttl, 0);
        }
    }
}

/* Compression: the answer's owner is a pointer to the question. */
static void test_compression(void **state)
{
    uint8_t q[300], out[512];
    size_t qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL), len;
    struct uk_dns_answer_cfg cfg = {false, 1232};
    (void)state;
    assert_int_equal(uk_dns_answer(&db, q, qlen, &cfg, out, sizeof out, &len),
                     0);
    /* header 12 + question 21 + 2 * (pointer 2 + 10 + 4) */
    assert_int_equal(len, 12 + 21 + 2 * 16);
    assert_int_equal(out[33], 0xc0);
    assert_int_equal(out[34], 12);
}

/* EDNS: BADVERS for version 1, DO copied, small sizes mean 512. */
static void test_edns(void **state)
{
    struct td_q o = {7, 0, 1232, 1, 0};
    uint8_t q[300];
    size_t qlen = td_query(q, "www.example.com.", UK_DNS_A, &o), len;
    struct td_reply r;
    (void)state;
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_BADVERS);
    assert_int_equal(r.flags & 0xfff0, QR);
    assert_int_equal(r.an + r.ns, 0);
    assert_int_equal(r.ar, 1);
    assert_int_equal(r.opt_ttl, 0x01000000);
    o.edns_version = 0;
    o.do_bit = 1;
    qlen = td_query(q, "www.example.com.", UK_DNS_A, &o);
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, 0);
    assert_int_equal(r.an, 2);
    assert_int_equal(r.opt_ttl, 0x8000);
}

/* Header-only error replies, as NSD gives them. */
static void test_errors(void **state)
{
    uint8_t q[300];
    size_t qlen, len;
    struct td_reply r;
    (void)state;
    qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL);
    uk_store_be16(q + 6, 1); /* ANCOUNT 1 */
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_FORMERR);
    assert_int_equal(len, 12);
    assert_int_equal(r.qd + r.an + r.ns + r.ar, 0);
    qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL);
    uk_store_be16(q + 2, 5 << 11); /* UPDATE */
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_NOTIMP);
    assert_int_equal(r.flags & 0x7800, 5 << 11);
    assert_int_equal(len, 12);
    uk_store_be16(q + 2, 4 << 11); /* NOTIFY of a name that is no zone */
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_NXDOMAIN);
    assert_int_equal(len, 12);
    qlen = td_query(q, "example.com.", UK_DNS_SOA, NULL);
    uk_store_be16(q + 2, 4 << 11); /* NOTIFY of our zone: refused */
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_REFUSED);
    assert_int_equal(len, 12);
    /* class ANY: the IN data without AA, negative answers without SOA */
    qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL);
    uk_store_be16(q + qlen - 2, UK_DNS_CLASS_ANY);
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.flags & 0xfff0, QR);
    assert_int_equal(r.an, 2);
    qlen = td_query(q, "x.www.example.com.", UK_DNS_A, NULL);
    uk_store_be16(q + qlen - 2, UK_DNS_CLASS_ANY);
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_NXDOMAIN);
    assert_int_equal(r.an + r.ns + r.ar, 0);
    /* class HS: REFUSED, header only */
    uk_store_be16(q + qlen - 2, 4);
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_REFUSED);
    assert_int_equal(len, 12);
    /* AXFR over TCP: REFUSED */
    qlen = td_query(q, "example.com.", UK_DNS_AXFR, NULL);
    ask(q, qlen, true, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_REFUSED);
    assert_int_equal(r.qd, 1);
    /* class CH: REFUSED with the question */
    qlen = td_query(q, "version.bind.", UK_DNS_TXT, NULL);
    uk_store_be16(q + qlen - 2, UK_DNS_CH);
    ask(q, qlen, false, &r, &len);
    assert_int_equal(r.rcode, UK_DNS_REFUSED);
    assert_int_equal(r.qd, 1);
}

/* TC over UDP when the answer does not fit; full over TCP. */
static void test_truncation(void **state)
{
    static uint8_t mem[1 << 16];
    struct uk_arena a;
    struct uk_dns_db big;
    char text[8192];
    size_t n = 0, qlen, len;
    int i;
    uint8_t q[300], out[65535];
    struct td_reply r;
    struct uk_dns_answer_cfg udp = {false, 1232}, tcp = {true, 1232};
    struct td_q o = {1, 0, 4096, 0, 0};
    (void)state;
    n += (size_t)snprintf(text + n, sizeof text - n,
                          "@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 10.0.0.1\n");
    for (i = 0; i < 100; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "many A 10.0.1.%d\n",
                              i);
    uk_arena_init(&a, mem, sizeof mem);
    uk_dns_db_init(&big, &a);
    assert_int_equal(td_load_text(&big, "big.test.", text, n), 0);
    qlen = td_query(q, "many.big.test.", UK_DNS_A, NULL);
    assert_int_equal(uk_dns_answer(&big, q, qlen, &udp, out, sizeof out, &len),
                     0);
    assert_true(len <= 512);
    assert_int_equal(td_decode(out, len, &r), 0);
    assert_true(r.flags & UK_DNS_F_TC);
    assert_int_equal(r.an, 0);
    assert_int_equal(r.qd, 1);
    /* EDNS 4096 is capped by our 1232: still too small for 100 * 16 */
    qlen = td_query(q, "many.big.test.", UK_DNS_A, &o);
    assert_int_equal(uk_dns_answer(&big, q, qlen, &udp, out, sizeof out, &len),
                     0);
    assert_true(len <= 1232);
    assert_int_equal(td_decode(out, len, &r), 0);
    assert_true(r.flags & UK_DNS_F_TC);
    assert_int_equal(r.ar, 1);
    assert_int_equal(uk_dns_answer(&big, q, qlen, &tcp, out, sizeof out, &len),
                     0);
    assert_int_equal(td_decode(out, len, &r), 0);
    assert_false(r.flags & UK_DNS_F_TC);
    assert_int_equal(r.an, 100);
}

/* Zones that must not load, and a second zone beside the first. */
static void test_bad_zones(void **state)
{
    static uint8_t mem[1 << 16];
    struct uk_arena a;
    struct uk_dns_db d;
    static const char *const bad[] = {
        "@ NS ns\n",               /* no SOA */
        "@ SOA ns hm 1 2 3 4 5\n", /* no NS */
        "@ SOA ns hm 1 2 3 4 5\n@ NS ns\nx CNAME a\nx A 1.2.3.4\n",
        "@ SOA ns hm 1 2 3 4 5\n@ NS ns\nx CNAME a\nx CNAME b\n",
        "@ SOA ns hm 1 2 3 4 5\n@ NS ns\nx.example.org. A 1.2.3.4\n",
        "@ SOA ns hm 1 2 3 4 5\n@ NS ns\nx SOA ns hm 1 2 3 4 5\n",
    };
    size_t i, used;
    (void)state;
    uk_arena_init(&a, mem, sizeof mem);
    uk_dns_db_init(&d, &a);
    used = a.used;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_not_equal(
            td_load_text(&d, "t.test.", bad[i], strlen(bad[i])), 0);
        assert_ptr_equal(d.zones, NULL);
        assert_int_equal(a.used, used); /* dropped whole */
    }
    assert_int_equal(
        td_load_text(&d, "t.test.", "@ SOA ns hm 1 2 3 4 5\n@ NS ns\n", 30),
        0);
    assert_int_equal(td_load_text(&d, "sub.t.test.",
                                  "@ SOA ns hm 1 2 3 4 5\n@ NS ns\n", 30),
                     0);
    assert_int_not_equal(
        td_load_text(&d, "t.test.", "@ SOA ns hm 1 2 3 4 5\n@ NS ns\n", 30),
        0);
    {
        uint8_t n[300];
        size_t l = td_name("a.sub.t.test.", n);
        const struct uk_dns_zone *z = uk_dns_db_find_zone(&d, n, l);
        assert_non_null(z);
        assert_int_equal(z->origin_len, 12);
        l = td_name("a.t.test.", n);
        assert_int_equal(uk_dns_db_find_zone(&d, n, l)->origin_len, 8);
        l = td_name("test.", n);
        assert_null(uk_dns_db_find_zone(&d, n, l));
    }
    /* an arena too small fails cleanly */
    uk_arena_init(&a, mem, 600);
    uk_dns_db_init(&d, &a);
    assert_int_equal(td_load_file(&d, "example.com.", "example.zone"),
                     UK_ENOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),      cmocka_unit_test(test_compression),
        cmocka_unit_test(test_edns),       cmocka_unit_test(test_errors),
        cmocka_unit_test(test_truncation), cmocka_unit_test(test_bad_zones),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
