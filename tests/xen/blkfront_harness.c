/*
 * blkfront_harness.c - blkfront.c on the host against a fake blkback
 * (blkfront_harness.h), with the platform fakes of xen_fakes.c.
 */
#include <stdlib.h>
#include <string.h>

#include <uk/loop.h>
#include <uk/target.h>

#include "blkfront_harness.h"
#include "pages.h"

#define PAGE 4096u

struct uk__blkfront bf;
uint8_t *bfh_disk;
struct bfh_taken bfh_taken[BFH_TAKEN_MAX];
unsigned bfh_ntaken, bfh_flushes, bfh_writes_since_flush;
static uint8_t *pages;
static uint32_t be_req_cons, be_rsp_prod;

int bfh_setup(unsigned long sector_size, unsigned long max_indirect,
              bool flush, bool read_only)
{
    xf_init();
    pages = aligned_alloc(PAGE, (size_t)UK__BF_PAGES * PAGE);
    bfh_disk = calloc(BFH_SECTORS, 512);
    if (pages == NULL || bfh_disk == NULL)
        abort();
    memset(pages, 0, (size_t)UK__BF_PAGES * PAGE);
    be_req_cons = be_rsp_prod = 0;
    bfh_ntaken = bfh_flushes = bfh_writes_since_flush = 0;
    return uk__blkfront_attach(&bf, pages, BFH_SECTORS, sector_size,
                               read_only ? UK_XEN_VDISK_READONLY : 0,
                               max_indirect, flush);
}

void bfh_teardown(void)
{
    xf_run();
    free(pages);
    free(bfh_disk);
}

/* A grant reference of ours: the page it names (layout: gref = page). */
static uint8_t *page_of(uint32_t gref, bool data)
{
    if (data ? (gref < 1 || gref > UK__BF_DATA)
             : (gref <= UK__BF_DATA || gref >= UK__BF_PAGES))
        abort(); /* not a page the front end granted for this use */
    return pages + (size_t)gref * PAGE;
}

/* Does one read or write: nseg segments from seg, at sector. */
static void transfer(uint8_t op, uint64_t sector,
                     const struct uk_xen_blkif_seg *seg, unsigned nseg)
{
    unsigned k;
    for (k = 0; k < nseg; k++) {
        uint8_t *p = page_of(seg[k].gref, true);
        unsigned n = (unsigned)seg[k].last_sect + 1u - seg[k].first_sect;
        if (seg[k].first_sect > seg[k].last_sect || seg[k].last_sect > 7)
            abort();
        if (sector + n > BFH_SECTORS)
            abort(); /* beyond the disk */
        if (op == UK_XEN_BLKIF_OP_WRITE)
            memcpy(bfh_disk + sector * 512, p + seg[k].first_sect * 512,
                   n * 512);
        else
            memcpy(p + seg[k].first_sect * 512, bfh_disk + sector * 512,
                   n * 512);
        sector += n;
    }
}

unsigned bfh_take(void)
{
    unsigned n = 0;
    uint32_t prod = bf.ring->h.req_prod;
    while (be_req_cons != prod) {
        union uk_xen_blkif_slot r =
            *(union uk_xen_blkif_slot *)(void *)&bf.ring
                 ->ring[be_req_cons++ % UK_XEN_BLKIF_RING];
        struct bfh_taken *t;
        /* Full only after forged answers freed slots: forget one. */
        if (bfh_ntaken == BFH_TAKEN_MAX)
            bfh_ntaken--;
        t = &bfh_taken[bfh_ntaken++];
        if (r.req.operation == UK_XEN_BLKIF_OP_INDIRECT) {
            const struct uk_xen_blkif_seg *seg =
                (const void *)page_of(r.ind.indirect_grefs[0], false);
            if (r.ind.nr_segments <= UK_XEN_BLKIF_SEGS_DIRECT ||
                r.ind.nr_segments > bf.seg_max ||
                (r.ind.indirect_op != UK_XEN_BLKIF_OP_READ &&
                 r.ind.indirect_op != UK_XEN_BLKIF_OP_WRITE))
                abort();
            transfer(r.ind.indirect_op, r.ind.sector_number, seg,
                     r.ind.nr_segments);
            t->id = r.ind.id;
            t->op = r.ind.indirect_op;
            t->nseg = r.ind.nr_segments;
        } else if (r.req.operation == UK_XEN_BLKIF_OP_FLUSH_DISKCACHE ||
                   r.req.operation == UK_XEN_BLKIF_OP_WRITE_BARRIER) {
            if (r.req.nr_segments != 0)
                abort();
            t->id = r.req.id;
            t->op = r.req.operation;
            t->nseg = 0;
            bfh_flushes++;
            bfh_writes_since_flush = 0;
        } else {
            if (r.req.nr_segments == 0 ||
                r.req.nr_segments > UK_XEN_BLKIF_SEGS_DIRECT ||
                (r.req.operation != UK_XEN_BLKIF_OP_READ &&
                 r.req.operation != UK_XEN_BLKIF_OP_WRITE))
                abort();
            transfer(r.req.operation, r.req.sector_number, r.req.seg,
                     r.req.nr_segments);
            if (r.req.operation == UK_XEN_BLKIF_OP_WRITE)
                bfh_writes_since_flush++;
            t->id = r.req.id;
            t->op = r.req.operation;
            t->nseg = r.req.nr_segments;
        }
        n++;
    }
    return n;
}

void bfh_answer_raw(uint64_t id, uint8_t op, int16_t status)
{
    volatile struct uk_xen_blkif_rsp *r;
    /* A backend writes a response only where it took a request: beyond,
     * it would overwrite requests it has not read (its own loss). */
    if (be_rsp_prod == be_req_cons)
        return;
    r = &bf.ring->ring[be_rsp_prod++ % UK_XEN_BLKIF_RING].rsp;
    r->id = id;
    r->operation = op;
    r->status = status;
}

void bfh_answer(unsigned i, int16_t status)
{
    bfh_answer_raw(bfh_taken[i].id, bfh_taken[i].op, status);
    bfh_taken[i] = bfh_taken[--bfh_ntaken];
}

void bfh_publish(uint32_t extra)
{
    bf.ring->h.rsp_prod = be_rsp_prod + extra;
    uk__blkfront_poll(&bf);
    if (extra != 0) /* the runaway index was refused: back to the truth */
        bf.ring->h.rsp_prod = be_rsp_prod;
}

void bfh_serve_all(void)
{
    while (bfh_take() > 0 || bfh_ntaken > 0) {
        while (bfh_ntaken > 0)
            bfh_answer(0, UK_XEN_BLKIF_RSP_OKAY);
        bfh_publish(0);
    }
    xf_run();
}

void bfh_check(void)
{
    unsigned i, used = 0, pages_used = 0;
    for (i = 0; i < UK__BF_SLOTS; i++)
        if (bf.slots[i].used) {
            used++;
            pages_used += bf.slots[i].npages;
        }
    if (used + bf.nslot_free != UK__BF_SLOTS ||
        pages_used + bf.npage_free != UK__BF_DATA)
        abort();
}

/* ---- the fuzz input format ---- */

#define NREQ 6
static struct uk_block_req reqs[NREQ];
static uint8_t bufs[NREQ][64 * 512];
static int completions[NREQ], accepted[NREQ];

static void done(void *arg, int status)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    (void)status;
    /* Released before its callback, and called once per request. */
    if (reqs[i].busy || ++completions[i] > accepted[i])
        abort();
}

static uint16_t u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

void bfh_run_bytes(const uint8_t *data, size_t size)
{
    unsigned i;
    memset(reqs, 0, sizeof reqs);
    memset(completions, 0, sizeof completions);
    memset(accepted, 0, sizeof accepted);
    while (size >= 4) {
        uint8_t op = data[0];
        i = data[1] % NREQ;
        switch (op & 7) {
        case 0: /* the guest reads or writes */
        case 1: {
            size_t n = (size_t)(data[2] % 64) + 1;
            uint64_t at = (uint64_t)data[3] * 4;
            int rc;
            if (bf.info.sector_size != 512)
                n = n % 8 + 1;
            if ((op & 7) == 0)
                rc = uk_block_read(&bf.blk, &reqs[i], at, bufs[i], n, done,
                                   (void *)(uintptr_t)i);
            else
                rc = uk_block_write(&bf.blk, &reqs[i], at, bufs[i], n, done,
                                    (void *)(uintptr_t)i);
            accepted[i] += rc == 0;
            break;
        }
        case 2: /* the backend takes what was posted */
            (void)bfh_take();
            break;
        case 3: /* ... answers one of them, with some status */
            if (bfh_ntaken > 0)
                bfh_answer(i % bfh_ntaken, (int16_t)(int8_t)data[2] < -2
                                               ? 0
                                               : (int16_t)(int8_t)data[2]);
            break;
        case 4: /* ... or writes a response of its own making */
            bfh_answer_raw(u16(data + 2) % 40, data[1] % 8,
                           (int16_t)(data[1] >> 3) - 2);
            break;
        case 5: /* publishes, maybe with a runaway index */
            bfh_publish(data[2] > 250 ? 1000u * data[3] + 1 : 0);
            break;
        case 6: /* time passes: deferred completions run */
            xf_run();
            break;
        case 7: /* the backend goes away */
            if (data[2] == 0xff)
                uk__blkfront_backend_gone(&bf);
            break;
        }
        bfh_check();
        data += 4;
        size -= 4;
    }
    /* The backend goes, and whatever was pending completes. */
    uk__blkfront_backend_gone(&bf);
    xf_run();
    for (i = 0; i < NREQ; i++)
        if (reqs[i].busy || completions[i] != accepted[i])
            abort(); /* a request never completed */
}
