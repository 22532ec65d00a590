/*
 * poller.c - the epoll poller of the unix event loop, and the source
 * registry of uk/unix.h.  Level triggered; a source with no requested
 * events is removed from the epoll set (so an unread hang-up cannot spin
 * the loop) but still counts as a source.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <uk/target.h>
#include <uk/unix.h>

#define BATCH 64

struct unix_poller {
    struct uk_loop_poller poller;
    int epfd;
    unsigned count;
    /* The batch being dispatched, so unwatch can drop later events. */
    struct epoll_event *batch;
    int batch_len;
};

static struct unix_poller P = {{NULL, NULL}, -1, 0, NULL, 0};

/* SIGINT and SIGTERM stop the loop cleanly (so buffers are flushed, the
 * terminal is restored and leak checkers run).  They are blocked except
 * inside epoll_pwait, so one arriving between turns is not lost. */
static volatile sig_atomic_t stop_signal;
static sigset_t wait_mask;
static bool signals_ready;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

int uk__unix_signals_init(void)
{
    struct sigaction sa;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stop, &wait_mask) < 0)
        return uk_unix_error(errno);
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
        return uk_unix_error(errno);
    signals_ready = true;
    return 0;
}

static int epfd(void)
{
    if (P.epfd < 0)
        P.epfd = epoll_create1(EPOLL_CLOEXEC);
    return P.epfd;
}

static uint32_t to_epoll(uint32_t ev)
{
    return ((ev & UK_UNIX_READABLE) ? EPOLLIN : 0u) |
           ((ev & UK_UNIX_WRITABLE) ? EPOLLOUT : 0u);
}

static uint32_t from_epoll(uint32_t ev)
{
    return ((ev & (EPOLLIN | EPOLLPRI)) ? UK_UNIX_READABLE : 0u) |
           ((ev & EPOLLOUT) ? UK_UNIX_WRITABLE : 0u) |
           ((ev & (EPOLLHUP | EPOLLERR)) ? UK_UNIX_HANGUP : 0u);
}

static int ctl(int op, struct uk_unix_source *src, uint32_t events)
{
    struct epoll_event ev;
    int ep = epfd();
    if (ep < 0)
        return uk_unix_error(errno);
    ev.events = to_epoll(events);
    ev.data.ptr = src;
    if (epoll_ctl(ep, op, src->fd, op == EPOLL_CTL_DEL ? NULL : &ev) < 0)
        return errno == EPERM ? UK_ENOTSUP : uk_unix_error(errno);
    return 0;
}

int uk_unix_watch(struct uk_unix_source *src, int fd, uint32_t events,
                  uk_unix_ready_cb cb)
{
    int rc;
    if (fd < 0 || cb == NULL || src->watched)
        return UK_EINVAL;
    src->fd = fd;
    src->ready = cb;
    src->events = events & (UK_UNIX_READABLE | UK_UNIX_WRITABLE);
    /* Probe pollability even when quiet, so watch fails early. */
    rc = ctl(EPOLL_CTL_ADD, src, src->events);
    if (rc != 0)
        return rc;
    if (src->events == 0)
        ctl(EPOLL_CTL_DEL, src, 0);
    src->watched = true;
    P.count++;
    return 0;
}

int uk_unix_modify(struct uk_unix_source *src, uint32_t events)
{
    int rc = 0;
    events &= UK_UNIX_READABLE | UK_UNIX_WRITABLE;
    if (!src->watched)
        return UK_EINVAL;
    if (events == src->events)
        return 0;
    if (events == 0)
        rc = ctl(EPOLL_CTL_DEL, src, 0);
    else if (src->events == 0)
        rc = ctl(EPOLL_CTL_ADD, src, events);
    else
        rc = ctl(EPOLL_CTL_MOD, src, events);
    if (rc == 0)
        src->events = events;
    return rc;
}

void uk_unix_unwatch(struct uk_unix_source *src)
{
    int i;
    if (!src->watched)
        return;
    if (src->events != 0)
        ctl(EPOLL_CTL_DEL, src, 0);
    src->watched = false;
    src->events = 0;
    P.count--;
    for (i = 0; i < P.batch_len; i++)
        if (P.batch[i].data.ptr == src)
            P.batch[i].data.ptr = NULL;
}

unsigned uk_unix_source_count(void)
{
    return P.count;
}

static int timeout_ms(uint64_t deadline_ns)
{
    uint64_t now, ms;
    if (deadline_ns == UK_TIME_NEVER)
        return -1;
    now = uk_clock_monotonic_ns(uk_default_clock());
    if (deadline_ns <= now)
        return 0;
    ms = (deadline_ns - now + UK_NS_PER_MS - 1) / UK_NS_PER_MS;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Waits for events until deadline_ns: to the nanosecond where the kernel
 * has epoll_pwait2 (Linux 5.11), so the sub-millisecond timers of a fast
 * link (TCP's tail probes and loss detection on a LAN) are not each
 * rounded up to a whole millisecond; else in whole milliseconds. */
static int wait_events(int ep, struct epoll_event *evs, uint64_t deadline_ns)
{
    const sigset_t *mask = signals_ready ? &wait_mask : NULL;
#ifdef UK_HAVE_EPOLL_PWAIT2
    static bool no_pwait2;
    if (!no_pwait2 && deadline_ns != UK_TIME_NEVER) {
        uint64_t now = uk_clock_monotonic_ns(uk_default_clock()), d;
        struct timespec ts;
        int n;
        d = deadline_ns > now ? deadline_ns - now : 0;
        ts.tv_sec = (time_t)(d / UK_NS_PER_S);
        ts.tv_nsec = (long)(d % UK_NS_PER_S);
        n = epoll_pwait2(ep, evs, BATCH, &ts, mask);
        if (n >= 0 || errno != ENOSYS)
            return n;
        no_pwait2 = true;
    }
#endif
    return epoll_pwait(ep, evs, BATCH, timeout_ms(deadline_ns), mask);
}

static int poller_wait(struct uk_loop_poller *self, uint64_t deadline_ns)
{
    struct epoll_event evs[BATCH];
    int n, i, ep = epfd();
    UK_UNUSED(self);
    if (ep < 0)
        return uk_unix_error(errno);
    n = wait_events(ep, evs, deadline_ns);
    if (stop_signal != 0) {
        uk_exit(128 + stop_signal);
        return 0;
    }
    if (n < 0)
        return errno == EINTR ? 0 : uk_unix_error(errno);
    P.batch = evs;
    P.batch_len = n;
    for (i = 0; i < n; i++) {
        struct uk_unix_source *src = evs[i].data.ptr;
        uint32_t ev;
        if (src == NULL)
            continue;
        ev = from_epoll(evs[i].events);
        /* Report only what is still requested, plus hang-ups. */
        ev &= src->events | UK_UNIX_HANGUP;
        if (ev != 0 && src->events != 0)
            src->ready(src, ev);
    }
    P.batch = NULL;
    P.batch_len = 0;
    return 0;
}

static bool poller_has_sources(struct uk_loop_poller *self)
{
    UK_UNUSED(self);
    return P.count > 0;
}

struct uk_loop_poller *uk__unix_poller(void)
{
    P.poller.wait = poller_wait;
    P.poller.has_sources = poller_has_sources;
    return &P.poller;
}
