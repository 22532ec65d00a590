/*
 * uk/tcpip/arpv4.h - the direct stack's ARP (RFC 826): implements ARPV4
 * (uk/arpv4.h) over an ETHIF.
 *
 * Cache.  At most UK_TCPIP_ARP_ENTRIES entries.  A resolved entry lives
 * UK_TCPIP_ARP_TTL_NS after it was last confirmed by a packet from its
 * owner, then is forgotten (the next use resolves again).  When the table
 * is full a new entry replaces the least recently used resolved or failed
 * entry; entries still resolving are never replaced (the new request fails
 * with UK_ENOBUFS instead).
 *
 * Resolution.  A request is broadcast at once and repeated every
 * UK_TCPIP_ARP_RETRY_NS, UK_TCPIP_ARP_TRIES requests in all; with no answer
 * the entry fails: its queued packets are dropped (counted in
 * pending_failed) and, for UK_TCPIP_ARP_FAIL_HOLD_NS, output to that
 * address fails at once with UK_EHOSTUNREACH.  While resolving, at most
 * UK_TCPIP_ARP_PENDING packets per address wait; more are dropped with
 * UK_ENOBUFS (counted in pending_overflow).
 *
 * Learning policy (against cache poisoning).  A valid ARP packet (request
 * or reply) from sender S updates S's entry only if S is already in the
 * cache (being resolved or resolved: this is how replies to our requests
 * complete).  A new entry is created only when the packet is addressed to
 * one of our addresses (target protocol address ours), i.e. S is talking to
 * us and we will need its MAC to answer.  Unsolicited broadcasts about
 * third parties, gratuitous ARP for unknown hosts, packets with sender
 * 0.0.0.0 (probes), a multicast sender MAC, or claiming one of our own
 * addresses (counted in conflicts) never create or change entries.
 *
 * Replies: only to requests whose target is one of our addresses, sent
 * unicast to the requester.
 */
#ifndef UK_TCPIP_ARPV4_H
#define UK_TCPIP_ARPV4_H

#include <stdint.h>

#include <uk/arpv4.h>
#include <uk/buf.h>
#include <uk/clock.h>
#include <uk/ethif.h>
#include <uk/time.h>

#ifndef UK_TCPIP_ARP_ENTRIES
#define UK_TCPIP_ARP_ENTRIES 32
#endif
#ifndef UK_TCPIP_ARP_PENDING
#define UK_TCPIP_ARP_PENDING 16 /* queued packets per unresolved address */
#endif
#ifndef UK_TCPIP_ARP_ADDRS
#define UK_TCPIP_ARP_ADDRS 4 /* our own addresses */
#endif
#ifndef UK_TCPIP_ARP_TRIES
#define UK_TCPIP_ARP_TRIES 3
#endif
#ifndef UK_TCPIP_ARP_RETRY_NS
#define UK_TCPIP_ARP_RETRY_NS (1 * UK_NS_PER_S)
#endif
#ifndef UK_TCPIP_ARP_TTL_NS
#define UK_TCPIP_ARP_TTL_NS (60 * UK_NS_PER_S)
#endif
#ifndef UK_TCPIP_ARP_FAIL_HOLD_NS
#define UK_TCPIP_ARP_FAIL_HOLD_NS (3 * UK_NS_PER_S)
#endif

#define UK_ARP_PKT_LEN 28 /* Ethernet/IPv4 ARP packet */

struct uk_tcpip_arpv4_stats {
    uint64_t rx_packets, rx_malformed, rx_requests, rx_replies;
    uint64_t tx_requests, tx_replies, tx_errors;
    uint64_t learned;          /* entries created from input */
    uint64_t updated;          /* existing entries refreshed */
    uint64_t ignored;          /* valid packets that taught us nothing */
    uint64_t conflicts;        /* a packet claimed one of our addresses */
    uint64_t evicted;          /* entries replaced when the table was full */
    uint64_t resolve_failed;   /* resolutions that got no answer */
    uint64_t pending_overflow; /* packets dropped: queue full / no entry */
    uint64_t pending_failed;   /* packets dropped: resolution failed */
};

struct uk_tcpip_arpv4;

struct uk_tcpip_arp_entry {
    struct uk_tcpip_arpv4 *arp;
    struct uk_ipv4_addr ip;
    struct uk_mac mac;
    int state; /* internal: free, pending, resolved, failed */
    unsigned tries;
    uint64_t used_ns;      /* last lookup or confirmation, for LRU */
    struct uk_bufq queue;  /* packets waiting for resolution */
    struct uk_timer timer; /* retry, expiry or end of failure hold */
};

struct uk_tcpip_arpv4 {
    struct uk_arpv4 base; /* implements ARPV4: pass &a->base */
    struct uk_ethif *eth;
    struct uk_time *time;
    struct uk_mac mac;
    struct uk_ipv4_addr addrs[UK_TCPIP_ARP_ADDRS];
    unsigned naddrs;
    struct uk_tcpip_arp_entry entries[UK_TCPIP_ARP_ENTRIES];
    struct uk_tcpip_arpv4_stats stats;
    struct uk_timer done_timer;
};

/*
 * Initialises a over eth (BORROWED for a's lifetime) and registers it for
 * UK_ETHERTYPE_ARP.  time (BORROWED) drives retries and expiry.  Returns 0
 * or the error of uk_ethif_set_handler.  Disconnecting a cancels its
 * timers, frees queued packets and unregisters from eth.
 */
int uk_tcpip_arpv4_init(struct uk_tcpip_arpv4 *a, struct uk_ethif *eth,
                        struct uk_time *time);

#endif
