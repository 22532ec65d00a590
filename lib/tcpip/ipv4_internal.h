/*
 * ipv4_internal.h - what ipv4.c and ipv4_reass.c share (internal).
 */
#ifndef UK_TCPIP_IPV4_INTERNAL_H
#define UK_TCPIP_IPV4_INTERNAL_H

#include <uk/tcpip/ipv4.h>

/* Whether dst is broadcast (limited or our subnet's) or multicast: what
 * uk_ipv4_info.broadcast reports. */
bool uk__ipv4_is_group(const struct uk_tcpip_ipv4 *ip, struct uk_ipv4_addr dst);

/* Hands payload (CONSUMED) to the handler of info->proto, or frees it. */
void uk__ipv4_deliver(struct uk_tcpip_ipv4 *ip,
                      const struct uk_ipv4_info *info, struct uk_buf *payload);

/*
 * Adds one fragment to its datagram: hdr/hlen is the validated IP header
 * (BORROWED), payload the fragment's data (CONSUMED), off its offset in
 * bytes, mf its more-fragments flag.  Delivers the datagram when complete.
 */
void uk__ipv4_reass_input(struct uk_tcpip_ipv4 *ip, const uint8_t *hdr,
                          size_t hlen, struct uk_buf *payload, size_t off,
                          bool mf);

/* Sets up the reassembly slots (at init). */
void uk__ipv4_reass_init(struct uk_tcpip_ipv4 *ip);

/* Drops every datagram being reassembled and cancels their timers. */
void uk__ipv4_reass_clear(struct uk_tcpip_ipv4 *ip);

#endif
