/*
 * wire.h - internal to lib/dns: the response writer, which appends
 * records to a message buffer with name compression (RFC 1035 4.1.4).
 *
 * Compression is case-insensitive: a name whose suffix was written before
 * becomes a pointer to it, so the output keeps the case of the first
 * occurrence (the question's, for names under the query name).
 */
#ifndef UK_DNS_WIRE_H
#define UK_DNS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UK__DNS_WIRE_NAMES 48 /* suffixes remembered for compression */

struct uk__dns_wire_name {
    const uint8_t *src; /* uncompressed suffix, BORROWED until done */
    uint16_t off;       /* where it starts in the message */
    uint8_t len;
};

struct uk__dns_wire {
    uint8_t *buf;
    size_t len; /* bytes written */
    size_t max; /* the limit for this message */
    int nnames;
    struct uk__dns_wire_name names[UK__DNS_WIRE_NAMES];
};

/* A position to roll back to when an RRset does not fit. */
struct uk__dns_wire_mark {
    size_t len;
    int nnames;
};

static inline struct uk__dns_wire_mark
uk__dns_wire_mark(const struct uk__dns_wire *w)
{
    struct uk__dns_wire_mark m;
    m.len = w->len;
    m.nnames = w->nnames;
    return m;
}

static inline void uk__dns_wire_rollback(struct uk__dns_wire *w,
                                         struct uk__dns_wire_mark m)
{
    w->len = m.len;
    w->nnames = m.nnames;
}

/* Appends the valid uncompressed name (compressing it; BORROWED until the
 * message is finished).  Returns 0 or UK_EMSGSIZE. */
int uk__dns_wire_name(struct uk__dns_wire *w, const uint8_t *name, size_t len);

/* Appends one record: owner name, type, class IN, ttl, and the RDATA with
 * embedded names compressed where RFC 3597 allows (NS, CNAME, PTR, MX,
 * SOA).  Returns 0 or UK_EMSGSIZE. */
int uk__dns_wire_rr(struct uk__dns_wire *w, const uint8_t *owner,
                    size_t owner_len, uint16_t type, uint32_t ttl,
                    const uint8_t *rdata, size_t rdlen);

/* Appends n raw bytes.  Returns 0 or UK_EMSGSIZE. */
int uk__dns_wire_bytes(struct uk__dns_wire *w, const void *p, size_t n);

#endif
