/*
 * query_fuzz.c - libFuzzer target for the DNS query parser and the
 * answering code behind it (lib/dns/query.c, answer.c, wire.c): the input
 * is one query message from the network, answered from a small zone that
 * has every kind of node (CNAME chains and loops, wildcards, empty
 * non-terminals, a delegation with glue).
 *
 * Invariants checked (abort() when broken, so the fuzzer reports it):
 *  - no reply only for a message shorter than a header or with QR set;
 *  - a reply never exceeds 512 bytes over UDP without EDNS, nor the
 *    negotiated size with it, nor the buffer over TCP;
 *  - a reply is well formed: its id is the query's, QR is set, and its
 *    sections decode to exactly its length;
 *  - the memoised reply (uk/dns_cache.h, a small cache kept across
 *    inputs) is byte for byte the reply computed afresh.
 * Seeds: fuzz/dns/query_corpus.  tests/dns/test_query_fuzz.c runs this
 * harness over the seeds and pseudo-random inputs in CI.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/bytes.h>
#include <uk/dns_answer.h>
#include <uk/dns_cache.h>
#include <uk/dns_zonefile.h>

static const char query_fuzz_zone[] =
    "$TTL 300\n"
    "@ SOA ns1 hm 1 7200 1800 1209600 60\n"
    "@ NS ns1\n@ NS ns2.example.net.\n@ MX 10 mail\n"
    "ns1 A 192.0.2.53\nns1 AAAA 2001:db8::53\nmail A 192.0.2.25\n"
    "www A 192.0.2.80\nwww A 192.0.2.81\nalias CNAME www\n"
    "loop1 CNAME loop2\nloop2 CNAME loop1\n*.wild A 192.0.2.99\n"
    "*.wild TXT \"wild\"\n"
    "a.b.ent A 192.0.2.7\nsub NS ns.sub\nns.sub A 192.0.2.153\n"
    "big TXT \"0123456789012345678901234567890123456789\" \"abc\"\n";

static struct uk_dns_db query_fuzz_db;
static struct uk_dns_cache query_fuzz_cache;
static int query_fuzz_ready;

static void query_fuzz_init(void)
{
    static uint64_t arena_mem[1 << 13];
    static uint64_t scratch[UK_DNS_ZONEFILE_SCRATCH / 8 + 1];
    static struct uk_arena arena;
    static const uint8_t origin[] = {4, 'f', 'u', 'z', 'z', 0};
    struct uk_dns_zonefile_error err;
    uk_arena_init(&arena, arena_mem, sizeof arena_mem);
    uk_dns_db_init(&query_fuzz_db, &arena);
    if (uk_dns_db_zone_begin(&query_fuzz_db, origin) != 0 ||
        uk_dns_zonefile_parse("fuzz.zone", query_fuzz_zone,
                              sizeof query_fuzz_zone - 1, NULL, origin, 300,
                              scratch, sizeof scratch, uk_dns_db_add,
                              &query_fuzz_db, &err) != 0 ||
        uk_dns_db_zone_end(&query_fuzz_db) != 0)
        abort();
    {
        static struct uk_dns_cache_entry entries[16];
        if (uk_dns_cache_init(&query_fuzz_cache, entries, 16) != 0)
            abort();
    }
    query_fuzz_ready = 1;
}

/* Skips one possibly compressed name; returns the offset after it or 0. */
static size_t query_fuzz_skip(const uint8_t *m, size_t len, size_t pos)
{
    uint8_t name[UK_DNS_NAME_MAX];
    size_t n, next;
    if (uk_dns_name_unpack(m, len, pos, name, &n, &next) != 0)
        return 0;
    return next;
}

/* Whether the reply decodes to exactly its length. */
static int query_fuzz_well_formed(const uint8_t *m, size_t len)
{
    size_t pos = UK_DNS_HDR_LEN;
    unsigned i, rrs;
    if (len < UK_DNS_HDR_LEN || uk_load_be16(m + 4) > 1)
        return 0;
    if (uk_load_be16(m + 4) == 1) {
        if ((pos = query_fuzz_skip(m, len, pos)) == 0 || len - pos < 4)
            return 0;
        pos += 4;
    }
    rrs = (unsigned)uk_load_be16(m + 6) + uk_load_be16(m + 8) +
          uk_load_be16(m + 10);
    for (i = 0; i < rrs; i++) {
        if ((pos = query_fuzz_skip(m, len, pos)) == 0 || len - pos < 10)
            return 0;
        if (uk_load_be16(m + pos + 8) > len - pos - 10)
            return 0;
        pos += 10 + uk_load_be16(m + pos + 8);
    }
    return pos == len;
}

static void query_fuzz_one(const uint8_t *data, size_t size, int tcp)
{
    static uint8_t out[UK_DNS_TCP_MSG_MAX];
    struct uk_dns_answer_cfg cfg;
    struct uk_dns_query q;
    size_t n = 0, limit;
    int rc;
    cfg.tcp = tcp != 0;
    cfg.edns_size = 1232;
    rc = uk_dns_answer(&query_fuzz_db, data, size, &cfg, out, sizeof out, &n);
    if (rc != 0) {
        if (size >= UK_DNS_HDR_LEN && !(data[2] & 0x80))
            abort(); /* dropped a query that deserved a reply */
        return;
    }
    (void)uk_dns_query_parse(data, size, &q);
    limit = sizeof out;
    if (!tcp) {
        limit = UK_DNS_UDP_MIN;
        if (q.edns && q.rcode == UK_DNS_NOERROR)
            limit = q.edns_udp_size < 1232 ? q.edns_udp_size : 1232;
    }
    if (n > limit || n < UK_DNS_HDR_LEN)
        abort();
    if (uk_load_be16(out) != uk_load_be16(data) || !(out[2] & 0x80))
        abort();
    if (!query_fuzz_well_formed(out, n))
        abort();
    {
        static uint8_t memo[UK_DNS_TCP_MSG_MAX];
        size_t m = 0;
        if (uk_dns_cache_answer(&query_fuzz_cache, &query_fuzz_db, data, size,
                                &cfg, memo, sizeof memo, &m) != 0 ||
            m != n || memcmp(memo, out, n) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!query_fuzz_ready)
        query_fuzz_init();
    query_fuzz_one(data, size, 0);
    query_fuzz_one(data, size, 1);
    return 0;
}
