/*
 * uk/icmpv4.h - ICMPV4: echo and error messages (RFC 792).  Includes
 * DEVICE.
 *
 * The constructor registers for UK_IPPROTO_ICMP on the ipv4 layer and
 * answers echo requests by itself.
 *
 *   int send_echo(self, struct uk_ipv4_addr dst, uint16_t id, uint16_t seq,
 *                 const void *data, size_t len)                required
 *       Sends an echo request; data is BORROWED (copied).  Returns as
 *       uk_ipv4_output.
 *
 *   int set_echo_handler(self, uk_icmpv4_echo_cb cb, void *arg) required
 *       cb(arg, src, id, seq, data, len) for each echo REPLY received; data
 *       is LENT for the call.  NULL removes it.  Returns 0.
 *
 *   int send_unreachable(self, uint8_t code, const struct uk_ipv4_info *orig,
 *                        const void *payload, size_t len)      required
 *       Sends destination-unreachable (code, e.g. UK_ICMP_PORT_UNREACH)
 *       about the packet whose header is orig and whose transport payload
 *       starts at payload (both BORROWED; at most 8 payload bytes are
 *       quoted).  Rate-limited: returns UK_EAGAIN when over the limit,
 *       never for broadcasts or for ICMP errors themselves (UK_EINVAL).
 */
#ifndef UK_ICMPV4_H
#define UK_ICMPV4_H

#include <stddef.h>
#include <stdint.h>

#include <uk/device.h>
#include <uk/ipaddr.h>
#include <uk/ipv4.h>

#define UK_ICMP_ECHO_REPLY 0
#define UK_ICMP_DEST_UNREACH 3
#define UK_ICMP_ECHO_REQUEST 8
#define UK_ICMP_TIME_EXCEEDED 11

#define UK_ICMP_NET_UNREACH 0
#define UK_ICMP_HOST_UNREACH 1
#define UK_ICMP_PROTO_UNREACH 2
#define UK_ICMP_PORT_UNREACH 3
#define UK_ICMP_FRAG_NEEDED 4

typedef void (*uk_icmpv4_echo_cb)(void *arg, struct uk_ipv4_addr src,
                                  uint16_t id, uint16_t seq, const void *data,
                                  size_t len);

#define UK_ICMPV4_METHODS(T, M, V, O)                                         \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, send_echo,                                                      \
      (struct T * self, struct uk_ipv4_addr dst, uint16_t id, uint16_t seq,   \
       const void *data, size_t len),                                         \
      (self, dst, id, seq, data, len))                                        \
    M(T, int, set_echo_handler,                                               \
      (struct T * self, uk_icmpv4_echo_cb cb, void *arg), (self, cb, arg))    \
    M(T, int, send_unreachable,                                               \
      (struct T * self, uint8_t code, const struct uk_ipv4_info *orig,        \
       const void *payload, size_t len),                                      \
      (self, code, orig, payload, len))

UK_INTERFACE(uk_icmpv4, UK_ICMPV4_METHODS);

#endif
