/*
 * start.c - the C start of an arm-xen image, entered from head64.S or
 * head32.S with the MMU and caches on, .bss zeroed and the device tree's
 * address: reads the device tree (command line, RAM, GIC, timer, Xen's
 * node), maps shared_info, sets up the GIC and the timer, reports the free
 * RAM for the memory budget, then runs the portable start-up.
 */
#include <string.h>

#include "../xen-common/pages.h"
#include "../xen-common/xen.h"
#include "cpu.h"
#include "fdt.h"

#define GUEST_EVTCHN_PPI 31 /* arch-arm.h, if the DT has no Xen node */
#define FDT_MAX (2u << 20)  /* Xen's DTBs are far smaller */
#define MAPPED_END 0x100000000ull /* the boot code maps the low 4 GiB */

void uk__arm_start(uintptr_t dtb);

extern char _start[], _end[]; /* linker script: the image incl. .bss */

/* Xen maps shared_info over this page of ours. */
static uint8_t shared_page[4096] __attribute__((aligned(4096)));

static void map_shared_info(void)
{
    struct uk_xen_add_to_physmap m = {
        UK_XEN_DOMID_SELF, 0, UK_XEN_MAPSPACE_SHARED_INFO, 0,
        (uint64_t)(uintptr_t)shared_page >> 12};
    if (uk__xen_hypercall(UK_XEN_HC_MEMORY_OP, UK_XEN_MEMOP_ADD_TO_PHYSMAP,
                          (unsigned long)(uintptr_t)&m, 0) != 0)
        uk__xen_panic("cannot map shared_info");
    uk__xen_shared = (struct uk_xen_shared_info *)(void *)shared_page;
}

/* Reports [a, b) minus the image as RAM for the memory budget (pages.h).
 * The device tree may lie there: it is read, and the command line copied,
 * before the budget is first used (by uk_main). */
static void add_ram(uint64_t a, uint64_t b)
{
    uint64_t lo = (uintptr_t)_start, hi = (uintptr_t)_end;
    if (b > MAPPED_END)
        b = MAPPED_END;
    if (a < lo)
        uk__xen_ram_add(a, b < lo ? b : lo);
    if (b > hi)
        uk__xen_ram_add(a > hi ? a : hi, b);
}

/* The command line: /chosen/bootargs (the dom0less module's bootargs or
 * xl's extra=), copied out of the device tree. */
static const char *bootargs(const struct uk__fdt *f)
{
    static char buf[1024];
    struct uk__fdt_node n;
    size_t len;
    const char *p;
    if (uk__fdt_path(f, "/chosen", &n) != 0)
        return NULL;
    p = uk__fdt_prop(f, &n, "bootargs", &len);
    if (p == NULL || len == 0)
        return NULL;
    if (len > sizeof buf)
        len = sizeof buf;
    memcpy(buf, p, len);
    buf[len - 1] = '\0';
    return buf;
}

void uk__arm_start(uintptr_t dtb)
{
    struct uk__fdt f;
    struct uk__fdt_node n;
    uint32_t evtchn_irq = GUEST_EVTCHN_PPI, timer_irq;
    uint64_t a, s;
    const char *cmdline;
    unsigned i;
    if (uk__fdt_open(&f, (const void *)dtb, FDT_MAX) != 0)
        uk__xen_panic("no valid device tree at boot");
    map_shared_info();
    /* Xen's node: grant-table region (unused: grant frames go into our
     * own pages) and the event-channel PPI. */
    if (uk__fdt_compatible(&f, "xen,xen", &n) == 0)
        (void)uk__fdt_irq(&f, &n, 0, &evtchn_irq);
    uk__timer_setup(&f, &timer_irq);
    if (uk__gic_init(&f, evtchn_irq, timer_irq) != 0)
        uk__xen_panic("no usable GIC in the device tree");
    if (uk__fdt_device_type(&f, "memory", &n) != 0)
        uk__xen_panic("no memory node in the device tree");
    for (i = 0; uk__fdt_reg(&f, &n, i, &a, &s) == 0; i++)
        add_ram(a, a + s);
    cmdline = bootargs(&f);
    uk__xen_start(cmdline);
}
