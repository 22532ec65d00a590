/*
 * uk/dns.h - DNS constants and the resource-record value shared by the
 * zone-file parser (uk/dns_zonefile.h) and the authoritative database and
 * server (uk/dns_db.h, uk/dns_server.h).
 *
 * Names are in uncompressed wire format: length-prefixed labels ending with
 * the root label (a zero byte), at most UK_DNS_NAME_MAX bytes in all, as
 * written in the source (case preserved; comparisons are case-insensitive).
 */
#ifndef UK_DNS_H
#define UK_DNS_H

#include <stddef.h>
#include <stdint.h>

#define UK_DNS_NAME_MAX 255  /* bytes of a wire-format name */
#define UK_DNS_LABEL_MAX 63  /* bytes of one label */
#define UK_DNS_HDR_LEN 12
#define UK_DNS_UDP_MIN 512   /* the payload every resolver accepts */

enum uk_dns_type {
    UK_DNS_A = 1,
    UK_DNS_NS = 2,
    UK_DNS_CNAME = 5,
    UK_DNS_SOA = 6,
    UK_DNS_PTR = 12,
    UK_DNS_MX = 15,
    UK_DNS_TXT = 16,
    UK_DNS_AAAA = 28,
    UK_DNS_SRV = 33,
    UK_DNS_OPT = 41,
    UK_DNS_IXFR = 251,
    UK_DNS_AXFR = 252,
    UK_DNS_ANY = 255,
    UK_DNS_CAA = 257
};

enum uk_dns_class {
    UK_DNS_IN = 1,
    UK_DNS_CH = 3,
    UK_DNS_CLASS_ANY = 255
};

enum uk_dns_rcode {
    UK_DNS_NOERROR = 0,
    UK_DNS_FORMERR = 1,
    UK_DNS_SERVFAIL = 2,
    UK_DNS_NXDOMAIN = 3,
    UK_DNS_NOTIMP = 4,
    UK_DNS_REFUSED = 5,
    UK_DNS_BADVERS = 16 /* extended: needs EDNS0 */
};

/*
 * One resource record, as the zone-file parser produces it and the
 * database consumes it.  Every pointer is LENT for the duration of the call
 * that hands the record over: keep a copy.
 */
struct uk_dns_rr {
    const uint8_t *owner; /* wire-format name */
    size_t owner_len;
    uint16_t type;
    uint16_t rclass;
    uint32_t ttl;
    const uint8_t *rdata; /* wire-format RDATA, embedded names uncompressed */
    uint16_t rdlen;
};

/* A consumer of records: returns 0 to go on, or a UK_E* code to stop. */
typedef int (*uk_dns_rr_cb)(void *arg, const struct uk_dns_rr *rr);

#endif
