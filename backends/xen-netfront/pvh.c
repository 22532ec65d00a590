/*
 * pvh.c - x86-64 PVH start of day, in long mode: hypercall page, start_info,
 * shared_info, interrupts, memory map; then the portable start-up.
 */
#include <stdio.h>

#include "../xen-common/pages.h"
#include "../xen-common/xen.h"
#include "../xen-common/netfront.h"
#include "pvh.h"

uint64_t uk__netfront_boot_ns; /* netfront.h: guest entry, Xen time */

bool uk__pvh_hypercall_init(void);

extern char _end[]; /* linker script: end of the image */

static void early(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    uk__xen_arch_debug_write(s, n);
}

static void map_shared_info(void)
{
    struct uk_xen_add_to_physmap m = {
        UK_XEN_DOMID_SELF, 0, UK_XEN_MAPSPACE_SHARED_INFO, 0,
        (uint64_t)(uintptr_t)uk__pvh_shared_page >> 12};
    if (uk__xen_hypercall(UK_XEN_HC_MEMORY_OP, UK_XEN_MEMOP_ADD_TO_PHYSMAP,
                          (unsigned long)&m, 0) != 0)
        uk__xen_panic("cannot map shared_info");
    uk__xen_shared = (struct uk_xen_shared_info *)(void *)uk__pvh_shared_page;
}

/* Reports the RAM above the image (below 4 GiB, which is mapped): the
 * memory budget is carved from it (pages.h).  The start info, the memory
 * map and the command line lie there too; they are read or copied before
 * the budget is first used. */
static void add_memory(const struct uk_pvh_start_info *si)
{
    const struct uk_pvh_memmap_entry *e;
    uint64_t lo = ((uint64_t)(uintptr_t)_end + 4095) & ~4095ull;
    uint32_t i;
    if (si->version < 1 || si->memmap_paddr == 0)
        return;
    e = (const struct uk_pvh_memmap_entry *)(uintptr_t)si->memmap_paddr;
    for (i = 0; i < si->memmap_entries; i++) {
        uint64_t a = e[i].addr, b = e[i].addr + e[i].size;
        if (e[i].type != UK_PVH_MEM_RAM)
            continue;
        if (a < lo)
            a = lo;
        if (b > (4ull << 30))
            b = 4ull << 30;
        if (a < b)
            uk__xen_ram_add(a, b);
    }
}

void uk__pvh_main(uint32_t start_info)
{
    const struct uk_pvh_start_info *si =
        (const struct uk_pvh_start_info *)(uintptr_t)start_info;
    if (!uk__pvh_hypercall_init()) {
        early("uk: not running on Xen\n");
        for (;;)
            __asm__ volatile("cli; hlt");
    }
    if (si == NULL || si->magic != UK_PVH_START_MAGIC)
        uk__xen_panic("bad PVH start_info");
    map_shared_info();
    /* Guest entry, on Xen's clock, for netfront's boot-time line. */
    uk__netfront_boot_ns = uk__xen_system_ns();
    uk__pvh_idt_init();
    if (uk__xen_hvm_set_param(UK_XEN_HVM_PARAM_CALLBACK_IRQ,
                              UK_XEN_HVM_CALLBACK_VECTOR(
                                  UK_PVH_UPCALL_VECTOR)) != 0)
        uk__xen_panic("cannot set the event-channel upcall vector");
    add_memory(si);
    uk__xen_start(si->cmdline_paddr != 0
                      ? (const char *)(uintptr_t)si->cmdline_paddr
                      : NULL);
}
