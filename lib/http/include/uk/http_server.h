/*
 * uk/http_server.h - an HTTP/1.1 static-file server over any uk_flow,
 * serving the files of a uk_kv_ro store.
 *
 * It speaks only FLOW, KV_RO, TIME, CLOCK and CONSOLE, so the same server
 * runs over kernel sockets, uk's own TCP stack and Xen netfront.  It does
 * not allocate: every connection's state and buffers come from one block
 * of memory the caller provides at init, sized by
 * uk_http_server_mem_size(); when every connection slot is busy, new flows
 * are closed at once.
 *
 * What it does per connection: reads request heads with the incremental
 * parser of uk/http.h, answers them in order (pipelining), keeps the
 * connection open according to the HTTP/1.0 and 1.1 rules, and writes each
 * response's header and first body bytes in one writev.  Bodies come from
 * the store's map() where it has one (zero copy), else are read in chunks
 * of body_chunk bytes into a buffer from a shared pool, the next chunk read
 * when the previous write completes.  GET and HEAD; 405 with Allow for
 * other methods; 304 for If-None-Match / If-Modified-Since; 206 / 416 for
 * a single byte Range (with If-Range); index.html for directories, and a
 * 301 to "dir/" when the slash is missing.  Timeouts: idle (between
 * requests), header (first byte of a request to the end of its head) and
 * send (no write progress); on expiry the connection is closed.
 *
 * Usage: fill a config (uk_http_server_config_default), allocate
 * uk_http_server_mem_size(&cfg) bytes, uk_http_server_init(), then hand it
 * every accepted flow with uk_http_server_accept(), which has the shape of
 * a uk_tcpv4_accept_cb:
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
#include <uk/flow.h>
#include <uk/http.h>
#include <uk/kv_ro.h>
#include <uk/time.h>

struct uk_http_server_config {
    size_t max_conns;             /* connection slots (default 1124) */
    struct uk_http_limits limits; /* request-head limits (uk/http.h) */
    size_t in_buf;                /* per-connection buffer for pipelined input
                                     not yet parsed (default 16 KiB); make
                                     it at least the largest flow read, as
                                     input beyond it is dropped and the
                                     connection closed after the requests
                                     it holds */
    size_t body_chunk;            /* bytes per read from a store without map
                                     (default 64 KiB) */
    size_t body_buffers;          /* pool of body_chunk buffers shared by all
                                     connections (default 64) */
    size_t map_chunk;             /* most bytes of a mapped body per writev
                                     (default 4 MiB) */
    uint64_t idle_timeout_ns;     /* keep-alive idle (default 60 s) */
    uint64_t header_timeout_ns;   /* request head completion (default 20 s) */
    uint64_t send_timeout_ns;     /* write progress (default 60 s) */
    bool access_log;              /* one console line per response */
};

/* What the server runs on: all BORROWED for the server's lifetime. */
struct uk_http_server_deps {
    struct uk_kv_ro *site;
    struct uk_time *time;
    struct uk_clock *clock;     /* wall clock for Date */
    struct uk_console *console; /* access log and errors; may be NULL */
};

/* Per-connection state; private to http/server.c. */
struct uk_http_conn;

/* Counters, for tests and logs. */
struct uk_http_server_stats {
    uint64_t accepted; /* flows taken into a slot */
    uint64_t refused;  /* flows closed at once: no free slot */
    uint64_t requests; /* responses written in full */
    uint64_t timeouts; /* connections closed by a timeout */
    size_t active;     /* slots in use now */
};

struct uk_http_server {
    struct uk_http_server_config cfg;
    struct uk_http_server_deps deps;
    struct uk_http_conn *conns; /* cfg.max_conns of them */
    struct uk_http_conn *free_conns;
    uint8_t *body_free; /* free body buffers, linked */
    struct uk_http_conn *wait_first, *wait_last; /* waiting for a buffer */
    int64_t date_sec; /* second of the cached Date */
    char date[UK_HTTP_DATE_LEN + 1];
    bool stopping;
    uk_done_cb stop_cb;
    void *stop_arg;
    struct uk_timer stop_timer;
    struct uk_http_server_stats stats;
};

/*
 * UK_HTTP_SERVER_MEM(conns, head_max, in_buf, chunk, buffers): a constant
 * upper bound of uk_http_server_mem_size() for a config with those
 * fields, for callers that reserve the memory statically.
 */
#define UK_HTTP_CONN_STATE_MAX 4096 /* bound of the per-connection struct */
#define UK_HTTP_SERVER_MEM(conns, head_max, in_buf, chunk, buffers)           \
    ((size_t)(conns) *                                                        \
         (UK_HTTP_CONN_STATE_MAX + (head_max) + (in_buf) + 48) +              \
     16 + (size_t)(buffers) * ((chunk) + 16))

/* Fills cfg with the defaults above. */
void uk_http_server_config_default(struct uk_http_server_config *cfg);

/* Bytes of memory uk_http_server_init needs for cfg; 0 if cfg is
 * unusable (zero or overflowing sizes). */
size_t uk_http_server_mem_size(const struct uk_http_server_config *cfg);

/*
 * uk_http_server_init(srv, cfg, deps, mem, len): prepares srv.  cfg and
 * deps are copied; mem[0..len) is BORROWED for the server's lifetime and
 * must be at least uk_http_server_mem_size(cfg) bytes, aligned for any
 * object.  Returns 0 or UK_EINVAL (bad cfg, missing deps, mem too small).
 */
int uk_http_server_init(struct uk_http_server *srv,
                        const struct uk_http_server_config *cfg,
                        const struct uk_http_server_deps *deps, void *mem,
                        size_t len);

/*
 * uk_http_server_accept(srv, flow): serves flow (a struct uk_http_server *
 * passed as void * so this is a uk_tcpv4_accept_cb).  The server owns the
 * flow from here and closes it; if no slot is free (or the server is
 * stopping) it is closed at once.
 */
void uk_http_server_accept(void *srv, struct uk_flow *flow);

/*
 * uk_http_server_stop(srv, cb, arg): closes every connection (responses in
 * progress are cut) and refuses new ones; cb(arg) runs once, never from
 * inside this call, when all their flows are closed.  cb may be NULL.
 */
void uk_http_server_stop(struct uk_http_server *srv, uk_done_cb cb, void *arg);

#endif
