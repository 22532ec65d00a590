/*
 * uk/time.h - TIME: timers and deferred calls on the event loop.
 *
 * The event loop is single-threaded.  Timers and deferred calls are
 * caller-owned records (no allocation): the caller provides the storage and
 * keeps it alive while the timer is armed.
 *
 *   void start(self, struct uk_timer *t, uint64_t deadline_ns,
 *              uk_timer_cb cb, void *arg)                      required
 *       Arms t to run cb(arg) once, at the first loop turn at which the
 *       monotonic clock (uk/clock.h) reads >= deadline_ns.  Timers with
 *       equal deadlines run in the order they were started.  Re-arming an
 *       armed timer moves it.  Never runs cb from inside the call.
 *
 *   void cancel(self, struct uk_timer *t)                      required
 *       Disarms t if armed (harmless otherwise); cb will not run.
 *
 *   void defer(self, struct uk_timer *t, uk_timer_cb cb, void *arg)
 *                                                              required
 *       Runs cb(arg) at the next loop turn, before any timer and before
 *       waiting for devices; deferred calls run in FIFO order.  How
 *       components complete an operation "later" instead of inside the call
 *       that started it.  Uses the same record, cancelled the same way.
 *
 *   uint64_t now_ns(self)                                      required
 *       The monotonic time, from the loop's clock.
 */
#ifndef UK_TIME_H
#define UK_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/clock.h>
#include <uk/iface.h>

typedef void (*uk_timer_cb)(void *arg);

/* A timer record.  Its fields belong to the TIME implementation; the caller
 * only zero-initialises it (or uses UK_TIMER_INIT) before first use. */
struct uk_timer {
    uint64_t deadline_ns;
    uint64_t seq;
    uk_timer_cb cb;
    void *arg;
    struct uk_timer *child, *sibling, *prev; /* heap or FIFO links */
    int state;                               /* 0 idle, else armed */
};

#define UK_TIMER_INIT {0, 0, 0, 0, 0, 0, 0, 0}

static inline bool uk_timer_is_armed(const struct uk_timer *t)
{
    return t->state != 0;
}

/* "No deadline", for APIs taking an absolute deadline. */
#define UK_TIME_NEVER UINT64_MAX

#define UK_TIME_METHODS(T, M, V, O)                                           \
    V(T, start,                                                               \
      (struct T * self, struct uk_timer * t, uint64_t deadline_ns,            \
       uk_timer_cb cb, void *arg),                                            \
      (self, t, deadline_ns, cb, arg))                                        \
    V(T, cancel, (struct T * self, struct uk_timer * t), (self, t))           \
    V(T, defer,                                                               \
      (struct T * self, struct uk_timer * t, uk_timer_cb cb, void *arg),      \
      (self, t, cb, arg))                                                     \
    M(T, uint64_t, now_ns, (struct T * self), (self))

UK_INTERFACE(uk_time, UK_TIME_METHODS);

/* Arms t to run cb(arg) delay_ns from now. */
static inline void uk_time_after(struct uk_time *tm, struct uk_timer *t,
                                 uint64_t delay_ns, uk_timer_cb cb, void *arg)
{
    uint64_t now = uk_time_now_ns(tm);
    uint64_t deadline = delay_ns > UK_TIME_NEVER - now ? UK_TIME_NEVER
                                                       : now + delay_ns;
    uk_time_start(tm, t, deadline, cb, arg);
}

#endif
