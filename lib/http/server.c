/*
 * server.c - the HTTP server's connections: accepting (and reclaiming
 * room for) them, their memory, reading and parsing requests, timeouts
 * and closing.  Writing responses is send.c's; what to answer is
 * response.c's.
 */
#include <string.h>

#include "conn.h"

enum { T_NONE, T_IDLE, T_HEADER, T_SEND, T_LINGER };

/* How long and how much a refused body is drained before closing. */
#define LINGER_NS (2 * UK_NS_PER_S)
#define LINGER_BYTES (1u << 20)

static void process(struct uk_http_conn *c);
static void read_cb(void *arg, int status, const void *data, size_t len);

/* ---- configuration ---- */

void uk_http_server_config_default(struct uk_http_server_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->max_conns = 1024;
    cfg->limits.line_max = UK_HTTP_LINE_MAX;
    cfg->limits.head_max = UK_HTTP_HEAD_MAX;
    cfg->limits.headers_max = UK_HTTP_HEADERS_MAX;
    cfg->in_buf = UK_FLOW_READ_MAX;
    cfg->body_chunk = 16384;
    cfg->body_pool = 1u << 20;
    cfg->body_small = 4096;
    cfg->map_chunk = 4u << 20;
    cfg->body_max = 1u << 20;
    cfg->mem_pressure = (size_t)-1;
    cfg->mem_limit = (size_t)-1;
    cfg->idle_timeout_ns = 60 * UK_NS_PER_S;
    cfg->header_timeout_ns = 20 * UK_NS_PER_S;
    cfg->send_timeout_ns = 60 * UK_NS_PER_S;
    cfg->min_rate = 256;
    cfg->rate_grace_ns = 2 * UK_NS_PER_S;
    cfg->buffer_hold_ns = 2 * UK_NS_PER_S;
}

int uk_http_server_init(struct uk_http_server *srv,
                        const struct uk_http_server_config *cfg,
                        const struct uk_http_server_deps *deps)
{
    if (cfg->max_conns == 0 || cfg->in_buf == 0 || cfg->in_buf > (1u << 24) ||
        cfg->body_chunk == 0 || cfg->body_chunk > (1u << 28) ||
        cfg->body_pool < cfg->body_chunk ||
        cfg->body_small > cfg->body_chunk || cfg->map_chunk == 0 ||
        cfg->limits.head_max == 0 || cfg->limits.head_max > (1u << 24) ||
        (deps->site == NULL && deps->router == NULL) || deps->time == NULL ||
        deps->clock == NULL || deps->mem == NULL)
        return UK_EINVAL;
    if (deps->router != NULL) {
        size_t i;
        for (i = 0; i < deps->router->count; i++)
            if (deps->router->routes[i].prefix == NULL ||
                deps->router->routes[i].prefix[0] != '/' ||
                deps->router->routes[i].fn == NULL)
                return UK_EINVAL;
    }
    memset(srv, 0, sizeof *srv);
    srv->cfg = *cfg;
    srv->deps = *deps;
    srv->date_sec = -1;
    uk_mem_account_init(&srv->acct, deps->mem, "http", cfg->mem_pressure,
                        cfg->mem_limit);
    uk_dlist_init(&srv->idle);
    uk_dlist_init(&srv->heads);
    uk_dlist_init(&srv->busy);
    uk_dlist_init(&srv->waiting);
    uk_dlist_init(&srv->holding);
    return 0;
}

/* ---- state lists and memory ---- */

static struct uk_dlist *state_list(struct uk_http_server *srv, int st)
{
    return st == UK__ST_IDLE   ? &srv->idle
           : st == UK__ST_HEAD ? &srv->heads
           : st == UK__ST_BUSY ? &srv->busy
                               : NULL;
}

/* Moves c to the end (newest) of the list for st. */
static void set_state(struct uk_http_conn *c, int st)
{
    uk_dlist_move(state_list(c->srv, c->state), state_list(c->srv, st),
                  &c->link);
    c->state = st;
}

static size_t open_conns(const struct uk_http_server *srv)
{
    return srv->idle.count + srv->heads.count + srv->busy.count;
}

static size_t rq_size(const struct uk_http_server *srv);

/* Bytes of the account c holds. */
static size_t holdings(const struct uk_http_conn *c)
{
    return sizeof *c + (c->rq != NULL ? rq_size(c->srv) : 0) + c->in_cap +
           c->buf_len;
}

/* The oldest connection of list other than except, or NULL. */
static struct uk_http_conn *oldest(struct uk_dlist *list,
                                   struct uk_http_conn *except)
{
    struct uk_dlink *l = list->first;
    if (l != NULL && except != NULL && l == &except->link)
        l = l->next;
    return l != NULL ? UK_CONTAINER_OF(l, struct uk_http_conn, link) : NULL;
}

/* The connection whose response write has waited longest without
 * completing, if that is buffer_hold_ns or more (its client stopped
 * reading), other than except; or NULL. */
static struct uk_http_conn *stalled_writer(struct uk_http_server *srv,
                                           struct uk_http_conn *except,
                                           uint64_t now)
{
    struct uk_http_conn *v = NULL;
    struct uk_dlink *l;
    for (l = srv->busy.first; l != NULL; l = l->next) {
        struct uk_http_conn *c = UK_CONTAINER_OF(l, struct uk_http_conn, link);
        if (c != except && c->io == UK__IO_WRITE &&
            now - c->write_start >= srv->cfg.buffer_hold_ns &&
            (v == NULL || c->write_start < v->write_start))
            v = c;
    }
    return v;
}

/* The oldest connection without a complete head that holds a request
 * block, other than except; or NULL. */
static struct uk_http_conn *oldest_holding_head(struct uk_http_server *srv,
                                                struct uk_http_conn *except)
{
    struct uk_dlink *l;
    for (l = srv->heads.first; l != NULL; l = l->next) {
        struct uk_http_conn *c = UK_CONTAINER_OF(l, struct uk_http_conn, link);
        if (c != except && c->rq != NULL)
            return c;
    }
    return NULL;
}

/* Who goes to make room: the oldest idle keep-alive; else the client
 * that stopped reading longest ago; else the connection whose head has
 * been arriving longest, and when the server is only short of memory
 * (not at max_conns) one that holds a request block: a new connection
 * that has sent nothing holds next to nothing, and is not closed for
 * others' memory before it could ask. */
static struct uk_http_conn *victim(struct uk_http_server *srv,
                                   struct uk_http_conn *except, bool full)
{
    struct uk_http_conn *v = oldest(&srv->idle, except);
    if (v == NULL)
        v = stalled_writer(srv, except, uk_time_now_ns(srv->deps.time));
    if (v == NULL)
        v = full ? oldest(&srv->heads, except)
                 : oldest_holding_head(srv, except);
    return v;
}

/* Ends victim v to make room: an idle keep-alive is closed, since its last
 * answer may still be on its way (its write completed when the flow took
 * the bytes, not when the client had them), and a reset would drop it;
 * the others are reset, which gives their memory back at once. */
static void reclaim(struct uk_http_server *srv, struct uk_http_conn *v)
{
    srv->stats.reclaimed++;
    if (v->state == UK__ST_IDLE)
        uk__http_close(v);
    else
        uk__http_reset(v);
}

/*
 * Makes room before taking more: a connection (except NULL) or need bytes
 * for except.  At the connection limit, one connection goes; under memory
 * pressure, as many as hold need bytes (their memory comes back when their
 * flows are closed), chosen by victim().
 */
static void make_room(struct uk_http_server *srv, struct uk_http_conn *except,
                      size_t need)
{
    bool full = except == NULL && open_conns(srv) >= srv->cfg.max_conns;
    bool pressure = uk_mem_account_is_under_pressure(&srv->acct);
    size_t freed = 0;
    if (!full && !pressure)
        return;
    do {
        struct uk_http_conn *v = victim(srv, except, full);
        if (v == NULL)
            return;
        freed += holdings(v);
        reclaim(srv, v);
        full = false;
    } while (pressure && freed < need);
}

/* Reclaims one connection other than except, as under pressure, for
 * memory the image could not give now; false when there is none to take. */
static bool reclaim_one(struct uk_http_server *srv, struct uk_http_conn *except)
{
    struct uk_http_conn *v = victim(srv, except, false);
    if (v == NULL)
        return false;
    reclaim(srv, v);
    return true;
}

/* n bytes from the server's account for except (NULL: a new connection),
 * making room first.  A budget below its pressure mark can still lack a
 * block of n bytes (a buddy budget whose free memory is in smaller
 * pieces): then others are reclaimed, one at a time, until it gives them
 * or none is left to take.  NULL then. */
static void *take(struct uk_http_server *srv, struct uk_http_conn *except,
                  size_t n)
{
    void *p;
    make_room(srv, except, n);
    while ((p = uk_mem_account_alloc(&srv->acct, n)) == NULL &&
           reclaim_one(srv, except))
        ;
    return p;
}

void *uk__http_take(struct uk_http_conn *c, size_t n)
{
    return take(c->srv, c, n);
}

int uk__http_flow_writev(struct uk_http_conn *c, const struct uk_iov *iov,
                         int cnt, uk_flow_write_cb cb)
{
    int r;
    while ((r = uk_flow_writev(c->flow, iov, cnt, cb, c)) == UK_ENOMEM &&
           reclaim_one(c->srv, c))
        ;
    return r;
}

/* The request block's size: the struct and head_max bytes of parser
 * storage, rounded up to a power of two (what a buddy budget gives
 * anyway); the parser gets the whole rest. */
static size_t rq_size(const struct uk_http_server *srv)
{
    size_t need = sizeof(struct uk__http_req) + srv->cfg.limits.head_max;
    size_t n = 1024;
    while (n < need)
        n *= 2;
    return n;
}

/* Gives c its request block; false when the budget has none. */
static bool rq_get(struct uk_http_conn *c)
{
    struct uk_http_server *srv = c->srv;
    if (c->rq != NULL)
        return true;
    c->rq = (struct uk__http_req *)take(srv, c, rq_size(srv));
    if (c->rq == NULL)
        return false;
    uk_http_parser_init(&c->rq->parser, &srv->cfg.limits, c->rq + 1,
                        rq_size(srv) - sizeof *c->rq);
    /* handlers may look up any field */
    uk_http_parser_keep_fields(&c->rq->parser, srv->deps.router != NULL);
    memset(&c->rq->x, 0, sizeof c->rq->x);
    c->rq->x.conn = c;
    return true;
}

static void rq_put(struct uk_http_conn *c)
{
    uk_mem_account_free(&c->srv->acct, c->rq, rq_size(c->srv));
    c->rq = NULL;
}

static void in_put(struct uk_http_conn *c)
{
    uk_mem_account_free(&c->srv->acct, c->in, c->in_cap);
    c->in = NULL;
    c->in_off = c->in_len = c->in_cap = 0;
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
    uk__http_app_gone(c); /* a handler still holding it hears now */
    rq_put(c);
    in_put(c);
    uk__http_buf_release(c); /* last: it lets waiters have the memory */
    uk_mem_account_free(&srv->acct, c, sizeof *c);
    srv->stats.active--;
    stop_check(srv);
}

/* Closes c; reset (abort) drops what is queued and frees the peer's slot
 * in the TCP layer at once, for connections cut as hostile or idle. */
static void conn_end(struct uk_http_conn *c, bool reset)
{
    struct uk_time *tm = c->srv->deps.time;
    if (c->closing)
        return;
    c->closing = true;
    uk_time_cancel(tm, &c->timer);
    uk_time_cancel(tm, &c->defer);
    uk__http_app_cancel(c);
    uk__http_buf_leave(c);
    set_state(c, UK__ST_NONE);
    /* What the flow does not hold goes back now, not when it is closed:
     * room made under pressure is room at once. */
    in_put(c);
    if (c->io != UK__IO_WRITE && !uk__http_app_holds(c))
        rq_put(c);
    if (reset && uk_flow_abort(c->flow, closed_cb, c) == 0)
        return;
    if (uk_flow_close(c->flow, closed_cb, c) != 0) /* cannot happen */
        uk_time_defer(tm, &c->defer, closed_cb, c);
}

void uk__http_close(struct uk_http_conn *c)
{
    conn_end(c, false);
}

void uk__http_reset(struct uk_http_conn *c)
{
    conn_end(c, true);
}

/* ---- timeouts ---- */

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return b > UK_TIME_NEVER - a ? UK_TIME_NEVER : a + b;
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
    struct uk_http_server *srv = c->srv;
    struct uk_time *tm = srv->deps.time;
    uint64_t now = uk_time_now_ns(tm);
    bool slow;
    if (now < c->deadline) {
        c->timer_at = c->deadline;
        uk_time_start(tm, &c->timer, c->deadline, timeout_cb, c);
        return;
    }
    slow = c->tmo == T_HEADER &&
           now < add_sat(c->head_start, srv->cfg.header_timeout_ns);
    if (slow)
        srv->stats.slow++;
    else
        srv->stats.timeouts++;
    /* a client below the minimum rate, or not reading, is cut; one that
     * went quiet is closed politely */
    if (slow || c->tmo == T_SEND)
        uk__http_reset(c);
    else
        uk__http_close(c);
    c->tmo = T_NONE;
}

static void set_deadline(struct uk_http_conn *c, int kind, uint64_t deadline)
{
    c->tmo = kind;
    c->deadline = deadline;
    if (!uk_timer_is_armed(&c->timer) || deadline < c->timer_at) {
        c->timer_at = deadline;
        uk_time_start(c->srv->deps.time, &c->timer, deadline, timeout_cb, c);
    }
}

static void arm(struct uk_http_conn *c, int kind)
{
    const struct uk_http_server_config *cfg = &c->srv->cfg;
    uint64_t ns = kind == T_IDLE ? cfg->idle_timeout_ns : cfg->send_timeout_ns;
    set_deadline(c, kind, add_sat(uk_time_now_ns(c->srv->deps.time), ns));
}

void uk__http_arm_send(struct uk_http_conn *c)
{
    arm(c, T_SEND);
}

/* The head must be complete by header_timeout after its first byte, and
 * after the grace have come at min_rate: each byte buys 1/min_rate s. */
static void arm_head(struct uk_http_conn *c)
{
    const struct uk_http_server_config *cfg = &c->srv->cfg;
    uint64_t d = add_sat(c->head_start, cfg->header_timeout_ns);
    if (cfg->min_rate > 0) {
        uint64_t earned = c->head_bytes * UK_NS_PER_S / cfg->min_rate;
        uint64_t r =
            add_sat(c->head_start, add_sat(cfg->rate_grace_ns, earned));
        if (r < d)
            d = r;
    }
    set_deadline(c, T_HEADER, d);
}

/* ---- accept and stop ---- */

void uk_http_server_accept(void *arg, struct uk_flow *flow)
{
    struct uk_http_server *srv = (struct uk_http_server *)arg;
    struct uk_http_conn *c = NULL;
    if (!srv->stopping) {
        c = (struct uk_http_conn *)take(srv, NULL, sizeof *c);
        if (c != NULL && open_conns(srv) >= srv->cfg.max_conns) {
            uk_mem_account_free(&srv->acct, c, sizeof *c); /* none to go */
            c = NULL;
        }
    }
    if (c == NULL) {
        srv->stats.refused++;
        uk_flow_close(flow, NULL, NULL);
        return;
    }
    memset(c, 0, sizeof *c);
    c->srv = srv;
    c->flow = flow;
    c->kv = srv->deps.site;
    srv->stats.accepted++;
    srv->stats.active++;
    set_state(c, UK__ST_HEAD); /* no complete head yet: by age */
    uk_flow_set_option(flow, UK_FLOW_NODELAY, 1);
    arm(c, T_IDLE);
    process(c);
}

static void close_all(struct uk_dlist *list)
{
    while (list->first != NULL)
        uk__http_close(
            UK_CONTAINER_OF(list->first, struct uk_http_conn, link));
}

void uk_http_server_stop(struct uk_http_server *srv, uk_done_cb cb, void *arg)
{
    srv->stopping = true;
    srv->stop_cb = cb;
    srv->stop_arg = arg;
    close_all(&srv->idle);
    close_all(&srv->heads);
    close_all(&srv->busy);
    uk_time_cancel(srv->deps.time, &srv->hold_timer);
    stop_check(srv);
}

/* ---- requests ---- */

static void access_log(struct uk_http_conn *c)
{
    struct uk_ipv4_ep local, remote;
    char ep[UK_IPV4_EP_STRLEN] = "-";
    const struct uk_http_request *r = &c->rq->parser.req;
    if (!c->srv->cfg.access_log || c->srv->deps.console == NULL)
        return;
    if (uk_flow_endpoints(c->flow, &local, &remote) == 0)
        uk_ipv4_ep_format(&remote, ep);
    uk_console_printf(c->srv->deps.console, "%s %s %s %d %llu", ep,
                      r->method_str != NULL ? r->method_str : "-",
                      r->target != NULL ? r->target : "-", c->status,
                      (unsigned long long)(c->body_sent + c->inline_body));
}

static void linger_cb(void *arg, int status, const void *data, size_t len)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    UK_UNUSED(data);
    c->io = UK__IO_IDLE;
    if (c->closing)
        return;
    if (status != 0 || len >= c->linger_left) {
        uk__http_close(c);
        return;
    }
    c->linger_left -= len;
    c->io = UK__IO_READ;
    if (uk_flow_read(c->flow, linger_cb, c) != 0) {
        c->io = UK__IO_IDLE;
        uk__http_close(c);
    }
}

/*
 * The answer refused a body the client is still sending: closing now,
 * with its bytes unread, would make our TCP reset the connection and the
 * client's drop the answer before reading it.  So the write side is shut
 * (the answer and a FIN go out) and what comes is read and dropped, for
 * at most LINGER_NS and LINGER_BYTES, holding only the connection's
 * record; meanwhile it can be reclaimed like an idle one.
 */
static void linger(struct uk_http_conn *c)
{
    uint64_t now = uk_time_now_ns(c->srv->deps.time);
    c->linger = false;
    if (uk_flow_shutdown(c->flow) != 0) {
        uk__http_close(c);
        return;
    }
    rq_put(c);
    in_put(c);
    set_state(c, UK__ST_IDLE);
    c->linger_left = LINGER_BYTES;
    set_deadline(c, T_LINGER, add_sat(now, LINGER_NS));
    c->io = UK__IO_READ;
    if (uk_flow_read(c->flow, linger_cb, c) != 0) {
        c->io = UK__IO_IDLE;
        uk__http_close(c);
    }
}

void uk__http_finish(struct uk_http_conn *c)
{
    c->srv->stats.requests++;
    c->served = true;
    access_log(c);
    uk__http_app_done(c);
    uk__http_buf_release(c);
    uk_http_parser_reset(&c->rq->parser);
    if (!c->keep_alive) {
        if (c->linger)
            linger(c);
        else
            uk__http_close(c);
        return;
    }
    arm(c, T_IDLE);
    process(c);
}

/* A complete head is parsed: its handler answers it. */
static void on_request(struct uk_http_conn *c)
{
    set_state(c, UK__ST_BUSY);
    uk__http_dispatch(c);
}

/*
 * Feeds data to the parser (skipping request body bytes first); returns
 * how many bytes were used.  Starts a response when a head completes.
 */
static size_t feed(struct uk_http_conn *c, const uint8_t *data, size_t len)
{
    struct uk_http_parser *p = &c->rq->parser;
    size_t used = 0, skip = 0;
    bool started = uk_http_parser_started(p);
    int r;
    if (c->discard > 0) {
        skip = c->discard < len ? (size_t)c->discard : len;
        c->discard -= skip;
        if (skip == len)
            return len;
    }
    r = uk_http_parse(p, data + skip, len - skip, &used);
    if (!started && uk_http_parser_started(p)) {
        c->head_start = uk_time_now_ns(c->srv->deps.time);
        c->head_bytes = 0;
    }
    c->head_bytes += used;
    if (r == UK_HTTP_DONE) {
        on_request(c);
    } else if (r != UK_HTTP_MORE) {
        set_state(c, UK__ST_BUSY);
        uk__http_prepare_error(c, uk_http_parser_status(p));
        c->close_after = true;
        uk__http_respond(c);
    } else if (uk_http_parser_started(p)) {
        if (c->state != UK__ST_HEAD)
            set_state(c, UK__ST_HEAD);
        arm_head(c);
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
    in_put(c);
    if (c->eof || c->overflow || c->close_after) {
        uk__http_close(c);
        return;
    }
    if (c->rq == NULL || !uk_http_parser_started(&c->rq->parser)) {
        /* between requests the connection keeps only its record; after an
         * answer it is an idle keep-alive, before the first one it stays
         * with the heads in the order it came */
        if (c->served && c->state != UK__ST_IDLE)
            set_state(c, UK__ST_IDLE);
        if (c->rq != NULL)
            rq_put(c);
    }
    c->io = UK__IO_READ;
    if (uk_flow_read(c->flow, read_cb, c) != 0) {
        c->io = UK__IO_IDLE;
        uk__http_close(c);
    }
}

static void read_cb(void *arg, int status, const void *data, size_t len)
{
    struct uk_http_conn *c = (struct uk_http_conn *)arg;
    struct uk_http_server *srv = c->srv;
    const uint8_t *d = (const uint8_t *)data;
    size_t used, keep;
    c->io = UK__IO_IDLE;
    if (c->closing)
        return;
    if (status != 0) { /* EOF or error: nothing more will come */
        c->eof = true;
        uk__http_close(c);
        return;
    }
    if (!rq_get(c)) {
        srv->stats.no_memory++;
        uk__http_close(c);
        return;
    }
    /* Parse straight from the flow's memory; keep what follows a head. */
    used = feed(c, d, len);
    if (used < len && !c->closing) {
        keep = len - used;
        if (keep > srv->cfg.in_buf) {
            keep = srv->cfg.in_buf;
            c->overflow = true; /* the rest is lost: close after these */
        }
        c->in = (uint8_t *)take(srv, c, keep);
        if (c->in == NULL) {
            srv->stats.no_memory++;
            c->overflow = true;
        } else {
            memcpy(c->in, d + used, keep);
            c->in_cap = c->in_len = keep;
            c->in_off = 0;
        }
    }
    if (c->io == UK__IO_IDLE)
        process(c);
}
