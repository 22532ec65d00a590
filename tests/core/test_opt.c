/*
 * test_opt.c - the run-time option parser (uk/opt.h, lib/core/opt.c):
 * every type, both value syntaxes, flags, "--", errors naming the option,
 * --help, usage lines, --PREFIX-NAME options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/opt.h>

/* Destinations, reset before each test. */
static bool dhcp, dhcp_seen, verbose;
static const char *name;
static unsigned long count, big;
static uint16_t port;
static struct uk_ipv4_addr addr;
static struct uk_ipv4_cidr net;
static struct uk_mac mac;
static struct uk_ipv4_ep peer;

static const struct uk_opt app_opts[] = {
    {"dhcp", UK_OPT_FLAG, &dhcp, "use DHCP", 0, 0, &dhcp_seen},
    {"name", UK_OPT_STRING, &name, "a name", 0, 0, NULL},
    {"count", UK_OPT_UINT, &count, "how many", 1, 10, NULL},
    {"big", UK_OPT_UINT, &big, "anything", 0, ULONG_MAX, NULL},
    {"port", UK_OPT_PORT, &port, "listen port", 0, 0, NULL},
    UK_OPT_END,
};
static const struct uk_opt net_opts[] = {
    {"ipv4", UK_OPT_IPV4, &addr, "address", 0, 0, NULL},
    {"net", UK_OPT_CIDR, &net, "address and prefix", 0, 0, NULL},
    {"mac", UK_OPT_MAC, &mac, "hardware address", 0, 0, NULL},
    {"peer", UK_OPT_EP, &peer, "peer endpoint", 0, 0, NULL},
    {"verbose", UK_OPT_FLAG, &verbose, NULL, 0, 0, NULL},
    UK_OPT_END,
};
static const struct uk_opt *const tables[] = {app_opts, NULL, net_opts};

static int reset(void **state)
{
    (void)state;
    dhcp = dhcp_seen = verbose = false;
    name = NULL;
    count = big = 77;
    port = 77;
    addr.v = 77;
    memset(&net, 0, sizeof net);
    memset(&mac, 0, sizeof mac);
    memset(&peer, 0, sizeof peer);
    return 0;
}

/* Parses a NULL-terminated argument list (argv[0] is "prog"). */
static int parse_list(const char *const *args, char *err)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"prog";
    while (*args != NULL)
        argv[argc++] = (char *)*args++;
    argv[argc] = NULL;
    return uk_opt_parse(tables, 3, argc, argv, err);
}

#define PARSE(err, ...)                                                       \
    parse_list((const char *const[]){__VA_ARGS__, NULL}, err)

static void test_every_type(void **state)
{
    char err[UK_OPT_ERR_MAX];
    (void)state;
    assert_int_equal(PARSE(err, "--dhcp", "--name=www", "--count=3",
                           "--big", "18446744073709551615", "--port=8080",
                           "--ipv4", "10.0.0.2", "--net=192.168.0.1/16",
                           "--mac=02:00:00:00:00:01", "--peer",
                           "1.2.3.4:53", "--verbose"),
                     0);
    assert_string_equal(err, "");
    assert_true(dhcp);
    assert_true(dhcp_seen);
    assert_true(verbose);
    assert_string_equal(name, "www");
    assert_int_equal(count, 3);
    assert_true(big == ULONG_MAX);
    assert_int_equal(port, 8080);
    assert_true(uk_ipv4_eq(addr, uk_ipv4(10, 0, 0, 2)));
    assert_true(uk_ipv4_eq(net.addr, uk_ipv4(192, 168, 0, 1)));
    assert_int_equal(net.prefix, 16);
    assert_int_equal(mac.b[0], 2);
    assert_int_equal(mac.b[5], 1);
    assert_true(uk_ipv4_eq(peer.addr, uk_ipv4(1, 2, 3, 4)));
    assert_int_equal(peer.port, 53);
}

static void test_absent_untouched(void **state)
{
    char err[UK_OPT_ERR_MAX];
    char *argv[] = {(char *)"prog", NULL};
    (void)state;
    assert_int_equal(uk_opt_parse(tables, 3, 1, argv, err), 0);
    assert_false(dhcp);
    assert_false(dhcp_seen);
    assert_null(name);
    assert_int_equal(count, 77);
    assert_int_equal(port, 77);
    /* argc 0 (no program name) is fine too. */
    assert_int_equal(uk_opt_parse(tables, 3, 0, argv, err), 0);
    /* Later values win; string values point into argv. */
    assert_int_equal(PARSE(err, "--name=a", "--name", "b=c", "--"), 0);
    assert_string_equal(name, "b=c");
    /* A value starting with "--" needs the "=" form. */
    assert_int_equal(PARSE(err, "--name=--x"), 0);
    assert_string_equal(name, "--x");
    assert_int_equal(PARSE(err, "--name", "-x"), 0);
    assert_string_equal(name, "-x");
}

static void test_end_of_options(void **state)
{
    char err[UK_OPT_ERR_MAX];
    (void)state;
    assert_int_equal(PARSE(err, "--dhcp", "--"), 0);
    assert_true(dhcp);
    /* Nothing may follow "--": there are no positional arguments. */
    assert_int_equal(PARSE(err, "--", "--count=2"), UK_EINVAL);
    assert_non_null(strstr(err, "--count=2"));
    assert_int_equal(count, 77);
}

struct bad_case {
    const char *args[4];
    const char *want; /* must appear in the message */
};

static const struct bad_case bad_cases[] = {
    {{"--nope"}, "--nope"},
    {{"--nope=1"}, "--nope"},
    {{"--dhcpx"}, "--dhcpx"},
    {{"--dhc"}, "--dhc"},
    {{"--="}, "unknown option"},
    {{"positional"}, "positional"},
    {{"--dhcp", "file.txt"}, "file.txt"},
    {{"-v"}, "-v"},
    {{"-"}, "'-'"},
    {{"---dhcp"}, "-dhcp"},
    {{"--dhcp=1"}, "--dhcp"},
    {{"--dhcp="}, "--dhcp"},
    {{"--name"}, "--name needs a value"},
    {{"--name="}, "--name needs a value"},
    {{"--count"}, "--count"},
    {{"--count="}, "--count"},
    {{"--count=0"}, "--count"},
    {{"--count=11"}, "1..10"},
    {{"--count=-1"}, "--count"},
    {{"--count=3x"}, "--count"},
    {{"--count=03"}, "--count"},
    {{"--count", " 3"}, "--count"},
    {{"--big=18446744073709551616"}, "--big"},
    {{"--big=99999999999999999999999999"}, "--big"},
    {{"--port=0"}, "--port"},
    {{"--port=65536"}, "1..65535"},
    {{"--port=http"}, "--port"},
    {{"--ipv4=10.0.0"}, "--ipv4"},
    {{"--ipv4", "10.0.0.256"}, "A.B.C.D"},
    {{"--net=10.0.0.0"}, "--net"},
    {{"--net=10.0.0.0/33"}, "A.B.C.D/LEN"},
    {{"--mac=02:00:00:00:00"}, "--mac"},
    {{"--peer=1.2.3.4"}, "--peer"},
    {{"--peer=1.2.3.4:70000"}, "A.B.C.D:PORT"},
    {{"--ipv4"}, "--ipv4 needs a value"},
    {{"--name", "--dhcp"}, "--name needs a value"},
    {{"--count", "--", "3"}, "--count needs a value"},
};

static void test_errors(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        char err[UK_OPT_ERR_MAX];
        int rc;
        reset(NULL);
        memset(err, 'x', sizeof err);
        rc = parse_list(c->args, err);
        if (rc != UK_EINVAL || strstr(err, c->want) == NULL ||
            strchr(err, '\n') != NULL || strlen(err) >= UK_OPT_ERR_MAX)
            fail_msg("case %zu (%s): rc %d, message '%.*s'", i, c->args[0],
                     rc, UK_OPT_ERR_MAX, err);
        /* Nothing was stored for a bad value. */
        assert_int_equal(count, 77);
        assert_int_equal(port, 77);
        assert_int_equal(addr.v, 77);
    }
}

static void test_long_values_truncated(void **state)
{
    char err[UK_OPT_ERR_MAX];
    char arg[600], name_arg[600];
    (void)state;
    memset(arg, '9', sizeof arg);
    memcpy(arg, "--count=", 8);
    arg[sizeof arg - 1] = '\0';
    assert_int_equal(PARSE(err, arg), UK_EINVAL);
    assert_true(strlen(err) < UK_OPT_ERR_MAX);
    assert_non_null(strstr(err, "--count"));
    memset(name_arg, 'n', sizeof name_arg);
    memcpy(name_arg, "--", 2);
    name_arg[sizeof name_arg - 1] = '\0';
    assert_int_equal(PARSE(err, name_arg), UK_EINVAL);
    assert_true(strlen(err) < UK_OPT_ERR_MAX);
    assert_non_null(strstr(err, "unknown option"));
}

static void test_help(void **state)
{
    char err[UK_OPT_ERR_MAX];
    (void)state;
    assert_int_equal(PARSE(err, "--help"), UK_EOF);
    assert_int_equal(PARSE(err, "-h"), UK_EOF);
    /* The rest is left unparsed, even when it is bad. */
    assert_int_equal(PARSE(err, "--dhcp", "--help", "--count=99", "junk"),
                     UK_EOF);
    assert_true(dhcp);
    assert_int_equal(count, 77);
    /* An error before --help wins. */
    assert_int_equal(PARSE(err, "--count=99", "--help"), UK_EINVAL);
}

struct lines {
    char text[16][160];
    int n;
};

static void collect(void *arg, const char *line)
{
    struct lines *l = (struct lines *)arg;
    assert_true(l->n < 16);
    assert_true(strlen(line) < sizeof l->text[0]);
    strcpy(l->text[l->n++], line);
}

/* UK_OPT_SIZE: bytes with binary K/M/G suffixes, bounded. */
static void test_sizes(void **state)
{
    static size_t memory;
    static const struct uk_opt size_opts[] = {
        {"memory", UK_OPT_SIZE, &memory, "budget", 4096, 1ul << 31, NULL},
        UK_OPT_END,
    };
    static const struct uk_opt *const t[] = {size_opts};
    static const struct {
        const char *arg;
        size_t want; /* 0: rejected */
    } cases[] = {
        {"--memory=4096", 4096},         {"--memory=4K", 4096},
        {"--memory=4k", 4096},           {"--memory=16M", 16u << 20},
        {"--memory=3m", 3u << 20},       {"--memory=1G", 1u << 30},
        {"--memory=2G", 1ul << 31},      {"--memory=2049M", 0},
        {"--memory=3G", 0},              {"--memory=1K", 0},
        {"--memory=4095", 0},            {"--memory=4KB", 0},
        {"--memory=K", 0},               {"--memory=-4M", 0},
        {"--memory=0x1000", 0},          {"--memory=4 M", 0},
        {"--memory=99999999999999999999999G", 0},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {(char *)"prog", (char *)cases[i].arg, NULL};
        char err[UK_OPT_ERR_MAX];
        int rc;
        memory = 77;
        rc = uk_opt_parse(t, 1, 2, argv, err);
        if (cases[i].want != 0) {
            if (rc != 0 || memory != cases[i].want)
                fail_msg("%s: rc %d, %zu", cases[i].arg, rc, memory);
        } else {
            if (rc != UK_EINVAL || memory != 77 ||
                strstr(err, "--memory:") == NULL)
                fail_msg("%s: rc %d, '%s'", cases[i].arg, rc, err);
        }
    }
}

static void test_usage(void **state)
{
    struct lines l;
    int i;
    (void)state;
    l.n = 0;
    uk_opt_usage(tables, 3, collect, &l);
    assert_int_equal(l.n, 1 + 10 + 1); /* header, options, --help */
    assert_string_equal(l.text[0], "options:");
    assert_non_null(strstr(l.text[1], "--dhcp "));
    assert_non_null(strstr(l.text[1], "use DHCP"));
    assert_non_null(strstr(l.text[2], "--name=STRING"));
    assert_non_null(strstr(l.text[3], "--count=N"));
    assert_non_null(strstr(l.text[5], "--port=PORT"));
    assert_non_null(strstr(l.text[6], "--ipv4=A.B.C.D"));
    assert_non_null(strstr(l.text[7], "--net=A.B.C.D/LEN"));
    assert_non_null(strstr(l.text[8], "--mac=XX:XX:XX:XX:XX:XX"));
    assert_non_null(strstr(l.text[9], "--peer=A.B.C.D:PORT"));
    assert_non_null(strstr(l.text[10], "--verbose"));
    assert_non_null(strstr(l.text[11], "--help"));
    for (i = 1; i < l.n; i++)
        assert_true(strncmp(l.text[i], "  --", 4) == 0);
}

/* --block-NAME=VALUE beside an exact --block and --blocky. */
static void test_named(void **state)
{
    static struct uk_opt_pair pairs[2];
    static struct uk_opt_named blocks = {pairs, 2, 0};
    static const char *dflt, *other;
    static const struct uk_opt opts[] = {
        {"block", UK_OPT_STRING, &dflt, "the default", 0, 0, NULL},
        {"block-", UK_OPT_NAMED, &blocks, "a named one", 0, 0, NULL},
        {"block-x", UK_OPT_STRING, &other, "exact wins", 0, 0, NULL},
        UK_OPT_END,
    };
    const struct uk_opt *const t[] = {opts};
    char *ok[] = {(char *)"prog", (char *)"--block=a", (char *)"--block-data=b",
                  (char *)"--block-x=c", (char *)"--block-log", (char *)"d",
                  (char *)"--block-data=e", NULL};
    char *three[] = {(char *)"prog", (char *)"--block-a=1",
                     (char *)"--block-b=2", (char *)"--block-c=3", NULL};
    char *empty[] = {(char *)"prog", (char *)"--block-=1", NULL};
    char *novalue[] = {(char *)"prog", (char *)"--block-data", NULL};
    char err[UK_OPT_ERR_MAX];
    struct lines l;
    (void)state;
    assert_int_equal(uk_opt_parse(t, 1, 7, ok, err), 0);
    assert_string_equal(dflt, "a");
    assert_string_equal(other, "c");
    assert_int_equal(blocks.n, 2);
    assert_string_equal(uk_opt_named_get(&blocks, "data"), "e");
    assert_string_equal(uk_opt_named_get(&blocks, "log"), "d");
    assert_null(uk_opt_named_get(&blocks, "dat"));
    assert_null(uk_opt_named_get(&blocks, "x"));
    blocks.n = 0;
    assert_int_equal(uk_opt_parse(t, 1, 4, three, err), UK_EINVAL);
    assert_non_null(strstr(err, "--block-c: at most 2 --block-NAME"));
    blocks.n = 0;
    assert_int_equal(uk_opt_parse(t, 1, 2, empty, err), UK_EINVAL);
    assert_non_null(strstr(err, "unknown option '--block-'"));
    assert_int_equal(uk_opt_parse(t, 1, 2, novalue, err), UK_EINVAL);
    assert_non_null(strstr(err, "--block-data needs a value"));
    assert_int_equal(blocks.n, 0);
    l.n = 0;
    uk_opt_usage(t, 1, collect, &l);
    assert_non_null(strstr(l.text[2], "--block-NAME=STRING"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_every_type, reset),
        cmocka_unit_test_setup(test_absent_untouched, reset),
        cmocka_unit_test_setup(test_end_of_options, reset),
        cmocka_unit_test_setup(test_errors, reset),
        cmocka_unit_test_setup(test_long_values_truncated, reset),
        cmocka_unit_test_setup(test_help, reset),
        cmocka_unit_test_setup(test_usage, reset),
        cmocka_unit_test_setup(test_named, reset),
        cmocka_unit_test_setup(test_sizes, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
