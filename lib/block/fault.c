/*
 * fault.c - a BLOCK wrapper with a volatile write cache and power loss
 * (uk/blockfault.h).
 */
#include <string.h>

#include <uk/blockfault.h>

#define FAULT(self) UK_CONTAINER_OF(self, struct uk_block_fault, blk)

enum { OP_READ = 1, OP_WRITE, OP_FLUSH };

static void run(struct uk_block_fault *f);

static uint64_t next_rand(struct uk_block_fault *f)
{
    f->rng ^= f->rng << 13; /* xorshift64 (13, 7, 17) */
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return f->rng;
}

static void complete(void *arg)
{
    struct uk_block_req *req = arg;
    req->busy = false;
    req->cb(req->arg, req->status);
}

static struct uk__block_fault_op *current(struct uk_block_fault *f)
{
    return &f->q[f->q_head];
}

/* Ends the current request with status and serves the next. */
static void finish(struct uk_block_fault *f, int status)
{
    struct uk_block_req *req = current(f)->req;
    req->status = status;
    uk_time_defer(f->time, &req->timer, complete, req);
    f->q_head = (f->q_head + 1) % UK_BLOCK_FAULT_QUEUE;
    f->q_count--;
    f->running = false;
    run(f);
}

static void lower_done(void *arg, int status)
{
    struct uk_block_fault *f = arg;
    f->lnext(f, status);
}

static void lower_write(struct uk_block_fault *f, uint64_t sector,
                        const void *buf, size_t n,
                        void (*next)(struct uk_block_fault *, int))
{
    int rc;
    f->lnext = next;
    rc = uk_block_write(f->lower, &f->lreq, sector, buf, n, lower_done, f);
    if (rc != 0)
        next(f, rc);
}

/* Write-back: the cached writes, in order, then f->then. */
static void wb_step(struct uk_block_fault *f, int status)
{
    size_t i = f->wb_next;
    if (status != 0 || i == f->nent) {
        if (status == 0)
            f->nent = f->cache_used = 0;
        f->then(f, status);
        return;
    }
    f->wb_next++;
    lower_write(f, f->ent[i].sector, f->cache + f->ent[i].off,
                f->ent[i].nsectors, wb_step);
}

static void write_back(struct uk_block_fault *f,
                       void (*then)(struct uk_block_fault *, int))
{
    f->then = then;
    f->wb_next = 0;
    wb_step(f, 0);
}

/* The cut: walks the cached writes in a shuffled order and sends each
 * sector the generator keeps to the lower device. */
static void cut_step(struct uk_block_fault *f, int status)
{
    uint32_t ss = f->info.sector_size;
    UK_UNUSED(status); /* what did not land did not land */
    while (f->wb_next < f->nent) {
        size_t e = f->order[f->wb_next];
        size_t s = f->wb_sector++;
        if (s >= f->ent[e].nsectors) {
            f->wb_next++;
            f->wb_sector = 0;
            continue;
        }
        if ((next_rand(f) >> 40) & 1) {
            lower_write(f, f->ent[e].sector + s,
                        f->cache + f->ent[e].off + s * ss, 1, cut_step);
            return;
        }
    }
    f->nent = f->cache_used = 0;
    f->settled = true;
    finish(f, UK_EIO);
}

static void cut(struct uk_block_fault *f)
{
    size_t i, j, t;
    f->dead = true;
    for (i = 0; i < f->nent; i++)
        f->order[i] = i;
    for (i = f->nent; i > 1; i--) { /* Fisher-Yates */
        j = (size_t)((next_rand(f) >> 16) % i);
        t = f->order[i - 1];
        f->order[i - 1] = f->order[j];
        f->order[j] = t;
    }
    f->wb_next = 0;
    f->wb_sector = 0;
    cut_step(f, 0);
}

/* Whether n sectors fit in the cache now. */
static bool fits(const struct uk_block_fault *f, size_t n)
{
    return f->nent < UK_BLOCK_FAULT_ENTRIES &&
           n <= (f->cache_len - f->cache_used) / f->info.sector_size;
}

static void cache_add(struct uk_block_fault *f, uint64_t sector,
                      const void *buf, size_t n)
{
    size_t bytes = n * f->info.sector_size;
    f->ent[f->nent].sector = sector;
    f->ent[f->nent].nsectors = n;
    f->ent[f->nent].off = f->cache_used;
    memcpy(f->cache + f->cache_used, buf, bytes);
    f->cache_used += bytes;
    f->nent++;
}

static void through_done(struct uk_block_fault *f, int status)
{
    finish(f, status);
}

/* A write waiting for room: cached now, or (larger than the cache) sent
 * straight to the lower device, which holds it until its own flush. */
static void write_after_wb(struct uk_block_fault *f, int status)
{
    struct uk__block_fault_op *op = current(f);
    if (status != 0) {
        finish(f, UK_EIO);
    } else if (fits(f, op->nsectors)) {
        cache_add(f, op->sector, op->buf, op->nsectors);
        finish(f, 0);
    } else {
        lower_write(f, op->sector, op->buf, op->nsectors, through_done);
    }
}

static void serve_write(struct uk_block_fault *f)
{
    struct uk__block_fault_op *op = current(f);
    f->writes++;
    if (f->cut_after != 0 && f->writes == f->cut_after) {
        if (fits(f, op->nsectors))
            cache_add(f, op->sector, op->buf, op->nsectors);
        cut(f);
    } else if (fits(f, op->nsectors)) {
        cache_add(f, op->sector, op->buf, op->nsectors);
        finish(f, 0);
    } else {
        write_back(f, write_after_wb);
    }
}

static void flushed(struct uk_block_fault *f, int status)
{
    finish(f, status == UK_ENOTSUP ? 0 : status);
}

static void flush_after_wb(struct uk_block_fault *f, int status)
{
    int rc;
    if (status != 0) {
        finish(f, UK_EIO);
        return;
    }
    f->lnext = flushed;
    rc = uk_block_flush(f->lower, &f->lreq, lower_done, f);
    if (rc != 0)
        flushed(f, rc);
}

/* A read sees the cached writes over the lower device's data. */
static void read_done(struct uk_block_fault *f, int status)
{
    struct uk__block_fault_op *op = current(f);
    uint32_t ss = f->info.sector_size;
    size_t i;
    uint64_t lo, hi;
    for (i = 0; status == 0 && i < f->nent; i++) {
        lo = f->ent[i].sector > op->sector ? f->ent[i].sector : op->sector;
        hi = f->ent[i].sector + f->ent[i].nsectors;
        if (hi > op->sector + op->nsectors)
            hi = op->sector + op->nsectors;
        if (lo < hi)
            memcpy((uint8_t *)op->buf + (lo - op->sector) * ss,
                   f->cache + f->ent[i].off + (lo - f->ent[i].sector) * ss,
                   (size_t)(hi - lo) * ss);
    }
    finish(f, status);
}

static void run(struct uk_block_fault *f)
{
    struct uk__block_fault_op *op;
    int rc;
    if (f->running || f->q_count == 0)
        return;
    f->running = true;
    op = current(f);
    if (f->dead) {
        finish(f, UK_EIO);
        return;
    }
    switch (op->kind) {
    case OP_READ:
        f->lnext = read_done;
        rc = uk_block_read(f->lower, &f->lreq, op->sector, op->buf,
                           op->nsectors, lower_done, f);
        if (rc != 0)
            finish(f, rc);
        break;
    case OP_WRITE:
        serve_write(f);
        break;
    default:
        f->flushes++;
        write_back(f, flush_after_wb);
        break;
    }
}

static void kick(void *arg)
{
    run(arg);
}

static int enqueue(struct uk_block_fault *f, struct uk_block_req *req,
                   int kind, uint64_t sector, const void *buf, size_t n,
                   uk_block_cb cb, void *arg)
{
    struct uk__block_fault_op *op;
    if (req->busy)
        return UK_EBUSY;
    if (kind != OP_FLUSH && !uk_block_range_ok(&f->info, sector, n))
        return UK_EINVAL;
    if (f->q_count == UK_BLOCK_FAULT_QUEUE)
        return UK_EAGAIN;
    op = &f->q[(f->q_head + f->q_count) % UK_BLOCK_FAULT_QUEUE];
    op->req = req;
    op->kind = kind;
    op->sector = sector;
    op->buf = (void *)(uintptr_t)buf;
    op->nsectors = n;
    req->busy = true;
    req->cb = cb;
    req->arg = arg;
    f->q_count++;
    /* Served from a later turn, so no callback runs inside the call. */
    if (!f->running && !uk_timer_is_armed(&f->kick))
        uk_time_defer(f->time, &f->kick, kick, f);
    return 0;
}

static int f_read(struct uk_block *self, struct uk_block_req *req,
                  uint64_t sector, void *buf, size_t n, uk_block_cb cb,
                  void *arg)
{
    return enqueue(FAULT(self), req, OP_READ, sector, buf, n, cb, arg);
}

static int f_write(struct uk_block *self, struct uk_block_req *req,
                   uint64_t sector, const void *buf, size_t n,
                   uk_block_cb cb, void *arg)
{
    struct uk_block_fault *f = FAULT(self);
    if (f->info.read_only)
        return UK_EROFS;
    return enqueue(f, req, OP_WRITE, sector, buf, n, cb, arg);
}

static int f_flush(struct uk_block *self, struct uk_block_req *req,
                   uk_block_cb cb, void *arg)
{
    struct uk_block_fault *f = FAULT(self);
    if (f->info.read_only)
        return UK_EROFS;
    return enqueue(f, req, OP_FLUSH, 0, NULL, 0, cb, arg);
}

static void f_info(struct uk_block *self, struct uk_block_info *out)
{
    *out = FAULT(self)->info;
}

static const char *f_id(struct uk_block *self)
{
    UK_UNUSED(self);
    return "fault";
}

/* Pending requests are served first (the cache is dropped, as at power
 * off, unless flushed); the lower device stays the caller's. */
static void f_disconnect(struct uk_block *self, uk_done_cb cb, void *arg)
{
    struct uk_block_fault *f = FAULT(self);
    if (cb != NULL)
        uk_time_defer(f->time, &f->done, cb, arg);
}

static const struct uk_block_ops fault_ops = {
    .id = f_id,
    .disconnect = f_disconnect,
    .info = f_info,
    .read = f_read,
    .write = f_write,
    .flush = f_flush,
};

void uk_block_fault_init(struct uk_block_fault *f, struct uk_block *lower,
                         struct uk_time *time,
                         const struct uk_block_fault_config *cfg,
                         void *cache, size_t cache_len)
{
    memset(f, 0, sizeof *f);
    f->blk.ops = &fault_ops;
    f->lower = lower;
    f->time = time;
    uk_block_info(lower, &f->info);
    f->cut_after = cfg->cut_after;
    /* splitmix64 of the seed: neighbouring seeds give unrelated streams
     * (and xorshift needs a non-zero state). */
    f->rng = cfg->seed + 0x9e3779b97f4a7c15ull;
    f->rng = (f->rng ^ (f->rng >> 30)) * 0xbf58476d1ce4e5b9ull;
    f->rng = (f->rng ^ (f->rng >> 27)) * 0x94d049bb133111ebull;
    f->rng ^= f->rng >> 31;
    if (f->rng == 0)
        f->rng = 1;
    f->cache = cache;
    f->cache_len = cache_len;
}
