/*
 * tcp_bbr.c - model-based congestion control after BBR (Cardwell et al.,
 * "BBR: Congestion-Based Congestion Control", and the IETF draft
 * draft-ietf-ccwg-bbr), cfg.bbr: the window follows a model of the path,
 * its bottleneck bandwidth times its least round-trip time, not the
 * losses.  A path that drops packets at random (a radio link, a lossy
 * virtual switch) keeps its speed, where a loss-based controller (CUBIC,
 * Reno) halves its window at each loss and, at 5% loss, ends near five
 * segments whatever the path could carry.
 *
 * The model, measured once per round trip (no per-segment records: a
 * round is timed from the send of its marker, the last byte of new data
 * then, to the first ACK or SACK that covers it):
 *   - bandwidth: bytes delivered (ACKed or SACKed) during the round over
 *     its duration; the estimate is the maximum over the last 5-10
 *     rounds (two half windows);
 *   - least RTT: the shortest round in 10 s; when it is that old, one
 *     round runs with a window of 4 segments, draining the queue our own
 *     window built, and its RTT replaces the estimate (PROBE_RTT);
 *   - startup: the window grows by what each ACK delivers (doubling per
 *     round) until three rounds in a row raise the bandwidth by less than
 *     25% (the pipe is full); then the window is 2 x bandwidth x least RTT
 *     (the gain covers delayed and aggregated ACKs) plus 3 segments.
 * Not done: pacing (the window alone limits the sending, in bursts a
 * device with segmentation offload takes whole anyway) and hence the
 * pacing-gain cycle that probes for more bandwidth: the window's gain of
 * 2 keeps a round's worth of data queued, so more bandwidth shows in the
 * next round's sample.
 *
 * Losses do not shrink the window: recovery (RFC 6675) resends the holes
 * within it.  A retransmission timeout restarts it from one segment,
 * regrowing by what each ACK delivers up to the model's window.
 */
#include "tcp_internal.h"

#define HIGH_GAIN_1024 2955u  /* 2 / ln 2: startup doubles each round */
#define CWND_GAIN_1024 2048u
#define BW_HALF_ROUNDS 5u     /* the bandwidth filter spans 5-10 rounds */
#define FULL_BW_ROUNDS 3u     /* rounds below 25% growth: the pipe is full */
#define MIN_RTT_WINDOW_MS 10000u
#define MIN_CWND_SEGS 4u
#define CWND_MAX (1u << 30)

enum { STARTUP, PROBE_BW, PROBE_RTT }; /* c->bbr_phase */

static uint32_t bw_estimate(const struct uk_tcpip_tcp_conn *c)
{
    return c->cc.bbr.bw_cur > c->cc.bbr.bw_prev ? c->cc.bbr.bw_cur
                                                : c->cc.bbr.bw_prev;
}

void uk__tcp_bbr_sent(struct uk_tcpip_tcp_conn *c)
{
    if (c->cc.bbr.round_ns != 0)
        return; /* a round runs: its marker stays */
    c->cc.bbr.round_ns = tcp_now(c->tcp) | 1; /* never 0: "none" */
    if (c->cc.bbr.prev_round_ns == 0)
        c->cc.bbr.prev_round_ns = c->cc.bbr.round_ns;
    c->cc.bbr.round_end = c->snd_max;
    c->cc.bbr.round_delivered = c->cc.bbr.delivered;
}

/* The round whose marker the peer now holds ends: a bandwidth and an RTT
 * sample, the phase changes they cause.  The bytes delivered in the round
 * were sent between the previous round's marker and this one's: the rate
 * divides them by the longer of that time and the round's own (as Linux's
 * rate sampler does: an ACK held back and then covering much at once must
 * not read as a burst of bandwidth). */
static void round_done(struct uk_tcpip_tcp_conn *c, uint64_t now)
{
    uint64_t dt = now > c->cc.bbr.round_ns ? now - c->cc.bbr.round_ns : 1;
    uint64_t sent = c->cc.bbr.round_ns - c->cc.bbr.prev_round_ns;
    uint64_t rate = (uint64_t)(c->cc.bbr.delivered -
                               c->cc.bbr.round_delivered) *
                    UK_NS_PER_MS / (sent > dt ? sent : dt);
    uint32_t ms = tcp_ms(c->tcp), rtt = dt > 0xffffffffu ? 0xffffffffu
                                                         : (uint32_t)dt;
    bool stale = ms - c->cc.bbr.min_rtt_ms > MIN_RTT_WINDOW_MS;
    if (rate > 0xffffffffu)
        rate = 0xffffffffu;
    if ((uint32_t)rate > c->cc.bbr.bw_cur)
        c->cc.bbr.bw_cur = (uint32_t)rate;
    if (++c->bbr_rounds >= BW_HALF_ROUNDS) {
        c->cc.bbr.bw_prev = c->cc.bbr.bw_cur;
        c->cc.bbr.bw_cur = 0;
        c->bbr_rounds = 0;
    }
    if (c->bbr_phase == PROBE_RTT) {
        /* the round at 4 segments: its RTT has no queue of ours in it */
        c->cc.bbr.min_rtt_ns = rtt;
        c->cc.bbr.min_rtt_ms = ms;
        c->bbr_phase = PROBE_BW;
    } else if (c->cc.bbr.min_rtt_ns == 0 || rtt <= c->cc.bbr.min_rtt_ns) {
        c->cc.bbr.min_rtt_ns = rtt;
        c->cc.bbr.min_rtt_ms = ms;
    } else if (stale && c->bbr_phase == PROBE_BW) {
        c->bbr_phase = PROBE_RTT;
    }
    if (c->bbr_phase == STARTUP) {
        uint32_t w = bw_estimate(c);
        if (w >= c->cc.bbr.full_bw + c->cc.bbr.full_bw / 4) {
            c->cc.bbr.full_bw = w;
            c->bbr_flat = 0;
        } else if (++c->bbr_flat >= FULL_BW_ROUNDS) {
            c->bbr_phase = PROBE_BW;
        }
    }
}

/* gain (in 1/1024) x bandwidth x least RTT, plus three sends' worth for
 * the device and the peer's ACKs to work on (Linux's quantization
 * budget): a millisecond at the estimated bandwidth, at least two
 * segments and at most what one send carries (a super-segment with
 * segmentation offload); 0 while the model has no sample. */
static uint32_t model_cwnd(const struct uk_tcpip_tcp_conn *c, uint32_t mss,
                           uint32_t gain)
{
    uint64_t bw = bw_estimate(c), quantum = bw;
    uint64_t bdp = bw * c->cc.bbr.min_rtt_ns / UK_NS_PER_MS;
    uint64_t most = c->tcp->tso_max > mss ? c->tcp->tso_max : mss, w;
    if (c->cc.bbr.min_rtt_ns == 0)
        return 0;
    if (quantum > most)
        quantum = most;
    if (quantum < 2u * (uint64_t)mss)
        quantum = 2u * (uint64_t)mss;
    w = bdp * gain / 1024 + 3u * quantum;
    return w > CWND_MAX ? CWND_MAX : (uint32_t)w;
}

void uk__tcp_bbr_ack(struct uk_tcpip_tcp_conn *c, uint32_t delivered)
{
    uint32_t mss = (uint32_t)uk__tcp_eff_mss(c), target, floor;
    uint32_t high = SEQ_GT(c->high_sack, c->snd_una) ? c->high_sack
                                                     : c->snd_una;
    uint64_t cw = c->cwnd;
    c->cc.bbr.delivered += delivered;
    if (c->cc.bbr.round_ns != 0 && SEQ_GEQ(high, c->cc.bbr.round_end)) {
        round_done(c, tcp_now(c->tcp));
        c->cc.bbr.prev_round_ns = c->cc.bbr.round_ns;
        c->cc.bbr.round_ns = 0;
    }
    floor = MIN_CWND_SEGS * mss;
    switch (c->bbr_phase) {
    case STARTUP:
        target = model_cwnd(c, mss, HIGH_GAIN_1024);
        if (target == 0 || cw < target)
            cw += delivered;
        break;
    case PROBE_BW:
        target = model_cwnd(c, mss, CWND_GAIN_1024);
        cw += delivered;
        if (target != 0 && cw > target)
            cw = target;
        break;
    default: /* PROBE_RTT */
        cw = floor;
        break;
    }
    if (cw < floor)
        cw = floor;
    c->cwnd = cw > CWND_MAX ? CWND_MAX : (uint32_t)cw;
}

void uk__tcp_bbr_loss(struct uk_tcpip_tcp_conn *c, bool timeout)
{
    /* recovery keeps the window (new_ack restores ssthresh at its end) */
    c->ssthresh = c->cwnd;
    if (timeout)
        c->cwnd = (uint32_t)uk__tcp_eff_mss(c);
}
