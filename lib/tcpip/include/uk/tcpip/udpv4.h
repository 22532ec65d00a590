/*
 * uk/tcpip/udpv4.h - the direct stack's UDP (RFC 768): implements UDPV4
 * (uk/udpv4.h) over an IPV4.
 *
 * Input: datagrams shorter than their header, with a length field beyond
 * the packet, or with a wrong checksum (0 means "none" and is accepted) are
 * dropped and counted.  A datagram for a port nobody listens on is answered
 * with ICMP port unreachable (when an ICMP layer was given and the datagram
 * was not broadcast).  Output always carries a checksum.
 *
 * At most UK_TCPIP_UDP_LISTENERS ports are listened on at once.  Ephemeral
 * source ports are drawn at random from 49152..65535, avoiding ports being
 * listened on.
 */
#ifndef UK_TCPIP_UDPV4_H
#define UK_TCPIP_UDPV4_H

#include <stdint.h>

#include <uk/icmpv4.h>
#include <uk/ipv4.h>
#include <uk/random.h>
#include <uk/time.h>
#include <uk/udpv4.h>

#ifndef UK_TCPIP_UDP_LISTENERS
#define UK_TCPIP_UDP_LISTENERS 16
#endif

struct uk_tcpip_udpv4_stats {
    uint64_t rx_datagrams, rx_delivered, rx_malformed, rx_bad_checksum;
    uint64_t rx_no_port; /* no listener (port unreachable) */
    uint64_t tx_datagrams, tx_errors;
};

struct uk_tcpip_udpv4_listener {
    uint16_t port; /* 0: free slot */
    uk_udpv4_recv_cb cb;
    void *arg;
};

struct uk_tcpip_udpv4 {
    struct uk_udpv4 base; /* implements UDPV4: pass &udp->base */
    struct uk_ipv4 *ip;
    struct uk_icmpv4 *icmp; /* may be NULL */
    struct uk_random *random;
    struct uk_time *time;
    struct uk_tcpip_udpv4_listener listeners[UK_TCPIP_UDP_LISTENERS];
    struct uk_tcpip_udpv4_stats stats;
    struct uk_timer done_timer;
};

/*
 * Initialises udp over ip (BORROWED for udp's lifetime) and registers it
 * for UK_IPPROTO_UDP.  icmp (BORROWED, may be NULL) sends port-unreachable
 * errors; random (BORROWED) picks ephemeral ports; time (BORROWED) defers
 * the disconnect callback.  Returns 0 or the error of uk_ipv4_set_handler.
 * Disconnecting udp drops every listener and unregisters it from ip.
 */
int uk_tcpip_udpv4_init(struct uk_tcpip_udpv4 *udp, struct uk_ipv4 *ip,
                        struct uk_icmpv4 *icmp, struct uk_random *random,
                        struct uk_time *time);

#endif
