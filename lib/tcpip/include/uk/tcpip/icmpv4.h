/*
 * uk/tcpip/icmpv4.h - the direct stack's ICMP (RFC 792): implements ICMPV4
 * (uk/icmpv4.h) over an IPV4.
 *
 * Echo requests to our address are answered with the same identifier,
 * sequence and data (a large, reassembled request gets a reply that the
 * IPv4 layer fragments); requests sent to a broadcast address are ignored.
 * Messages with a bad checksum or shorter than 8 bytes are dropped.
 *
 * Errors (send_unreachable) are rate-limited by a token bucket on the
 * monotonic clock: UK_TCPIP_ICMP_BURST messages at once, refilled at
 * UK_TCPIP_ICMP_RATE per second.  They are never sent about a packet to or
 * from a broadcast/multicast address, from 0.0.0.0, or about an ICMP error
 * (UK_EINVAL).  They quote the original IP header and 8 payload bytes.
 */
#ifndef UK_TCPIP_ICMPV4_H
#define UK_TCPIP_ICMPV4_H

#include <stdint.h>

#include <uk/icmpv4.h>
#include <uk/ipv4.h>
#include <uk/time.h>

#ifndef UK_TCPIP_ICMP_BURST
#define UK_TCPIP_ICMP_BURST 10
#endif
#ifndef UK_TCPIP_ICMP_RATE
#define UK_TCPIP_ICMP_RATE 100 /* errors per second, sustained */
#endif

#define UK_ICMP_HLEN 8

struct uk_tcpip_icmpv4_stats {
    uint64_t rx_messages, rx_malformed, rx_bad_checksum;
    uint64_t rx_echo_requests, rx_echo_replies, rx_errors, rx_other;
    uint64_t tx_echo_requests, tx_echo_replies, tx_unreachable;
    uint64_t tx_rate_limited, tx_errors;
};

struct uk_tcpip_icmpv4 {
    struct uk_icmpv4 base; /* implements ICMPV4: pass &icmp->base */
    struct uk_ipv4 *ip;
    struct uk_time *time;
    uk_icmpv4_echo_cb echo_cb;
    void *echo_arg;
    uint64_t tokens_ns; /* token bucket, in ns of credit (1 token = 1/RATE s) */
    uint64_t last_ns;
    struct uk_tcpip_icmpv4_stats stats;
    struct uk_timer done_timer;
};

/*
 * Initialises icmp over ip (BORROWED for icmp's lifetime) and registers it
 * for UK_IPPROTO_ICMP.  time (BORROWED) is the rate limiter's clock.
 * Returns 0 or the error of uk_ipv4_set_handler.  Disconnecting icmp
 * unregisters it; it does not disconnect ip.
 */
int uk_tcpip_icmpv4_init(struct uk_tcpip_icmpv4 *icmp, struct uk_ipv4 *ip,
                         struct uk_time *time);

#endif
