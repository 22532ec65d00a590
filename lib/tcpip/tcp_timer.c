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
    if (c->t_rack < d)
        d = c->t_rack;
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
    c->t_rack = UK_TIME_NEVER;
    uk_time_cancel(c->tcp->time, &c->timer);
}

/* A tail loss probe (after RFC 8985 section 7) is due sooner than the
 * RTO when data is in flight and nothing else would reveal a lost tail:
 * up to TLP_MAX probes per flight of progress (see probe_sent), after the
 * PTO below. */
#define TLP_MAX 8u /* probes before the RTO (fewer if the PTO reaches it) */

static bool tlp_eligible(const struct uk_tcpip_tcp_conn *c)
{
    /* in recovery only with no retransmission outstanding (RACK watches
     * those): a partial ACK that leaves no SACKed data shows no hole */
    return c->sack_ok && c->tlps < TLP_MAX &&
           (!c->in_recovery || !SEQ_GT(c->rtx_high, c->snd_una)) &&
           c->rtx_count == 0 && c->srtt != 0 && c->snd_una != c->snd_max &&
           (c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT ||
            c->state == TCP_FIN_WAIT_1 || c->state == TCP_LAST_ACK);
}

/* PTO = 2 SRTT (RFC 8985 7.2) plus the peer's delayed-ACK time when at
 * most one segment is out.  A probe too early mostly sends new data: it
 * costs little; one too late, on a LAN whose RTT is tens of microseconds,
 * is where a lossy transfer spends its time. */
static uint64_t pto(const struct uk_tcpip_tcp_conn *c)
{
    uint64_t p = 2 * c->srtt;
    if (uk__tcp_flight(c) <= uk__tcp_eff_mss(c))
        return p + c->tcp->cfg.delack_ns;
    return p;
}

void uk__tcp_set_rtx(struct uk_tcpip_tcp_conn *c)
{
    if (c->t_rtx != UK_TIME_NEVER && c->tlp_pending) {
        /* more went out since the probe was armed for a single segment:
         * no delayed ACK to wait for any more (7.2 restarts the PTO on
         * new data; this only ever brings it nearer) */
        uint64_t d = tcp_now(c->tcp) + pto(c);
        if (d < c->t_rtx) {
            c->t_rtx = d;
            uk__tcp_timer_update(c);
        }
        return;
    }
    if (c->t_rtx == UK_TIME_NEVER) {
        uint64_t d = c->rto;
        c->tlp_pending = false;
        if (tlp_eligible(c)) {
            uint64_t p = pto(c);
            if (p < d) {
                d = p;
                c->tlp_pending = true;
            }
        }
        c->t_rtx = tcp_now(c->tcp) + d;
        uk__tcp_timer_update(c);
    }
}

/* After a probe: the next one (PTO doubled), or the RTO once TLP_MAX
 * probes went unanswered.  RFC 8985 sends one; more cost a segment each
 * where a lost probe (or its lost ACK) would otherwise cost a whole RTO,
 * at least cfg.rto_min_ns, on paths whose RTT is far below it (where it
 * is not, the doubled PTO soon reaches the RTO and no probe goes).  With
 * 5% loss both ways, three unanswered in a row came about twice per
 * 256 MiB over TAP, each a 200 ms stall; eight, about never. */
static void probe_sent(struct uk_tcpip_tcp_conn *c)
{
    c->tcp->stats.tlp++;
    c->tlps++;
    c->tlp_pending = false;
    c->t_rtx = tcp_now(c->tcp) + c->rto;
    if (c->tlps < TLP_MAX && tlp_eligible(c)) {
        uint64_t d = pto(c) << c->tlps;
        if (d < c->rto) {
            c->t_rtx = tcp_now(c->tcp) + d;
            c->tlp_pending = true;
        }
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
        if (uk__tcp_send_seg(c, c->snd_max, len, TH_ACK | TH_PSH) == 0) {
            c->snd_nxt = c->snd_max = c->snd_max + len;
            c->tcp->stats.tx_data += len;
        }
        probe_sent(c);
        return;
    }
    if (c->fin_queued && SEQ_GT(end, c->fin_seq)) {
        end = c->fin_seq; /* the FIN goes with the last bytes */
        fl |= TH_FIN;
    }
    start = end - c->snd_una > mss ? end - mss : c->snd_una;
    c->rtt_timing = false; /* a resend: its ACK times neither (Karn) */
    uk__tcp_send_seg(c, start, end - start, fl);
    probe_sent(c);
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
    c->rack_sack_ns = 0;
    c->t_rack = UK_TIME_NEVER;
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
    if (c->t_rack <= now) {
        c->t_rack = UK_TIME_NEVER;
        uk__tcp_rack_timeout(c);
        if (c->flow.ops == NULL || c->state == TCP_CLOSED)
            return;
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
