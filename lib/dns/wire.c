/*
 * wire.c - the response writer with name compression.  See wire.h.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/dns.h>
#include <uk/dns_name.h>
#include <uk/err.h>

#include "wire.h"

int uk__dns_wire_bytes(struct uk__dns_wire *w, const void *p, size_t n)
{
    if (n > w->max - w->len)
        return UK_EMSGSIZE;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    return 0;
}

/* The offset of an earlier copy of the suffix, or -1. */
static int find_suffix(const struct uk__dns_wire *w, const uint8_t *s,
                       size_t len)
{
    int i;
    for (i = 0; i < w->nnames; i++) {
        const struct uk__dns_wire_name *e = &w->names[i];
        if (e->len == len && uk_dns_name_eq(e->src, e->len, s, len))
            return e->off;
    }
    return -1;
}

int uk__dns_wire_name(struct uk__dns_wire *w, const uint8_t *name, size_t len)
{
    size_t pos = 0;
    while (name[pos] != 0) {
        size_t rest = len - pos, l = name[pos];
        int off = find_suffix(w, name + pos, rest);
        if (off >= 0) {
            uint8_t ptr[2];
            uk_store_be16(ptr, (uint16_t)(0xc000u | (unsigned)off));
            return uk__dns_wire_bytes(w, ptr, 2);
        }
        if (w->len < 0x4000 && w->nnames < UK__DNS_WIRE_NAMES) {
            struct uk__dns_wire_name *e = &w->names[w->nnames];
            e->src = name + pos;
            e->off = (uint16_t)w->len;
            e->len = (uint8_t)rest;
            if (uk__dns_wire_bytes(w, name + pos, 1 + l) != 0)
                return UK_EMSGSIZE;
            w->nnames++;
        } else if (uk__dns_wire_bytes(w, name + pos, 1 + l) != 0) {
            return UK_EMSGSIZE;
        }
        pos += 1 + l;
    }
    return uk__dns_wire_bytes(w, "", 1);
}

/* Length of the valid uncompressed name at p (within avail), or 0. */
static size_t name_len(const uint8_t *p, size_t avail)
{
    size_t n;
    return uk_dns_name_check(p, avail, &n) == 0 ? n : 0;
}

/* Writes rdata with its leading names compressed: `names` names first,
 * then `fixed` ... the rest copied.  skip: bytes copied before the names. */
static int rdata_names(struct uk__dns_wire *w, const uint8_t *rdata,
                       size_t rdlen, size_t skip, int names)
{
    size_t pos = skip;
    int i;
    if (skip > rdlen || uk__dns_wire_bytes(w, rdata, skip) != 0)
        return skip > rdlen ? UK_EPROTO : UK_EMSGSIZE;
    for (i = 0; i < names; i++) {
        size_t n = name_len(rdata + pos, rdlen - pos);
        if (n == 0)
            return UK_EPROTO;
        if (uk__dns_wire_name(w, rdata + pos, n) != 0)
            return UK_EMSGSIZE;
        pos += n;
    }
    return uk__dns_wire_bytes(w, rdata + pos, rdlen - pos);
}

int uk__dns_wire_rr(struct uk__dns_wire *w, const uint8_t *owner,
                    size_t owner_len, uint16_t type, uint32_t ttl,
                    const uint8_t *rdata, size_t rdlen)
{
    uint8_t fixed[10];
    size_t at;
    struct uk__dns_wire_mark m;
    int rc;
    if (uk__dns_wire_name(w, owner, owner_len) != 0)
        return UK_EMSGSIZE;
    uk_store_be16(fixed, type);
    uk_store_be16(fixed + 2, UK_DNS_IN);
    uk_store_be32(fixed + 4, ttl);
    uk_store_be16(fixed + 8, 0);
    if (uk__dns_wire_bytes(w, fixed, 10) != 0)
        return UK_EMSGSIZE;
    at = w->len;
    m = uk__dns_wire_mark(w);
    switch (type) {
    case UK_DNS_NS:
    case UK_DNS_CNAME:
    case UK_DNS_PTR:
        rc = rdata_names(w, rdata, rdlen, 0, 1);
        break;
    case UK_DNS_MX:
        rc = rdata_names(w, rdata, rdlen, 2, 1);
        break;
    case UK_DNS_SOA:
        rc = rdata_names(w, rdata, rdlen, 0, 2);
        break;
    default:
        rc = uk__dns_wire_bytes(w, rdata, rdlen);
        break;
    }
    if (rc == UK_EPROTO) { /* not the expected layout: send it as is */
        uk__dns_wire_rollback(w, m);
        rc = uk__dns_wire_bytes(w, rdata, rdlen);
    }
    if (rc != 0)
        return rc;
    uk_store_be16(w->buf + at - 2, (uint16_t)(w->len - at));
    return 0;
}
