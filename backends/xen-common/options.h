/*
 * options.h - the options of Xen targets that the target's own objects
 * define: the network ones (net_opts.c), read by the default stack, and
 * --block-NAME (blocks.c).  options.c refers to both weakly.
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
    const char *tcp_cc; /* --tcp-cc=NAME, or NULL: CUBIC */
};

extern struct uk__xen_net_opts uk__xen_net_opts;

/* --block-NAME=VBD, with uk_default_block (blocks.c). */
extern const struct uk_opt uk__xen_block_opts[];

#endif
