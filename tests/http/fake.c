/*
 * fake.c - see fake.h.
 */
#include <stdlib.h>
#include <string.h>

#include "fake.h"

/* ---- clock ---- */

static uint64_t clk_mono(struct uk_clock *self)
{
    return ((struct fake_clock *)(void *)self)->mono;
}

static int64_t clk_wall(struct uk_clock *self)
{
    struct fake_clock *c = (struct fake_clock *)(void *)self;
    return c->wall + (int64_t)c->mono;
}

static const struct uk_clock_ops clock_ops = {clk_mono, clk_wall};

void fake_clock_init(struct fake_clock *c)
{
    c->clock.ops = &clock_ops;
    c->mono = 1000;
    c->wall = 784111777LL * 1000000000LL;
}

/* ---- flow ---- */

#define FF(self) ((struct fake_flow *)(void *)(self))

static void grow(uint8_t **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    while (*cap < need)
        *cap = *cap ? *cap * 2 : 4096;
    *buf = realloc(*buf, *cap);
    if (*buf == NULL)
        abort();
}

static void deliver(void *arg)
{
    struct fake_flow *f = (struct fake_flow *)arg;
    uk_flow_read_cb cb = f->rcb;
    size_t n;
    if (!f->read_pending || f->closing)
        return;
    if (f->rx_off < f->rx_len) {
        n = f->rx_len - f->rx_off;
        if (f->rx_chunk != 0 && n > f->rx_chunk)
            n = f->rx_chunk;
        f->read_pending = false;
        f->rx_off += n;
        cb(f->rarg, 0, f->rx + f->rx_off - n, n);
    } else if (f->rx_eof) {
        f->read_pending = false;
        cb(f->rarg, UK_EOF, NULL, 0);
    }
}

static int ff_read(struct uk_flow *self, uk_flow_read_cb cb, void *arg)
{
    struct fake_flow *f = FF(self);
    if (f->closing)
        return UK_ECLOSED;
    if (f->read_pending)
        return UK_EBUSY;
    f->read_pending = true;
    f->rcb = cb;
    f->rarg = arg;
    uk_time_defer(f->time, &f->rtimer, deliver, f);
    return 0;
}

static void write_done(void *arg)
{
    struct fake_flow *f = (struct fake_flow *)arg;
    size_t n = 0;
    int i;
    if (!f->write_pending || f->closing)
        return;
    /* copy now: the bytes are borrowed until the callback */
    for (i = 0; i < f->wcnt; i++) {
        grow(&f->tx, &f->tx_cap, f->tx_len + f->wiov[i].len);
        memcpy(f->tx + f->tx_len, f->wiov[i].base, f->wiov[i].len);
        f->tx_len += f->wiov[i].len;
        n += f->wiov[i].len;
    }
    f->write_pending = false;
    f->wcb(f->warg, 0, n);
}

static int ff_writev(struct uk_flow *self, const struct uk_iov *iov, int cnt,
                     uk_flow_write_cb cb, void *arg)
{
    struct fake_flow *f = FF(self);
    if (f->closing)
        return UK_ECLOSED;
    if (f->write_pending)
        return UK_EBUSY;
    if (cnt < 1 || cnt > UK_IOV_MAX)
        return UK_EINVAL;
    if (f->enomem_writes > 0) { /* no send buffer now: nothing queued */
        f->enomem_writes--;
        return UK_ENOMEM;
    }
    memcpy(f->wiov, iov, sizeof *iov * (size_t)cnt);
    f->wcnt = cnt;
    f->wcb = cb;
    f->warg = arg;
    f->write_pending = true;
    f->writevs++;
    if (!f->hold_writes)
        uk_time_defer(f->time, &f->wtimer, write_done, f);
    return 0;
}

static void close_done(void *arg)
{
    struct fake_flow *f = (struct fake_flow *)arg;
    if (f->read_pending) {
        f->read_pending = false;
        f->rcb(f->rarg, UK_ECANCELED, NULL, 0);
    }
    if (f->write_pending) {
        f->write_pending = false;
        f->wcb(f->warg, UK_ECANCELED, 0);
    }
    f->closed = true;
    if (f->ccb != NULL)
        f->ccb(f->carg);
}

static int ff_close(struct uk_flow *self, uk_done_cb cb, void *arg)
{
    struct fake_flow *f = FF(self);
    if (f->closing)
        return UK_ECLOSED;
    f->closing = true;
    f->ccb = cb;
    f->carg = arg;
    uk_time_cancel(f->time, &f->rtimer);
    uk_time_cancel(f->time, &f->wtimer);
    uk_time_defer(f->time, &f->ctimer, close_done, f);
    return 0;
}

static int ff_abort(struct uk_flow *self, uk_done_cb cb, void *arg)
{
    int r = ff_close(self, cb, arg);
    if (r == 0)
        FF(self)->aborted = true;
    return r;
}

static int ff_endpoints(struct uk_flow *self, struct uk_ipv4_ep *l,
                        struct uk_ipv4_ep *r)
{
    UK_UNUSED(self);
    l->addr = uk_ipv4(10, 0, 0, 1);
    l->port = 80;
    r->addr = uk_ipv4(10, 0, 0, 2);
    r->port = 1234;
    return 0;
}

static int ff_shutdown(struct uk_flow *self)
{
    struct fake_flow *f = FF(self);
    if (f->closing)
        return UK_ECLOSED;
    if (!f->shut_ok)
        return UK_ENOTSUP;
    f->shut = true;
    return 0;
}

static const struct uk_flow_ops flow_ops = {
    .read = ff_read,
    .writev = ff_writev,
    .shutdown = ff_shutdown,
    .close = ff_close,
    .abort = ff_abort,
    .endpoints = ff_endpoints,
};

void fake_flow_init(struct fake_flow *f, struct uk_time *time)
{
    memset(f, 0, sizeof *f);
    f->flow.ops = &flow_ops;
    f->time = time;
}

void fake_flow_push(struct fake_flow *f, const void *data, size_t len)
{
    grow(&f->rx, &f->rx_cap, f->rx_len + len);
    memcpy(f->rx + f->rx_len, data, len);
    f->rx_len += len;
    if (f->read_pending && !uk_timer_is_armed(&f->rtimer))
        uk_time_defer(f->time, &f->rtimer, deliver, f);
}

void fake_flow_push_str(struct fake_flow *f, const char *s)
{
    fake_flow_push(f, s, strlen(s));
}

void fake_flow_eof(struct fake_flow *f)
{
    f->rx_eof = true;
    if (f->read_pending && !uk_timer_is_armed(&f->rtimer))
        uk_time_defer(f->time, &f->rtimer, deliver, f);
}

void fake_flow_release(struct fake_flow *f)
{
    if (f->write_pending)
        uk_time_defer(f->time, &f->wtimer, write_done, f);
}

void fake_flow_free(struct fake_flow *f)
{
    free(f->rx);
    free(f->tx);
    f->rx = f->tx = NULL;
}

/* ---- kv ---- */

#define KV(self) ((struct fake_kv *)(void *)(self))

static const struct fake_file *lookup(struct fake_kv *kv, const char *key)
{
    size_t i;
    for (i = 0; i < kv->nfiles; i++)
        if (strcmp(kv->files[i].key, key) == 0)
            return &kv->files[i];
    return NULL;
}

static const char *kv_id(struct uk_kv_ro *self)
{
    UK_UNUSED(self);
    return "fake-kv";
}

static void kv_disconnect(struct uk_kv_ro *self, uk_done_cb cb, void *arg)
{
    UK_UNUSED(self);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
}

static int kv_stat(struct uk_kv_ro *self, const char *key,
                   struct uk_kv_stat *out)
{
    const struct fake_file *f;
    int r = uk_kv_key_check(key);
    size_t i;
    if (r != 0)
        return r;
    if ((f = lookup(KV(self), key)) == NULL)
        return UK_ENOENT;
    memset(out, 0, sizeof *out);
    out->kind = f->data != NULL ? UK_KV_FILE : UK_KV_DIR;
    out->size = f->data != NULL ? f->size : 0;
    out->mtime_s = 784111777;
    for (i = 0; key[i] != '\0'; i++)
        out->digest[i % UK_KV_DIGEST_LEN] ^= (uint8_t)key[i];
    return 0;
}

static int kv_read(struct uk_kv_ro *self, const char *key, uint64_t off,
                   void *buf, size_t len, size_t *got)
{
    const struct fake_file *f;
    int r = uk_kv_key_check(key);
    if (r != 0)
        return r;
    if ((f = lookup(KV(self), key)) == NULL)
        return UK_ENOENT;
    if (f->data == NULL)
        return UK_EISDIR;
    KV(self)->reads++;
    *got = off >= f->size ? 0 : (f->size - off < len ? f->size - off : len);
    memcpy(buf, f->data + off, *got);
    return 0;
}

static int kv_list(struct uk_kv_ro *self, const char *dir, size_t index,
                   struct uk_kv_entry *out)
{
    UK_UNUSED(self);
    UK_UNUSED(dir);
    UK_UNUSED(index);
    UK_UNUSED(out);
    return UK_ENOENT;
}

static int kv_map(struct uk_kv_ro *self, const char *key, uint64_t off,
                  const void **data, size_t *len)
{
    const struct fake_file *f = lookup(KV(self), key);
    if (f == NULL)
        return UK_ENOENT;
    if (f->data == NULL)
        return UK_EISDIR;
    KV(self)->maps++;
    *data = f->data + off;
    *len = f->size - off;
    return 0;
}

static const struct uk_kv_ro_ops kv_ops = {kv_id,   kv_disconnect, kv_stat,
                                           kv_read, kv_list,       NULL};
static const struct uk_kv_ro_ops kv_map_ops = {kv_id,   kv_disconnect, kv_stat,
                                               kv_read, kv_list,       kv_map};

void fake_kv_init(struct fake_kv *kv, const struct fake_file *files, size_t n,
                  bool with_map)
{
    memset(kv, 0, sizeof *kv);
    kv->kv.ops = with_map ? &kv_map_ops : &kv_ops;
    kv->files = files;
    kv->nfiles = n;
}

/* ---- loop ---- */

void fake_drain(struct uk_loop *loop)
{
    int guard = 0;
    while (loop->defer_first != NULL) {
        uk_loop_run_once(loop, false);
        if (++guard > 10000000)
            abort();
    }
}

void fake_advance(struct uk_loop *loop, struct fake_clock *c, uint64_t ns)
{
    c->mono += ns;
    uk_loop_run_once(loop, false);
    fake_drain(loop);
}
