/*
 * tcp.c - the tap target's TCPV4 and STACKV4 defaults: the direct stack's
 * TCP (uk/tcpip/tcp.h) attached to the target stack on first use, for
 * uk_image_capacity()->connections connections, its memory drawn on the
 * image's budget (uk_default_mem()).  Kept apart from target.c so that an
 * appliance using only uk_default_udpv4() links no TCP.
 */
#include <string.h>

#include <uk/target.h>
#include <uk/unix.h>
#include <uk/tcpip/stackv4.h>
#include <uk/tcpip/tcp.h>

#include "internal.h"

#define TAP_TCP_RING (128u * 1024u) /* largest ring per direction */

static struct {
    struct uk_tcpip_tcpv4 tcp;
    struct uk_mem_account acct;
    bool tried;
    int rc;
} TT;

static int attach_tcp(struct uk_tcpip_stackv4 *s)
{
    struct uk_tcpip_tcp_config cfg;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = TAP_TCP_RING;
    if (uk__tap_opts.tcp_cc != NULL &&
        uk_tcpip_tcp_config_cc(&cfg, uk__tap_opts.tcp_cc) != 0) {
        uk_unix_errorf("tap: unknown --tcp-cc '%s' (cubic, newreno or bbr)",
                       uk__tap_opts.tcp_cc);
        return UK_EINVAL;
    }
    uk_tcpip_tcp_account_init(&TT.acct, uk_default_mem());
    rc = uk_tcpip_tcp_init(&TT.tcp, uk_tcpip_stackv4_ipv4(s),
                           uk_default_time(), uk_default_random(), &cfg,
                           &TT.acct, uk_image_capacity()->connections);
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
