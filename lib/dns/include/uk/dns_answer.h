/*
 * uk/dns_answer.h - answering one query from the database, as an
 * authoritative-only server (RFC 1034 4.3.2 and its updates).  Where the
 * RFCs leave a choice, the behaviour is NSD 4's with minimal-responses
 * (tests/dns/test_nsd.c compares both, section by section):
 *
 *  - exact matches with AA; CNAME chains followed inside the zone, ending
 *    where a chain loops or leaves the zone (at most
 *    UK_DNS_CNAME_CHAIN_MAX links);
 *  - NXDOMAIN and NODATA with the zone's SOA in the authority section,
 *    its TTL the minimum of the SOA's TTL and MINIMUM (RFC 2308); after a
 *    CNAME the rcode is the last name's (RFC 6604);
 *  - wildcards per RFC 4592 (closest encloser; empty non-terminals exist
 *    and block the wildcard above them);
 *  - delegations as referrals: no AA, the NS RRset in authority, glue
 *    (A then AAAA of in-zone targets) in additional; a DS query at a cut
 *    is answered from the parent side;
 *  - minimal responses: positive answers carry no NS in authority and no
 *    additional records, except the glue of an NS answer; ANY returns the
 *    node's first RRset only (RFC 8482);
 *  - REFUSED outside the served zones and for classes other than IN, CH
 *    and ANY (those without the question); class ANY is answered from the
 *    IN data without AA and without the SOA of negative answers;
 *  - zone transfers are not offered: REFUSED over TCP; over UDP AXFR is
 *    NOTIMP, IXFR REFUSED at an apex and NOTAUTH elsewhere;
 *  - FORMERR for malformed queries, NOTIMP for opcodes other than QUERY
 *    and NOTIFY, REFUSED for NOTIFY of a served zone (NXDOMAIN for another
 *    name): these replies are the header alone;
 *  - EDNS0: an OPT with our payload size in every reply to a query that
 *    had a valid one; BADVERS for version > 0; the DO bit copied;
 *  - over UDP, when an RRset of the answer or authority does not fit
 *    the requestor's size (512, or its EDNS size capped by ours), the
 *    reply keeps the whole RRsets before it and sets TC (RFC 2181 9);
 *    additional records that do not fit are left out;
 *  - header: RD is copied, CD is not (as NSD); the question is echoed with
 *    the query's case, and names are compressed against it.
 */
#ifndef UK_DNS_ANSWER_H
#define UK_DNS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/dns_db.h>
#include <uk/dns_query.h>

#define UK_DNS_CNAME_CHAIN_MAX 8
#define UK_DNS_EDNS_SIZE_DEFAULT 1232 /* our advertised UDP payload */
#define UK_DNS_TCP_MSG_MAX 65535

struct uk_dns_answer_cfg {
    bool tcp;           /* the reply goes over TCP: no size limit but cap */
    uint16_t edns_size; /* our UDP payload size (>= 512) */
};

/*
 * uk_dns_answer(db, msg, len, cfg, out, cap, out_len): parses the query
 * msg[0..len) (BORROWED, untrusted) and writes the reply into out[0..cap)
 * (BORROWED; cap >= 512), its length in *out_len.  The reply never exceeds
 * cap, nor 512 / the negotiated EDNS size over UDP.  Returns 0, or
 * UK_EPROTO when the message gets no reply (see uk_dns_query_parse).
 * Allocates nothing.
 */
int uk_dns_answer(const struct uk_dns_db *db, const uint8_t *msg, size_t len,
                  const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                  size_t cap, size_t *out_len);

/* The size limit of the reply to q: cap (at most 65535) over TCP; over
 * UDP 512, or the requestor's EDNS size capped by ours. */
size_t uk_dns_answer_limit(const struct uk_dns_query *q,
                           const struct uk_dns_answer_cfg *cfg, size_t cap);

/* The same from a query already parsed (q BORROWED). */
int uk_dns_answer_query(const struct uk_dns_db *db,
                        const struct uk_dns_query *q,
                        const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                        size_t cap, size_t *out_len);

#endif
