/*
 * mem.c - uk_default_mem() (uk/target.h) on the Xen targets, TEMPORARY
 * (issue 13): a buddy heap (uk/heap_mem.h) over XEN_MEM_BUDGET bytes of
 * BSS, made on first use.  The real one, carved at boot from the domain's
 * memory map, comes with branch `mem`; this file then goes.
 */
#include <uk/heap_mem.h>
#include <uk/target.h>

#include "xen.h"

#ifndef XEN_MEM_BUDGET
#define XEN_MEM_BUDGET (8u << 20)
#endif

struct uk_mem *uk_default_mem(void)
{
    static struct uk_heap_mem heap;
    static uint64_t region[XEN_MEM_BUDGET / 8];
    static bool ready;
    if (!ready) {
        if (uk_heap_mem_init(&heap, region, sizeof region) != 0) {
            uk_console_printf(uk_default_console(),
                              "%s: cannot set up the memory budget",
                              uk_target_name());
            uk_exit(1);
        }
        ready = true;
    }
    return &heap.mem;
}
