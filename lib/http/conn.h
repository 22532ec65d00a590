/*
 * conn.h - the per-connection state of the HTTP server, shared between
 * server.c (accepting, reclaiming, reading requests, timeouts, closing),
 * send.c (body buffers and writes) and response.c (what to answer).
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
    UK__IO_WAIT_BUF /* waiting for a body buffer */
};

/* Which of the server's state lists holds the connection. */
enum uk__http_state { UK__ST_NONE, UK__ST_IDLE, UK__ST_HEAD, UK__ST_BUSY };

/* Which body-buffer queue of the server holds the connection. */
enum uk__http_bq { UK__BQ_NONE, UK__BQ_WAITING, UK__BQ_HOLDING };

/*
 * The request block: what a connection needs from the first byte of a
 * request to the end of its response, allocated then and given back when
 * the connection goes idle.  The parser's storage (at least
 * limits.head_max bytes) follows the struct in the same allocation.
 */
struct uk__http_req {
    struct uk_http_parser parser;
    char key[UK_KV_KEY_MAX + 16];
    char hdr[UK__HTTP_HDR_MAX];
};

struct uk_http_conn {
    struct uk_http_server *srv;
    struct uk_flow *flow;
    struct uk_dlink link;  /* in srv->idle, heads or busy (state) */
    struct uk_dlink blink; /* in srv->waiting or srv->holding */
    int state;             /* enum uk__http_state */
    int bq;                /* enum uk__http_bq */
    struct uk_timer timer; /* the one timeout armed, if any */
    struct uk_timer defer; /* resumption after waiting */
    int io;                /* enum uk__http_io */
    int tmo;               /* which timeout applies now */
    uint64_t deadline;     /* when it expires */
    uint64_t timer_at;     /* when the armed timer fires */
    uint64_t head_start;   /* when the request head began */
    uint64_t head_bytes;   /* its bytes so far (for min_rate) */
    bool closing, close_after, overflow, eof;
    bool served;             /* a response was written in full */
    struct uk__http_req *rq; /* from the server's account, or NULL */
    uint8_t *in;             /* pipelined input not yet parsed: in_cap
                                bytes from the account, or NULL */
    size_t in_off, in_len, in_cap;
    uint64_t discard; /* request body bytes still to skip */

    /* The response in progress. */
    int status;
    bool keep_alive;  /* after this response */
    bool head_only;   /* headers only (HEAD, 304) */
    bool hdr_pending; /* the header is not yet written */
    size_t hdr_len;
    size_t inline_body;   /* body bytes inside hdr (error text) */
    const uint8_t *map;   /* mapped body from body_off, or NULL */
    uint8_t *buf;         /* body buffer from the account, or NULL */
    size_t buf_len;       /* its size */
    bool buf_pooled;      /* counted in srv->pool_used */
    uint64_t write_start; /* when the pending write began */
    uint64_t body_off;    /* next offset in the value */
    uint64_t body_left;   /* body bytes still to send */
    uint64_t body_sent;   /* body bytes sent (for the log) */
    size_t chunk;         /* body bytes in the pending write */
};

/*
 * Decides the answer to the request parsed in c->rq->parser and builds
 * its header (and, for errors, small body) in c->rq->hdr; sets status,
 * keep_alive, head_only and the body range [body_off, body_off +
 * body_left) of c->rq->key.
 */
void uk__http_prepare(struct uk_http_conn *c);

/* Builds an error response with status (for a request that could not be
 * parsed, so the connection closes after it). */
void uk__http_prepare_error(struct uk_http_conn *c, int status);

/* The cached Date value for now. */
const char *uk__http_date_now(struct uk_http_server *srv);

/* send.c: starts the response prepared in c (header, then body). */
void uk__http_respond(struct uk_http_conn *c);

/* send.c: gives back c's body buffer (if any) and lets waiters have the
 * room; call when the response ends or the connection is gone. */
void uk__http_buf_release(struct uk_http_conn *c);

/* send.c: c is closing: it leaves the buffer queues. */
void uk__http_buf_leave(struct uk_http_conn *c);

/* send.c: tries again to give buffers to waiting connections (memory was
 * given back). */
void uk__http_buf_wake(struct uk_http_server *srv);

/* server.c, for send.c: the response is out (next request, or close). */
void uk__http_finish(struct uk_http_conn *c);

/* server.c, for send.c: closes c (idempotent). */
void uk__http_close(struct uk_http_conn *c);

/* server.c, for send.c: closes c with a reset where the flow has one
 * (queued bytes dropped, the TCP slot freed at once): for connections cut
 * to make room or as hostile.  Idempotent. */
void uk__http_reset(struct uk_http_conn *c);

/* server.c, for send.c: (re)starts the send timeout. */
void uk__http_arm_send(struct uk_http_conn *c);

#endif
