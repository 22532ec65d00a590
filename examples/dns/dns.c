/*
 * dns.c - the dns appliance: zones from a KV_RO store into lib/dns's
 * database, served over UDP and TCP.  The zones' memory comes from the
 * image's budget (uk_default_mem()), measured then allocated: the zones
 * are loaded into a growing trial arena (doubled while too small, with a
 * parser scratch doubled while a file does not fit), then once more into
 * an arena of exactly the bytes they took; the scratch and the trial go
 * back to the budget.  TCP connections take their memory from the same
 * budget, up to the image's declared connections.
 */
#include <string.h>

#include <uk/dns_name.h>
#include <uk/dns_server.h>
#include <uk/dns_zonefile.h>
#include <uk/target.h>

#include "dns.h"

#define DNS_ARENA_FIRST (64u << 10) /* the first trial arena */
#define DNS_SCRATCH_FIRST (UK_DNS_ZONEFILE_SCRATCH + (16u << 10))
#define DNS_CACHE_MAX 1024 /* memoised replies at most (~800 KiB) */
#define DNS_CACHE_MIN 16
#define DNS_DEFAULT_TTL 3600

static struct {
    struct uk_console *con;
    struct uk_arena arena;
    struct uk_dns_db db;
    struct uk_dns_server srv;
    struct uk_dns_cache_entry *cache; /* owned: ncache entries from mem */
    size_t ncache;
    struct uk_mem *mem; /* BORROWED: the image's budget */
    void *arena_mem;    /* owned: arena_size bytes from mem */
    size_t arena_size;
    void *scratch; /* owned while loading: scratch_size bytes */
    size_t scratch_size;
    bool trial; /* a trial load: running out is not an error to log */
} dns;

/* Loads one zone: origin text (len bytes) from key. */
static int load_zone(struct uk_kv_ro *store, const char *origin_text,
                     size_t olen, const char *key, bool verbose)
{
    uint8_t origin[UK_DNS_NAME_MAX];
    char text[UK_KV_NAME_MAX + 2];
    size_t n;
    struct uk_dns_zonefile_error err;
    int rc = UK_ENAMETOOLONG;
    /* The origin is always absolute: "example.com" means "example.com." */
    if (olen <= UK_KV_NAME_MAX) {
        memcpy(text, origin_text, olen);
        if (olen == 0 || text[olen - 1] != '.')
            text[olen++] = '.';
        rc = uk_dns_name_from_text(text, olen, NULL, origin, &n);
    }
    if (rc != 0) {
        uk_console_printf(dns.con, "dns: zone origin '%.*s': %s", (int)olen,
                          origin_text, uk_strerror(rc));
        return rc;
    }
    rc = uk_dns_db_zone_begin(&dns.db, origin);
    if (rc == UK_ENOMEM && dns.trial)
        return rc;
    if (rc != 0) {
        uk_console_printf(dns.con, "dns: %s: %s", key, dns.db.err);
        return rc;
    }
    rc = uk_dns_zonefile_load(store, key, origin, DNS_DEFAULT_TTL, dns.scratch,
                              dns.scratch_size, uk_dns_db_add, &dns.db, &err);
    if (rc != 0) {
        (void)uk_dns_db_zone_end(&dns.db); /* drops the zone */
        if (dns.trial && (rc == UK_ENOMEM || rc == UK_ENOSPC))
            return rc; /* the trial grows and tries again */
        /* The database's reason, when it refused a record. */
        const char *why = dns.db.err[0] != '\0' ? dns.db.err : "";
        if (err.line != 0)
            uk_console_printf(dns.con, "dns: %s:%u:%u: %s%s%s", err.file,
                              err.line, err.column, err.message,
                              why[0] ? ": " : "", why);
        else
            uk_console_printf(dns.con, "dns: %s: %s%s%s", key, err.message,
                              why[0] ? ": " : "", why);
        return rc;
    }
    rc = uk_dns_db_zone_end(&dns.db);
    if (rc == UK_ENOMEM && dns.trial)
        return rc;
    if (rc != 0) {
        uk_console_printf(dns.con, "dns: %s: %s", key, dns.db.err);
        return rc;
    }
    if (verbose && !dns.trial) {
        const struct uk_dns_zone *z;
        uk_dns_name_lower(origin, origin, n);
        z = uk_dns_db_find_zone(&dns.db, origin, n);
        uk_console_printf(dns.con, "dns: zone %.*s from %s: %zu records",
                          (int)olen, origin_text, key,
                          z != NULL ? z->records : (size_t)0);
    }
    return 0;
}

/* --zone=ORIGIN:KEY,ORIGIN:KEY... */
static int load_list(struct uk_kv_ro *store, const char *list, bool verbose)
{
    char key[UK_KV_KEY_MAX + 1];
    const char *p = list;
    while (*p != '\0') {
        const char *end = strchr(p, ','), *colon;
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        int rc;
        colon = memchr(p, ':', len);
        if (colon == NULL || colon == p ||
            (size_t)(p + len - colon - 1) == 0 ||
            (size_t)(p + len - colon - 1) > UK_KV_KEY_MAX) {
            uk_console_printf(dns.con,
                              "dns: --zone: '%.*s' is not "
                              "ORIGIN:KEY",
                              (int)len, p);
            return UK_EINVAL;
        }
        memcpy(key, colon + 1, (size_t)(p + len - colon - 1));
        key[p + len - colon - 1] = '\0';
        rc = load_zone(store, p, (size_t)(colon - p), key, verbose);
        if (rc != 0)
            return rc;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Every NAME.zone file at the store's root, as zone NAME. */
static int load_all(struct uk_kv_ro *store, bool verbose)
{
    struct uk_kv_entry e;
    size_t i;
    int loaded = 0;
    for (i = 0; uk_kv_ro_list(store, "", i, &e) == 0; i++) {
        size_t n = strlen(e.name);
        int rc;
        if (e.kind != UK_KV_FILE || n <= 5 ||
            strcmp(e.name + n - 5, ".zone") != 0)
            continue;
        rc = load_zone(store, e.name, n - 5, e.name, verbose);
        if (rc != 0)
            return rc;
        loaded++;
    }
    if (loaded == 0) {
        uk_console_printf(dns.con, "dns: no NAME.zone file in the zone "
                                   "store (or give --zone=ORIGIN:KEY)");
        return UK_ENOENT;
    }
    return 0;
}

/* One load of every zone into a fresh arena of size bytes from the
 * budget; UK_ENOMEM when the budget cannot give them or the zones need
 * more. */
static int load_into(struct uk_kv_ro *store, const struct dns_config *cfg,
                     size_t size)
{
    uk_mem_free(dns.mem, dns.arena_mem, dns.arena_size);
    dns.arena_size = size;
    if ((dns.arena_mem = uk_mem_alloc(dns.mem, size)) == NULL) {
        dns.arena_size = 0;
        return UK_ENOMEM;
    }
    uk_arena_init(&dns.arena, dns.arena_mem, size);
    uk_dns_db_init(&dns.db, &dns.arena);
    return cfg->zones != NULL ? load_list(store, cfg->zones, cfg->verbose)
                              : load_all(store, cfg->verbose);
}

/* Measure, then allocate: trial loads grow the arena (and the parser's
 * scratch) until the zones fit, then the zones are loaded into an arena of
 * exactly what they took. */
static int load_zones(struct uk_kv_ro *store, const struct dns_config *cfg)
{
    size_t size = DNS_ARENA_FIRST, need;
    int rc;
    dns.scratch_size = DNS_SCRATCH_FIRST;
    dns.trial = true;
    for (;;) {
        if ((dns.scratch = uk_mem_alloc(dns.mem, dns.scratch_size)) == NULL)
            rc = UK_ENOMEM;
        else
            rc = load_into(store, cfg, size);
        if (rc == UK_ENOSPC && dns.scratch_size < SIZE_MAX / 2) {
            uk_mem_free(dns.mem, dns.scratch, dns.scratch_size);
            dns.scratch_size *= 2; /* a file did not fit the scratch */
            continue;
        }
        if (rc == UK_ENOMEM && dns.scratch != NULL && dns.arena_mem != NULL &&
            size < SIZE_MAX / 2) {
            uk_mem_free(dns.mem, dns.scratch, dns.scratch_size);
            size *= 2;
            continue;
        }
        break;
    }
    dns.trial = false;
    if (rc == 0) {
        need = dns.arena.used > 0 ? dns.arena.used : 1;
        rc = load_into(store, cfg, need);
    }
    uk_mem_free(dns.mem, dns.scratch, dns.scratch_size);
    dns.scratch = NULL;
    if (rc == UK_ENOMEM || rc == UK_ENOSPC)
        uk_console_printf(dns.con,
                          "dns: the zones need more memory than the image's "
                          "budget can give (%zu KiB tried): %s",
                          (size + dns.scratch_size) / 1024, uk_strerror(rc));
    return rc;
}

/* The reply cache, from the budget left after the zones: the largest
 * power of two of entries within an eighth of it (DNS_CACHE_MIN to
 * DNS_CACHE_MAX); none when even the least does not fit. */
static void cache_alloc(void)
{
    struct uk_mem_stats st;
    size_t n = DNS_CACHE_MAX, room;
    uk_mem_stats(dns.mem, &st);
    room = st.total > st.used ? (st.total - st.used) / 8 : 0;
    while (n > DNS_CACHE_MIN && n * sizeof *dns.cache > room)
        n /= 2;
    dns.cache = (struct uk_dns_cache_entry *)uk_mem_alloc(
        dns.mem, n * sizeof *dns.cache);
    dns.ncache = dns.cache != NULL ? n : 0;
}

int dns_start(struct uk_console *con, struct uk_kv_ro *store,
              struct uk_udpv4 *udp, struct uk_tcpv4 *tcp, struct uk_time *time,
              const struct dns_config *cfg)
{
    struct uk_dns_server_cfg scfg;
    const struct uk_dns_zone *z;
    size_t zones = 0, records = 0, cap = uk_image_capacity()->connections;
    int rc;
    dns.con = con;
    dns.mem = uk_default_mem();
    rc = load_zones(store, cfg);
    if (rc != 0)
        return rc;
    for (z = dns.db.zones; z != NULL; z = z->next) {
        zones++;
        records += z->records;
    }
    uk_dns_server_config_default(&scfg);
    scfg.port = cfg->port;
    scfg.edns_size = (uint16_t)cfg->edns_size;
    scfg.tcp_idle_ns = (uint64_t)cfg->tcp_idle_s * UK_NS_PER_S;
    /* all but 1/16 of the image's connections: the TCP layer, sized from
     * the same capacity, still accepts the one we reclaim room for */
    scfg.tcp_max_conns = cap - cap / 16;
    rc = uk_dns_server_init(&dns.srv, &dns.db, udp, tcp, time, &scfg,
                            tcp != NULL ? uk_default_mem() : NULL);
    if (rc == 0)
        cache_alloc();
    if (rc == 0 && dns.ncache > 0)
        rc = uk_dns_server_use_cache(&dns.srv, dns.cache, dns.ncache);
    if (rc == 0)
        rc = uk_dns_server_start(&dns.srv);
    if (rc != 0) {
        uk_console_printf(con, "dns: cannot serve on port %u: %s", cfg->port,
                          uk_strerror(rc));
        return rc;
    }
    uk_console_printf(con,
                      "dns: serving %zu zone(s), %zu records, %zu KiB, on "
                      "port %u (udp%s)",
                      zones, records, dns.arena.used / 1024, cfg->port,
                      tcp != NULL ? "+tcp" : "");
    return 0;
}
