/*
 * xen_blkif.h - the Xen block device protocol (io/blkif.h), as blkfront
 * uses it, written from the documented wire layout.
 *
 * One shared ring page: the 64-byte ring header (xen_abi.h), then 32 slots
 * of 112 bytes, each holding a request or, once answered, its response.
 * A request names up to 11 data segments directly; an indirect request
 * names up to 8 pages of segment descriptors instead (backend key
 * feature-max-indirect-segments says how many segments it takes).  A
 * segment is one granted 4 KiB page and the range of 512-byte sectors in
 * it that the transfer uses (first..last, inclusive).  Disk addresses
 * (sector_number) and the backend's "sectors" key are in 512-byte units
 * whatever the device's sector-size.
 *
 * The layout is the same on x86-64, arm64 and arm32 (64-bit fields are
 * 8-byte aligned on all three).
 */
#ifndef UK_XEN_BLKIF_H
#define UK_XEN_BLKIF_H

#include <stdint.h>

#include "xen_abi.h"

/* Operations. */
#define UK_XEN_BLKIF_OP_READ 0
#define UK_XEN_BLKIF_OP_WRITE 1
#define UK_XEN_BLKIF_OP_WRITE_BARRIER 2
#define UK_XEN_BLKIF_OP_FLUSH_DISKCACHE 3
#define UK_XEN_BLKIF_OP_INDIRECT 6

/* Response status. */
#define UK_XEN_BLKIF_RSP_OKAY 0
#define UK_XEN_BLKIF_RSP_ERROR (-1)
#define UK_XEN_BLKIF_RSP_EOPNOTSUPP (-2)

/* Backend "info" bits. */
#define UK_XEN_VDISK_CDROM 0x1
#define UK_XEN_VDISK_REMOVABLE 0x2
#define UK_XEN_VDISK_READONLY 0x4

#define UK_XEN_BLKIF_SEGS_DIRECT 11    /* segments in a plain request */
#define UK_XEN_BLKIF_INDIRECT_PAGES 8  /* descriptor pages per request */
#define UK_XEN_BLKIF_SEGS_PER_PAGE 512 /* descriptors in one page */
#define UK_XEN_BLKIF_SECTOR 512u       /* the protocol's address unit */
#define UK_XEN_BLKIF_RING 32           /* slots in one ring page */

struct uk_xen_blkif_seg {
    uint32_t gref;
    uint8_t first_sect, last_sect; /* 512-byte sectors in the page, 0..7 */
    uint8_t pad[2];
};

struct uk_xen_blkif_req {
    uint8_t operation;
    uint8_t nr_segments;
    uint16_t handle;
    uint32_t pad;
    uint64_t id; /* ours; echoed in the response */
    uint64_t sector_number;
    struct uk_xen_blkif_seg seg[UK_XEN_BLKIF_SEGS_DIRECT];
};

struct uk_xen_blkif_req_indirect {
    uint8_t operation; /* UK_XEN_BLKIF_OP_INDIRECT */
    uint8_t indirect_op;
    uint16_t nr_segments;
    uint32_t pad1;
    uint64_t id;
    uint64_t sector_number;
    uint16_t handle;
    uint16_t pad2;
    uint32_t indirect_grefs[UK_XEN_BLKIF_INDIRECT_PAGES];
    uint32_t pad3;
};

struct uk_xen_blkif_rsp {
    uint64_t id;
    uint8_t operation;
    uint8_t pad;
    int16_t status;
    uint32_t pad2;
};

union uk_xen_blkif_slot {
    struct uk_xen_blkif_req req;
    struct uk_xen_blkif_req_indirect ind;
    struct uk_xen_blkif_rsp rsp;
};

struct uk_xen_blkif_sring {
    struct uk_xen_sring_hdr h;
    union uk_xen_blkif_slot ring[UK_XEN_BLKIF_RING];
};

/* The "protocol" key a front end writes: the ABI of its requests. */
#if defined(__x86_64__)
#define UK_XEN_BLKIF_PROTOCOL "x86_64-abi"
#else
#define UK_XEN_BLKIF_PROTOCOL "arm-abi"
#endif

UK_XEN_ABI_CHECK(blkif_seg, sizeof(struct uk_xen_blkif_seg) == 8);
UK_XEN_ABI_CHECK(blkif_req, sizeof(struct uk_xen_blkif_req) == 112);
UK_XEN_ABI_CHECK(blkif_ind, sizeof(struct uk_xen_blkif_req_indirect) == 64);
UK_XEN_ABI_CHECK(blkif_rsp, sizeof(struct uk_xen_blkif_rsp) == 16);
UK_XEN_ABI_CHECK(blkif_slot, sizeof(union uk_xen_blkif_slot) == 112);
UK_XEN_ABI_CHECK(blkif_sring, sizeof(struct uk_xen_blkif_sring) <= 4096);

#endif
