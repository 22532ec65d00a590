/*
 * timer.c - time on arm-xen from the generic timer (xen.h hooks).
 *
 * Xen on ARM does not maintain vcpu_time_info and has no PV one-shot timer
 * (arch-arm.h lists only register_vcpu_info and runstate for vcpu_op): a
 * guest reads the virtual counter, which Xen offsets so that it counts from
 * the domain's creation, and programs the virtual timer, whose PPI Xen
 * injects.  System time here is therefore the virtual counter in ns.  Xen's
 * own system time (since Xen booted) is never behind it, so the only
 * timeout we hand Xen (SCHEDOP_poll in the xenstore client) ends early,
 * never late, and its caller re-checks.
 */
#include <uk/target.h>

#include "../xen-common/xen.h"
#include "cpu.h"
#include "fdt.h"

#define NS UK_NS_PER_S
#define VIRT_TIMER_PPI 27 /* GUEST_TIMER_VIRT_PPI, if the DT has none */

static uint32_t freq = 1;

void uk__timer_setup(const struct uk__fdt *f, uint32_t *timer_irq)
{
    struct uk__fdt_node n;
    *timer_irq = VIRT_TIMER_PPI;
    freq = uk__cntfrq();
    if (uk__fdt_compatible(f, "arm,armv8-timer", &n) == 0 ||
        uk__fdt_compatible(f, "arm,armv7-timer", &n) == 0) {
        size_t len;
        const void *p = uk__fdt_prop(f, &n, "clock-frequency", &len);
        if (p != NULL && len == 4 && uk__fdt_cells(p, 1) != 0)
            freq = (uint32_t)uk__fdt_cells(p, 1);
        /* Entries: secure physical, physical, virtual, hypervisor. */
        (void)uk__fdt_irq(f, &n, 2, timer_irq);
    }
    if (freq == 0)
        uk__xen_panic("the generic timer has no frequency (CNTFRQ is 0)");
    uk__cntv_ctl(0);
}

uint64_t uk__xen_arch_counter(void)
{
    return uk__cntvct();
}

uint64_t uk__xen_system_ns(void)
{
    uint64_t t = uk__cntvct();
    /* t * 1e9 / freq without overflow: (t % freq) * 1e9 < 2^62. */
    return t / freq * NS + t % freq * NS / freq;
}

void uk__xen_timer_init(void)
{
    uk__cntv_ctl(0);
}

void uk__xen_timer_set(uint64_t deadline_ns)
{
    uint64_t s, r;
    if (deadline_ns == UK_TIME_NEVER) {
        uk__cntv_ctl(0);
        return;
    }
    /* Rounded up, so the timer never fires before the deadline. */
    s = deadline_ns / NS;
    r = deadline_ns % NS;
    uk__cntv_cval(s * freq + (r * freq + NS - 1) / NS);
    uk__cntv_ctl(1);
}
