/*
 * unix_loop_test.c - the event loop over the epoll poller with real timers:
 * order of timers, deferred calls and device events (orders, never
 * durations), source accounting, uk_exit, errno translation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <uk/target.h>
#include <uk/unix.h>

static char order[64];
static size_t norder;

static void mark(char c)
{
    if (norder < sizeof order - 1)
        order[norder++] = c;
    order[norder] = '\0';
}

static void mark_cb(void *arg)
{
    mark(*(const char *)arg);
}

static void reset(void)
{
    norder = 0;
    order[0] = '\0';
}

static void test_timers_in_deadline_order(void **state)
{
    struct uk_time *tm = uk_default_time();
    struct uk_timer t[6];
    static const char names[] = "abcdef";
    (void)state;
    memset(t, 0, sizeof t);
    reset();
    uk_time_after(tm, &t[0], 30 * UK_NS_PER_MS, mark_cb, (void *)&names[0]);
    uk_time_after(tm, &t[1], 10 * UK_NS_PER_MS, mark_cb, (void *)&names[1]);
    uk_time_after(tm, &t[2], 20 * UK_NS_PER_MS, mark_cb, (void *)&names[2]);
    /* Equal deadlines: start order. */
    uk_time_start(tm, &t[3], uk_time_now_ns(tm) + 40 * UK_NS_PER_MS, mark_cb,
                  (void *)&names[3]);
    uk_time_start(tm, &t[4], t[3].deadline_ns, mark_cb, (void *)&names[4]);
    /* A deferred call runs before every timer. */
    uk_time_defer(tm, &t[5], mark_cb, (void *)&names[5]);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "fbcade");
}

static void test_cancelled_timer_never_runs(void **state)
{
    struct uk_time *tm = uk_default_time();
    struct uk_timer a = UK_TIMER_INIT, b = UK_TIMER_INIT;
    (void)state;
    reset();
    uk_time_after(tm, &a, 5 * UK_NS_PER_MS, mark_cb, "a");
    uk_time_after(tm, &b, 10 * UK_NS_PER_MS, mark_cb, "b");
    uk_time_cancel(tm, &a);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "b");
}

/* ---- device events ---- */

static int pipe_w;
static struct uk_unix_source rd_src;

static void pipe_ready(struct uk_unix_source *src, uint32_t ev)
{
    char c;
    assert_true(ev & UK_UNIX_READABLE);
    assert_int_equal(read(src->fd, &c, 1), 1);
    mark(c);
    uk_unix_unwatch(src);
}

static void write_pipe(void *arg)
{
    mark('t');
    assert_int_equal(write(pipe_w, arg, 1), 1);
}

static void test_timer_then_readable(void **state)
{
    struct uk_timer t = UK_TIMER_INIT;
    int p[2];
    (void)state;
    reset();
    assert_int_equal(pipe(p), 0);
    pipe_w = p[1];
    memset(&rd_src, 0, sizeof rd_src);
    assert_int_equal(uk_unix_watch(&rd_src, p[0], UK_UNIX_READABLE,
                                   pipe_ready), 0);
    assert_int_equal(uk_unix_source_count(), 1);
    uk_time_after(uk_default_time(), &t, 10 * UK_NS_PER_MS, write_pipe, "r");
    /* The source keeps the loop alive until its callback unwatches it. */
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "tr");
    assert_int_equal(uk_unix_source_count(), 0);
    close(p[0]);
    close(p[1]);
}

/* Two sources ready in the same batch; whichever runs first unwatches the
 * other, which must then not run. */
static struct uk_unix_source pair[2];

static void pair_ready(struct uk_unix_source *src, uint32_t ev)
{
    struct uk_unix_source *other = src == &pair[0] ? &pair[1] : &pair[0];
    (void)ev;
    mark(src == &pair[0] ? '0' : '1');
    uk_unix_unwatch(other);
    uk_unix_unwatch(src);
}

static void test_unwatch_drops_batched_event(void **state)
{
    int a[2], b[2];
    (void)state;
    reset();
    assert_int_equal(pipe(a), 0);
    assert_int_equal(pipe(b), 0);
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(write(b[1], "y", 1), 1);
    memset(pair, 0, sizeof pair);
    assert_int_equal(uk_unix_watch(&pair[0], a[0], UK_UNIX_READABLE, pair_ready), 0);
    assert_int_equal(uk_unix_watch(&pair[1], b[0], UK_UNIX_READABLE, pair_ready), 0);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_int_equal(norder, 1);
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);
}

/* A quiet source (events 0) still keeps the loop alive. */
static struct uk_unix_source quiet;

static void unwatch_quiet(void *arg)
{
    (void)arg;
    mark('u');
    uk_unix_unwatch(&quiet);
}

static void never(struct uk_unix_source *src, uint32_t ev)
{
    (void)src;
    (void)ev;
    fail_msg("a quiet source must not be called");
}

static void test_quiet_source_keeps_loop_alive(void **state)
{
    struct uk_timer t = UK_TIMER_INIT, d = UK_TIMER_INIT;
    int p[2];
    (void)state;
    reset();
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "z", 1), 1); /* readable, but not asked */
    memset(&quiet, 0, sizeof quiet);
    assert_int_equal(uk_unix_watch(&quiet, p[0], 0, never), 0);
    /* The deferred call alone would let the loop drain at once. */
    uk_time_defer(uk_default_time(), &d, mark_cb, "d");
    uk_time_after(uk_default_time(), &t, 20 * UK_NS_PER_MS, unwatch_quiet,
                  NULL);
    uk_time_cancel(uk_default_time(), &t);
    /* Re-arm from a loop turn instead: the loop must wait for it. */
    uk_time_after(uk_default_time(), &t, 20 * UK_NS_PER_MS, unwatch_quiet,
                  NULL);
    assert_int_equal(uk_loop_run(uk_unix_loop()), 0);
    assert_string_equal(order, "du");
    close(p[0]);
    close(p[1]);
}

static void exit_cb(void *arg)
{
    (void)arg;
    mark('x');
    uk_exit(7);
}

static void test_uk_exit_stops_with_status(void **state)
{
    struct uk_timer a = UK_TIMER_INIT, b = UK_TIMER_INIT;
    (void)state;
    reset();
    uk_time_after(uk_default_time(), &a, 1 * UK_NS_PER_MS, exit_cb, NULL);
    uk_time_after(uk_default_time(), &b, 50 * UK_NS_PER_MS, mark_cb, "b");
    assert_int_equal(uk_loop_run(uk_unix_loop()), 7);
    assert_string_equal(order, "x");
    uk_time_cancel(uk_default_time(), &b);
    uk_unix_loop()->stopped = false; /* reuse the loop in later tests */
    uk_unix_loop()->status = 0;
}

static void test_errno_map(void **state)
{
    (void)state;
    assert_int_equal(uk_unix_error(0), 0);
    assert_int_equal(uk_unix_error(ENOENT), UK_ENOENT);
    assert_int_equal(uk_unix_error(EADDRINUSE), UK_EADDRINUSE);
    assert_int_equal(uk_unix_error(ECONNREFUSED), UK_ECONNREFUSED);
    assert_int_equal(uk_unix_error(ECONNRESET), UK_ECONNRESET);
    assert_int_equal(uk_unix_error(ELOOP), UK_EACCES);
    assert_int_equal(uk_unix_error(EMFILE), UK_ELIMIT);
    assert_int_equal(uk_unix_error(EWOULDBLOCK), UK_EAGAIN);
    assert_int_equal(uk_unix_error(EXDEV), UK_EIO); /* no closer match */
}

static void test_clock(void **state)
{
    struct uk_clock *c = uk_default_clock();
    uint64_t a = uk_clock_monotonic_ns(c), b = uk_clock_monotonic_ns(c);
    (void)state;
    assert_true(b >= a);
    /* After 2020-01-01 and before 2200. */
    assert_true(uk_clock_wall_ns(c) > (int64_t)1577836800 * (int64_t)UK_NS_PER_S);
    assert_true(uk_clock_wall_ns(c) / (int64_t)UK_NS_PER_S < (int64_t)7258118400);
}

static void test_random(void **state)
{
    uint8_t a[64], b[64];
    size_t got = 0;
    (void)state;
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    assert_int_equal(uk_random_fill(uk_default_random(), a, sizeof a), 0);
    assert_int_equal(uk_random_fill(uk_default_random(), b, sizeof b), 0);
    assert_memory_not_equal(a, b, sizeof a);
    assert_string_equal(uk_entropy_source(uk_default_entropy()), "getrandom");
    assert_int_equal(uk_entropy_gather(uk_default_entropy(), a, 16, &got), 0);
    assert_true(got > 0 && got <= 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timers_in_deadline_order),
        cmocka_unit_test(test_cancelled_timer_never_runs),
        cmocka_unit_test(test_timer_then_readable),
        cmocka_unit_test(test_unwatch_drops_batched_event),
        cmocka_unit_test(test_quiet_source_keeps_loop_alive),
        cmocka_unit_test(test_uk_exit_stops_with_status),
        cmocka_unit_test(test_errno_map),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
