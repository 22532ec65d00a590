/*
 * tcp_in.c - segment arrival (RFC 9293 3.10.7): demultiplexing, SYN_SENT,
 * the acceptability test, RST/SYN/ACK validation with challenge ACKs (RFC
 * 5961), PAWS and timestamps (RFC 7323), and the receive path (payload
 * copied once into the ring, out-of-order intervals, delayed ACKs, FIN).
 * ACK processing (RTT, congestion control, SACK) is in tcp_ack.c.
 */
#include "tcp_internal.h"

static void challenge_ack(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uint64_t sec = tcp_now(t) / UK_NS_PER_S;
    if (sec != t->challenge_sec) {
        t->challenge_sec = sec;
        t->challenge_count = 0;
    }
    if (t->challenge_count >= t->cfg.challenge_acks_per_s)
        return;
    t->challenge_count++;
    t->stats.challenge_acks++;
    uk__tcp_send_ack(c);
}

/* Records [s, e) as out-of-order data, most recent first. */
static void ooo_add(struct uk_tcpip_tcp_conn *c, uint32_t s, uint32_t e)
{
    unsigned i = 0, j;
    while (i < c->nooo) {
        if (SEQ_LEQ(c->ooo[i].start, e) && SEQ_GEQ(c->ooo[i].end, s)) {
            if (SEQ_LT(c->ooo[i].start, s))
                s = c->ooo[i].start;
            if (SEQ_GT(c->ooo[i].end, e))
                e = c->ooo[i].end;
            for (j = i; j + 1 < c->nooo; j++)
                c->ooo[j] = c->ooo[j + 1];
            c->nooo--;
            continue;
        }
        i++;
    }
    if (c->nooo == UK_TCPIP_TCP_OOO)
        c->nooo--; /* forget the stalest: its data is resent */
    for (j = c->nooo; j > 0; j--)
        c->ooo[j] = c->ooo[j - 1];
    c->ooo[0].start = s;
    c->ooo[0].end = e;
    c->nooo++;
}

/* Advances rcv_nxt over out-of-order data it now reaches. */
static bool ooo_merge(struct uk_tcpip_tcp_conn *c)
{
    bool moved = false, again = true;
    unsigned i, j;
    while (again) {
        again = false;
        for (i = 0; i < c->nooo; i++) {
            if (SEQ_LEQ(c->ooo[i].start, c->rcv_nxt)) {
                if (SEQ_GT(c->ooo[i].end, c->rcv_nxt))
                    c->rcv_nxt = c->ooo[i].end;
                for (j = i; j + 1 < c->nooo; j++)
                    c->ooo[j] = c->ooo[j + 1];
                c->nooo--;
                moved = again = true;
                break;
            }
        }
    }
    return moved;
}

static void fin_received(struct uk_tcpip_tcp_conn *c)
{
    c->rcv_nxt++;
    c->rcv_fin = true;
    c->fin_pending = false;
    c->ack_now = true;
    switch (c->state) {
    case TCP_SYN_RCVD:
    case TCP_ESTABLISHED:
        c->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1:
        c->state = TCP_CLOSING;
        break;
    case TCP_FIN_WAIT_2:
        uk__tcp_send_ack(c);
        uk__tcp_enter_time_wait(c);
        break;
    default:
        break;
    }
    if (c->app == APP_OPEN || c->app == APP_CLOSING)
        uk__tcp_notify(c, EV_READ);
}

/* Copies the segment's acceptable payload into the ring.  Returns false
 * when its end (and any FIN) did not fit. */
static bool data_input(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s)
{
    uint32_t seq = s->seq, len = (uint32_t)s->len, end, room_end, idx, first;
    const uint8_t *d = s->data;
    bool whole = true;
    if (SEQ_LT(seq, c->rcv_nxt)) {
        uint32_t cut = c->rcv_nxt - seq;
        if (cut >= len) {
            c->ack_now = true;
            c->tcp->stats.rx_dup++;
            return true;
        }
        d += cut;
        len -= cut;
        seq = c->rcv_nxt;
    }
    room_end = c->read_seq + (uint32_t)c->rsize;
    if (SEQ_GT(seq + len, room_end)) {
        len = SEQ_GT(room_end, seq) ? room_end - seq : 0;
        whole = false;
        c->ack_now = true;
    }
    if (len == 0)
        return whole;
    end = seq + len;
    idx = (uint32_t)((c->rhead + (seq - c->read_seq)) % c->rsize);
    first = tcp_min32(len, (uint32_t)c->rsize - idx);
    memcpy(c->rbuf + idx, d, first);
    if (first < len)
        memcpy(c->rbuf, d + first, len - first);
    if (seq == c->rcv_nxt) {
        c->rcv_nxt = end;
        if (c->nooo > 0 && ooo_merge(c))
            c->ack_now = true;
        /* every second full segment at once (RFC 5681 4.2), the rest on
         * the delayed-ACK timer or with our next data.  PSH is no reason
         * to hurry: a request's ACK rides on the response that follows,
         * instead of costing a frame of its own. */
        if (c->nooo > 0 || ++c->segs_unacked >= 2)
            c->ack_now = true;
        if (c->app == APP_OPEN || c->app == APP_CLOSING)
            uk__tcp_notify(c, EV_READ);
    } else {
        c->tcp->stats.rx_ooo++;
        ooo_add(c, seq, end);
        c->ack_now = true;
    }
    return whole;
}

/* The handshake's RTT sample (RFC 6298 2.2), unless its SYN was resent
 * (Karn): from the echoed timestamp, else from our SYN's send time. */
static void handshake_rtt(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if (c->rtx_count != 0)
        return;
    if (c->ts_ok && s->has_ts && s->tsecr != 0)
        uk__tcp_rtt_sample(c, (uint64_t)(uint32_t)(tcp_ms(t) + c->ts_offset -
                                                   s->tsecr) *
                                  UK_NS_PER_MS);
    else if (c->rtt_start_ns != 0)
        uk__tcp_rtt_sample(c, tcp_now(t) - c->rtt_start_ns);
}

static void syn_sent_input(struct uk_tcpip_tcp_conn *c,
                           const struct tcp_seg *s)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if ((s->flags & TH_ACK) &&
        (SEQ_LEQ(s->ack, c->iss) || SEQ_GT(s->ack, c->snd_max))) {
        uk__tcp_send_rst_for(t, s);
        return;
    }
    if (s->flags & TH_RST) {
        if (s->flags & TH_ACK) {
            t->stats.refused++;
            uk__tcp_drop(c, UK_ECONNREFUSED);
        }
        return;
    }
    if (!(s->flags & TH_SYN))
        return;
    c->irs = s->seq;
    c->rcv_nxt = c->read_seq = c->rcv_adv = s->seq + 1;
    uk__tcp_set_options(c, s);
    c->snd_wnd = s->wnd;
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    if (!(s->flags & TH_ACK)) { /* simultaneous open */
        c->state = TCP_SYN_RCVD;
        uk__tcp_send_ctl(c, TH_SYN | TH_ACK, c->iss);
        return;
    }
    c->snd_una = s->ack;
    c->recover = s->ack;
    c->high_sack = c->rtx_high = s->ack;
    handshake_rtt(c, s);
    c->rtx_count = 0;
    c->t_rtx = UK_TIME_NEVER;
    c->ack_now = true;
    uk__tcp_established(c);
    uk__tcp_output(c);
}

/* RFC 9293's acceptability test, against the space left in the ring. */
static bool acceptable(const struct uk_tcpip_tcp_conn *c,
                       const struct tcp_seg *s, uint32_t seglen)
{
    uint32_t wnd = (uint32_t)c->rsize - (c->rcv_nxt - c->read_seq);
    uint32_t lo = c->rcv_nxt, hi = c->rcv_nxt + wnd;
    if (seglen == 0)
        return wnd == 0 ? s->seq == lo
                        : SEQ_GEQ(s->seq, lo) && SEQ_LT(s->seq, hi);
    if (wnd == 0)
        return false;
    return (SEQ_GEQ(s->seq, lo) && SEQ_LT(s->seq, hi)) ||
           (SEQ_GEQ(s->seq + seglen - 1, lo) &&
            SEQ_LT(s->seq + seglen - 1, hi));
}

static void rst_input(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s)
{
    if (s->seq != c->rcv_nxt) {
        challenge_ack(c);
        return;
    }
    c->tcp->stats.reset++;
    if (c->state == TCP_SYN_RCVD && c->listener != NULL)
        uk__tcp_drop(c, UK_ECONNRESET); /* back to listening */
    else if (c->state == TCP_SYN_RCVD)
        uk__tcp_drop(c, UK_ECONNREFUSED);
    else
        uk__tcp_drop(c, UK_ECONNRESET);
}

void uk__tcp_conn_input(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uint32_t seglen = (uint32_t)s->len + ((s->flags & TH_SYN) ? 1 : 0) +
                      ((s->flags & TH_FIN) ? 1 : 0);
    bool ack_only = false;
    c->idle_since = tcp_now(t);
    c->probes = 0;
    if (c->state == TCP_SYN_SENT) {
        syn_sent_input(c, s);
        return;
    }
    if (c->state == TCP_CLOSED) {
        uk__tcp_send_rst_for(t, s);
        return;
    }
    if (c->state == TCP_TIME_WAIT) { /* still held by the application */
        if (!(s->flags & TH_RST) && (seglen > 0 || s->seq != c->rcv_nxt))
            uk__tcp_send_ack(c); /* RFC 1337: resets are ignored */
        return;
    }
    if (c->state == TCP_SYN_RCVD && (s->flags & (TH_SYN | TH_ACK)) == TH_SYN &&
        s->seq == c->irs) {
        uk__tcp_send_ctl(c, TH_SYN | TH_ACK, c->iss); /* SYN-ACK lost */
        return;
    }
    if (c->ts_ok && s->has_ts && !(s->flags & TH_RST) &&
        SEQ_LT(s->tsval, c->ts_recent)) {
        t->stats.rx_paws++;
        uk__tcp_send_ack(c);
        return;
    }
    if (!acceptable(c, s, seglen)) {
        t->stats.rx_out_of_window++;
        if (s->flags & TH_RST)
            return;
        uk__tcp_send_ack(c);
        if (!(s->seq == c->rcv_nxt && (s->flags & TH_ACK)))
            return;
        ack_only = true; /* zero window: still take the ACK (RFC 9293) */
    }
    if (s->flags & TH_RST) {
        rst_input(c, s);
        return;
    }
    if (s->flags & TH_SYN) {
        challenge_ack(c);
        return;
    }
    if (!(s->flags & TH_ACK))
        return;
    if (c->state == TCP_SYN_RCVD) {
        if (SEQ_LEQ(s->ack, c->iss) || SEQ_GT(s->ack, c->snd_max)) {
            uk__tcp_send_rst_for(t, s);
            return;
        }
        c->snd_una = c->iss + 1;
        c->recover = c->high_sack = c->rtx_high = c->snd_una;
        c->snd_wnd = (uint32_t)s->wnd << c->snd_ws;
        c->max_snd_wnd = c->snd_wnd;
        c->snd_wl1 = s->seq;
        c->snd_wl2 = s->ack;
        handshake_rtt(c, s);
        c->rtx_count = 0;
        c->t_rtx = UK_TIME_NEVER;
        uk__tcp_established(c);
        if (c->state != TCP_ESTABLISHED)
            return;
    }
    if (!uk__tcp_ack_input(c, s))
        return;
    /* TS.Recent from acceptable segments only, their ACK validated too
     * (RFC 7323 4.3; one acking unsent data was dropped above) */
    if (c->ts_ok && s->has_ts && SEQ_LEQ(s->seq, c->last_ack_sent))
        c->ts_recent = s->tsval;
    if (!ack_only) {
        bool whole = true;
        if (s->len > 0 &&
            SEQ_LEQ(s->seq + (uint32_t)s->len, c->rcv_nxt)) {
            c->ack_now = true; /* an old duplicate */
            c->tcp->stats.rx_dup++;
        } else if (s->len > 0) {
            if (c->closed_by_app ||
                (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
                 c->state != TCP_FIN_WAIT_2)) {
                if (c->closed_by_app) { /* nobody will read it */
                    uk__tcp_send_ctl(c, TH_RST | TH_ACK, c->snd_max);
                    uk__tcp_drop(c, UK_ECONNRESET);
                    return;
                }
                whole = false;
            } else {
                whole = data_input(c, s);
            }
        }
        if ((s->flags & TH_FIN) && whole && !c->rcv_fin) {
            uint32_t fs = s->seq + (uint32_t)s->len;
            if (fs == c->rcv_nxt)
                fin_received(c);
            else if (SEQ_GT(fs, c->rcv_nxt)) {
                c->fin_pending = true;
                c->rcv_fin_seq = fs;
                c->ack_now = true;
            } else {
                c->ack_now = true;
            }
        } else if (c->rcv_fin && (s->flags & TH_FIN)) {
            c->ack_now = true;
        }
        if (c->fin_pending && !c->rcv_fin && c->rcv_fin_seq == c->rcv_nxt)
            fin_received(c);
    }
    if (c->flow.ops == NULL || c->state == TCP_CLOSED)
        return;
    uk__tcp_output(c);
    if (c->segs_unacked > 0 && c->t_delack == UK_TIME_NEVER) {
        c->t_delack = tcp_now(t) + t->cfg.delack_ns;
        uk__tcp_timer_update(c);
    }
}

void uk__tcp_input(void *arg, const struct uk_ipv4_info *info,
                   struct uk_buf *payload)
{
    struct uk_tcpip_tcpv4 *t = (struct uk_tcpip_tcpv4 *)arg;
    struct uk_tcpip_tcp_conn *c;
    struct uk_tcpip_tcp_tw *w;
    struct uk_tcpip_tcp_listener *l;
    struct tcp_seg s;
    int rc;
    t->stats.rx_segments++;
    rc = uk__tcp_parse(&s, info, payload->data, payload->len);
    /* IP drops broadcast and multicast sources and tells broadcast
     * destinations (info->broadcast); TCP is unicast only. */
    if (rc != 0 || s.sport == 0 || s.dport == 0 || info->src.v == 0 ||
        info->broadcast) {
        if (rc == UK_EIO)
            t->stats.rx_bad_checksum++;
        else
            t->stats.rx_malformed++;
        uk_buf_free(payload);
        return;
    }
    if ((c = uk__tcp_lookup(t, &s)) != NULL) {
        uk__tcp_conn_input(c, &s);
    } else if ((w = uk__tcp_tw_lookup(t, &s)) != NULL &&
               uk__tcp_tw_input(t, w, &s)) {
        /* handled by TIME_WAIT */
    } else if ((l = uk__tcp_listener(t, s.dport)) != NULL) {
        uk__tcp_listen_input(t, l, &s);
    } else {
        t->stats.rx_no_conn++;
        uk__tcp_send_rst_for(t, &s);
    }
    uk_buf_free(payload);
}
