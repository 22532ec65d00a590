/*
 * grant.c - grant tables, version 1 (grant.h): a free list of entries over
 * the mapped table frames; both come from the memory budget (pages.h).
 */
#include <uk/err.h>
#include <uk/target.h>

#include "grant.h"
#include "pages.h"
#include "xen.h"

#define PER_FRAME (UK_XEN_PAGE_SIZE / sizeof(struct uk_xen_grant_v1))
#define MAX_FRAMES 8

static struct uk_xen_grant_v1 *table; /* frames mapped contiguously */
static unsigned nrefs;
static uint32_t *free_list; /* one entry per reference */
static unsigned nfree;

/* Gives the table's pages and the free list back to the budget. */
static void release(unsigned frames)
{
    uk__xen_pages_free(table, frames);
    uk_mem_free(uk_default_mem(), free_list,
                frames * PER_FRAME * sizeof *free_list);
    table = NULL;
    free_list = NULL;
}

int uk__gnt_init(unsigned frames)
{
    struct uk_xen_gnttab_query_size q = {UK_XEN_DOMID_SELF, 0, 0, 0, 0, 0};
    unsigned i;
    if (table != NULL)
        return 0;
    if (uk__xen_hypercall(UK_XEN_HC_GRANT_TABLE_OP,
                          UK_XEN_GNTTABOP_QUERY_SIZE, (unsigned long)&q,
                          1) == 0 &&
        q.status == 0 && q.max_nr_frames > 0 && frames > q.max_nr_frames)
        frames = q.max_nr_frames;
    if (frames == 0 || frames > MAX_FRAMES)
        frames = MAX_FRAMES;
    table = uk__xen_pages_alloc(frames);
    free_list = uk_mem_alloc(uk_default_mem(),
                             frames * PER_FRAME * sizeof *free_list);
    if (table == NULL || free_list == NULL) {
        release(frames);
        return UK_ENOMEM;
    }
    for (i = 0; i < frames; i++) {
        struct uk_xen_add_to_physmap m = {
            UK_XEN_DOMID_SELF, 0, UK_XEN_MAPSPACE_GRANT_TABLE, i,
            ((uint64_t)(uintptr_t)table >> 12) + i};
        if (uk__xen_hypercall(UK_XEN_HC_MEMORY_OP,
                              UK_XEN_MEMOP_ADD_TO_PHYSMAP,
                              (unsigned long)&m, 0) != 0)
            break;
    }
    if (i == 0) {
        release(frames);
        return UK_EIO;
    }
    nrefs = i * (unsigned)PER_FRAME;
    for (nfree = 0; nfree < nrefs - UK_XEN_GNTTAB_RESERVED; nfree++)
        free_list[nfree] = nrefs - 1 - nfree; /* low refs handed out first */
    return 0;
}

int uk__gnt_grant(uint16_t domid, uint64_t pfn, bool readonly,
                  uint32_t *ref)
{
    struct uk_xen_grant_v1 *e;
    uint32_t r;
    if (table == NULL)
        return UK_EINVAL;
    if (nfree == 0)
        return UK_ENOSPC;
    r = free_list[--nfree];
    e = &table[r];
    e->domid = domid;
    e->frame = (uint32_t)pfn;
    /* The entry is valid for the other side only once flags say so. */
    __atomic_store_n(&e->flags,
                     (uint16_t)(UK_XEN_GTF_PERMIT_ACCESS |
                                (readonly ? UK_XEN_GTF_READONLY : 0)),
                     __ATOMIC_RELEASE);
    *ref = r;
    return 0;
}

int uk__gnt_end(uint32_t ref)
{
    uint16_t flags;
    if (table == NULL || ref < UK_XEN_GNTTAB_RESERVED || ref >= nrefs)
        return UK_EINVAL;
    flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
    do {
        if (!(flags & UK_XEN_GTF_PERMIT_ACCESS))
            return UK_EINVAL;
        if (flags & (UK_XEN_GTF_READING | UK_XEN_GTF_WRITING))
            return UK_EBUSY;
    } while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0,
                                          false, __ATOMIC_ACQ_REL,
                                          __ATOMIC_ACQUIRE));
    free_list[nfree++] = ref;
    return 0;
}

unsigned uk__gnt_free_count(void)
{
    return nfree;
}
