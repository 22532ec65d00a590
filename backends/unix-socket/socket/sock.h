/*
 * sock.h - shared-internal state of the kernel-socket stack (the
 * uk_unix_socket archive): the TCP layer, its flows, the UDP layer, and the
 * network options.
 */
#ifndef UK_UNIX_SOCK_H
#define UK_UNIX_SOCK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <uk/stackv4.h>
#include <uk/target.h>
#include <uk/unix.h>

/* Options (net_opts.c). */
extern struct uk_ipv4_addr uk__sock_bind;  /* --ipv4, default 0.0.0.0 */
extern unsigned long uk__sock_max_conns;   /* --max-conns, default 10000 */

struct uk__sock_tcp;

/* A TCP listener: one listening socket per port. */
struct uk__sock_listener {
    struct uk_unix_source src;
    struct uk__sock_tcp *layer;
    uint16_t port;
    uk_tcpv4_accept_cb cb;
    void *arg;
    struct uk__sock_listener *next;
    struct uk_timer pause; /* re-enables accepting after EMFILE */
    bool dispatching, dead;
};

enum { UK__FLOW_CONNECTING = 1, UK__FLOW_OPEN, UK__FLOW_CLOSING };

/* A TCP connection over a non-blocking socket (flow.c). */
struct uk__sock_flow {
    struct uk_flow flow; /* first: the interface */
    struct uk_unix_source src;
    struct uk__sock_tcp *layer;
    int fd;
    int state;
    /* connect */
    uk_tcpv4_connect_cb ccb;
    void *carg;
    int cstatus;
    struct uk__sock_flow *cnext, *cprev; /* layer's connecting list */
    /* read */
    uk_flow_read_cb rcb;
    void *rarg;
    bool rpending;
    /* write */
    uk_flow_write_cb wcb;
    void *warg;
    struct uk_unix_gather w;
    int wstatus;
    bool wpending, shut_wanted, wr_shut;
    /* close */
    uk_done_cb closecb;
    void *closearg;
    struct uk_timer rtimer, wtimer, ctimer;
};

struct uk__sock_tcp {
    struct uk_tcpv4 tcp;
    struct uk__sock_listener *listeners;
    struct uk__sock_flow *connecting;
    unsigned long nflows;
    struct uk_timer done;
};

struct uk__sock_udp_port {
    struct uk_unix_source src;
    uint16_t port;
    uk_udpv4_recv_cb cb;
    void *arg;
    struct uk__sock_udp_port *next;
    bool dispatching, dead;
};

struct uk__sock_udp {
    struct uk_udpv4 udp;
    struct uk__sock_udp_port *ports;
    int eph_fd; /* unbound socket for sends from ports we don't listen on */
    struct uk_timer done;
};

/* The singletons (tcp.c, udp.c), initialised on first use. */
struct uk__sock_tcp *uk__sock_tcp(void);
struct uk__sock_udp *uk__sock_udp(void);

/* Wraps a connected or connecting socket fd in a new flow of layer.
 * Returns NULL (and closes fd) when out of memory or the source cannot be
 * watched. */
struct uk__sock_flow *uk__sock_flow_new(struct uk__sock_tcp *layer, int fd,
                                        int state);

/* Completes a connect on a later turn with status (0: the flow opens). */
void uk__sock_flow_connect_later(struct uk__sock_flow *f, int status);

/* Abandons a connecting flow: frees it without calling its callback. */
void uk__sock_flow_connect_cancel(struct uk__sock_flow *f);

/* Fills a sockaddr_in from an address and port. */
void uk__sock_addr(struct sockaddr_in *sa, struct uk_ipv4_addr a,
                   uint16_t port);

/* Reads back a sockaddr_in as an endpoint. */
void uk__sock_ep(const struct sockaddr_in *sa, struct uk_ipv4_ep *ep);

#endif
