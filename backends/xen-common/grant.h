/*
 * grant.h - grant tables (version 1): letting another domain (netback,
 * blkback) access pages of ours.
 *
 * The table's frames are mapped into our physical address space with
 * XENMEM_add_to_physmap; entries below UK_XEN_GNTTAB_RESERVED belong to
 * the toolstack.  Returns 0 or a negative UK_E* code.
 */
#ifndef UK_XEN_GRANT_H
#define UK_XEN_GRANT_H

#include <stdbool.h>
#include <stdint.h>

/* Maps up to `frames` table frames (512 entries each).  Idempotent:
 * later calls return 0.  UK_ENOMEM (no pages), UK_EIO (Xen refused the
 * first frame). */
int uk__gnt_init(unsigned frames);

/* Grants domid access to our page pfn; stores the reference in *ref.
 * UK_ENOSPC when every entry is in use. */
int uk__gnt_grant(uint16_t domid, uint64_t pfn, bool readonly,
                  uint32_t *ref);

/* Revokes ref.  UK_EBUSY while the other domain still has the page
 * mapped (try again later); UK_EINVAL for a reference not granted. */
int uk__gnt_end(uint32_t ref);

/* Entries available to uk__gnt_grant. */
unsigned uk__gnt_free_count(void);

#endif
