/*
 * tcp_tw.c - the TIME_WAIT table: a bounded FIFO of small entries (not
 * connections), hashed by 4-tuple.  Every entry waits the same 2 MSL, so
 * the FIFO is also in expiry order: one layer timer serves them all.  When
 * full, the oldest entry is recycled early.
 */
#include "tcp_internal.h"

static void tw_unhash(struct uk_tcpip_tcpv4 *t, struct uk_tcpip_tcp_tw *w)
{
    struct uk_tcpip_tcp_tw **pp =
        &t->twhash[uk__tcp_bucket(t, w->lip, w->lport, w->rip, w->rport)];
    while (*pp != NULL && *pp != w)
        pp = &(*pp)->hnext;
    if (*pp == w)
        *pp = w->hnext;
    w->used = false;
}

/* Drops entries from the head while they are expired (or unused). */
static void tw_expire(struct uk_tcpip_tcpv4 *t, uint64_t now)
{
    while (t->tw_count > 0) {
        struct uk_tcpip_tcp_tw *w = &t->tw[t->tw_head];
        if (w->used && w->expires_ns > now)
            break;
        if (w->used)
            tw_unhash(t, w);
        t->tw_head = (t->tw_head + 1) % t->ntw;
        t->tw_count--;
    }
}

static void tw_timer_cb(void *arg);

static void tw_arm(struct uk_tcpip_tcpv4 *t)
{
    if (t->tw_count > 0)
        uk_time_start(t->time, &t->tw_timer, t->tw[t->tw_head].expires_ns,
                      tw_timer_cb, t);
    else
        uk_time_cancel(t->time, &t->tw_timer);
}

static void tw_timer_cb(void *arg)
{
    struct uk_tcpip_tcpv4 *t = (struct uk_tcpip_tcpv4 *)arg;
    tw_expire(t, tcp_now(t));
    tw_arm(t);
}

void uk__tcp_tw_add(struct uk_tcpip_tcpv4 *t, struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcp_tw *w;
    size_t h;
    tw_expire(t, tcp_now(t));
    if (t->tw_count == t->ntw) {
        w = &t->tw[t->tw_head];
        if (w->used)
            tw_unhash(t, w);
        t->tw_head = (t->tw_head + 1) % t->ntw;
        t->tw_count--;
        t->stats.time_wait_recycled++;
    }
    w = &t->tw[(t->tw_head + t->tw_count) % t->ntw];
    t->tw_count++;
    w->used = true;
    w->lip = c->lip;
    w->rip = c->rip;
    w->lport = c->lport;
    w->rport = c->rport;
    w->snd_nxt = c->snd_nxt;
    w->rcv_nxt = c->rcv_nxt;
    w->ts_ok = c->ts_ok;
    w->ts_recent = c->ts_recent;
    w->ts_offset = c->ts_offset;
    w->rcv_wnd = uk__tcp_rcv_window(c);
    w->expires_ns = tcp_now(t) + t->cfg.time_wait_ns;
    h = uk__tcp_bucket(t, w->lip, w->lport, w->rip, w->rport);
    w->hnext = t->twhash[h];
    t->twhash[h] = w;
    if (!uk_timer_is_armed(&t->tw_timer))
        tw_arm(t);
}

struct uk_tcpip_tcp_tw *uk__tcp_tw_lookup(struct uk_tcpip_tcpv4 *t,
                                          const struct tcp_seg *s)
{
    struct uk_tcpip_tcp_tw *w;
    if (t->twhash == NULL)
        return NULL;
    w = t->twhash[uk__tcp_bucket(t, s->dst, s->dport, s->src, s->sport)];
    for (; w != NULL; w = w->hnext)
        if (UK__TCP_SEG_IS_FOR(w, s))
            return w;
    return NULL;
}

bool uk__tcp_tw_input(struct uk_tcpip_tcpv4 *t, struct uk_tcpip_tcp_tw *w,
                      const struct tcp_seg *s)
{
    struct tcp_out o;
    if (s->flags & TH_RST)
        return true; /* RFC 1337: TIME_WAIT ignores resets */
    if ((s->flags & (TH_SYN | TH_ACK)) == TH_SYN &&
        (SEQ_GT(s->seq, w->rcv_nxt) ||
         (w->ts_ok && s->has_ts && SEQ_GT(s->tsval, w->ts_recent)))) {
        tw_unhash(t, w); /* a new incarnation may start (RFC 6191) */
        return false;
    }
    if (!(s->flags & TH_FIN) && s->seq == w->rcv_nxt && s->len == 0)
        return true;
    memset(&o, 0, sizeof o);
    o.seq = w->snd_nxt;
    o.ack = w->rcv_nxt;
    o.flags = TH_ACK;
    o.wnd = w->rcv_wnd;
    if (w->ts_ok) {
        o.ts = true;
        o.tsval = tcp_ms(t) + w->ts_offset;
        o.tsecr = s->tsval;
    }
    uk__tcp_send_raw(t, w->lip, w->rip, w->lport, w->rport, &o, NULL, 0, 0,
                     0);
    return true;
}

void uk__tcp_tw_clear(struct uk_tcpip_tcpv4 *t)
{
    size_t i;
    for (i = 0; i < t->ntw; i++)
        t->tw[i].used = false;
    if (t->twhash != NULL)
        memset(t->twhash, 0, (t->hmask + 1) * sizeof *t->twhash);
    t->tw_head = t->tw_count = 0;
    uk_time_cancel(t->time, &t->tw_timer);
}
