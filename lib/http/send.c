/*
 * send.c - writing responses: the header and first body bytes in one
 * writev, then body chunks chained on write completion; bodies mapped
 * from the store in place, or read into body buffers from the server's
 * account.
 *
 * Body buffers: a body of body_small bytes or less gets its own buffer at
 * once (every connection's share); a larger one takes a chunk from the
 * pool of body_pool bytes, in FIFO order behind anyone already waiting.
 * While someone waits, a holder gives its buffer back after each write and
 * queues again, and the oldest holder whose write has not completed for
 * buffer_hold_ns (a client that stopped reading) is closed, so waiting for
 * a buffer never blocks a connection for long.
 */
#include <string.h>

#include "conn.h"

static void send_next(struct uk_http_conn *c);

/* ---- body buffers ---- */

/* Moves c to the end of srv->waiting or srv->holding, or out of both. */
static void bq_set(struct uk_http_conn *c, int bq)
{
    struct uk_http_server *srv = c->srv;
    if (c->bq == UK__BQ_WAITING)
        uk_dlist_remove(&srv->waiting, &c->blink);
    else if (c->bq == UK__BQ_HOLDING)
        uk_dlist_remove(&srv->holding, &c->blink);
    if (bq == UK__BQ_WAITING)
        uk_dlist_append(&srv->waiting, &c->blink);
    else if (bq == UK__BQ_HOLDING)
        uk_dlist_append(&srv->holding, &c->blink);
    c->bq = bq;
}

static size_t want_size(const struct uk_http_conn *c)
{
    size_t chunk = c->srv->cfg.body_chunk;
    return c->body_left < chunk ? (size_t)c->body_left : chunk;
}

static bool is_small(const struct uk_http_server *srv, size_t n)
{
    return n <= srv->cfg.body_small;
}

/* Gives c a buffer of n bytes if the rules allow it now. */
static bool buf_try(struct uk_http_conn *c, size_t n, bool queued)
{
    struct uk_http_server *srv = c->srv;
    bool small = is_small(srv, n);
    if (!small && (srv->pool_used > srv->cfg.body_pool - n ||
                   (!queued && srv->waiting.first != NULL)))
        return false;
    c->buf = (uint8_t *)uk_mem_account_alloc(&srv->acct, n);
    if (c->buf == NULL)
        return false;
    c->buf_len = n;
    c->buf_pooled = !small;
    if (c->buf_pooled)
        srv->pool_used += n;
    return true;
}

static void resume_cb(void *arg)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    if (c->closing || c->io != UK__IO_WAIT_BUF)
        return;
    c->io = UK__IO_IDLE;
    send_next(c);
}

static void hold_check(struct uk_http_server *srv);

static void hold_cb(void *arg)
{
    hold_check((struct uk_http_server *)arg);
}

/*
 * While anyone waits, the oldest holder's write must complete within
 * buffer_hold_ns of its start; one that does not is closed (its buffer
 * comes back when its flow is closed).  Keeps hold_timer armed for the
 * next such deadline.
 */
static void hold_check(struct uk_http_server *srv)
{
    struct uk_time *tm = srv->deps.time;
    uint64_t now = uk_time_now_ns(tm);
    while (srv->waiting.first != NULL && srv->holding.first != NULL) {
        struct uk_http_conn *h =
            UK_CONTAINER_OF(srv->holding.first, struct uk_http_conn, blink);
        uint64_t hold = srv->cfg.buffer_hold_ns;
        uint64_t at = h->write_start > UK_TIME_NEVER - hold
                          ? UK_TIME_NEVER
                          : h->write_start + hold;
        if (h->io != UK__IO_WRITE || now < at) {
            if (h->io != UK__IO_WRITE)
                at = now + hold; /* between writes: look again later */
            uk_time_start(tm, &srv->hold_timer, at, hold_cb, srv);
            return;
        }
        srv->stats.evicted++;
        uk__http_reset(h); /* leaves holding; drops its queued bytes */
    }
    uk_time_cancel(tm, &srv->hold_timer);
}

/* Someone waits and someone holds: make sure hold_check will look. */
static void hold_watch(struct uk_http_server *srv)
{
    if (srv->waiting.first != NULL && srv->holding.first != NULL &&
        !uk_timer_is_armed(&srv->hold_timer))
        hold_check(srv);
}

void uk__http_buf_wake(struct uk_http_server *srv)
{
    while (srv->waiting.first != NULL) {
        struct uk_http_conn *w =
            UK_CONTAINER_OF(srv->waiting.first, struct uk_http_conn, blink);
        if (!buf_try(w, want_size(w), true))
            break;
        bq_set(w, w->buf_pooled ? UK__BQ_HOLDING : UK__BQ_NONE);
        uk_time_defer(srv->deps.time, &w->defer, resume_cb, w);
    }
    if (srv->waiting.first == NULL)
        uk_time_cancel(srv->deps.time, &srv->hold_timer);
    else
        hold_watch(srv);
}

void uk__http_buf_leave(struct uk_http_conn *c)
{
    bq_set(c, UK__BQ_NONE);
}

void uk__http_buf_release(struct uk_http_conn *c)
{
    struct uk_http_server *srv = c->srv;
    if (c->buf == NULL)
        return;
    if (c->bq == UK__BQ_HOLDING)
        bq_set(c, UK__BQ_NONE);
    uk_mem_account_free(&srv->acct, c->buf, c->buf_len);
    if (c->buf_pooled)
        srv->pool_used -= c->buf_len;
    c->buf = NULL;
    c->buf_len = 0;
    c->buf_pooled = false;
    uk__http_buf_wake(srv);
}

/* c waits for a buffer, at the end of the queue. */
static void wait_buf(struct uk_http_conn *c)
{
    struct uk_http_server *srv = c->srv;
    c->io = UK__IO_WAIT_BUF;
    bq_set(c, UK__BQ_WAITING);
    hold_watch(srv);
}

/* ---- writing ---- */

static void write_cb(void *arg, int status, size_t written)
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
    c->body_off += c->chunk;
    c->body_left -= c->chunk;
    c->body_sent += c->chunk;
    c->chunk = 0;
    if (c->body_left == 0) {
        uk__http_finish(c);
        return;
    }
    uk__http_arm_send(c);
    if (c->buf_pooled && c->srv->waiting.first != NULL)
        uk__http_buf_release(c); /* round robin: others first */
    send_next(c);
}

/* Finds the next body bytes: mapped, or read into a buffer.  Returns
 * their address (NULL: waiting for a buffer, or failed and closed). */
static const uint8_t *body_chunk(struct uk_http_conn *c, size_t *n)
{
    struct uk_http_server *srv = c->srv;
    size_t want, got = 0;
    if (c->map != NULL) {
        *n = c->body_left < srv->cfg.map_chunk ? (size_t)c->body_left
                                               : srv->cfg.map_chunk;
        return c->map + c->body_sent;
    }
    want = want_size(c);
    if (c->buf != NULL && c->buf_len < want)
        uk__http_buf_release(c); /* cannot happen: sizes only shrink */
    if (c->buf == NULL) {
        if (!buf_try(c, want, false)) {
            wait_buf(c);
            return NULL;
        }
        if (c->buf_pooled)
            bq_set(c, UK__BQ_HOLDING);
    }
    if (uk_kv_ro_read(c->kv, c->rq->key, c->body_off, c->buf, want, &got) !=
            0 ||
        got != want) {
        /* the value changed or failed under us: the framing is lost */
        uk__http_close(c);
        return NULL;
    }
    *n = want;
    return c->buf;
}

/* Writes the pending header (if any) with the next body bytes. */
static void send_next(struct uk_http_conn *c)
{
    struct uk_http_server *srv = c->srv;
    struct uk_iov iov[2];
    int cnt = 0, r;
    size_t n = 0;
    if (c->hdr_pending) {
        iov[cnt].base = c->rq->hdr;
        iov[cnt++].len = c->hdr_len;
    }
    if (c->body_left > 0) {
        const uint8_t *b = body_chunk(c, &n);
        if (b == NULL)
            return;
        iov[cnt].base = b;
        iov[cnt++].len = n;
    }
    c->chunk = n;
    uk__http_writing(c);
    if (c->buf_pooled) { /* the holders stay in write-start order */
        bq_set(c, UK__BQ_HOLDING);
        hold_watch(srv);
    }
    r = uk__http_flow_writev(c, iov, cnt, write_cb);
    if (r != 0) {
        c->io = UK__IO_IDLE;
        uk__http_close(c);
    }
}

void uk__http_respond(struct uk_http_conn *c)
{
    const void *m;
    size_t mlen;
    c->body_sent = 0;
    c->chunk = 0;
    c->map = NULL;
    if (c->body_left > 0 &&
        uk_kv_ro_map(c->kv, c->rq->key, c->body_off, &m, &mlen) == 0 &&
        mlen >= c->body_left)
        c->map = (const uint8_t *)m;
    uk__http_arm_send(c);
    send_next(c);
}
