/*
 * loop.c - the event loop: a pairing heap of caller-owned timers and a FIFO
 * of deferred calls.  See uk/loop.h.
 */
#include <stddef.h>

#include <uk/loop.h>

/* HELD: due, but armed during the current turn; set aside in loop->held
 * while the turn's timers run, so it cannot hide older due timers. */
enum { IDLE = 0, IN_HEAP = 1, IN_FIFO = 2, HELD = 3 };

/* (deadline, seq) order: earlier deadline first, then start order. */
static bool before(const struct uk_timer *a, const struct uk_timer *b)
{
    return a->deadline_ns < b->deadline_ns ||
           (a->deadline_ns == b->deadline_ns && a->seq < b->seq);
}

/* Links two heap roots; the earlier becomes the parent. */
static struct uk_timer *meld(struct uk_timer *a, struct uk_timer *b)
{
    if (a == NULL)
        return b;
    if (b == NULL)
        return a;
    if (before(b, a)) {
        struct uk_timer *t = a;
        a = b;
        b = t;
    }
    b->prev = a;
    b->sibling = a->child;
    if (a->child != NULL)
        a->child->prev = b;
    a->child = b;
    a->sibling = NULL;
    a->prev = NULL;
    return a;
}

/* Two-pass pairing of a sibling list into one heap. */
static struct uk_timer *merge_pairs(struct uk_timer *first)
{
    struct uk_timer *paired = NULL, *result = NULL;
    while (first != NULL) {
        struct uk_timer *a = first, *b = a->sibling;
        first = b != NULL ? b->sibling : NULL;
        a->sibling = a->prev = NULL;
        if (b != NULL)
            b->sibling = b->prev = NULL;
        a = meld(a, b);
        a->sibling = paired; /* stack of pairs, reversed */
        paired = a;
    }
    while (paired != NULL) {
        struct uk_timer *next = paired->sibling;
        paired->sibling = NULL;
        result = meld(result, paired);
        paired = next;
    }
    return result;
}

static void heap_remove(struct uk_loop *loop, struct uk_timer *t)
{
    struct uk_timer *sub = merge_pairs(t->child);
    if (t == loop->heap) {
        loop->heap = sub;
    } else {
        /* prev is the parent when t is its first child, else the left
         * sibling. */
        if (t->prev->child == t)
            t->prev->child = t->sibling;
        else
            t->prev->sibling = t->sibling;
        if (t->sibling != NULL)
            t->sibling->prev = t->prev;
        loop->heap = meld(loop->heap, sub);
    }
    t->child = t->sibling = t->prev = NULL;
}

static void fifo_remove(struct uk_loop *loop, struct uk_timer *t)
{
    if (t->prev != NULL)
        t->prev->sibling = t->sibling;
    else
        loop->defer_first = t->sibling;
    if (t->sibling != NULL)
        t->sibling->prev = t->prev;
    else
        loop->defer_last = t->prev;
    t->sibling = t->prev = NULL;
}

static void held_remove(struct uk_loop *loop, struct uk_timer *t)
{
    if (t->prev != NULL)
        t->prev->sibling = t->sibling;
    else
        loop->held = t->sibling;
    if (t->sibling != NULL)
        t->sibling->prev = t->prev;
    t->sibling = t->prev = NULL;
}

static void loop_cancel(struct uk_time *self, struct uk_timer *t)
{
    struct uk_loop *loop = UK_CONTAINER_OF(self, struct uk_loop, time);
    if (t->state == IN_HEAP)
        heap_remove(loop, t);
    else if (t->state == IN_FIFO)
        fifo_remove(loop, t);
    else if (t->state == HELD)
        held_remove(loop, t);
    t->state = IDLE;
}

static void loop_start(struct uk_time *self, struct uk_timer *t,
                       uint64_t deadline_ns, uk_timer_cb cb, void *arg)
{
    struct uk_loop *loop = UK_CONTAINER_OF(self, struct uk_loop, time);
    loop_cancel(self, t);
    t->deadline_ns = deadline_ns;
    t->seq = ++loop->seq;
    t->cb = cb;
    t->arg = arg;
    t->child = t->sibling = t->prev = NULL;
    t->state = IN_HEAP;
    loop->heap = meld(loop->heap, t);
}

static void loop_defer(struct uk_time *self, struct uk_timer *t,
                       uk_timer_cb cb, void *arg)
{
    struct uk_loop *loop = UK_CONTAINER_OF(self, struct uk_loop, time);
    loop_cancel(self, t);
    t->deadline_ns = 0;
    t->seq = ++loop->seq;
    t->cb = cb;
    t->arg = arg;
    t->child = NULL;
    t->sibling = NULL;
    t->prev = loop->defer_last;
    if (loop->defer_last != NULL)
        loop->defer_last->sibling = t;
    else
        loop->defer_first = t;
    loop->defer_last = t;
    t->state = IN_FIFO;
}

static uint64_t loop_now(struct uk_time *self)
{
    struct uk_loop *loop = UK_CONTAINER_OF(self, struct uk_loop, time);
    return uk_clock_monotonic_ns(loop->clock);
}

static const struct uk_time_ops loop_ops = {
    .start = loop_start,
    .cancel = loop_cancel,
    .defer = loop_defer,
    .now_ns = loop_now,
};

void uk_loop_init(struct uk_loop *loop, struct uk_clock *clock,
                  struct uk_loop_poller *poller)
{
    loop->time.ops = &loop_ops;
    loop->clock = clock;
    loop->poller = poller;
    loop->heap = NULL;
    loop->defer_first = loop->defer_last = NULL;
    loop->held = NULL;
    loop->seq = 0;
    loop->stopped = false;
    loop->status = 0;
}

void uk_loop_stop(struct uk_loop *loop, int status)
{
    loop->stopped = true;
    loop->status = status;
}

bool uk_loop_has_work(const struct uk_loop *loop)
{
    return loop->heap != NULL || loop->defer_first != NULL ||
           loop->held != NULL;
}

uint64_t uk_loop_next_deadline(const struct uk_loop *loop)
{
    if (loop->defer_first != NULL)
        return 0;
    return loop->heap != NULL ? loop->heap->deadline_ns : UK_TIME_NEVER;
}

/* Runs deferred calls queued before this turn (seq <= limit). */
static void run_deferred(struct uk_loop *loop, uint64_t limit)
{
    struct uk_timer *t;
    while (!loop->stopped && (t = loop->defer_first) != NULL &&
           t->seq <= limit) {
        fifo_remove(loop, t);
        t->state = IDLE;
        t->cb(t->arg);
    }
}

/* Runs timers due at `now` that were started before this turn.  Due
 * timers armed during the turn (seq > limit) are held aside until the end,
 * so that they neither run now nor block the older ones behind them. */
static void run_timers(struct uk_loop *loop, uint64_t now, uint64_t limit)
{
    struct uk_timer *t;
    while (!loop->stopped && (t = loop->heap) != NULL &&
           t->deadline_ns <= now) {
        heap_remove(loop, t);
        if (t->seq > limit) {
            t->state = HELD;
            t->sibling = loop->held;
            if (loop->held != NULL)
                loop->held->prev = t;
            loop->held = t;
            continue;
        }
        t->state = IDLE;
        t->cb(t->arg);
    }
    while ((t = loop->held) != NULL) {
        held_remove(loop, t);
        t->state = IN_HEAP;
        loop->heap = meld(loop->heap, t);
    }
}

bool uk_loop_run_once(struct uk_loop *loop, bool may_wait)
{
    uint64_t limit = loop->seq, deadline;
    bool sources;

    run_deferred(loop, limit);
    run_timers(loop, uk_clock_monotonic_ns(loop->clock), limit);
    if (loop->stopped)
        return false;
    sources = loop->poller != NULL && loop->poller->has_sources(loop->poller);
    if (!sources && !uk_loop_has_work(loop))
        return false;
    deadline = may_wait ? uk_loop_next_deadline(loop) : 0;
    if (loop->poller != NULL) {
        int rc = loop->poller->wait(loop->poller, deadline);
        if (rc < 0) {
            uk_loop_stop(loop, 1);
            return false;
        }
    }
    return !loop->stopped;
}

int uk_loop_run(struct uk_loop *loop)
{
    while (uk_loop_run_once(loop, true))
        ;
    return loop->status;
}
