/*
 * reply.c - the exchange of uk/http_app.h, response side: the header
 * (the handler's fields, then the server's), a whole body, a streamed body
 * (Content-Length, chunked, or to the end of the connection for HTTP/1.0),
 * or a value of a store sent by send.c.
 */
#include <string.h>

#include "conn.h"

/* Most bytes of the handler's fields: with the status line, Server and
 * Date (under 80 bytes) they always fit beside their copy at the end of
 * the header buffer (see build). */
#define EXTRA_MAX 640

static bool is_value(const char *v)
{
    for (; *v != '\0'; v++)
        if (*v != '\t' && ((unsigned char)*v < 0x20 || *v == 0x7f))
            return false;
    return true;
}

/* Whether x may still start its response. */
static int can_start(const struct uk_http_exchange *x)
{
    if (!x->active || x->conn->closing)
        return UK_ECLOSED;
    if (x->started)
        return UK_EINVAL;
    if (x->body_cb != NULL || x->write_cb != NULL)
        return UK_EBUSY;
    return 0;
}

int uk_http_add_header(struct uk_http_exchange *x, const char *name,
                       const char *value)
{
    char *hdr = x->conn->rq->hdr;
    size_t n = strlen(name), v = strlen(value), i;
    if (!x->active || x->conn->closing)
        return UK_ECLOSED;
    if (x->started || n == 0 || !is_value(value))
        return UK_EINVAL;
    for (i = 0; i < n; i++)
        if (!uk_http_is_tchar((unsigned char)name[i]))
            return UK_EINVAL;
    if (n + v + 4 > EXTRA_MAX - x->extra_len)
        return UK_ENOSPC;
    memcpy(hdr + x->extra_len, name, n);
    memcpy(hdr + x->extra_len + n, ": ", 2);
    memcpy(hdr + x->extra_len + n + 2, value, v);
    memcpy(hdr + x->extra_len + n + 2 + v, "\r\n", 2);
    x->extra_len += n + v + 4;
    return 0;
}

/*
 * Builds the response header: length body bytes, or UK_HTTP_CHUNKED.
 * Returns 0, UK_EINVAL (bad status), UK_ENOSPC (does not fit).
 */
static int build(struct uk_http_exchange *x, int status, const char *ctype,
                 uint64_t length)
{
    struct uk_http_conn *c = x->conn;
    const struct uk_http_request *r = &c->rq->parser.req;
    char *hdr = c->rq->hdr;
    char *extra = hdr + UK__HTTP_HDR_MAX - x->extra_len;
    bool no_body = status == 204 || status == 304;
    struct uk__hb h;
    if (status < 200 || status > 599 || (no_body && length != 0))
        return UK_EINVAL;
    if (ctype != NULL && !is_value(ctype))
        return UK_EINVAL;
    memmove(extra, hdr, x->extra_len);
    c->keep_alive = r->keep_alive && !c->close_after &&
                    !(x->body == UK__BODY_CHUNKED && !x->body_done);
    x->chunked_out = length == UK_HTTP_CHUNKED && r->version_minor >= 1;
    x->eof_out = length == UK_HTTP_CHUNKED && !x->chunked_out;
    if (x->eof_out)
        c->keep_alive = false;
    uk__hb_begin(&h, c, status);
    uk__hb_put(&h, extra, x->extra_len);
    if (ctype != NULL) {
        uk__hb_puts(&h, "Content-Type: ");
        uk__hb_puts(&h, ctype);
        uk__hb_puts(&h, "\r\n");
    }
    if (x->chunked_out) {
        uk__hb_puts(&h, "Transfer-Encoding: chunked\r\n");
    } else if (!x->eof_out && !no_body) {
        uk__hb_puts(&h, "Content-Length: ");
        uk__hb_putu(&h, length);
        uk__hb_puts(&h, "\r\n");
    }
    uk__hb_end(&h, c);
    if (h.full) {
        /* the handler's fields go back where they were */
        memmove(hdr, extra, x->extra_len);
        return UK_ENOSPC;
    }
    x->started = true;
    x->out_left = x->chunked_out || x->eof_out ? 0 : length;
    c->body_sent = 0;
    c->inline_body = 0;
    return 0;
}

/* ---- the final write ---- */

static void end_cb(void *arg, int status, size_t written)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    UK_UNUSED(written);
    c->io = UK__IO_IDLE;
    if (c->closing)
        return;
    if (status != 0) {
        uk__http_close(c);
        return;
    }
    c->hdr_pending = false;
    uk__http_finish(c);
}

static void finish_deferred(void *arg)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    if (c->closing)
        return;
    c->io = UK__IO_IDLE;
    uk__http_finish(c);
}

/* Hands x to the server for its last write, iov[0..cnt) (header first
 * when pending); with nothing to write the end is deferred. */
static int final_write(struct uk_http_exchange *x, struct uk_iov *iov, int cnt)
{
    struct uk_http_conn *c = x->conn;
    x->active = false;
    x->ending = true;
    if (cnt == 0) {
        uk_time_defer(c->srv->deps.time, &x->timer, finish_deferred, c);
        return 0;
    }
    uk__http_writing(c);
    uk__http_arm_send(c);
    if (uk__http_flow_writev(c, iov, cnt, end_cb) != 0) {
        c->io = UK__IO_IDLE;
        uk__http_close(c);
    }
    return 0;
}

int uk_http_respond(struct uk_http_exchange *x, int status, const char *ctype,
                    const void *body, size_t len)
{
    struct uk_http_conn *c = x->conn;
    struct uk_iov iov[2];
    int cnt = 1, r = can_start(x);
    if (r != 0)
        return r;
    r = build(x, status, ctype, len);
    if (r != 0)
        return r;
    if (c->head_only || status == 204 || status == 304)
        len = 0;
    if (len > 0 && len <= UK__HTTP_HDR_MAX - c->hdr_len) {
        memcpy(c->rq->hdr + c->hdr_len, body, len); /* small: inline */
        c->hdr_len += len;
        c->inline_body = len;
    } else if (len > 0) {
        c->buf = (uint8_t *)uk__http_take(c, len);
        if (c->buf == NULL) {
            c->srv->stats.no_memory++;
            x->active = false;
            uk__http_close(c);
            return UK_ENOMEM;
        }
        c->buf_len = len;
        c->buf_pooled = false;
        memcpy(c->buf, body, len);
        iov[cnt].base = c->buf;
        iov[cnt++].len = len;
        c->body_sent = len;
    }
    iov[0].base = c->rq->hdr;
    iov[0].len = c->hdr_len;
    return final_write(x, iov, cnt);
}

int uk_http_start(struct uk_http_exchange *x, int status, const char *ctype,
                  uint64_t length)
{
    int r = can_start(x);
    if (r != 0)
        return r;
    r = build(x, status, ctype, length);
    if (r == 0)
        x->conn->hdr_pending = true;
    return r;
}

/* ---- streamed writes ---- */

static void write_done(struct uk_http_conn *c, int status)
{
    struct uk_http_exchange *x = &c->rq->x;
    uk_http_write_cb cb = x->write_cb;
    x->write_cb = NULL;
    if (status != 0)
        x->active = false;
    cb(x->write_arg, status);
}

static void write_cb(void *arg, int status, size_t written)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    struct uk_http_exchange *x = &c->rq->x;
    UK_UNUSED(written);
    c->io = UK__IO_APP;
    if (c->closing) {
        write_done(c, UK_ECANCELED);
        return;
    }
    if (status != 0) {
        write_done(c, status);
        uk__http_close(c);
        return;
    }
    c->hdr_pending = false;
    c->body_sent += x->write_len;
    uk__http_arm_send(c);
    write_done(c, 0);
}

static void write_deferred(void *arg)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    if (c->closing || c->rq->x.write_cb == NULL)
        return;
    write_done(c, 0);
}

/* Whether x may write now: 0, or the error to return. */
static int can_write(const struct uk_http_exchange *x)
{
    if (!x->active || x->conn->closing)
        return UK_ECLOSED;
    if (!x->started)
        return UK_EINVAL;
    if (x->body_cb != NULL || x->write_cb != NULL || x->ending)
        return UK_EBUSY;
    return 0;
}

int uk_http_write(struct uk_http_exchange *x, const void *data, size_t len,
                  uk_http_write_cb cb, void *arg)
{
    struct uk_http_conn *c = x->conn;
    struct uk_iov iov[4];
    int cnt = 0, r = can_write(x);
    if (r != 0)
        return r;
    if (len == 0 || (!x->chunked_out && !x->eof_out && len > x->out_left))
        return UK_EINVAL;
    if (!x->chunked_out && !x->eof_out)
        x->out_left -= len;
    x->write_cb = cb;
    x->write_arg = arg;
    x->write_len = c->head_only ? 0 : len;
    if (c->hdr_pending) {
        iov[cnt].base = c->rq->hdr;
        iov[cnt++].len = c->hdr_len;
    }
    if (!c->head_only) {
        if (x->chunked_out) {
            int n = snprintf(x->line, sizeof x->line, "%llx\r\n",
                             (unsigned long long)len);
            iov[cnt].base = x->line;
            iov[cnt++].len = (size_t)n;
        }
        iov[cnt].base = data;
        iov[cnt++].len = len;
        if (x->chunked_out) {
            iov[cnt].base = "\r\n";
            iov[cnt++].len = 2;
        }
    }
    if (cnt == 0) { /* HEAD: the body is left out */
        uk_time_defer(c->srv->deps.time, &x->timer, write_deferred, c);
        return 0;
    }
    uk__http_writing(c);
    if (uk__http_flow_writev(c, iov, cnt, write_cb) != 0) {
        c->io = UK__IO_APP;
        x->write_cb = NULL;
        x->active = false;
        uk__http_close(c);
        return UK_ECLOSED;
    }
    return 0;
}

int uk_http_end(struct uk_http_exchange *x)
{
    struct uk_http_conn *c = x->conn;
    struct uk_iov iov[2];
    int cnt = 0, r = can_write(x);
    if (r != 0)
        return r;
    if (x->out_left > 0) {
        /* the declared length cannot be met: the framing is lost */
        x->active = false;
        uk__http_reset(c);
        return UK_EPROTO;
    }
    if (c->hdr_pending) {
        iov[cnt].base = c->rq->hdr;
        iov[cnt++].len = c->hdr_len;
    }
    if (x->chunked_out && !c->head_only) {
        iov[cnt].base = "0\r\n\r\n";
        iov[cnt++].len = 5;
    }
    return final_write(x, iov, cnt);
}

/* ---- a value of a store ---- */

int uk_http_respond_kv(struct uk_http_exchange *x, int status,
                       const char *ctype, struct uk_kv_ro *kv, const char *key)
{
    struct uk_http_conn *c = x->conn;
    struct uk_kv_stat st;
    size_t n = strlen(key);
    int r = can_start(x);
    if (r != 0)
        return r;
    if (n > UK_KV_KEY_MAX || status == 204 || status == 304)
        return UK_EINVAL;
    r = uk_kv_ro_stat(kv, key, &st);
    if (r != 0)
        return r;
    if (st.kind != UK_KV_FILE)
        return UK_EISDIR;
    memcpy(c->rq->key, key, n + 1);
    r = build(x, status, ctype != NULL ? ctype : uk_http_content_type(key),
              st.size);
    if (r != 0)
        return r;
    x->active = false;
    x->ending = true;
    c->kv = kv;
    c->body_off = 0;
    c->body_left = c->head_only ? 0 : st.size;
    c->io = UK__IO_IDLE;
    uk__http_respond(c);
    return 0;
}
