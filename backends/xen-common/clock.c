/*
 * clock.c - CLOCK from Xen's per-vCPU time info: system time (ns since the
 * host booted) extrapolated with the architecture's counter, and the wall
 * clock as shared_info's wc_* (the epoch of system time 0) plus system time.
 */
#include <uk/target.h>

#include "xen.h"

/* (delta * mul) >> 32 without a 128-bit type. */
static uint64_t scale(uint64_t delta, uint32_t mul)
{
    uint64_t hi = delta >> 32, lo = delta & 0xffffffffu;
    return hi * mul + ((lo * mul) >> 32);
}

uint64_t uk__xen_system_ns(void)
{
    volatile struct uk_xen_vcpu_time *t = &uk__xen_shared->vcpu_info[0].time;
    uint32_t ver, mul;
    uint64_t stamp, sys, delta;
    int8_t shift;
    do {
        ver = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        delta = uk__xen_arch_counter() - stamp;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((ver & 1) != 0 || ver != t->version);
    if (delta >> 63) /* counter read before the stamp: no extrapolation */
        delta = 0;
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + scale(delta, mul);
}

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
