/*
 * uk/tcpip/stackv4.h - the direct stack assembled: ethif, arpv4, ipv4,
 * icmpv4 and udpv4 over one NETWORK, implementing STACKV4 (uk/stackv4.h).
 *
 * TCP is not part of this assembly (an appliance that needs only UDP links
 * no TCP): the caller passes a TCP layer built over the stack's ipv4
 * (uk_tcpip_stackv4_ipv4) to uk_tcpip_stackv4_set_tcpv4, or at init, as
 * the tap and xen targets' uk_default_stackv4 do with the direct TCP
 * (uk/tcpip/tcp.h).  Without one, uk_stackv4_tcpv4 returns a placeholder
 * whose listen and connect fail with UK_ENOTSUP, so callers always get a
 * usable object.
 *
 * Disconnecting the stack disconnects its TCP layer (if one was attached),
 * then every layer top-down; the callback runs once all have finished.  The
 * network device is not disconnected (the caller owns it).
 */
#ifndef UK_TCPIP_STACKV4_H
#define UK_TCPIP_STACKV4_H

#include <uk/network.h>
#include <uk/random.h>
#include <uk/stackv4.h>
#include <uk/tcpip/arpv4.h>
#include <uk/tcpip/ethif.h>
#include <uk/tcpip/icmpv4.h>
#include <uk/tcpip/ipv4.h>
#include <uk/tcpip/udpv4.h>
#include <uk/tcpv4.h>
#include <uk/time.h>

struct uk_tcpip_stackv4 {
    struct uk_stackv4 base; /* implements STACKV4: pass &s->base */
    struct uk_tcpip_ethif eth;
    struct uk_tcpip_arpv4 arp;
    struct uk_tcpip_ipv4 ip;
    struct uk_tcpip_icmpv4 icmp;
    struct uk_tcpip_udpv4 udp;
    struct uk_tcpv4 *tcp;  /* attached TCP layer, or NULL */
    struct uk_tcpv4 notcp; /* the placeholder returned without one */
    struct uk_time *time;
    struct uk_timer notcp_timer;
    unsigned disconnecting; /* layers whose disconnect is outstanding */
    uk_done_cb done_cb;
    void *done_arg;
};

/*
 * Builds every layer over net, time and random (all BORROWED for the
 * stack's lifetime) and applies cfg (BORROWED; NULL: no address yet, e.g.
 * until a DHCP client calls uk_ipv4_set_config on uk_tcpip_stackv4_ipv4).
 * tcp (may be NULL) is attached as with uk_tcpip_stackv4_set_tcpv4.  s is
 * large (reassembly memory): give it static storage.  Returns 0, UK_EINVAL
 * (bad cfg) or a layer's registration error.
 */
int uk_tcpip_stackv4_init(struct uk_tcpip_stackv4 *s, struct uk_network *net,
                          struct uk_time *time, struct uk_random *random,
                          const struct uk_ipv4_config *cfg,
                          struct uk_tcpv4 *tcp);

/* Attaches tcp (BORROWED until the stack is disconnected, which
 * disconnects it too) as the stack's TCP layer; NULL detaches it. */
void uk_tcpip_stackv4_set_tcpv4(struct uk_tcpip_stackv4 *s,
                                struct uk_tcpv4 *tcp);

/* The stack's layers, for building more on top (TCP, DHCP) and for tests.
 * Owned by the stack. */
static inline struct uk_ipv4 *uk_tcpip_stackv4_ipv4(struct uk_tcpip_stackv4 *s)
{
    return &s->ip.base;
}

static inline struct uk_icmpv4 *
uk_tcpip_stackv4_icmpv4(struct uk_tcpip_stackv4 *s)
{
    return &s->icmp.base;
}

static inline struct uk_arpv4 *uk_tcpip_stackv4_arpv4(struct uk_tcpip_stackv4 *s)
{
    return &s->arp.base;
}

#endif
