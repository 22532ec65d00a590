/*
 * uk/udpv4.h - UDPV4: datagrams (RFC 768).  Includes DEVICE.
 *
 * Implemented by the direct stack (over uk_ipv4) and by kernel sockets on
 * unix; applications cannot tell which.
 *
 *   int listen(self, uint16_t port, uk_udpv4_recv_cb cb, void *arg)
 *                                                              required
 *       Delivers datagrams arriving for `port` (1..65535) to cb until
 *       unlisten.  cb(arg, info, data, len): info and data are LENT for the
 *       call.  Returns 0, UK_EINVAL (port 0), UK_EADDRINUSE, UK_ELIMIT,
 *       UK_EACCES.
 *
 *   int unlisten(self, uint16_t port)                          required
 *       No callback for port runs after this returns.  0 or UK_ENOENT.
 *
 *   int send(self, uint16_t src_port, const struct uk_ipv4_ep *dst,
 *            const struct uk_iov *iov, int iovcnt)             required
 *       Sends one datagram made of iov (BORROWED: copied before return)
 *       from src_port (0: an ephemeral port) to dst.  Best effort, like the
 *       wire: 0 means accepted for transmission.  Returns 0, UK_EINVAL
 *       (iovcnt out of range), UK_EMSGSIZE (more than
 *       UK_UDPV4_MAX_PAYLOAD), UK_ENOBUFS / UK_EAGAIN (no room now: the
 *       datagram is dropped), UK_ENETUNREACH, UK_EHOSTUNREACH.
 */
#ifndef UK_UDPV4_H
#define UK_UDPV4_H

#include <stddef.h>
#include <stdint.h>

#include <uk/buf.h>
#include <uk/device.h>
#include <uk/ipaddr.h>

#define UK_UDP_HLEN 8
#define UK_UDPV4_MAX_PAYLOAD (65535 - 20 - UK_UDP_HLEN)

/* Addresses of a received datagram. */
struct uk_udpv4_info {
    struct uk_ipv4_ep src; /* the sender */
    struct uk_ipv4_ep dst; /* us: the address and port it was sent to */
};

typedef void (*uk_udpv4_recv_cb)(void *arg, const struct uk_udpv4_info *info,
                                 const void *data, size_t len);

#define UK_UDPV4_METHODS(T, M, V, O)                                          \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, listen,                                                         \
      (struct T * self, uint16_t port, uk_udpv4_recv_cb cb, void *arg),       \
      (self, port, cb, arg))                                                  \
    M(T, int, unlisten, (struct T * self, uint16_t port), (self, port))       \
    M(T, int, send,                                                           \
      (struct T * self, uint16_t src_port, const struct uk_ipv4_ep *dst,      \
       const struct uk_iov *iov, int iovcnt),                                 \
      (self, src_port, dst, iov, iovcnt))

UK_INTERFACE(uk_udpv4, UK_UDPV4_METHODS);

/* Sends one contiguous datagram. */
static inline int uk_udpv4_sendto(struct uk_udpv4 *u, uint16_t src_port,
                                  const struct uk_ipv4_ep *dst,
                                  const void *data, size_t len)
{
    struct uk_iov iov;
    iov.base = data;
    iov.len = len;
    return uk_udpv4_send(u, src_port, dst, &iov, 1);
}

#endif
