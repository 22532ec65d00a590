/*
 * test_dig.c - real clients against the dns example: dig (dnsutils) and
 * kdig (knot-dnsutils) over UDP and TCP, checking the status, the flags
 * and the answer lines they print.  Each tool is skipped, with the reason
 * printed, when it is not installed.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_dns_proc.h"

static pid_t dns_pid = -1;
static uint16_t port;
static int no_server;

static int setup(void **state)
{
    (void)state;
    if (tp_dns_binary() == NULL) {
        no_server = 1;
        return 0;
    }
    if (tp_make_dir() != 0 || (port = tp_free_port()) == 0)
        return -1;
    dns_pid = tp_start_dns(port);
    if (tp_wait_ready(port) != 0) {
        printf("# the dns example did not start (%s/dns.log)\n", tp_dir);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tp_stop(dns_pid);
    tp_remove_dir();
    return 0;
}

static const char *tool(const char *name)
{
    static char path[64];
    snprintf(path, sizeof path, "/usr/bin/%s", name);
    return access(path, X_OK) == 0 ? path : NULL;
}

/* Runs the tool with args against our server; its output in out. */
static void run(const char *bin, const char *args, char *out, size_t cap)
{
    char cmd[600];
    size_t n;
    FILE *p;
    snprintf(cmd, sizeof cmd, "%s @127.0.0.1 -p %u %s 2>&1", bin, port, args);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    pclose(p);
}

/* Whether out contains every string of want (NULL-terminated). */
static int has_all(const char *what, const char *out, const char *const *want)
{
    int ok = 1;
    for (; *want != NULL; want++)
        if (strstr(out, *want) == NULL) {
            printf("# %s: output lacks '%s'\n", what, *want);
            ok = 0;
        }
    if (!ok)
        printf("%s\n", out);
    return ok;
}

struct check {
    const char *args;
    const char *want[6];
};

static const struct check dig_checks[] = {
    {"+norec www.example.com A",
     {"status: NOERROR", "flags: qr aa;", "ANSWER: 2,",
      "www.example.com.\t300\tIN\tA\t192.0.2.80",
      "www.example.com.\t300\tIN\tA\t192.0.2.81", NULL}},
    {"+tcp +norec WwW.ExAmPlE.CoM AAAA",
     {"status: NOERROR", "flags: qr aa;",
      "WwW.ExAmPlE.CoM.\t3600\tIN\tAAAA\t2001:db8::80", NULL}},
    {"alias2.example.com A",
     {"status: NOERROR", "flags: qr aa rd;",
      "alias2.example.com.\t3600\tIN\tCNAME\talias.example.com.",
      "www.example.com.\t300\tIN\tA\t192.0.2.80", NULL}},
    {"+norec x.www.example.com A",
     {"status: NXDOMAIN", "flags: qr aa;", "AUTHORITY: 1,",
      "example.com.\t\t300\tIN\tSOA\tns1.example.com. hostmaster.example.com. "
      "2026112701 7200 1800 1209600 300",
      NULL}},
    {"+norec ent.example.com A",
     {"status: NOERROR", "ANSWER: 0, AUTHORITY: 1", NULL}},
    {"+norec foo.wild.example.com TXT",
     {"status: NOERROR", "foo.wild.example.com.\t3600\tIN\tTXT\t\"wildcard\"",
      NULL}},
    {"+norec +tcp host.sub.example.com A",
     {"status: NOERROR", "flags: qr;", "AUTHORITY: 2, ADDITIONAL: 3",
      "sub.example.com.\t3600\tIN\tNS\tns1.sub.example.com.",
      "ns1.sub.example.com.\t3600\tIN\tA\t192.0.2.153", NULL}},
    {"+norec example.org A", {"status: REFUSED", "flags: qr;", NULL}},
    {"+norec +edns=1 +noednsneg www.example.com A",
     {"status: BADVERS", "EDNS: version: 0", NULL}},
    {"+norec +dnssec example.com SOA",
     {"status: NOERROR", "flags: do;", "udp: 1232", NULL}},
    {"+norec +noedns +ignore example.com NS",
     {"status: NOERROR", "ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 3", NULL}},
};

/* kdig prints "Flags:" and pads owner names with blanks. */
static const struct check kdig_checks[] = {
    {"+norec www.example.com A",
     {"status: NOERROR", "Flags: qr aa;", "ANSWER: 2;",
      "\t300\tIN\tA\t192.0.2.80", "\t300\tIN\tA\t192.0.2.81", NULL}},
    {"+tcp +norec +edns example.com MX",
     {"status: NOERROR", "Flags: qr aa;", "(TCP)", "UDP size: 1232",
      "\t3600\tIN\tMX\t10 mail.example.com.", NULL}},
    {"+norec nope.www.example.com A",
     {"status: NXDOMAIN", "Flags: qr aa;", "AUTHORITY: 1;",
      "\t300\tIN\tSOA\tns1.example.com. hostmaster.example.com.", NULL}},
    {"+norec +tcp x.other.example.com A",
     {"status: NOERROR", "Flags: qr;", "AUTHORITY: 1;",
      "\tIN\tNS\tns.other.example.net.", NULL}},
    {"+norec txt.example.com TXT",
     {"\"first\" \"second string\" \"quote \\\" inside\" \"ABC\"", NULL}},
};

static void run_checks(const char *name, const struct check *c, size_t n)
{
    static char out[16384];
    const char *bin = tool(name);
    size_t i, bad = 0;
    if (no_server)
        skip();
    if (bin == NULL) {
        printf("# SKIP: %s is not installed\n", name);
        skip();
    }
    for (i = 0; i < n; i++) {
        char what[300];
        run(bin, c[i].args, out, sizeof out);
        snprintf(what, sizeof what, "%s %s", name, c[i].args);
        if (!has_all(what, out, c[i].want))
            bad++;
    }
    assert_int_equal(bad, 0);
}

static void test_dig(void **state)
{
    (void)state;
    run_checks("dig", dig_checks, sizeof dig_checks / sizeof dig_checks[0]);
}

static void test_kdig(void **state)
{
    (void)state;
    run_checks("kdig", kdig_checks,
               sizeof kdig_checks / sizeof kdig_checks[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dig),
        cmocka_unit_test(test_kdig),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
