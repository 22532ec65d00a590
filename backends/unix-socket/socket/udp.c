/*
 * udp.c - the UDP layer of the kernel-socket stack (uk/udpv4.h): one
 * socket per listened port, read in batches (see "Batched I/O"); sends
 * from a listened port go out of its socket, others from one shared
 * unbound socket (a kernel-chosen ephemeral port).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sock.h"

#define UDP(self) UK_CONTAINER_OF(self, struct uk__sock_udp, udp)

/*
 * Batched I/O.  One recvmmsg takes up to BATCH datagrams (with their
 * IP_PKTINFO destination); datagrams the callbacks send from the socket
 * being dispatched are copied into a queue and leave together in one
 * sendmmsg after the batch (they are "accepted for transmission" when
 * queued, as the interface says).  A busy port gets at most ROUNDS batches
 * per wake-up, so it cannot starve the loop.
 */
#define BATCH 32
#define ROUNDS 2
#define TX_SLOT 4096 /* larger datagrams are sent at once, unqueued */

union pktinfo_ctl {
    struct cmsghdr h;
    char space[CMSG_SPACE(sizeof(struct in_pktinfo))];
};

static struct {
    struct mmsghdr msg[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in from[BATCH];
    union pktinfo_ctl ctl[BATCH];
    char buf[BATCH][65536];
} rx;

static struct {
    int fd; /* the socket being dispatched, or -1: no queueing */
    int count;
    struct mmsghdr msg[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in to[BATCH];
    char buf[BATCH][TX_SLOT];
} tx = {-1, 0, {{{0}, 0}}, {{0}}, {{0}}, {{0}}};

static void tx_flush(void)
{
    int done = 0;
    while (done < tx.count) {
        int n = sendmmsg(tx.fd, tx.msg + done, (unsigned)(tx.count - done),
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            done++; /* skip the datagram the kernel refused: best effort */
        else
            done += n;
    }
    tx.count = 0;
}

/* Queues a copy of the datagram if fd is being dispatched; false if it
 * must be sent directly. */
static bool tx_queue(int fd, const struct sockaddr_in *to,
                     const struct uk_iov *iov, int iovcnt)
{
    size_t off = 0;
    int i;
    if (fd != tx.fd || uk_iov_total(iov, iovcnt) > TX_SLOT)
        return false;
    if (tx.count == BATCH)
        tx_flush();
    for (i = 0; i < iovcnt; i++) {
        memcpy(tx.buf[tx.count] + off, iov[i].base, iov[i].len);
        off += iov[i].len;
    }
    tx.iov[tx.count].iov_base = tx.buf[tx.count];
    tx.iov[tx.count].iov_len = off;
    tx.to[tx.count] = *to;
    memset(&tx.msg[tx.count], 0, sizeof tx.msg[tx.count]);
    tx.msg[tx.count].msg_hdr.msg_name = &tx.to[tx.count];
    tx.msg[tx.count].msg_hdr.msg_namelen = sizeof tx.to[tx.count];
    tx.msg[tx.count].msg_hdr.msg_iov = &tx.iov[tx.count];
    tx.msg[tx.count].msg_hdr.msg_iovlen = 1;
    tx.count++;
    return true;
}

/* Receives up to BATCH datagrams; returns how many (0 when none). */
static int rx_batch(int fd)
{
    int i, n;
    for (i = 0; i < BATCH; i++) {
        struct msghdr *m = &rx.msg[i].msg_hdr;
        rx.iov[i].iov_base = rx.buf[i];
        rx.iov[i].iov_len = sizeof rx.buf[i];
        memset(m, 0, sizeof *m);
        m->msg_name = &rx.from[i];
        m->msg_namelen = sizeof rx.from[i];
        m->msg_iov = &rx.iov[i];
        m->msg_iovlen = 1;
        m->msg_control = &rx.ctl[i];
        m->msg_controllen = sizeof rx.ctl[i];
    }
    do
        n = recvmmsg(fd, rx.msg, BATCH, MSG_DONTWAIT, NULL);
    while (n < 0 && errno == EINTR);
    return n < 0 ? 0 : n; /* EAGAIN, or an ICMP error queued: nothing */
}

/* The destination address of received datagram i (IP_PKTINFO). */
static struct uk_ipv4_addr rx_dst(int i)
{
    struct msghdr *m = &rx.msg[i].msg_hdr;
    struct cmsghdr *c;
    struct uk_ipv4_addr a = uk__sock_bind;
    for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c))
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            a.v = ntohl(pi.ipi_addr.s_addr);
        }
    return a;
}

static void port_ready(struct uk_unix_source *src, uint32_t ev)
{
    struct uk__sock_udp_port *p =
        UK_CONTAINER_OF(src, struct uk__sock_udp_port, src);
    int round, i, n = BATCH;
    UK_UNUSED(ev);
    p->dispatching = true;
    for (round = 0; round < ROUNDS && n == BATCH && !p->dead; round++) {
        n = rx_batch(p->src.fd);
        tx.fd = p->src.fd;
        for (i = 0; i < n && !p->dead; i++) {
            struct uk_udpv4_info info;
            uk__sock_ep(&rx.from[i], &info.src);
            info.dst.addr = rx_dst(i);
            info.dst.port = p->port;
            p->cb(p->arg, &info, rx.buf[i], rx.msg[i].msg_len);
        }
        if (tx.fd >= 0)
            tx_flush();
        tx.fd = -1;
    }
    p->dispatching = false;
    if (p->dead)
        free(p);
}

static struct uk__sock_udp_port **find(struct uk__sock_udp *u, uint16_t port)
{
    struct uk__sock_udp_port **p;
    for (p = &u->ports; *p != NULL; p = &(*p)->next)
        if ((*p)->port == port)
            return p;
    return NULL;
}

static int udp_listen(struct uk_udpv4 *self, uint16_t port,
                      uk_udpv4_recv_cb cb, void *arg)
{
    struct uk__sock_udp *u = UDP(self);
    struct uk__sock_udp_port *p;
    struct sockaddr_in sa;
    int fd, one = 1, rcvbuf = 4 << 20, rc;
    if (port == 0 || cb == NULL)
        return UK_EINVAL;
    if (find(u, port) != NULL)
        return UK_EADDRINUSE;
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return uk_unix_error(errno);
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
    /* A deep receive queue absorbs bursts (a load generator's opening
     * window) that the default 208 KiB would drop. */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf))
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    uk__sock_addr(&sa, uk__sock_bind, port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        rc = uk_unix_error(errno);
        close(fd);
        return rc;
    }
    p = calloc(1, sizeof *p);
    if (p == NULL) {
        close(fd);
        return UK_ENOMEM;
    }
    rc = uk_unix_watch(&p->src, fd, UK_UNIX_READABLE, port_ready);
    if (rc != 0) {
        close(fd);
        free(p);
        return rc;
    }
    p->port = port;
    p->cb = cb;
    p->arg = arg;
    p->next = u->ports;
    u->ports = p;
    return 0;
}

static int udp_unlisten(struct uk_udpv4 *self, uint16_t port)
{
    struct uk__sock_udp_port **pp = find(UDP(self), port), *p;
    if (pp == NULL)
        return UK_ENOENT;
    p = *pp;
    *pp = p->next;
    uk_unix_unwatch(&p->src);
    if (tx.fd == p->src.fd) { /* replies queued by the callback closing it */
        tx_flush();
        tx.fd = -1;
    }
    close(p->src.fd);
    p->dead = true;
    if (!p->dispatching)
        free(p);
    return 0;
}

static int udp_send(struct uk_udpv4 *self, uint16_t src_port,
                    const struct uk_ipv4_ep *dst, const struct uk_iov *iov,
                    int iovcnt)
{
    struct uk__sock_udp *u = UDP(self);
    struct uk__sock_udp_port **p = src_port != 0 ? find(u, src_port) : NULL;
    struct iovec v[UK_IOV_MAX];
    struct sockaddr_in sa;
    struct msghdr msg;
    int i, fd;
    ssize_t n;
    if (iovcnt < 1 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    if (uk_iov_total(iov, iovcnt) > UK_UDPV4_MAX_PAYLOAD)
        return UK_EMSGSIZE;
    if (dst->port == 0)
        return UK_EINVAL;
    if (p != NULL) {
        fd = (*p)->src.fd;
    } else {
        if (u->eph_fd < 0)
            u->eph_fd = socket(AF_INET,
                               SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (u->eph_fd < 0)
            return UK_ENOBUFS;
        fd = u->eph_fd;
    }
    uk__sock_addr(&sa, dst->addr, dst->port);
    if (tx_queue(fd, &sa, iov, iovcnt))
        return 0;
    if (fd == tx.fd)
        tx_flush(); /* keep this socket's datagrams in order */
    for (i = 0; i < iovcnt; i++) {
        v[i].iov_base = (void *)iov[i].base;
        v[i].iov_len = iov[i].len;
    }
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &sa;
    msg.msg_namelen = sizeof sa;
    msg.msg_iov = v;
    msg.msg_iovlen = (size_t)iovcnt;
    do
        n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n >= 0)
        return 0;
    switch (errno) {
    case EAGAIN: return UK_EAGAIN;
    case ENOBUFS: case ENOMEM: return UK_ENOBUFS;
    case ECONNREFUSED: return 0; /* an earlier datagram's ICMP: not ours */
    default: return uk_unix_error(errno);
    }
}

static const char *udp_id(struct uk_udpv4 *self)
{
    UK_UNUSED(self);
    return "unix-udp";
}

static void udp_disconnect(struct uk_udpv4 *self, uk_done_cb cb, void *arg)
{
    struct uk__sock_udp *u = UDP(self);
    while (u->ports != NULL)
        udp_unlisten(self, u->ports->port);
    if (u->eph_fd >= 0)
        close(u->eph_fd);
    u->eph_fd = -1;
    if (cb != NULL)
        uk_time_defer(uk_default_time(), &u->done, cb, arg);
}

static const struct uk_udpv4_ops udp_ops = {
    .id = udp_id,
    .disconnect = udp_disconnect,
    .listen = udp_listen,
    .unlisten = udp_unlisten,
    .send = udp_send,
};

struct uk__sock_udp *uk__sock_udp(void)
{
    static struct uk__sock_udp udp = {{NULL}, NULL, -1, UK_TIMER_INIT};
    udp.udp.ops = &udp_ops;
    return &udp;
}

int uk_default_udpv4(struct uk_udpv4 **out)
{
    *out = &uk__sock_udp()->udp;
    return 0;
}
