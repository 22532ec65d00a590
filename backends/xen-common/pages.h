/*
 * pages.h - the start-up page allocator: whole 4 KiB pages carved from the
 * RAM ranges the glue reports, never freed.  For rings, grant frames and
 * buffer pools created while devices are set up.
 */
#ifndef UK_XEN_PAGES_H
#define UK_XEN_PAGES_H

#include <stddef.h>
#include <stdint.h>

#define UK_XEN_PAGE_SIZE 4096u

/* Adds the RAM range [start, end) (mapped 1:1). */
void uk__xen_pages_add(uint64_t start, uint64_t end);

/* n zeroed, contiguous pages, or NULL when no range has room. */
void *uk__xen_pages_alloc(size_t n);

/* Pages still free, for reports. */
uint64_t uk__xen_pages_free(void);

#endif
