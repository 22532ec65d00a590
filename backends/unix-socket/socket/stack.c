/*
 * stack.c - uk_default_stackv4 of the kernel-socket stack: its UDP and TCP
 * layers bound to --ipv4 (default every local address).
 */
#include "sock.h"

struct sock_stack {
    struct uk_stackv4 stack;
    struct uk_timer done;
    int pending;
    uk_done_cb cb;
    void *arg;
};

static struct sock_stack the_stack;

static const char *stack_id(struct uk_stackv4 *self)
{
    UK_UNUSED(self);
    return "unix-socket";
}

static void layer_done(void *arg)
{
    struct sock_stack *s = arg;
    if (--s->pending == 0 && s->cb != NULL)
        s->cb(s->arg);
}

static void stack_disconnect(struct uk_stackv4 *self, uk_done_cb cb,
                             void *arg)
{
    UK_UNUSED(self);
    the_stack.cb = cb;
    the_stack.arg = arg;
    the_stack.pending = 2;
    uk_udpv4_disconnect(&uk__sock_udp()->udp, layer_done, &the_stack);
    uk_tcpv4_disconnect(&uk__sock_tcp()->tcp, layer_done, &the_stack);
}

static struct uk_udpv4 *stack_udp(struct uk_stackv4 *self)
{
    UK_UNUSED(self);
    return &uk__sock_udp()->udp;
}

static struct uk_tcpv4 *stack_tcp(struct uk_stackv4 *self)
{
    UK_UNUSED(self);
    return &uk__sock_tcp()->tcp;
}

static void stack_config(struct uk_stackv4 *self, struct uk_ipv4_config *out)
{
    UK_UNUSED(self);
    out->addr = uk__sock_bind;
    out->netmask.v = 0;
    out->gateway.v = 0;
}

static const struct uk_stackv4_ops stack_ops = {
    .id = stack_id,
    .disconnect = stack_disconnect,
    .udpv4 = stack_udp,
    .tcpv4 = stack_tcp,
    .config = stack_config,
};

int uk_default_stackv4(struct uk_stackv4 **out)
{
    the_stack.stack.ops = &stack_ops;
    *out = &the_stack.stack;
    return 0;
}
