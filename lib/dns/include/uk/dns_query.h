/*
 * uk/dns_query.h - parsing a DNS query message (untrusted bytes).
 *
 * The parser reads the header, the single question and the additional
 * section (for the EDNS0 OPT record, RFC 6891), following compression
 * pointers only backwards so a pointer loop cannot hang it, and checking
 * every count and length against the message.  It never allocates; the
 * result is a fixed-size struct holding a copy of the question name.
 */
#ifndef UK_DNS_QUERY_H
#define UK_DNS_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/dns.h>

/* Header flag bits (the 16-bit word after the id). */
#define UK_DNS_F_QR 0x8000u
#define UK_DNS_F_AA 0x0400u
#define UK_DNS_F_TC 0x0200u
#define UK_DNS_F_RD 0x0100u
#define UK_DNS_F_RA 0x0080u
#define UK_DNS_F_AD 0x0020u
#define UK_DNS_F_CD 0x0010u
#define UK_DNS_OPCODE(flags) (((flags) >> 11) & 0xfu)
#define UK_DNS_OPCODE_QUERY 0
#define UK_DNS_OPCODE_NOTIFY 4
#define UK_DNS_NOTAUTH 9 /* rcode: not authoritative for the zone */

#define UK_DNS_EDNS_DO 0x8000u /* DNSSEC OK, in the OPT TTL's low bits */

struct uk_dns_query {
    uint16_t id;
    uint16_t flags;    /* the header's flag word as received */
    int rcode;         /* what to answer: NOERROR = look it up */
    bool has_question; /* qname/qtype/qclass parsed (echo them) */
    uint16_t qtype, qclass;
    size_t qname_len;
    uint8_t qname[UK_DNS_NAME_MAX]; /* as received: case preserved */
    uint8_t lname[UK_DNS_NAME_MAX]; /* lowercased, for lookups */
    bool edns;                      /* a valid OPT record was present */
    uint8_t edns_version;
    uint16_t edns_udp_size; /* the requestor's payload size (>= 512) */
    uint16_t edns_flags;    /* the OPT TTL's low 16 bits (DO bit) */
};

/*
 * uk_dns_query_parse(msg, len, q): parses msg[0..len) (BORROWED) into q.
 * Returns UK_EPROTO when the message must be dropped without a reply
 * (shorter than a header, or a response: QR set).  Otherwise returns 0
 * with q->rcode saying how to reply: UK_DNS_NOERROR (answer the question),
 * UK_DNS_FORMERR (malformed: QDCOUNT not 1, ANCOUNT or NSCOUNT not 0, a
 * name running out of the message, a bad pointer, several or malformed
 * OPT records), UK_DNS_REFUSED (opcode NOTIFY with a question, which is
 * parsed) or UK_DNS_NOTIMP (any other opcode but QUERY).  Bytes after the last
 * counted record are ignored. q->edns is set only for a well-formed OPT, which
 * the reply must then carry.
 */
int uk_dns_query_parse(const uint8_t *msg, size_t len, struct uk_dns_query *q);

/*
 * uk_dns_name_unpack(msg, len, pos, out, out_len, next): decodes the
 * possibly compressed name at msg[pos] into out[UK_DNS_NAME_MAX] (wire
 * form, uncompressed) and sets *next to the offset just after it in the
 * message.  Each pointer must point strictly before the label it
 * replaces' name started, so decoding always ends.  Returns 0 or
 * UK_EPROTO.
 */
int uk_dns_name_unpack(const uint8_t *msg, size_t len, size_t pos,
                       uint8_t *out, size_t *out_len, size_t *next);

#endif
