/*
 * uk/stackv4.h - STACKV4: an assembled IPv4 stack, UDP and TCP over one
 * interface configuration.  Includes DEVICE.
 *
 * A stack references both transports, so it links both: an appliance that
 * needs only UDP asks its target for uk_default_udpv4() (uk/target.h)
 * instead, and no TCP code ends up in its image.
 *
 *   struct uk_udpv4 *udpv4(self)                               required
 *   struct uk_tcpv4 *tcpv4(self)                               required
 *       The stack's transports; owned by the stack, valid until it is
 *       disconnected.
 *
 *   void config(self, struct uk_ipv4_config *out)              required
 *       The stack's address, netmask and gateway (all zero when bound to
 *       every local address, as on the unix socket stack by default).
 */
#ifndef UK_STACKV4_H
#define UK_STACKV4_H

#include <uk/device.h>
#include <uk/ipv4.h>
#include <uk/tcpv4.h>
#include <uk/udpv4.h>

#define UK_STACKV4_METHODS(T, M, V, O)                                        \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, struct uk_udpv4 *, udpv4, (struct T * self), (self))                 \
    M(T, struct uk_tcpv4 *, tcpv4, (struct T * self), (self))                 \
    V(T, config, (struct T * self, struct uk_ipv4_config * out), (self, out))

UK_INTERFACE(uk_stackv4, UK_STACKV4_METHODS);

/* Shortcut: listen for TCP connections on the stack's TCP layer. */
static inline int uk_stackv4_listen_tcp(struct uk_stackv4 *s, uint16_t port,
                                        uk_tcpv4_accept_cb cb, void *arg)
{
    return uk_tcpv4_listen(uk_stackv4_tcpv4(s), port, 0, cb, arg);
}

/* Shortcut: listen for UDP datagrams on the stack's UDP layer. */
static inline int uk_stackv4_listen_udp(struct uk_stackv4 *s, uint16_t port,
                                        uk_udpv4_recv_cb cb, void *arg)
{
    return uk_udpv4_listen(uk_stackv4_udpv4(s), port, cb, arg);
}

#endif
