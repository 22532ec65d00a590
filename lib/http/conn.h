/*
 * conn.h - the per-connection state of the HTTP server, shared between
 * server.c (accepting, reclaiming, reading requests, timeouts, closing),
 * send.c (body buffers and writes) and response.c (what to answer).
 * Internal to lib/http.
 */
#ifndef UK_HTTP_CONN_H
#define UK_HTTP_CONN_H

#include <uk/http.h>
#include <uk/http_app.h>
#include <uk/http_server.h>

/* Room for a response header, including a Location of a long key. */
#define UK__HTTP_HDR_MAX UK_HTTP_RESP_HDR_MAX

enum uk__http_io {
    UK__IO_IDLE,     /* nothing pending */
    UK__IO_READ,     /* a flow read is pending */
    UK__IO_WRITE,    /* a flow write is pending */
    UK__IO_WAIT_BUF, /* waiting for a body buffer */
    UK__IO_APP       /* a handler holds the exchange, nothing pending */
};

/* How the request body arrives (app.c). */
enum uk__http_body { UK__BODY_NONE, UK__BODY_LENGTH, UK__BODY_CHUNKED };

/* Which of the server's state lists holds the connection. */
enum uk__http_state { UK__ST_NONE, UK__ST_IDLE, UK__ST_HEAD, UK__ST_BUSY };

/* Which body-buffer queue of the server holds the connection. */
enum uk__http_bq { UK__BQ_NONE, UK__BQ_WAITING, UK__BQ_HOLDING };

/*
 * The exchange of uk/http_app.h: what a handler's request needs beyond the
 * parser, in the request block (so an idle connection does not hold it).
 * Owned by the connection; the handler BORROWS it until the response is
 * complete or the exchange ends early.
 */
struct uk_http_exchange {
    struct uk_http_conn *conn;
    bool active;        /* a handler holds it (not answered, not over) */
    bool started;       /* the response header is decided */
    bool chunked_out;   /* the response body is chunked */
    bool eof_out;       /* the response body ends with the connection */
    bool ending;        /* the final write is pending or deferred */
    const char *query;  /* in the parser's storage, or "" */
    size_t extra_len;   /* handler fields at the start of hdr */
    uint64_t out_left;  /* declared body bytes not yet written */
    int body;           /* enum uk__http_body */
    bool body_done;     /* the body's end was reached */
    bool body_failed;   /* over body_max or malformed: not read on */
    bool continued;     /* "100 Continue" was sent */
    uint64_t body_left; /* Content-Length bytes not yet taken */
    uint64_t body_seen; /* body bytes delivered */
    uint64_t body_max;  /* the bound */
    struct uk_http_chunked dec;
    uk_http_body_cb body_cb; /* a read is pending (or deferred) */
    void *body_arg;
    uk_http_write_cb write_cb; /* a write is pending */
    void *write_arg;
    size_t write_len;
    uk_done_cb abort_cb;
    void *abort_arg;
    struct uk_timer timer;        /* deferred deliveries */
    char line[24];                /* a chunk-size line, or the last chunk */
    char path[UK_KV_KEY_MAX + 2]; /* the decoded path */
};

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
    struct uk_http_exchange x;
};

struct uk_http_conn {
    struct uk_http_server *srv;
    struct uk_flow *flow;
    struct uk_kv_ro *kv;   /* the store the body comes from (BORROWED) */
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
    bool linger;             /* after the answer, drain what the client still
                                sends before closing (a refused body) */
    size_t linger_left;      /* bytes it may still send then */
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

/* c starts a write to its flow: io and write_start say so (how long a
 * client has not been reading is measured from here). */
static inline void uk__http_writing(struct uk_http_conn *c)
{
    c->io = UK__IO_WRITE;
    c->write_start = uk_time_now_ns(c->srv->deps.time);
}

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

/* A bounded response header under construction (response.c). */
struct uk__hb {
    char *p;
    size_t len, cap;
    bool full;
};
void uk__hb_put(struct uk__hb *h, const char *s, size_t n);
void uk__hb_puts(struct uk__hb *h, const char *s);
void uk__hb_putu(struct uk__hb *h, uint64_t v);
/* Starts c->rq->hdr with the status line, Server and Date. */
void uk__hb_begin(struct uk__hb *h, struct uk_http_conn *c, int status);
/* Connection and the blank line; records the header length. */
void uk__hb_end(struct uk__hb *h, struct uk_http_conn *c);
/* The reason phrase of status. */
const char *uk__http_reason(int status);

/*
 * form.c: percent-decodes s[0..n) into out[0..cap) (no NUL added), '+' as
 * a space when plus; returns the decoded length, -1 for invalid
 * percent-encoding, or cap + 1 when it does not fit (out then holds the
 * first cap bytes).
 */
long uk__http_decode(const char *s, size_t n, char *out, size_t cap,
                     bool plus);

/* router.c: sends the request parsed in c to its handler. */
void uk__http_dispatch(struct uk_http_conn *c);

/* app.c: the response is complete (or the connection ends): whatever the
 * handler left of the request body is skipped, or ends the connection. */
void uk__http_app_done(struct uk_http_conn *c);

/* app.c: whether a handler holds c's exchange (its request block must stay
 * until the flow is closed). */
bool uk__http_app_holds(const struct uk_http_conn *c);

/* app.c, from server.c when c is closed: ends a held exchange early. */
void uk__http_app_gone(struct uk_http_conn *c);

/* app.c: cancels deferred deliveries (c is closing). */
void uk__http_app_cancel(struct uk_http_conn *c);

/* server.c, for app.c: (re)starts the send timeout and reads on. */
void uk__http_arm_send(struct uk_http_conn *c);

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

/* server.c: n bytes from the server's account for c, reclaiming others
 * (as under memory pressure) when the budget cannot give them; NULL when
 * none is left to take.  Give them back with uk_mem_account_free. */
void *uk__http_take(struct uk_http_conn *c, size_t n);

/* server.c: uk_flow_writev on c's flow with c as the callback's argument;
 * when the flow cannot get a send buffer now (UK_ENOMEM), others are
 * reclaimed for it and it is tried again.  Returns what writev returned
 * last. */
int uk__http_flow_writev(struct uk_http_conn *c, const struct uk_iov *iov,
                         int cnt, uk_flow_write_cb cb);

/* server.c, for send.c: closes c (idempotent). */
void uk__http_close(struct uk_http_conn *c);

/* server.c, for send.c: closes c with a reset where the flow has one
 * (queued bytes dropped, the TCP slot freed at once): for connections cut
 * to make room or as hostile.  Idempotent. */
void uk__http_reset(struct uk_http_conn *c);

#endif
