/*
 * net_opts.c - the network options of Xen targets, with the same names as
 * the tap target's (both run the direct stack).  Read by the default stack
 * (stack.c), so only images that use it link this file and list them.
 */
#include <uk/target.h>

#include "options.h"
#include "xen.h"

struct uk__xen_net_opts uk__xen_net_opts;

static const struct uk_opt net_opts[] = {
    {"ipv4", UK_OPT_CIDR, &uk__xen_net_opts.ipv4,
     "static address and prefix (with --dhcp: the fallback address)", 0, 0,
     &uk__xen_net_opts.has_ipv4},
    {"gateway", UK_OPT_IPV4, &uk__xen_net_opts.gateway,
     "default gateway for the static address", 0, 0,
     &uk__xen_net_opts.has_gateway},
    {"dhcp", UK_OPT_FLAG, &uk__xen_net_opts.dhcp,
     "obtain the address by DHCP", 0, 0, NULL},
    {"mac", UK_OPT_MAC, &uk__xen_net_opts.mac,
     "our MAC address (default: the one xenstore gives)", 0, 0,
     &uk__xen_net_opts.has_mac},
    {"tcp-cc", UK_OPT_STRING, &uk__xen_net_opts.tcp_cc,
     "TCP congestion control: cubic (default), newreno, or bbr (for paths "
     "that lose packets at random)", 0, 0, NULL},
    UK_OPT_END,
};

const struct uk_opt *uk__xen_net_options(void)
{
    return net_opts;
}
