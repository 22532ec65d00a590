/*
 * conn.h - the per-connection state of the HTTP server, shared between
 * server.c (I/O, timeouts, lifetime) and response.c (what to answer).
 * Internal to lib/http.
 */
#ifndef UK_HTTP_CONN_H
#define UK_HTTP_CONN_H

#include <uk/http.h>
#include <uk/http_server.h>

/* Room for a response header, including a Location of a long key. */
#define UK__HTTP_HDR_MAX 1536

enum uk__http_io {
    UK__IO_IDLE,    /* nothing pending */
    UK__IO_READ,    /* a flow read is pending */
    UK__IO_WRITE,   /* a flow write is pending */
    UK__IO_WAIT_BUF /* waiting for a body buffer from the pool */
};

struct uk_http_conn {
    struct uk_http_server *srv;
    struct uk_flow *flow;
    struct uk_http_conn *next; /* free list, or buffer wait queue */
    struct uk_http_conn *prev; /* buffer wait queue only */
    struct uk_timer timer;     /* the one timeout armed, if any */
    struct uk_timer defer;     /* resumption after waiting */
    int io;                    /* enum uk__http_io */
    int tmo;                   /* which timeout applies now */
    uint64_t deadline;         /* when it expires */
    uint64_t timer_at;         /* when the armed timer fires */
    bool in_use, closing, close_after, overflow, eof;
    struct uk_http_parser parser;
    uint8_t *in; /* pipelined input not yet parsed */
    size_t in_off, in_len;
    uint64_t discard; /* request body bytes still to skip */

    /* The response in progress. */
    int status;
    bool keep_alive;  /* after this response */
    bool head_only;   /* headers only (HEAD, 304) */
    bool hdr_pending; /* the header is not yet written */
    size_t hdr_len;
    size_t inline_body; /* body bytes inside hdr (error text) */
    const uint8_t *map; /* mapped body from body_off, or NULL */
    uint8_t *buf;       /* body buffer from the pool, or NULL */
    uint64_t body_off;  /* next offset in the value */
    uint64_t body_left; /* body bytes still to send */
    uint64_t body_sent; /* body bytes sent (for the log) */
    size_t chunk;       /* body bytes in the pending write */
    char key[UK_KV_KEY_MAX + 16];
    char hdr[UK__HTTP_HDR_MAX];
};

/*
 * Decides the answer to the request parsed in c->parser and builds its
 * header (and, for errors, small body) in c->hdr; sets status, keep_alive,
 * head_only and the body range [body_off, body_off + body_left) of c->key.
 */
void uk__http_prepare(struct uk_http_conn *c);

/* Builds an error response with status (for a request that could not be
 * parsed, so the connection closes after it). */
void uk__http_prepare_error(struct uk_http_conn *c, int status);

/* The cached Date value for now. */
const char *uk__http_date_now(struct uk_http_server *srv);

#endif
