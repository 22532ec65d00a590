/*
 * app.c - the exchange of uk/http_app.h, request side: the accessors of
 * the request and the streamed, bounded request body (Content-Length or
 * chunked), and what is left of a body when the exchange ends.  The
 * response side is reply.c's.
 */
#include <string.h>

#include "conn.h"

static struct uk_http_conn *conn_of(const struct uk_http_exchange *x)
{
    return x->conn;
}

const char *uk_http_method(const struct uk_http_exchange *x)
{
    return conn_of(x)->rq->parser.req.method_str;
}

const char *uk_http_path(const struct uk_http_exchange *x)
{
    return x->path;
}

const char *uk_http_query(const struct uk_http_exchange *x)
{
    return x->query;
}

const struct uk_http_request *uk_http_head(const struct uk_http_exchange *x)
{
    return &conn_of(x)->rq->parser.req;
}

const char *uk_http_header_get(const struct uk_http_exchange *x,
                               const char *name)
{
    return uk_http_header(&conn_of(x)->rq->parser, name);
}

int uk_http_query_get(const struct uk_http_exchange *x, const char *name,
                      char *out, size_t cap, size_t *len)
{
    return uk_http_form_get(x->query, strlen(x->query), name, out, cap, len);
}

bool uk_http_has_body(const struct uk_http_exchange *x)
{
    return x->body != UK__BODY_NONE;
}

bool uk__http_app_holds(const struct uk_http_conn *c)
{
    return c->rq != NULL && c->rq->x.active;
}

/* ---- the request body ---- */

/* Hands the pending read its result; an error ends the exchange. */
static void deliver(struct uk_http_exchange *x, int status, const void *data,
                    size_t len)
{
    uk_http_body_cb cb = x->body_cb;
    x->body_cb = NULL;
    if (status != 0 && status != UK_EOF)
        x->active = false;
    cb(x->body_arg, status, data, len);
}

/*
 * The body is bad (UK_EPROTO: 400) or too big (UK_ELIMIT: 413): the
 * handler hears it and may still answer in its callback; if it does not,
 * the server answers for it.  The connection closes after the answer
 * (the rest of the body is not read); with a response already started
 * only the close is left.
 */
static void body_fail(struct uk_http_conn *c, int err)
{
    struct uk_http_exchange *x = &c->rq->x;
    uk_http_body_cb cb = x->body_cb;
    c->close_after = true;
    c->linger = true; /* the rest of the body may be on its way */
    if (x->started) {
        deliver(x, err, NULL, 0);
        if (!c->closing)
            uk__http_reset(c);
        return;
    }
    x->body_cb = NULL;
    x->body_failed = true;
    cb(x->body_arg, err, NULL, 0); /* x stays the handler's to answer */
    if (c->closing || x->started)
        return;
    x->active = false;
    uk__http_prepare_error(c, err == UK_ELIMIT ? 413 : 400);
    c->io = UK__IO_IDLE;
    uk__http_respond(c);
}

/*
 * Takes body bytes from d[0..len): returns the bytes used, with the piece
 * of body data found (*data, *dlen; none when *dlen is 0), or sets *err
 * (UK_EOF at the end, UK_EPROTO, UK_ELIMIT).
 */
static size_t take(struct uk_http_exchange *x, const uint8_t *d, size_t len,
                   const void **data, size_t *dlen, int *err)
{
    size_t used = 0;
    *err = 0;
    *data = NULL;
    *dlen = 0;
    if (x->body_done) {
        *err = UK_EOF;
        return 0;
    }
    if (x->body == UK__BODY_LENGTH) {
        used = len < x->body_left ? len : (size_t)x->body_left;
        x->body_left -= used;
        x->body_done = x->body_left == 0;
        *data = d;
        *dlen = used;
    } else {
        int r = uk_http_chunked_decode(&x->dec, d, len, &used, data, dlen);
        if (r == UK_EPROTO) {
            *err = UK_EPROTO;
            return used;
        }
        x->body_done = r == UK_HTTP_DONE;
    }
    x->body_seen += *dlen;
    if (x->body_seen > x->body_max)
        *err = UK_ELIMIT;
    else if (*dlen == 0 && x->body_done)
        *err = UK_EOF;
    return used;
}

static void body_next(struct uk_http_conn *c);

static void body_read_cb(void *arg, int status, const void *data, size_t len)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    struct uk_http_exchange *x = &c->rq->x;
    const void *piece;
    size_t used, n;
    int err;
    c->io = UK__IO_APP;
    if (c->closing) {
        deliver(x, UK_ECANCELED, NULL, 0);
        return;
    }
    if (status != 0) { /* the client stopped before the body's end */
        c->eof = true;
        deliver(x, status == UK_EOF ? UK_ECONNABORTED : status, NULL, 0);
        uk__http_close(c);
        return;
    }
    uk__http_arm_send(c);
    used = take(x, (const uint8_t *)data, len, &piece, &n, &err);
    if (err != 0 && err != UK_EOF) {
        body_fail(c, err);
        return;
    }
    if (used < len) { /* more body, or the next request: keep it */
        size_t keep = len - used;
        if (keep > c->srv->cfg.in_buf) {
            keep = c->srv->cfg.in_buf;
            c->overflow = true;
        }
        c->in = (uint8_t *)uk__http_take(c, keep);
        if (c->in == NULL) {
            c->srv->stats.no_memory++;
            deliver(x, UK_ECANCELED, NULL, 0);
            uk__http_close(c);
            return;
        }
        memcpy(c->in, (const uint8_t *)data + used, keep);
        c->in_cap = c->in_len = keep;
        c->in_off = 0;
    }
    if (n > 0 || err == UK_EOF)
        deliver(x, err, piece, n);
    else
        body_next(c); /* only framing so far */
}

/* Whether s equals the lowercase word w, ignoring ASCII case. */
static bool ascii_case_eq(const char *s, const char *w)
{
    for (; *w != '\0'; s++, w++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
        if (c != *w)
            return false;
    }
    return *s == '\0';
}

static void continue_cb(void *arg, int status, size_t written)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    UK_UNUSED(written);
    c->io = UK__IO_APP;
    if (c->closing) {
        deliver(&c->rq->x, UK_ECANCELED, NULL, 0);
        return;
    }
    if (status != 0) {
        deliver(&c->rq->x, status, NULL, 0);
        uk__http_close(c);
        return;
    }
    body_next(c);
}

/* Whether the client waits for "100 Continue" before sending the body
 * (RFC 9110 10.1.1): asked for, nothing of the body sent yet, and not
 * said already. */
static bool wants_continue(struct uk_http_conn *c)
{
    struct uk_http_exchange *x = &c->rq->x;
    const char *e;
    if (x->continued || x->body_seen > 0 || c->in_off < c->in_len ||
        c->rq->parser.req.version_minor < 1)
        return false;
    e = uk_http_header(&c->rq->parser, "expect");
    return e != NULL && ascii_case_eq(e, "100-continue");
}

/* Finds the next piece: from the kept input, else from the flow. */
static void body_next(struct uk_http_conn *c)
{
    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
    struct uk_http_exchange *x = &c->rq->x;
    if (x->body == UK__BODY_LENGTH &&
        x->body_left > x->body_max - x->body_seen) {
        body_fail(c, UK_ELIMIT); /* declared too big: not read at all */
        return;
    }
    while (c->in_off < c->in_len) {
        const void *piece;
        size_t n;
        int err;
        c->in_off += take(x, c->in + c->in_off, c->in_len - c->in_off, &piece,
                          &n, &err);
        if (err != 0 && err != UK_EOF) {
            body_fail(c, err);
            return;
        }
        if (n > 0 || err == UK_EOF) {
            /* the piece stays valid: the input goes only after it */
            deliver(x, err, piece, n);
            return;
        }
    }
    if (x->body_done) {
        deliver(x, UK_EOF, NULL, 0);
        return;
    }
    if (c->in != NULL) { /* all used */
        uk_mem_account_free(&c->srv->acct, c->in, c->in_cap);
        c->in = NULL;
        c->in_off = c->in_len = c->in_cap = 0;
    }
    if (wants_continue(c)) {
        x->continued = true;
        struct uk_iov iov;
        iov.base = cont;
        iov.len = sizeof cont - 1;
        uk__http_writing(c);
        if (uk__http_flow_writev(c, &iov, 1, continue_cb) == 0)
            return;
        c->io = UK__IO_APP;
        deliver(x, UK_ECANCELED, NULL, 0);
        uk__http_close(c);
        return;
    }
    c->io = UK__IO_READ;
    if (uk_flow_read(c->flow, body_read_cb, c) != 0) {
        c->io = UK__IO_APP;
        deliver(x, UK_ECANCELED, NULL, 0);
        uk__http_close(c);
    }
}

static void body_deferred(void *arg)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    if (c->closing || c->rq == NULL || c->rq->x.body_cb == NULL)
        return;
    body_next(c);
}

int uk_http_body_read(struct uk_http_exchange *x, uk_http_body_cb cb,
                      void *arg)
{
    struct uk_http_conn *c = conn_of(x);
    if (!x->active || x->ending || c->closing || x->body_failed)
        return UK_ECLOSED;
    if (x->body_cb != NULL || x->write_cb != NULL || c->io != UK__IO_APP)
        return UK_EBUSY;
    x->body_cb = cb;
    x->body_arg = arg;
    uk_time_defer(c->srv->deps.time, &x->timer, body_deferred, c);
    return 0;
}

/* ---- the end of an exchange ---- */

void uk__http_app_done(struct uk_http_conn *c)
{
    struct uk_http_exchange *x = &c->rq->x;
    x->active = false;
    if (x->body_done || x->body == UK__BODY_NONE || x->body_failed)
        return;
    if (x->body == UK__BODY_LENGTH)
        c->discard = x->body_left; /* skipped before the next request */
    else
        c->close_after = true;
    x->body = UK__BODY_NONE;
}

void uk__http_app_cancel(struct uk_http_conn *c)
{
    if (c->rq != NULL)
        uk_time_cancel(c->srv->deps.time, &c->rq->x.timer);
}

void uk__http_app_gone(struct uk_http_conn *c)
{
    struct uk_http_exchange *x;
    if (!uk__http_app_holds(c))
        return;
    x = &c->rq->x;
    uk_time_cancel(c->srv->deps.time, &x->timer);
    x->active = false;
    if (x->body_cb != NULL) {
        uk_http_body_cb cb = x->body_cb;
        x->body_cb = NULL;
        cb(x->body_arg, UK_ECANCELED, NULL, 0);
    } else if (x->write_cb != NULL) {
        uk_http_write_cb cb = x->write_cb;
        x->write_cb = NULL;
        cb(x->write_arg, UK_ECANCELED);
    } else if (x->abort_cb != NULL) {
        x->abort_cb(x->abort_arg);
    }
}

void uk_http_on_abort(struct uk_http_exchange *x, uk_done_cb cb, void *arg)
{
    x->abort_cb = cb;
    x->abort_arg = arg;
}
