/*
 * uk/tcpip/dhcp_msg.h - the DHCP message format (RFC 2131 section 2,
 * options of RFC 2132): a strict parser for untrusted messages and a
 * builder for the client's own.  Pure functions over caller memory: no
 * state, no allocation.
 */
#ifndef UK_TCPIP_DHCP_MSG_H
#define UK_TCPIP_DHCP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/err.h>
#include <uk/ipaddr.h>

#define UK_DHCP_SERVER_PORT 67
#define UK_DHCP_CLIENT_PORT 68

/* The fixed BOOTP header, then the 4-byte magic cookie, then options. */
#define UK_DHCP_FIXED_LEN 236
#define UK_DHCP_OPTIONS_OFF 240
#define UK_DHCP_MAGIC 0x63825363u
/* Messages the client sends are padded to the BOOTP minimum of 300 bytes
 * and never exceed the 576-byte datagram every host accepts. */
#define UK_DHCP_MIN_LEN 300
#define UK_DHCP_MAX_LEN (576 - 20 - 8)

#define UK_BOOTREQUEST 1
#define UK_BOOTREPLY 2
#define UK_DHCP_FLAG_BROADCAST 0x8000

/* Message types (option 53). */
enum uk_dhcp_type {
    UK_DHCPDISCOVER = 1,
    UK_DHCPOFFER = 2,
    UK_DHCPREQUEST = 3,
    UK_DHCPDECLINE = 4,
    UK_DHCPACK = 5,
    UK_DHCPNAK = 6,
    UK_DHCPRELEASE = 7,
    UK_DHCPINFORM = 8
};

/* Option codes the client reads or writes. */
#define UK_DHCPOPT_PAD 0
#define UK_DHCPOPT_SUBNET_MASK 1
#define UK_DHCPOPT_ROUTER 3
#define UK_DHCPOPT_DNS 6
#define UK_DHCPOPT_HOSTNAME 12
#define UK_DHCPOPT_REQUESTED_IP 50
#define UK_DHCPOPT_LEASE_TIME 51
#define UK_DHCPOPT_OVERLOAD 52
#define UK_DHCPOPT_MSG_TYPE 53
#define UK_DHCPOPT_SERVER_ID 54
#define UK_DHCPOPT_PARAM_LIST 55
#define UK_DHCPOPT_MAX_MSG_SIZE 57
#define UK_DHCPOPT_T1 58
#define UK_DHCPOPT_T2 59
#define UK_DHCPOPT_CLIENT_ID 61
#define UK_DHCPOPT_END 255

/* DNS servers kept from one message; further ones are ignored. */
#define UK_DHCP_MAX_DNS 4

/* What the parser extracts from a message.  has_* says whether the option
 * was present (with a valid length). */
struct uk_dhcp_msg {
    uint8_t op;   /* UK_BOOTREQUEST or UK_BOOTREPLY */
    uint8_t type; /* enum uk_dhcp_type: option 53, always present */
    uint32_t xid;
    uint16_t secs;
    uint16_t flags;
    struct uk_ipv4_addr ciaddr, yiaddr, siaddr, giaddr;
    struct uk_mac chaddr; /* the first 6 bytes (hlen is always 6) */
    bool has_mask, has_router, has_server_id, has_lease, has_t1, has_t2;
    bool has_requested;
    struct uk_ipv4_addr mask;
    struct uk_ipv4_addr router; /* the first router listed */
    struct uk_ipv4_addr server_id;
    struct uk_ipv4_addr requested;
    uint32_t lease_s, t1_s, t2_s;
    struct uk_ipv4_addr dns[UK_DHCP_MAX_DNS];
    unsigned ndns;
};

/*
 * uk_dhcp_parse(data, len, out): validates and decodes one DHCP message
 * (data BORROWED; out is caller storage, fully written on success).
 * Checks: length at least 240 bytes, op 1 or 2, htype 1 (Ethernet) with
 * hlen 6, the magic cookie, every option's length within the message and
 * the right size for its code, option overload (52) into file/sname
 * (each area parsed at most once), an END option closing each area, and
 * exactly one valid message type.  Returns 0 or UK_EPROTO; never reads
 * outside data[0..len).
 */
int uk_dhcp_parse(const void *data, size_t len, struct uk_dhcp_msg *out);

/* What the builder writes into a client message. */
struct uk_dhcp_build {
    uint8_t type; /* UK_DHCPDISCOVER, UK_DHCPREQUEST, UK_DHCPRELEASE */
    uint32_t xid;
    uint16_t secs;
    bool broadcast;            /* ask the server to broadcast its reply */
    struct uk_ipv4_addr ciaddr; /* ours when renewing/rebinding, else 0 */
    struct uk_mac mac;
    bool has_requested; /* option 50 */
    struct uk_ipv4_addr requested;
    bool has_server_id; /* option 54 */
    struct uk_ipv4_addr server_id;
    const char *hostname; /* option 12, or NULL; cut to 63 bytes */
};

/*
 * uk_dhcp_build(b, out, cap): writes the BOOTREQUEST described by b (BORROWED)
 * into out[0..cap) with the client identifier, the parameter request list
 * (mask, router, DNS, lease, T1, T2) and the maximum message size, padded
 * to UK_DHCP_MIN_LEN.  Returns the length, or 0 when cap is smaller than
 * UK_DHCP_MAX_LEN (which always suffices).
 */
size_t uk_dhcp_build(const struct uk_dhcp_build *b, uint8_t *out, size_t cap);

#endif
