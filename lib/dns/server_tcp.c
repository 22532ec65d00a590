/*
 * server_tcp.c - the DNS server's TCP connections: accepting (and making
 * room for) them, their memory from the server's account, answering the
 * queries that arrived together in one batch write, timeouts and the
 * minimum data rate.  See uk/dns_server.h.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/err.h>
#include <uk/flow.h>

#include "server_priv.h"

/* Most unanswered input a connection keeps: one read on top of the start
 * of a frame (reading stops while whole frames wait for their turn). */
#define IN_MAX (UK_FLOW_READ_MAX + 2 + UK_DNS_TCP_QUERY_MAX)

enum { ST_NONE, ST_IDLE, ST_PARTIAL, ST_BUSY };

struct uk_dns_tcp_conn {
    struct uk_dns_server *srv;
    struct uk_flow *flow;
    struct uk_dlink link;  /* in srv->idle, partial or busy */
    int state;             /* ST_* */
    struct uk_timer timer; /* idle, frame or rate deadline */
    bool rate_deadline;    /* the timer is the min_rate one */
    uint64_t frame_start;  /* first byte of the partial frame */
    uint8_t *in;           /* unanswered input: in_cap bytes, or NULL */
    size_t in_len, in_cap;
    uint8_t *out; /* the batch of replies: out_cap bytes, or NULL; lent to
                     the flow while writing */
    size_t out_len, out_cap;
    bool reading, writing, eof, closing;
};

static void process(struct uk_dns_tcp_conn *c);

/* ---- state lists, room, memory ---- */

static struct uk_dlist *state_list(struct uk_dns_server *srv, int st)
{
    return st == ST_IDLE      ? &srv->idle
           : st == ST_PARTIAL ? &srv->partial
           : st == ST_BUSY    ? &srv->busy
                              : NULL;
}

static void set_state(struct uk_dns_tcp_conn *c, int st)
{
    if (st == c->state)
        return;
    uk_dlist_move(state_list(c->srv, c->state), state_list(c->srv, st),
                  &c->link);
    c->state = st;
}

static size_t open_conns(const struct uk_dns_server *srv)
{
    return srv->idle.count + srv->partial.count + srv->busy.count;
}

static void conn_end(struct uk_dns_tcp_conn *c, bool reset);

/* The oldest connection of list other than except, or NULL. */
static struct uk_dns_tcp_conn *oldest(struct uk_dlist *list,
                                      struct uk_dns_tcp_conn *except)
{
    struct uk_dlink *l = list->first;
    if (l != NULL && except != NULL && l == &except->link)
        l = l->next;
    return l != NULL ? UK_CONTAINER_OF(l, struct uk_dns_tcp_conn, link) : NULL;
}

/*
 * Makes room before taking a connection (except NULL) or need bytes for
 * except.  At the connection limit one connection goes; under memory
 * pressure, as many as hold need bytes (their memory comes back when
 * their flows are closed).  Idle ones first, oldest first, then the ones
 * whose frame has been arriving longest.
 */
static void make_room(struct uk_dns_server *srv,
                      struct uk_dns_tcp_conn *except, size_t need)
{
    bool full = except == NULL && open_conns(srv) >= srv->cfg.tcp_max_conns;
    bool pressure = uk_mem_account_is_under_pressure(&srv->acct);
    size_t freed = 0;
    if (!full && !pressure)
        return;
    do {
        struct uk_dns_tcp_conn *v = oldest(&srv->idle, except);
        if (v == NULL && (v = oldest(&srv->partial, except)) == NULL)
            return;
        freed += sizeof *v + v->in_cap + v->out_cap;
        srv->stats.tcp_reclaimed++;
        conn_end(v, true);
    } while (pressure && freed < need);
}

static size_t pow2_at_least(size_t n, size_t min)
{
    size_t p = min;
    while (p < n)
        p *= 2;
    return p;
}

/* Replaces *buf (cap bytes, len used) with one of at least need bytes,
 * keeping its contents; false when the budget has none. */
static bool grow(struct uk_dns_tcp_conn *c, uint8_t **buf, size_t *cap,
                 size_t len, size_t need)
{
    struct uk_dns_server *srv = c->srv;
    size_t ncap = pow2_at_least(need, 256);
    uint8_t *n;
    make_room(srv, c, ncap);
    n = (uint8_t *)uk_mem_account_alloc(&srv->acct, ncap);
    if (n == NULL)
        return false;
    if (len > 0)
        memcpy(n, *buf, len);
    uk_mem_account_free(&srv->acct, *buf, *cap);
    *buf = n;
    *cap = ncap;
    return true;
}

static void release(struct uk_dns_tcp_conn *c, uint8_t **buf, size_t *cap,
                    size_t *len)
{
    uk_mem_account_free(&c->srv->acct, *buf, *cap);
    *buf = NULL;
    *cap = *len = 0;
}

/* ---- lifetime and timeouts ---- */

static void conn_closed(void *arg)
{
    struct uk_dns_tcp_conn *c = arg;
    struct uk_dns_server *srv = c->srv;
    release(c, &c->in, &c->in_cap, &c->in_len);
    release(c, &c->out, &c->out_cap, &c->out_len);
    uk_mem_account_free(&srv->acct, c, sizeof *c);
    srv->active--;
}

/* Closes c; reset (abort) drops what is queued and frees the peer's slot
 * in the TCP layer at once, for connections cut to make room or as slow. */
static void conn_end(struct uk_dns_tcp_conn *c, bool reset)
{
    if (c->closing)
        return;
    c->closing = true;
    uk_time_cancel(c->srv->time, &c->timer);
    set_state(c, ST_NONE);
    /* What the flow does not hold goes back now: room made under pressure
     * is room at once. */
    release(c, &c->in, &c->in_cap, &c->in_len);
    if (!c->writing)
        release(c, &c->out, &c->out_cap, &c->out_len);
    if (reset && uk_flow_abort(c->flow, conn_closed, c) == 0)
        return;
    if (uk_flow_close(c->flow, conn_closed, c) != 0)
        conn_closed(c); /* already closing: cannot happen for our flows */
}

static void conn_close(struct uk_dns_tcp_conn *c)
{
    conn_end(c, false);
}

static void conn_timeout(void *arg)
{
    struct uk_dns_tcp_conn *c = arg;
    if (c->rate_deadline)
        c->srv->stats.tcp_closed_slow++;
    else
        c->srv->stats.tcp_closed_idle++;
    conn_end(c, c->rate_deadline);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return b > UK_TIME_NEVER - a ? UK_TIME_NEVER : a + b;
}

/* Idle and busy connections get tcp_idle_ns from now (progress either way
 * restarts it); a partial frame must be complete tcp_idle_ns after its
 * first byte, and after the grace arrive at tcp_min_rate. */
static void arm(struct uk_dns_tcp_conn *c)
{
    const struct uk_dns_server_cfg *cfg = &c->srv->cfg;
    uint64_t now = uk_time_now_ns(c->srv->time);
    uint64_t d = add_sat(now, cfg->tcp_idle_ns);
    c->rate_deadline = false;
    if (c->state == ST_PARTIAL) {
        d = add_sat(c->frame_start, cfg->tcp_idle_ns);
        if (cfg->tcp_min_rate > 0) {
            uint64_t earned = c->in_len * UK_NS_PER_S / cfg->tcp_min_rate;
            uint64_t r = add_sat(c->frame_start,
                                 add_sat(cfg->tcp_rate_grace_ns, earned));
            if (r < d) {
                d = r;
                c->rate_deadline = true;
            }
        }
    }
    uk_time_start(c->srv->time, &c->timer, d, conn_timeout, c);
}

/* ---- answering ---- */

/*
 * Answers the whole frames at src[0..len) into the batch, until it would
 * pass UK_DNS_TCP_BATCH_MAX; returns the bytes used.  Closes c (and
 * returns 0) on a frame longer than any query or when the budget cannot
 * hold a first reply.
 */
static size_t batch(struct uk_dns_tcp_conn *c, const uint8_t *src, size_t len)
{
    struct uk_dns_server *srv = c->srv;
    size_t pos = 0;
    while (len - pos >= 2) {
        size_t flen = uk_load_be16(src + pos), n;
        if (flen > UK_DNS_TCP_QUERY_MAX) {
            srv->stats.tcp_closed_overflow++;
            conn_close(c);
            return 0;
        }
        if (len - pos < 2 + flen)
            break;
        if (uk__dns_answer(srv, src + pos + 2, flen, &srv->tcp_answer,
                           srv->tcp_out, sizeof srv->tcp_out, &n) == 0) {
            size_t need = c->out_len + 2 + n;
            if (c->out_len > 0 && need > UK_DNS_TCP_BATCH_MAX)
                break; /* the next batch answers it again */
            if (need > c->out_cap &&
                !grow(c, &c->out, &c->out_cap, c->out_len, need)) {
                if (c->out_len > 0)
                    break;
                srv->stats.tcp_no_memory++;
                conn_close(c);
                return 0;
            }
            uk_store_be16(c->out + c->out_len, (uint16_t)n);
            memcpy(c->out + c->out_len + 2, srv->tcp_out, n);
            c->out_len += 2 + n;
        }
        srv->stats.tcp_queries++;
        pos += 2 + flen;
    }
    return pos;
}

static void conn_wrote(void *arg, int status, size_t written)
{
    struct uk_dns_tcp_conn *c = arg;
    (void)written;
    c->writing = false;
    release(c, &c->out, &c->out_cap, &c->out_len);
    if (c->closing)
        return;
    if (status != 0) {
        conn_close(c);
        return;
    }
    process(c);
}

static void conn_read(void *arg, int status, const void *data, size_t len);

/* Answers what is buffered, writes the batch, or reads more. */
static void process(struct uk_dns_tcp_conn *c)
{
    if (c->writing || c->closing)
        return;
    if (c->in_len > 0) {
        size_t used = batch(c, c->in, c->in_len);
        if (c->closing)
            return;
        c->in_len -= used;
        if (c->in_len == 0)
            release(c, &c->in, &c->in_cap, &c->in_len);
        else if (used > 0)
            memmove(c->in, c->in + used, c->in_len);
    }
    if (c->out_len > 0) {
        set_state(c, ST_BUSY);
        arm(c);
        c->writing = true;
        if (uk_flow_write(c->flow, c->out, c->out_len, conn_wrote, c) != 0) {
            c->writing = false;
            conn_close(c);
        }
        return;
    }
    if (c->eof) {
        conn_close(c);
        return;
    }
    if (c->in_len == 0) {
        set_state(c, ST_IDLE);
    } else if (c->state != ST_PARTIAL) {
        set_state(c, ST_PARTIAL);
        c->frame_start = uk_time_now_ns(c->srv->time);
    }
    arm(c);
    if (!c->reading) {
        c->reading = true;
        if (uk_flow_read(c->flow, conn_read, c) != 0) {
            c->reading = false;
            conn_close(c);
        }
    }
}

static void conn_read(void *arg, int status, const void *data, size_t len)
{
    struct uk_dns_tcp_conn *c = arg;
    const uint8_t *d = data;
    size_t used = 0;
    c->reading = false;
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c);
        return;
    }
    if (status == UK_EOF) {
        c->eof = true;
        process(c);
        return;
    }
    /* Whole frames straight from the flow's memory when nothing is
     * buffered; what is left waits in c->in. */
    if (c->in_len == 0) {
        used = batch(c, d, len);
        if (c->closing)
            return;
    }
    if (used < len) {
        size_t rest = len - used;
        if (c->in_len + rest > IN_MAX) {
            c->srv->stats.tcp_closed_overflow++;
            conn_close(c);
            return;
        }
        if (c->in_len + rest > c->in_cap &&
            !grow(c, &c->in, &c->in_cap, c->in_len, c->in_len + rest)) {
            c->srv->stats.tcp_no_memory++;
            conn_close(c);
            return;
        }
        memcpy(c->in + c->in_len, d + used, rest);
        c->in_len += rest;
    }
    process(c);
}

/* ---- accept and stop ---- */

void uk__dns_tcp_accept(void *arg, struct uk_flow *flow)
{
    struct uk_dns_server *srv = arg;
    struct uk_dns_tcp_conn *c = NULL;
    if (srv->tcp_listening) {
        make_room(srv, NULL, sizeof *c);
        if (open_conns(srv) < srv->cfg.tcp_max_conns)
            c = uk_mem_account_alloc(&srv->acct, sizeof *c);
    }
    if (c == NULL) {
        srv->stats.tcp_refused++;
        (void)uk_flow_close(flow, NULL, NULL);
        return;
    }
    memset(c, 0, sizeof *c);
    c->srv = srv;
    c->flow = flow;
    srv->stats.tcp_accepted++;
    srv->active++;
    (void)uk_flow_set_option(flow, UK_FLOW_NODELAY, 1);
    process(c);
}

void uk__dns_tcp_close_all(struct uk_dns_server *srv)
{
    struct uk_dlist *lists[3];
    int i;
    lists[0] = &srv->idle;
    lists[1] = &srv->partial;
    lists[2] = &srv->busy;
    for (i = 0; i < 3; i++)
        while (lists[i]->first != NULL)
            conn_close(UK_CONTAINER_OF(lists[i]->first, struct uk_dns_tcp_conn,
                                       link));
}
