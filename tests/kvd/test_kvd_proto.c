/*
 * test_kvd_proto.c - the kvd example's command parser (examples/kvd/
 * proto.h): known answers for every command and its errors, and the fuzz
 * target (fuzz/kvd) on pseudo-random lines made of command words, keys,
 * spaces and hostile bytes (fixed seed, so a failure replays).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/err.h>

#include "fuzz_replay.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kvd_cmd cmd;
static const char *why;

static int parse(const char *line)
{
    why = NULL;
    return kvd_parse(line, strlen(line), &cmd, &why);
}

static void expect_err(const char *line, const char *reason)
{
    assert_int_equal(parse(line), UK_EINVAL);
    assert_non_null(why);
    if (reason != NULL)
        assert_string_equal(why, reason);
}

static void test_commands(void **state)
{
    (void)state;
    assert_int_equal(parse("SET greeting hello world"), 0);
    assert_int_equal(cmd.op, KVD_SET);
    assert_string_equal(cmd.key, "greeting");
    assert_int_equal(cmd.val_len, 11);
    assert_memory_equal(cmd.val, "hello world", 11);
    assert_int_equal(parse("set  a/b  two"), 0); /* value keeps its space */
    assert_string_equal(cmd.key, "a/b");
    assert_int_equal(cmd.val_len, 4);
    assert_memory_equal(cmd.val, " two", 4);
    assert_int_equal(parse("SET empty "), 0);
    assert_int_equal(cmd.val_len, 0);
    assert_int_equal(parse("get greeting"), 0);
    assert_int_equal(cmd.op, KVD_GET);
    assert_int_equal(parse("  DEL   k  "), 0);
    assert_int_equal(cmd.op, KVD_DEL);
    assert_string_equal(cmd.key, "k");
    assert_int_equal(parse("GETAT 12 notes/a"), 0);
    assert_int_equal(cmd.op, KVD_GETAT);
    assert_int_equal(cmd.n, 12);
    assert_string_equal(cmd.key, "notes/a");
    assert_int_equal(parse("GETAT 18446744073709551615 k"), 0);
    assert_true(cmd.n == UINT64_MAX);
    assert_int_equal(parse("LOG"), 0);
    assert_int_equal(cmd.op, KVD_LOG);
    assert_int_equal(cmd.n, 10);
    assert_int_equal(parse("LOG 1000"), 0);
    assert_int_equal(cmd.n, 1000);
    assert_int_equal(parse("LOG 0"), 0);
    assert_int_equal(cmd.n, 0);
    assert_int_equal(parse("LIST"), 0);
    assert_int_equal(cmd.op, KVD_LIST);
    assert_string_equal(cmd.key, "");
    assert_int_equal(parse("LIST /"), 0);
    assert_string_equal(cmd.key, "");
    assert_int_equal(parse("LIST /notes/"), 0);
    assert_string_equal(cmd.key, "notes");
    assert_int_equal(parse("help"), 0);
    assert_int_equal(cmd.op, KVD_HELP);
    assert_int_equal(parse("QUIT"), 0);
    assert_int_equal(cmd.op, KVD_QUIT);
}

static void test_errors(void **state)
{
    static char long_key[UK_KV_KEY_MAX + 16];
    (void)state;
    expect_err("", "empty command (try HELP)");
    expect_err("   ", "empty command (try HELP)");
    expect_err("FROB x", "unknown command (try HELP)");
    expect_err("SETX k v", "unknown command (try HELP)");
    expect_err("SET", "missing key");
    expect_err("SET k", "missing value (SET key value)");
    expect_err("GET", "missing key");
    expect_err("GET a b", "too many arguments");
    expect_err("GET ../etc", "invalid key");
    expect_err("GET /abs", "invalid key");
    expect_err("GET a//b", "invalid key");
    expect_err("SET a\tb v", "invalid key");
    assert_int_equal(kvd_parse("GET a\0b", 7, &cmd, &why), UK_EINVAL);
    assert_string_equal(why, "invalid key");
    expect_err("GETAT", "missing commit (GETAT commit key)");
    expect_err("GETAT x k", "bad number");
    expect_err("GETAT 18446744073709551616 k", "bad number");
    expect_err("GETAT 3", "missing key");
    expect_err("LOG 1001", "LOG wants a count of at most 1000");
    expect_err("LOG -1", "LOG wants a count of at most 1000");
    expect_err("LOG 5 6", "too many arguments");
    expect_err("QUIT now", "too many arguments");
    memset(long_key, 'k', sizeof long_key - 1);
    memcpy(long_key, "GET ", 4);
    expect_err(long_key, "key too long");
}

static void test_random_lines(void **state)
{
    static const char *const words[] = {
        "SET", "get", "DEL", "GETAT", "LOG", "LIST", "HELP", "QUIT", "a",
        "a/b", "/", "..", "1000", "18446744073709551616", "7", "",
    };
    static uint8_t in[6000];
    uint64_t x = 0x6b7664ULL;
    int round;
    (void)state;
    for (round = 0; round < 20000; round++) {
        size_t n = 0, target = fuzz_xorshift64(&x) % sizeof in;
        while (n < target) {
            uint64_t r = fuzz_xorshift64(&x);
            if ((r & 3) == 0) {
                const char *w = words[(r >> 8) % (sizeof words / sizeof *words)];
                size_t l = strlen(w);
                if (l > target - n)
                    break;
                memcpy(in + n, w, l);
                n += l;
            } else if ((r & 3) == 1) {
                in[n++] = ' ';
            } else {
                in[n++] = (r & 0x100) ? (uint8_t)('a' + (r >> 12) % 26)
                                      : (uint8_t)(r >> 16);
            }
        }
        assert_int_equal(LLVMFuzzerTestOneInput(in, n), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_random_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
