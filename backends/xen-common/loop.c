/*
 * loop.c - the image's event loop and its poller: TIME (uk_default_time)
 * over Xen events.
 *
 * Waiting: the poller arms the one-shot timer (uk__xen_timer_set: x86
 * VCPUOP_set_singleshot_timer raising VIRQ_TIMER, arm the generic timer;
 * both in system time, which our monotonic clock is) and idles the vCPU
 * until an event channel or the timer fires.  Device callbacks run from
 * uk__xen_evtchn_dispatch here, in the loop, never in interrupt context.
 */
#include <uk/target.h>

#include "xen.h"

static struct uk_loop loop;
static bool loop_ready;
static unsigned sources; /* open devices that can still raise events */

static int poll_wait(struct uk_loop_poller *self, uint64_t deadline_ns)
{
    UK_UNUSED(self);
    for (;;) {
        if (uk__xen_evtchn_dispatch() > 0)
            return 0;
        if (deadline_ns != UK_TIME_NEVER &&
            uk_clock_monotonic_ns(uk_default_clock()) >= deadline_ns)
            return 0;
        uk__xen_timer_set(deadline_ns);
        uk__xen_arch_idle(
            &uk__xen_shared->vcpu_info[0].evtchn_pending_sel);
    }
}

static bool poll_has_sources(struct uk_loop_poller *self)
{
    UK_UNUSED(self);
    return sources > 0;
}

static struct uk_loop_poller poller = {poll_wait, poll_has_sources};

void uk__xen_sources_add(int delta)
{
    sources = (unsigned)((int)sources + delta);
}

struct uk_loop *uk__xen_loop(void)
{
    if (!loop_ready) {
        uk_loop_init(&loop, uk_default_clock(), &poller);
        loop_ready = true;
        uk__xen_timer_init();
    }
    return &loop;
}

struct uk_time *uk_default_time(void)
{
    return &uk__xen_loop()->time;
}

void uk_exit(int status)
{
    uk_loop_stop(uk__xen_loop(), status);
}
