/*
 * server_priv.h - what server.c (set-up, UDP) and server_tcp.c (TCP
 * connections) share.  Internal to lib/dns.
 */
#ifndef UK_DNS_SERVER_PRIV_H
#define UK_DNS_SERVER_PRIV_H

#include <uk/dns_server.h>

/* Answers msg into out[cap] (*n bytes), through the cache when there is
 * one; uk_dns_answer's result. */
int uk__dns_answer(struct uk_dns_server *srv, const void *msg, size_t len,
                   const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                   size_t cap, size_t *n);

/* The uk_tcpv4_accept_cb of the server (arg: the server). */
void uk__dns_tcp_accept(void *arg, struct uk_flow *flow);

/* Closes every TCP connection (stop). */
void uk__dns_tcp_close_all(struct uk_dns_server *srv);

#endif
