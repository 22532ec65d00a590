/*
 * server.c - the HTTP server's connections: slots from caller memory,
 * reading and parsing requests, writing responses (header and first body
 * bytes in one writev, then body chunks chained on write completion),
 * timeouts and closing.  What to answer is decided in response.c.
 */
#include <string.h>

#include "conn.h"

enum { T_NONE, T_IDLE, T_HEADER, T_SEND };

static void process(struct uk_http_conn *c);
static void send_next(struct uk_http_conn *c);

/* ---- configuration and memory ---- */

void uk_http_server_config_default(struct uk_http_server_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->max_conns = 1124;
    cfg->limits.line_max = UK_HTTP_LINE_MAX;
    cfg->limits.head_max = UK_HTTP_HEAD_MAX;
    cfg->limits.headers_max = UK_HTTP_HEADERS_MAX;
    cfg->in_buf = 16384;
    cfg->body_chunk = 65536;
    cfg->body_buffers = 64;
    cfg->map_chunk = 4u << 20;
    cfg->idle_timeout_ns = 60 * UK_NS_PER_S;
    cfg->header_timeout_ns = 20 * UK_NS_PER_S;
    cfg->send_timeout_ns = 60 * UK_NS_PER_S;
}

#define ALIGN(n) (((n) + 15) & ~(size_t)15)

/* UK_HTTP_SERVER_MEM relies on this bound. */
typedef char uk__http_conn_fits
    [sizeof(struct uk_http_conn) <= UK_HTTP_CONN_STATE_MAX - 16 ? 1 : -1];

/* a * b + c, or 0 on overflow. */
static size_t mul_add(size_t a, size_t b, size_t c)
{
    if (b != 0 && a > ((size_t)-1 - c) / b)
        return 0;
    return a * b + c;
}

size_t uk_http_server_mem_size(const struct uk_http_server_config *cfg)
{
    size_t per_conn, total;
    if (cfg->max_conns == 0 || cfg->in_buf == 0 || cfg->body_chunk < 16 ||
        cfg->body_buffers == 0 || cfg->map_chunk == 0 ||
        cfg->limits.head_max == 0 || cfg->limits.head_max > (1u << 24) ||
        cfg->in_buf > (1u << 24) || cfg->body_chunk > (1u << 28))
        return 0;
    per_conn = ALIGN(sizeof(struct uk_http_conn)) +
               ALIGN(cfg->limits.head_max) + ALIGN(cfg->in_buf);
    total = mul_add(per_conn, cfg->max_conns, 0);
    if (total == 0)
        return 0;
    return mul_add(ALIGN(cfg->body_chunk), cfg->body_buffers, total);
}

int uk_http_server_init(struct uk_http_server *srv,
                        const struct uk_http_server_config *cfg,
                        const struct uk_http_server_deps *deps, void *mem,
                        size_t len)
{
    size_t need = uk_http_server_mem_size(cfg), i;
    uint8_t *p = (uint8_t *)mem;
    if (need == 0 || len < need || deps->site == NULL || deps->time == NULL ||
        deps->clock == NULL)
        return UK_EINVAL;
    memset(srv, 0, sizeof *srv);
    srv->cfg = *cfg;
    srv->deps = *deps;
    srv->date_sec = -1;
    srv->conns = (struct uk_http_conn *)(void *)p;
    p += ALIGN(sizeof(struct uk_http_conn) * cfg->max_conns);
    for (i = cfg->max_conns; i > 0; i--) {
        struct uk_http_conn *c = &srv->conns[i - 1];
        memset(c, 0, sizeof *c);
        c->srv = srv;
        uk_http_parser_init(&c->parser, &cfg->limits, p, cfg->limits.head_max);
        p += ALIGN(cfg->limits.head_max);
        c->in = p;
        p += ALIGN(cfg->in_buf);
        c->next = srv->free_conns;
        srv->free_conns = c;
    }
    for (i = 0; i < cfg->body_buffers; i++) {
        /* free buffers are linked through their first bytes */
        memcpy(p, &srv->body_free, sizeof srv->body_free);
        srv->body_free = p;
        p += ALIGN(cfg->body_chunk);
    }
    return 0;
}

/* ---- body buffer pool ---- */

static uint8_t *buf_get(struct uk_http_server *srv)
{
    uint8_t *b = srv->body_free;
    if (b != NULL)
        memcpy(&srv->body_free, b, sizeof srv->body_free);
    return b;
}

static void resume_cb(void *arg)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    if (c->closing || c->io != UK__IO_WAIT_BUF)
        return;
    c->io = UK__IO_IDLE;
    send_next(c);
}

/* The buffer wait queue is doubly linked: a closing connection leaves it
 * in O(1). */
static void wait_append(struct uk_http_conn *c)
{
    struct uk_http_server *srv = c->srv;
    c->next = NULL;
    c->prev = srv->wait_last;
    if (srv->wait_last != NULL)
        srv->wait_last->next = c;
    else
        srv->wait_first = c;
    srv->wait_last = c;
}

/* Does nothing if c is not queued (its buffer was handed over and its
 * resumption is deferred). */
static void wait_remove(struct uk_http_conn *c)
{
    struct uk_http_server *srv = c->srv;
    if (c->prev == NULL && srv->wait_first != c)
        return;
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        srv->wait_first = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    else
        srv->wait_last = c->prev;
    c->next = c->prev = NULL;
}

/* Returns b to the pool, or hands it to the first waiting connection. */
static void buf_put(struct uk_http_server *srv, uint8_t *b)
{
    struct uk_http_conn *w = srv->wait_first;
    if (w != NULL) {
        wait_remove(w);
        w->buf = b;
        uk_time_defer(srv->deps.time, &w->defer, resume_cb, w);
        return;
    }
    memcpy(b, &srv->body_free, sizeof srv->body_free);
    srv->body_free = b;
}

/* ---- lifetime ---- */

static void stop_check(struct uk_http_server *srv)
{
    if (srv->stopping && srv->stats.active == 0 && srv->stop_cb != NULL &&
        !uk_timer_is_armed(&srv->stop_timer)) {
        uk_done_cb cb = srv->stop_cb;
        srv->stop_cb = NULL;
        uk_time_defer(srv->deps.time, &srv->stop_timer, cb, srv->stop_arg);
    }
}

static void closed_cb(void *arg)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    struct uk_http_server *srv = c->srv;
    uk_time_cancel(srv->deps.time, &c->defer);
    if (c->buf != NULL) {
        buf_put(srv, c->buf);
        c->buf = NULL;
    }
    c->in_use = false;
    c->flow = NULL;
    c->next = srv->free_conns;
    srv->free_conns = c;
    srv->stats.active--;
    stop_check(srv);
}

static void conn_close(struct uk_http_conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    uk_time_cancel(c->srv->deps.time, &c->timer);
    uk_time_cancel(c->srv->deps.time, &c->defer);
    if (c->io == UK__IO_WAIT_BUF)
        wait_remove(c);
    if (uk_flow_close(c->flow, closed_cb, c) != 0) /* cannot happen */
        uk_time_defer(c->srv->deps.time, &c->defer, closed_cb, c);
}

/*
 * Timeouts are lazy: each connection has one deadline, moved on every
 * state change, and one timer, re-armed only when the deadline comes
 * earlier than the timer; a timer that fires early re-arms itself for the
 * current deadline.  So a busy keep-alive connection costs no timer-heap
 * work per request.
 */
static void timeout_cb(void *arg)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    struct uk_time *tm = c->srv->deps.time;
    if (uk_time_now_ns(tm) < c->deadline) {
        c->timer_at = c->deadline;
        uk_time_start(tm, &c->timer, c->deadline, timeout_cb, c);
        return;
    }
    c->srv->stats.timeouts++;
    c->tmo = T_NONE;
    conn_close(c);
}

static void arm(struct uk_http_conn *c, int kind)
{
    const struct uk_http_server_config *cfg = &c->srv->cfg;
    struct uk_time *tm = c->srv->deps.time;
    uint64_t ns = kind == T_IDLE     ? cfg->idle_timeout_ns
                  : kind == T_HEADER ? cfg->header_timeout_ns
                                     : cfg->send_timeout_ns;
    uint64_t now = uk_time_now_ns(tm);
    c->tmo = kind;
    c->deadline = ns > UK_TIME_NEVER - now ? UK_TIME_NEVER : now + ns;
    if (!uk_timer_is_armed(&c->timer) || c->deadline < c->timer_at) {
        c->timer_at = c->deadline;
        uk_time_start(tm, &c->timer, c->deadline, timeout_cb, c);
    }
}

void uk_http_server_accept(void *arg, struct uk_flow *flow)
{
    struct uk_http_server *srv = (struct uk_http_server *)arg;
    struct uk_http_conn *c = srv->free_conns;
    if (c == NULL || srv->stopping) {
        srv->stats.refused++;
        uk_flow_close(flow, NULL, NULL);
        return;
    }
    srv->free_conns = c->next;
    srv->stats.accepted++;
    srv->stats.active++;
    c->next = NULL;
    c->flow = flow;
    c->in_use = true;
    c->closing = c->close_after = c->overflow = c->eof = false;
    c->io = UK__IO_IDLE;
    c->in_off = c->in_len = 0;
    c->discard = 0;
    c->buf = NULL;
    uk_http_parser_reset(&c->parser);
    uk_flow_set_option(flow, UK_FLOW_NODELAY, 1);
    arm(c, T_IDLE);
    process(c);
}

static void stop_each(struct uk_http_server *srv)
{
    size_t i;
    for (i = 0; i < srv->cfg.max_conns; i++)
        if (srv->conns[i].in_use)
            conn_close(&srv->conns[i]);
}

void uk_http_server_stop(struct uk_http_server *srv, uk_done_cb cb, void *arg)
{
    srv->stopping = true;
    srv->stop_cb = cb;
    srv->stop_arg = arg;
    stop_each(srv);
    stop_check(srv);
}

/* ---- responses ---- */

static void access_log(struct uk_http_conn *c)
{
    struct uk_ipv4_ep local, remote;
    char ep[UK_IPV4_EP_STRLEN] = "-";
    const struct uk_http_request *r = &c->parser.req;
    if (!c->srv->cfg.access_log || c->srv->deps.console == NULL)
        return;
    if (uk_flow_endpoints(c->flow, &local, &remote) == 0)
        uk_ipv4_ep_format(&remote, ep);
    uk_console_printf(c->srv->deps.console, "%s %s %s %d %llu", ep,
                      r->method_str != NULL ? r->method_str : "-",
                      r->target != NULL ? r->target : "-", c->status,
                      (unsigned long long)(c->body_sent + c->inline_body));
}

/* The response is out: next request, or close. */
static void finish(struct uk_http_conn *c)
{
    c->srv->stats.requests++;
    access_log(c);
    if (c->buf != NULL) {
        buf_put(c->srv, c->buf);
        c->buf = NULL;
    }
    uk_http_parser_reset(&c->parser);
    if (!c->keep_alive) {
        conn_close(c);
        return;
    }
    arm(c, T_IDLE);
    process(c);
}

static void write_cb(void *arg, int status, size_t written)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    UK_UNUSED(written);
    c->io = UK__IO_IDLE;
    if (c->closing)
        return;
    if (status != 0) {
        conn_close(c);
        return;
    }
    c->hdr_pending = false;
    c->body_off += c->chunk;
    c->body_left -= c->chunk;
    c->body_sent += c->chunk;
    c->chunk = 0;
    if (c->body_left == 0) {
        finish(c);
        return;
    }
    arm(c, T_SEND);
    send_next(c);
}

/* Finds the next body bytes: mapped, or read into a pool buffer.  Returns
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
    if (c->buf == NULL && (c->buf = buf_get(srv)) == NULL) {
        c->io = UK__IO_WAIT_BUF;
        wait_append(c);
        return NULL;
    }
    want = c->body_left < srv->cfg.body_chunk ? (size_t)c->body_left
                                              : srv->cfg.body_chunk;
    if (uk_kv_ro_read(srv->deps.site, c->key, c->body_off, c->buf, want,
                      &got) != 0 ||
        got != want) {
        /* the value changed or failed under us: the framing is lost */
        conn_close(c);
        return NULL;
    }
    *n = want;
    return c->buf;
}

/* Writes the pending header (if any) with the next body bytes. */
static void send_next(struct uk_http_conn *c)
{
    struct uk_iov iov[2];
    int cnt = 0, r;
    size_t n = 0;
    if (c->hdr_pending) {
        iov[cnt].base = c->hdr;
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
    c->io = UK__IO_WRITE;
    r = uk_flow_writev(c->flow, iov, cnt, write_cb, c);
    if (r != 0) {
        c->io = UK__IO_IDLE;
        conn_close(c);
    }
}

/* Starts the response built by response.c. */
static void respond(struct uk_http_conn *c)
{
    const void *m;
    size_t mlen;
    c->body_sent = 0;
    c->chunk = 0;
    if (c->body_left > 0 &&
        uk_kv_ro_map(c->srv->deps.site, c->key, c->body_off, &m, &mlen) == 0 &&
        mlen >= c->body_left)
        c->map = (const uint8_t *)m;
    arm(c, T_SEND);
    send_next(c);
}

/* ---- requests ---- */

static void read_cb(void *arg, int status, const void *data, size_t len);

/* A complete head is parsed: answer it. */
static void on_request(struct uk_http_conn *c)
{
    const struct uk_http_request *r = &c->parser.req;
    c->discard = r->has_content_length ? r->content_length : 0;
    if (r->chunked)
        c->close_after = true; /* we do not decode request bodies */
    uk__http_prepare(c);
    respond(c);
}

/*
 * Feeds data to the parser (skipping request body bytes first); returns
 * how many bytes were used.  Starts a response when a head completes.
 */
static size_t feed(struct uk_http_conn *c, const uint8_t *data, size_t len)
{
    size_t used = 0, skip = 0;
    bool started = uk_http_parser_started(&c->parser);
    int r;
    if (c->discard > 0) {
        skip = c->discard < len ? (size_t)c->discard : len;
        c->discard -= skip;
        if (skip == len)
            return len;
    }
    r = uk_http_parse(&c->parser, data + skip, len - skip, &used);
    if (r == UK_HTTP_DONE) {
        on_request(c);
    } else if (r != UK_HTTP_MORE) {
        uk__http_prepare_error(c, uk_http_parser_status(&c->parser));
        c->close_after = true;
        respond(c);
    } else if (!started && uk_http_parser_started(&c->parser)) {
        arm(c, T_HEADER);
    }
    return skip + used;
}

/* Parses what is buffered, and reads more when it is all used. */
static void process(struct uk_http_conn *c)
{
    while (!c->closing && c->io == UK__IO_IDLE && c->in_off < c->in_len) {
        c->in_off += feed(c, c->in + c->in_off, c->in_len - c->in_off);
        if (c->close_after && c->io == UK__IO_IDLE)
            break;
    }
    if (c->closing || c->io != UK__IO_IDLE)
        return;
    c->in_off = c->in_len = 0;
    if (c->eof || c->overflow || c->close_after) {
        conn_close(c);
        return;
    }
    c->io = UK__IO_READ;
    if (uk_flow_read(c->flow, read_cb, c) != 0) {
        c->io = UK__IO_IDLE;
        conn_close(c);
    }
}

static void read_cb(void *arg, int status, const void *data, size_t len)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    const uint8_t *d = (const uint8_t *)data;
    size_t used, keep;
    c->io = UK__IO_IDLE;
    if (c->closing)
        return;
    if (status != 0) { /* EOF or error: nothing more will come */
        c->eof = true;
        conn_close(c);
        return;
    }
    /* Parse straight from the flow's memory; keep what follows a head. */
    used = feed(c, d, len);
    if (used < len && !c->closing) {
        keep = len - used;
        if (keep > c->srv->cfg.in_buf) {
            keep = c->srv->cfg.in_buf;
            c->overflow = true; /* the rest is lost: close after these */
        }
        memcpy(c->in, d + used, keep);
        c->in_off = 0;
        c->in_len = keep;
    }
    if (c->io == UK__IO_IDLE)
        process(c);
}
