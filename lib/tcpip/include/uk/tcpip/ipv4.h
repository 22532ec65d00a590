/*
 * uk/tcpip/ipv4.h - the direct stack's IPv4 (RFC 791, RFC 1122): implements
 * IPV4 (uk/ipv4.h) over an ETHIF and an ARPV4.
 *
 * Input.  Headers are validated (version 4, IHL >= 5, total length within
 * the frame, header checksum); Ethernet padding is trimmed; options are
 * skipped without being interpreted; packets from broadcast or multicast
 * sources are dropped.  Accepted destinations: our address, 255.255.255.255
 * and our subnet broadcast.  While no address is configured (0.0.0.0, e.g.
 * before DHCP completes) every unicast or limited-broadcast destination is
 * accepted, so a DHCP client's offers reach it.
 *
 * Reassembly.  At most UK_TCPIP_IPV4_REASS_SLOTS datagrams are reassembled
 * at once, each in a slot holding up to UK_IPV4_MAX_PAYLOAD bytes (this
 * bounds the memory: slots x 64 KiB, inside this struct).  A datagram not
 * complete UK_TCPIP_IPV4_REASS_TIMEOUT_NS after its first fragment is
 * dropped.  When every slot is busy, the first fragment of a new datagram
 * evicts the datagram whose reassembly started first (reass_evicted): a
 * flood of bogus fragments costs bounded memory and cannot lock slots up
 * for the whole timeout, while the real traffic's retransmissions get
 * through between attacks.  Overlapping fragments drop the whole datagram
 * (as RFC 5722 does for IPv6), except an exact repeat of bytes already
 * received, which is ignored (duplicates are normal on real networks).
 * Datagrams that would exceed 65535 bytes, non-final fragments whose length
 * is not a multiple of 8, and fragments inconsistent with the final one are
 * dropped with their datagram.
 *
 * Output.  The source is our address (0.0.0.0 while unconfigured, when
 * only 255.255.255.255 may be reached).  TTL is UK_TCPIP_IPV4_TTL.
 * Broadcasts (limited and subnet) go to ff:ff:ff:ff:ff:ff without ARP;
 * on-link destinations (same subnet) are resolved by ARP, others go to the
 * gateway (UK_ENETUNREACH without one).  Payloads larger than the link MTU
 * are fragmented; uk_ipv4_alloc serves such sizes from a pool of
 * UK_TCPIP_IPV4_BIG_BUFS large buffers in this struct.  Over a device with
 * TCP segmentation offload (uk_network tso_max), a payload marked with
 * tso_mss goes out whole, in one of those buffers, for the device to cut.
 */
#ifndef UK_TCPIP_IPV4_H
#define UK_TCPIP_IPV4_H

#include <stdint.h>

#include <uk/arpv4.h>
#include <uk/buf.h>
#include <uk/clock.h>
#include <uk/ethif.h>
#include <uk/ipv4.h>
#include <uk/network.h>
#include <uk/random.h>
#include <uk/time.h>

#ifndef UK_TCPIP_IPV4_HANDLERS
#define UK_TCPIP_IPV4_HANDLERS 4
#endif
#ifndef UK_TCPIP_IPV4_REASS_SLOTS
#define UK_TCPIP_IPV4_REASS_SLOTS 4
#endif
#ifndef UK_TCPIP_IPV4_REASS_TIMEOUT_NS
#define UK_TCPIP_IPV4_REASS_TIMEOUT_NS (30 * UK_NS_PER_S)
#endif
#ifndef UK_TCPIP_IPV4_BIG_BUFS
#define UK_TCPIP_IPV4_BIG_BUFS 2
#endif
#ifndef UK_TCPIP_IPV4_TTL
#define UK_TCPIP_IPV4_TTL 64
#endif

/* Headroom kept in front of buffers the stack owns (large transmit
 * buffers, reassembled datagrams): Ethernet + largest IPv4 header + 8. */
#define UK_TCPIP_HEADROOM 96
#define UK_TCPIP_BIG_BUF_SIZE (UK_TCPIP_HEADROOM + UK_IPV4_MAX_PAYLOAD)
#define UK_TCPIP_IPV4_MAX_HLEN 60

struct uk_tcpip_ipv4_stats {
    uint64_t rx_packets;      /* received from the ethif */
    uint64_t rx_delivered;    /* handed to a protocol handler */
    uint64_t rx_bad_header;   /* version, IHL or length invalid */
    uint64_t rx_bad_checksum; /* header checksum wrong */
    uint64_t rx_bad_source;   /* broadcast or multicast source */
    uint64_t rx_not_ours;     /* destination not one of ours */
    uint64_t rx_no_handler;   /* protocol without a handler */
    uint64_t rx_fragments;    /* fragments received */
    uint64_t reass_ok;        /* datagrams reassembled */
    uint64_t reass_dup;       /* exact duplicate fragments ignored */
    uint64_t reass_overlap;   /* datagrams dropped: overlap */
    uint64_t reass_bad;       /* datagrams/fragments dropped: malformed */
    uint64_t reass_too_big;   /* datagrams dropped: over 65535 bytes */
    uint64_t reass_timeout;   /* datagrams dropped: incomplete in time */
    uint64_t reass_evicted;   /* datagrams dropped to make room */
    uint64_t reass_no_slot;   /* fragments dropped: slots held by handlers */
    uint64_t tx_packets;      /* datagrams sent (or queued for ARP) */
    uint64_t tx_fragments;    /* fragments sent */
    uint64_t tx_errors;       /* datagrams that failed */
    uint64_t tx_no_route;     /* UK_ENETUNREACH */
};

struct uk_tcpip_ipv4;

/* A reassembly slot (internal). */
struct uk_tcpip_ipv4_reass {
    struct uk_tcpip_ipv4 *ip;
    int state; /* free, collecting, delivered */
    struct uk_ipv4_addr src, dst;
    uint8_t proto;
    uint16_t id;
    uint64_t started_ns; /* first fragment's arrival, for eviction */
    size_t total;  /* payload length, once the last fragment came; else 0 */
    size_t maxend; /* highest payload end seen */
    size_t received;
    size_t header_len; /* of the first fragment, once it came; else 0 */
    uint8_t header[UK_TCPIP_IPV4_MAX_HLEN];
    uint8_t map[(UK_IPV4_MAX_PAYLOAD + 63) / 64]; /* one bit / 8 bytes */
    struct uk_timer timer;
    struct uk_buf buf; /* the reassembled datagram, when delivered */
    uint8_t data[UK_TCPIP_BIG_BUF_SIZE];
};

struct uk_tcpip_ipv4_handler {
    uint8_t proto;
    uk_ipv4_rx_cb cb; /* NULL: free slot */
    void *arg;
};

struct uk_tcpip_ipv4 {
    struct uk_ipv4 base; /* implements IPV4: pass &ip->base */
    struct uk_ethif *eth;
    struct uk_arpv4 *arp;
    struct uk_time *time;
    struct uk_ipv4_config cfg;
    uint16_t next_id;
    struct uk_tcpip_ipv4_handler handlers[UK_TCPIP_IPV4_HANDLERS];
    struct uk_tcpip_ipv4_stats stats;
    struct uk_tcpip_ipv4_reass reass[UK_TCPIP_IPV4_REASS_SLOTS];
    struct uk_bufpool big;
    struct uk_buf big_descs[UK_TCPIP_IPV4_BIG_BUFS];
    uint8_t big_mem[UK_TCPIP_IPV4_BIG_BUFS][UK_TCPIP_BIG_BUF_SIZE];
    struct uk_timer done_timer;
};

/*
 * Initialises ip over eth and arp (BORROWED for ip's lifetime), registers
 * it for UK_ETHERTYPE_IPV4 on eth and applies cfg (BORROWED; NULL: no
 * address yet, as before DHCP) with uk_ipv4_set_config.  time drives
 * reassembly timeouts; random (BORROWED, used here only) seeds the
 * identification field.  Returns 0, UK_EINVAL (bad cfg) or the error of
 * uk_ethif_set_handler.  Disconnecting ip drops datagrams being
 * reassembled, cancels their timers and unregisters from eth; it does not
 * disconnect eth or arp.
 */
int uk_tcpip_ipv4_init(struct uk_tcpip_ipv4 *ip, struct uk_ethif *eth,
                       struct uk_arpv4 *arp, struct uk_time *time,
                       struct uk_random *random,
                       const struct uk_ipv4_config *cfg);

#endif
