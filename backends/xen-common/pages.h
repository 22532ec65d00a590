/*
 * pages.h - the guest's RAM and its one memory budget (uk_default_mem() of
 * uk/target.h).
 *
 * The architecture's start-up code reports the RAM it may hand out (x86
 * PVH: the start-info memory map above the image's end; ARM: the device
 * tree's /memory node less the image) with uk__xen_ram_add.  On first use,
 * uk_default_mem() makes the largest of those ranges one budget (the buddy
 * allocator of uk/heap_mem.h); the ranges must no longer be needed as they
 * were at boot (device tree, start info) by then.  The range starts on a
 * page, so every block of a page or more is page-aligned: device pages
 * (rings, grant frames, network buffers) come from the same budget as the
 * application's buffers, through the two helpers below.
 */
#ifndef UK_XEN_PAGES_H
#define UK_XEN_PAGES_H

#include <stddef.h>
#include <stdint.h>

#define UK_XEN_PAGE_SIZE 4096u

/* Adds the RAM range [start, end) (mapped 1:1); pages only. */
void uk__xen_ram_add(uint64_t start, uint64_t end);

/* n zeroed, contiguous, page-aligned pages from the budget, or NULL when it
 * cannot give them.  n a power of two wastes nothing (uk/heap_mem.h). */
void *uk__xen_pages_alloc(size_t n);

/* Gives back pages from uk__xen_pages_alloc(n); p NULL does nothing. */
void uk__xen_pages_free(void *p, size_t n);

#endif
