/*
 * pvtime.c - Xen system time and the one-shot timer as x86 PV guests get
 * them (xen.h): system time from vCPU 0's vcpu_time_info (Xen's stamp
 * extrapolated with the TSC, scaled by mul/shift), deadlines through
 * VCPUOP_set_singleshot_timer, which raises VIRQ_TIMER.  Xen on ARM keeps
 * neither (vcpu_time_info is not updated and vcpu_op offers no timer), so
 * the arm-xen glue provides these three functions from the generic timer.
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

static uint32_t timer_port;

static void timer_fired(void *arg, uint32_t port)
{
    UK_UNUSED(arg);
    UK_UNUSED(port);
}

void uk__xen_timer_init(void)
{
    if (uk__xen_evtchn_bind_virq(UK_XEN_VIRQ_TIMER, &timer_port) != 0 ||
        uk__xen_evtchn_bind(timer_port, timer_fired, NULL) != 0)
        uk__xen_panic("cannot bind the timer VIRQ");
}

void uk__xen_timer_set(uint64_t deadline_ns)
{
    struct uk_xen_singleshot t = {deadline_ns, 0, 0};
    if (deadline_ns == UK_TIME_NEVER)
        return;
    /* No FUTURE flag: a deadline already past fires at once. */
    (void)uk__xen_vcpu_op(UK_XEN_VCPUOP_SET_SINGLESHOT_TIMER, 0, &t);
}
