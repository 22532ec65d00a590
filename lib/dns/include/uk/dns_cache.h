/*
 * uk/dns_cache.h - memoised replies (MirageOS's idea): the database never
 * changes after loading, so the reply to a question depends only on the
 * question and the few query fields that shape it (class, EDNS version,
 * DO bit, the size limit).  The first reply to a question is kept in a
 * fixed, direct-mapped table of caller-owned entries; later queries get a
 * copy with their id, RD bit and question name (its case: every name
 * under the question is compressed to it) patched in.  Measured on
 * example.zone: ~630 ns per answer computed, ~150 ns per answer copied
 * (bench/dns.sh, examples/dns/README.md).
 *
 * Replies over UK_DNS_CACHE_REPLY_MAX bytes and error replies to
 * malformed queries are computed every time.  No allocation: entries are
 * filled in place, the newest question taking the slot.
 */
#ifndef UK_DNS_CACHE_H
#define UK_DNS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <uk/dns_answer.h>

#define UK_DNS_CACHE_REPLY_MAX 512

struct uk_dns_cache_entry {
    uint32_t hash;
    uint16_t qtype, qclass;
    uint16_t limit; /* the reply size limit it was made for */
    uint16_t shape; /* EDNS present, version, DO bit */
    uint16_t len;   /* reply bytes; 0: empty slot */
    uint8_t qname_len;
    uint8_t lname[UK_DNS_NAME_MAX];
    uint8_t reply[UK_DNS_CACHE_REPLY_MAX];
};

struct uk_dns_cache {
    struct uk_dns_cache_entry *entries; /* BORROWED for the cache's life */
    uint32_t mask;
    uint64_t hits, misses;
};

/* Uses entries[count] (caller storage; count a power of two >= 1) as an
 * empty cache.  Returns 0 or UK_EINVAL. */
int uk_dns_cache_init(struct uk_dns_cache *c,
                      struct uk_dns_cache_entry *entries, size_t count);

/*
 * uk_dns_cache_answer(c, db, msg, len, cfg, out, cap, out_len): as
 * uk_dns_answer() (same arguments, results and ownership), through the
 * cache.  db must be the same database for every call on c.
 */
int uk_dns_cache_answer(struct uk_dns_cache *c, const struct uk_dns_db *db,
                        const uint8_t *msg, size_t len,
                        const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                        size_t cap, size_t *out_len);

#endif
