/*
 * tcp.c - the TCP layer of the kernel-socket stack (uk/tcpv4.h):
 * listening sockets, accept, connect, and uk_default_tcpv4.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sock.h"

#define TCP(self) UK_CONTAINER_OF(self, struct uk__sock_tcp, tcp)

#define ACCEPT_BUDGET 64 /* connections accepted per wake-up */
#define PAUSE_NS (100 * UK_NS_PER_MS)

static void listener_free(struct uk__sock_listener *l)
{
    uk_time_cancel(uk_default_time(), &l->pause);
    free(l);
}

static void resume(void *arg)
{
    struct uk__sock_listener *l = arg;
    uk_unix_modify(&l->src, UK_UNIX_READABLE);
}

/* Accepts one connection.  Returns false to stop for this wake-up. */
static bool accept_one(struct uk__sock_listener *l)
{
    struct uk__sock_tcp *t = l->layer;
    struct uk__sock_flow *f;
    int fd = accept4(l->src.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            return true;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
            errno == ENOMEM) {
            /* Out of descriptors: stop polling a while instead of
             * spinning on a connection we cannot take. */
            uk_unix_modify(&l->src, 0);
            uk_time_after(uk_default_time(), &l->pause, PAUSE_NS, resume, l);
        }
        return false;
    }
    if (t->nflows >= uk__sock_max_conns) {
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(fd); /* refused: over --max-conns */
        return true;
    }
    f = uk__sock_flow_new(t, fd, UK__FLOW_OPEN);
    if (f != NULL)
        l->cb(l->arg, &f->flow);
    return true;
}

static void listener_ready(struct uk_unix_source *src, uint32_t ev)
{
    struct uk__sock_listener *l =
        UK_CONTAINER_OF(src, struct uk__sock_listener, src);
    int i;
    UK_UNUSED(ev);
    l->dispatching = true;
    for (i = 0; i < ACCEPT_BUDGET && !l->dead; i++)
        if (!accept_one(l))
            break;
    l->dispatching = false;
    if (l->dead)
        listener_free(l);
}

static struct uk__sock_listener **find(struct uk__sock_tcp *t, uint16_t port)
{
    struct uk__sock_listener **p;
    for (p = &t->listeners; *p != NULL; p = &(*p)->next)
        if ((*p)->port == port)
            return p;
    return NULL;
}

static int tcp_listen(struct uk_tcpv4 *self, uint16_t port, int backlog,
                      uk_tcpv4_accept_cb cb, void *arg)
{
    struct uk__sock_tcp *t = TCP(self);
    struct uk__sock_listener *l;
    struct sockaddr_in sa;
    int fd, one = 1, rc;
    if (port == 0 || backlog < 0 || cb == NULL)
        return UK_EINVAL;
    if (find(t, port) != NULL)
        return UK_EADDRINUSE;
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return uk_unix_error(errno);
    /* Rebinding over TIME_WAIT leftovers; two listeners still conflict. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    uk__sock_addr(&sa, uk__sock_bind, port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        listen(fd, backlog > 0 ? backlog : 511) < 0) {
        rc = uk_unix_error(errno);
        close(fd);
        return rc;
    }
    l = calloc(1, sizeof *l);
    if (l == NULL) {
        close(fd);
        return UK_ENOMEM;
    }
    rc = uk_unix_watch(&l->src, fd, UK_UNIX_READABLE, listener_ready);
    if (rc != 0) {
        close(fd);
        free(l);
        return rc;
    }
    l->layer = t;
    l->port = port;
    l->cb = cb;
    l->arg = arg;
    l->next = t->listeners;
    t->listeners = l;
    return 0;
}

static int tcp_unlisten(struct uk_tcpv4 *self, uint16_t port)
{
    struct uk__sock_listener **p = find(TCP(self), port), *l;
    if (p == NULL)
        return UK_ENOENT;
    l = *p;
    *p = l->next;
    uk_unix_unwatch(&l->src);
    close(l->src.fd);
    l->dead = true;
    if (!l->dispatching)
        listener_free(l);
    return 0;
}

static int tcp_connect(struct uk_tcpv4 *self, const struct uk_ipv4_ep *dst,
                       uk_tcpv4_connect_cb cb, void *arg)
{
    struct uk__sock_tcp *t = TCP(self);
    struct uk__sock_flow *f;
    struct sockaddr_in sa;
    int fd, rc = 0;
    if (dst->port == 0 || dst->addr.v == 0 || cb == NULL)
        return UK_EINVAL;
    if (t->nflows >= uk__sock_max_conns)
        return UK_ELIMIT;
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno == EMFILE || errno == ENFILE ? UK_ELIMIT : UK_ENOBUFS;
    uk__sock_addr(&sa, dst->addr, dst->port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        if (errno == ENETUNREACH || errno == EAGAIN || errno == EADDRNOTAVAIL) {
            rc = errno == ENETUNREACH ? UK_ENETUNREACH : UK_ENOBUFS;
            close(fd);
            return rc;
        }
        if (errno != EINPROGRESS && errno != EINTR)
            rc = uk_unix_error(errno);
    }
    f = uk__sock_flow_new(t, fd, UK__FLOW_CONNECTING);
    if (f == NULL)
        return UK_ENOBUFS;
    f->ccb = cb;
    f->carg = arg;
    f->cnext = t->connecting;
    if (t->connecting != NULL)
        t->connecting->cprev = f;
    t->connecting = f;
    if (rc != 0) { /* refused at once: still reported through cb */
        uk_unix_modify(&f->src, 0);
        uk__sock_flow_connect_later(f, rc);
    }
    return 0;
}

/* Closing a socket whose connect has not completed deletes it without a
 * word to the peer (RFC 9293 3.10.4; the kernel answers a late SYN-ACK
 * with a RST); one that completed unnoticed is reset. */
static int tcp_connect_cancel(struct uk_tcpv4 *self, uk_tcpv4_connect_cb cb,
                              void *arg)
{
    struct uk__sock_tcp *t = TCP(self);
    struct uk__sock_flow *f;
    for (f = t->connecting; f != NULL; f = f->cnext)
        if (f->ccb == cb && f->carg == arg)
            break;
    if (f == NULL)
        return UK_ENOENT;
    uk__sock_flow_connect_cancel(f);
    return 0;
}

static const char *tcp_id(struct uk_tcpv4 *self)
{
    UK_UNUSED(self);
    return "unix-tcp";
}

/* Stops listening and cancels connects; open flows stay the
 * application's to close. */
static void tcp_disconnect(struct uk_tcpv4 *self, uk_done_cb cb, void *arg)
{
    struct uk__sock_tcp *t = TCP(self);
    struct uk__sock_flow *f;
    while (t->listeners != NULL)
        tcp_unlisten(self, t->listeners->port);
    for (f = t->connecting; f != NULL; f = f->cnext) {
        uk_unix_unwatch(&f->src);
        uk__sock_flow_connect_later(f, UK_ECANCELED);
    }
    if (cb != NULL)
        uk_time_defer(uk_default_time(), &t->done, cb, arg);
}

static const struct uk_tcpv4_ops tcp_ops = {
    .id = tcp_id,
    .disconnect = tcp_disconnect,
    .listen = tcp_listen,
    .unlisten = tcp_unlisten,
    .connect = tcp_connect,
    .connect_cancel = tcp_connect_cancel,
};

struct uk__sock_tcp *uk__sock_tcp(void)
{
    static struct uk__sock_tcp tcp;
    tcp.tcp.ops = &tcp_ops;
    return &tcp;
}

int uk_default_tcpv4(struct uk_tcpv4 **out)
{
    *out = &uk__sock_tcp()->tcp;
    return 0;
}
