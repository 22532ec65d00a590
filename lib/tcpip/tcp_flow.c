/*
 * tcp_flow.c - a connection as a FLOW (uk/flow.h): pull reads lent from
 * the receive ring, writes copied into the send ring as it drains,
 * shutdown, close, abort, options, endpoints.  Every application callback
 * is delivered from tcp_notify, a deferred call per connection, so none
 * runs inside the call that started it.
 */
#include "tcp_internal.h"

static struct uk_tcpip_tcp_conn *from_flow(struct uk_flow *f)
{
    return UK_CONTAINER_OF(f, struct uk_tcpip_tcp_conn, flow);
}

static void notify_cb(struct uk_tcpip_tcp_conn *c);

/* Delivers the events of every connection on the notify list as it
 * stands; those that become due meanwhile wait for the next call. */
static void notify_all(void *arg)
{
    struct uk_tcpip_tcpv4 *t = (struct uk_tcpip_tcpv4 *)arg;
    struct uk_tcpip_tcp_conn *c = t->nfirst, *next;
    t->nfirst = t->nlast = NULL;
    for (; c != NULL; c = next) {
        /* still queued, c is not freed by what the callbacks do */
        next = c->nnext;
        c->nnext = NULL;
        c->notify_queued = false;
        notify_cb(c);
    }
}

void uk__tcp_notify(struct uk_tcpip_tcp_conn *c, uint32_t ev)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    c->events |= ev;
    if (c->notify_queued)
        return;
    c->notify_queued = true;
    c->nnext = NULL;
    if (t->nlast != NULL)
        t->nlast->nnext = c;
    else
        t->nfirst = c;
    t->nlast = c;
    if (!uk_timer_is_armed(&t->notify_timer))
        uk_time_defer(t->time, &t->notify_timer, notify_all, t);
}

void uk__tcp_notify_cancel(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    struct uk_tcpip_tcp_conn **pp, *prev = NULL;
    c->events = 0;
    if (!c->notify_queued)
        return;
    for (pp = &t->nfirst; *pp != c; pp = &(*pp)->nnext)
        prev = *pp;
    *pp = c->nnext;
    if (t->nlast == c)
        t->nlast = prev;
    c->nnext = NULL;
    c->notify_queued = false;
}

/* In-order bytes waiting to be read (the FIN takes a sequence number but
 * no byte). */
static uint32_t readable(const struct uk_tcpip_tcp_conn *c)
{
    return c->rcv_nxt - c->read_seq - (c->rcv_fin ? 1u : 0u);
}

static void queue_fin(struct uk_tcpip_tcp_conn *c)
{
    if (c->fin_queued)
        return;
    if (c->state == TCP_ESTABLISHED)
        c->state = TCP_FIN_WAIT_1;
    else if (c->state == TCP_CLOSE_WAIT)
        c->state = TCP_LAST_ACK;
    else
        return;
    c->fin_queued = true;
    c->fin_seq = c->snd_una + (uint32_t)c->slen;
    uk__tcp_output(c);
}

/* Copies what fits of the pending write's next iovec into the send ring;
 * false when nothing did (the ring is full). */
static bool fill_one(struct uk_tcpip_tcp_conn *c)
{
    const struct uk_iov *v = &c->wiov[c->wi];
    size_t tail = (c->shead + c->slen) % c->ssize;
    size_t n = v->len - c->woff;
    if (c->slen == c->ssize && v->len > 0)
        return false;
    if (n > c->ssize - c->slen)
        n = c->ssize - c->slen;
    if (n > c->ssize - tail)
        n = c->ssize - tail;
    if (n > 0)
        memcpy(c->sbuf + tail, (const uint8_t *)v->base + c->woff, n);
    c->slen += n;
    c->woff += n;
    c->wdone += n;
    if (c->woff == v->len) {
        c->wi++;
        c->woff = 0;
    }
    return true;
}

void uk__tcp_fill_send(struct uk_tcpip_tcp_conn *c)
{
    if (c->write_cb == NULL || c->write_status != 0 ||
        c->wi == c->wiovcnt || c->sbuf == NULL)
        return;
    while (c->wi < c->wiovcnt) {
        size_t was = c->ssize;
        if (fill_one(c))
            continue;
        uk__tcp_sring_maybe_grow(c); /* more waits than fits */
        if (c->ssize == was)
            break;
    }
    if (c->wi == c->wiovcnt) {
        uk__tcp_notify(c, EV_WRITE);
        if (c->shut)
            queue_fin(c);
    }
}

/* After the application consumed data: announce a window that grew. */
static void window_update(struct uk_tcpip_tcp_conn *c)
{
    uint32_t edge, thresh;
    if (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
        c->state != TCP_FIN_WAIT_2)
        return;
    thresh = tcp_min32((uint32_t)c->rsize / 2, c->rmss ? c->rmss : 536);
    edge = c->rcv_nxt + ((uint32_t)uk__tcp_rcv_window(c) << c->rcv_ws);
    if (SEQ_GT(edge, c->rcv_adv) && edge - c->rcv_adv >= thresh)
        uk__tcp_send_ack(c);
}

static void deliver_read(struct uk_tcpip_tcp_conn *c)
{
    uk_flow_read_cb cb = c->read_cb;
    void *arg = c->read_arg;
    uint32_t n = readable(c), before = n;
    if (cb == NULL)
        return;
    if (c->app == APP_CLOSING) {
        c->read_cb = NULL;
        cb(arg, UK_ECANCELED, NULL, 0);
    } else if (c->err < 0) {
        c->read_cb = NULL;
        cb(arg, c->err, NULL, 0);
    } else if (n > 0) {
        if (n > c->rsize - c->rhead)
            n = (uint32_t)(c->rsize - c->rhead);
        if (n > UK_FLOW_READ_MAX)
            n = UK_FLOW_READ_MAX;
        c->read_cb = NULL;
        cb(arg, 0, c->rbuf + c->rhead, n);
        c->rhead = (c->rhead + n) % c->rsize;
        c->read_seq += n;
        if (c->read_seq == c->rcv_nxt && c->nooo == 0)
            c->rhead = 0; /* empty: restart at the ring's (cached) start */
        uk__tcp_rring_after_read(c, before);
        window_update(c);
    } else if (c->rcv_fin) {
        c->read_cb = NULL;
        cb(arg, UK_EOF, NULL, 0);
    } else if (c->state == TCP_CLOSED) {
        c->read_cb = NULL;
        cb(arg, UK_ECONNRESET, NULL, 0);
    }
}

static void deliver_write(struct uk_tcpip_tcp_conn *c)
{
    uk_flow_write_cb cb = c->write_cb;
    void *arg = c->write_arg;
    int status;
    if (cb == NULL)
        return;
    if (c->app == APP_CLOSING && c->wi < c->wiovcnt)
        status = UK_ECANCELED;
    else if (c->wi == c->wiovcnt)
        status = 0;
    else if (c->write_status != 0)
        status = c->write_status;
    else if (c->err < 0)
        status = c->err;
    else if (c->state == TCP_CLOSED)
        status = UK_ECONNRESET;
    else
        return;
    c->write_cb = NULL;
    cb(arg, status, c->wdone);
}

static void notify_cb(struct uk_tcpip_tcp_conn *c)
{
    uint32_t ev = c->events;
    c->events = 0;
    if ((ev & EV_CONNECT) && c->app == APP_CONNECTING) {
        uk_tcpv4_connect_cb cb = c->connect_cb;
        if (c->state != TCP_CLOSED && c->state != TCP_SYN_SENT &&
            c->state != TCP_SYN_RCVD) {
            c->app = APP_OPEN;
            cb(c->connect_arg, 0, &c->flow);
        } else {
            c->app = APP_NONE;
            c->events = 0;
            cb(c->connect_arg, c->err < 0 ? c->err : UK_ETIMEDOUT, NULL);
            uk__tcp_conn_maybe_free(c);
            return;
        }
    }
    if (c->app == APP_OPEN || c->app == APP_CLOSING) {
        deliver_read(c);
        deliver_write(c);
    }
    if (c->app == APP_CLOSING && c->read_cb == NULL && c->write_cb == NULL &&
        !(c->events & (EV_READ | EV_WRITE))) {
        uk_done_cb cb = c->close_cb;
        c->app = APP_ORPHAN;
        if (cb != NULL)
            cb(c->close_arg);
        c->events = 0;
        uk__tcp_conn_maybe_free(c);
    }
}

static int tcp_read(struct uk_flow *self, uk_flow_read_cb cb, void *arg)
{
    struct uk_tcpip_tcp_conn *c = from_flow(self);
    if (c->app != APP_OPEN)
        return UK_ECLOSED;
    if (c->read_cb != NULL)
        return UK_EBUSY;
    c->read_cb = cb;
    c->read_arg = arg;
    uk__tcp_notify(c, EV_READ);
    return 0;
}

static int tcp_writev(struct uk_flow *self, const struct uk_iov *iov,
                      int iovcnt, uk_flow_write_cb cb, void *arg)
{
    struct uk_tcpip_tcp_conn *c = from_flow(self);
    bool dead;
    int i;
    if (c->app != APP_OPEN)
        return UK_ECLOSED;
    if (iovcnt < 1 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    if (c->write_cb != NULL)
        return UK_EBUSY;
    if (c->shut)
        return UK_EPIPE;
    dead = c->err < 0 || c->state == TCP_CLOSED;
    if (!dead && uk__tcp_sring_need(c) != 0)
        return UK_ENOMEM;
    for (i = 0; i < iovcnt; i++)
        c->wiov[i] = iov[i];
    c->wiovcnt = iovcnt;
    c->wi = 0;
    c->woff = c->wdone = 0;
    c->write_cb = cb;
    c->write_arg = arg;
    c->write_status = 0;
    if (dead) {
        c->write_status = c->err < 0 ? c->err : UK_ECONNRESET;
        uk__tcp_notify(c, EV_WRITE);
        return 0;
    }
    uk__tcp_fill_send(c);
    uk__tcp_output(c);
    return 0;
}

static int tcp_shutdown(struct uk_flow *self)
{
    struct uk_tcpip_tcp_conn *c = from_flow(self);
    if (c->app != APP_OPEN)
        return UK_ECLOSED;
    if (c->shut)
        return 0;
    c->shut = true;
    if (c->write_cb == NULL || c->wi == c->wiovcnt)
        queue_fin(c);
    return 0;
}

static void start_close(struct uk_tcpip_tcp_conn *c, uk_done_cb cb,
                        void *arg)
{
    c->app = APP_CLOSING;
    c->closed_by_app = true;
    c->close_cb = cb;
    c->close_arg = arg;
    if (c->write_cb != NULL && c->wi < c->wiovcnt)
        c->write_status = UK_ECANCELED;
    uk__tcp_notify(c, EV_CLOSE | EV_READ | EV_WRITE);
}

static int tcp_close(struct uk_flow *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_tcp_conn *c = from_flow(self);
    if (c->app != APP_OPEN)
        return UK_ECLOSED;
    start_close(c, cb, arg);
    if (c->state == TCP_CLOSED || c->state == TCP_TIME_WAIT)
        return 0;
    if (readable(c) > 0) { /* unread data: reset (RFC 9293 3.10.4) */
        uk__tcp_send_ctl(c, TH_RST | TH_ACK, c->snd_max);
        uk__tcp_drop(c, UK_ECONNRESET);
        return 0;
    }
    c->shut = true;
    queue_fin(c);
    if (c->state == TCP_FIN_WAIT_2) {
        c->t_keep = tcp_now(c->tcp) + c->tcp->cfg.fin_wait2_ns;
        uk__tcp_timer_update(c);
    }
    return 0;
}

static int tcp_abort(struct uk_flow *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_tcp_conn *c = from_flow(self);
    if (c->app != APP_OPEN)
        return UK_ECLOSED;
    start_close(c, cb, arg);
    if (c->state != TCP_CLOSED && c->state != TCP_TIME_WAIT)
        uk__tcp_send_ctl(c, TH_RST | TH_ACK, c->snd_max);
    uk__tcp_drop(c, UK_ECONNABORTED);
    return 0;
}

static int tcp_set_option(struct uk_flow *self, enum uk_flow_option opt,
                          int value)
{
    struct uk_tcpip_tcp_conn *c = from_flow(self);
    if (c->app != APP_OPEN)
        return UK_ECLOSED;
    switch (opt) {
    case UK_FLOW_NODELAY:
        if (value != 0 && value != 1)
            return UK_EINVAL;
        c->nodelay = value != 0;
        if (c->nodelay)
            uk__tcp_output(c);
        return 0;
    case UK_FLOW_KEEPALIVE:
        if (value < 0 || value > 86400 * 365)
            return UK_EINVAL;
        c->keepalive_ns = (uint64_t)value * UK_NS_PER_S;
        if (c->keepalive_ns > 0 && (c->state == TCP_ESTABLISHED ||
                                    c->state == TCP_CLOSE_WAIT)) {
            c->t_keep = c->idle_since + c->keepalive_ns;
            uk__tcp_timer_update(c);
        }
        return 0;
    default:
        return UK_EINVAL;
    }
}

static int tcp_endpoints(struct uk_flow *self, struct uk_ipv4_ep *local,
                         struct uk_ipv4_ep *remote)
{
    struct uk_tcpip_tcp_conn *c = from_flow(self);
    if (local != NULL) {
        local->addr = c->lip;
        local->port = c->lport;
    }
    if (remote != NULL) {
        remote->addr = c->rip;
        remote->port = c->rport;
    }
    return 0;
}

const struct uk_flow_ops uk__tcp_flow_ops = {
    .read = tcp_read,
    .writev = tcp_writev,
    .shutdown = tcp_shutdown,
    .close = tcp_close,
    .abort = tcp_abort,
    .set_option = tcp_set_option,
    .endpoints = tcp_endpoints,
};
