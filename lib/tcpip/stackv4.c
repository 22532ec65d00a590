/*
 * stackv4.c - the direct stack assembly (uk/tcpip/stackv4.h) and the
 * placeholder TCP layer used until a real one is attached.
 */
#include <string.h>

#include <uk/tcpip/stackv4.h>

#include "util.h"

static struct uk_tcpip_stackv4 *from_base(struct uk_stackv4 *self)
{
    return UK_CONTAINER_OF(self, struct uk_tcpip_stackv4, base);
}

/* The placeholder TCP: no connections, ever. */
static const char *notcp_id(struct uk_tcpv4 *self)
{
    UK_UNUSED(self);
    return "tcpip-notcp";
}

static void notcp_disconnect(struct uk_tcpv4 *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_stackv4 *s =
        UK_CONTAINER_OF(self, struct uk_tcpip_stackv4, notcp);
    uk__defer_done(s->time, &s->notcp_timer, cb, arg);
}

static int notcp_listen(struct uk_tcpv4 *self, uint16_t port, int backlog,
                        uk_tcpv4_accept_cb cb, void *arg)
{
    UK_UNUSED(self);
    UK_UNUSED(port);
    UK_UNUSED(backlog);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
    return UK_ENOTSUP;
}

static int notcp_unlisten(struct uk_tcpv4 *self, uint16_t port)
{
    UK_UNUSED(self);
    UK_UNUSED(port);
    return UK_ENOENT;
}

static int notcp_connect(struct uk_tcpv4 *self, const struct uk_ipv4_ep *dst,
                         uk_tcpv4_connect_cb cb, void *arg)
{
    UK_UNUSED(self);
    UK_UNUSED(dst);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
    return UK_ENOTSUP;
}

static int notcp_connect_cancel(struct uk_tcpv4 *self, uk_tcpv4_connect_cb cb,
                                void *arg)
{
    UK_UNUSED(self);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
    return UK_ENOENT; /* connect never starts one */
}

static const struct uk_tcpv4_ops notcp_ops = {
    .id = notcp_id,
    .disconnect = notcp_disconnect,
    .listen = notcp_listen,
    .unlisten = notcp_unlisten,
    .connect = notcp_connect,
    .connect_cancel = notcp_connect_cancel,
};

static const char *stack_id(struct uk_stackv4 *self)
{
    UK_UNUSED(self);
    return "tcpip-stackv4";
}

static void layer_done(void *arg)
{
    struct uk_tcpip_stackv4 *s = (struct uk_tcpip_stackv4 *)arg;
    if (--s->disconnecting == 0 && s->done_cb != NULL)
        s->done_cb(s->done_arg);
}

static void stack_disconnect(struct uk_stackv4 *self, uk_done_cb cb,
                             void *arg)
{
    struct uk_tcpip_stackv4 *s = from_base(self);
    s->done_cb = cb;
    s->done_arg = arg;
    s->disconnecting = 6;
    if (s->tcp != NULL)
        uk_tcpv4_disconnect(s->tcp, layer_done, s);
    else
        uk_tcpv4_disconnect(&s->notcp, layer_done, s);
    uk_udpv4_disconnect(&s->udp.base, layer_done, s);
    uk_icmpv4_disconnect(&s->icmp.base, layer_done, s);
    uk_ipv4_disconnect(&s->ip.base, layer_done, s);
    uk_arpv4_disconnect(&s->arp.base, layer_done, s);
    uk_ethif_disconnect(&s->eth.base, layer_done, s);
}

static struct uk_udpv4 *stack_udpv4(struct uk_stackv4 *self)
{
    return &from_base(self)->udp.base;
}

static struct uk_tcpv4 *stack_tcpv4(struct uk_stackv4 *self)
{
    struct uk_tcpip_stackv4 *s = from_base(self);
    return s->tcp != NULL ? s->tcp : &s->notcp;
}

static void stack_config(struct uk_stackv4 *self, struct uk_ipv4_config *out)
{
    uk_ipv4_config(&from_base(self)->ip.base, out);
}

static const struct uk_stackv4_ops stack_ops = {
    .id = stack_id,
    .disconnect = stack_disconnect,
    .udpv4 = stack_udpv4,
    .tcpv4 = stack_tcpv4,
    .config = stack_config,
};

void uk_tcpip_stackv4_set_tcpv4(struct uk_tcpip_stackv4 *s,
                                struct uk_tcpv4 *tcp)
{
    s->tcp = tcp;
}

int uk_tcpip_stackv4_init(struct uk_tcpip_stackv4 *s, struct uk_network *net,
                          struct uk_time *time, struct uk_random *random,
                          const struct uk_ipv4_config *cfg,
                          struct uk_tcpv4 *tcp)
{
    int rc;
    s->base.ops = &stack_ops;
    s->notcp.ops = &notcp_ops;
    s->tcp = tcp;
    s->time = time;
    memset(&s->notcp_timer, 0, sizeof s->notcp_timer);
    s->disconnecting = 0;
    s->done_cb = NULL;
    s->done_arg = NULL;
    if ((rc = uk_tcpip_ethif_init(&s->eth, net, time)) != 0 ||
        (rc = uk_tcpip_arpv4_init(&s->arp, &s->eth.base, time)) != 0 ||
        (rc = uk_tcpip_ipv4_init(&s->ip, &s->eth.base, &s->arp.base, time,
                                 random, cfg)) != 0 ||
        (rc = uk_tcpip_icmpv4_init(&s->icmp, &s->ip.base, time)) != 0 ||
        (rc = uk_tcpip_udpv4_init(&s->udp, &s->ip.base, &s->icmp.base,
                                  random, time)) != 0)
        return rc;
    return 0;
}
