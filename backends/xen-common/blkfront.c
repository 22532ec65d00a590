/*
 * blkfront.c - BLOCK over a Xen virtual disk: the ring side of the front
 * end of Linux's blkback (io/blkif.h, see xen_blkif.h).  One ring page,
 * up to UK__BF_SLOTS requests in flight, indirect descriptors when the
 * backend offers them (up to UK__BF_SEGS pages per request), else 11.
 *
 * Buffers: the backend only ever sees our own data pages, granted once at
 * set-up (bounce buffers): a write copies the caller's bytes into them
 * before posting, a read copies out of them when the response arrives.
 * So the caller's buffer needs no alignment and is never exposed.  A
 * caller's request larger than one ring request, or than the free pages,
 * is issued in parts, in order, as pages come back.
 *
 * Defensive: the backend writes the response index, ids, operations and
 * statuses, nothing else we read.  The index may run at most as far as
 * the requests we posted; an id must name a slot in flight, whose part
 * (offset, length, pages) is our own record; a response that fails a
 * check is counted in st.bad and ignored, and never makes us touch memory
 * outside the caller's buffer or our pages.  The set-up side is
 * blkfront_bus.c's.
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

#include "blkfront.h"
#include "pages.h"
#include "xen.h"
#include "xenstore.h"

#define PAGE UK_XEN_PAGE_SIZE
#define RING_MASK (UK_XEN_BLKIF_RING - 1)

static struct uk__blkfront *dev_of(struct uk_block *b)
{
    return UK_CONTAINER_OF(b, struct uk__blkfront, blk);
}

/* ---- completion ---- */

static void complete_deferred(void *arg)
{
    struct uk_block_req *req = arg;
    req->busy = false;
    req->cb(req->arg, req->status);
}

/* Completes req on a later loop turn (calls that fail after accepting). */
static void complete_later(struct uk_block_req *req, int status)
{
    req->status = status;
    uk_time_defer(uk_default_time(), &req->timer, complete_deferred, req);
}

static void complete_now(struct uk_block_req *req)
{
    req->busy = false;
    req->cb(req->arg, req->status);
}

static void list_add(struct uk_block_req **head, struct uk_block_req **tail,
                     struct uk_block_req *req)
{
    req->next = NULL;
    if (*head == NULL)
        *head = req;
    else
        (*tail)->next = req;
    *tail = req;
}

/* Every part of req is done: a successful write waits for a flush when
 * the backend has one, anything else completes. */
static void req_finished(struct uk__blkfront *d, struct uk_block_req *req)
{
    if (req->write && req->status == 0 && (d->flush || d->barrier)) {
        list_add(&d->fl_wait, &d->fl_wait_tail, req);
        return;
    }
    complete_now(req);
}

/* ---- posting ---- */

static int take_slot(struct uk__blkfront *d)
{
    return d->nslot_free == 0 ? -1 : d->slot_free[--d->nslot_free];
}

static void put_slot(struct uk__blkfront *d, unsigned i)
{
    unsigned k;
    for (k = 0; k < d->slots[i].npages; k++)
        d->page_free[d->npage_free++] = d->slots[i].pages[k];
    d->slots[i].used = false;
    d->slots[i].npages = 0;
    d->slots[i].req = NULL;
    d->slot_free[d->nslot_free++] = (uint16_t)i;
}

static volatile union uk_xen_blkif_slot *next_ring_slot(struct uk__blkfront *d)
{
    return &d->ring->ring[d->req_prod++ & RING_MASK];
}

/* A cache flush (or an empty barrier) covering fl_wait. */
static void post_flush(struct uk__blkfront *d, unsigned i)
{
    volatile union uk_xen_blkif_slot *r = next_ring_slot(d);
    struct uk__bf_slot *s = &d->slots[i];
    s->used = true;
    s->op = d->flush ? UK_XEN_BLKIF_OP_FLUSH_DISKCACHE
                     : UK_XEN_BLKIF_OP_WRITE_BARRIER;
    r->req.operation = s->op;
    r->req.nr_segments = 0;
    r->req.handle = (uint16_t)d->vdev;
    r->req.id = i;
    r->req.sector_number = 0;
    d->fl_run = d->fl_wait;
    d->fl_wait = d->fl_wait_tail = NULL;
    d->flushing = true;
    d->st.flushes++;
}

/* The next part of req: as many pages as one request and the free pages
 * allow. */
static void post_part(struct uk__blkfront *d, struct uk_block_req *req,
                      unsigned i)
{
    volatile union uk_xen_blkif_slot *r = next_ring_slot(d);
    struct uk__bf_slot *s = &d->slots[i];
    size_t max =
        (size_t)(d->seg_max < d->npage_free ? d->seg_max : d->npage_free) *
        PAGE;
    size_t len = req->left < max ? req->left : max, k;
    unsigned nseg = (unsigned)((len + PAGE - 1) / PAGE);
    volatile struct uk_xen_blkif_seg *seg;
    s->used = true;
    s->req = req;
    s->op = req->write ? UK_XEN_BLKIF_OP_WRITE : UK_XEN_BLKIF_OP_READ;
    s->off = req->done;
    s->len = len;
    s->npages = (uint16_t)nseg;
    if (nseg <= UK_XEN_BLKIF_SEGS_DIRECT) {
        r->req.operation = s->op;
        r->req.nr_segments = (uint8_t)nseg;
        r->req.handle = (uint16_t)d->vdev;
        r->req.id = i;
        r->req.sector_number = req->at << d->shift;
        seg = r->req.seg;
    } else {
        r->ind.operation = UK_XEN_BLKIF_OP_INDIRECT;
        r->ind.indirect_op = s->op;
        r->ind.nr_segments = (uint16_t)nseg;
        r->ind.id = i;
        r->ind.sector_number = req->at << d->shift;
        r->ind.handle = (uint16_t)d->vdev;
        r->ind.indirect_grefs[0] = d->ind_gref[i];
        seg = (volatile struct uk_xen_blkif_seg *)(void *)(d->ind +
                                                           (size_t)i * PAGE);
    }
    for (k = 0; k < nseg; k++) {
        uint16_t p = d->page_free[--d->npage_free];
        size_t n = len - k * PAGE < PAGE ? len - k * PAGE : PAGE;
        s->pages[k] = p;
        if (req->write)
            memcpy(d->data + (size_t)p * PAGE, req->buf + s->off + k * PAGE,
                   n);
        seg[k].gref = d->data_gref[p];
        seg[k].first_sect = 0;
        seg[k].last_sect = (uint8_t)(n / UK_XEN_BLKIF_SECTOR - 1);
    }
    req->at += len >> (9 + d->shift);
    req->done += len;
    req->left -= len;
    req->parts++;
    d->st.parts++;
}

/* The loop waits for events only while a device has requests pending
 * (uk__xen_sources_add): an idle disk does not keep the image running. */
static void track(struct uk__blkfront *d)
{
    bool busy = d->nslot_free < UK__BF_SLOTS || d->q_head != NULL ||
                d->fl_wait != NULL;
    if (busy != d->active) {
        d->active = busy;
        uk__xen_sources_add(busy ? 1 : -1);
    }
}

/* Posts whatever the free slots and pages allow: a flush when writes wait
 * for one, then the queued requests in order. */
static void kick(struct uk__blkfront *d)
{
    uint32_t before = d->req_prod;
    int i;
    while (d->up) {
        if (d->fl_wait != NULL && !d->flushing) {
            if ((i = take_slot(d)) < 0)
                break;
            post_flush(d, (unsigned)i);
            continue;
        }
        if (d->q_head == NULL || d->npage_free == 0 || (i = take_slot(d)) < 0)
            break;
        post_part(d, d->q_head, (unsigned)i);
        if (d->q_head->left == 0)
            d->q_head = d->q_head->next;
    }
    if (d->req_prod != before) {
        __atomic_thread_fence(__ATOMIC_RELEASE);
        d->ring->h.req_prod = d->req_prod;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        uk__xen_evtchn_notify(d->port);
    }
    track(d);
}

/* ---- responses ---- */

static void flush_done(struct uk__blkfront *d, int16_t status)
{
    struct uk_block_req *req = d->fl_run, *next;
    int rc = 0;
    d->flushing = false;
    d->fl_run = NULL;
    if (status == UK_XEN_BLKIF_RSP_EOPNOTSUPP) {
        /* As Linux does: stop asking; the writes themselves succeeded. */
        uk_console_printf(uk_default_console(),
                          "xen: %s: the backend cannot flush its cache; "
                          "writes are no longer flushed",
                          d->id);
        d->flush = d->barrier = false;
    } else if (status != UK_XEN_BLKIF_RSP_OKAY) {
        d->st.errors++;
        rc = UK_EIO;
    }
    for (; req != NULL; req = next) {
        next = req->next;
        req->status = rc;
        complete_now(req);
    }
}

/* A part's response: copy what was read out of our pages, give the slot
 * back, then finish the caller's request if this was its last part (its
 * callback may call into the device again). */
static void part_done(struct uk__blkfront *d, unsigned i, int16_t status)
{
    struct uk__bf_slot *s = &d->slots[i];
    struct uk_block_req *req = s->req;
    unsigned k;
    if (status != UK_XEN_BLKIF_RSP_OKAY) {
        d->st.errors++;
        req->status = UK_EIO;
    } else if (!req->write) {
        for (k = 0; k < s->npages; k++) {
            size_t n = s->len - k * PAGE < PAGE ? s->len - k * PAGE : PAGE;
            memcpy(req->buf + s->off + k * PAGE,
                   d->data + (size_t)s->pages[k] * PAGE, n);
        }
    }
    put_slot(d, i);
    req->parts--;
    if (req->parts == 0 && req->left == 0)
        req_finished(d, req);
}

static void respond(struct uk__blkfront *d, struct uk_xen_blkif_rsp r)
{
    struct uk__bf_slot *s;
    if (r.id >= UK__BF_SLOTS || !d->slots[r.id].used) {
        d->st.bad++; /* not a request in flight: ignore */
        return;
    }
    s = &d->slots[r.id];
    if (r.operation != s->op && r.operation != UK_XEN_BLKIF_OP_INDIRECT) {
        d->st.bad++; /* answers something else: the data are suspect */
        r.status = UK_XEN_BLKIF_RSP_ERROR;
    }
    if (s->req == NULL) {
        put_slot(d, (unsigned)r.id);
        flush_done(d, r.status);
    } else {
        part_done(d, (unsigned)r.id, r.status);
    }
}

void uk__blkfront_event(void *arg, uint32_t port)
{
    struct uk__blkfront *d = arg;
    UK_UNUSED(port);
    if (!d->up)
        return;
    for (;;) {
        uint32_t prod = d->ring->h.rsp_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod - d->rsp_cons > d->req_prod - d->rsp_cons) {
            d->st.bad++; /* claims responses to requests never posted */
            break;
        }
        while (d->rsp_cons != prod && d->up) {
            struct uk_xen_blkif_rsp r =
                *(const struct uk_xen_blkif_rsp *)(const void *)&d->ring
                     ->ring[d->rsp_cons & RING_MASK]
                     .rsp;
            d->rsp_cons++;
            respond(d, r);
        }
        if (!d->up)
            return;
        d->ring->h.rsp_event = d->rsp_cons + 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (d->ring->h.rsp_prod == prod)
            break;
    }
    kick(d);
}

/* ---- BLOCK methods ---- */

static int submit(struct uk__blkfront *d, struct uk_block_req *req,
                  uint64_t sector, const void *buf, size_t nsectors,
                  bool write, uk_block_cb cb, void *arg)
{
    if (req->busy)
        return UK_EBUSY;
    if (nsectors == 0 || sector >= d->info.sectors ||
        nsectors > d->info.sectors - sector)
        return UK_EINVAL;
    if (write && d->info.read_only)
        return UK_EROFS;
    req->busy = true;
    req->cb = cb;
    req->arg = arg;
    req->status = 0;
    req->at = sector;
    req->buf = (uint8_t *)(uintptr_t)buf;
    req->left = nsectors * d->info.sector_size;
    req->done = 0;
    req->parts = 0;
    req->write = write;
    if (!d->up) {
        complete_later(req, UK_EIO);
        return 0;
    }
    list_add(&d->q_head, &d->q_tail, req);
    kick(d);
    return 0;
}

static int bf_read(struct uk_block *self, struct uk_block_req *req,
                   uint64_t sector, void *buf, size_t nsectors, uk_block_cb cb,
                   void *arg)
{
    return submit(dev_of(self), req, sector, buf, nsectors, false, cb, arg);
}

static int bf_write(struct uk_block *self, struct uk_block_req *req,
                    uint64_t sector, const void *buf, size_t nsectors,
                    uk_block_cb cb, void *arg)
{
    return submit(dev_of(self), req, sector, buf, nsectors, true, cb, arg);
}

static void bf_info(struct uk_block *self, struct uk_block_info *out)
{
    *out = dev_of(self)->info;
}

static const char *bf_id(struct uk_block *self)
{
    return dev_of(self)->id;
}

/* Every request the device holds (queued, in flight, waiting for or
 * covered by a flush) completes on a later turn with status. */
static void fail_all(struct uk__blkfront *d, int status)
{
    struct uk_block_req *lists[3], *req, *next;
    unsigned i, k;
    d->up = false;
    for (i = 0; i < UK__BF_SLOTS; i++) {
        req = d->slots[i].req;
        if (d->slots[i].used && req != NULL && req->parts > 0) {
            req->parts = 0;
            if (req->left == 0) /* not also in the queue */
                complete_later(req, status);
        }
        if (d->slots[i].used)
            put_slot(d, i);
    }
    lists[0] = d->q_head;
    lists[1] = d->fl_wait;
    lists[2] = d->fl_run;
    for (k = 0; k < 3; k++)
        for (req = lists[k]; req != NULL; req = next) {
            next = req->next;
            complete_later(req, status);
        }
    d->q_head = d->fl_wait = d->fl_run = NULL;
    d->flushing = false;
    track(d);
}

static void disconnect_done(void *arg)
{
    struct uk__blkfront *d = arg;
    if (d->dcb != NULL)
        d->dcb(d->dcb_arg);
}

static void bf_disconnect(struct uk_block *self, uk_done_cb cb, void *arg)
{
    struct uk__blkfront *d = dev_of(self);
    char path[64];
    fail_all(d, UK_ECANCELED);
    if (d->open) {
        d->open = false;
        snprintf(path, sizeof path, "%s/state", d->fe);
        (void)uk__xs_write(0, path, "6"); /* Closed */
        (void)uk__xs_unwatch(d->watch, d->id);
    }
    d->dcb = cb;
    d->dcb_arg = arg;
    uk_time_defer(uk_default_time(), &d->done, disconnect_done, d);
}

static const struct uk_block_ops bf_ops = {
    .id = bf_id,
    .disconnect = bf_disconnect,
    .info = bf_info,
    .read = bf_read,
    .write = bf_write,
};

/* ---- set-up (with blkfront_bus.c) ---- */

void uk__blkfront_init(struct uk__blkfront *d)
{
    memset(d, 0, sizeof *d);
    d->blk.ops = &bf_ops;
}

void uk__blkfront_layout(struct uk__blkfront *d, uint8_t *pages)
{
    unsigned i;
    d->ring = (volatile struct uk_xen_blkif_sring *)(void *)pages;
    d->ring->h.req_event = d->ring->h.rsp_event = 1;
    d->ring_ref = 0;
    d->data = pages + PAGE;
    d->ind = pages + (1 + UK__BF_DATA) * PAGE;
    for (i = 0; i < UK__BF_DATA; i++) {
        d->data_gref[i] = 1 + i;
        d->page_free[i] = (uint16_t)(UK__BF_DATA - 1 - i);
    }
    d->npage_free = UK__BF_DATA;
    for (i = 0; i < UK__BF_SLOTS; i++) {
        d->ind_gref[i] = 1 + UK__BF_DATA + i;
        d->slot_free[i] = (uint16_t)(UK__BF_SLOTS - 1 - i);
    }
    d->nslot_free = UK__BF_SLOTS;
}

int uk__blkfront_geometry(struct uk__blkfront *d, uint64_t sectors512,
                          unsigned long sector_size, unsigned long info,
                          unsigned long max_indirect)
{
    unsigned shift = 0;
    if (sector_size < UK_XEN_BLKIF_SECTOR || sector_size > PAGE ||
        (sector_size & (sector_size - 1)) != 0)
        return UK_EPROTO;
    while ((UK_XEN_BLKIF_SECTOR << shift) < sector_size)
        shift++;
    d->shift = shift;
    d->info.sector_size = (uint32_t)sector_size;
    d->info.sectors = sectors512 >> shift;
    d->info.read_only = (info & UK_XEN_VDISK_READONLY) != 0;
    d->seg_max = UK_XEN_BLKIF_SEGS_DIRECT;
    if (max_indirect > UK_XEN_BLKIF_SEGS_DIRECT)
        d->seg_max =
            max_indirect < UK__BF_SEGS ? (unsigned)max_indirect : UK__BF_SEGS;
    return 0;
}

void uk__blkfront_start(struct uk__blkfront *d)
{
    d->up = true;
    d->ring->h.rsp_event = d->rsp_cons + 1;
}

void uk__blkfront_backend_gone(struct uk__blkfront *d)
{
    fail_all(d, UK_EIO);
}

int uk__blkfront_attach(struct uk__blkfront *d, void *pages,
                        uint64_t sectors512, unsigned long sector_size,
                        unsigned long info, unsigned long max_indirect,
                        bool flush)
{
    int rc;
    uk__blkfront_init(d);
    memcpy(d->id, "xvdt", 5);
    uk__blkfront_layout(d, pages);
    rc = uk__blkfront_geometry(d, sectors512, sector_size, info, max_indirect);
    if (rc != 0)
        return rc;
    d->flush = flush;
    d->open = true;
    uk__blkfront_start(d);
    return 0;
}

void uk__blkfront_poll(struct uk__blkfront *d)
{
    uk__blkfront_event(d, d->port);
}
