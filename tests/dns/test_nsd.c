/*
 * test_nsd.c - the differential test: NSD (Debian nsd) and the dns
 * example serve the same zone (tests/dns/zones/example.zone) on two
 * loopback ports; the same queries, covering every answering rule and the
 * malformed cases, go to both over UDP and TCP, and the replies are
 * compared section by section.
 *
 * Normalisation: the id is not compared (both echo it; checked against
 * the query instead); names are compared ignoring case, except the
 * question, which both must echo exactly; records are compared as sorted
 * sets per section (RR order within an RRset, and the order of RRsets in
 * the additional section, are not significant).  EDNS options in NSD's OPT
 * (Extended DNS Errors, RFC 8914, on REFUSED) are not compared: we send
 * none.
 *
 * NSD is configured to match the documented behaviour where it has
 * options: minimal-responses (no authority NS on positive answers, no
 * additional beyond glue), rate limiting off, one server process.
 * Skipped, with the reason printed, when nsd or the example is missing.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_dns_proc.h"

static pid_t nsd_pid = -1, dns_pid = -1;
static uint16_t nsd_port, dns_port;
static int skip;

static const char *nsd_binary(void)
{
    static const char *const paths[] = {"/usr/sbin/nsd", "/usr/bin/nsd",
                                        "/usr/local/sbin/nsd"};
    size_t i;
    for (i = 0; i < 3; i++)
        if (access(paths[i], X_OK) == 0)
            return paths[i];
    return NULL;
}

static int write_nsd_conf(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f,
            "server:\n"
            "  ip-address: 127.0.0.1\n"
            "  port: %u\n"
            "  username: \"\"\n"
            "  chroot: \"\"\n"
            "  zonesdir: \"%s\"\n"
            "  database: \"\"\n"
            "  pidfile: \"%s/nsd.pid\"\n"
            "  xfrdfile: \"%s/xfrd.state\"\n"
            "  zonelistfile: \"%s/zone.list\"\n"
            "  logfile: \"%s/nsd.log\"\n"
            "  server-count: 1\n"
            "  rrl-ratelimit: 0\n"
            "  minimal-responses: yes\n"
            "  hide-version: yes\n"
            "  hide-identity: yes\n"
            "  verbosity: 1\n"
            "remote-control:\n"
            "  control-enable: no\n"
            "zone:\n"
            "  name: example.com\n"
            "  zonefile: example.zone\n"
            "zone:\n"
            "  name: big.test\n"
            "  zonefile: big.zone\n",
            nsd_port, tp_dir, tp_dir, tp_dir, tp_dir, tp_dir);
    return fclose(f);
}

static int setup(void **state)
{
    char conf[300], log[300];
    const char *nsd = nsd_binary();
    char *argv[5];
    (void)state;
    if (nsd == NULL) {
        printf("# SKIP: nsd is not installed (Debian package nsd)\n");
        skip = 1;
        return 0;
    }
    if (tp_dns_binary() == NULL) {
        skip = 1;
        return 0;
    }
    if (tp_make_dir() != 0)
        return -1;
    nsd_port = tp_free_port();
    dns_port = tp_free_port();
    snprintf(conf, sizeof conf, "%s/nsd.conf", tp_dir);
    snprintf(log, sizeof log, "%s/nsd.out", tp_dir);
    if (nsd_port == 0 || dns_port == 0 || nsd_port == dns_port ||
        write_nsd_conf(conf) != 0)
        return -1;
    argv[0] = (char *)nsd;
    argv[1] = (char *)"-d";
    argv[2] = (char *)"-c";
    argv[3] = conf;
    argv[4] = NULL;
    nsd_pid = tp_spawn(argv, log);
    dns_pid = tp_start_dns(dns_port);
    if (tp_wait_ready(nsd_port) != 0) {
        printf("# nsd did not start; see its log in %s\n", tp_dir);
        return -1;
    }
    if (tp_wait_ready(dns_port) != 0) {
        printf("# the dns example did not start (%s/dns.log)\n", tp_dir);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tp_stop(nsd_pid);
    tp_stop(dns_pid);
    tp_remove_dir();
    return 0;
}

/* ---- comparing */

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void normalise(struct td_reply *r)
{
    int s, i;
    for (s = 0; s < 3; s++) {
        for (i = 0; i < r->nsec[s]; i++)
            lower(r->rr[s][i]);
        qsort(r->rr[s], (size_t)r->nsec[s], TD_LINE, cmp_line);
    }
}

/* Compares both replies; prints every difference.  Returns 1 if equal. */
static int same(const char *what, struct td_reply *a, struct td_reply *b)
{
    int ok = 1, s, i;
    normalise(a);
    normalise(b);
#define SAME(field)                                                           \
    if (a->field != b->field) {                                               \
        printf("# %s: " #field " nsd %ld, ours %ld\n", what, (long)a->field,  \
               (long)b->field);                                               \
        ok = 0;                                                               \
    }
    SAME(flags)
    SAME(rcode)
    SAME(qd)
    SAME(an)
    SAME(ns)
    SAME(ar)
    SAME(has_opt)
    SAME(opt_size)
    SAME(opt_ttl)
#undef SAME
    if (strcmp(a->question, b->question) != 0) {
        printf("# %s: question nsd '%s', ours '%s'\n", what, a->question,
               b->question);
        ok = 0;
    }
    for (s = 0; s < 3; s++) {
        int n = a->nsec[s] > b->nsec[s] ? a->nsec[s] : b->nsec[s];
        for (i = 0; i < n; i++) {
            const char *x = i < a->nsec[s] ? a->rr[s][i] : "-";
            const char *y = i < b->nsec[s] ? b->rr[s][i] : "-";
            if (strcmp(x, y) != 0) {
                printf(
                    "# %s: section %d record %d:\n#   nsd  %s\n#   ours %s\n",
                    what, s, i, x, y);
                ok = 0;
            }
        }
    }
    return ok;
}

/* ---- the queries */

struct dq {
    const char *name;
    uint16_t type;
    int edns, version, do_bit;
};

static const struct dq queries[] = {
    {"www.example.com.", UK_DNS_A, 0, 0, 0},
    {"www.example.com.", UK_DNS_A, 1232, 0, 0},
    {"WwW.ExAmPlE.CoM.", UK_DNS_AAAA, 1232, 0, 0},
    {"MIXED.example.com.", UK_DNS_A, 0, 0, 0},
    {"example.com.", UK_DNS_SOA, 4096, 0, 1},
    {"example.com.", UK_DNS_NS, 0, 0, 0},
    {"example.com.", UK_DNS_MX, 0, 0, 0},
    {"example.com.", UK_DNS_TXT, 0, 0, 0},
    {"example.com.", UK_DNS_CAA, 1232, 0, 0},
    {"example.com.", UK_DNS_ANY, 0, 0, 0},
    {"www.example.com.", UK_DNS_ANY, 1232, 0, 0},
    {"ns2.example.com.", UK_DNS_A, 0, 0, 0},
    {"alias.example.com.", UK_DNS_A, 0, 0, 0},
    {"alias2.example.com.", UK_DNS_AAAA, 1232, 0, 0},
    {"alias.example.com.", UK_DNS_CNAME, 0, 0, 0},
    {"alias.example.com.", UK_DNS_TXT, 0, 0, 0},
    {"ext.example.com.", UK_DNS_A, 0, 0, 0},
    {"loop1.example.com.", UK_DNS_A, 0, 0, 0},
    {"www.example.com.", UK_DNS_MX, 0, 0, 0},
    {"x.www.example.com.", UK_DNS_A, 0, 0, 0},
    {"a.b.c.www.example.com.", UK_DNS_A, 1232, 0, 0},
    {"ent.example.com.", UK_DNS_A, 0, 0, 0},
    {"b.ent.example.com.", UK_DNS_A, 0, 0, 0},
    {"a.b.ent.example.com.", UK_DNS_A, 0, 0, 0},
    {"x.ent.example.com.", UK_DNS_A, 0, 0, 0},
    {"x.wild.example.com.", UK_DNS_A, 0, 0, 0},
    {"x.y.wild.example.com.", UK_DNS_TXT, 0, 0, 0},
    {"x.wild.example.com.", UK_DNS_MX, 0, 0, 0},
    {"x.wild.example.com.", UK_DNS_ANY, 0, 0, 0},
    {"exists.wild.example.com.", UK_DNS_A, 0, 0, 0},
    {"exists.wild.example.com.", UK_DNS_TXT, 0, 0, 0},
    {"*.wild.example.com.", UK_DNS_A, 0, 0, 0},
    {"nope.example.com.", UK_DNS_MX, 0, 0, 0},
    {"nope.example.com.", UK_DNS_A, 1232, 0, 0},
    {"a.nope.example.com.", UK_DNS_MX, 0, 0, 0},
    {"sub.example.com.", UK_DNS_A, 0, 0, 0},
    {"sub.example.com.", UK_DNS_NS, 0, 0, 0},
    {"x.sub.example.com.", UK_DNS_A, 1232, 0, 0},
    {"ns1.sub.example.com.", UK_DNS_A, 0, 0, 0},
    {"sub.example.com.", 43, 0, 0, 0},
    {"other.example.com.", UK_DNS_A, 0, 0, 0},
    {"_sip._udp.example.com.", UK_DNS_SRV, 0, 0, 0},
    {"_sip._tcp.example.com.", UK_DNS_SRV, 0, 0, 0},
    {"txt.example.com.", UK_DNS_TXT, 0, 0, 0},
    {"long.example.com.", UK_DNS_TXT, 0, 0, 0},
    {"long.example.com.", UK_DNS_TXT, 1232, 0, 0},
    {"ptr.example.com.", UK_DNS_PTR, 0, 0, 0},
    {"v4mapped.example.com.", UK_DNS_AAAA, 0, 0, 0},
    {"unknown.example.com.", 65280, 0, 0, 0},
    {"generic.example.com.", UK_DNS_A, 0, 0, 0},
    {"www.example.com.", UK_DNS_A, 1232, 1, 0}, /* BADVERS */
    {"www.example.com.", UK_DNS_A, 100, 0, 0},  /* tiny EDNS size */
    {"example.org.", UK_DNS_A, 0, 0, 0},        /* REFUSED */
    {"com.", UK_DNS_NS, 1232, 0, 0},
    {"example.com.", UK_DNS_AXFR, 0, 0, 0},
    {"example.com.", UK_DNS_IXFR, 1232, 0, 0},
    {"www.example.com.", UK_DNS_IXFR, 0, 0, 0},
    {"www.example.com.", 0, 0, 0, 0},
    {"www.example.com.", UK_DNS_OPT, 0, 0, 0},
    /* truncation (big.test: 40 and 100 A records, 30 glued NS) */
    {"forty.big.test.", UK_DNS_A, 0, 0, 0},
    {"forty.big.test.", UK_DNS_A, 1232, 0, 0},
    {"hundred.big.test.", UK_DNS_A, 1232, 0, 0},
    {"hundred.big.test.", UK_DNS_A, 4096, 0, 0},
    {"x.deleg.big.test.", UK_DNS_A, 0, 0, 0},
    {"x.deleg.big.test.", UK_DNS_A, 1232, 0, 0},
    {"big.test.", UK_DNS_SOA, 0, 0, 0},
    {"dangle.big.test.", UK_DNS_A, 0, 0, 0},
    {"todeleg.big.test.", UK_DNS_A, 0, 0, 0},
    {"toapex.big.test.", UK_DNS_SOA, 1232, 0, 0},
    {"toapex.big.test.", UK_DNS_NS, 0, 0, 0},
};

static size_t make_query(uint8_t *q, const struct dq *d, uint16_t id)
{
    struct td_q o;
    o.id = id;
    o.flags = UK_DNS_F_RD;
    o.edns = d->edns;
    o.edns_version = (uint8_t)d->version;
    o.do_bit = d->do_bit;
    return td_query(q, d->name, d->type, &o);
}

/* Twice: the second time our replies come from the memoised copies. */
static void test_udp(void **state)
{
    static struct td_reply a, b;
    size_t i, bad = 0, n = sizeof queries / sizeof queries[0];
    (void)state;
    if (skip)
        skip();
    for (i = 0; i < 2 * n; i++) {
        uint8_t q[600], ra[65535], rb[65535];
        char what[320], tb[16];
        const struct dq *d = &queries[i % n];
        size_t qlen = make_query(q, d, (uint16_t)(0x100 + i));
        long na = tp_udp(nsd_port, q, qlen, ra, sizeof ra, 2000);
        long nb = tp_udp(dns_port, q, qlen, rb, sizeof rb, 2000);
        snprintf(what, sizeof what, "udp %s %s edns %d", d->name,
                 td_type_name(d->type, tb), d->edns);
        assert_true(na > 0);
        assert_true(nb > 0);
        assert_int_equal(td_decode(ra, (size_t)na, &a), 0);
        assert_int_equal(td_decode(rb, (size_t)nb, &b), 0);
        assert_int_equal(b.id, 0x100 + i);
        if (!same(what, &a, &b))
            bad++;
    }
    assert_int_equal(bad, 0);
}

static void test_tcp(void **state)
{
    static struct td_reply a, b;
    size_t i, bad = 0;
    int fa, fb;
    (void)state;
    if (skip)
        skip();
    /* every query on one connection per server */
    fa = tp_tcp_connect(nsd_port);
    fb = tp_tcp_connect(dns_port);
    assert_true(fa >= 0);
    assert_true(fb >= 0);
    for (i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        uint8_t q[600], ra[65535], rb[65535];
        char what[320], tb[16];
        size_t qlen = make_query(q, &queries[i], (uint16_t)(0x200 + i));
        long na, nb;
        if (queries[i].type == UK_DNS_AXFR || queries[i].type == UK_DNS_IXFR)
            continue; /* transfers: see test_tcp_transfer */
        na = tp_tcp_ask(fa, q, qlen, ra, sizeof ra);
        nb = tp_tcp_ask(fb, q, qlen, rb, sizeof rb);
        snprintf(what, sizeof what, "tcp %s %s edns %d", queries[i].name,
                 td_type_name(queries[i].type, tb), queries[i].edns);
        assert_true(na > 0);
        assert_true(nb > 0);
        assert_int_equal(td_decode(ra, (size_t)na, &a), 0);
        assert_int_equal(td_decode(rb, (size_t)nb, &b), 0);
        if (!same(what, &a, &b))
            bad++;
    }
    close(fa);
    close(fb);
    assert_int_equal(bad, 0);
}

/* Malformed and unusual messages: same reply, or no reply from both. */
struct raw {
    const char *what;
    const char *msg;
    size_t len;
};
#define RAW(w, m)                                                             \
    {                                                                         \
        w, m, sizeof(m) - 1                                                   \
    }
#define H(f1, qd, an, ns, ar) "\x12\x34" f1 "\0\0" qd "\0" an "\0" ns "\0" ar
#define WWWQ "\3www\7example\3com\0\0\1\0\1"
#define WWWQ_CLASS(c) "\3www\7example\3com\0\0\1\0" c

static const struct raw raws[] = {
    RAW("ancount 1", H("\0", "\1", "\1", "\0", "\0") WWWQ),
    RAW("nscount 1", H("\0", "\1", "\0", "\1", "\0") WWWQ),
    RAW("qdcount 0", H("\0", "\0", "\0", "\0", "\0")),
    RAW("qdcount 2", H("\0", "\2", "\0", "\0", "\0") WWWQ WWWQ),
    RAW("arcount past the end", H("\0", "\1", "\0", "\0", "\5") WWWQ),
    RAW("header only", H("\0", "\1", "\0", "\0", "\0")),
    RAW("pointer loop", H("\0", "\1", "\0", "\0", "\0") "\xc0\x0c\0\1\0\1"),
    RAW("pointer into the header",
        H("\0", "\1", "\0", "\0", "\0") "\3www\xc0\x00\0\1\0\1"),
    RAW("label type 0x40",
        H("\0", "\1", "\0", "\0", "\0") "\x43www\0\0\1\0\1"),
    RAW("two OPT",
        H("\0", "\1", "\0", "\0", "\2") WWWQ "\0\0\x29\4\xd0\0\0\0\0\0\0"
                                             "\0\0\x29\4\xd0\0\0\0\0\0\0"),
    RAW("OPT option overrun", H("\0", "\1", "\0", "\0", "\1") WWWQ
        "\0\0\x29\4\xd0\0\0\0\0\0\4\0\x0a\0\x09"),
    RAW("trailing bytes", H("\0", "\1", "\0", "\0", "\0") WWWQ "xyz"),
    RAW("opcode IQUERY", H("\x08", "\1", "\0", "\0", "\0") WWWQ),
    RAW("opcode STATUS", H("\x10", "\1", "\0", "\0", "\0") WWWQ),
    RAW("opcode NOTIFY", H("\x20", "\1", "\0", "\0", "\0") WWWQ),
    RAW("opcode UPDATE", H("\x28", "\1", "\0", "\0", "\0") WWWQ),
    RAW("TC, AD, CD and Z set", H("\x03", "\1", "\0", "\0", "\0") WWWQ),
    RAW("class CH",
        H("\0", "\1", "\0", "\0", "\0") "\7version\4bind\0\0\x10\0\3"),
    RAW("class ANY",
        H("\0", "\1", "\0", "\0", "\0") "\3www\7example\3com\0\0\1\0\xff"),
    RAW("class ANY, no such name",
        H("\0", "\1", "\0", "\0", "\0") "\1x\3www\7example\3com\0\0\1\0\xff"),
    RAW("class ANY, referral",
        H("\0", "\1", "\0", "\0", "\0") "\1x\3sub\7example\3com\0\0\1\0\xff"),
    RAW("class NONE", H("\0", "\1", "\0", "\0", "\0") WWWQ_CLASS("\xfe")),
    RAW("class HS with EDNS", H("\0", "\1", "\0", "\0", "\1") WWWQ_CLASS(
                                  "\4") "\0\0\x29\4\xd0\0\0\0\0\0\0"),
    RAW("class CH with EDNS", H("\0", "\1", "\0", "\0", "\1") WWWQ_CLASS(
                                  "\3") "\0\0\x29\4\xd0\0\0\0\0\0\0"),
    RAW("NOTIFY of the zone",
        H("\x20", "\1", "\0", "\0", "\0") "\7example\3com\0\0\6\0\1"),
    RAW("NOTIFY without question", H("\x20", "\0", "\0", "\0", "\0")),
    RAW("short: no reply", "\x12\x34\0\0\0\1"),
    RAW("a response: no reply", H("\x80", "\1", "\0", "\0", "\0") WWWQ),
};

static void test_malformed(void **state)
{
    static struct td_reply a, b;
    size_t i, bad = 0;
    (void)state;
    if (skip)
        skip();
    for (i = 0; i < sizeof raws / sizeof raws[0]; i++) {
        uint8_t ra[4096], rb[4096], m[600];
        long na, nb;
        memcpy(m, raws[i].msg, raws[i].len);
        if (strncmp(raws[i].what, "TC, AD", 6) == 0)
            m[3] = 0x70; /* AD, CD and Z */
        na = tp_udp(nsd_port, m, raws[i].len, ra, sizeof ra, 300);
        nb = tp_udp(dns_port, m, raws[i].len, rb, sizeof rb, 300);
        printf("# %s: nsd %ld bytes, ours %ld\n", raws[i].what, na, nb);
        if ((na < 0) != (nb < 0)) {
            bad++;
            continue;
        }
        if (na < 0)
            continue;
        assert_true(nb <= 512);
        assert_int_equal(td_decode(ra, (size_t)na, &a), 0);
        assert_int_equal(td_decode(rb, (size_t)nb, &b), 0);
        if (!same(raws[i].what, &a, &b))
            bad++;
    }
    assert_int_equal(bad, 0);
}

/* Zone transfers over TCP: both refuse (on a connection of their own:
 * NSD may close it afterwards). */
static void test_tcp_transfer(void **state)
{
    static struct td_reply a, b;
    static const uint16_t types[] = {UK_DNS_AXFR, UK_DNS_IXFR};
    size_t i;
    (void)state;
    if (skip)
        skip();
    for (i = 0; i < 2; i++) {
        uint8_t q[300], ra[4096], rb[4096];
        struct dq d = {"example.com.", types[i], 0, 0, 0};
        size_t qlen = make_query(q, &d, 7);
        int fa = tp_tcp_connect(nsd_port), fb = tp_tcp_connect(dns_port);
        long na, nb;
        assert_true(fa >= 0 && fb >= 0);
        na = tp_tcp_ask(fa, q, qlen, ra, sizeof ra);
        nb = tp_tcp_ask(fb, q, qlen, rb, sizeof rb);
        close(fa);
        close(fb);
        assert_true(na > 0 && nb > 0);
        assert_int_equal(td_decode(ra, (size_t)na, &a), 0);
        assert_int_equal(td_decode(rb, (size_t)nb, &b), 0);
        assert_true(same(i == 0 ? "tcp AXFR" : "tcp IXFR", &a, &b));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp),
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_tcp_transfer),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
