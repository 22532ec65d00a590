/*
 * uk/arpv4.h - ARPV4: IPv4-to-MAC resolution (RFC 826) over an ETHIF.
 * Includes DEVICE.
 *
 * The constructor registers for UK_ETHERTYPE_ARP on the ethif.  Replies are
 * sent only for our own addresses; the cache is bounded, entries expire,
 * requests are retried a bounded number of times and then fail.
 *
 *   int output(self, struct uk_ipv4_addr next_hop, struct uk_buf *pkt)
 *                                                              required
 *       Sends the IPv4 packet pkt (CONSUMED) to next_hop's MAC, resolving it
 *       first if needed: while resolving, packets wait in a bounded queue;
 *       if resolution fails they are dropped and counted.  Broadcast
 *       addresses go to ff:ff:ff:ff:ff:ff.  Returns 0 (sent or queued),
 *       UK_ENOBUFS (queue full, pkt dropped), UK_EHOSTUNREACH (resolution
 *       failed recently, pkt dropped), or uk_ethif_output's errors.
 *
 *   int query(self, struct uk_ipv4_addr a, struct uk_mac *out) required
 *       Cache lookup: 0 and *out on a hit; UK_EAGAIN when not cached (a
 *       resolution is started); UK_EHOSTUNREACH when it recently failed.
 *
 *   int add_address(self, struct uk_ipv4_addr a)               required
 *       Answers requests for a from now on, and announces it with a
 *       gratuitous ARP.  Returns 0, UK_EEXIST, UK_ELIMIT.
 *
 *   int remove_address(self, struct uk_ipv4_addr a)            required
 *       Returns 0 or UK_ENOENT.
 */
#ifndef UK_ARPV4_H
#define UK_ARPV4_H

#include <uk/buf.h>
#include <uk/device.h>
#include <uk/ipaddr.h>

#define UK_ARPV4_METHODS(T, M, V, O)                                          \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, output,                                                         \
      (struct T * self, struct uk_ipv4_addr next_hop, struct uk_buf * pkt),   \
      (self, next_hop, pkt))                                                  \
    M(T, int, query,                                                          \
      (struct T * self, struct uk_ipv4_addr a, struct uk_mac * out),          \
      (self, a, out))                                                         \
    M(T, int, add_address, (struct T * self, struct uk_ipv4_addr a),          \
      (self, a))                                                              \
    M(T, int, remove_address, (struct T * self, struct uk_ipv4_addr a),       \
      (self, a))

UK_INTERFACE(uk_arpv4, UK_ARPV4_METHODS);

#endif
