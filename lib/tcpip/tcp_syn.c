/*
 * tcp_syn.c - the passive side: SYNs to a listening port, the bounded SYN
 * queue (half-open connections), SYN cookies beyond it, option
 * negotiation, and delivering accepted connections.
 *
 * Cookie (our ISN): bits 31..27 a 64-second counter, 26..24 an MSS index,
 * 23..0 SipHash(4-tuple, counter, peer ISN).  A cookie is good for two
 * counter periods.  When the SYN carried a timestamp, the peer's window
 * scale and SACK permission ride in the low 5 bits of our TSval, which the
 * peer echoes; without one the connection has neither (as in Linux).
 *
 * Every SYN-ACK is such a cookie, also for a half-open connection that
 * keeps state (as FreeBSD's syncache does): when that connection is
 * forgotten to make room, the peer's ACK still completes the handshake.
 * So a connection's timestamp offset comes from its 4-tuple alone.  A
 * cookie's ACK finding no connection completes a handshake only while one
 * may have gone on without state (a cookie beyond the queue, a half-open
 * connection forgotten, in the cookie's two counter periods, as Linux
 * checks cookies only after a recent overflow); otherwise it is a stale
 * duplicate of an ended connection's handshake, and is reset.
 */
#include "tcp_internal.h"

static const uint16_t cookie_mss[8] = {216, 536, 1220, 1360,
                                       1440, 1460, 4312, 8960};

/* The 4-tuple of s into b[0..12), as the keyed hashes below take it. */
static void tuple_bytes(const struct tcp_seg *s, uint8_t b[12])
{
    uk_store_be32(b, s->src.v);
    uk_store_be32(b + 4, s->dst.v);
    uk_store_be16(b + 8, s->sport);
    uk_store_be16(b + 10, s->dport);
}

static uint32_t cookie_hash(struct uk_tcpip_tcpv4 *t, const struct tcp_seg *s,
                            uint32_t count, uint32_t peer_isn)
{
    uint8_t b[20];
    tuple_bytes(s, b);
    uk_store_be32(b + 12, count);
    uk_store_be32(b + 16, peer_isn);
    return (uint32_t)uk__tcp_siphash(t->cookie_key, b, sizeof b) & 0xffffff;
}

/* The timestamp offset of the connection s belongs to (RFC 7323 7.1: per
 * connection, unguessable), whether its handshake kept state or not. */
static uint32_t ts_offset(struct uk_tcpip_tcpv4 *t, const struct tcp_seg *s)
{
    uint8_t b[12];
    tuple_bytes(s, b);
    return (uint32_t)uk__tcp_siphash(t->cookie_key, b, sizeof b);
}

static uint32_t cookie_count(struct uk_tcpip_tcpv4 *t)
{
    return (uint32_t)(tcp_now(t) / (64 * UK_NS_PER_S));
}

void uk__tcp_went_stateless(struct uk_tcpip_tcpv4 *t)
{
    t->stateless_since = cookie_count(t) + 1;
}

/* Whether a handshake went on without state within a cookie's lifetime
 * (the current counter period or the one before). */
static bool stateless_lately(struct uk_tcpip_tcpv4 *t)
{
    return t->stateless_since != 0 &&
           cookie_count(t) - (t->stateless_since - 1) <= 1;
}

void uk__tcp_set_options(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uint16_t mine = uk__tcp_our_mss(t), peer = s->has_mss ? s->mss : 536;
    c->rmss = mine;
    c->mss = peer < mine ? peer : mine;
    if (c->mss < 64)
        c->mss = 64;
    c->ws_ok = s->has_ws && !t->cfg.no_wscale;
    c->snd_ws = c->ws_ok ? s->ws : 0;
    if (!c->ws_ok)
        c->rcv_ws = 0;
    c->ts_ok = s->has_ts && !t->cfg.no_timestamps;
    if (c->ts_ok)
        c->ts_recent = s->tsval;
    c->sack_ok = s->sack_perm && !t->cfg.no_sack;
    c->cwnd = 10u * (uint32_t)uk__tcp_eff_mss(c); /* RFC 6928 */
}

/* The cookie answering SYN s: our ISN for its connection. */
static uint32_t cookie_isn(struct uk_tcpip_tcpv4 *t, const struct tcp_seg *s)
{
    unsigned idx = 0, k;
    uint16_t peer = s->has_mss ? s->mss : 536;
    for (k = 0; k < 8; k++)
        if (cookie_mss[k] <= peer && cookie_mss[k] <= uk__tcp_our_mss(t))
            idx = k;
    return (cookie_count(t) & 31) << 27 | (uint32_t)idx << 24 |
           cookie_hash(t, s, cookie_count(t), s->seq);
}

uint32_t uk__tcp_synack_tsval(uint32_t now, bool ws_ok, unsigned ws,
                              bool sack_ok)
{
    uint32_t bits = ws_ok ? ws : 15;
    if (sack_ok)
        bits |= 16;
    return ((now - 32) & ~31u) | bits;
}

static void send_cookie(struct uk_tcpip_tcpv4 *t, const struct tcp_seg *s)
{
    struct tcp_out o;
    unsigned ws = 0;
    uk__tcp_went_stateless(t);
    memset(&o, 0, sizeof o);
    o.seq = cookie_isn(t, s);
    o.ack = s->seq + 1;
    o.flags = TH_SYN | TH_ACK;
    o.wnd = (uint16_t)tcp_min32(
        (uint32_t)uk__tcp_ring_start(t, t->cfg.rcvbuf), TCP_MAX_WIN);
    o.mss = true;
    o.mss_val = uk__tcp_our_mss(t);
    if (s->has_ts && !t->cfg.no_timestamps) {
        o.ts = true;
        o.tsecr = s->tsval;
        if (s->has_ws && !t->cfg.no_wscale) {
            o.ws = true;
            while (ws < TCP_MAX_WS && (t->cfg.rcvbuf >> ws) > TCP_MAX_WIN)
                ws++;
            o.ws_val = (uint8_t)ws;
        }
        o.sack_perm = s->sack_perm && !t->cfg.no_sack;
        o.tsval = uk__tcp_synack_tsval(tcp_ms(t) + ts_offset(t, s), o.ws,
                                       s->ws, o.sack_perm);
    }
    t->stats.cookies_sent++;
    uk__tcp_send_raw(t, s->dst, s->src, s->dport, s->sport, &o, NULL, 0, 0,
                     0);
}

/* An ACK for a listener with no connection: a cookie's completion? */
static void cookie_ack(struct uk_tcpip_tcpv4 *t,
                       struct uk_tcpip_tcp_listener *l,
                       const struct tcp_seg *s)
{
    uint32_t cookie = s->ack - 1, now = cookie_count(t);
    uint32_t diff = (now - (cookie >> 27)) & 31;
    struct uk_tcpip_tcp_conn *c;
    struct tcp_seg opt;
    if (diff > 1 || !stateless_lately(t) ||
        cookie_hash(t, s, now - diff, s->seq - 1) != (cookie & 0xffffff)) {
        t->stats.cookies_bad++;
        uk__tcp_send_rst_for(t, s);
        return;
    }
    if (uk__tcp_accept_full(l)) { /* as Linux: the peer retries */
        t->stats.accept_full++;
        return;
    }
    if ((c = uk__tcp_conn_new(t, s->dst, s->dport, s->src, s->sport)) ==
        NULL) {
        /* A good cookie, but no room.  A table full while connections
         * wait in the accept queue is a passing state: the application
         * has yet to take them, and makes room at its own limit (closes
         * idle ones), so the ACK is dropped, as an accept queue's
         * overflow, and the peer's next segment retries.  Out of memory,
         * or the application holding the whole table: reset, the peer
         * learns at once. */
        t->stats.mem_refused++;
        if (l->queued == 0 || uk__tcp_slots_free(t) > 0)
            uk__tcp_send_rst_for(t, s);
        return;
    }
    t->stats.cookies_ok++;
    memset(&opt, 0, sizeof opt);
    opt.has_mss = true;
    opt.mss = cookie_mss[(cookie >> 24) & 7];
    if (s->has_ts && !t->cfg.no_timestamps) {
        opt.has_ts = true;
        opt.tsval = s->tsval;
        if ((s->tsecr & 15) != 15) {
            opt.has_ws = true;
            opt.ws = (uint8_t)(s->tsecr & 15);
        }
        opt.sack_perm = (s->tsecr & 16) != 0;
    }
    uk__tcp_set_options(c, &opt);
    c->ts_offset = ts_offset(t, s);
    c->iss = cookie;
    c->irs = s->seq - 1;
    c->snd_una = c->snd_nxt = c->snd_max = s->ack;
    c->rcv_nxt = c->read_seq = c->rcv_adv = s->seq;
    c->snd_wnd = (uint32_t)s->wnd << c->snd_ws;
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    c->listener = l;
    c->state = TCP_SYN_RCVD;
    l->half_open++;
    t->half_open++;
    uk__tcp_established(c);
    if (c->state == TCP_ESTABLISHED && (s->len > 0 || (s->flags & TH_FIN)))
        uk__tcp_conn_input(c, s);
}

void uk__tcp_listen_input(struct uk_tcpip_tcpv4 *t,
                          struct uk_tcpip_tcp_listener *l,
                          const struct tcp_seg *s)
{
    struct uk_tcpip_tcp_conn *c;
    if (s->flags & TH_RST)
        return;
    if (s->flags & TH_ACK) {
        if (!(s->flags & TH_SYN))
            cookie_ack(t, l, s);
        else
            uk__tcp_send_rst_for(t, s);
        return;
    }
    if (!(s->flags & TH_SYN) || (s->flags & TH_FIN))
        return; /* FIN, NULL, Xmas probes and SYN+FIN: dropped, as Linux */
    /* the last sixteenth of the table is kept for handshakes that
     * complete: a SYN beyond it gets a cookie, not a slot */
    if (t->cfg.always_cookies || t->half_open >= t->cfg.syn_queue ||
        uk__tcp_slots_free(t) <= t->max_conns / 16 + 1 ||
        (c = uk__tcp_conn_new(t, s->dst, s->dport, s->src, s->sport)) ==
            NULL) {
        send_cookie(t, s);
        return;
    }
    c->listener = l;
    l->half_open++;
    t->half_open++;
    c->irs = s->seq;
    c->rcv_nxt = c->read_seq = c->rcv_adv = s->seq + 1;
    uk__tcp_set_options(c, s);
    c->iss = cookie_isn(t, s); /* forgotten, its ACK still completes */
    c->snd_una = c->iss;
    c->ts_offset = ts_offset(t, s);
    c->snd_wnd = s->wnd;
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = c->iss;
    c->state = TCP_SYN_RCVD;
    uk__tcp_send_ctl(c, TH_SYN | TH_ACK, c->iss);
    c->snd_nxt = c->snd_max = c->iss + 1;
    uk__tcp_set_rtx(c);
}

void uk__tcp_accept_notify(void *arg)
{
    struct uk_tcpip_tcp_listener *l = (struct uk_tcpip_tcp_listener *)arg;
    while (l->port != 0 && l->qfirst != NULL) {
        struct uk_tcpip_tcp_conn *c = l->qfirst;
        l->qfirst = c->qnext;
        if (l->qfirst == NULL)
            l->qlast = NULL;
        l->queued--;
        c->listener = NULL;
        c->app = APP_OPEN;
        l->tcp->stats.accepted++;
        l->cb(l->arg, &c->flow);
    }
}
