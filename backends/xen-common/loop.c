/*
 * loop.c - the image's event loop and its poller: TIME (uk_default_time)
 * over Xen events.
 *
 * Waiting: the poller arms Xen's one-shot timer (VCPUOP_set_singleshot_
 * timer, which raises VIRQ_TIMER at the deadline in system time; our
 * monotonic clock is system time) and idles the vCPU until an event channel
 * fires.  Device callbacks run from uk__xen_evtchn_dispatch here, in the
 * loop, never in interrupt context.
 */
#include <uk/target.h>

#include "xen.h"

static struct uk_loop loop;
static bool loop_ready;
static uint32_t timer_port;
static unsigned sources; /* open devices that can still raise events */

static void timer_fired(void *arg, uint32_t port)
{
    UK_UNUSED(arg);
    UK_UNUSED(port);
}

static void arm_timer(uint64_t deadline_ns)
{
    struct uk_xen_singleshot t = {deadline_ns, 0, 0};
    /* No FUTURE flag: a deadline already past fires at once. */
    (void)uk__xen_vcpu_op(UK_XEN_VCPUOP_SET_SINGLESHOT_TIMER, 0, &t);
}

static int poll_wait(struct uk_loop_poller *self, uint64_t deadline_ns)
{
    UK_UNUSED(self);
    for (;;) {
        if (uk__xen_evtchn_dispatch() > 0)
            return 0;
        if (deadline_ns != UK_TIME_NEVER &&
            uk_clock_monotonic_ns(uk_default_clock()) >= deadline_ns)
            return 0;
        if (deadline_ns != UK_TIME_NEVER)
            arm_timer(deadline_ns);
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
        if (uk__xen_evtchn_bind_virq(UK_XEN_VIRQ_TIMER, &timer_port) != 0 ||
            uk__xen_evtchn_bind(timer_port, timer_fired, NULL) != 0)
            uk__xen_panic("cannot bind the timer VIRQ");
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
