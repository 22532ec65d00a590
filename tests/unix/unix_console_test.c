/*
 * unix_console_test.c - the unix console over pipes: writev with partial
 * progress, read and end of stream, log lines, the flow rules (no callback
 * inside the call, one pending op of each kind, close cancels).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <uk/target.h>
#include <uk/unix.h>

static struct uk_unix_console C;
static int in_w, out_r, in_r, out_w;
static bool in_call;
static char log_[64];
static size_t nlog;

static void note(char c)
{
    if (nlog < sizeof log_ - 1)
        log_[nlog++] = c;
    log_[nlog] = '\0';
}

static int setup(void **state)
{
    int a[2], b[2];
    (void)state;
    assert_int_equal(pipe(a), 0);
    assert_int_equal(pipe(b), 0);
    in_r = a[0];
    in_w = a[1];
    out_r = b[0];
    out_w = b[1];
    uk_unix_console_init(&C, in_r, out_w);
    nlog = 0;
    log_[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    close(in_r);
    if (in_w >= 0)
        close(in_w);
    close(out_r);
    close(out_w);
    return 0;
}

static int wstatus;
static size_t wcount;

static void on_write(void *arg, int status, size_t written)
{
    (void)arg;
    assert_false(in_call);
    wstatus = status;
    wcount = written;
    note('w');
}

static void test_writev_small(void **state)
{
    struct uk_iov iov[2] = {{"abc", 3}, {"def", 3}};
    char buf[16];
    (void)state;
    in_call = true;
    assert_int_equal(uk_console_writev(&C.con, iov, 2, on_write, NULL), 0);
    assert_int_equal(uk_console_writev(&C.con, iov, 2, on_write, NULL),
                     UK_EBUSY);
    assert_int_equal(uk_console_writev(&C.con, iov, 0, on_write, NULL),
                     UK_EBUSY);
    in_call = false;
    assert_string_equal(log_, "");
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(log_, "w");
    assert_int_equal(wstatus, 0);
    assert_int_equal(wcount, 6);
    assert_int_equal(read(out_r, buf, sizeof buf), 6);
    assert_memory_equal(buf, "abcdef", 6);
    assert_int_equal(uk_console_writev(&C.con, iov, 0, on_write, NULL),
                     UK_EINVAL);
}

/* A write larger than the pipe completes as a reader drains the pipe. */
#define BIG (1u << 20)
static uint8_t *big_out, *big_in;
static size_t big_got;
static struct uk_unix_source drain;

static void drain_ready(struct uk_unix_source *src, uint32_t ev)
{
    ssize_t n;
    (void)ev;
    n = read(src->fd, big_in + big_got, BIG - big_got);
    assert_true(n > 0);
    big_got += (size_t)n;
    if (big_got == BIG)
        uk_unix_unwatch(src);
}

static void test_writev_partial_progress(void **state)
{
    size_t i;
    (void)state;
    big_out = malloc(BIG);
    big_in = malloc(BIG);
    assert_non_null(big_out);
    assert_non_null(big_in);
    for (i = 0; i < BIG; i++)
        big_out[i] = (uint8_t)(i * 7 + (i >> 9));
    big_got = 0;
    fcntl(out_r, F_SETFL, O_NONBLOCK);
    {
        struct uk_iov iov = {NULL, BIG};
        iov.base = big_out;
        assert_int_equal(uk_console_writev(&C.con, &iov, 1, on_write, NULL),
                         0);
    }
    memset(&drain, 0, sizeof drain);
    assert_int_equal(uk_unix_watch(&drain, out_r, UK_UNIX_READABLE,
                                   drain_ready), 0);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(log_, "w");
    assert_int_equal(wstatus, 0);
    assert_int_equal(wcount, BIG);
    assert_int_equal(big_got, BIG);
    assert_memory_equal(big_in, big_out, BIG);
    free(big_out);
    free(big_in);
}

static char rbuf[64];
static int rstatus;

static void on_read(void *arg, int status, const void *data, size_t len)
{
    (void)arg;
    assert_false(in_call);
    rstatus = status;
    if (status == 0) {
        assert_true(len < sizeof rbuf);
        memcpy(rbuf, data, len);
        rbuf[len] = '\0';
    } else {
        assert_int_equal(len, 0);
    }
    note(status == 0 ? 'r' : status == UK_EOF ? 'e' : 'c');
}

static void test_read_then_eof(void **state)
{
    (void)state;
    assert_int_equal(write(in_w, "xyz", 3), 3);
    in_call = true;
    assert_int_equal(uk_console_read(&C.con, on_read, NULL), 0);
    assert_int_equal(uk_console_read(&C.con, on_read, NULL), UK_EBUSY);
    in_call = false;
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(log_, "r");
    assert_string_equal(rbuf, "xyz");
    close(in_w);
    in_w = -1;
    assert_int_equal(uk_console_read(&C.con, on_read, NULL), 0);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(log_, "re");
    /* End of stream stays: a later read reports it again. */
    assert_int_equal(uk_console_read(&C.con, on_read, NULL), 0);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(log_, "ree");
}

static void test_idle_console_does_not_keep_loop(void **state)
{
    (void)state;
    assert_int_equal(uk_unix_source_count(), 0);
    assert_false(uk_loop_run_once(uk_unix_loop(), true));
}

static void test_log_lines(void **state)
{
    char buf[32];
    (void)state;
    assert_int_equal(uk_console_log(&C.con, "one", 3), 0);
    assert_int_equal(uk_console_printf(&C.con, "n=%d", 42), 0);
    assert_int_equal(read(out_r, buf, sizeof buf), 9);
    assert_memory_equal(buf, "one\nn=42\n", 9);
}

static void on_close(void *arg)
{
    (void)arg;
    assert_false(in_call);
    note('C');
}

static void test_close_cancels_pending_read(void **state)
{
    (void)state;
    assert_int_equal(uk_console_read(&C.con, on_read, NULL), 0);
    in_call = true;
    assert_int_equal(uk_console_close(&C.con, on_close, NULL), 0);
    assert_int_equal(uk_console_close(&C.con, on_close, NULL), UK_ECLOSED);
    assert_int_equal(uk_console_read(&C.con, on_read, NULL), UK_ECLOSED);
    in_call = false;
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(log_, "cC");
    assert_int_equal(rstatus, UK_ECANCELED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writev_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writev_partial_progress, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_then_eof, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_console_does_not_keep_loop,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_cancels_pending_read, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
