/*
 * net_opts.c - the tap target's network options.  Read by the devices and
 * the stack, so only images that use the network link it (and list them:
 * options.c refers to the table weakly).
 */
#include <uk/target.h>

#include "internal.h"

struct uk__tap_opts uk__tap_opts;

static const struct uk_opt net_opts[] = {
    {"tap", UK_OPT_STRING, &uk__tap_opts.tap,
     "TAPs NAME[,NAME...] for devices 0 (stack), 1.. (ports); created if "
     "absent; empty: uktap<N>", 0, 0, NULL},
    {"ipv4", UK_OPT_CIDR, &uk__tap_opts.ipv4,
     "static address and prefix (with --dhcp: the fallback address)", 0, 0,
     &uk__tap_opts.has_ipv4},
    {"gateway", UK_OPT_IPV4, &uk__tap_opts.gateway,
     "default gateway for the static address", 0, 0,
     &uk__tap_opts.has_gateway},
    {"dhcp", UK_OPT_FLAG, &uk__tap_opts.dhcp,
     "obtain the address by DHCP", 0, 0, NULL},
    {"mac", UK_OPT_MAC, &uk__tap_opts.mac,
     "our MAC, device 0's (default: random, locally administered)", 0, 0,
     &uk__tap_opts.has_mac},
    {"pcap", UK_OPT_STRING, &uk__tap_opts.pcap,
     "write every frame sent and received to this pcap file", 0, 0, NULL},
    {"faults", UK_OPT_STRING, &uk__tap_opts.faults,
     "inject faults: drop=P,reorder=P,dup=P,corrupt=P,delay=MS,seed=N", 0, 0,
     NULL},
    {"tcp-cc", UK_OPT_STRING, &uk__tap_opts.tcp_cc,
     "TCP congestion control: cubic (default), newreno, or bbr (for paths "
     "that lose packets at random)", 0, 0, NULL},
    UK_OPT_END,
};

const struct uk_opt *uk__net_options(void)
{
    return net_opts;
}
