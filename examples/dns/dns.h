/*
 * dns.h - the dns appliance: loads zones from a KV_RO store and serves
 * them over UDP and TCP with lib/dns.  Written once for every target.
 */
#ifndef EXAMPLES_DNS_H
#define EXAMPLES_DNS_H

#include <stdint.h>

#include <uk/console.h>
#include <uk/kv_ro.h>
#include <uk/tcpv4.h>
#include <uk/time.h>
#include <uk/udpv4.h>

struct dns_config {
    uint16_t port;
    const char *zones; /* "ORIGIN:KEY,ORIGIN:KEY", or NULL: every
                          *.zone file at the store's root, its name
                          minus ".zone" being the origin */
    unsigned long tcp_idle_s;
    unsigned long edns_size;
    bool verbose;
};

/* Loads the zones (logging one line per problem) and starts serving.
 * Every object is BORROWED for the image's lifetime; tcp may be NULL.
 * Returns 0 or a UK_E* code after logging why. */
int dns_start(struct uk_console *con, struct uk_kv_ro *store,
              struct uk_udpv4 *udp, struct uk_tcpv4 *tcp, struct uk_time *time,
              const struct dns_config *cfg);

/* The store of --zone-dir=PATH: a host directory (unix), or UK_ENOTSUP
 * on targets without one.  Logs why on failure. */
int dns_zone_dir(struct uk_console *con, const char *path,
                 struct uk_kv_ro **out);

#endif
