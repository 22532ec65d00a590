/*
 * echo.c - the echo appliance, over STACKV4 and FLOW only: a table of
 * connections made once, and each read's bytes copied into a block of the
 * memory budget until their write completes.
 */
#include <string.h>

#include <uk/target.h>

#include "echo.h"

struct conn {
    struct uk_flow *flow;
    uint8_t *buf; /* from echo.mem while a write is in flight, else NULL */
    size_t len;
    struct conn *next_free;
    bool used;
};

static struct {
    struct uk_console *con;
    struct uk_stackv4 *net;
    struct uk_udpv4 *udp;
    struct uk_mem *mem;
    uint16_t port;
    bool verbose;
    struct conn *conns; /* max_conns entries, from mem */
    struct conn *free_list;
    unsigned long served, refused;
} echo;

static void start_read(struct conn *c);

/* Gives the copy of the last read back to the budget. */
static void drop_buf(struct conn *c)
{
    uk_mem_free(echo.mem, c->buf, c->len);
    c->buf = NULL;
    c->len = 0;
}

static void conn_closed(void *arg)
{
    struct conn *c = arg;
    drop_buf(c);
    c->used = false;
    c->flow = NULL;
    c->next_free = echo.free_list;
    echo.free_list = c;
}

/* Closes the connection; why is for debugging (not logged: one line per
 * connection, at accept). */
static void conn_end(struct conn *c, const char *why)
{
    (void)why;
    uk_flow_close(c->flow, conn_closed, c);
}

static void on_write(void *arg, int status, size_t written)
{
    struct conn *c = arg;
    (void)written;
    drop_buf(c);
    if (status != 0) {
        conn_end(c, uk_strerror(status));
        return;
    }
    start_read(c);
}

static void on_read(void *arg, int status, const void *data, size_t len)
{
    struct conn *c = arg;
    int rc;
    if (status == UK_ECANCELED)
        return; /* closing already */
    if (status != 0) {
        conn_end(c, status == UK_EOF ? "end of stream" : uk_strerror(status));
        return;
    }
    if (len == 0) {
        start_read(c);
        return;
    }
    /* data is lent until we return; the write needs it until on_write. */
    c->buf = uk_mem_alloc(echo.mem, len);
    if (c->buf == NULL) {
        conn_end(c, "out of memory");
        return;
    }
    memcpy(c->buf, data, len);
    c->len = len;
    rc = uk_flow_write(c->flow, c->buf, c->len, on_write, c);
    if (rc != 0)
        conn_end(c, uk_strerror(rc));
}

static void start_read(struct conn *c)
{
    int rc = uk_flow_read(c->flow, on_read, c);
    if (rc != 0)
        conn_end(c, uk_strerror(rc));
}

static void on_accept(void *arg, struct uk_flow *flow)
{
    struct conn *c = echo.free_list;
    (void)arg;
    if (c == NULL) {
        echo.refused++;
        uk_flow_close(flow, NULL, NULL);
        return;
    }
    echo.free_list = c->next_free;
    c->used = true;
    c->flow = flow;
    echo.served++;
    if (echo.verbose) {
        struct uk_ipv4_ep peer;
        char s[UK_IPV4_EP_STRLEN];
        if (uk_flow_endpoints(flow, NULL, &peer) == 0)
            uk_console_printf(echo.con, "echo: connection from %s",
                              uk_ipv4_ep_format(&peer, s));
    }
    start_read(c);
}

static void on_datagram(void *arg, const struct uk_udpv4_info *info,
                        const void *data, size_t len)
{
    (void)arg;
    /* Best effort, like the wire: a full socket drops the reply. */
    uk_udpv4_sendto(echo.udp, echo.port, &info->src, data, len);
}

void echo_start(struct uk_console *con, struct uk_stackv4 *net,
                struct uk_mem *mem, size_t max_conns, uint16_t port,
                bool verbose)
{
    size_t i;
    int rc;
    echo.con = con;
    echo.net = net;
    echo.udp = uk_stackv4_udpv4(net);
    echo.mem = mem;
    echo.port = port;
    echo.verbose = verbose;
    echo.free_list = NULL;
    echo.conns = max_conns <= SIZE_MAX / sizeof *echo.conns
                     ? uk_mem_alloc(mem, max_conns * sizeof *echo.conns)
                     : NULL;
    if (echo.conns == NULL) {
        uk_console_printf(con, "echo: no memory for %zu connections",
                          max_conns);
        uk_exit(1);
        return;
    }
    memset(echo.conns, 0, max_conns * sizeof *echo.conns);
    for (i = max_conns; i > 0; i--) {
        echo.conns[i - 1].next_free = echo.free_list;
        echo.free_list = &echo.conns[i - 1];
    }
    rc = uk_stackv4_listen_tcp(net, port, on_accept, NULL);
    if (rc == 0) {
        rc = uk_stackv4_listen_udp(net, port, on_datagram, NULL);
        if (rc != 0)
            uk_tcpv4_unlisten(uk_stackv4_tcpv4(net), port);
    }
    if (rc != 0) {
        uk_console_printf(con, "echo: cannot listen on port %u: %s",
                          (unsigned)port, uk_strerror(rc));
        uk_exit(1);
        return;
    }
    if (verbose)
        uk_console_printf(con, "echo: listening on TCP and UDP port %u",
                          (unsigned)port);
}
