/*
 * pages.c - the guest's RAM ranges and the budget carved from the largest
 * (pages.h).
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <uk/heap_mem.h>
#include <uk/target.h>

#include "pages.h"
#include "xen.h"

#define MAX_RANGES 8

static struct {
    uint64_t start, end;
} ranges[MAX_RANGES];
static unsigned nranges;

void uk__xen_ram_add(uint64_t start, uint64_t end)
{
    start = (start + UK_XEN_PAGE_SIZE - 1) & ~(uint64_t)(UK_XEN_PAGE_SIZE - 1);
    end &= ~(uint64_t)(UK_XEN_PAGE_SIZE - 1);
    if (start >= end || nranges == MAX_RANGES)
        return;
    ranges[nranges].start = start;
    ranges[nranges].end = end;
    nranges++;
}

struct uk_mem *uk_default_mem(void)
{
    static struct uk_heap_mem heap;
    static int ready;
    unsigned i, best = 0;
    char line[96];
    int n;
    if (ready)
        return &heap.mem;
    for (i = 1; i < nranges; i++)
        if (ranges[i].end - ranges[i].start >
            ranges[best].end - ranges[best].start)
            best = i;
    if (nranges == 0 ||
        uk_heap_mem_init(&heap, (void *)(uintptr_t)ranges[best].start,
                         (size_t)(ranges[best].end - ranges[best].start)) !=
            0)
        uk__xen_panic("no RAM for the memory budget");
    ready = 1;
    n = snprintf(line, sizeof line, "uk: memory: %zu KiB budget",
                 heap.stats.total >> 10);
    uk__xen_console_line(line, (size_t)n);
    return &heap.mem;
}

void *uk__xen_pages_alloc(size_t n)
{
    size_t bytes = n * UK_XEN_PAGE_SIZE;
    void *p;
    if (n == 0 || bytes / UK_XEN_PAGE_SIZE != n)
        return NULL;
    p = uk_mem_alloc(uk_default_mem(), bytes);
    if (p != NULL) {
        assert(((uintptr_t)p & (UK_XEN_PAGE_SIZE - 1)) == 0);
        memset(p, 0, bytes);
    }
    return p;
}

void uk__xen_pages_free(void *p, size_t n)
{
    uk_mem_free(uk_default_mem(), p, n * UK_XEN_PAGE_SIZE);
}
