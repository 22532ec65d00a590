/*
 * target.c - the tap target's stack defaults (uk/target.h): the direct
 * stack over device 0 (devices.c: the first TAP of --tap, optionally
 * wrapped by the fault shim and the pcap writer), configured statically
 * (--ipv4, --gateway) or by DHCP (--dhcp, with --ipv4 as the fallback).
 * Created on first use.
 */
#include <string.h>

#include <uk/target.h>
#include <uk/tcpip/dhcp.h>
#include <uk/tcpip/stackv4.h>
#include <uk/unix.h>

#include "internal.h"

static struct {
    bool stack_tried;
    int stack_rc;
    struct uk_tcpip_stackv4 stack;
    struct uk_dhcp dhcp;
} T;

static struct uk_console *con(void)
{
    return uk_default_console();
}

/* The static configuration from --ipv4 and --gateway. */
static int static_config(struct uk_ipv4_config *cfg)
{
    char a[UK_IPV4_STRLEN];
    memset(cfg, 0, sizeof *cfg);
    cfg->addr = uk__tap_opts.ipv4.addr;
    cfg->netmask = uk_ipv4_netmask(uk__tap_opts.ipv4.prefix);
    if (uk__tap_opts.has_gateway) {
        cfg->gateway = uk__tap_opts.gateway;
        if (!uk_ipv4_same_subnet(cfg->gateway, cfg->addr, cfg->netmask)) {
            uk_unix_errorf("--gateway: %s is not on the subnet of --ipv4",
                           uk_ipv4_format(cfg->gateway, a));
            return UK_EINVAL;
        }
    }
    return 0;
}

static int build_stack(void)
{
    struct uk_ipv4_config cfg;
    struct uk_dhcp_config dc;
    struct uk_network *dev;
    int rc;
    if (!uk__tap_opts.has_ipv4 && !uk__tap_opts.dhcp) {
        uk_unix_errorf("the tap target needs an address: give "
                       "--ipv4=A.B.C.D/LEN (and --gateway=A.B.C.D) or --dhcp");
        return UK_EINVAL;
    }
    if (uk__tap_opts.has_gateway && !uk__tap_opts.has_ipv4) {
        uk_unix_errorf("--gateway needs --ipv4 (with --dhcp the gateway "
                       "comes from the server)");
        return UK_EINVAL;
    }
    if (uk__tap_opts.has_ipv4 && (rc = static_config(&cfg)) != 0)
        return rc;
    rc = uk_default_network(0, &dev);
    if (rc != 0)
        return rc;
    rc = uk_tcpip_stackv4_init(&T.stack, dev, uk_default_time(),
                               uk_default_random(),
                               uk__tap_opts.dhcp ? NULL : &cfg,
                               NULL);
    if (rc != 0) {
        uk_unix_errorf("tap: cannot build the stack: %s", uk_strerror(rc));
        return rc;
    }
    if (!uk__tap_opts.dhcp)
        return 0;
    memset(&dc, 0, sizeof dc);
    uk_network_mac(dev, &dc.mac);
    dc.hostname = uk_unix_progname();
    dc.has_fallback = uk__tap_opts.has_ipv4;
    if (dc.has_fallback)
        dc.fallback = cfg;
    uk_dhcp_init(&T.dhcp, uk_stackv4_udpv4(&T.stack.base),
                 uk_tcpip_stackv4_ipv4(&T.stack), uk_default_time(),
                 uk_default_random(), con(), &dc, NULL, NULL);
    rc = uk_dhcp_start(&T.dhcp);
    if (rc != 0)
        uk_unix_errorf("tap: cannot start DHCP: %s", uk_strerror(rc));
    return rc;
}

int uk__tap_stack(struct uk_tcpip_stackv4 **out)
{
    if (!T.stack_tried) {
        T.stack_tried = true;
        T.stack_rc = build_stack();
    }
    if (T.stack_rc != 0)
        return T.stack_rc;
    *out = &T.stack;
    return 0;
}

/* UDP alone: no TCP is attached, so a UDP-only appliance links none
 * (uk_default_stackv4 and uk_default_tcpv4 live in tcp.c). */
int uk_default_udpv4(struct uk_udpv4 **out)
{
    struct uk_tcpip_stackv4 *s;
    int rc = uk__tap_stack(&s);
    if (rc != 0)
        return rc;
    *out = uk_stackv4_udpv4(&s->base);
    return 0;
}
