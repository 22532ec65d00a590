/*
 * test_loop.c - the event loop (uk/loop.h, lib/core/loop.c) on the fake
 * clock and poller of tests/support/fake_clock.h: timer order, cancel,
 * re-arm, deferred calls, turn boundaries, stop, drain, and a randomized
 * comparison against a simple reference model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/loop.h>
#include <uk/prng.h>

#include "fake_clock.h"

#define T0 1000u /* the fake clock's start */
#define MAXT 64

/* One loop, its fake clock and poller, timers, and a log of what fired. */
static struct env {
    struct fake_clock clock;
    struct fake_poller poller;
    struct uk_loop loop;
    struct uk_timer t[MAXT];
    struct rec {
        struct env *env;
        int id;
        void (*then)(struct rec *r); /* extra action when fired */
        int target;                  /* for `then` */
        uint64_t value;              /* for `then` */
    } r[MAXT];
    int fired[1024];
    uint64_t when[1024];
    int nfired;
} env;

static struct uk_time *tm(void) { return &env.loop.time; }

static int setup(void **state)
{
    int i;
    (void)state;
    memset(&env, 0, sizeof env);
    fake_clock_init(&env.clock, T0, 0);
    fake_poller_init(&env.poller, &env.clock);
    uk_loop_init(&env.loop, &env.clock.clock, &env.poller.poller);
    for (i = 0; i < MAXT; i++) {
        env.r[i].env = &env;
        env.r[i].id = i;
    }
    return 0;
}

static void on_fire(void *arg)
{
    struct rec *r = (struct rec *)arg;
    assert_true(env.nfired < 1024);
    env.fired[env.nfired] = r->id;
    env.when[env.nfired] = uk_time_now_ns(tm());
    env.nfired++;
    if (r->then != NULL)
        r->then(r);
}

static void start(int id, uint64_t deadline)
{
    uk_time_start(tm(), &env.t[id], deadline, on_fire, &env.r[id]);
}

static void defer(int id) { uk_time_defer(tm(), &env.t[id], on_fire, &env.r[id]); }

static void expect_fired(const int *ids, int n)
{
    int i;
    if (env.nfired != n)
        fail_msg("%d callbacks ran, expected %d", env.nfired, n);
    for (i = 0; i < n; i++)
        if (env.fired[i] != ids[i])
            fail_msg("callback %d was id %d, expected %d", i, env.fired[i],
                     ids[i]);
}

#define EXPECT_FIRED(...)                                                     \
    do {                                                                      \
        static const int ids_[] = {__VA_ARGS__};                              \
        expect_fired(ids_, (int)(sizeof ids_ / sizeof ids_[0]));              \
    } while (0)

static void test_deadline_order(void **state)
{
    static const uint64_t d[] = {50, 10, 30, 20, 40, 5};
    int i;
    (void)state;
    for (i = 0; i < 6; i++)
        start(i, T0 + d[i]);
    assert_true(uk_loop_has_work(&env.loop));
    assert_true(uk_loop_next_deadline(&env.loop) == T0 + 5);
    for (i = 0; i < 6; i++)
        assert_true(uk_timer_is_armed(&env.t[i]));
    assert_int_equal(uk_loop_run(&env.loop), 0); /* drains */
    EXPECT_FIRED(5, 1, 3, 2, 4, 0);
    for (i = 0; i < 6; i++) {
        /* Each ran at its deadline: the fake poller slept exactly. */
        assert_true(env.when[i] == T0 + d[env.fired[i]]);
        assert_false(uk_timer_is_armed(&env.t[i]));
    }
    assert_false(uk_loop_has_work(&env.loop));
    assert_true(uk_loop_next_deadline(&env.loop) == UK_TIME_NEVER);
}

static void test_equal_deadlines(void **state)
{
    int i;
    (void)state;
    for (i = 0; i < 10; i++)
        start(i, T0 + 100);
    start(3, T0 + 100); /* re-arming moves 3 behind the others */
    start(10, T0 + 99);
    start(11, T0 + 100);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(10, 0, 1, 2, 4, 5, 6, 7, 8, 9, 3, 11);
}

static void test_past_deadlines_and_now(void **state)
{
    (void)state;
    start(0, 0);       /* long past */
    start(1, T0);      /* now */
    start(2, T0 - 1);
    uk_time_after(tm(), &env.t[3], 0, on_fire, &env.r[3]);
    assert_true(env.t[3].deadline_ns == T0);
    /* One turn without waiting runs everything already due. */
    assert_false(uk_loop_run_once(&env.loop, false));
    EXPECT_FIRED(0, 2, 1, 3);
    assert_true(env.clock.mono_ns == T0);
    assert_int_equal(env.poller.waits, 0);
}

static void test_time_after(void **state)
{
    (void)state;
    fake_clock_set(&env.clock, 500000);
    assert_true(uk_time_now_ns(tm()) == 500000);
    uk_time_after(tm(), &env.t[0], 250, on_fire, &env.r[0]);
    assert_true(env.t[0].deadline_ns == 500250);
    /* A delay that would overflow means "never". */
    uk_time_after(tm(), &env.t[1], UINT64_MAX - 10, on_fire, &env.r[1]);
    assert_true(env.t[1].deadline_ns == UK_TIME_NEVER);
    uk_time_cancel(tm(), &env.t[1]);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(0);
    assert_true(env.when[0] == 500250);
}

/* Builds a heap with depth: 16 timers, then one turn fires the first,
 * whose removal pairs up the rest. */
static void deep_heap(void)
{
    static const uint64_t d[] = {1,  9,  3,  14, 7,  12, 5,  16,
                                 2,  11, 6,  15, 4,  13, 8,  10};
    int i;
    for (i = 0; i < 16; i++)
        start(i, T0 + 10 * d[i]);
    fake_clock_set(&env.clock, T0 + 10);
    assert_true(uk_loop_run_once(&env.loop, false));
    EXPECT_FIRED(0);
    env.nfired = 0;
}

static void test_cancel_root_inner_leaf(void **state)
{
    int i, inner = -1, leaf = -1, root;
    (void)state;
    deep_heap();
    /* White-box: find an inner node (has children, not the root) and a
     * leaf that is not a first child, so every unlink path is taken. */
    root = (int)(env.loop.heap - env.t);
    assert_int_equal(root, 8); /* deadline 20 is next */
    for (i = 0; i < 16; i++) {
        struct uk_timer *t = &env.t[i];
        if (!uk_timer_is_armed(t) || t == env.loop.heap)
            continue;
        if (inner < 0 && t->child != NULL)
            inner = i;
        if (leaf < 0 && t->child == NULL && t->prev->child != t)
            leaf = i;
    }
    assert_true(inner >= 0);
    assert_true(leaf >= 0);
    uk_time_cancel(tm(), &env.t[root]);
    uk_time_cancel(tm(), &env.t[inner]);
    uk_time_cancel(tm(), &env.t[leaf]);
    uk_time_cancel(tm(), &env.t[leaf]); /* twice: harmless */
    uk_time_cancel(tm(), &env.t[0]);    /* idle: harmless */
    assert_false(uk_timer_is_armed(&env.t[inner]));
    assert_int_equal(uk_loop_run(&env.loop), 0);
    assert_int_equal(env.nfired, 12);
    for (i = 0; i < env.nfired; i++) {
        assert_true(env.fired[i] != root && env.fired[i] != inner &&
                    env.fired[i] != leaf);
        if (i > 0)
            assert_true(env.when[i] > env.when[i - 1]);
    }
}

static void test_cancel_every_position(void **state)
{
    int victim;
    (void)state;
    /* For each timer in turn: build the deep heap, cancel just it, and
     * check that exactly the others fire, in deadline order. */
    for (victim = 1; victim < 16; victim++) {
        int i;
        setup(NULL);
        deep_heap();
        uk_time_cancel(tm(), &env.t[victim]);
        assert_int_equal(uk_loop_run(&env.loop), 0);
        assert_int_equal(env.nfired, 14);
        for (i = 0; i < env.nfired; i++) {
            assert_int_not_equal(env.fired[i], victim);
            if (i > 0)
                assert_true(env.when[i] > env.when[i - 1]);
        }
    }
}

static void then_cancel(struct rec *r) { uk_time_cancel(tm(), &env.t[r->target]); }

static void test_cancel_from_callback(void **state)
{
    (void)state;
    start(0, T0 + 10);
    start(1, T0 + 10); /* due in the same turn, after 0: 0 cancels it */
    start(2, T0 + 30); /* a later one: 3 cancels it */
    start(3, T0 + 20);
    start(4, T0 + 40); /* cancels itself while running: harmless */
    env.r[0].then = then_cancel;
    env.r[0].target = 1;
    env.r[3].then = then_cancel;
    env.r[3].target = 2;
    env.r[4].then = then_cancel;
    env.r[4].target = 4;
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(0, 3, 4);
}

static void test_rearm_moves(void **state)
{
    (void)state;
    start(0, T0 + 10);
    start(1, T0 + 20);
    start(0, T0 + 30); /* later */
    start(2, T0 + 50);
    start(2, T0 + 5); /* earlier */
    assert_true(uk_loop_next_deadline(&env.loop) == T0 + 5);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(2, 1, 0);
    assert_true(env.when[2] == T0 + 30);
}

static void then_periodic(struct rec *r)
{
    if (r->value-- > 1)
        uk_time_after(tm(), &env.t[r->id], 100, on_fire, r);
}

static void test_periodic(void **state)
{
    int i;
    (void)state;
    env.r[0].then = then_periodic;
    env.r[0].value = 5;
    uk_time_after(tm(), &env.t[0], 100, on_fire, &env.r[0]);
    start(1, T0 + 250);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(0, 0, 1, 0, 0, 0);
    for (i = 0; i < 6; i++)
        if (env.fired[i] == 0)
            assert_true(env.when[i] % 100 == 0);
}

static void test_defer_fifo_before_timers(void **state)
{
    (void)state;
    start(0, T0);     /* already due */
    start(1, T0 - 5); /* overdue */
    defer(2);
    defer(3);
    defer(4);
    defer(5);
    uk_time_cancel(tm(), &env.t[3]); /* cancel a deferred call */
    defer(2);                        /* re-deferring moves to the end */
    start(5, T0 + 1);                /* a deferred record becomes a timer */
    assert_true(uk_loop_next_deadline(&env.loop) == 0);
    assert_true(uk_loop_run_once(&env.loop, true));
    EXPECT_FIRED(4, 2, 1, 0);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(4, 2, 1, 0, 5);
}

static void then_defer(struct rec *r) { defer(r->target); }
static void then_start_now(struct rec *r) { start(r->target, uk_time_now_ns(tm())); }

static void test_work_queued_in_turn_runs_later(void **state)
{
    (void)state;
    /* A deferred call that defers another, and a timer that starts a due
     * timer: neither new one runs in the same turn. */
    env.r[0].then = then_defer;
    env.r[0].target = 1;
    env.r[2].then = then_start_now;
    env.r[2].target = 3;
    defer(0);
    start(2, T0);
    assert_true(uk_loop_run_once(&env.loop, false));
    EXPECT_FIRED(0, 2);
    assert_true(uk_timer_is_armed(&env.t[1]));
    assert_true(uk_timer_is_armed(&env.t[3]));
    assert_false(uk_loop_run_once(&env.loop, false));
    EXPECT_FIRED(0, 2, 1, 3);
}

/* A deferred call that re-defers itself for ever, advancing the fake clock
 * a little each time as real work would. */
static int self_defers;
static void self_defer(void *arg)
{
    self_defers++;
    fake_clock_advance(&env.clock, 1);
    uk_time_defer(tm(), &env.t[0], self_defer, arg);
}

static void then_stop(struct rec *r) { uk_loop_stop(&env.loop, (int)r->value); }

static void test_self_defer_does_not_starve(void **state)
{
    int turns = 0;
    (void)state;
    uk_time_defer(tm(), &env.t[0], self_defer, NULL);
    start(1, T0); /* due now: must run in the first turn anyway */
    start(2, T0 + 50);
    env.r[2].then = then_stop;
    env.r[2].value = 9;
    while (uk_loop_run_once(&env.loop, true)) {
        turns++;
        /* one deferred call per turn, never more */
        assert_int_equal(self_defers, turns);
        assert_true(turns < 1000);
    }
    EXPECT_FIRED(1, 2);
    assert_int_equal(env.loop.status, 9);
    assert_true(uk_timer_is_armed(&env.t[0])); /* still deferred */
    uk_time_cancel(tm(), &env.t[0]);
}

/* A timer that re-arms itself already overdue, every time it runs. */
static void then_rearm_past(struct rec *r)
{
    if (r->value-- > 1)
        start(r->id, 0);
}

static void test_rearm_in_past_does_not_starve(void **state)
{
    (void)state;
    /* 0 keeps re-arming itself before every other deadline; 1 and 2 were
     * due when the first turn began, so they run in that turn even though
     * the newly armed 0 is earlier (it waits for the next turn). */
    env.r[0].then = then_rearm_past;
    env.r[0].value = 4;
    start(0, 0);
    start(1, T0 - 1);
    start(2, T0);
    assert_true(uk_loop_run_once(&env.loop, false));
    EXPECT_FIRED(0, 1, 2);
    assert_true(uk_timer_is_armed(&env.t[0]));
    assert_true(uk_loop_next_deadline(&env.loop) == 0);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(0, 1, 2, 0, 0, 0);
}

static void then_start_two_overdue(struct rec *r)
{
    start(r->target, 0);
    start(r->target + 1, 0);
}

static void test_cancel_held_timers(void **state)
{
    (void)state;
    /* 0 arms 10 and 11 already overdue; they wait for the next turn while
     * 1 and 2, due before the turn, still run in it.  1 cancels 10, 2
     * re-arms 11: cancel and re-arm work on such set-aside timers. */
    env.r[0].then = then_start_two_overdue;
    env.r[0].target = 10;
    env.r[1].then = then_cancel;
    env.r[1].target = 10;
    env.r[2].then = then_start_now;
    env.r[2].target = 11;
    start(0, T0 - 3);
    start(1, T0 - 2);
    start(2, T0 - 1);
    assert_true(uk_loop_run_once(&env.loop, false));
    EXPECT_FIRED(0, 1, 2);
    assert_false(uk_timer_is_armed(&env.t[10]));
    assert_true(uk_timer_is_armed(&env.t[11]));
    assert_true(env.t[11].deadline_ns == T0); /* moved by the re-arm */
    assert_true(uk_loop_next_deadline(&env.loop) == T0);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(0, 1, 2, 11);
    assert_false(uk_loop_has_work(&env.loop));
}

static void test_stop_status(void **state)
{
    (void)state;
    start(0, T0 + 10);
    start(1, T0 + 10); /* due in the same turn, but after the stop */
    start(2, T0 + 20);
    env.r[0].then = then_stop;
    env.r[0].value = 42;
    assert_int_equal(uk_loop_run(&env.loop), 42);
    EXPECT_FIRED(0);
    assert_true(uk_timer_is_armed(&env.t[1]));
    assert_true(uk_timer_is_armed(&env.t[2]));
    /* A stopped loop stays stopped. */
    assert_false(uk_loop_run_once(&env.loop, true));
    EXPECT_FIRED(0);
}

static void test_stop_in_deferred(void **state)
{
    (void)state;
    defer(0);
    defer(1);
    start(2, T0);
    env.r[0].then = then_stop;
    env.r[0].value = 0;
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(0);
    assert_true(uk_loop_has_work(&env.loop));
}

static void test_drain(void **state)
{
    (void)state;
    /* Nothing at all: returns at once without waiting. */
    assert_int_equal(uk_loop_run(&env.loop), 0);
    assert_int_equal(env.poller.waits, 0);
    /* A cancelled timer leaves nothing behind. */
    start(0, T0 + 10);
    uk_time_cancel(tm(), &env.t[0]);
    assert_int_equal(uk_loop_run(&env.loop), 0);
    assert_int_equal(env.poller.waits, 0);
    assert_int_equal(env.nfired, 0);
}

/* A device that produces three events, then closes. */
static int events;
static void device_events(void *arg, uint64_t deadline)
{
    (void)arg;
    assert_true(deadline == UK_TIME_NEVER);
    events++;
    defer(events);
    if (events == 3)
        env.poller.sources = false;
}

static void test_sources_keep_loop_alive(void **state)
{
    (void)state;
    events = 0;
    env.poller.sources = true;
    env.poller.on_wait = device_events;
    assert_int_equal(uk_loop_run(&env.loop), 0);
    EXPECT_FIRED(1, 2, 3);
    assert_int_equal(env.poller.waits, 3);
}

static void test_poller_error(void **state)
{
    (void)state;
    start(0, T0 + 10);
    env.poller.fail = UK_EIO;
    assert_int_equal(uk_loop_run(&env.loop), 1);
    assert_int_equal(env.nfired, 0);
    assert_int_equal(env.poller.waits, 1);
    assert_true(env.poller.last_deadline == T0 + 10);
    /* Sources but no deadline and no hook: the fake refuses to hang. */
    setup(NULL);
    env.poller.sources = true;
    assert_int_equal(uk_loop_run(&env.loop), 1);
}

static void test_no_poller(void **state)
{
    struct uk_loop loop;
    struct uk_timer t = UK_TIMER_INIT;
    (void)state;
    uk_loop_init(&loop, &env.clock.clock, NULL);
    uk_time_start(&loop.time, &t, T0 + 5, on_fire, &env.r[7]);
    assert_true(uk_loop_run_once(&loop, true)); /* not due: more to do */
    assert_int_equal(env.nfired, 0);
    fake_clock_set(&env.clock, T0 + 5);
    assert_false(uk_loop_run_once(&loop, true));
    EXPECT_FIRED(7);
}

/* ---- randomized comparison against a reference model ---- */

#define SN 48          /* timer records */
#define SLOG 400000    /* log entries */
enum { M_IDLE, M_HEAP, M_FIFO };

/* One simulation: the real loop, or the model, driven by the same
 * pseudo-random script.  The script's draws depend on what fired, so the
 * two runs stay in step only while their firing orders agree. */
struct sim {
    bool model;
    struct uk_prng rng;
    struct fake_clock clock;
    struct fake_poller poller;
    struct uk_loop loop;
    struct uk_timer t[SN];
    struct sim_arg {
        struct sim *s;
        int id;
    } arg[SN];
    struct { int state; uint64_t deadline, seq; } m[SN];
    uint64_t mnow, mseq;
    uint64_t *log;
    size_t nlog;
    unsigned long ops;
};

static struct sim sims[2];
static uint64_t logs[2][SLOG];

static uint64_t sim_now(struct sim *s)
{
    return s->model ? s->mnow : s->clock.mono_ns;
}

static void sim_fire(void *arg);

static void sim_op(struct sim *s)
{
    int id = (int)uk_prng_below(&s->rng, SN);
    uint32_t kind = uk_prng_below(&s->rng, 100);
    uint64_t now = sim_now(s), deadline;
    s->ops++;
    if (kind < 55) {
        deadline = now + uk_prng_below(&s->rng, 300);
        if (kind < 5) /* sometimes in the past */
            deadline = now - (now < 40 ? now : uk_prng_below(&s->rng, 40));
        if (s->model) {
            s->m[id].state = M_HEAP;
            s->m[id].deadline = deadline;
            s->m[id].seq = ++s->mseq;
        } else {
            uk_time_start(&s->loop.time, &s->t[id], deadline, sim_fire,
                          &s->arg[id]);
        }
    } else if (kind < 85) {
        if (s->model)
            s->m[id].state = M_IDLE;
        else
            uk_time_cancel(&s->loop.time, &s->t[id]);
    } else {
        if (s->model) {
            s->m[id].state = M_FIFO; /* FIFO order: by seq alone */
            s->m[id].deadline = 0;
            s->m[id].seq = ++s->mseq;
        } else {
            uk_time_defer(&s->loop.time, &s->t[id], sim_fire, &s->arg[id]);
        }
    }
}

static void sim_fire(void *arg)
{
    struct sim_arg *a = (struct sim_arg *)arg;
    struct sim *s = a->s;
    int id = a->id;
    uint32_t n;
    if (s->nlog < SLOG)
        s->log[s->nlog++] = sim_now(s) << 8 | (uint64_t)id;
    /* A callback sometimes starts, cancels or defers others (or itself). */
    n = uk_prng_below(&s->rng, 10);
    if (n < 3) {
        n = 1 + uk_prng_below(&s->rng, 3);
        while (n-- > 0)
            sim_op(s);
    }
}

/* The model's idea of a turn: the same rules as uk/loop.h states, by
 * scanning instead of a heap. */
static int model_min(struct sim *s, int state)
{
    int i, best = -1;
    for (i = 0; i < SN; i++) {
        if (s->m[i].state != state)
            continue;
        if (best < 0 || s->m[i].deadline < s->m[best].deadline ||
            (s->m[i].deadline == s->m[best].deadline &&
             s->m[i].seq < s->m[best].seq))
            best = i;
    }
    return best;
}

/* The earliest timer due now that was armed before the turn began. */
static int model_due(struct sim *s, uint64_t limit)
{
    int i, best = -1;
    for (i = 0; i < SN; i++) {
        if (s->m[i].state != M_HEAP || s->m[i].seq > limit ||
            s->m[i].deadline > s->mnow)
            continue;
        if (best < 0 || s->m[i].deadline < s->m[best].deadline ||
            (s->m[i].deadline == s->m[best].deadline &&
             s->m[i].seq < s->m[best].seq))
            best = i;
    }
    return best;
}

static bool model_turn(struct sim *s)
{
    uint64_t limit = s->mseq, deadline;
    int i;
    while ((i = model_min(s, M_FIFO)) >= 0 && s->m[i].seq <= limit) {
        s->m[i].state = M_IDLE;
        sim_fire(&s->arg[i]);
    }
    while ((i = model_due(s, limit)) >= 0) {
        s->m[i].state = M_IDLE;
        sim_fire(&s->arg[i]);
    }
    if (model_min(s, M_FIFO) >= 0)
        deadline = 0;
    else if ((i = model_min(s, M_HEAP)) >= 0)
        deadline = s->m[i].deadline;
    else
        return false; /* drained */
    if (deadline > s->mnow) /* the fake poller sleeps until then */
        s->mnow = deadline;
    return true;
}

static bool sim_turn(struct sim *s)
{
    return s->model ? model_turn(s) : uk_loop_run_once(&s->loop, true);
}

static void sim_run(struct sim *s, bool model, uint64_t seed, int steps)
{
    int i, step;
    memset(s, 0, sizeof *s);
    s->model = model;
    s->log = logs[model];
    uk_prng_init_u64(&s->rng, seed);
    fake_clock_init(&s->clock, T0, 0);
    fake_poller_init(&s->poller, &s->clock);
    uk_loop_init(&s->loop, &s->clock.clock, &s->poller.poller);
    s->mnow = T0;
    for (i = 0; i < SN; i++) {
        s->arg[i].s = s;
        s->arg[i].id = i;
    }
    for (step = 0; step < steps; step++) {
        int n = (int)uk_prng_below(&s->rng, 4);
        while (n-- > 0)
            sim_op(s);
        sim_turn(s);
    }
    for (i = 0; sim_turn(s); i++)
        assert_true(i < 1000000);
}

static void test_stress_against_model(void **state)
{
    static const uint64_t seeds[] = {1, 2, 3, 0xdeadbeef, 20261127};
    size_t k, i;
    (void)state;
    for (k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        struct sim *real = &sims[0], *model = &sims[1];
        sim_run(real, false, seeds[k], 3000);
        sim_run(model, true, seeds[k], 3000);
        assert_true(real->nlog < SLOG);
        assert_true(real->nlog > 1000); /* the script did something */
        assert_true(real->ops > 5000);
        for (i = 0; i < real->nlog && i < model->nlog; i++)
            if (real->log[i] != model->log[i])
                fail_msg("seed %llu: firing %zu: loop ran id %d at %llu, "
                         "model id %d at %llu",
                         (unsigned long long)seeds[k], i,
                         (int)(real->log[i] & 255),
                         (unsigned long long)(real->log[i] >> 8),
                         (int)(model->log[i] & 255),
                         (unsigned long long)(model->log[i] >> 8));
        assert_int_equal(real->nlog, model->nlog);
        assert_true(real->clock.mono_ns == model->mnow);
        assert_false(uk_loop_has_work(&real->loop));
        for (i = 0; i < SN; i++)
            assert_false(uk_timer_is_armed(&real->t[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_deadline_order, setup),
        cmocka_unit_test_setup(test_equal_deadlines, setup),
        cmocka_unit_test_setup(test_past_deadlines_and_now, setup),
        cmocka_unit_test_setup(test_time_after, setup),
        cmocka_unit_test_setup(test_cancel_root_inner_leaf, setup),
        cmocka_unit_test_setup(test_cancel_every_position, setup),
        cmocka_unit_test_setup(test_cancel_from_callback, setup),
        cmocka_unit_test_setup(test_rearm_moves, setup),
        cmocka_unit_test_setup(test_periodic, setup),
        cmocka_unit_test_setup(test_defer_fifo_before_timers, setup),
        cmocka_unit_test_setup(test_work_queued_in_turn_runs_later, setup),
        cmocka_unit_test_setup(test_self_defer_does_not_starve, setup),
        cmocka_unit_test_setup(test_rearm_in_past_does_not_starve, setup),
        cmocka_unit_test_setup(test_cancel_held_timers, setup),
        cmocka_unit_test_setup(test_stop_status, setup),
        cmocka_unit_test_setup(test_stop_in_deferred, setup),
        cmocka_unit_test_setup(test_drain, setup),
        cmocka_unit_test_setup(test_sources_keep_loop_alive, setup),
        cmocka_unit_test_setup(test_poller_error, setup),
        cmocka_unit_test_setup(test_no_poller, setup),
        cmocka_unit_test(test_stress_against_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
