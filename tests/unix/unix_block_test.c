/*
 * unix_block_test.c - a file as a BLOCK device: round trip, range checks,
 * busy requests, read-only files, completion order and deferral, and the
 * default devices: --block=PATH and --block-NAME=PATH.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <uk/kv_decl.h>
#include <uk/target.h>
#include <uk/unix.h>

const struct uk_kv_decl uk__kv_decls[] = {{NULL, NULL, NULL}};

#define SECTORS 64

static char path[64];
static struct uk_unix_block B;
static bool in_call;
static char order[32];
static size_t norder;

static void note(char c)
{
    order[norder++] = c;
    order[norder] = '\0';
}

static int setup(void **state)
{
    int fd;
    (void)state;
    snprintf(path, sizeof path, "/tmp/uk-blk-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    /* 64 sectors and a partial one, which is not visible. */
    assert_int_equal(ftruncate(fd, SECTORS * 512 + 100), 0);
    close(fd);
    norder = 0;
    order[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void done(void *arg, int status)
{
    assert_false(in_call);
    assert_int_equal(status, 0);
    note(*(const char *)arg);
}

static void disconnected(void *arg)
{
    (void)arg;
    assert_false(in_call);
    note('D');
}

static void test_round_trip(void **state)
{
    struct uk_block_info info;
    struct uk_block_req w = {0}, r = {0}, r2 = {0};
    static uint8_t out[3 * 512], in[3 * 512], zero[512], z[512];
    size_t i;
    (void)state;
    assert_int_equal(uk_unix_block_open(&B, path, false), 0);
    uk_block_info(&B.blk, &info);
    assert_int_equal(info.sector_size, 512);
    assert_int_equal(info.sectors, SECTORS);
    assert_false(info.read_only);
    for (i = 0; i < sizeof out; i++)
        out[i] = (uint8_t)(i * 13 + 1);
    in_call = true;
    assert_int_equal(uk_block_write(&B.blk, &w, 3, out, 3, done, "w"), 0);
    assert_int_equal(uk_block_write(&B.blk, &w, 3, out, 3, done, "w"),
                     UK_EBUSY);
    assert_int_equal(uk_block_read(&B.blk, &r, 3, in, 3, done, "r"), 0);
    assert_int_equal(uk_block_read(&B.blk, &r2, 2, z, 1, done, "z"), 0);
    in_call = false;
    assert_string_equal(order, "");
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "wrz");
    assert_memory_equal(in, out, sizeof out);
    assert_memory_equal(z, zero, sizeof z);
    /* Range checks. */
    assert_int_equal(uk_block_read(&B.blk, &r, SECTORS, in, 1, done, "x"),
                     UK_EINVAL);
    assert_int_equal(uk_block_read(&B.blk, &r, SECTORS - 2, in, 3, done, "x"),
                     UK_EINVAL);
    assert_int_equal(uk_block_read(&B.blk, &r, 0, in, 0, done, "x"),
                     UK_EINVAL);
    assert_int_equal(uk_block_read(&B.blk, &r, UINT64_MAX, in, 2, done, "x"),
                     UK_EINVAL);
    /* The last sector is reachable; requests finish before disconnect. */
    assert_int_equal(uk_block_write(&B.blk, &w, SECTORS - 1, out, 1, done,
                                    "l"), 0);
    uk_block_disconnect(&B.blk, disconnected, NULL);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "wrzlD");
}

static void test_persists_across_opens(void **state)
{
    struct uk_block_req q = {0};
    static uint8_t out[512], in[512];
    (void)state;
    memset(out, 0xa5, sizeof out);
    assert_int_equal(uk_unix_block_open(&B, path, false), 0);
    assert_int_equal(uk_block_write(&B.blk, &q, 10, out, 1, done, "w"), 0);
    uk_block_disconnect(&B.blk, NULL, NULL);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_int_equal(uk_unix_block_open(&B, path, true), 0);
    assert_int_equal(uk_block_read(&B.blk, &q, 10, in, 1, done, "r"), 0);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_memory_equal(in, out, sizeof in);
    /* Read-only device. */
    assert_int_equal(uk_block_write(&B.blk, &q, 10, out, 1, done, "x"),
                     UK_EROFS);
    uk_block_disconnect(&B.blk, NULL, NULL);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "wr");
}

/* flush: completes later, in order with writes; refused when busy or on a
 * read-only device. */
static void test_flush(void **state)
{
    struct uk_block_req w = {0}, f = {0};
    static uint8_t out[512];
    (void)state;
    memset(out, 0x3c, sizeof out);
    assert_int_equal(uk_unix_block_open(&B, path, false), 0);
    assert_true(uk_block_has_flush(&B.blk));
    assert_int_equal(uk_block_write(&B.blk, &w, 4, out, 1, done, "w"), 0);
    in_call = true;
    assert_int_equal(uk_block_flush(&B.blk, &f, done, "f"), 0);
    assert_int_equal(uk_block_flush(&B.blk, &f, done, "x"), UK_EBUSY);
    in_call = false;
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    uk_block_disconnect(&B.blk, NULL, NULL);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_int_equal(uk_unix_block_open(&B, path, true), 0);
    assert_int_equal(uk_block_flush(&B.blk, &f, done, "x"), UK_EROFS);
    uk_block_disconnect(&B.blk, NULL, NULL);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "wf");
}

static void test_open_errors(void **state)
{
    (void)state;
    assert_int_equal(uk_unix_block_open(&B, "/nonexistent/disk", false),
                     UK_ENOENT);
    assert_int_equal(uk_unix_block_open(&B, "/tmp", false), UK_EINVAL);
}

static void test_default_block_absent(void **state)
{
    struct uk_block *b;
    (void)state;
    assert_int_equal(uk_default_block("default", &b), UK_ENODEV);
    assert_int_equal(uk_default_block("other", &b), UK_ENODEV);
}

static void test_default_block_option(void **state)
{
    char arg[100];
    char *argv[] = {"t", arg, NULL};
    char *missing[] = {"t", "--block=/nonexistent/disk", NULL};
    struct uk_block *b, *b2;
    struct uk_block_info info;
    (void)state;
    assert_int_equal(uk_parse_options(NULL, 2, missing), UK_RUN);
    assert_int_equal(uk_default_block("default", &b), UK_ENOENT);
    snprintf(arg, sizeof arg, "--block=%s", path);
    assert_int_equal(uk_parse_options(NULL, 2, argv), UK_RUN);
    assert_int_equal(uk_default_block("default", &b), 0);
    assert_int_equal(uk_default_block("default", &b2), 0);
    assert_ptr_equal(b, b2);
    uk_block_info(b, &info);
    assert_int_equal(info.sectors, SECTORS);
    assert_int_equal(uk_default_block("other", &b), UK_ENODEV);
}

/* --block-NAME=PATH: several devices, each its own file. */
static void test_named_blocks(void **state)
{
    char a1[100], a2[100], other[64];
    char *argv[] = {"t", a1, "--block-log", a2, NULL};
    struct uk_block *data, *log, *again;
    struct uk_block_info info;
    int fd;
    (void)state;
    snprintf(other, sizeof other, "/tmp/uk-blk2-XXXXXX");
    fd = mkstemp(other);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 8 * 512), 0);
    close(fd);
    snprintf(a1, sizeof a1, "--block-data=%s", path);
    snprintf(a2, sizeof a2, "%s", other);
    assert_int_equal(uk_parse_options(NULL, 4, argv), UK_RUN);
    assert_int_equal(uk_default_block("data", &data), 0);
    assert_int_equal(uk_default_block("log", &log), 0);
    assert_ptr_not_equal(data, log);
    uk_block_info(data, &info);
    assert_int_equal(info.sectors, SECTORS);
    uk_block_info(log, &info);
    assert_int_equal(info.sectors, 8);
    assert_int_equal(uk_default_block("data", &again), 0);
    assert_ptr_equal(again, data);
    assert_int_equal(uk_default_block("dat", &again), UK_ENODEV);
    unlink(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_persists_across_opens, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_block_absent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_default_block_option, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_named_blocks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
