/*
 * pipe.c - the in-process flow pair of pipe.h.
 */
#include <string.h>

#include "pipe.h"

static void step(void *arg);

static void kick(struct pipe_end *e)
{
    if (!uk_timer_is_armed(&e->t))
        uk_time_defer(e->time, &e->t, step, e);
}

/* Moves what fits of e's pending write into the peer's buffer. */
static bool move_write(struct pipe_end *e)
{
    struct pipe_end *p = e->peer;
    bool moved = false;
    while (e->wi < e->wcnt) {
        const struct uk_iov *v = &e->wiov[e->wi];
        size_t n = v->len - e->woff, room = PIPE_CAP - p->in_len;
        if (p->closed) /* nobody reads: bytes vanish, as into a reset */
            room = n;
        if (n > room)
            n = room;
        if (n == 0 && v->len != e->woff)
            break;
        if (!p->closed)
            memcpy(p->in + p->in_len, (const uint8_t *)v->base + e->woff, n);
        if (!p->closed)
            p->in_len += n;
        e->woff += n;
        moved = moved || n > 0;
        if (e->woff == v->len) {
            e->wi++;
            e->woff = 0;
        }
    }
    return moved;
}

static void step(void *arg)
{
    struct pipe_end *e = arg;
    if (e->closed) {
        if (e->rpending) {
            e->rpending = false;
            e->rcb(e->rarg, UK_ECANCELED, NULL, 0);
        }
        if (e->wpending) {
            e->wpending = false;
            e->wcb(e->warg, UK_ECANCELED, 0);
        }
        if (!e->close_done) {
            e->close_done = true;
            if (e->ccb != NULL)
                e->ccb(e->carg);
        }
        return;
    }
    if (e->wpending) {
        if (move_write(e))
            kick(e->peer);
        if (e->wi == e->wcnt) {
            e->wpending = false;
            e->writes++;
            e->wcb(e->warg, 0, e->wtotal);
            if (e->closed)
                return;
        }
    }
    if (e->rpending && e->in_len > 0) {
        static uint8_t tmp[UK_FLOW_READ_MAX];
        size_t n = e->in_len;
        if (e->chunk != 0 && n > e->chunk)
            n = e->chunk;
        if (n > UK_FLOW_READ_MAX)
            n = UK_FLOW_READ_MAX;
        memcpy(tmp, e->in, n);
        memmove(e->in, e->in + n, e->in_len - n);
        e->in_len -= n;
        e->rpending = false;
        e->reads++;
        kick(e->peer); /* room for its pending write */
        e->rcb(e->rarg, 0, tmp, n);
    } else if (e->rpending && e->eof_in) {
        e->rpending = false;
        e->rcb(e->rarg, UK_EOF, NULL, 0);
    }
}

static int p_read(struct uk_flow *f, uk_flow_read_cb cb, void *arg)
{
    struct pipe_end *e = UK_CONTAINER_OF(f, struct pipe_end, flow);
    if (e->closed)
        return UK_ECLOSED;
    if (e->rpending)
        return UK_EBUSY;
    e->rpending = true;
    e->rcb = cb;
    e->rarg = arg;
    kick(e);
    return 0;
}

static int p_writev(struct uk_flow *f, const struct uk_iov *iov, int cnt,
                    uk_flow_write_cb cb, void *arg)
{
    struct pipe_end *e = UK_CONTAINER_OF(f, struct pipe_end, flow);
    if (e->closed)
        return UK_ECLOSED;
    if (e->wpending)
        return UK_EBUSY;
    if (cnt < 1 || cnt > UK_IOV_MAX)
        return UK_EINVAL;
    memcpy(e->wiov, iov, sizeof *iov * (size_t)cnt);
    e->wcnt = cnt;
    e->wi = 0;
    e->woff = 0;
    e->wtotal = uk_iov_total(iov, cnt);
    e->wpending = true;
    e->wcb = cb;
    e->warg = arg;
    kick(e);
    return 0;
}

static int p_close(struct uk_flow *f, uk_done_cb cb, void *arg)
{
    struct pipe_end *e = UK_CONTAINER_OF(f, struct pipe_end, flow);
    if (e->closed)
        return UK_ECLOSED;
    if (e->wpending && move_write(e))
        kick(e->peer); /* graceful: what fits is still delivered */
    e->closed = true;
    e->ccb = cb;
    e->carg = arg;
    e->peer->eof_in = true;
    kick(e->peer);
    kick(e);
    return 0;
}

static int p_endpoints(struct uk_flow *f, struct uk_ipv4_ep *local,
                       struct uk_ipv4_ep *remote)
{
    (void)f;
    if (local != NULL) {
        local->addr = uk_ipv4(127, 0, 0, 1);
        local->port = 6633;
    }
    if (remote != NULL) {
        remote->addr = uk_ipv4(127, 0, 0, 2);
        remote->port = 40000;
    }
    return 0;
}

static const struct uk_flow_ops pipe_ops = {
    .read = p_read,
    .writev = p_writev,
    .close = p_close,
    .endpoints = p_endpoints,
};

static void end_init(struct pipe_end *e, struct pipe_end *peer,
                     struct uk_time *time)
{
    memset(e, 0, sizeof *e);
    e->flow.ops = &pipe_ops;
    e->peer = peer;
    e->time = time;
}

void pipe_init(struct pipe_end *a, struct pipe_end *b, struct uk_time *time)
{
    end_init(a, b, time);
    end_init(b, a, time);
}

bool pipe_inject(struct pipe_end *e, const void *data, size_t len)
{
    if (len > PIPE_CAP - e->in_len)
        return false;
    memcpy(e->in + e->in_len, data, len);
    e->in_len += len;
    kick(e);
    return true;
}

void pipe_inject_eof(struct pipe_end *e)
{
    e->eof_in = true;
    kick(e);
}

size_t pipe_take(struct pipe_end *e, void *out, size_t cap)
{
    struct pipe_end *p = e->peer;
    size_t n = p->in_len < cap ? p->in_len : cap;
    memcpy(out, p->in, n);
    memmove(p->in, p->in + n, p->in_len - n);
    p->in_len -= n;
    kick(e); /* room for e's pending write */
    return n;
}
