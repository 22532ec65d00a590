/*
 * target.c - the tap target's network defaults (uk/target.h): the TAP
 * device (optionally wrapped by the fault shim and the pcap writer) and
 * the direct stack over it, configured statically (--ipv4, --gateway) or
 * by DHCP (--dhcp, with --ipv4 as the fallback).  Created on first use.
 */
#include <string.h>

#include <uk/tap.h>
#include <uk/target.h>
#include <uk/tcpip/dhcp.h>
#include <uk/tcpip/stackv4.h>

#include "internal.h"
#include "wrap.h"

static struct {
    bool net_tried, stack_tried;
    int net_rc, stack_rc;
    struct uk_tap tap;
    struct uk_network *dev; /* the top of the device chain */
    struct uk_tcpip_stackv4 stack;
    struct uk_dhcp dhcp;
} T;

static struct uk_console *con(void)
{
    return uk_default_console();
}

static int open_network(void)
{
    struct uk_mac mac;
    char m[UK_MAC_STRLEN];
    int rc;
    if (uk__tap_opts.has_mac) {
        mac = uk__tap_opts.mac;
        if (uk_mac_is_multicast(&mac)) {
            uk_unix_errorf("--mac: %s is a multicast address",
                           uk_mac_format(&mac, m));
            return UK_EINVAL;
        }
    } else {
        uk_tap_random_mac(uk_default_random(), &mac);
    }
    rc = uk_tap_open(&T.tap, uk__tap_opts.tap, &mac, uk_default_time());
    if (rc != 0)
        return rc;
    uk_console_printf(con(), "tap: attached to %s, mac %s", T.tap.name,
                      uk_mac_format(&mac, m));
    T.dev = &T.tap.net;
    return uk__tap_wrap(&T.dev);
}

int uk_default_network(unsigned index, struct uk_network **out)
{
    if (index != 0)
        return UK_ENODEV;
    if (!T.net_tried) {
        T.net_tried = true;
        T.net_rc = open_network();
    }
    if (T.net_rc != 0)
        return T.net_rc;
    *out = T.dev;
    return 0;
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
