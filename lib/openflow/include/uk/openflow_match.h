/*
 * uk/openflow_match.h - the OpenFlow 1.0 12-tuple applied to packets:
 * extracting the fields of an Ethernet frame, testing a (wildcarded) match
 * against them, and the helpers a flow table needs.
 */
#ifndef UK_OPENFLOW_MATCH_H
#define UK_OPENFLOW_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/openflow.h>

/*
 * uk_of_match_from_frame(m, frame, len, in_port): the exact match (no
 * wildcards) of the frame received on in_port, with OpenFlow 1.0's rules:
 * dl_vlan is UK_OFP_VLAN_NONE for untagged frames (one 802.1Q tag is
 * parsed); 802.3 frames take the SNAP type or UK_OFP_DL_TYPE_NOT_ETH;
 * IPv4 gives nw_tos (DSCP bits), nw_proto, nw_src/dst and, for the first
 * fragment only, TCP/UDP ports or ICMP type/code in tp_src/tp_dst; ARP
 * gives the opcode in nw_proto and the IPv4 sender/target addresses.
 * Fields of truncated headers stay zero.  frame is BORROWED.
 * Returns 0, or UK_EINVAL when len is below an Ethernet header.
 */
int uk_of_match_from_frame(struct uk_of_match *m, const uint8_t *frame,
                           size_t len, uint16_t in_port);

/* The netmask selected by the 6-bit nw_src/nw_dst wildcard count at
 * `shift` (UK_OFPFW_NW_SRC_SHIFT or _DST_SHIFT): 0 when 32 or more
 * low bits are wildcarded. */
uint32_t uk_of_nw_mask(uint32_t wildcards, unsigned shift);

/* Whether the packet's exact match `pkt` satisfies `rule`: every field
 * not wildcarded in rule is equal (addresses under the rule's masks). */
bool uk_of_match_covers(const struct uk_of_match *rule,
                        const struct uk_of_match *pkt);

/* Whether rules a and b are identical: same wildcards and the same values
 * in the fields they match (flow_mod *_STRICT and ADD replacement). */
bool uk_of_match_equal(const struct uk_of_match *a,
                       const struct uk_of_match *b);

/* Whether every packet matched by `narrow` is matched by `wide` too
 * (non-strict MODIFY/DELETE and flow stats selection). */
bool uk_of_match_subsumes(const struct uk_of_match *wide,
                          const struct uk_of_match *narrow);

/*
 * uk_of_match_normalize(m): wildcards the fields that cannot apply given
 * the fields m matches (network fields without an IPv4/ARP dl_type,
 * transport ports without TCP/UDP/ICMP, nw_tos and ports for ARP) and
 * zeroes every wildcarded field, as switches do before storing a rule.
 */
void uk_of_match_normalize(struct uk_of_match *m);

#endif
