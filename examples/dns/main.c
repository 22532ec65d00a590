/*
 * main.c - dns's configuration: options, then the target's transports.
 *
 *   --port=PORT          UDP and TCP port (default 53; 5353 on unix, so it
 *                        runs without privileges)
 *   --zone=ORIGIN:KEY,.. zones to serve: origin and key in the store
 *                        (default: every NAME.zone at the store's root,
 *                        served as NAME.)
 *   --zone-dir=PATH      read zones from this directory (unix only)
 *   --tcp-idle=SECONDS   close idle TCP connections (default 10)
 *   --edns-size=BYTES    advertised UDP payload, 512..4096 (default 1232)
 *   --verbose            log each zone loaded
 */
#include <string.h>

#include <uk/dns_server.h>
#include <uk/target.h>

#include "dns.h"

int uk_main(int argc, char **argv)
{
    struct dns_config cfg;
    const char *zone_dir = NULL;
    struct uk_console *con = uk_default_console();
    struct uk_kv_ro *store;
    struct uk_udpv4 *udp;
    struct uk_tcpv4 *tcp;
    uint16_t port = strcmp(uk_target_name(), "unix") == 0 ? 5353 : 53;
    const struct uk_opt opts[] = {
        {"port", UK_OPT_PORT, &port,
         "UDP and TCP port (default 53; 5353 on unix)", 0, 0, NULL},
        {"zone", UK_OPT_STRING, &cfg.zones,
         "ORIGIN:KEY[,ORIGIN:KEY...] zones to serve (default: every "
         "NAME.zone in the store)",
         0, 0, NULL},
        {"zone-dir", UK_OPT_STRING, &zone_dir,
         "read the zones from this directory (unix only)", 0, 0, NULL},
        {"tcp-idle", UK_OPT_UINT, &cfg.tcp_idle_s,
         "seconds before an idle TCP connection is closed (default 10)", 1,
         3600, NULL},
        {"edns-size", UK_OPT_UINT, &cfg.edns_size,
         "advertised EDNS UDP payload size (default 1232)", 512, 4096, NULL},
        {"verbose", UK_OPT_FLAG, &cfg.verbose, "log each zone loaded", 0, 0,
         NULL},
        UK_OPT_END,
    };
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.tcp_idle_s = UK_DNS_TCP_IDLE_DEFAULT_S;
    cfg.edns_size = UK_DNS_EDNS_SIZE_DEFAULT;
    rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    cfg.port = port;
    if (zone_dir != NULL)
        rc = dns_zone_dir(con, zone_dir, &store);
    else
        rc = uk_default_kv_ro("zones", &store);
    if (rc != 0) {
        if (zone_dir == NULL)
            uk_console_printf(con, "dns: zone store: %s", uk_strerror(rc));
        return 1;
    }
    if (uk_default_udpv4(&udp) != 0 || uk_default_tcpv4(&tcp) != 0)
        return 1;
    if (dns_start(con, store, udp, tcp, uk_default_time(), &cfg) != 0)
        return 1;
    return UK_RUN;
}
