/*
 * internal.h - shared-internal declarations of the tap target archive.
 */
#ifndef UK_DIRECT_TAP_INTERNAL_H
#define UK_DIRECT_TAP_INTERNAL_H

#include <stdbool.h>

#include <uk/ipaddr.h>
#include <uk/opt.h>
#include <uk/tcpv4.h>
#include <uk/time.h>

/* The options of the tap target (net_opts.c); fields set by uk_opt_parse. */
struct uk__tap_opts {
    const char *tap;    /* --tap=NAME[,NAME...] (devices 0, 1, ...), or
                           NULL: device 0 only, a new uktap<N> */
    struct uk_ipv4_cidr ipv4;
    bool has_ipv4;      /* --ipv4 given */
    struct uk_ipv4_addr gateway;
    bool has_gateway;   /* --gateway given */
    bool dhcp;          /* --dhcp */
    struct uk_mac mac;
    bool has_mac;       /* --mac given */
    const char *pcap;   /* --pcap=FILE, or NULL */
    const char *faults; /* --faults=SPEC, or NULL */
    const char *tcp_cc; /* --tcp-cc=NAME, or NULL: CUBIC */
};

extern struct uk__tap_opts uk__tap_opts;

/* How many raw devices (--tap names) the target can open: device 0 for
 * the stack and up to 8 more (of-switch's OFS_MAX_PORTS ports).  Each is
 * a struct uk_tap of static storage (about 330 KiB of BSS, untouched
 * until the device receives). */
#ifndef UK_TAP_DEVICES
#define UK_TAP_DEVICES 9
#endif

/* Called by the unix platform's uk_parse_options (declared in the
 * platform's internal.h): the target's option table. */
const struct uk_opt *uk__net_options(void);

/* The target's direct stack over device 0, built on first use without
 * TCP (target.c); tcp.c attaches TCP when the application asks for it.
 * Returns 0 and *out, or the error already logged. */
struct uk_tcpip_stackv4;
int uk__tap_stack(struct uk_tcpip_stackv4 **out);

#endif
