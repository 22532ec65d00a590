/*
 * uk/network.h - NETWORK: a raw Ethernet frame device (TAP device, Xen
 * netfront vif, loopback wire in tests).  Includes DEVICE.
 *
 * Frames are whole Ethernet frames starting at the destination MAC, without
 * FCS.  Receive is push: the device calls the listener for each frame from
 * the event loop.
 *
 *   int listen(self, uk_network_rx_cb cb, void *arg)           required
 *       Sets the receive callback (replacing any earlier one; NULL stops
 *       delivery).  cb(arg, frame): frame is CONSUMED by cb, which must
 *       uk_buf_free() it (now or later: holding frames starves the device's
 *       receive pool, so long-lived data is copied out).
 *       Returns 0.
 *
 *   int alloc(self, size_t headroom, size_t len, struct uk_buf **out)
 *                                                              required
 *       A transmit buffer, empty, with at least `headroom` bytes before data
 *       and `len` bytes after, for `send`.  Buffers from alloc may let the
 *       device transmit without a copy.  Returns 0, UK_EMSGSIZE (headroom +
 *       len > mtu + 14) or UK_ENOBUFS (pool empty: try later).
 *
 *   int send(self, struct uk_buf *frame)                       required
 *       Transmits frame (CONSUMED, even on error; any buffer is accepted,
 *       those from alloc are cheapest).  Returns 0 once queued to the
 *       device, UK_EMSGSIZE, UK_ENOBUFS (device queue full: frame dropped,
 *       as on a wire), UK_EIO, UK_ESTALE (device gone).
 *
 *   int sendv(self, const struct uk_iov *iov, int iovcnt)      required
 *       Transmits the concatenation of iov (BORROWED: copied) as one frame.
 *       Same returns as send, and UK_EINVAL for iovcnt out of range.
 *
 *   void mac(self, struct uk_mac *out)                         required
 *   size_t mtu(self)       largest payload after the 14-byte Ethernet
 *                          header (1500 on most devices)    required
 *   void stats(self, struct uk_network_stats *out)             required
 *
 *   size_t tso_max(self)                                       optional
 *       TCP segmentation offload: the largest frame (Ethernet header
 *       included) `send` accepts with frame->tso_mss set, or 0 (the
 *       default) when the device does not segment.  Such a frame is one
 *       TCP/IPv4 packet without IP options or fragmentation, its IP total
 *       length and header checksum those of the whole packet, and in the
 *       TCP checksum field the (uncomplemented, folded) sum of the
 *       pseudo-header over the whole TCP length; the device sends it as
 *       segments of tso_mss payload bytes each (the last maybe shorter),
 *       with sequence numbers, IP lengths, identifiers and checksums
 *       completed, FIN and PSH on the last segment only, CWR on the first
 *       only.  Only frames larger than the MTU + 14 carry tso_mss; a frame
 *       with tso_mss set to a device whose tso_max is 0 is a contract
 *       violation.  sendv never carries it.  Wrappers (shims) that cannot
 *       pass tso_mss on unchanged leave this NULL, so the stack above
 *       falls back to MSS-sized frames.
 */
#ifndef UK_NETWORK_H
#define UK_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include <uk/buf.h>
#include <uk/device.h>
#include <uk/ipaddr.h>

#define UK_ETH_HLEN 14

typedef void (*uk_network_rx_cb)(void *arg, struct uk_buf *frame);

struct uk_network_stats {
    uint64_t rx_frames, rx_bytes, rx_dropped;
    uint64_t tx_frames, tx_bytes, tx_dropped;
};

#define UK_NETWORK_METHODS(T, M, V, O)                                        \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, listen, (struct T * self, uk_network_rx_cb cb, void *arg),      \
      (self, cb, arg))                                                        \
    M(T, int, alloc,                                                          \
      (struct T * self, size_t headroom, size_t len, struct uk_buf * *out),   \
      (self, headroom, len, out))                                             \
    M(T, int, send, (struct T * self, struct uk_buf * frame), (self, frame))  \
    M(T, int, sendv,                                                          \
      (struct T * self, const struct uk_iov *iov, int iovcnt),                \
      (self, iov, iovcnt))                                                    \
    V(T, mac, (struct T * self, struct uk_mac * out), (self, out))            \
    M(T, size_t, mtu, (struct T * self), (self))                              \
    V(T, stats, (struct T * self, struct uk_network_stats * out),             \
      (self, out))                                                            \
    O(T, size_t, tso_max, (struct T * self), (self), 0)

UK_INTERFACE(uk_network, UK_NETWORK_METHODS);

#endif
