/*
 * tcp_timer.c - the one timer of a connection, multiplexing its deadlines
 * (retransmit or persist, delayed ACK, keep-alive / FIN_WAIT_2 /
 * TIME_WAIT, transmit retry after a buffer shortage).  The uk_timer is
 * re-armed lazily: moving a deadline later leaves it armed, and the early
 * firing just re-arms it, so ACK processing rarely touches the heap.
 */
#include "tcp_internal.h"

static void timer_cb(void *arg);

static uint64_t next_deadline(const struct uk_tcpip_tcp_conn *c)
{
    uint64_t d = c->t_rtx;
    if (c->t_delack < d)
        d = c->t_delack;
    if (c->t_keep < d)
        d = c->t_keep;
    if (c->t_retry < d)
        d = c->t_retry;
    return d;
}

void uk__tcp_timer_update(struct uk_tcpip_tcp_conn *c)
{
    uint64_t d = next_deadline(c);
    if (d == UK_TIME_NEVER)
        return; /* a stale firing finds nothing to do */
    if (uk_timer_is_armed(&c->timer) && c->timer.deadline_ns <= d)
        return;
    uk_time_start(c->tcp->time, &c->timer, d, timer_cb, c);
}

void uk__tcp_timer_stop(struct uk_tcpip_tcp_conn *c)
{
    c->t_rtx = c->t_delack = c->t_keep = c->t_retry = UK_TIME_NEVER;
    uk_time_cancel(c->tcp->time, &c->timer);
}

/* A tail loss probe (after RFC 8985 section 7) is due sooner than the
 * RTO when data is in flight and nothing else would reveal a lost tail:
 * one probe per flight of progress, PTO = max(2 SRTT, 10 ms), plus the
 * delayed-ACK time when a single segment is out. */
static bool tlp_eligible(const struct uk_tcpip_tcp_conn *c)
{
    return c->sack_ok && !c->tlp_done && !c->in_recovery &&
           c->rtx_count == 0 && c->srtt != 0 && c->snd_una != c->snd_max &&
           (c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT ||
            c->state == TCP_FIN_WAIT_1 || c->state == TCP_LAST_ACK);
}

void uk__tcp_set_rtx(struct uk_tcpip_tcp_conn *c)
{
    if (c->t_rtx == UK_TIME_NEVER) {
        uint64_t d = c->rto;
        c->tlp_pending = false;
        if (tlp_eligible(c)) {
            uint64_t pto = 2 * c->srtt;
            if (pto < 10 * UK_NS_PER_MS)
                pto = 10 * UK_NS_PER_MS;
            if (uk__tcp_flight(c) <= uk__tcp_eff_mss(c))
                pto += c->tcp->cfg.delack_ns;
            if (pto < d) {
                d = pto;
                c->tlp_pending = true;
            }
        }
        c->t_rtx = tcp_now(c->tcp) + d;
        uk__tcp_timer_update(c);
    }
}

/* The probe: the last segment sent goes again, to draw an ACK (with SACK
 * information) that starts fast recovery instead of a timeout. */
static void tail_probe(struct uk_tcpip_tcp_conn *c)
{
    uint32_t mss = (uint32_t)uk__tcp_eff_mss(c);
    uint32_t end = c->snd_max, start, sent = c->snd_max - c->snd_una;
    uint32_t avail = c->slen > sent ? (uint32_t)c->slen - sent : 0;
    uint32_t room = SEQ_GT(c->snd_una + c->snd_wnd, c->snd_max)
                        ? c->snd_una + c->snd_wnd - c->snd_max : 0;
    uint8_t fl = TH_ACK;
    if (avail > 0 && room > 0 && c->snd_nxt == c->snd_max) {
        /* new data makes the better probe (RFC 8985 7.3) */
        uint32_t len = tcp_min32(tcp_min32(avail, mss), room);
        c->tlp_pending = false;
        c->tlp_done = true;
        c->tcp->stats.tlp++;
        if (uk__tcp_send_seg(c, c->snd_max, len, TH_ACK | TH_PSH) == 0) {
            c->snd_nxt = c->snd_max = c->snd_max + len;
            c->tcp->stats.tx_data += len;
        }
        c->t_rtx = tcp_now(c->tcp) + c->rto;
        return;
    }
    if (c->fin_queued && SEQ_GT(end, c->fin_seq)) {
        end = c->fin_seq; /* the FIN goes with the last bytes */
        fl |= TH_FIN;
    }
    start = end - c->snd_una > mss ? end - mss : c->snd_una;
    c->tlp_pending = false;
    c->tlp_done = true;
    c->tcp->stats.tlp++;
    uk__tcp_send_seg(c, start, end - start, fl);
    c->t_rtx = tcp_now(c->tcp) + c->rto;
}

static void backoff(struct uk_tcpip_tcp_conn *c)
{
    c->rto = c->rto * 2 > c->tcp->cfg.rto_max_ns ? c->tcp->cfg.rto_max_ns
                                                 : c->rto * 2;
}

static void give_up(struct uk_tcpip_tcp_conn *c)
{
    c->tcp->stats.timeouts++;
    if (c->state != TCP_SYN_SENT)
        uk__tcp_send_ctl(c, TH_RST | TH_ACK, c->snd_max);
    uk__tcp_drop(c, UK_ETIMEDOUT);
}

/* Zero-window probe: one byte at snd_una beyond the window. */
static void persist(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if (c->app == APP_ORPHAN && tcp_now(t) - c->idle_since >
                                    t->cfg.user_timeout_ns) {
        give_up(c);
        return;
    }
    uk__tcp_send_ctl(c, TH_ACK, c->snd_una - 1);
    backoff(c);
    c->t_rtx = tcp_now(t) + c->rto;
}

static void rexmit_timeout(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uint64_t now = tcp_now(t);
    if (c->state == TCP_SYN_SENT || c->state == TCP_SYN_RCVD) {
        if (++c->rtx_count > t->cfg.syn_retries) {
            give_up(c);
            return;
        }
        backoff(c);
        uk__tcp_send_ctl(c, c->state == TCP_SYN_SENT ? TH_SYN
                                                     : TH_SYN | TH_ACK,
                         c->iss);
        c->t_rtx = now + c->rto;
        return;
    }
    if (c->snd_una == c->snd_max) {
        if (uk__tcp_window_blocks(c))
            persist(c);
        return;
    }
    if (c->tlp_pending) {
        tail_probe(c);
        return;
    }
    if (c->rtx_start_ns == 0)
        c->rtx_start_ns = now;
    else if (now - c->rtx_start_ns >= t->cfg.user_timeout_ns) {
        give_up(c);
        return;
    }
    t->stats.rto++;
    uk__tcp_cc_reduce(c, true);
    c->in_recovery = false;
    c->dupacks = 0;
    c->recover = c->snd_max;
    /* The first timeout keeps the SACK scoreboard, so going back skips
     * what the peer holds; a second one in a row forgets it (the peer may
     * have reneged, RFC 2018 section 8). */
    if (c->rtx_count > 0) {
        c->nsack = 0;
        c->high_sack = c->snd_una;
    }
    c->snd_nxt = c->snd_una;
    c->rtt_timing = false;
    c->rtx_count++;
    backoff(c);
    c->t_rtx = now + c->rto;
    uk__tcp_output(c);
}

static void keep_timeout(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uint64_t now = tcp_now(t);
    switch (c->state) {
    case TCP_TIME_WAIT:
        c->state = TCP_CLOSED;
        uk__tcp_conn_maybe_free(c);
        return;
    case TCP_FIN_WAIT_2:
        if (c->closed_by_app) {
            uk__tcp_drop(c, UK_ETIMEDOUT);
            return;
        }
        break;
    default:
        break;
    }
    if (c->keepalive_ns == 0 ||
        (c->state != TCP_ESTABLISHED && c->state != TCP_CLOSE_WAIT))
        return;
    if (c->probes == 0 && now < c->idle_since + c->keepalive_ns) {
        c->t_keep = c->idle_since + c->keepalive_ns;
        return;
    }
    if (c->probes >= t->cfg.keepalive_probes) {
        give_up(c);
        return;
    }
    c->probes++;
    uk__tcp_send_ctl(c, TH_ACK, c->snd_una - 1);
    c->t_keep = now + t->cfg.keepalive_intvl_ns;
}

static void timer_cb(void *arg)
{
    struct uk_tcpip_tcp_conn *c = (struct uk_tcpip_tcp_conn *)arg;
    uint64_t now = tcp_now(c->tcp);
    if (c->t_retry <= now) {
        c->t_retry = UK_TIME_NEVER;
        if (c->ctl_pending != 0 && (c->state == TCP_SYN_SENT ||
                                    c->state == TCP_SYN_RCVD))
            uk__tcp_send_ctl(c, c->ctl_pending, c->iss);
        uk__tcp_output(c);
    }
    if (c->t_delack <= now) {
        c->t_delack = UK_TIME_NEVER;
        uk__tcp_send_ack(c);
    }
    if (c->t_rtx <= now) {
        c->t_rtx = UK_TIME_NEVER;
        rexmit_timeout(c);
        if (c->flow.ops == NULL || c->state == TCP_CLOSED)
            return;
    }
    if (c->t_keep <= now) {
        c->t_keep = UK_TIME_NEVER;
        keep_timeout(c);
        if (c->flow.ops == NULL || c->state == TCP_CLOSED)
            return;
    }
    uk__tcp_timer_update(c);
}
