/*
 * test_dns_memory.c - the dns example sizes its zone memory to the zone:
 * serving the 3 KiB example.zone fits a 512 KiB budget (--memory=512K,
 * the image's whole budget: zones, parser scratch while loading, TCP
 * connections), its start-up line reports the zone's bytes (well under
 * 1 MiB), and a budget too small for the zone is refused with a clear
 * one-line error and exit status 1 instead of a crash.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_dns_proc.h"

/* Starts dns on example.zone alone with a budget of `memory`. */
static pid_t start(uint16_t port, const char *memory)
{
    char mem[64];
    snprintf(mem, sizeof mem, "--memory=%s", memory);
    return tp_start_dns_with(port, "example.com.:example.zone", mem);
}

/* The log of the last start, NUL-terminated, in out. */
static void read_log(char *out, size_t cap)
{
    char path[300];
    size_t n = 0;
    FILE *f;
    snprintf(path, sizeof path, "%s/dns.log", tp_dir);
    f = fopen(path, "r");
    if (f != NULL) {
        n = fread(out, 1, cap - 1, f);
        fclose(f);
    }
    out[n] = '\0';
}

static void test_small_zone_small_budget(void **state)
{
    uint8_t q[300], r[512];
    char log[2048];
    const char *kib;
    uint16_t port;
    size_t qlen;
    pid_t pid;
    (void)state;
    if (tp_dns_binary() == NULL)
        skip();
    assert_int_equal(tp_make_dir(), 0);
    port = tp_free_port();
    assert_true(port != 0);
    pid = start(port, "512K");
    assert_int_equal(tp_wait_ready(port), 0);
    qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL);
    assert_true(tp_udp(port, q, qlen, r, sizeof r, 2000) > 12);
    tp_stop(pid);
    read_log(log, sizeof log);
    printf("# %s", log);
    /* "serving 1 zone(s), N records, K KiB" */
    kib = strstr(log, " records, ");
    assert_non_null(kib);
    assert_true(strtoul(kib + 10, NULL, 10) < 256);
    tp_remove_dir();
}

static void test_budget_too_small_refused(void **state)
{
    char log[2048];
    int status;
    pid_t pid;
    (void)state;
    if (tp_dns_binary() == NULL)
        skip();
    assert_int_equal(tp_make_dir(), 0);
    pid = start(tp_free_port(), "64K");
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    read_log(log, sizeof log);
    assert_non_null(strstr(log, "need more memory"));
    tp_remove_dir();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_zone_small_budget),
        cmocka_unit_test(test_budget_too_small_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
