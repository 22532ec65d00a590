/*
 * db.c - loading zones into the authoritative database and looking names
 * up.  See uk/dns_db.h.
 */
#include <stdio.h>
#include <string.h>

#include <uk/dns_db.h>
#include <uk/dns_name.h>
#include <uk/err.h>

/* A record as added, kept until zone_end indexes it. */
struct uk_dns_rec {
    struct uk_dns_rec *next;
    const uint8_t *owner; /* case as given */
    uint8_t owner_len;
    uint16_t type;
    uint32_t ttl;
    uint16_t rdlen;
    const uint8_t *rdata;
};

static int fail(struct uk_dns_db *db, int code, const char *what,
                const uint8_t *name, size_t len)
{
    char text[96];
    if (name != NULL)
        uk_dns_name_format(name, len, text, sizeof text);
    else
        text[0] = '\0';
    snprintf(db->err, sizeof db->err, "%s%s%s", what, name != NULL ? ": " : "",
             text);
    if (db->status == 0)
        db->status = code;
    return code;
}

static void *dup(struct uk_arena *a, const void *src, size_t n)
{
    void *p = uk_arena_alloc(a, n == 0 ? 1 : n);
    if (p != NULL && n > 0)
        memcpy(p, src, n);
    return p;
}

void uk_dns_db_init(struct uk_dns_db *db, struct uk_arena *arena)
{
    memset(db, 0, sizeof *db);
    db->arena = arena;
}

static int count_labels(const uint8_t *name)
{
    uint8_t offs[UK_DNS_LABELS_MAX];
    return uk_dns_name_labels(name, offs);
}

int uk_dns_db_zone_begin(struct uk_dns_db *db, const uint8_t *origin)
{
    struct uk_dns_zone *z;
    const struct uk_dns_zone *o;
    size_t len;
    uint8_t *l;
    if (db->loading != NULL)
        return UK_EBUSY;
    db->status = 0;
    db->err[0] = '\0';
    if (uk_dns_name_check(origin, UK_DNS_NAME_MAX, &len) != 0)
        return fail(db, UK_EPROTO, "malformed zone origin", NULL, 0);
    for (o = db->zones; o != NULL; o = o->next)
        if (uk_dns_name_eq(o->origin, o->origin_len, origin, len))
            return fail(db, UK_EEXIST, "zone already loaded", origin, len);
    db->mark = db->arena->used;
    z = uk_arena_alloc(db->arena, sizeof *z);
    l = uk_arena_alloc(db->arena, len);
    if (z == NULL || l == NULL) {
        db->arena->used = db->mark;
        return fail(db, UK_ENOMEM, "out of zone memory", origin, len);
    }
    memset(z, 0, sizeof *z);
    uk_dns_name_lower(l, origin, len);
    z->origin = l;
    z->origin_len = len;
    z->origin_labels = count_labels(l);
    db->loading = z;
    db->recs = NULL;
    db->nrecs = 0;
    db->status = 0;
    return 0;
}

static bool is_meta(uint16_t type)
{
    return type == 0 || type == UK_DNS_OPT || (type >= 128 && type <= 255);
}

int uk_dns_db_add(void *arg, const struct uk_dns_rr *rr)
{
    struct uk_dns_db *db = arg;
    struct uk_dns_zone *z = db->loading;
    struct uk_dns_rec *r;
    size_t len;
    if (z == NULL)
        return UK_EINVAL;
    if (db->status != 0)
        return db->status;
    if (uk_dns_name_check(rr->owner, rr->owner_len, &len) != 0 ||
        len != rr->owner_len)
        return fail(db, UK_EPROTO, "malformed owner name", NULL, 0);
    if (!uk_dns_name_is_under(rr->owner, len, z->origin, z->origin_len))
        return fail(db, UK_EINVAL, "record outside the zone", rr->owner, len);
    if (rr->rclass != UK_DNS_IN)
        return fail(db, UK_EINVAL, "record class is not IN", rr->owner, len);
    if (is_meta(rr->type))
        return fail(db, UK_EINVAL, "meta type in zone data", rr->owner, len);
    r = uk_arena_alloc(db->arena, sizeof *r);
    if (r == NULL || (r->owner = dup(db->arena, rr->owner, len)) == NULL ||
        (r->rdata = dup(db->arena, rr->rdata, rr->rdlen)) == NULL)
        return fail(db, UK_ENOMEM, "out of zone memory", rr->owner, len);
    r->owner_len = (uint8_t)len;
    r->type = rr->type;
    r->ttl = rr->ttl;
    r->rdlen = rr->rdlen;
    /* Prepended; zone_end reverses the list to restore load order. */
    r->next = db->recs;
    db->recs = r;
    db->nrecs++;
    return 0;
}

/* Finds or creates the node of owner (and of its ancestors up to the
 * apex).  owner is arena memory that outlives the zone. */
static struct uk_dns_node *node_get(struct uk_dns_db *db,
                                    struct uk_dns_zone *z,
                                    const uint8_t *owner, size_t len)
{
    uint8_t low[UK_DNS_NAME_MAX];
    uint32_t h;
    struct uk_dns_node *n, *parent = NULL;
    uint8_t *lname;
    uk_dns_name_lower(low, owner, len);
    h = uk_dns_name_hash(low, len);
    n = (struct uk_dns_node *)uk_dns_zone_node(z, low, len, h);
    if (n != NULL)
        return n;
    if (len > z->origin_len) {
        size_t skip = 1 + (size_t)owner[0];
        parent = node_get(db, z, owner + skip, len - skip);
        if (parent == NULL)
            return NULL;
    }
    n = uk_arena_alloc(db->arena, sizeof *n);
    lname = dup(db->arena, low, len);
    if (n == NULL || lname == NULL)
        return NULL;
    memset(n, 0, sizeof *n);
    n->hash = h;
    n->name_len = (uint8_t)len;
    n->lname = lname;
    n->name = owner;
    n->zone = z;
    n->hnext = z->table[h & z->mask];
    z->table[h & z->mask] = n;
    if (parent != NULL && uk_dns_name_is_wild(owner))
        parent->wild = n;
    z->nodes++;
    return n;
}

/* Adds record r to its node's RRset, dropping an exact duplicate. */
static int node_add(struct uk_dns_db *db, struct uk_dns_node *n,
                    const struct uk_dns_rec *r)
{
    struct uk_dns_rrset *s, **link = &n->rrsets;
    struct uk_dns_rdata *d;
    for (s = n->rrsets; s != NULL; link = &s->next, s = s->next)
        if (s->type == r->type)
            break;
    if (s == NULL) {
        s = uk_arena_alloc(db->arena, sizeof *s);
        if (s == NULL)
            return UK_ENOMEM;
        memset(s, 0, sizeof *s);
        s->type = r->type;
        *link = s;
    }
    for (d = s->first; d != NULL; d = d->next)
        if (d->len == r->rdlen && memcmp(d->data, r->rdata, r->rdlen) == 0)
            return 0;
    d = uk_arena_alloc(db->arena, sizeof *d);
    if (d == NULL)
        return UK_ENOMEM;
    d->next = NULL;
    d->ttl = r->ttl;
    d->len = r->rdlen;
    d->data = r->rdata;
    if (s->last != NULL)
        s->last->next = d;
    else
        s->first = d;
    s->last = d;
    s->count++;
    return 0;
}

/* Checks one node's RRsets against the rules of the zone. */
static int node_check(struct uk_dns_db *db, struct uk_dns_zone *z,
                      struct uk_dns_node *n)
{
    const struct uk_dns_rrset *s;
    const struct uk_dns_rrset *cname = uk_dns_node_rrset(n, UK_DNS_CNAME);
    int sets = 0;
    for (s = n->rrsets; s != NULL; s = s->next)
        sets++;
    if (cname != NULL && (cname->count > 1 || sets > 1))
        return fail(db, UK_EINVAL, "CNAME beside other data", n->name,
                    n->name_len);
    if (n != z->apex && uk_dns_node_rrset(n, UK_DNS_SOA) != NULL)
        return fail(db, UK_EINVAL, "SOA below the zone apex", n->name,
                    n->name_len);
    if (n != z->apex && uk_dns_node_rrset(n, UK_DNS_NS) != NULL)
        n->flags |= UK_DNS_NODE_CUT;
    return 0;
}

/* Reverses the record list into load order and counts owner nodes. */
static size_t prepare(struct uk_dns_db *db, const struct uk_dns_zone *z)
{
    struct uk_dns_rec *r = db->recs, *prev = NULL, *next;
    size_t bound = 1;
    for (; r != NULL; r = next) {
        next = r->next;
        r->next = prev;
        prev = r;
        bound += (size_t)(count_labels(r->owner) - z->origin_labels) + 1;
    }
    db->recs = prev;
    return bound;
}

static int build(struct uk_dns_db *db, struct uk_dns_zone *z)
{
    struct uk_dns_rec *r;
    size_t bound = prepare(db, z), size = 16, i;
    while (size < 2 * bound)
        size *= 2;
    z->table = uk_arena_alloc(db->arena, size * sizeof *z->table);
    if (z->table == NULL)
        return fail(db, UK_ENOMEM, "out of zone memory", z->origin,
                    z->origin_len);
    memset(z->table, 0, size * sizeof *z->table);
    z->mask = (uint32_t)(size - 1);
    z->apex = node_get(db, z, z->origin, z->origin_len);
    if (z->apex == NULL)
        return fail(db, UK_ENOMEM, "out of zone memory", z->origin,
                    z->origin_len);
    z->apex->flags |= UK_DNS_NODE_APEX;
    for (r = db->recs; r != NULL; r = r->next) {
        struct uk_dns_node *n = node_get(db, z, r->owner, r->owner_len);
        if (n == NULL || node_add(db, n, r) != 0)
            return fail(db, UK_ENOMEM, "out of zone memory", r->owner,
                        r->owner_len);
        z->records++;
    }
    for (i = 0; i < size; i++) {
        struct uk_dns_node *n;
        for (n = z->table[i]; n != NULL; n = n->hnext)
            if (node_check(db, z, n) != 0)
                return db->status;
    }
    z->soa = uk_dns_node_rrset(z->apex, UK_DNS_SOA);
    if (z->soa == NULL || z->soa->count != 1 || z->soa->first->len < 22)
        return fail(db, UK_EINVAL, "zone needs exactly one SOA at its apex",
                    z->origin, z->origin_len);
    if (uk_dns_node_rrset(z->apex, UK_DNS_NS) == NULL)
        return fail(db, UK_EINVAL, "zone has no NS at its apex", z->origin,
                    z->origin_len);
    return 0;
}

int uk_dns_db_zone_end(struct uk_dns_db *db)
{
    struct uk_dns_zone *z = db->loading, **link;
    int rc;
    if (z == NULL)
        return UK_EINVAL;
    rc = db->status != 0 ? db->status : build(db, z);
    db->loading = NULL;
    db->recs = NULL;
    if (rc != 0) {
        db->arena->used = db->mark; /* drop the whole zone */
        return rc;
    }
    /* Keep the list ordered longest origin first, so find_zone can stop
     * at the first match. */
    for (link = &db->zones; *link != NULL; link = &(*link)->next)
        if ((*link)->origin_len < z->origin_len)
            break;
    z->next = *link;
    *link = z;
    return 0;
}

const struct uk_dns_zone *uk_dns_db_find_zone(const struct uk_dns_db *db,
                                              const uint8_t *lname, size_t len)
{
    const struct uk_dns_zone *z;
    for (z = db->zones; z != NULL; z = z->next) {
        size_t zl = z->origin_len;
        if (zl <= len && memcmp(lname + len - zl, z->origin, zl) == 0 &&
            uk_dns_name_is_under(lname, len, z->origin, zl))
            return z;
    }
    return NULL;
}

const struct uk_dns_node *uk_dns_zone_node(const struct uk_dns_zone *z,
                                           const uint8_t *lname, size_t len,
                                           uint32_t hash)
{
    const struct uk_dns_node *n;
    for (n = z->table[hash & z->mask]; n != NULL; n = n->hnext)
        if (n->hash == hash && n->name_len == len &&
            memcmp(n->lname, lname, len) == 0)
            return n;
    return NULL;
}

const struct uk_dns_rrset *uk_dns_node_rrset(const struct uk_dns_node *n,
                                             uint16_t type)
{
    const struct uk_dns_rrset *s;
    for (s = n->rrsets; s != NULL; s = s->next)
        if (s->type == type)
            return s;
    return NULL;
}
