/*
 * flow.c - TCP connections of the kernel-socket stack as uk_flow objects
 * (uk/flow.h).
 *
 * Reads are pulled: the socket is polled for input only while a read is
 * pending (the READABLE interest is dropped at the first wake-up with no
 * read pending), so the kernel's receive window closes on a slow reader.
 * Writes go to the socket at once; what does not fit waits for WRITABLE,
 * sent from the caller's memory (borrowed until the write callback).
 * Completions that happen inside a call are deferred with uk_time_defer.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sock.h"

#define FLOW(self) UK_CONTAINER_OF(self, struct uk__sock_flow, flow)

static struct uk_time *tm(void)
{
    return uk_default_time();
}

/* Adds or drops interest in events, keeping the others. */
static void interest(struct uk__sock_flow *f, uint32_t add, uint32_t drop)
{
    uint32_t ev = (f->src.events | add) & ~drop;
    if (f->src.watched && ev != f->src.events)
        uk_unix_modify(&f->src, ev);
}

/* ---- read ---- */

static void do_read(struct uk__sock_flow *f)
{
    static char buf[UK_UNIX_READ_MAX];
    ssize_t n;
    int status = 0;
    do
        n = recv(f->fd, buf, sizeof buf, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n == 0) {
        status = UK_EOF;
    } else if (n < 0) {
        status = errno == EPIPE ? UK_ECONNRESET : uk_unix_error(errno);
        n = 0;
    }
    f->rpending = false;
    /* READABLE stays armed: a reader that asks again at once saves two
     * epoll_ctl calls; the next idle wake-up drops it. */
    f->rcb(f->rarg, status, buf, (size_t)n);
}

static int flow_read(struct uk_flow *self, uk_flow_read_cb cb, void *arg)
{
    struct uk__sock_flow *f = FLOW(self);
    if (f->state == UK__FLOW_CLOSING)
        return UK_ECLOSED;
    if (f->rpending)
        return UK_EBUSY;
    f->rcb = cb;
    f->rarg = arg;
    f->rpending = true;
    interest(f, UK_UNIX_READABLE, 0);
    return 0;
}

/* ---- write ---- */

/* All bytes are in the kernel (or the write failed): a shutdown asked for
 * meanwhile can go out now. */
static void write_ended(struct uk__sock_flow *f, int status)
{
    f->wstatus = status;
    f->w.cnt = 0;
    if (f->shut_wanted && status == 0 && !f->wr_shut) {
        shutdown(f->fd, SHUT_WR);
        f->wr_shut = true;
    }
}

static void write_complete(struct uk__sock_flow *f)
{
    f->wpending = false;
    f->wcb(f->warg, f->wstatus, f->w.done);
}

static void write_deferred(void *arg)
{
    write_complete(arg);
}

static void do_write(struct uk__sock_flow *f)
{
    int rc = uk_unix_gather_write(&f->w, f->fd, true);
    if (rc == UK_EAGAIN)
        return;
    interest(f, 0, UK_UNIX_WRITABLE);
    write_ended(f, rc);
    write_complete(f);
}

static int flow_writev(struct uk_flow *self, const struct uk_iov *iov,
                       int iovcnt, uk_flow_write_cb cb, void *arg)
{
    struct uk__sock_flow *f = FLOW(self);
    int rc;
    if (f->state == UK__FLOW_CLOSING)
        return UK_ECLOSED;
    if (f->wpending)
        return UK_EBUSY;
    if (iovcnt < 1 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    if (f->wr_shut || f->shut_wanted)
        return UK_EPIPE;
    uk_unix_gather_start(&f->w, iov, iovcnt);
    f->wcb = cb;
    f->warg = arg;
    f->wpending = true;
    rc = uk_unix_gather_write(&f->w, f->fd, true);
    if (rc == UK_EAGAIN) {
        interest(f, UK_UNIX_WRITABLE, 0);
    } else {
        write_ended(f, rc);
        uk_time_defer(tm(), &f->wtimer, write_deferred, f);
    }
    return 0;
}

static int flow_shutdown(struct uk_flow *self)
{
    struct uk__sock_flow *f = FLOW(self);
    if (f->state == UK__FLOW_CLOSING)
        return UK_ECLOSED;
    if (f->wpending && f->w.cnt > 0) {
        f->shut_wanted = true; /* after the queued bytes */
    } else if (!f->wr_shut) {
        shutdown(f->fd, SHUT_WR);
        f->wr_shut = true;
    }
    return 0;
}

/* ---- events ---- */

static void connected(struct uk__sock_flow *f, int status);

static void flow_ready(struct uk_unix_source *src, uint32_t ev)
{
    struct uk__sock_flow *f = UK_CONTAINER_OF(src, struct uk__sock_flow, src);
    if (f->state == UK__FLOW_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
            err = errno;
        connected(f, err != 0 ? uk_unix_error(err) : 0);
        return;
    }
    if ((ev & (UK_UNIX_WRITABLE | UK_UNIX_HANGUP)) && f->wpending &&
        f->w.cnt > 0)
        do_write(f);
    if (f->state == UK__FLOW_CLOSING || !(ev & (UK_UNIX_READABLE | UK_UNIX_HANGUP)))
        return;
    if (f->rpending)
        do_read(f);
    else
        interest(f, 0, UK_UNIX_READABLE); /* nobody asked: back-pressure */
}

/* ---- connect ---- */

static void unlink_connecting(struct uk__sock_flow *f)
{
    if (f->cprev != NULL)
        f->cprev->cnext = f->cnext;
    else if (f->layer->connecting == f)
        f->layer->connecting = f->cnext;
    if (f->cnext != NULL)
        f->cnext->cprev = f->cprev;
    f->cnext = f->cprev = NULL;
}

/* Ends a connect attempt: the flow becomes open, or is freed. */
static void connected(struct uk__sock_flow *f, int status)
{
    uk_tcpv4_connect_cb cb = f->ccb;
    void *arg = f->carg;
    uk_time_cancel(tm(), &f->ctimer);
    unlink_connecting(f);
    if (status != 0) {
        uk_unix_unwatch(&f->src);
        close(f->fd);
        f->layer->nflows--;
        free(f);
        cb(arg, status, NULL);
        return;
    }
    f->state = UK__FLOW_OPEN;
    interest(f, 0, UK_UNIX_WRITABLE);
    cb(arg, 0, &f->flow);
}

static void connected_deferred(void *arg)
{
    struct uk__sock_flow *f = arg;
    connected(f, f->cstatus);
}

void uk__sock_flow_connect_later(struct uk__sock_flow *f, int status)
{
    f->cstatus = status;
    uk_time_defer(tm(), &f->ctimer, connected_deferred, f);
}

void uk__sock_flow_connect_cancel(struct uk__sock_flow *f)
{
    struct linger lg = {1, 0};
    uk_time_cancel(tm(), &f->ctimer);
    unlink_connecting(f);
    uk_unix_unwatch(&f->src);
    /* a connect that completed is reset; one in progress just goes */
    setsockopt(f->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(f->fd);
    f->layer->nflows--;
    free(f);
}

/* ---- close ---- */

static void closed_deferred(void *arg)
{
    struct uk__sock_flow *f = arg;
    uk_done_cb cb = f->closecb;
    void *cbarg = f->closearg;
    free(f);
    if (cb != NULL)
        cb(cbarg);
}

static void read_cancel(void *arg)
{
    struct uk__sock_flow *f = arg;
    f->rpending = false;
    f->rcb(f->rarg, UK_ECANCELED, NULL, 0);
}

static int end_flow(struct uk__sock_flow *f, bool reset, uk_done_cb cb,
                    void *arg)
{
    if (f->state == UK__FLOW_CLOSING)
        return UK_ECLOSED;
    f->state = UK__FLOW_CLOSING;
    f->closecb = cb;
    f->closearg = arg;
    uk_unix_unwatch(&f->src);
    if (reset) {
        struct linger lg;
        lg.l_onoff = 1;
        lg.l_linger = 0;
        setsockopt(f->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(f->fd);
    f->fd = -1;
    f->layer->nflows--;
    /* Deferred calls run in FIFO order, so the close callback comes last.
     * A write whose completion was already deferred keeps its place (before
     * the read's cancel) and its status 0: its bytes were accepted. */
    if (f->rpending)
        uk_time_defer(tm(), &f->rtimer, read_cancel, f);
    if (f->wpending && !uk_timer_is_armed(&f->wtimer)) {
        f->wstatus = UK_ECANCELED;
        f->w.cnt = 0;
        uk_time_defer(tm(), &f->wtimer, write_deferred, f);
    }
    uk_time_defer(tm(), &f->ctimer, closed_deferred, f);
    return 0;
}

static int flow_close(struct uk_flow *self, uk_done_cb cb, void *arg)
{
    return end_flow(FLOW(self), false, cb, arg);
}

static int flow_abort(struct uk_flow *self, uk_done_cb cb, void *arg)
{
    return end_flow(FLOW(self), true, cb, arg);
}

/* ---- options, endpoints ---- */

static int flow_set_option(struct uk_flow *self, enum uk_flow_option opt,
                           int value)
{
    struct uk__sock_flow *f = FLOW(self);
    int on = value != 0;
    if (f->state == UK__FLOW_CLOSING)
        return UK_ECLOSED;
    if (value < 0)
        return UK_EINVAL;
    switch (opt) {
    case UK_FLOW_NODELAY:
        if (value > 1)
            return UK_EINVAL;
        if (setsockopt(f->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0)
            return uk_unix_error(errno);
        return 0;
    case UK_FLOW_KEEPALIVE:
        if (setsockopt(f->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0)
            return uk_unix_error(errno);
        if (on && setsockopt(f->fd, IPPROTO_TCP, TCP_KEEPIDLE, &value,
                             sizeof value) < 0)
            return UK_EINVAL;
        return 0;
    }
    return UK_EINVAL;
}

static int flow_endpoints(struct uk_flow *self, struct uk_ipv4_ep *local,
                          struct uk_ipv4_ep *remote)
{
    struct uk__sock_flow *f = FLOW(self);
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    if (f->state == UK__FLOW_CLOSING)
        return UK_ECLOSED;
    if (local != NULL) {
        if (getsockname(f->fd, (struct sockaddr *)&sa, &len) < 0)
            return uk_unix_error(errno);
        uk__sock_ep(&sa, local);
    }
    len = sizeof sa;
    if (remote != NULL) {
        if (getpeername(f->fd, (struct sockaddr *)&sa, &len) < 0)
            return uk_unix_error(errno);
        uk__sock_ep(&sa, remote);
    }
    return 0;
}

static const struct uk_flow_ops flow_ops = {
    .read = flow_read,
    .writev = flow_writev,
    .shutdown = flow_shutdown,
    .close = flow_close,
    .abort = flow_abort,
    .set_option = flow_set_option,
    .endpoints = flow_endpoints,
};

struct uk__sock_flow *uk__sock_flow_new(struct uk__sock_tcp *layer, int fd,
                                        int state)
{
    struct uk__sock_flow *f = calloc(1, sizeof *f);
    uint32_t ev = state == UK__FLOW_CONNECTING ? UK_UNIX_WRITABLE : 0;
    if (f == NULL || uk_unix_watch(&f->src, fd, ev, flow_ready) != 0) {
        free(f);
        close(fd);
        return NULL;
    }
    f->flow.ops = &flow_ops;
    f->layer = layer;
    f->fd = fd;
    f->state = state;
    layer->nflows++;
    return f;
}
