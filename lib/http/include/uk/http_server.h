/*
 * uk/http_server.h - an HTTP/1.1 server over any uk_flow, serving the
 * files of a uk_kv_ro store, or (with a router) any handlers of
 * uk/http_app.h, the static files being one of them.
 *
 * It speaks only FLOW, KV_RO, TIME, CLOCK, CONSOLE and MEM, so the same
 * server runs over kernel sockets, uk's own TCP stack and Xen netfront.
 *
 * Memory comes from the image's budget (uk/mem.h) through the server's own
 * account, and only while it is used: a small record per connection from
 * accept to close; the request block (parser storage, response header)
 * from the first byte of a request to the end of its response; pipelined
 * input only while some is waiting to be parsed; body buffers from a pool
 * of body_pool bytes shared by all connections.  An idle keep-alive
 * connection holds only its record.
 *
 * What it does per connection: reads request heads with the incremental
 * parser of uk/http.h, answers them in order (pipelining), keeps the
 * connection open according to the HTTP/1.0 and 1.1 rules, and hands each
 * request to its handler: the router's (deps.router, uk/http_app.h), or
 * without one the static-file handler, which this paragraph describes.
 * It writes each response's header and first body bytes in one writev.
 * Bodies come from
 * the store's map() where it has one (zero copy, no buffer), else are read
 * in chunks of body_chunk bytes into a buffer, the next chunk read when the
 * previous write completes.  GET and HEAD; 405 with Allow for other
 * methods; 304 for If-None-Match / If-Modified-Since; 206 / 416 for a
 * single byte Range (with If-Range); index.html for directories, and a 301
 * to "dir/" when the slash is missing.
 *
 * Against clients that hold resources without using them:
 *  - Reclaim, not refusal: when a connection arrives and the server is at
 *    max_conns, or its account is under pressure, it closes the oldest
 *    idle keep-alive connection (one that had an answer and waits for its
 *    next request); with none, the client that stopped reading longest
 *    ago (a response write pending for buffer_hold_ns or more); with none,
 *    the oldest connection without a complete request head (by age: a new
 *    connection that has sent nothing yet counts, so it goes after the
 *    older half-sent heads; under memory pressure alone only one that
 *    holds a request block goes, so newcomers, which hold next to
 *    nothing, are not closed before they could ask).  Only when none
 *    exists is the new flow closed at once.  Under pressure a request
 *    block is taken the same way.  (The TCP layer below must
 *    accept a few connections more than max_conns, or it refuses them
 *    before the server can make room.)
 *  - Timeouts: idle (between requests), header (first byte of a request to
 *    the end of its head, however it trickles in), send (no write
 *    progress).  A head must also arrive at min_rate bytes/s on average
 *    once rate_grace_ns has passed, which cuts a client sending one byte
 *    every few seconds long before the header timeout.
 *  - Body buffers: a body of body_small bytes or less gets its own buffer
 *    at once; larger ones share the pool in FIFO order, and while anyone
 *    waits a connection gives its buffer back after each write and queues
 *    again (round robin), so one big download cannot keep the pool.  A
 *    connection whose write holds a pool buffer for buffer_hold_ns while
 *    others wait (a client that stopped reading) is closed.
 *
 * Usage: fill a config (uk_http_server_config_default, then max_conns from
 * uk_image_capacity()), uk_http_server_init(), then hand it every accepted
 * flow with uk_http_server_accept(), which has the shape of a
 * uk_tcpv4_accept_cb:
 *
 *     uk_stackv4_listen_tcp(net, port, uk_http_server_accept, &srv);
 */
#ifndef UK_HTTP_SERVER_H
#define UK_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/clock.h>
#include <uk/console.h>
#include <uk/dlist.h>
#include <uk/flow.h>
#include <uk/http.h>
#include <uk/http_app.h>
#include <uk/kv_ro.h>
#include <uk/mem.h>
#include <uk/time.h>

struct uk_http_server_config {
    size_t max_conns;             /* connections open at once (default
                                     1024; appliances take it from
                                     uk_image_capacity()->connections) */
    struct uk_http_limits limits; /* request-head limits (uk/http.h);
                                     limits.head_max also sizes the parser
                                     storage of the request block */
    size_t in_buf;                /* most pipelined input kept per
                                     connection (default UK_FLOW_READ_MAX,
                                     the largest flow read), taken only
                                     when a read holds more than one
                                     request and sized to what is left;
                                     input beyond it is dropped and the
                                     connection closed after the requests
                                     it holds */
    size_t body_chunk;            /* bytes per read from a store without map
                                     (default 16 KiB) */
    size_t body_pool;             /* bytes of body buffers shared by all
                                     connections (default 1 MiB) */
    size_t body_small;            /* a body this small gets its own buffer,
                                     outside the pool (default 4 KiB) */
    size_t map_chunk;             /* most bytes of a mapped body per writev
                                     (default 4 MiB) */
    uint64_t body_max;            /* most request body bytes a handler may
                                     read (uk/http_app.h; default 1 MiB;
                                     a route may set its own) */
    size_t mem_pressure;          /* the account's soft limit in bytes
                                     (default SIZE_MAX: only the budget's
                                     own pressure counts) */
    size_t mem_limit;             /* the account's hard limit (default
                                     SIZE_MAX: the whole budget) */
    uint64_t idle_timeout_ns;     /* keep-alive idle (default 60 s) */
    uint64_t header_timeout_ns;   /* request head completion (default 20 s) */
    uint64_t send_timeout_ns;     /* write progress (default 60 s) */
    uint64_t min_rate;            /* bytes/s a head must average after the
                                     grace (default 256; 0: no rule) */
    uint64_t rate_grace_ns;       /* head time before min_rate applies
                                     (default 2 s) */
    uint64_t buffer_hold_ns;      /* longest one write may hold a pool
                                     buffer while others wait (default
                                     2 s) */
    bool access_log;              /* one console line per response */
};

/* What the server runs on: all BORROWED for the server's lifetime. */
struct uk_http_server_deps {
    struct uk_kv_ro *site; /* the files served when router is NULL;
                              else may be NULL */
    const struct uk_http_router *router; /* the handlers (uk/http_app.h),
                                   or NULL: every request is the static
                                   server's (uk_http_static_handler) */
    struct uk_time *time;
    struct uk_clock *clock;     /* wall clock for Date */
    struct uk_mem *mem;         /* the budget every buffer comes from */
    struct uk_console *console; /* access log and errors; may be NULL */
};

/* Per-connection state; private to lib/http. */
struct uk_http_conn;

/* Counters, for tests and logs. */
struct uk_http_server_stats {
    uint64_t accepted;  /* flows served */
    uint64_t refused;   /* flows closed at once: full, nothing to
                           reclaim, no memory, or stopping */
    uint64_t requests;  /* responses written in full */
    uint64_t timeouts;  /* connections closed by a timeout */
    uint64_t slow;      /* closed: head below min_rate */
    uint64_t reclaimed; /* closed to make room: idle or head pending */
    uint64_t evicted;   /* closed: held a pool buffer too long while
                           others waited */
    uint64_t no_memory; /* connections closed: the budget said no */
    size_t active;      /* connections open or closing now */
};

struct uk_http_server {
    struct uk_http_server_config cfg;
    struct uk_http_server_deps deps;
    struct uk_mem_account acct; /* every byte the server holds */
    /* Open connections by state, each list oldest first: */
    struct uk_dlist idle;    /* keep-alive, between requests */
    struct uk_dlist heads;   /* no complete head yet (new ones too) */
    struct uk_dlist busy;    /* answering */
    struct uk_dlist waiting; /* waiting for a body buffer, FIFO */
    struct uk_dlist holding; /* holding a pool buffer, by write start */
    size_t pool_used;        /* bytes of pool buffers given out */
    struct uk_timer hold_timer;
    int64_t date_sec; /* second of the cached Date */
    char date[UK_HTTP_DATE_LEN + 1];
    bool stopping;
    uk_done_cb stop_cb;
    void *stop_arg;
    struct uk_timer stop_timer;
    struct uk_http_server_stats stats;
};

/* Fills cfg with the defaults above. */
void uk_http_server_config_default(struct uk_http_server_config *cfg);

/*
 * uk_http_server_init(srv, cfg, deps): prepares srv (caller storage).
 * cfg and deps are copied; the objects deps points to are BORROWED for the
 * server's lifetime.  Nothing is allocated until connections arrive.
 * Returns 0 or UK_EINVAL (zero or oversized sizes, missing deps).
 */
int uk_http_server_init(struct uk_http_server *srv,
                        const struct uk_http_server_config *cfg,
                        const struct uk_http_server_deps *deps);

/*
 * uk_http_server_accept(srv, flow): serves flow (a struct uk_http_server *
 * passed as void * so this is a uk_tcpv4_accept_cb).  The server owns the
 * flow from here and closes it; when it cannot take it (see "Reclaim"
 * above, or stopping) it is closed at once.
 */
void uk_http_server_accept(void *srv, struct uk_flow *flow);

/*
 * uk_http_server_stop(srv, cb, arg): closes every connection (responses in
 * progress are cut) and refuses new ones; cb(arg) runs once, never from
 * inside this call, when all their flows are closed and every byte is
 * given back to the budget.  cb may be NULL.
 */
void uk_http_server_stop(struct uk_http_server *srv, uk_done_cb cb, void *arg);

#endif
