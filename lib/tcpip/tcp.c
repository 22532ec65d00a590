/*
 * tcp.c - the TCP layer (uk/tcpip/tcp.h): construction, the connection
 * hash, listen/unlisten/connect, ISNs, connection life cycle (established,
 * dropped, ended) and disconnect.
 */
#include "tcp_internal.h"

#define EPHEMERAL_FIRST 49152u
#define EPHEMERAL_COUNT 16384u

static struct uk_tcpip_tcpv4 *from_base(struct uk_tcpv4 *self)
{
    return UK_CONTAINER_OF(self, struct uk_tcpip_tcpv4, base);
}

size_t uk__tcp_bucket(const struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr lip,
                      uint16_t lport, struct uk_ipv4_addr rip, uint16_t rport)
{
    uint32_t h = rip.v * 2654435761u ^ lip.v;
    h ^= ((uint32_t)rport << 16 | lport) * 2246822519u;
    h ^= h >> 15;
    h *= 2654435761u;
    return (h >> 7) & t->hmask;
}

static void config_defaults(struct uk_tcpip_tcp_config *c, size_t max_conns)
{
#define DFLT(f, v)                                                            \
    if (c->f == 0)                                                            \
    c->f = (v)
    DFLT(sndbuf, 65536);
    DFLT(rcvbuf, 65536);
    DFLT(ring_init, 16384);
    DFLT(ring_min, 4096);
    DFLT(time_wait_max, max_conns);
    DFLT(syn_queue, 64);
    DFLT(backlog, 128);
    DFLT(rto_min_ns, 200 * UK_NS_PER_MS);
    DFLT(rto_max_ns, 60 * UK_NS_PER_S);
    DFLT(rto_init_ns, UK_NS_PER_S);
    DFLT(delack_ns, 40 * UK_NS_PER_MS);
    DFLT(time_wait_ns, 60 * UK_NS_PER_S);
    DFLT(fin_wait2_ns, 60 * UK_NS_PER_S);
    DFLT(user_timeout_ns, 120 * UK_NS_PER_S);
    DFLT(syn_retries, 6);
    DFLT(keepalive_intvl_ns, 75 * UK_NS_PER_S);
    DFLT(keepalive_probes, 9);
    DFLT(challenge_acks_per_s, 100);
#undef DFLT
}

struct uk_tcpip_tcp_conn *uk__tcp_lookup(struct uk_tcpip_tcpv4 *t,
                                         const struct tcp_seg *s)
{
    struct uk_tcpip_tcp_conn *c;
    if (t->hash == NULL)
        return NULL;
    c = t->hash[uk__tcp_bucket(t, s->dst, s->dport, s->src, s->sport)];
    for (; c != NULL; c = c->hnext)
        if (UK__TCP_SEG_IS_FOR(c, s))
            return c;
    return NULL;
}

static bool tuple_busy(struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr lip,
                       uint16_t lport, struct uk_ipv4_addr rip,
                       uint16_t rport)
{
    struct tcp_seg s;
    s.src = rip;
    s.dst = lip;
    s.sport = rport;
    s.dport = lport;
    return uk__tcp_lookup(t, &s) != NULL || uk__tcp_tw_lookup(t, &s) != NULL;
}

struct uk_tcpip_tcp_listener *uk__tcp_listener(struct uk_tcpip_tcpv4 *t,
                                               uint16_t port)
{
    size_t i;
    for (i = 0; i < UK_TCPIP_TCP_LISTENERS; i++)
        if (t->listeners[i].port == port)
            return &t->listeners[i];
    return NULL;
}

uint32_t uk__tcp_isn(struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr lip,
                     uint16_t lport, struct uk_ipv4_addr rip, uint16_t rport)
{
    uint8_t b[12];
    uk_store_be32(b, lip.v);
    uk_store_be32(b + 4, rip.v);
    uk_store_be16(b + 8, lport);
    uk_store_be16(b + 10, rport);
    /* RFC 6528: M (a 4 us timer) + F(4-tuple, secret) */
    return (uint32_t)(tcp_now(t) / 4000) +
           (uint32_t)uk__tcp_siphash(t->isn_key, b, sizeof b);
}

struct uk_tcpip_tcp_conn *uk__tcp_conn_new(struct uk_tcpip_tcpv4 *t,
                                           struct uk_ipv4_addr lip,
                                           uint16_t lport,
                                           struct uk_ipv4_addr rip,
                                           uint16_t rport)
{
    struct uk_tcpip_tcp_conn *c = uk__tcp_conn_alloc(t);
    size_t h;
    if (c == NULL)
        return NULL;
    c->flow.ops = &uk__tcp_flow_ops;
    /* the rings come with the first byte; these sizes are what they will
     * be (the receive ring's is offered in our SYN) */
    c->ssize = uk__tcp_ring_start(t, t->cfg.sndbuf);
    c->rsize = uk__tcp_ring_start(t, t->cfg.rcvbuf);
    c->lip = lip;
    c->rip = rip;
    c->lport = lport;
    c->rport = rport;
    c->state = TCP_CLOSED;
    c->mss = 536;
    c->rto = t->cfg.rto_init_ns;
    c->t_rtx = c->t_delack = c->t_keep = c->t_retry = UK_TIME_NEVER;
    c->t_rack = UK_TIME_NEVER;
    c->idle_since = tcp_now(t);
    c->ssthresh = 0xffffffffu;
    for (c->rcv_ws = 0; !t->cfg.no_wscale && c->rcv_ws < TCP_MAX_WS &&
                        (t->cfg.rcvbuf >> c->rcv_ws) > TCP_MAX_WIN;
         c->rcv_ws++)
        ;
    h = uk__tcp_bucket(t, lip, lport, rip, rport);
    c->hnext = t->hash[h];
    t->hash[h] = c;
    return c;
}

static void unhash(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    struct uk_tcpip_tcp_conn **pp;
    if (t->hash == NULL)
        return; /* disconnected: the tables are gone */
    pp = &t->hash[uk__tcp_bucket(t, c->lip, c->lport, c->rip, c->rport)];
    while (*pp != NULL && *pp != c)
        pp = &(*pp)->hnext;
    if (*pp == c)
        *pp = c->hnext;
}

static void unqueue(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcp_listener *l = c->listener;
    struct uk_tcpip_tcp_conn **pp;
    if (l == NULL)
        return;
    if (c->state == TCP_SYN_RCVD) { /* forgotten: its ACK may come */
        l->half_open--;
        c->tcp->half_open--;
        uk__tcp_went_stateless(c->tcp);
    } else {
        for (pp = &l->qfirst; *pp != NULL; pp = &(*pp)->qnext) {
            if (*pp == c) {
                *pp = c->qnext;
                l->queued--;
                break;
            }
        }
        l->qlast = NULL;
        for (pp = &l->qfirst; *pp != NULL; pp = &(*pp)->qnext)
            l->qlast = *pp;
    }
    c->listener = NULL;
}

void uk__tcp_conn_maybe_free(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if (c->flow.ops == NULL)
        return; /* already ended */
    if (c->app != APP_NONE && c->app != APP_ORPHAN)
        return;
    if (c->events != 0 || c->notify_queued)
        return;
    if (c->state == TCP_TIME_WAIT)
        uk__tcp_tw_add(t, c);
    else if (c->state != TCP_CLOSED)
        return;
    unqueue(c);
    unhash(c);
    uk__tcp_timer_stop(c);
    c->state = TCP_CLOSED;
    c->app = APP_NONE;
    c->flow.ops = NULL;
    uk__tcp_conn_release(c);
}

void uk__tcp_established(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcp_listener *l = c->listener;
    struct uk_tcpip_tcpv4 *t = c->tcp;
    bool passive = c->state == TCP_SYN_RCVD && l != NULL;
    c->state = TCP_ESTABLISHED;
    c->idle_since = tcp_now(t);
    if (passive) {
        l->half_open--;
        t->half_open--;
        if (uk__tcp_accept_full(l)) { /* simultaneous open's corner */
            c->listener = NULL;
            uk__tcp_send_ctl(c, TH_RST, c->snd_max);
            uk__tcp_drop(c, UK_ECONNREFUSED);
            return;
        }
        c->qnext = NULL;
        if (l->qlast != NULL)
            l->qlast->qnext = c;
        else
            l->qfirst = c;
        l->qlast = c;
        l->queued++;
        if (!uk_timer_is_armed(&l->notify))
            uk_time_defer(t->time, &l->notify, uk__tcp_accept_notify, l);
    } else if (c->app == APP_CONNECTING) {
        t->stats.connected++;
        uk__tcp_notify(c, EV_CONNECT);
    }
    uk__tcp_timer_update(c);
}

void uk__tcp_drop(struct uk_tcpip_tcp_conn *c, int err)
{
    unqueue(c);
    c->state = TCP_CLOSED;
    if (!c->ended) {
        c->ended = true;
        c->tcp->nended++;
    }
    unhash(c); /* a new SYN on the same ports finds the listener */
    if (c->err == 0)
        c->err = err;
    c->t_rtx = c->t_delack = c->t_keep = c->t_retry = UK_TIME_NEVER;
    c->t_rack = UK_TIME_NEVER;
    if (c->app == APP_CONNECTING)
        uk__tcp_notify(c, EV_CONNECT);
    else if (c->app == APP_OPEN || c->app == APP_CLOSING)
        uk__tcp_notify(c, EV_READ | EV_WRITE);
    uk__tcp_conn_maybe_free(c);
}

void uk__tcp_enter_time_wait(struct uk_tcpip_tcp_conn *c)
{
    c->state = TCP_TIME_WAIT;
    c->t_rtx = c->t_retry = c->t_rack = UK_TIME_NEVER;
    c->t_keep = tcp_now(c->tcp) + c->tcp->cfg.time_wait_ns;
    uk__tcp_timer_update(c);
    uk__tcp_conn_maybe_free(c);
}

size_t uk_tcpip_tcp_active(const struct uk_tcpip_tcpv4 *tcp)
{
    return tcp->nconns;
}

/* Gives back the tables of init (each may be NULL). */
static void free_tables(struct uk_tcpip_tcpv4 *t)
{
    size_t nb = t->hmask + 1;
    uk_mem_account_free(t->mem, t->hash, nb * sizeof *t->hash);
    uk_mem_account_free(t->mem, t->twhash, nb * sizeof *t->twhash);
    uk_mem_account_free(t->mem, t->tw, t->ntw * sizeof *t->tw);
    t->hash = NULL;
    t->twhash = NULL;
    t->tw = NULL;
    t->ntw = 0;
}

static const char *tcp_id(struct uk_tcpv4 *self)
{
    UK_UNUSED(self);
    return "tcpip-tcpv4";
}

static int tcp_listen(struct uk_tcpv4 *self, uint16_t port, int backlog,
                      uk_tcpv4_accept_cb cb, void *arg)
{
    struct uk_tcpip_tcpv4 *t = from_base(self);
    struct uk_tcpip_tcp_listener *l;
    if (port == 0 || cb == NULL || backlog < 0)
        return UK_EINVAL;
    if (uk__tcp_listener(t, port) != NULL)
        return UK_EADDRINUSE;
    if ((l = uk__tcp_listener(t, 0)) == NULL)
        return UK_ELIMIT;
    memset(l, 0, sizeof *l);
    l->tcp = t;
    l->port = port;
    l->backlog = backlog > 0 ? (unsigned)backlog : t->cfg.backlog;
    l->cb = cb;
    l->arg = arg;
    return 0;
}

/* Resets every connection still waiting in l's queues. */
static void flush_listener(struct uk_tcpip_tcpv4 *t,
                           struct uk_tcpip_tcp_listener *l)
{
    struct uk_tcpip_tcp_conn *c, *next;
    for (c = t->live; c != NULL; c = next) {
        next = c->anext; /* c may end */
        if (c->flow.ops != NULL && c->listener == l) {
            uk__tcp_send_ctl(c, TH_RST | TH_ACK, c->snd_max);
            uk__tcp_drop(c, UK_ECONNABORTED);
        }
    }
    uk_time_cancel(t->time, &l->notify);
    l->port = 0;
}

static int tcp_unlisten(struct uk_tcpv4 *self, uint16_t port)
{
    struct uk_tcpip_tcpv4 *t = from_base(self);
    struct uk_tcpip_tcp_listener *l;
    if (port == 0 || (l = uk__tcp_listener(t, port)) == NULL)
        return UK_ENOENT;
    flush_listener(t, l);
    return 0;
}

static int pick_port(struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr lip,
                     const struct uk_ipv4_ep *dst, uint16_t *out)
{
    uint32_t base, i;
    uint8_t b[6];
    uk_store_be32(b, dst->addr.v);
    uk_store_be16(b + 4, dst->port);
    /* RFC 6056 algorithm 3: a per-destination offset plus a counter */
    base = (uint32_t)uk__tcp_siphash(t->cookie_key, b, sizeof b);
    for (i = 0; i < EPHEMERAL_COUNT; i++) {
        uint16_t p = (uint16_t)(EPHEMERAL_FIRST +
                                (base + t->port_counter++) % EPHEMERAL_COUNT);
        if (uk__tcp_listener(t, p) == NULL &&
            !tuple_busy(t, lip, p, dst->addr, dst->port)) {
            *out = p;
            return 0;
        }
    }
    return UK_ELIMIT;
}

static int tcp_connect(struct uk_tcpv4 *self, const struct uk_ipv4_ep *dst,
                       uk_tcpv4_connect_cb cb, void *arg)
{
    struct uk_tcpip_tcpv4 *t = from_base(self);
    struct uk_ipv4_config ipc;
    struct uk_tcpip_tcp_conn *c;
    uint16_t port;
    int rc;
    if (cb == NULL || dst->port == 0 || dst->addr.v == 0 ||
        dst->addr.v == 0xffffffffu)
        return UK_EINVAL;
    uk_ipv4_config(t->ip, &ipc);
    if (ipc.addr.v == 0)
        return UK_ENETUNREACH;
    if (t->hash == NULL)
        return UK_ECLOSED;
    if (uk__tcp_slots_free(t) == 0)
        return UK_ELIMIT;
    if ((rc = pick_port(t, ipc.addr, dst, &port)) != 0)
        return rc;
    c = uk__tcp_conn_new(t, ipc.addr, port, dst->addr, dst->port);
    if (c == NULL) {
        t->stats.mem_refused++;
        return UK_ENOMEM;
    }
    c->app = APP_CONNECTING;
    c->connect_cb = cb;
    c->connect_arg = arg;
    c->iss = uk__tcp_isn(t, c->lip, c->lport, c->rip, c->rport);
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->ts_offset = (uint32_t)uk__tcp_siphash(t->cookie_key, &c->iss, 4);
    c->state = TCP_SYN_SENT;
    rc = uk__tcp_send_ctl(c, TH_SYN, c->iss);
    if (rc != 0 && rc != UK_ENOBUFS) {
        c->app = APP_NONE;
        uk__tcp_drop(c, rc);
        return rc;
    }
    c->snd_nxt = c->snd_max = c->iss + 1;
    uk__tcp_set_rtx(c);
    return 0;
}

/* RFC 9293 3.10.4: CLOSE in SYN-SENT deletes the connection; nothing is
 * sent, so a SYN-ACK that still comes finds no connection and gets a RST
 * alone.  A handshake that completed before the application heard of it
 * is reset. */
static int tcp_connect_cancel(struct uk_tcpv4 *self, uk_tcpv4_connect_cb cb,
                              void *arg)
{
    struct uk_tcpip_tcpv4 *t = from_base(self);
    struct uk_tcpip_tcp_conn *c;
    for (c = t->live; c != NULL; c = c->anext)
        if (c->flow.ops != NULL && c->app == APP_CONNECTING &&
            c->connect_cb == cb && c->connect_arg == arg)
            break;
    if (c == NULL)
        return UK_ENOENT;
    c->app = APP_NONE;
    uk__tcp_notify_cancel(c);
    if (c->state != TCP_CLOSED && c->state != TCP_SYN_SENT)
        uk__tcp_send_ctl(c, TH_RST | TH_ACK, c->snd_max);
    uk__tcp_drop(c, UK_ECANCELED);
    return 0;
}

static void tcp_disconnect(struct uk_tcpv4 *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_tcpv4 *t = from_base(self);
    struct uk_tcpip_tcp_conn *c, *next;
    size_t i;
    for (i = 0; i < UK_TCPIP_TCP_LISTENERS; i++)
        if (t->listeners[i].port != 0)
            flush_listener(t, &t->listeners[i]);
    for (c = t->live; c != NULL; c = next) {
        next = c->anext; /* c may end */
        if (c->state != TCP_CLOSED && c->state != TCP_SYN_SENT &&
            c->state != TCP_TIME_WAIT)
            uk__tcp_send_ctl(c, TH_RST | TH_ACK, c->snd_max);
        if (c->app == APP_ORPHAN)
            c->app = APP_NONE;
        uk__tcp_drop(c, UK_ECANCELED);
        uk__tcp_timer_stop(c);
    }
    uk__tcp_tw_clear(t);
    /* connections the applications still hold are off every table now;
     * each gives its memory back when it is closed */
    for (c = t->live; c != NULL; c = c->anext)
        c->hnext = NULL;
    free_tables(t);
    uk_ipv4_set_handler(t->ip, UK_IPPROTO_TCP, NULL, NULL);
    uk__defer_done(t->time, &t->done_timer, cb, arg);
}

static const struct uk_tcpv4_ops tcp_ops = {
    .id = tcp_id,
    .disconnect = tcp_disconnect,
    .listen = tcp_listen,
    .unlisten = tcp_unlisten,
    .connect = tcp_connect,
    .connect_cancel = tcp_connect_cancel,
};

int uk_tcpip_tcp_config_cc(struct uk_tcpip_tcp_config *cfg, const char *name)
{
    bool newreno = strcmp(name, "newreno") == 0, bbr = strcmp(name, "bbr") == 0;
    if (!newreno && !bbr && strcmp(name, "cubic") != 0)
        return UK_EINVAL;
    cfg->newreno = newreno;
    cfg->bbr = bbr;
    return 0;
}

int uk_tcpip_tcp_init(struct uk_tcpip_tcpv4 *tcp, struct uk_ipv4 *ip,
                      struct uk_time *time, struct uk_random *rnd,
                      const struct uk_tcpip_tcp_config *cfg,
                      struct uk_mem_account *mem, size_t max_conns)
{
    uint64_t keys[4];
    size_t nb = 64;
    int rc;
    memset(tcp, 0, sizeof *tcp);
    if (cfg != NULL)
        tcp->cfg = *cfg;
    config_defaults(&tcp->cfg, max_conns);
    if (max_conns == 0 || mem == NULL || tcp->cfg.sndbuf > (1u << 30) ||
        tcp->cfg.rcvbuf > (1u << 30) || tcp->cfg.ring_min < 536 ||
        tcp->cfg.ring_init < tcp->cfg.ring_min ||
        tcp->cfg.time_wait_max > (SIZE_MAX / 2) / sizeof *tcp->tw ||
        (tcp->cfg.newreno && tcp->cfg.bbr))
        return UK_EINVAL;
    tcp->base.ops = &tcp_ops;
    tcp->ip = ip;
    tcp->tso_max = uk_ipv4_tso_max(ip);
    tcp->time = time;
    tcp->rnd = rnd;
    tcp->mem = mem;
    tcp->max_conns = max_conns;
    if (uk_random_fill(rnd, keys, sizeof keys) != 0)
        return UK_EIO;
    tcp->isn_key[0] = keys[0];
    tcp->isn_key[1] = keys[1];
    tcp->cookie_key[0] = keys[2];
    tcp->cookie_key[1] = keys[3];
    /* about one connection per bucket, at most 2^16 buckets */
    while (nb < max_conns && nb < 65536)
        nb *= 2;
    tcp->hmask = nb - 1;
    tcp->ntw = tcp->cfg.time_wait_max;
    tcp->hash = (struct uk_tcpip_tcp_conn **)uk_mem_account_alloc(
        mem, nb * sizeof *tcp->hash);
    tcp->twhash = (struct uk_tcpip_tcp_tw **)uk_mem_account_alloc(
        mem, nb * sizeof *tcp->twhash);
    tcp->tw = (struct uk_tcpip_tcp_tw *)uk_mem_account_alloc(
        mem, tcp->ntw * sizeof *tcp->tw);
    if (tcp->hash == NULL || tcp->twhash == NULL || tcp->tw == NULL) {
        free_tables(tcp);
        return UK_ENOMEM;
    }
    memset(tcp->hash, 0, nb * sizeof *tcp->hash);
    memset(tcp->twhash, 0, nb * sizeof *tcp->twhash);
    memset(tcp->tw, 0, tcp->ntw * sizeof *tcp->tw);
    rc = uk_ipv4_set_handler(ip, UK_IPPROTO_TCP, uk__tcp_input, tcp);
    if (rc != 0)
        free_tables(tcp);
    return rc;
}
