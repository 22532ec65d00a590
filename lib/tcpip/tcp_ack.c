/*
 * tcp_ack.c - what an acknowledgment does on the sending side: validation
 * (RFC 5961 5.2), RTT measurement and RTO (RFC 6298, RFC 7323), freeing
 * the send ring, the SACK scoreboard (RFC 2018), loss recovery entry
 * (RFC 5681, 6582, 6675; the window itself is tcp_cc.c's), window updates and
 * the closing-state transitions that our FIN being acknowledged causes.
 */
#include "tcp_internal.h"

/* RTO = SRTT + max(G, 4 RTTVAR), clamped (RFC 6298 2.3, 2.4, 2.5). */
static void set_rto(struct uk_tcpip_tcp_conn *c)
{
    const struct uk_tcpip_tcp_config *cfg = &c->tcp->cfg;
    uint64_t var = 4 * c->rttvar > UK_NS_PER_MS ? 4 * c->rttvar
                                                : UK_NS_PER_MS;
    c->rto = c->srtt + var;
    if (c->rto < cfg->rto_min_ns)
        c->rto = cfg->rto_min_ns;
    if (c->rto > cfg->rto_max_ns)
        c->rto = cfg->rto_max_ns;
}

void uk__tcp_rtt_sample(struct uk_tcpip_tcp_conn *c, uint64_t rtt)
{
    if (c->srtt == 0) {
        c->srtt = rtt > 0 ? rtt : 1;
        c->rttvar = rtt / 2;
    } else {
        uint64_t err = c->srtt > rtt ? c->srtt - rtt : rtt - c->srtt;
        c->rttvar = (3 * c->rttvar + err) / 4;
        c->srtt = (7 * c->srtt + rtt) / 8;
        if (c->srtt == 0)
            c->srtt = 1;
    }
    set_rto(c);
}

/* Adds a SACK block to the scoreboard (sorted, merged, bounded). */
static void sack_add(struct uk_tcpip_tcp_conn *c, uint32_t s, uint32_t e)
{
    unsigned i = 0, j;
    if (SEQ_LT(s, c->snd_una))
        s = c->snd_una;
    if (SEQ_GT(e, c->snd_max) || SEQ_LEQ(e, s))
        return;
    if (SEQ_GT(e, c->high_sack))
        c->high_sack = e;
    while (i < c->nsack) {
        if (SEQ_LEQ(c->sack[i].start, e) && SEQ_GEQ(c->sack[i].end, s)) {
            if (SEQ_LT(c->sack[i].start, s))
                s = c->sack[i].start;
            if (SEQ_GT(c->sack[i].end, e))
                e = c->sack[i].end;
            for (j = i; j + 1 < c->nsack; j++)
                c->sack[j] = c->sack[j + 1];
            c->nsack--;
            continue;
        }
        i++;
    }
    for (i = 0; i < c->nsack && SEQ_LT(c->sack[i].start, s); i++)
        ;
    if (c->nsack == UK_TCPIP_TCP_SACK) {
        if (i == c->nsack)
            return; /* highest: forget it (it is retransmitted) */
        c->nsack--;
    }
    for (j = c->nsack; j > i; j--)
        c->sack[j] = c->sack[j - 1];
    c->sack[i].start = s;
    c->sack[i].end = e;
    c->nsack++;
}

static uint32_t sacked_bytes(const struct uk_tcpip_tcp_conn *c)
{
    uint32_t n = 0;
    unsigned i;
    for (i = 0; i < c->nsack; i++)
        n += c->sack[i].end - c->sack[i].start;
    return n;
}

/* Drops scoreboard entries below snd_una. */
static void sack_trim(struct uk_tcpip_tcp_conn *c)
{
    unsigned i = 0, j;
    while (i < c->nsack) {
        if (SEQ_LEQ(c->sack[i].end, c->snd_una)) {
            for (j = i; j + 1 < c->nsack; j++)
                c->sack[j] = c->sack[j + 1];
            c->nsack--;
            continue;
        }
        if (SEQ_LT(c->sack[i].start, c->snd_una))
            c->sack[i].start = c->snd_una;
        i++;
    }
    if (SEQ_LT(c->high_sack, c->snd_una))
        c->high_sack = c->snd_una;
    if (SEQ_LT(c->rtx_high, c->snd_una))
        c->rtx_high = c->snd_una;
    if (SEQ_LT(c->lost_high, c->snd_una))
        c->lost_high = c->snd_una;
}

#define TS_RTT_MIN_MS 4u /* timestamp RTT samples below are too coarse */

static void new_ack(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uint32_t acked = s->ack - c->snd_una, data = acked;
    /* The timed segment's sample is exact; an echoed timestamp's is in
     * whole ms, used only where that matters little (RTTs of a LAN would
     * read 0 or 1 ms, and the PTO and RACK windows follow SRTT). */
    if (c->rtt_timing && SEQ_GT(s->ack, c->rtt_seq)) {
        c->rtt_timing = false;
        uk__tcp_rtt_sample(c, tcp_now(t) - c->rtt_start_ns);
    } else if (c->ts_ok && s->has_ts && s->tsecr != 0) {
        uint32_t ms = tcp_ms(t) + c->ts_offset - s->tsecr;
        if (ms >= TS_RTT_MIN_MS)
            uk__tcp_rtt_sample(c, (uint64_t)ms * UK_NS_PER_MS);
    }
    if (c->fin_queued && SEQ_GT(s->ack, c->fin_seq)) {
        data--;
        c->fin_acked = true;
    }
    if (data > c->slen)
        data = (uint32_t)c->slen;
    c->shead = (c->shead + data) % c->ssize;
    c->slen -= data;
    if (c->slen == 0) {
        c->shead = 0; /* empty: the next data reuses the ring's (cached)
                       * start instead of walking through all of it */
        uk__tcp_sring_drained(c);
    }
    c->snd_una = s->ack;
    if (SEQ_LT(c->snd_nxt, c->snd_una))
        c->snd_nxt = c->snd_una;
    sack_trim(c);
    if (c->in_recovery) {
        if (SEQ_GEQ(s->ack, c->recover)) {
            c->in_recovery = false;
            c->cwnd = c->ssthresh;
            c->dupacks = 0;
        } else if (!c->sack_ok) {
            c->dupacks = 0; /* NewReno partial ACK: resend the next hole */
            c->rtx_high = c->snd_una;
        } else {
            if (SEQ_LT(c->snd_una, c->rtx_high))
                c->rack_rtx_ns = tcp_now(t); /* resent: when, unknown */
            /* a partial ACK: the segment at snd_una, not yet resent, is
             * lost and goes out now (RFC 6582 3.2 step 3), whatever
             * the SACKed bytes above it (only the most recent blocks
             * are reported: more holes would be guesses) */
            c->lost_high = c->snd_una + 1;
        }
    } else {
        c->dupacks = 0;
        uk__tcp_cc_ack(c, acked);
        c->recover = c->snd_una;
    }
    uk__tcp_cc_undo_check(c, s);
    c->rtx_count = 0;
    c->rtx_start_ns = 0;
    c->rack_sack_ns = 0;
    c->rack_fires = 0;
    c->tlps = 0;
    if (c->srtt != 0)
        set_rto(c); /* progress: undo the back-off */
    c->t_rtx = UK_TIME_NEVER;
    if (c->snd_una != c->snd_max)
        uk__tcp_set_rtx(c);
    uk__tcp_fill_send(c);
}

bool uk__tcp_ack_input(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s)
{
    uint32_t mss = (uint32_t)uk__tcp_eff_mss(c), wnd, held;
    unsigned k;
    bool dup;
    if (SEQ_GT(s->ack, c->snd_max)) {
        uk__tcp_send_ack(c);
        return false;
    }
    if (SEQ_LT(s->ack, c->snd_una - (c->max_snd_wnd > 65535u
                                          ? c->max_snd_wnd : 65535u))) {
        uk__tcp_send_ack(c);
        return false;
    }
    /* what the peer holds, for BBR's delivery count only */
    held = c->tcp->cfg.bbr ? c->snd_una + sacked_bytes(c) : 0;
    wnd = (uint32_t)s->wnd << c->snd_ws;
    dup = s->ack == c->snd_una && s->len == 0 &&
          !(s->flags & (TH_SYN | TH_FIN)) && wnd == c->snd_wnd &&
          c->snd_una != c->snd_max;
    if (c->sack_ok)
        for (k = 0; k < s->nsack; k++)
            if (SEQ_GT(s->sack[k][0], c->snd_una))
                sack_add(c, s->sack[k][0], s->sack[k][1]);
    if (SEQ_GT(s->ack, c->snd_una))
        new_ack(c, s);
    else if (dup)
        c->dupacks++;
    if (SEQ_LT(c->snd_wl1, s->seq) ||
        (c->snd_wl1 == s->seq && SEQ_LEQ(c->snd_wl2, s->ack))) {
        c->snd_wnd = wnd;
        if (wnd > c->max_snd_wnd)
            c->max_snd_wnd = wnd;
        c->snd_wl1 = s->seq;
        c->snd_wl2 = s->ack;
    }
    /* NewReno (RFC 6582) waits for the cumulative ACK to pass `recover`
     * before another fast retransmit; with SACK the scoreboard tells real
     * holes from duplicates, so SACK-based recovery may start at once */
    if (!c->in_recovery && c->snd_una != c->snd_max &&
        ((SEQ_GEQ(c->snd_una, c->recover) && c->dupacks >= 3) ||
         (c->sack_ok && sacked_bytes(c) >= 3 * mss &&
          SEQ_GEQ(c->snd_nxt, c->high_sack))))
        uk__tcp_enter_recovery(c);
    /* A retransmission is lost again when data sent after it has been
     * SACKed while its hole is still open (the idea of RACK, RFC 8985):
     * walk the holes again rather than wait for a timeout. */
    if (c->in_recovery && c->sack_ok && SEQ_GT(c->high_sack, c->rtx_sent_max)
        && SEQ_GT(c->rtx_high, c->snd_una)) {
        c->rtx_high = c->snd_una;
        c->rtx_sent_max = c->snd_max;
    }
    if (c->tcp->cfg.bbr) {
        uint32_t now_held = c->snd_una + sacked_bytes(c);
        uk__tcp_bbr_ack(c, SEQ_GT(now_held, held) ? now_held - held : 0);
    }
    uk__tcp_rack_arm(c);
    if (!c->fin_acked)
        return true;
    switch (c->state) {
    case TCP_FIN_WAIT_1:
        c->state = TCP_FIN_WAIT_2;
        if (c->closed_by_app) {
            c->t_keep = tcp_now(c->tcp) + c->tcp->cfg.fin_wait2_ns;
            uk__tcp_timer_update(c);
        }
        return true;
    case TCP_CLOSING:
        uk__tcp_enter_time_wait(c);
        return false;
    case TCP_LAST_ACK:
        uk__tcp_drop(c, 0);
        return false;
    default:
        return true;
    }
}
