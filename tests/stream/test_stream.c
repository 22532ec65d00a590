/*
 * test_stream.c - uk_stream (uk/stream.h) over the in-process pipe of the
 * OpenFlow tests: lines and exact reads however the flow splits them, the
 * final statuses (EOF, EOF inside a frame, too long, no memory), the write
 * queue's limit and drain, and that an idle stream holds no memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/loop.h>
#include <uk/stream.h>

#include "fake_clock.h"
#include "pipe.h"
#include "test_mem.h"

static struct fake_clock clk;
static struct fake_poller poller;
static struct uk_loop loop;
static struct pipe_end a, b; /* a: the stream's flow; b: the peer */
static struct test_mem mem;
static struct uk_mem_account acct;
static struct uk_stream st;

static char got[16][128];
static size_t got_len[16];
static int got_status[16];
static int ngot, drains, drain_status;

static void settle(void)
{
    int i;
    for (i = 0; i < 300; i++)
        uk_loop_run_once(&loop, false);
}

static void on_frame(void *arg, int status, const void *data, size_t len)
{
    (void)arg;
    assert_true(ngot < 16);
    got_status[ngot] = status;
    got_len[ngot] = len;
    assert_true(len < sizeof got[0]);
    if (len > 0)
        memcpy(got[ngot], data, len);
    got[ngot][len] = '\0';
    ngot++;
}

static void on_drain(void *arg, int status)
{
    (void)arg;
    drains++;
    drain_status = status;
}

static void start(size_t max_frame, size_t wq_max, size_t budget)
{
    fake_clock_init(&clk, UK_NS_PER_S, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    pipe_init(&a, &b, &loop.time);
    test_mem_init(&mem, budget);
    uk_mem_account_init(&acct, &mem.mem, "stream", SIZE_MAX, SIZE_MAX);
    assert_int_equal(uk_stream_init(&st, &a.flow, &loop.time, &acct,
                                    max_frame, wq_max), 0);
    ngot = drains = drain_status = 0;
}

static void stop(void)
{
    uk_stream_fini(&st);
    assert_int_equal(mem.used, 0);
}

static void inject(const char *s)
{
    assert_true(pipe_inject(&a, s, strlen(s)));
}

/* Reads one line; returns its status and copies it to got[]. */
static int line(void)
{
    int before = ngot;
    assert_int_equal(uk_stream_read_line(&st, on_frame, NULL), 0);
    assert_int_equal(ngot, before); /* never inside the call */
    settle();
    assert_int_equal(ngot, before + 1);
    return got_status[before];
}

static void test_lines_one_read(void **state)
{
    (void)state;
    start(64, 1024, 1 << 20);
    inject("one\r\ntwo\n\nthree\n");
    assert_int_equal(line(), 0);
    assert_string_equal(got[0], "one");
    /* The rest of that read is held, and only it. */
    assert_int_equal(mem.used, strlen("two\n\nthree\n"));
    assert_int_equal(line(), 0);
    assert_string_equal(got[1], "two");
    assert_int_equal(line(), 0);
    assert_int_equal(got_len[2], 0);
    assert_int_equal(line(), 0);
    assert_string_equal(got[3], "three");
    assert_int_equal(mem.used, 0); /* nothing held between frames */
    pipe_inject_eof(&a);
    assert_int_equal(line(), UK_EOF);
    assert_int_equal(uk_stream_read_line(&st, on_frame, NULL), UK_EOF);
    stop();
}

static void test_split_reads(void **state)
{
    (void)state;
    start(64, 1024, 1 << 20);
    a.chunk = 1; /* one byte per flow read */
    inject("hello world\r\n");
    assert_true(pipe_inject(&a, "\x00\x05" "abcde" "tail\n", 12));
    assert_int_equal(line(), 0);
    assert_string_equal(got[0], "hello world");
    assert_int_equal(uk_stream_read_exact(&st, 2, on_frame, NULL), 0);
    settle();
    assert_int_equal(got_status[1], 0);
    assert_int_equal(got_len[1], 2);
    assert_int_equal((uint8_t)got[1][1], 5);
    assert_int_equal(uk_stream_read_exact(&st, 5, on_frame, NULL), 0);
    settle();
    assert_string_equal(got[2], "abcde");
    assert_int_equal(line(), 0);
    assert_string_equal(got[3], "tail");
    stop();
}

static void test_read_some(void **state)
{
    (void)state;
    start(4, 1024, 1 << 20);
    inject("abcdefg");
    assert_int_equal(uk_stream_read_some(&st, on_frame, NULL), 0);
    settle();
    assert_string_equal(got[0], "abcd"); /* at most max_frame */
    assert_int_equal(uk_stream_read_some(&st, on_frame, NULL), 0);
    settle();
    assert_string_equal(got[1], "efg");
    pipe_inject_eof(&a);
    assert_int_equal(uk_stream_read_some(&st, on_frame, NULL), 0);
    settle();
    assert_int_equal(got_status[2], UK_EOF);
    stop();
}

static void test_final_statuses(void **state)
{
    (void)state;
    /* A line longer than max_frame. */
    start(8, 1024, 1 << 20);
    inject("12345678\n"); /* exactly max_frame: fine */
    assert_int_equal(line(), 0);
    inject("123456789\r\nnext\n");
    assert_int_equal(line(), UK_EMSGSIZE);
    assert_int_equal(uk_stream_read_line(&st, on_frame, NULL), UK_EMSGSIZE);
    stop();
    /* No "\n" at all, ever: refused once max_frame + 2 bytes are held. */
    start(8, 1024, 1 << 20);
    inject("0123456789ab");
    assert_int_equal(line(), UK_EMSGSIZE);
    stop();
    /* The stream ends inside a frame. */
    start(8, 1024, 1 << 20);
    inject("abc");
    pipe_inject_eof(&a);
    assert_int_equal(uk_stream_read_exact(&st, 4, on_frame, NULL), 0);
    settle();
    assert_int_equal(got_status[0], UK_EPROTO);
    stop();
    /* Bad arguments and a second read. */
    start(8, 1024, 1 << 20);
    assert_int_equal(uk_stream_read_exact(&st, 0, on_frame, NULL), UK_EINVAL);
    assert_int_equal(uk_stream_read_exact(&st, 9, on_frame, NULL), UK_EINVAL);
    assert_int_equal(uk_stream_read_line(&st, on_frame, NULL), 0);
    assert_int_equal(uk_stream_read_line(&st, on_frame, NULL), UK_EBUSY);
    inject("x\n");
    settle();
    assert_string_equal(got[0], "x");
    stop();
    assert_int_equal(uk_stream_init(&st, &a.flow, &loop.time, &acct, 0, 1),
                     UK_EINVAL);
}

static void test_no_memory(void **state)
{
    (void)state;
    /* The rest of a read cannot be held: the read fails, finally. */
    start(64, 1024, 4);
    inject("first\nsecond\n");
    assert_int_equal(line(), UK_ENOMEM);
    assert_int_equal(uk_stream_write(&st, "hello", 5), UK_ENOMEM);
    stop();
}

static void test_write_queue(void **state)
{
    char out[256];
    int i;
    (void)state;
    start(64, 100, 1 << 20);
    for (i = 0; i < 20; i++) { /* more writes than one writev takes */
        char w[8];
        snprintf(w, sizeof w, "w%02d;", i);
        assert_int_equal(uk_stream_write(&st, w, 4), 0);
    }
    assert_int_equal(uk_stream_queued(&st), 80);
    assert_int_equal(uk_stream_write(&st, out, 21), UK_ENOBUFS);
    assert_int_equal(uk_stream_write(&st, out, 0), 0);
    assert_int_equal(uk_stream_on_drain(&st, on_drain, NULL), 0);
    assert_int_equal(drains, 0);
    settle();
    assert_int_equal(drains, 1);
    assert_int_equal(drain_status, 0);
    assert_int_equal(uk_stream_queued(&st), 0);
    assert_int_equal(mem.used, 0);
    memset(out, 0, sizeof out);
    assert_int_equal(pipe_take(&a, out, sizeof out - 1), 80);
    assert_memory_equal(out, "w00;w01;w02;", 12);
    assert_memory_equal(out + 76, "w19;", 4);
    /* Drain on an empty queue: deferred, once. */
    assert_int_equal(uk_stream_on_drain(&st, on_drain, NULL), 0);
    assert_int_equal(drains, 1);
    settle();
    assert_int_equal(drains, 2);
    stop();
}

static void test_write_error(void **state)
{
    (void)state;
    start(64, 1024, 1 << 20);
    assert_int_equal(uk_stream_write(&st, "bye", 3), 0);
    assert_int_equal(uk_stream_on_drain(&st, on_drain, NULL), 0);
    assert_int_equal(uk_flow_close(&a.flow, NULL, NULL), 0);
    settle();
    assert_int_equal(drains, 1);
    assert_true(drain_status < 0);
    assert_int_equal(uk_stream_write(&st, "x", 1), drain_status);
    assert_int_equal(uk_stream_queued(&st), 0);
    stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_one_read),
        cmocka_unit_test(test_split_reads),
        cmocka_unit_test(test_read_some),
        cmocka_unit_test(test_final_statuses),
        cmocka_unit_test(test_no_memory),
        cmocka_unit_test(test_write_queue),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
