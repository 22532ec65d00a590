/*
 * options.h - the options of Xen targets (options.c): the network ones,
 * read by netfront and the default stack, and the block device names.
 */
#ifndef UK_XEN_OPTIONS_H
#define UK_XEN_OPTIONS_H

#include <stdbool.h>

#include <uk/ipaddr.h>
#include <uk/opt.h>

struct uk__xen_net_opts {
    struct uk_ipv4_cidr ipv4;
    bool has_ipv4;
    struct uk_ipv4_addr gateway;
    bool has_gateway;
    bool dhcp;
    struct uk_mac mac;
    bool has_mac;
};

extern struct uk__xen_net_opts uk__xen_net_opts;

/* --block-NAME=VBD (blocks.c): the virtual disk behind block device NAME,
 * as "xvdb" or a virtual-device number. */
extern struct uk_opt_named uk__xen_block_opts;

#endif
