/*
 * clock.c - CLOCK over Xen system time (uk__xen_system_ns: pvtime.c on x86,
 * the generic timer on arm): the monotonic clock is system time, the wall
 * clock shared_info's wc_* (the epoch of system time 0) plus system time.
 */
#include <uk/target.h>

#include "xen.h"

static uint64_t last_ns;

static uint64_t mono_ns(struct uk_clock *self)
{
    uint64_t now = uk__xen_system_ns();
    UK_UNUSED(self);
    if (now < last_ns) /* vCPU migration can make the counter step back */
        now = last_ns;
    last_ns = now;
    return now;
}

static int64_t wall_ns(struct uk_clock *self)
{
    volatile struct uk_xen_shared_info *s = uk__xen_shared;
    uint32_t ver, sec, hi, nsec;
    UK_UNUSED(self);
    do {
        ver = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        sec = s->wc_sec;
        hi = s->wc_sec_hi;
        nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((ver & 1) != 0 || ver != s->wc_version);
    return (int64_t)(((uint64_t)hi << 32 | sec) * UK_NS_PER_S + nsec +
                     uk__xen_system_ns());
}

static const struct uk_clock_ops clock_ops = {
    .monotonic_ns = mono_ns,
    .wall_ns = wall_ns,
};

static struct uk_clock the_clock = {&clock_ops};

struct uk_clock *uk_default_clock(void)
{
    return &the_clock;
}
