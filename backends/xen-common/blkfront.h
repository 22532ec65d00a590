/*
 * blkfront.h - the Xen block front end (blkfront.c, blkfront_bus.c): a
 * uk_block over one virtual disk (a vbd), negotiated with the backend
 * (Linux blkback) through xenstore.
 */
#ifndef UK_XEN_BLKFRONT_H
#define UK_XEN_BLKFRONT_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/block.h>
#include <uk/time.h>

#include "xen_blkif.h"

#define UK__BF_SLOTS 16 /* ring requests in flight (of the ring's 32) */
#define UK__BF_DATA 64  /* data pages granted to the backend */
#define UK__BF_SEGS 32  /* segments per request when indirect (else 11) */
/* Pages one device uses: the ring, the data pages, one page of indirect
 * segment descriptors per slot. */
#define UK__BF_PAGES (1 + UK__BF_DATA + UK__BF_SLOTS)

/* One ring request in flight: a part of a caller's request (the bytes
 * [off, off + len) of its buffer, in pages[] of our data pages), or a
 * flush (req NULL). */
struct uk__bf_slot {
    struct uk_block_req *req;
    bool used;
    uint8_t op; /* UK_XEN_BLKIF_OP_* */
    uint16_t npages;
    uint16_t pages[UK__BF_SEGS];
    size_t off, len;
};

struct uk__bf_stats {
    uint64_t parts;   /* ring requests posted */
    uint64_t flushes; /* of which cache flushes */
    uint64_t errors;  /* responses with an error status */
    uint64_t bad;     /* responses rejected: bad id, index or operation */
};

struct uk__blkfront {
    struct uk_block blk; /* implements BLOCK: pass &bf->blk */
    char id[16];         /* "xvda", or the vbd's number */
    char fe[32];         /* "device/vbd/51712" (relative to our domain) */
    char be[96];         /* backend path (and the watch on it) */
    uint16_t be_id;
    uint32_t vdev; /* the virtual-device number */
    struct uk_block_info info;
    unsigned shift;   /* log2(sector_size / 512) */
    unsigned seg_max; /* segments per request */
    bool flush;       /* the backend flushes its cache on request */
    bool barrier;     /* else: it takes (empty) write barriers */
    volatile struct uk_xen_blkif_sring *ring;
    uint32_t ring_ref, port;
    uint32_t req_prod, rsp_cons;
    struct uk__bf_slot slots[UK__BF_SLOTS];
    uint16_t slot_free[UK__BF_SLOTS];
    unsigned nslot_free;
    uint8_t *data; /* UK__BF_DATA pages */
    uint32_t data_gref[UK__BF_DATA];
    uint16_t page_free[UK__BF_DATA];
    unsigned npage_free;
    uint8_t *ind; /* UK__BF_SLOTS pages, one per slot */
    uint32_t ind_gref[UK__BF_SLOTS];
    /* Caller's requests waiting for ring space (the head may be partly
     * issued), writes waiting for the next flush, writes covered by the
     * flush in flight. */
    struct uk_block_req *q_head, *q_tail;
    struct uk_block_req *fl_wait, *fl_wait_tail, *fl_run;
    bool flushing;
    bool up;     /* connected: requests flow */
    bool open;   /* between open and disconnect */
    bool active; /* requests pending: counted as an event source */
    struct uk__bf_stats st;
    uk_done_cb dcb;
    void *dcb_arg;
    struct uk_timer done;
    char watch[96];
};

/*
 * Connects the vbd whose xenstore node is device/vbd/<vdev>: reads the
 * backend, grants the ring and buffers, runs the XenbusState handshake
 * (waiting at most 30 s for the backend) and reads the disk's geometry and
 * features.  bf is caller-owned storage that must outlive the device; id
 * (BORROWED, copied) names it in logs.  Returns 0, UK_ENODEV (no such
 * vbd), UK_ENOMEM, UK_ETIMEDOUT, UK_EPROTO (bad xenstore data, e.g. a
 * sector size that is not a power of two in 512..4096), UK_EIO.  Logs why
 * on failure.
 *
 * Writes: a write completes once the backend has written it and, when it
 * offers feature-flush-cache (else feature-barrier), once a cache flush
 * issued after it has completed, so status 0 means durable (uk/block.h).
 * One flush covers every write that finished before it was issued.
 *
 * When the backend leaves Connected, requests in flight and later ones
 * complete with UK_EIO (no reconnection).
 */
int uk__blkfront_open(struct uk__blkfront *bf, uint32_t vdev, const char *id);

/* Between blkfront.c (the ring, the BLOCK methods) and blkfront_bus.c
 * (the xenstore handshake): */
/* Clears bf and makes it a BLOCK object. */
void uk__blkfront_init(struct uk__blkfront *bf);
/* Places the ring, data and indirect pages in pages[UK__BF_PAGES]
 * (page-aligned, zeroed), with grant references equal to page numbers
 * until the real ones are set. */
void uk__blkfront_layout(struct uk__blkfront *bf, uint8_t *pages);
/* Sets the geometry from the backend's keys: sectors (512-byte units),
 * sector-size, info bits, feature-max-indirect-segments (0: none).
 * Returns 0 or UK_EPROTO when they make no sense. */
int uk__blkfront_geometry(struct uk__blkfront *bf, uint64_t sectors512,
                          unsigned long sector_size, unsigned long info,
                          unsigned long max_indirect);
/* Connected: requests flow. */
void uk__blkfront_start(struct uk__blkfront *bf);
/* The backend left: what is queued or in flight completes with UK_EIO. */
void uk__blkfront_backend_gone(struct uk__blkfront *bf);
/* The event-channel callback: responses. */
void uk__blkfront_event(void *arg, uint32_t port);

/*
 * For tests of the ring code on a host (a fake backend): sets bf up over
 * pages (UK__BF_PAGES page-aligned pages) as if the handshake had
 * succeeded with the given geometry (as uk__blkfront_geometry) and
 * features; uk__blkfront_poll then processes the responses the fake
 * backend wrote, as the event callback does.
 */
int uk__blkfront_attach(struct uk__blkfront *bf, void *pages,
                        uint64_t sectors512, unsigned long sector_size,
                        unsigned long info, unsigned long max_indirect,
                        bool flush);
void uk__blkfront_poll(struct uk__blkfront *bf);

#endif
