/*
 * uk/loop.h - the event loop: the portable implementation of TIME
 * (uk/time.h), used by every target.
 *
 * One loop per image, single-threaded.  A turn of the loop:
 *   1. runs the calls deferred before the turn began, in FIFO order;
 *   2. runs the timers that were due when the turn began, earliest first
 *      (equal deadlines in the order they were started);
 *   3. waits, through the poller, until the next deadline or until a device
 *      is ready, and lets the poller dispatch device events.
 * Work queued by a callback runs on a later turn, so a callback that re-arms
 * itself cannot starve devices.
 *
 * The only blocking call is the poller's wait: the platform boundary.
 */
#ifndef UK_LOOP_H
#define UK_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/clock.h>
#include <uk/time.h>

/*
 * What the loop waits on, provided by the target (epoll on unix, event
 * channels on Xen) or by a test.
 *
 *   wait(self, deadline_ns): blocks until the monotonic clock reaches
 *       deadline_ns (UK_TIME_NEVER: no deadline) or a device is ready, then
 *       dispatches ready devices' callbacks.  Returns promptly when the
 *       deadline has passed.  Returns 0 or a UK_E* code (the loop stops
 *       with status 1).
 *   has_sources(self): whether any device could still produce an event
 *       (an open socket, a TAP device...).  When false and no timer is
 *       armed and nothing is deferred, the loop has drained.
 */
struct uk_loop_poller {
    int (*wait)(struct uk_loop_poller *self, uint64_t deadline_ns);
    bool (*has_sources)(struct uk_loop_poller *self);
};

struct uk_loop {
    struct uk_time time; /* implements TIME: pass &loop->time to layers */
    struct uk_clock *clock;
    struct uk_loop_poller *poller; /* may be NULL: timers only */
    struct uk_timer *heap;         /* pairing heap of armed timers */
    struct uk_timer *defer_first, *defer_last;
    struct uk_timer *held; /* within a turn: due timers armed during it */
    uint64_t seq;
    bool stopped;
    int status;
};

/* Initialises an empty loop over clock and poller (both BORROWED for the
 * loop's lifetime; poller may be NULL). */
void uk_loop_init(struct uk_loop *loop, struct uk_clock *clock,
                  struct uk_loop_poller *poller);

/*
 * Runs one turn.  If may_wait, waits for the next deadline or device event
 * (bounded by the poller).  Returns true while there is more to do, false
 * once stopped or drained.
 */
bool uk_loop_run_once(struct uk_loop *loop, bool may_wait);

/* Runs turns until stopped or drained; returns the exit status (0 when the
 * loop drained). */
int uk_loop_run(struct uk_loop *loop);

/* Makes uk_loop_run return status after the current callback. */
void uk_loop_stop(struct uk_loop *loop, int status);

/* Whether anything (a timer or a deferred call) is pending. */
bool uk_loop_has_work(const struct uk_loop *loop);

/* The earliest armed deadline, or UK_TIME_NEVER. */
uint64_t uk_loop_next_deadline(const struct uk_loop *loop);

#endif
