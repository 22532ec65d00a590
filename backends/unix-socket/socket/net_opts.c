/*
 * net_opts.c - the kernel-socket stack's network options and address
 * helpers.  Referenced by the stack's sockets, so only images that use the
 * network link it (and list --ipv4, --max-conns: options.c refers to the
 * table weakly).
 */
#include <arpa/inet.h>
#include <string.h>

#include "sock.h"

struct uk_ipv4_addr uk__sock_bind = {0};
unsigned long uk__sock_max_conns = 10000;

static const struct uk_opt net_opts[] = {
    {"ipv4", UK_OPT_IPV4, &uk__sock_bind,
     "local address to listen on (default 0.0.0.0: all)", 0, 0, NULL},
    {"max-conns", UK_OPT_UINT, &uk__sock_max_conns,
     "most TCP connections open at once (default 10000)", 1, 1000000, NULL},
    UK_OPT_END,
};

const struct uk_opt *uk__net_options(void)
{
    return net_opts;
}

void uk__sock_addr(struct sockaddr_in *sa, struct uk_ipv4_addr a,
                   uint16_t port)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_addr.s_addr = htonl(a.v);
    sa->sin_port = htons(port);
}

void uk__sock_ep(const struct sockaddr_in *sa, struct uk_ipv4_ep *ep)
{
    ep->addr.v = ntohl(sa->sin_addr.s_addr);
    ep->port = ntohs(sa->sin_port);
}
