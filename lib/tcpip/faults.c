/*
 * faults.c - the fault-injection shim (uk/tcpip/faults.h).
 */
#include <string.h>

#include <uk/tcpip/faults.h>

#include "tso_cut.h"
#include "util.h"

enum { TX = 0, RX = 1 };

static struct uk_faults *from_base(struct uk_network *self)
{
    return UK_CONTAINER_OF(self, struct uk_faults, base);
}

static bool roll(struct uk_faults *f, uint32_t ppm)
{
    return ppm != 0 && uk_prng_below(&f->prng, UK_FAULTS_ONE) < ppm;
}

/* Passes a frame on in its direction (CONSUMED). */
static void pass(struct uk_faults *f, int dir, struct uk_buf *b)
{
    if (dir == TX)
        uk_network_send(f->lower, b);
    else if (f->cb != NULL)
        f->cb(f->cb_arg, b);
    else
        uk_buf_free(b);
}

/* free_fn of a slot's buffer. */
static void slot_release(struct uk_buf *b)
{
    struct uk_faults_slot *s = (struct uk_faults_slot *)b->owner;
    s->busy = false;
}

static void slot_fire(void *arg)
{
    struct uk_faults_slot *s = (struct uk_faults_slot *)arg;
    struct uk_iov iov;
    if (s->dir == TX) {
        iov.base = s->buf.data;
        iov.len = s->buf.len;
        uk_network_sendv(s->f->lower, &iov, 1);
        s->busy = false;
    } else {
        pass(s->f, RX, &s->buf); /* the slot frees when the buffer does */
    }
}

/* Holds a copy of b for delay_ns; false if no slot could take it. */
static bool hold_copy(struct uk_faults *f, int dir, const struct uk_buf *b,
                      uint64_t delay_ns)
{
    size_t i;
    if (b->len > UK_FAULTS_FRAME_SIZE)
        return false;
    for (i = 0; i < UK_FAULTS_SLOTS; i++) {
        struct uk_faults_slot *s = &f->slots[i];
        if (s->busy)
            continue;
        s->busy = true;
        s->dir = dir;
        uk_buf_init(&s->buf, s->data, sizeof s->data, 0);
        s->buf.free_fn = slot_release;
        s->buf.owner = s;
        memcpy(uk_buf_put(&s->buf, b->len), b->data, b->len);
        uk_time_after(f->time, &s->timer, delay_ns, slot_fire, s);
        return true;
    }
    f->stats.no_slot[dir]++;
    return false;
}

/* Applies the faults to one frame (CONSUMED) going in direction dir. */
static void apply(struct uk_faults *f, int dir, struct uk_buf *b)
{
    const struct uk_faults_config *c = &f->cfg;
    f->stats.frames[dir]++;
    if (roll(f, c->drop)) {
        f->stats.dropped[dir]++;
        uk_buf_free(b);
        return;
    }
    if (b->len > 0 && roll(f, c->corrupt)) {
        uint32_t bit = uk_prng_below(&f->prng, (uint32_t)b->len * 8);
        b->data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        f->stats.corrupted[dir]++;
    }
    if (roll(f, c->duplicate) && hold_copy(f, dir, b, 0))
        f->stats.duplicated[dir]++;
    if (roll(f, c->delay)) {
        uint64_t d = c->delay_ns < UINT32_MAX
                         ? uk_prng_below(&f->prng, (uint32_t)c->delay_ns + 1)
                         : uk_prng_below(&f->prng, UINT32_MAX);
        if (hold_copy(f, dir, b, d)) {
            f->stats.delayed[dir]++;
            uk_buf_free(b);
            return;
        }
    }
    if (roll(f, c->reorder) && hold_copy(f, dir, b, c->reorder_ns)) {
        f->stats.reordered[dir]++;
        uk_buf_free(b);
        return;
    }
    pass(f, dir, b);
}

static void faults_input(void *arg, struct uk_buf *frame)
{
    apply((struct uk_faults *)arg, RX, frame);
}

static const char *faults_id(struct uk_network *self)
{
    UK_UNUSED(self);
    return "faults";
}

static void faults_disconnect(struct uk_network *self, uk_done_cb cb,
                              void *arg)
{
    struct uk_faults *f = from_base(self);
    size_t i;
    f->cb = NULL;
    for (i = 0; i < UK_FAULTS_SLOTS; i++) {
        if (uk_timer_is_armed(&f->slots[i].timer)) {
            uk_time_cancel(f->time, &f->slots[i].timer);
            f->slots[i].busy = false;
        }
    }
    uk_network_listen(f->lower, NULL, NULL);
    uk_network_disconnect(f->lower, cb, arg);
}

static int faults_listen(struct uk_network *self, uk_network_rx_cb cb,
                         void *arg)
{
    struct uk_faults *f = from_base(self);
    f->cb = cb;
    f->cb_arg = arg;
    return 0;
}

static int faults_alloc(struct uk_network *self, size_t headroom, size_t len,
                        struct uk_buf **out)
{
    return uk_network_alloc(from_base(self)->lower, headroom, len, out);
}

/* free_fn of run_buf. */
static void run_release(struct uk_buf *b)
{
    ((struct uk_faults *)b->owner)->run_busy = false;
}

/* A buffer of n bytes for the lower device: run_buf when free and asked
 * for (big), else one of the lower's own; NULL if none (the frame is then
 * lost, as in a full device queue). */
static struct uk_buf *wire_buf(struct uk_faults *f, size_t n, bool big)
{
    struct uk_buf *b = NULL;
    if (big) {
        if (f->run_busy)
            return NULL;
        f->run_busy = true;
        uk_buf_init(&f->run_buf, f->run, sizeof f->run, 0);
        f->run_buf.free_fn = run_release;
        f->run_buf.owner = f;
        return &f->run_buf;
    }
    return uk_network_alloc(f->lower, 0, n, &b) == 0 ? b : NULL;
}

/* Segments [first, first + count) of t as one new frame, or NULL: none
 * when no buffer is free, or the run went down already as plain frames
 * because the shim's one big buffer is still lent to the lower device. */
static struct uk_buf *run_frame(struct uk_faults *f,
                                const struct uk__tso_train *t, size_t first,
                                size_t count)
{
    size_t n = uk__tso_run_len(t, first, count);
    struct uk_buf *b = wire_buf(f, n, n > t->hl + t->mss);
    if (b == NULL && n > t->hl + t->mss) {
        size_t k;
        for (k = first; k < first + count && k < t->nseg; k++) {
            if ((b = run_frame(f, t, k, 1)) != NULL)
                uk_network_send(f->lower, b);
        }
        return NULL;
    }
    if (b != NULL)
        b->tso_mss = uk__tso_run(t, first, count, uk_buf_put(b, n));
    return b;
}

/* Sends the surviving runs of super-segment t (of frame b, CONSUMED),
 * rolling drop once per segment; b passes whole if nothing is dropped. */
static void drop_segments(struct uk_faults *f, const struct uk__tso_train *t,
                          struct uk_buf *b)
{
    size_t k, start = 0;
    f->stats.frames[TX] += t->nseg;
    for (k = 0; k < t->nseg; k++) {
        struct uk_buf *r;
        if (!roll(f, f->cfg.drop))
            continue;
        f->stats.dropped[TX]++;
        if (k > start && (r = run_frame(f, t, start, k - start)))
            uk_network_send(f->lower, r);
        start = k + 1;
    }
    if (start == 0) {
        uk_network_send(f->lower, b);
        return;
    }
    if (start < t->nseg) {
        struct uk_buf *r = run_frame(f, t, start, t->nseg - start);
        if (r != NULL)
            uk_network_send(f->lower, r);
    }
    uk_buf_free(b);
}

/* Transmits super-segment b (CONSUMED) as its wire segments meet the
 * faults (uk/tcpip/faults.h). */
static void send_super(struct uk_faults *f, struct uk_buf *b)
{
    const struct uk_faults_config *c = &f->cfg;
    struct uk__tso_train t;
    size_t k;
    if (uk__tso_train(&t, b->data, b->len, b->tso_mss) != 0) {
        uk_network_send(f->lower, b); /* not ours to judge: the device's */
        return;
    }
    if (c->corrupt == 0 && c->duplicate == 0 && c->delay == 0 &&
        c->reorder == 0) {
        drop_segments(f, &t, b);
        return;
    }
    for (k = 0; k < t.nseg; k++) {
        struct uk_buf *s = run_frame(f, &t, k, 1);
        if (s != NULL)
            apply(f, TX, s);
        else
            f->stats.frames[TX]++; /* lost for want of a buffer */
    }
    uk_buf_free(b);
}

static int faults_send(struct uk_network *self, struct uk_buf *frame)
{
    struct uk_faults *f = from_base(self);
    if (frame->tso_mss != 0)
        send_super(f, frame);
    else
        apply(f, TX, frame);
    return 0;
}

static int faults_sendv(struct uk_network *self, const struct uk_iov *iov,
                        int iovcnt)
{
    struct uk_faults *f = from_base(self);
    struct uk_buf *b = NULL;
    size_t len;
    int rc;
    if (iovcnt < 0 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    len = uk_iov_total(iov, iovcnt);
    if ((rc = uk_network_alloc(f->lower, 0, len, &b)) != 0)
        return rc;
    uk__iov_copy(uk_buf_put(b, len), iov, iovcnt);
    apply(f, TX, b);
    return 0;
}

static void faults_mac(struct uk_network *self, struct uk_mac *out)
{
    uk_network_mac(from_base(self)->lower, out);
}

static size_t faults_mtu(struct uk_network *self)
{
    return uk_network_mtu(from_base(self)->lower);
}

static void faults_stats(struct uk_network *self, struct uk_network_stats *out)
{
    uk_network_stats(from_base(self)->lower, out);
}

static size_t faults_tso_max(struct uk_network *self)
{
    size_t m = uk_network_tso_max(from_base(self)->lower);
    return m < UK_FAULTS_RUN_SIZE ? m : UK_FAULTS_RUN_SIZE;
}

static const struct uk_network_ops faults_ops = {
    .id = faults_id,
    .disconnect = faults_disconnect,
    .listen = faults_listen,
    .alloc = faults_alloc,
    .send = faults_send,
    .sendv = faults_sendv,
    .mac = faults_mac,
    .mtu = faults_mtu,
    .stats = faults_stats,
    .tso_max = faults_tso_max,
};

size_t uk_faults_busy(const struct uk_faults *f)
{
    size_t i, n = 0;
    for (i = 0; i < UK_FAULTS_SLOTS; i++)
        n += f->slots[i].busy;
    return n;
}

int uk_faults_init(struct uk_faults *f, struct uk_network *lower,
                   struct uk_time *time, const struct uk_faults_config *cfg)
{
    size_t i;
    f->base.ops = &faults_ops;
    f->lower = lower;
    f->time = time;
    f->cfg = *cfg;
    if (f->cfg.delay_ns == 0)
        f->cfg.delay_ns = 10 * UK_NS_PER_MS;
    if (f->cfg.reorder_ns == 0)
        f->cfg.reorder_ns = UK_NS_PER_MS;
    uk_prng_init_u64(&f->prng, cfg->seed);
    f->cb = NULL;
    f->cb_arg = NULL;
    memset(&f->stats, 0, sizeof f->stats);
    f->run_busy = false;
    for (i = 0; i < UK_FAULTS_SLOTS; i++) {
        memset(&f->slots[i].timer, 0, sizeof f->slots[i].timer);
        f->slots[i].f = f;
        f->slots[i].busy = false;
    }
    return uk_network_listen(lower, faults_input, f);
}
