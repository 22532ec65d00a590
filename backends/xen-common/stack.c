/*
 * stack.c - the network stack of Xen targets: the direct stack (lib/tcpip)
 * over netfront vif 0, configured from the kernel command line with the tap
 * target's option names: static (--ipv4=A.B.C.D/LEN, --gateway=A.B.C.D) or
 * DHCP (--dhcp, with --ipv4 as the fallback).  Built on first use, without
 * TCP: uk_default_udpv4 is here, while uk_default_stackv4/tcpv4 live in
 * stack_tcp.c, so a UDP-only image links no TCP.
 */
#include <string.h>

#include <uk/target.h>
#include <uk/tcpip/dhcp.h>
#include <uk/tcpip/stackv4.h>

#include "options.h"
#include "xen.h"

/* The stack's state (ARP cache, reassembly, UDP ports: some 400 KiB) is
 * taken from the memory budget when the stack is built, not kept in .bss. */
struct state {
    struct uk_tcpip_stackv4 stack;
    struct uk_dhcp dhcp;
};

static struct {
    bool tried;
    int rc;
    struct state *st;
} S;

static int say(int rc, const char *msg)
{
    uk_console_printf(uk_default_console(), "%s: %s", uk_target_name(), msg);
    return rc;
}

static int static_config(struct uk_ipv4_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->addr = uk__xen_net_opts.ipv4.addr;
    cfg->netmask = uk_ipv4_netmask(uk__xen_net_opts.ipv4.prefix);
    if (uk__xen_net_opts.has_gateway) {
        cfg->gateway = uk__xen_net_opts.gateway;
        if (!uk_ipv4_same_subnet(cfg->gateway, cfg->addr, cfg->netmask))
            return say(UK_EINVAL,
                       "--gateway is not on the subnet of --ipv4");
    }
    return 0;
}

static int start_dhcp(struct uk_network *dev, const struct uk_ipv4_config *cfg)
{
    struct uk_dhcp_config dc;
    memset(&dc, 0, sizeof dc);
    uk_network_mac(dev, &dc.mac);
    dc.hostname = "uk";
    dc.has_fallback = uk__xen_net_opts.has_ipv4;
    if (dc.has_fallback)
        dc.fallback = *cfg;
    uk_dhcp_init(&S.st->dhcp, uk_stackv4_udpv4(&S.st->stack.base),
                 uk_tcpip_stackv4_ipv4(&S.st->stack), uk_default_time(),
                 uk_default_random(), uk_default_console(), &dc, NULL, NULL);
    return uk_dhcp_start(&S.st->dhcp);
}

static int build(void)
{
    struct uk_ipv4_config cfg;
    struct uk_network *dev;
    char a[UK_IPV4_STRLEN], m[UK_MAC_STRLEN];
    struct uk_mac mac;
    int rc;
    if (!uk__xen_net_opts.has_ipv4 && !uk__xen_net_opts.dhcp)
        return say(UK_EINVAL, "the network needs an address: give "
                              "--ipv4=A.B.C.D/LEN (and --gateway=A.B.C.D) "
                              "or --dhcp on the command line (xl extra=)");
    if (uk__xen_net_opts.has_gateway && !uk__xen_net_opts.has_ipv4)
        return say(UK_EINVAL, "--gateway needs --ipv4");
    memset(&cfg, 0, sizeof cfg);
    if (uk__xen_net_opts.has_ipv4 && (rc = static_config(&cfg)) != 0)
        return rc;
    if ((rc = uk_default_network(0, &dev)) != 0)
        return rc == UK_ENODEV ? say(rc, "no network device (vif 0)") : rc;
    S.st = uk_mem_alloc(uk_default_mem(), sizeof *S.st);
    if (S.st == NULL)
        return say(UK_ENOMEM, "no memory for the network stack");
    memset(S.st, 0, sizeof *S.st);
    rc = uk_tcpip_stackv4_init(&S.st->stack, dev, uk_default_time(),
                               uk_default_random(),
                               uk__xen_net_opts.dhcp ? NULL : &cfg, NULL);
    if (rc == 0 && uk__xen_net_opts.dhcp)
        rc = start_dhcp(dev, &cfg);
    if (rc != 0) {
        uk_console_printf(uk_default_console(), "%s: cannot build the "
                          "stack: %s", uk_target_name(), uk_strerror(rc));
        return rc;
    }
    uk_network_mac(dev, &mac);
    uk_console_printf(uk_default_console(), "%s: %s mac %s, %s%s",
                      uk_target_name(), uk_network_id(dev),
                      uk_mac_format(&mac, m),
                      uk__xen_net_opts.dhcp ? "dhcp" : "ipv4 ",
                      uk__xen_net_opts.dhcp ? "" : uk_ipv4_format(cfg.addr, a));
    return 0;
}

int uk__xen_stack(struct uk_tcpip_stackv4 **out)
{
    if (!S.tried) {
        S.tried = true;
        S.rc = build();
    }
    if (S.rc != 0)
        return S.rc;
    *out = &S.st->stack;
    return 0;
}

int uk_default_udpv4(struct uk_udpv4 **out)
{
    struct uk_tcpip_stackv4 *s;
    int rc = uk__xen_stack(&s);
    if (rc == 0)
        *out = uk_stackv4_udpv4(&s->base);
    return rc;
}
