/*
 * uk/dns_db.h - the authoritative database: zones built once, at load
 * time, into a caller-provided arena (uk/arena.h), then only read.
 *
 * Each zone is loaded between uk_dns_db_zone_begin() and
 * uk_dns_db_zone_end(); records arrive through uk_dns_db_add(), which is a
 * uk_dns_rr_cb so the zone-file parser can feed it directly.  zone_end
 * validates the zone and builds its index: a hash table of owner names
 * (lowercased) with, per name, its RRsets, and the flags the answering
 * rules need (zone cut, wildcard child).  Every ancestor of an owner down
 * from the apex gets a node, so empty non-terminals exist (RFC 4592).  A
 * zone that fails validation is dropped whole and its arena space given
 * back: a bad zone is never half-served.
 *
 * Lookups after loading take no locks and allocate nothing.
 */
#ifndef UK_DNS_DB_H
#define UK_DNS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/arena.h>
#include <uk/dns.h>

/* One record of an RRset; rdata lives in the arena. */
struct uk_dns_rdata {
    struct uk_dns_rdata *next;
    uint32_t ttl;
    uint16_t len;
    const uint8_t *data; /* embedded names uncompressed, case as loaded */
};

struct uk_dns_rrset {
    struct uk_dns_rrset *next; /* the node's next RRset, load order */
    uint16_t type;
    uint16_t count;
    struct uk_dns_rdata *first, *last;
};

#define UK_DNS_NODE_CUT 1u /* NS below the apex: a delegation */
#define UK_DNS_NODE_APEX 2u

struct uk_dns_zone;

struct uk_dns_node {
    struct uk_dns_node *hnext; /* hash chain */
    uint32_t hash;
    uint8_t name_len;
    uint8_t flags;
    const uint8_t *lname; /* lowercased, for matching */
    const uint8_t *name;  /* case as first loaded, for output */
    struct uk_dns_rrset *rrsets;
    struct uk_dns_node *wild; /* the child "*" node, or NULL */
    struct uk_dns_zone *zone;
};

struct uk_dns_rec; /* a record waiting for zone_end (db.c) */

struct uk_dns_zone {
    struct uk_dns_zone *next;
    const uint8_t *origin; /* lowercased */
    size_t origin_len;
    int origin_labels;
    struct uk_dns_node *apex;
    const struct uk_dns_rrset *soa;
    struct uk_dns_node **table; /* hash buckets, a power of two */
    uint32_t mask;
    size_t nodes, records;
};

#define UK_DNS_DB_ERR_MAX 160

struct uk_dns_db {
    struct uk_arena *arena; /* BORROWED for the db's lifetime */
    struct uk_dns_zone *zones;
    struct uk_dns_zone *loading; /* between zone_begin and zone_end */
    struct uk_dns_rec *recs;     /* the loading zone's records */
    size_t nrecs;
    size_t mark;                 /* arena use when the zone began */
    int status;                  /* first error of the loading zone */
    char err[UK_DNS_DB_ERR_MAX]; /* one-line reason for the last error */
};

/* Initialises an empty database allocating from arena (BORROWED: it must
 * outlive the db and is used by nothing else while zones load). */
void uk_dns_db_init(struct uk_dns_db *db, struct uk_arena *arena);

/*
 * uk_dns_db_zone_begin(db, origin): starts loading the zone whose apex is
 * the wire name origin (BORROWED; copied).  Returns 0, UK_EBUSY (a zone is
 * already loading), UK_EEXIST (already served), UK_EPROTO (bad name),
 * UK_ENOMEM (arena full).
 */
int uk_dns_db_zone_begin(struct uk_dns_db *db, const uint8_t *origin);

/*
 * uk_dns_db_add(db, rr): a uk_dns_rr_cb (pass the struct uk_dns_db * as
 * arg) adding one record of class IN to the loading zone; rr and what it
 * points to are BORROWED (copied into the arena).  Returns 0, UK_EINVAL
 * (no zone loading, owner outside the zone, class other than IN, a
 * meta type), UK_EPROTO (malformed owner), UK_ENOMEM.  After an error the
 * zone can only be ended (which then fails).  db->err says why.
 */
int uk_dns_db_add(void *db, const struct uk_dns_rr *rr);

/*
 * uk_dns_db_zone_end(db): validates the loading zone (one SOA at the apex,
 * NS at the apex, no CNAME beside other data or a second CNAME, records
 * added without error) and indexes it.  Duplicate records are dropped.
 * Returns 0 (the zone is served), or the first error with db->err set,
 * after dropping the zone: UK_EINVAL, UK_ENOMEM, or the add error.
 */
int uk_dns_db_zone_end(struct uk_dns_db *db);

/* The served zone with the longest origin at or above the lowercased name
 * lname, or NULL. */
const struct uk_dns_zone *uk_dns_db_find_zone(const struct uk_dns_db *db,
                                              const uint8_t *lname,
                                              size_t len);

/* The node of the lowercased name lname in zone z, or NULL. */
const struct uk_dns_node *uk_dns_zone_node(const struct uk_dns_zone *z,
                                           const uint8_t *lname, size_t len,
                                           uint32_t hash);

/* The node's RRset of type, or NULL. */
const struct uk_dns_rrset *uk_dns_node_rrset(const struct uk_dns_node *n,
                                             uint16_t type);

#endif
