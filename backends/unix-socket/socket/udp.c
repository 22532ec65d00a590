/*
 * udp.c - the UDP layer of the kernel-socket stack (uk/udpv4.h): one
 * socket per listened port, read until EAGAIN (at most a budget of
 * datagrams per wake-up, so one busy port cannot starve the loop); sends
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

#define RECV_BUDGET 64

/* Receives one datagram.  Returns false when there is none left. */
static bool recv_one(struct uk__sock_udp_port *p)
{
    static char buf[65536];
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(struct in_pktinfo))];
    } ctl;
    struct sockaddr_in from;
    struct iovec iov;
    struct msghdr msg;
    struct cmsghdr *c;
    struct uk_udpv4_info info;
    ssize_t n;
    memset(&msg, 0, sizeof msg);
    iov.iov_base = buf;
    iov.iov_len = sizeof buf;
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = &ctl;
    msg.msg_controllen = sizeof ctl;
    n = recvmsg(p->src.fd, &msg, MSG_DONTWAIT);
    if (n < 0)
        /* EINTR: try again; errors queued by ICMP: skip them. */
        return errno != EAGAIN && errno != EWOULDBLOCK;
    uk__sock_ep(&from, &info.src);
    info.dst.addr = uk__sock_bind;
    info.dst.port = p->port;
    for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            info.dst.addr.v = ntohl(pi.ipi_addr.s_addr);
        }
    p->cb(p->arg, &info, buf, (size_t)n);
    return true;
}

static void port_ready(struct uk_unix_source *src, uint32_t ev)
{
    struct uk__sock_udp_port *p =
        UK_CONTAINER_OF(src, struct uk__sock_udp_port, src);
    int i;
    UK_UNUSED(ev);
    p->dispatching = true;
    for (i = 0; i < RECV_BUDGET && !p->dead; i++)
        if (!recv_one(p))
            break;
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
    int fd, one = 1, rc;
    if (port == 0 || cb == NULL)
        return UK_EINVAL;
    if (find(u, port) != NULL)
        return UK_EADDRINUSE;
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return uk_unix_error(errno);
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
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
    for (i = 0; i < iovcnt; i++) {
        v[i].iov_base = (void *)iov[i].base;
        v[i].iov_len = iov[i].len;
    }
    uk__sock_addr(&sa, dst->addr, dst->port);
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
