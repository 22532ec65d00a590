/*
 * stack_tcp.c - the TCP defaults of Xen targets (uk/target.h): the direct
 * stack's TCP attached on first use to the stack of stack.c, for
 * uk_image_capacity()->connections connections, its memory drawn on the
 * image's budget (uk_default_mem()).
 */
#include <string.h>

#include <uk/target.h>
#include <uk/tcpip/stackv4.h>
#include <uk/tcpip/tcp.h>

#include "options.h"
#include "xen.h"

#define TCP_RING (64u * 1024u) /* largest ring per direction */

static struct {
    bool tried;
    int rc;
    struct uk_tcpip_tcpv4 tcp;
    struct uk_mem_account acct;
} T;

static int attach_tcp(struct uk_tcpip_stackv4 *s)
{
    struct uk_tcpip_tcp_config cfg;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = TCP_RING;
    if (uk__xen_net_opts.tcp_cc != NULL &&
        uk_tcpip_tcp_config_cc(&cfg, uk__xen_net_opts.tcp_cc) != 0) {
        uk_console_printf(uk_default_console(),
                          "%s: unknown --tcp-cc '%s' (cubic, newreno or bbr)",
                          uk_target_name(), uk__xen_net_opts.tcp_cc);
        return UK_EINVAL;
    }
    uk_tcpip_tcp_account_init(&T.acct, uk_default_mem());
    rc = uk_tcpip_tcp_init(&T.tcp, uk_tcpip_stackv4_ipv4(s),
                           uk_default_time(), uk_default_random(), &cfg,
                           &T.acct, uk_image_capacity()->connections);
    if (rc != 0) {
        uk_console_printf(uk_default_console(), "%s: cannot build TCP: %s",
                          uk_target_name(), uk_strerror(rc));
        return rc;
    }
    uk_tcpip_stackv4_set_tcpv4(s, &T.tcp.base);
    return 0;
}

int uk_default_stackv4(struct uk_stackv4 **out)
{
    struct uk_tcpip_stackv4 *s;
    int rc = uk__xen_stack(&s);
    if (rc != 0)
        return rc;
    if (!T.tried) {
        T.tried = true;
        T.rc = attach_tcp(s);
    }
    if (T.rc != 0)
        return T.rc;
    *out = &s->base;
    return 0;
}

int uk_default_tcpv4(struct uk_tcpv4 **out)
{
    struct uk_stackv4 *s;
    int rc = uk_default_stackv4(&s);
    if (rc == 0)
        *out = uk_stackv4_tcpv4(s);
    return rc;
}
