/*
 * tcp.c - the tap target's TCPV4 and STACKV4 defaults: the direct stack's
 * TCP (uk/tcpip/tcp.h) attached to the target stack on first use, with
 * static storage for UK_TAP_TCP_CONNS connections.  Kept apart from
 * target.c so that an appliance using only uk_default_udpv4() links no TCP.
 * The rings are static BSS: pages are only touched when a connection uses
 * them.
 */
#include <string.h>

#include <uk/target.h>
#include <uk/unix.h>
#include <uk/tcpip/stackv4.h>
#include <uk/tcpip/tcp.h>

#include "internal.h"

#ifndef UK_TAP_TCP_CONNS
#define UK_TAP_TCP_CONNS 1100
#endif
#define TAP_TCP_RING (128u * 1024u)
#define TAP_TCP_MEM                                                           \
    (UK_TAP_TCP_CONNS * 2u * TAP_TCP_RING + 8u +                              \
     UK_TAP_TCP_CONNS * sizeof(struct uk_tcpip_tcp_tw))

static struct {
    struct uk_tcpip_tcpv4 tcp;
    struct uk_tcpip_tcp_conn conns[UK_TAP_TCP_CONNS];
    uint8_t mem[TAP_TCP_MEM];
    bool tried;
    int rc;
} TT;

static int attach_tcp(struct uk_tcpip_stackv4 *s)
{
    struct uk_tcpip_tcp_config cfg;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = TAP_TCP_RING;
    rc = uk_tcpip_tcp_init(&TT.tcp, uk_tcpip_stackv4_ipv4(s),
                           uk_default_time(), uk_default_random(), &cfg,
                           TT.conns, UK_TAP_TCP_CONNS, TT.mem, sizeof TT.mem);
    if (rc != 0) {
        uk_unix_errorf("tap: cannot build TCP: %s", uk_strerror(rc));
        return rc;
    }
    uk_tcpip_stackv4_set_tcpv4(s, &TT.tcp.base);
    return 0;
}

int uk_default_stackv4(struct uk_stackv4 **out)
{
    struct uk_tcpip_stackv4 *s;
    int rc = uk__tap_stack(&s);
    if (rc != 0)
        return rc;
    if (!TT.tried) {
        TT.tried = true;
        TT.rc = attach_tcp(s);
    }
    if (TT.rc != 0)
        return TT.rc;
    *out = &s->base;
    return 0;
}

int uk_default_tcpv4(struct uk_tcpv4 **out)
{
    struct uk_stackv4 *s;
    int rc = uk_default_stackv4(&s);
    if (rc != 0)
        return rc;
    *out = uk_stackv4_tcpv4(s);
    return 0;
}
