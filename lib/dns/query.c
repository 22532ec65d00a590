/*
 * query.c - the DNS query parser.  See uk/dns_query.h.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/dns_name.h>
#include <uk/dns_query.h>
#include <uk/err.h>

int uk_dns_name_unpack(const uint8_t *msg, size_t len, size_t pos,
                       uint8_t *out, size_t *out_len, size_t *next)
{
    size_t n = 0, limit = pos; /* pointers must go below `limit` */
    bool jumped = false;
    for (;;) {
        uint8_t l;
        if (pos >= len)
            return UK_EPROTO;
        l = msg[pos];
        if ((l & 0xc0) == 0xc0) {
            size_t target;
            if (pos + 1 >= len)
                return UK_EPROTO;
            target = (size_t)(l & 0x3f) << 8 | msg[pos + 1];
            if (!jumped)
                *next = pos + 2;
            jumped = true;
            if (target >= limit)
                return UK_EPROTO; /* forward or self pointer: loop guard */
            limit = target;
            pos = target;
            continue;
        }
        if (l > UK_DNS_LABEL_MAX)
            return UK_EPROTO; /* 0x40 and 0x80 label types */
        if (pos + 1 + l > len || n + 1 + l > UK_DNS_NAME_MAX)
            return UK_EPROTO;
        memcpy(out + n, msg + pos, 1 + (size_t)l);
        n += 1 + (size_t)l;
        pos += 1 + (size_t)l;
        if (l == 0)
            break;
    }
    if (!jumped)
        *next = pos;
    *out_len = n;
    return 0;
}

/* Validates the EDNS0 options in rdata[0..rdlen). */
static bool options_ok(const uint8_t *rdata, size_t rdlen)
{
    size_t pos = 0;
    while (pos < rdlen) {
        size_t olen;
        if (rdlen - pos < 4)
            return false;
        olen = uk_load_be16(rdata + pos + 2);
        if (olen > rdlen - pos - 4)
            return false;
        pos += 4 + olen;
    }
    return true;
}

/* Reads one resource record at *pos; records an OPT in q.  Returns 0 or
 * UK_EPROTO (malformed: FORMERR). */
static int parse_rr(const uint8_t *msg, size_t len, size_t *pos,
                    struct uk_dns_query *q, bool *seen_opt)
{
    uint8_t name[UK_DNS_NAME_MAX];
    size_t nlen, p;
    uint16_t type, rdlen;
    uint32_t ttl;
    if (uk_dns_name_unpack(msg, len, *pos, name, &nlen, &p) != 0)
        return UK_EPROTO;
    if (len - p < 10)
        return UK_EPROTO;
    type = uk_load_be16(msg + p);
    ttl = uk_load_be32(msg + p + 4);
    rdlen = uk_load_be16(msg + p + 8);
    if (rdlen > len - p - 10)
        return UK_EPROTO;
    if (type == UK_DNS_OPT) {
        if (*seen_opt || nlen != 1 || !options_ok(msg + p + 10, rdlen))
            return UK_EPROTO;
        *seen_opt = true;
        q->edns_udp_size = uk_load_be16(msg + p + 2);
        if (q->edns_udp_size < UK_DNS_UDP_MIN)
            q->edns_udp_size = UK_DNS_UDP_MIN;
        q->edns_version = (uint8_t)(ttl >> 16);
        q->edns_flags = (uint16_t)ttl;
    }
    *pos = p + 10 + rdlen;
    return 0;
}

static int parse_question(const uint8_t *msg, size_t len, size_t *pos,
                          struct uk_dns_query *q)
{
    size_t p;
    if (uk_dns_name_unpack(msg, len, *pos, q->qname, &q->qname_len, &p) != 0 ||
        len - p < 4)
        return UK_EPROTO;
    q->qtype = uk_load_be16(msg + p);
    q->qclass = uk_load_be16(msg + p + 2);
    uk_dns_name_lower(q->lname, q->qname, q->qname_len);
    q->has_question = true;
    *pos = p + 4;
    return 0;
}

int uk_dns_query_parse(const uint8_t *msg, size_t len, struct uk_dns_query *q)
{
    uint16_t qd, an, ns, ar, i;
    size_t pos = UK_DNS_HDR_LEN;
    bool seen_opt = false;
    q->has_question = false;
    q->edns = false;
    q->qname_len = 0;
    if (len < UK_DNS_HDR_LEN)
        return UK_EPROTO;
    q->id = uk_load_be16(msg);
    q->flags = uk_load_be16(msg + 2);
    if (q->flags & UK_DNS_F_QR)
        return UK_EPROTO;
    q->rcode = UK_DNS_FORMERR;
    qd = uk_load_be16(msg + 4);
    an = uk_load_be16(msg + 6);
    ns = uk_load_be16(msg + 8);
    ar = uk_load_be16(msg + 10);
    if (UK_DNS_OPCODE(q->flags) == UK_DNS_OPCODE_NOTIFY) {
        /* A known opcode we do not accept (we have no secondaries): the
         * answer refuses it (or says NXDOMAIN when the name is no zone). */
        if (qd == 1 && parse_question(msg, len, &pos, q) == 0)
            q->rcode = UK_DNS_REFUSED;
        return 0;
    }
    if (UK_DNS_OPCODE(q->flags) != UK_DNS_OPCODE_QUERY) {
        q->rcode = UK_DNS_NOTIMP;
        return 0;
    }
    if (qd != 1 || an != 0 || ns != 0)
        return 0;
    if (parse_question(msg, len, &pos, q) != 0)
        return 0;
    for (i = 0; i < ar; i++)
        if (parse_rr(msg, len, &pos, q, &seen_opt) != 0)
            return 0;
    q->edns = seen_opt;
    q->rcode = UK_DNS_NOERROR;
    return 0;
}
