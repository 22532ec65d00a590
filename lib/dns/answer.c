/*
 * answer.c - the answering rules of an authoritative server.  See
 * uk/dns_answer.h.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/dns_answer.h>
#include <uk/dns_name.h>
#include <uk/err.h>

#include "wire.h"

#define DNS_DS 43 /* answered by the parent side of a zone cut */

struct ctx {
    const struct uk_dns_query *q;
    const struct uk_dns_zone *zone;
    struct uk__dns_wire w;
    uint16_t flags;
    int rcode;
    uint16_t an, ns, ar;
    bool tc;
    bool header_only; /* error replies without the question */
    int nvisited;     /* nodes answered from, to stop CNAME loops */
    const struct uk_dns_node *visited[UK_DNS_CNAME_CHAIN_MAX];
};

enum kind { FOUND, WILD, NXDOMAIN, REFERRAL };

/* Walks from the apex down to lname (lowercased, in zone z): stops at a
 * zone cut, at the name, or where the tree ends (wildcard or NXDOMAIN). */
static enum kind resolve(const struct uk_dns_zone *z, const uint8_t *lname,
                         size_t len, uint16_t qtype,
                         const struct uk_dns_node **out)
{
    uint8_t offs[UK_DNS_LABELS_MAX];
    int nl = uk_dns_name_labels(lname, offs), k;
    const struct uk_dns_node *ce = z->apex;
    for (k = nl - z->origin_labels - 1; k >= 0; k--) {
        const uint8_t *s = lname + offs[k];
        size_t sl = len - offs[k];
        const struct uk_dns_node *n =
            uk_dns_zone_node(z, s, sl, uk_dns_name_hash(s, sl));
        if (n == NULL) {
            *out = ce->wild != NULL ? ce->wild : ce;
            return ce->wild != NULL ? WILD : NXDOMAIN;
        }
        if ((n->flags & UK_DNS_NODE_CUT) && !(k == 0 && qtype == DNS_DS)) {
            *out = n;
            return REFERRAL;
        }
        ce = n;
    }
    *out = ce;
    return FOUND;
}

/* Appends the RRset s under owner; counts into *count.  On overflow
 * rolls the RRset back and returns UK_EMSGSIZE. */
static int put_rrset(struct ctx *c, const uint8_t *owner, size_t olen,
                     const struct uk_dns_rrset *s, uint16_t *count)
{
    struct uk__dns_wire_mark m = uk__dns_wire_mark(&c->w);
    const struct uk_dns_rdata *d;
    uint16_t n = 0;
    for (d = s->first; d != NULL; d = d->next, n++)
        if (uk__dns_wire_rr(&c->w, owner, olen, s->type, d->ttl, d->data,
                            d->len) != 0) {
            uk__dns_wire_rollback(&c->w, m);
            return UK_EMSGSIZE;
        }
    *count = (uint16_t)(*count + n);
    return 0;
}

/* A required RRset did not fit (put_rrset rolled it back): keep the
 * whole RRsets written before it and set TC (RFC 2181 9; NSD does the
 * same). */
static void truncate(struct ctx *c)
{
    c->tc = true;
}

/* NXDOMAIN / NODATA: the SOA with the RFC 2308 negative TTL. */
static int negative(struct ctx *c)
{
    const struct uk_dns_rdata *d = c->zone->soa->first;
    uint32_t min = uk_load_be32(d->data + d->len - 4);
    const struct uk_dns_node *apex = c->zone->apex;
    struct uk__dns_wire_mark m = uk__dns_wire_mark(&c->w);
    if (c->q->qclass != UK_DNS_IN)
        return 0;
    if (uk__dns_wire_rr(&c->w, apex->name, apex->name_len, UK_DNS_SOA,
                        d->ttl < min ? d->ttl : min, d->data, d->len) != 0) {
        uk__dns_wire_rollback(&c->w, m);
        return UK_EMSGSIZE;
    }
    c->ns++;
    return 0;
}

/* Optional address records of an in-zone name (glue): left out when they
 * do not fit. */
static void additional(struct ctx *c, const uint8_t *target, size_t len,
                       uint16_t type)
{
    uint8_t low[UK_DNS_NAME_MAX];
    const struct uk_dns_node *n;
    const struct uk_dns_rrset *s;
    if (!uk_dns_name_is_under(target, len, c->zone->origin,
                              c->zone->origin_len))
        return;
    uk_dns_name_lower(low, target, len);
    n = uk_dns_zone_node(c->zone, low, len, uk_dns_name_hash(low, len));
    if (n == NULL)
        return;
    if ((s = uk_dns_node_rrset(n, type)) != NULL)
        (void)put_rrset(c, n->name, n->name_len, s, &c->ar);
}

/* Glue for an NS RRset: the A records of every in-zone target, then
 * their AAAA records (NSD's order). */
static void glue(struct ctx *c, const struct uk_dns_rrset *ns)
{
    const struct uk_dns_rdata *d;
    int pass;
    for (pass = 0; pass < 2; pass++)
        for (d = ns->first; d != NULL; d = d->next) {
            size_t n;
            if (uk_dns_name_check(d->data, d->len, &n) == 0)
                additional(c, d->data, n, pass == 0 ? UK_DNS_A : UK_DNS_AAAA);
        }
}

static int referral(struct ctx *c, const struct uk_dns_node *cut)
{
    const struct uk_dns_rrset *ns = uk_dns_node_rrset(cut, UK_DNS_NS);
    if (put_rrset(c, cut->name, cut->name_len, ns, &c->ns) != 0)
        return UK_EMSGSIZE;
    glue(c, ns);
    return 0;
}

/* The data of node n for the name (owner, olen); *next is set to a CNAME
 * target to follow, or NULL. */
static int node_answer(struct ctx *c, const struct uk_dns_node *n,
                       const uint8_t *owner, size_t olen, const uint8_t **next,
                       size_t *next_len)
{
    uint16_t qtype = c->q->qtype;
    const struct uk_dns_rrset *s;
    *next = NULL;
    if (qtype == UK_DNS_ANY && n->rrsets != NULL)
        return put_rrset(c, owner, olen, n->rrsets, &c->an);
    if ((s = uk_dns_node_rrset(n, qtype)) != NULL) {
        if (put_rrset(c, owner, olen, s, &c->an) != 0)
            return UK_EMSGSIZE;
        if (qtype == UK_DNS_NS)
            glue(c, s);
        return 0;
    }
    s = uk_dns_node_rrset(n, UK_DNS_CNAME);
    if (s == NULL || qtype == UK_DNS_ANY)
        return negative(c);
    if (put_rrset(c, owner, olen, s, &c->an) != 0)
        return UK_EMSGSIZE;
    if (uk_dns_name_check(s->first->data, s->first->len, next_len) != 0)
        *next = NULL;
    else
        *next = s->first->data;
    return 0;
}

/* Whether node n was answered from already; remembers it if not. */
static bool visited(struct ctx *c, const struct uk_dns_node *n)
{
    int i;
    for (i = 0; i < c->nvisited; i++)
        if (c->visited[i] == n)
            return true;
    if (c->nvisited < UK_DNS_CNAME_CHAIN_MAX)
        c->visited[c->nvisited++] = n;
    return false;
}

/* Looks the question up in c->zone, following CNAMEs inside it. */
static int lookup(struct ctx *c)
{
    uint8_t lname[UK_DNS_NAME_MAX];
    const uint8_t *name = c->q->qname;
    size_t len = c->q->qname_len;
    int hops;
    memcpy(lname, c->q->lname, len);
    for (hops = 0;; hops++) {
        const struct uk_dns_node *n;
        const uint8_t *next;
        size_t next_len;
        int rc;
        switch (resolve(c->zone, lname, len, c->q->qtype, &n)) {
        case REFERRAL:
            if (hops == 0)
                c->flags &= (uint16_t)~UK_DNS_F_AA;
            return referral(c, n);
        case NXDOMAIN:
            c->rcode = UK_DNS_NXDOMAIN;
            return negative(c);
        case FOUND:
        case WILD:
            break;
        }
        if (visited(c, n))
            return 0; /* a CNAME loop: stop where it closes, as NSD does */
        rc = node_answer(c, n, name, len, &next, &next_len);
        if (rc != 0 || next == NULL || hops + 1 >= UK_DNS_CNAME_CHAIN_MAX ||
            !uk_dns_name_is_under(next, next_len, c->zone->origin,
                                  c->zone->origin_len))
            return rc;
        name = next;
        len = next_len;
        uk_dns_name_lower(lname, name, len);
    }
}

/* Whether the query names the apex of a served zone. */
static bool is_apex(const struct ctx *c)
{
    return c->zone != NULL && c->zone->origin_len == c->q->qname_len;
}

/* Zone transfers are not offered: REFUSED over TCP; over UDP, AXFR is
 * NOTIMP and IXFR REFUSED at an apex, NOTAUTH elsewhere (as NSD). */
static int transfer_rcode(const struct ctx *c, bool tcp)
{
    if (tcp)
        return UK_DNS_REFUSED;
    if (c->q->qtype == UK_DNS_AXFR)
        return UK_DNS_NOTIMP;
    return is_apex(c) ? UK_DNS_REFUSED : UK_DNS_NOTAUTH;
}

/* Decides the reply to a well-formed query and writes its sections.
 * Class ANY is answered from the IN data, without AA and without the SOA
 * of negative answers (we are not authoritative for every class). */
static void respond(struct ctx *c, const struct uk_dns_db *db, bool tcp)
{
    const struct uk_dns_query *q = c->q;
    if (q->edns && q->edns_version > 0) {
        c->rcode = UK_DNS_BADVERS;
        return;
    }
    if (q->qclass != UK_DNS_IN && q->qclass != UK_DNS_CLASS_ANY) {
        c->rcode = UK_DNS_REFUSED;
        c->header_only = q->qclass != UK_DNS_CH;
        return;
    }
    c->zone = uk_dns_db_find_zone(db, q->lname, q->qname_len);
    if (q->qtype == UK_DNS_AXFR || q->qtype == UK_DNS_IXFR) {
        c->rcode = transfer_rcode(c, tcp);
        return;
    }
    if (c->zone == NULL) {
        c->rcode = UK_DNS_REFUSED;
        return;
    }
    if (q->qclass == UK_DNS_IN)
        c->flags |= UK_DNS_F_AA;
    if (lookup(c) != 0)
        truncate(c);
}

static void put_header(struct ctx *c)
{
    uint8_t *h = c->w.buf;
    uint16_t flags = c->flags | (uint16_t)(c->rcode & 0xf);
    if (c->tc)
        flags |= UK_DNS_F_TC;
    uk_store_be16(h, c->q->id);
    uk_store_be16(h + 2, flags);
    uk_store_be16(h + 4, c->header_only ? 0 : 1);
    uk_store_be16(h + 6, c->an);
    uk_store_be16(h + 8, c->ns);
    uk_store_be16(h + 10, c->ar);
}

/* The OPT record of the reply: our size, extended rcode, DO copied. */
static void put_opt(struct ctx *c, uint16_t size)
{
    uint8_t opt[11];
    uint32_t ttl =
        (uint32_t)(c->rcode >> 4) << 24 | (c->q->edns_flags & UK_DNS_EDNS_DO);
    opt[0] = 0;
    uk_store_be16(opt + 1, UK_DNS_OPT);
    uk_store_be16(opt + 3, size);
    uk_store_be32(opt + 5, ttl);
    uk_store_be16(opt + 9, 0);
    if (uk__dns_wire_bytes(&c->w, opt, sizeof opt) == 0)
        c->ar++;
}

size_t uk_dns_answer_limit(const struct uk_dns_query *q,
                           const struct uk_dns_answer_cfg *cfg, size_t cap)
{
    size_t limit = cap > UK_DNS_TCP_MSG_MAX ? UK_DNS_TCP_MSG_MAX : cap;
    uint16_t ours =
        cfg->edns_size < UK_DNS_UDP_MIN ? UK_DNS_UDP_MIN : cfg->edns_size;
    if (!cfg->tcp) {
        size_t udp = UK_DNS_UDP_MIN;
        if (q->edns)
            udp = q->edns_udp_size < ours ? q->edns_udp_size : ours;
        if (udp < limit)
            limit = udp;
    }
    return limit;
}

int uk_dns_answer_query(const struct uk_dns_db *db,
                        const struct uk_dns_query *q,
                        const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                        size_t cap, size_t *out_len)
{
    struct ctx c;
    size_t limit = uk_dns_answer_limit(q, cfg, cap);
    uint16_t ours =
        cfg->edns_size < UK_DNS_UDP_MIN ? UK_DNS_UDP_MIN : cfg->edns_size;
    if (limit < UK_DNS_UDP_MIN)
        return UK_EINVAL;
    c.q = q;
    c.zone = NULL;
    c.w.buf = out;
    c.w.len = UK_DNS_HDR_LEN;
    c.w.max = limit - (q->edns ? 11 : 0);
    c.nvisited = 0;
    c.w.nnames = 0;
    c.flags = UK_DNS_F_QR | (q->flags & (0x7800u | UK_DNS_F_RD));
    c.rcode = q->rcode;
    c.an = c.ns = c.ar = 0;
    c.tc = false;
    c.header_only = q->rcode != UK_DNS_NOERROR;
    if (!c.header_only) {
        uint8_t tc[4];
        uk_store_be16(tc, q->qtype);
        uk_store_be16(tc + 2, q->qclass);
        /* Fits: a name is at most 255 bytes and limit is at least 512. */
        (void)uk__dns_wire_name(&c.w, q->qname, q->qname_len);
        (void)uk__dns_wire_bytes(&c.w, tc, 4);
    }
    if (c.rcode == UK_DNS_NOERROR)
        respond(&c, db, cfg->tcp);
    else if (UK_DNS_OPCODE(q->flags) == UK_DNS_OPCODE_NOTIFY &&
             c.rcode == UK_DNS_REFUSED) {
        c.zone = uk_dns_db_find_zone(db, q->lname, q->qname_len);
        if (!is_apex(&c))
            c.rcode = UK_DNS_NXDOMAIN;
    }
    if (c.header_only) {
        c.w.len = UK_DNS_HDR_LEN;
        c.an = c.ns = c.ar = 0;
    }
    put_header(&c);
    if (q->edns) {
        c.w.max = limit;
        put_opt(&c, ours);
        uk_store_be16(out + 10, c.ar);
    }
    *out_len = c.w.len;
    return 0;
}

int uk_dns_answer(const struct uk_dns_db *db, const uint8_t *msg, size_t len,
                  const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                  size_t cap, size_t *out_len)
{
    struct uk_dns_query q;
    int rc = uk_dns_query_parse(msg, len, &q);
    if (rc != 0)
        return rc;
    return uk_dns_answer_query(db, &q, cfg, out, cap, out_len);
}
