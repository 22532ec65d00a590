/*
 * uk/ethif.h - ETHIF: Ethernet framing over a NETWORK.  Includes DEVICE.
 *
 * The constructor of an implementation takes the uk_network and registers
 * itself as its listener.  Input frames are demultiplexed by ethertype to
 * the registered handlers; frames for other MACs (unless broadcast or
 * multicast), runts, VLAN-tagged frames and unknown ethertypes are dropped
 * and counted.
 *
 *   int set_handler(self, uint16_t ethertype, uk_ethif_rx_cb cb, void *arg)
 *                                                              required
 *       Routes frames of `ethertype` (e.g. UK_ETHERTYPE_IPV4) to cb; NULL
 *       removes the route.  cb(arg, src, payload): src is the sender's MAC
 *       (BORROWED for the call), payload is the frame after the Ethernet
 *       header, CONSUMED by cb.  Returns 0, UK_ELIMIT (handler table full).
 *
 *   int alloc(self, size_t headroom, size_t len, struct uk_buf **out)
 *                                                              required
 *       A buffer for `output`, with room for the Ethernet header below
 *       `headroom`.  Returns as uk_network_alloc.
 *
 *   int output(self, const struct uk_mac *dst, uint16_t ethertype,
 *              struct uk_buf *payload)                         required
 *       Prepends the Ethernet header (using payload's headroom; copies into
 *       a fresh buffer if there is none) and sends.  payload is CONSUMED.
 *       Returns as uk_network_send.
 *
 *   void mac(self, struct uk_mac *out)                         required
 *   size_t mtu(self)       largest payload of one frame        required
 *   size_t tso_max(self)   the network's tso_max less the Ethernet header
 *                          (0: no segmentation offload)        optional
 *       Payloads with tso_mss set (uk/network.h) may be that large.
 */
#ifndef UK_ETHIF_H
#define UK_ETHIF_H

#include <stddef.h>
#include <stdint.h>

#include <uk/buf.h>
#include <uk/device.h>
#include <uk/ipaddr.h>

#define UK_ETHERTYPE_IPV4 0x0800
#define UK_ETHERTYPE_ARP 0x0806
#define UK_ETHERTYPE_VLAN 0x8100
#define UK_ETHERTYPE_IPV6 0x86dd

typedef void (*uk_ethif_rx_cb)(void *arg, const struct uk_mac *src,
                               struct uk_buf *payload);

#define UK_ETHIF_METHODS(T, M, V, O)                                          \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, set_handler,                                                    \
      (struct T * self, uint16_t ethertype, uk_ethif_rx_cb cb, void *arg),    \
      (self, ethertype, cb, arg))                                             \
    M(T, int, alloc,                                                          \
      (struct T * self, size_t headroom, size_t len, struct uk_buf * *out),   \
      (self, headroom, len, out))                                             \
    M(T, int, output,                                                         \
      (struct T * self, const struct uk_mac *dst, uint16_t ethertype,         \
       struct uk_buf *payload),                                               \
      (self, dst, ethertype, payload))                                        \
    V(T, mac, (struct T * self, struct uk_mac * out), (self, out))            \
    M(T, size_t, mtu, (struct T * self), (self))                              \
    O(T, size_t, tso_max, (struct T * self), (self), 0)

UK_INTERFACE(uk_ethif, UK_ETHIF_METHODS);

#endif
