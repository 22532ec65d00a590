/*
 * stack.c - the network stack defaults of Xen targets (uk/target.h): the
 * direct stack (lib/tcpip) with its TCP over netfront vif 0, configured
 * from the kernel command line with the tap target's option names: static
 * (--ipv4=A.B.C.D/LEN, --gateway=A.B.C.D) or DHCP (--dhcp, with --ipv4 as
 * the fallback).  Built on first use.  TCP buffers are static BSS sized by
 * UK_XEN_TCP_CONNS (the image's xl config accounts for them).
 */
#include <string.h>

#include <uk/target.h>
#include <uk/tcpip/dhcp.h>
#include <uk/tcpip/stackv4.h>
#include <uk/tcpip/tcp.h>

#include "options.h"
#include "xen.h"

#ifndef UK_XEN_TCP_CONNS
#define UK_XEN_TCP_CONNS 64
#endif
#define TCP_RING (64u * 1024u)
#define TCP_MEM                                                               \
    (UK_XEN_TCP_CONNS * 2u * TCP_RING + 8u +                                  \
     UK_XEN_TCP_CONNS * sizeof(struct uk_tcpip_tcp_tw))

static struct {
    bool tried;
    int rc;
    struct uk_tcpip_stackv4 stack;
    struct uk_tcpip_tcpv4 tcp;
    struct uk_tcpip_tcp_conn conns[UK_XEN_TCP_CONNS];
    uint8_t mem[TCP_MEM];
    struct uk_dhcp dhcp;
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

static int attach_tcp(void)
{
    struct uk_tcpip_tcp_config cfg;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = TCP_RING;
    rc = uk_tcpip_tcp_init(&S.tcp, uk_tcpip_stackv4_ipv4(&S.stack),
                           uk_default_time(), uk_default_random(), &cfg,
                           S.conns, UK_XEN_TCP_CONNS, S.mem, sizeof S.mem);
    if (rc == 0)
        uk_tcpip_stackv4_set_tcpv4(&S.stack, &S.tcp.base);
    return rc;
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
    uk_dhcp_init(&S.dhcp, uk_stackv4_udpv4(&S.stack.base),
                 uk_tcpip_stackv4_ipv4(&S.stack), uk_default_time(),
                 uk_default_random(), uk_default_console(), &dc, NULL, NULL);
    return uk_dhcp_start(&S.dhcp);
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
    rc = uk_tcpip_stackv4_init(&S.stack, dev, uk_default_time(),
                               uk_default_random(),
                               uk__xen_net_opts.dhcp ? NULL : &cfg, NULL);
    if (rc == 0)
        rc = attach_tcp();
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

int uk_default_stackv4(struct uk_stackv4 **out)
{
    if (!S.tried) {
        S.tried = true;
        S.rc = build();
    }
    if (S.rc != 0)
        return S.rc;
    *out = &S.stack.base;
    return 0;
}

int uk_default_udpv4(struct uk_udpv4 **out)
{
    struct uk_stackv4 *s;
    int rc = uk_default_stackv4(&s);
    if (rc == 0)
        *out = uk_stackv4_udpv4(s);
    return rc;
}

int uk_default_tcpv4(struct uk_tcpv4 **out)
{
    struct uk_stackv4 *s;
    int rc = uk_default_stackv4(&s);
    if (rc == 0)
        *out = uk_stackv4_tcpv4(s);
    return rc;
}
