/*
 * uk/ipv4.h - IPV4: the IPv4 layer (RFC 791).  Includes DEVICE.
 *
 * Implementations validate headers and checksums, skip options, reassemble
 * fragments with bounded memory and timeouts, fragment on output, and pick
 * the next hop (on-link via the netmask, else the gateway).
 *
 *   int set_handler(self, uint8_t proto, uk_ipv4_rx_cb cb, void *arg)
 *                                                              required
 *       Routes packets of IP protocol `proto` (UK_IPPROTO_*) addressed to
 *       us (or broadcast) to cb; NULL removes the route.
 *       cb(arg, info, payload): info is BORROWED for the call (it points
 *       into the packet's header); payload, the reassembled transport
 *       segment, is CONSUMED by cb.  Returns 0 or UK_ELIMIT.
 *
 *   int alloc(self, size_t headroom, size_t len, struct uk_buf **out)
 *                                                              required
 *       A buffer for `output` with room for every lower header below
 *       `headroom`.  len may exceed the MTU (output fragments it), up to
 *       UK_IPV4_MAX_PAYLOAD.  Returns 0, UK_EMSGSIZE, UK_ENOBUFS.
 *
 *   int output(self, struct uk_ipv4_addr dst, uint8_t proto,
 *              struct uk_buf *payload)                         required
 *       Prepends the IP header (source: our address) and sends, fragmenting
 *       when larger than the MTU.  payload is CONSUMED.  Returns 0 (sent or
 *       queued for ARP), UK_ENETUNREACH (no address configured, or no
 *       route), UK_EMSGSIZE, UK_ENOBUFS, UK_EHOSTUNREACH.
 *
 *   int set_config(self, const struct uk_ipv4_config *cfg)     required
 *       Sets address, netmask and gateway (0.0.0.0: none); announces the
 *       address (gratuitous ARP).  cfg is BORROWED.  Returns 0, UK_EINVAL.
 *
 *   void config(self, struct uk_ipv4_config *out)              required
 *
 *   size_t mtu(self)       largest payload sent without fragmentation
 *                          (link MTU - 20)                     required
 *
 *   size_t tso_max(self)                                       optional
 *       The largest TCP segment (TCP header included) `output` sends whole
 *       with payload->tso_mss set (uk/network.h: the device cuts it into
 *       tso_mss-byte segments), or 0 (the default): no segmentation
 *       offload, every payload larger than mtu() is fragmented.  output
 *       fills the IP header of the whole packet and sends it unfragmented;
 *       the TCP layer fills the TCP header and its pseudo-header sum.
 *       alloc gives buffers of that size.
 */
#ifndef UK_IPV4_H
#define UK_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/buf.h>
#include <uk/device.h>
#include <uk/ipaddr.h>

#define UK_IPPROTO_ICMP 1
#define UK_IPPROTO_TCP 6
#define UK_IPPROTO_UDP 17

#define UK_IPV4_HLEN 20 /* header without options */
#define UK_IPV4_MAX_PAYLOAD (65535 - UK_IPV4_HLEN)

struct uk_ipv4_config {
    struct uk_ipv4_addr addr;
    struct uk_ipv4_addr netmask;
    struct uk_ipv4_addr gateway;
};

/* What a transport handler learns about a received packet. */
struct uk_ipv4_info {
    struct uk_ipv4_addr src;
    struct uk_ipv4_addr dst;
    uint8_t proto;
    uint8_t ttl;
    uint8_t tos;
    const uint8_t *header; /* the IP header as received (for ICMP errors) */
    size_t header_len;
    bool broadcast; /* dst is a broadcast (limited or of our subnet; a /31
                     * or /32 has none, RFC 3021) or multicast address:
                     * the one such decision, made by the IP layer */
};

typedef void (*uk_ipv4_rx_cb)(void *arg, const struct uk_ipv4_info *info,
                              struct uk_buf *payload);

#define UK_IPV4_METHODS(T, M, V, O)                                           \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, set_handler,                                                    \
      (struct T * self, uint8_t proto, uk_ipv4_rx_cb cb, void *arg),          \
      (self, proto, cb, arg))                                                 \
    M(T, int, alloc,                                                          \
      (struct T * self, size_t headroom, size_t len, struct uk_buf * *out),   \
      (self, headroom, len, out))                                             \
    M(T, int, output,                                                         \
      (struct T * self, struct uk_ipv4_addr dst, uint8_t proto,               \
       struct uk_buf *payload),                                               \
      (self, dst, proto, payload))                                            \
    M(T, int, set_config,                                                     \
      (struct T * self, const struct uk_ipv4_config *cfg), (self, cfg))       \
    V(T, config, (struct T * self, struct uk_ipv4_config * out), (self, out)) \
    M(T, size_t, mtu, (struct T * self), (self))                              \
    O(T, size_t, tso_max, (struct T * self), (self), 0)

UK_INTERFACE(uk_ipv4, UK_IPV4_METHODS);

/*
 * The Internet checksum (RFC 1071).  uk_inet_sum adds len bytes at data to
 * a running 32-bit sum (odd lengths are padded with a zero byte; to chain
 * calls, give every call but the last an even length); uk_inet_fold folds
 * and complements it into the 16-bit checksum.
 *
 * The one's complement sum does not depend on byte order (RFC 1071 2(B)):
 * native 64-bit words are summed with end-around carry, folded to 16 bits
 * and byte-swapped on a little-endian host.  Checksums are most of a bulk
 * transfer's CPU time.
 */
static inline uint32_t uk_inet_sum(uint32_t sum, const void *data, size_t len)
{
    static const uint16_t one = 1;
    const uint8_t *p = (const uint8_t *)data;
    uint64_t acc = 0, w;
    uint8_t first;
    while (len >= 8) {
        memcpy(&w, p, 8);
        acc += w;
        acc += acc < w; /* end-around carry */
        p += 8;
        len -= 8;
    }
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffu) + (acc >> 16);
    acc = (acc & 0xffffu) + (acc >> 16);
    acc = (acc & 0xffffu) + (acc >> 16);
    memcpy(&first, &one, 1);
    if (first == 1) /* little-endian: the folded sum's bytes are swapped */
        acc = ((acc & 0xffu) << 8) | (acc >> 8);
    sum = (sum & 0xffffu) + (sum >> 16) + (uint32_t)acc;
    while (len >= 2) {
        sum += (uint32_t)p[0] << 8 | p[1];
        p += 2;
        len -= 2;
    }
    if (len)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

static inline uint16_t uk_inet_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* The sum of the TCP/UDP pseudo-header, to seed uk_inet_sum. */
static inline uint32_t uk_ipv4_pseudo_sum(struct uk_ipv4_addr src,
                                          struct uk_ipv4_addr dst,
                                          uint8_t proto, size_t len)
{
    return (src.v >> 16) + (src.v & 0xffff) + (dst.v >> 16) +
           (dst.v & 0xffff) + proto + (uint32_t)len;
}

#endif
