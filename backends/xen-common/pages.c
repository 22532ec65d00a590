/*
 * pages.c - the start-up page allocator (pages.h): a bump pointer in each
 * of a few RAM ranges.
 */
#include <string.h>

#include "pages.h"

#define MAX_RANGES 8

static struct {
    uint64_t next, end;
} ranges[MAX_RANGES];
static unsigned nranges;

void uk__xen_pages_add(uint64_t start, uint64_t end)
{
    start = (start + UK_XEN_PAGE_SIZE - 1) & ~(uint64_t)(UK_XEN_PAGE_SIZE - 1);
    end &= ~(uint64_t)(UK_XEN_PAGE_SIZE - 1);
    if (start >= end || nranges == MAX_RANGES)
        return;
    ranges[nranges].next = start;
    ranges[nranges].end = end;
    nranges++;
}

void *uk__xen_pages_alloc(size_t n)
{
    uint64_t bytes = (uint64_t)n * UK_XEN_PAGE_SIZE;
    unsigned i;
    if (n == 0 || bytes / UK_XEN_PAGE_SIZE != n)
        return NULL;
    for (i = 0; i < nranges; i++) {
        if (ranges[i].end - ranges[i].next >= bytes) {
            void *p = (void *)(uintptr_t)ranges[i].next;
            ranges[i].next += bytes;
            memset(p, 0, (size_t)bytes);
            return p;
        }
    }
    return NULL;
}

uint64_t uk__xen_pages_free(void)
{
    uint64_t total = 0;
    unsigned i;
    for (i = 0; i < nranges; i++)
        total += (ranges[i].end - ranges[i].next) / UK_XEN_PAGE_SIZE;
    return total;
}
