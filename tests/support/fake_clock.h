/*
 * fake_clock.h - a hand-set clock and a loop poller that jumps the clock
 * to the loop's next deadline, so timer code runs instantly and always the
 * same way.  Header-only; link the test with uk::core (uk/loop.h).
 *
 *   struct fake_clock c;  fake_clock_init(&c, mono_ns, wall_ns);
 *   uk_loop_init(&loop, &c.clock, &poller.poller);
 *
 * fake_clock: implements CLOCK (uk/clock.h).  monotonic_ns and wall_ns
 *   read the fields `mono_ns` and `wall_ns`; tests set or advance them with
 *   fake_clock_set / fake_clock_advance (which move both together), or write
 *   the fields directly (e.g. to make the wall clock jump).
 *
 * fake_poller: implements struct uk_loop_poller.  Each wait(deadline):
 *   - counts the call in `waits` and records `last_deadline`;
 *   - calls on_wait(on_wait_arg, deadline) if set: the test's stand-in for
 *     device events (it may start timers, defer calls, stop the loop...);
 *   - returns `fail` if that is nonzero (the loop then stops with status
 *     1), to test the error path;
 *   - then, if deadline is a real time later than the clock, sets the
 *     monotonic clock to it (and the wall clock by the same step), as if
 *     the platform had slept until then;
 *   - with no deadline (UK_TIME_NEVER) and no on_wait hook nothing could
 *     ever happen, so it returns UK_EAGAIN instead of hanging: the loop
 *     stops with status 1, and the test sees it.
 *   has_sources() returns the field `sources` (false at init: a timers-only
 *   loop drains when its timers are done).
 */
#ifndef UK_TEST_FAKE_CLOCK_H
#define UK_TEST_FAKE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/clock.h>
#include <uk/err.h>
#include <uk/iface.h>
#include <uk/loop.h>
#include <uk/time.h>

struct fake_clock {
    struct uk_clock clock; /* pass &c->clock */
    uint64_t mono_ns;
    int64_t wall_ns;
};

static inline uint64_t fake_clock_mono(struct uk_clock *self)
{
    return UK_CONTAINER_OF(self, struct fake_clock, clock)->mono_ns;
}

static inline int64_t fake_clock_wall(struct uk_clock *self)
{
    return UK_CONTAINER_OF(self, struct fake_clock, clock)->wall_ns;
}

static const struct uk_clock_ops fake_clock_ops = {
    .monotonic_ns = fake_clock_mono,
    .wall_ns = fake_clock_wall,
};

static inline void fake_clock_init(struct fake_clock *c, uint64_t mono_ns,
                                   int64_t wall_ns)
{
    c->clock.ops = &fake_clock_ops;
    c->mono_ns = mono_ns;
    c->wall_ns = wall_ns;
}

/* Sets the monotonic clock to mono_ns (it must not go backwards); the wall
 * clock moves by the same amount. */
static inline void fake_clock_set(struct fake_clock *c, uint64_t mono_ns)
{
    c->wall_ns += (int64_t)(mono_ns - c->mono_ns);
    c->mono_ns = mono_ns;
}

/* Moves both clocks forward by delta_ns. */
static inline void fake_clock_advance(struct fake_clock *c, uint64_t delta_ns)
{
    fake_clock_set(c, c->mono_ns + delta_ns);
}

struct fake_poller {
    struct uk_loop_poller poller; /* pass &p->poller */
    struct fake_clock *clock;
    bool sources;           /* what has_sources() answers */
    int fail;               /* nonzero: wait() returns it */
    unsigned long waits;    /* wait() calls so far */
    uint64_t last_deadline; /* deadline of the last wait() */
    void (*on_wait)(void *arg, uint64_t deadline_ns); /* optional */
    void *on_wait_arg;
};

static inline int fake_poller_wait(struct uk_loop_poller *self,
                                   uint64_t deadline_ns)
{
    struct fake_poller *p = UK_CONTAINER_OF(self, struct fake_poller, poller);
    p->waits++;
    p->last_deadline = deadline_ns;
    if (p->on_wait != NULL)
        p->on_wait(p->on_wait_arg, deadline_ns);
    if (p->fail != 0)
        return p->fail;
    if (deadline_ns == UK_TIME_NEVER)
        return p->on_wait != NULL ? 0 : UK_EAGAIN;
    if (deadline_ns > p->clock->mono_ns)
        fake_clock_set(p->clock, deadline_ns);
    return 0;
}

static inline bool fake_poller_has_sources(struct uk_loop_poller *self)
{
    return UK_CONTAINER_OF(self, struct fake_poller, poller)->sources;
}

static inline void fake_poller_init(struct fake_poller *p,
                                    struct fake_clock *clock)
{
    p->poller.wait = fake_poller_wait;
    p->poller.has_sources = fake_poller_has_sources;
    p->clock = clock;
    p->sources = false;
    p->fail = 0;
    p->waits = 0;
    p->last_deadline = 0;
    p->on_wait = NULL;
    p->on_wait_arg = NULL;
}

#endif
