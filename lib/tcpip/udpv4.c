/*
 * udpv4.c - UDP: checksums, the listener table, sending with ephemeral
 * ports, port unreachable for closed ports (policy in uk/tcpip/udpv4.h).
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/tcpip/udpv4.h>

#include "util.h"

#define EPHEMERAL_FIRST 49152u

static struct uk_tcpip_udpv4 *from_base(struct uk_udpv4 *self)
{
    return UK_CONTAINER_OF(self, struct uk_tcpip_udpv4, base);
}

static struct uk_tcpip_udpv4_listener *find(struct uk_tcpip_udpv4 *udp,
                                            uint16_t port)
{
    size_t i;
    for (i = 0; i < UK_TCPIP_UDP_LISTENERS; i++)
        if (udp->listeners[i].port == port)
            return &udp->listeners[i];
    return NULL;
}

static const char *udp_id(struct uk_udpv4 *self)
{
    UK_UNUSED(self);
    return "tcpip-udpv4";
}

static void udp_disconnect(struct uk_udpv4 *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_udpv4 *udp = from_base(self);
    uk_ipv4_set_handler(udp->ip, UK_IPPROTO_UDP, NULL, NULL);
    memset(udp->listeners, 0, sizeof udp->listeners);
    uk__defer_done(udp->time, &udp->done_timer, cb, arg);
}

static int udp_listen(struct uk_udpv4 *self, uint16_t port,
                      uk_udpv4_recv_cb cb, void *arg)
{
    struct uk_tcpip_udpv4 *udp = from_base(self);
    struct uk_tcpip_udpv4_listener *l;
    if (port == 0 || cb == NULL)
        return UK_EINVAL;
    if (find(udp, port) != NULL)
        return UK_EADDRINUSE;
    if ((l = find(udp, 0)) == NULL)
        return UK_ELIMIT;
    l->port = port;
    l->cb = cb;
    l->arg = arg;
    return 0;
}

static int udp_unlisten(struct uk_udpv4 *self, uint16_t port)
{
    struct uk_tcpip_udpv4_listener *l;
    if (port == 0 || (l = find(from_base(self), port)) == NULL)
        return UK_ENOENT;
    memset(l, 0, sizeof *l);
    return 0;
}

static uint16_t ephemeral_port(struct uk_tcpip_udpv4 *udp)
{
    uint16_t port;
    do {
        port = (uint16_t)(EPHEMERAL_FIRST +
                          uk_random_u32(udp->random) % (65536u -
                                                        EPHEMERAL_FIRST));
    } while (find(udp, port) != NULL);
    return port;
}

static int udp_send(struct uk_udpv4 *self, uint16_t src_port,
                    const struct uk_ipv4_ep *dst, const struct uk_iov *iov,
                    int iovcnt)
{
    struct uk_tcpip_udpv4 *udp = from_base(self);
    struct uk_ipv4_config cfg;
    struct uk_buf *b = NULL;
    size_t len;
    uint8_t *p;
    uint16_t sum;
    int rc;

    if (iovcnt < 0 || iovcnt > UK_IOV_MAX || dst->port == 0)
        return UK_EINVAL;
    if ((len = uk_iov_total(iov, iovcnt)) > UK_UDPV4_MAX_PAYLOAD)
        return UK_EMSGSIZE;
    if (src_port == 0)
        src_port = ephemeral_port(udp);
    len += UK_UDP_HLEN;
    if ((rc = uk_ipv4_alloc(udp->ip, 0, len, &b)) != 0) {
        udp->stats.tx_errors++;
        return rc;
    }
    uk_ipv4_config(udp->ip, &cfg);
    p = uk_buf_put(b, len);
    uk_store_be16(p, src_port);
    uk_store_be16(p + 2, dst->port);
    uk_store_be16(p + 4, (uint16_t)len);
    uk_store_be16(p + 6, 0);
    uk__iov_copy(p + UK_UDP_HLEN, iov, iovcnt);
    sum = uk_inet_fold(uk_inet_sum(
        uk_ipv4_pseudo_sum(cfg.addr, dst->addr, UK_IPPROTO_UDP, len), p, len));
    uk_store_be16(p + 6, sum == 0 ? 0xffff : sum);
    rc = uk_ipv4_output(udp->ip, dst->addr, UK_IPPROTO_UDP, b);
    if (rc == 0)
        udp->stats.tx_datagrams++;
    else
        udp->stats.tx_errors++;
    return rc;
}

static void udp_input(void *arg, const struct uk_ipv4_info *ipi,
                      struct uk_buf *pkt)
{
    struct uk_tcpip_udpv4 *udp = (struct uk_tcpip_udpv4 *)arg;
    struct uk_tcpip_udpv4_listener *l;
    struct uk_udpv4_info info;
    const uint8_t *p = pkt->data;
    size_t len;

    udp->stats.rx_datagrams++;
    if (pkt->len < UK_UDP_HLEN || (len = uk_load_be16(p + 4)) < UK_UDP_HLEN ||
        len > pkt->len) {
        udp->stats.rx_malformed++;
        goto done;
    }
    if (uk_load_be16(p + 6) != 0 &&
        uk_inet_fold(uk_inet_sum(uk_ipv4_pseudo_sum(ipi->src, ipi->dst,
                                                    UK_IPPROTO_UDP, len),
                                 p, len)) != 0) {
        udp->stats.rx_bad_checksum++;
        goto done;
    }
    info.src.addr = ipi->src;
    info.src.port = uk_load_be16(p);
    info.dst.addr = ipi->dst;
    info.dst.port = uk_load_be16(p + 2);
    if (info.dst.port == 0 || (l = find(udp, info.dst.port)) == NULL) {
        udp->stats.rx_no_port++;
        if (udp->icmp != NULL)
            uk_icmpv4_send_unreachable(udp->icmp, UK_ICMP_PORT_UNREACH, ipi,
                                       p, pkt->len);
        goto done;
    }
    udp->stats.rx_delivered++;
    l->cb(l->arg, &info, p + UK_UDP_HLEN, len - UK_UDP_HLEN);
done:
    uk_buf_free(pkt);
}

static const struct uk_udpv4_ops udp_ops = {
    .id = udp_id,
    .disconnect = udp_disconnect,
    .listen = udp_listen,
    .unlisten = udp_unlisten,
    .send = udp_send,
};

int uk_tcpip_udpv4_init(struct uk_tcpip_udpv4 *udp, struct uk_ipv4 *ip,
                        struct uk_icmpv4 *icmp, struct uk_random *random,
                        struct uk_time *time)
{
    memset(udp, 0, sizeof *udp);
    udp->base.ops = &udp_ops;
    udp->ip = ip;
    udp->icmp = icmp;
    udp->random = random;
    udp->time = time;
    return uk_ipv4_set_handler(ip, UK_IPPROTO_UDP, udp_input, udp);
}
