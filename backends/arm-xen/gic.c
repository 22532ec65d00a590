/*
 * gic.c - just enough of the GIC (v2 or v3, as Xen's virtual GIC presents
 * it, found in the device tree) to receive the two per-CPU interrupts of
 * vCPU 0 we use: the event-channel PPI and the virtual timer's PPI.
 *
 * Interrupts are never taken as exceptions: PSTATE.I stays set, and WFI
 * still wakes when one is pending (Xen's WFI trap ignores the mask).  After
 * waking, uk__gic_ack_all acknowledges and ends whatever is pending, so
 * the poller then looks at the event-channel bitmap and the clock.
 */
#include <uk/err.h>

#include "../xen-common/xen.h"
#include "cpu.h"
#include "fdt.h"

#define SPURIOUS 1020u /* IDs 1020..1023 are not interrupts */
#define PRIORITY 0xa0u
#define PMR 0xf0u

/* Distributor (both versions) and v2 CPU interface register offsets. */
#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
/* v3 redistributor: RD frame, then the SGI/PPI frame 64 KiB above. */
#define GICR_WAKER 0x014
#define GICR_SGI 0x10000
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)

static unsigned version;
static uintptr_t gicc; /* v2 CPU interface */
static uint32_t evtchn_id;

/* Enables PPI id in the bank at base (GICD on v2, the SGI frame on v3). */
static void enable_ppi(uintptr_t base, uint32_t id)
{
    uintptr_t prio = base + GICD_IPRIORITYR + (id & ~3u);
    unsigned shift = (id & 3u) * 8;
    uint32_t v = uk__mmio_r32(prio);
    v = (v & ~(0xffu << shift)) | (PRIORITY << shift);
    uk__mmio_w32(prio, v);
    uk__mmio_w32(base + GICD_ISENABLER, 1u << id);
}

static int init_v3(const struct uk__fdt *f, const struct uk__fdt_node *n,
                   uint32_t ev, uint32_t tm)
{
    uint64_t d, r, size;
    uintptr_t sgi;
    if (uk__fdt_reg(f, n, 0, &d, &size) != 0 ||
        uk__fdt_reg(f, n, 1, &r, &size) != 0)
        return UK_ENODEV;
    uk__mmio_w32((uintptr_t)d + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_GRP1);
    /* vCPU 0's redistributor is the first one. */
    uk__mmio_w32((uintptr_t)r + GICR_WAKER, 0);
    sgi = (uintptr_t)r + GICR_SGI;
    enable_ppi(sgi, ev);
    enable_ppi(sgi, tm);
    uk__icc_sre(1);
    uk__icc_pmr(PMR);
    uk__icc_igrpen1(1);
    version = 3;
    return 0;
}

static int init_v2(const struct uk__fdt *f, const struct uk__fdt_node *n,
                   uint32_t ev, uint32_t tm)
{
    uint64_t d, c, size;
    if (uk__fdt_reg(f, n, 0, &d, &size) != 0 ||
        uk__fdt_reg(f, n, 1, &c, &size) != 0)
        return UK_ENODEV;
    uk__mmio_w32((uintptr_t)d + GICD_CTLR, 1);
    enable_ppi((uintptr_t)d, ev);
    enable_ppi((uintptr_t)d, tm);
    gicc = (uintptr_t)c;
    uk__mmio_w32(gicc + GICC_PMR, PMR);
    uk__mmio_w32(gicc + GICC_CTLR, 1);
    version = 2;
    return 0;
}

int uk__gic_init(const struct uk__fdt *f, uint32_t evtchn_irq,
                 uint32_t timer_irq)
{
    static const char *const v2[] = {"arm,cortex-a15-gic", "arm,gic-400",
                                     "arm,cortex-a9-gic"};
    struct uk__fdt_node n;
    unsigned i;
    if (evtchn_irq < 16 || evtchn_irq > 31 || timer_irq < 16 ||
        timer_irq > 31)
        return UK_ENODEV;
    evtchn_id = evtchn_irq;
    if (uk__fdt_compatible(f, "arm,gic-v3", &n) == 0)
        return init_v3(f, &n, evtchn_irq, timer_irq);
    for (i = 0; i < sizeof v2 / sizeof v2[0]; i++)
        if (uk__fdt_compatible(f, v2[i], &n) == 0)
            return init_v2(f, &n, evtchn_irq, timer_irq);
    return UK_ENODEV;
}

bool uk__gic_ack_all(void)
{
    bool evtchn = false;
    int guard;
    /* At most a few are ever pending; the bound only guards against a
     * misbehaving interface. */
    for (guard = 0; version != 0 && guard < 64; guard++) {
        uint32_t iar = version == 3 ? uk__icc_iar1()
                                    : uk__mmio_r32(gicc + GICC_IAR);
        uint32_t id = iar & 0x3ffu;
        if (id >= SPURIOUS)
            break;
        if (id == evtchn_id) {
            /* Cleared before the EOI, or Xen injects it again. */
            __atomic_store_n(
                &uk__xen_shared->vcpu_info[0].evtchn_upcall_pending, 0,
                __ATOMIC_SEQ_CST);
            evtchn = true;
        }
        if (version == 3)
            uk__icc_eoir1(iar);
        else
            uk__mmio_w32(gicc + GICC_EOIR, iar);
    }
    return evtchn;
}
