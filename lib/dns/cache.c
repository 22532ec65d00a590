/*
 * cache.c - memoised replies.  See uk/dns_cache.h.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/dns_cache.h>
#include <uk/dns_name.h>
#include <uk/err.h>

int uk_dns_cache_init(struct uk_dns_cache *c,
                      struct uk_dns_cache_entry *entries, size_t count)
{
    size_t i;
    if (count == 0 || (count & (count - 1)) != 0 || count > UINT32_MAX)
        return UK_EINVAL;
    c->entries = entries;
    c->mask = (uint32_t)(count - 1);
    c->hits = c->misses = 0;
    for (i = 0; i < count; i++)
        entries[i].len = 0;
    return 0;
}

/* What besides the name and type shapes the reply. */
static uint16_t shape(const struct uk_dns_query *q)
{
    if (!q->edns)
        return 0;
    return (uint16_t)(1u | (q->edns_flags & UK_DNS_EDNS_DO ? 2u : 0u) |
                      (unsigned)q->edns_version << 8);
}

static bool same_key(const struct uk_dns_cache_entry *e, uint32_t h,
                     const struct uk_dns_query *q, uint16_t limit, uint16_t sh)
{
    return e->len != 0 && e->hash == h && e->qtype == q->qtype &&
           e->qclass == q->qclass && e->limit == limit && e->shape == sh &&
           e->qname_len == q->qname_len &&
           memcmp(e->lname, q->lname, q->qname_len) == 0;
}

/* The cached reply, patched for this query. */
static void copy_out(const struct uk_dns_cache_entry *e,
                     const struct uk_dns_query *q, uint8_t *out,
                     size_t *out_len)
{
    uint16_t flags;
    memcpy(out, e->reply, e->len);
    uk_store_be16(out, q->id);
    flags = (uint16_t)(uk_load_be16(out + 2) & ~UK_DNS_F_RD);
    uk_store_be16(out + 2, (uint16_t)(flags | (q->flags & UK_DNS_F_RD)));
    memcpy(out + UK_DNS_HDR_LEN, q->qname, q->qname_len);
    *out_len = e->len;
}

int uk_dns_cache_answer(struct uk_dns_cache *c, const struct uk_dns_db *db,
                        const uint8_t *msg, size_t len,
                        const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                        size_t cap, size_t *out_len)
{
    struct uk_dns_query q;
    struct uk_dns_cache_entry *e;
    uint16_t limit, sh;
    uint32_t h;
    int rc = uk_dns_query_parse(msg, len, &q);
    if (rc != 0)
        return rc;
    if (q.rcode != UK_DNS_NOERROR)
        return uk_dns_answer_query(db, &q, cfg, out, cap, out_len);
    limit = (uint16_t)uk_dns_answer_limit(&q, cfg, cap);
    sh = shape(&q);
    h = uk_dns_name_hash(q.lname, q.qname_len) ^
        ((uint32_t)q.qtype * 2654435761u) ^ ((uint32_t)limit << 7) ^ sh ^
        ((uint32_t)q.qclass << 20);
    e = &c->entries[h & c->mask];
    if (same_key(e, h, &q, limit, sh) && e->len <= cap) {
        c->hits++;
        copy_out(e, &q, out, out_len);
        return 0;
    }
    c->misses++;
    rc = uk_dns_answer_query(db, &q, cfg, out, cap, out_len);
    /* Only replies that echo the question can be patched for the next
     * query (a header-only REFUSED has none). */
    if (rc != 0 || *out_len > UK_DNS_CACHE_REPLY_MAX ||
        uk_load_be16(out + 4) != 1)
        return rc;
    e->hash = h;
    e->qtype = q.qtype;
    e->qclass = q.qclass;
    e->limit = limit;
    e->shape = sh;
    e->qname_len = (uint8_t)q.qname_len;
    memcpy(e->lname, q.lname, q.qname_len);
    memcpy(e->reply, out, *out_len);
    e->len = (uint16_t)*out_len;
    return 0;
}
