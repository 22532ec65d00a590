/*
 * tcp_cc.c - congestion control: window growth on new ACKs (slow start,
 * then CUBIC, RFC 9438, or NewReno's congestion avoidance, RFC 5681, with
 * cfg.newreno), the reduction when a loss is detected or the retransmission
 * timer expires, and the undo of a reduction that a spurious retransmission
 * caused: the first ACK covering the retransmitted data echoes, in its
 * timestamp, the original transmission rather than the retransmission
 * (Eifel detection, RFC 3522); the window and threshold are then restored
 * (RFC 4015's response, without its sequence number changes).
 *
 * All arithmetic is integer: windows in bytes, CUBIC's time in ms, its
 * constants C = 0.4 segment/s^3, beta = 0.7 (717/1024) and the
 * Reno-friendly alpha = 3 (1 - beta) / (1 + beta) (542/1024).
 */
#include "tcp_internal.h"

#define BETA_1024 717u
#define ALPHA_1024 542u
#define CWND_MAX (1u << 30)
#define D_MAX_MS 1000000 /* |t - K| beyond 1000 s is clamped */

/* The integer cube root of x (x < 2^63). */
static uint32_t cbrt64(uint64_t x)
{
    uint64_t r = 0;
    int b;
    for (b = 20; b >= 0; b--) {
        uint64_t t = r | ((uint64_t)1 << b);
        if (t * t * t <= x)
            r = t;
    }
    return (uint32_t)r;
}

/* Starts a CUBIC epoch at the current window (RFC 9438 4.2): K is the
 * time the curve takes to climb from cwnd back to W_max. */
static void cubic_epoch(struct uk_tcpip_tcp_conn *c, uint32_t mss,
                        uint64_t now)
{
    c->cc.cubic.epoch_ns = now;
    c->cc.cubic.w_est = (uint64_t)c->cwnd << 10;
    if (c->cwnd < c->cc.cubic.w_max) {
        /* K^3 = (W_max - cwnd) / C, in ms^3: segments * 1e9 / 0.4 */
        uint64_t d = (uint64_t)(c->cc.cubic.w_max - c->cwnd);
        c->cc.cubic.k_ms = cbrt64(d * 2500000000ull / mss);
        c->cc.cubic.origin = c->cc.cubic.w_max;
    } else {
        c->cc.cubic.k_ms = 0;
        c->cc.cubic.origin = c->cwnd;
    }
}

/* W_cubic(t) = C (t - K)^3 + W_max, in bytes, t and K in ms. */
static uint64_t cubic_w(const struct uk_tcpip_tcp_conn *c, uint32_t mss,
                        int64_t t_ms)
{
    int64_t d = t_ms - (int64_t)c->cc.cubic.k_ms, msegs, off;
    if (d > D_MAX_MS)
        d = D_MAX_MS;
    if (d < -D_MAX_MS)
        d = -D_MAX_MS;
    msegs = d * d * d * 4 / 10000000; /* 0.4 d^3 / 1e9 segments, in 1/1000 */
    off = msegs * (int64_t)mss / 1000;
    if (off < 0 && (uint64_t)-off >= c->cc.cubic.origin)
        return 0;
    return (uint64_t)((int64_t)c->cc.cubic.origin + off);
}

static void cubic_avoid(struct uk_tcpip_tcp_conn *c, uint32_t acked,
                        uint32_t mss)
{
    uint64_t now = tcp_now(c->tcp), target, w_est, alpha;
    int64_t t_ms;
    if (c->cc.cubic.epoch_ns == 0)
        cubic_epoch(c, mss, now);
    /* the Reno-friendly region (4.3): alpha per RTT, 1 above W_max */
    alpha = (c->cc.cubic.w_est >> 10) >= c->cc.cubic.w_max ? 1024u : ALPHA_1024;
    c->cc.cubic.w_est += alpha * acked * mss / c->cwnd;
    w_est = c->cc.cubic.w_est >> 10;
    t_ms = (int64_t)((now - c->cc.cubic.epoch_ns) / UK_NS_PER_MS);
    if (w_est > cubic_w(c, mss, t_ms)) {
        if (w_est > c->cwnd)
            c->cwnd = (uint32_t)(w_est < CWND_MAX ? w_est : CWND_MAX);
        return;
    }
    /* concave and convex regions (4.4, 4.5): toward W_cubic(t + RTT),
     * at most 1.5 cwnd */
    target = cubic_w(c, mss, t_ms + (int64_t)(c->srtt / UK_NS_PER_MS));
    if (target > (uint64_t)c->cwnd + c->cwnd / 2)
        target = (uint64_t)c->cwnd + c->cwnd / 2;
    if (target > c->cwnd)
        c->cwnd += (uint32_t)((target - c->cwnd) * acked / c->cwnd);
}

void uk__tcp_cc_ack(struct uk_tcpip_tcp_conn *c, uint32_t acked)
{
    uint32_t mss = (uint32_t)uk__tcp_eff_mss(c);
    uint64_t now = tcp_now(c->tcp);
    if (c->tcp->cfg.bbr)
        return; /* its model sees every ACK (uk__tcp_bbr_ack) */
    /* Grow only a window in use (RFC 7661's idea): an application-limited
     * flow keeps its window, and CUBIC's clock stops meanwhile. */
    if (uk__tcp_flight(c) + acked + 3 * mss < c->cwnd) {
        if (c->cc.cubic.epoch_ns != 0 && c->cc.cubic.last_ns != 0)
            c->cc.cubic.epoch_ns += now - c->cc.cubic.last_ns;
        c->cc.cubic.last_ns = now;
        return;
    }
    c->cc.cubic.last_ns = now;
    if (c->cwnd < c->ssthresh) {
        c->cwnd += tcp_min32(acked, 2 * mss); /* RFC 3465, L = 2 */
    } else if (c->tcp->cfg.newreno) {
        c->cwnd_acc += acked;
        if (c->cwnd_acc >= c->cwnd) {
            c->cwnd_acc -= c->cwnd;
            c->cwnd += mss;
        }
    } else {
        cubic_avoid(c, acked, mss);
    }
    if (c->cwnd > CWND_MAX)
        c->cwnd = CWND_MAX;
}

/* Remembers what a reduction replaces, once per episode: the first
 * retransmission's timestamp is the one an ACK is compared with. */
static void undo_save(struct uk_tcpip_tcp_conn *c)
{
    if (c->cc.cubic.undo_ok || !c->ts_ok || c->tcp->cfg.no_undo)
        return;
    c->cc.cubic.undo_ok = true;
    c->cc.cubic.undo_cwnd = c->cwnd;
    c->cc.cubic.undo_ssthresh = c->ssthresh;
    c->cc.cubic.undo_w_max = c->cc.cubic.w_max;
    c->cc.cubic.undo_tsval = tcp_ms(c->tcp) + c->ts_offset;
}

void uk__tcp_cc_reduce(struct uk_tcpip_tcp_conn *c, bool timeout)
{
    uint32_t mss = (uint32_t)uk__tcp_eff_mss(c), fl = uk__tcp_flight(c);
    uint32_t th;
    if (c->tcp->cfg.bbr) {
        uk__tcp_bbr_loss(c, timeout);
        return;
    }
    undo_save(c);
    if (c->tcp->cfg.newreno) {
        th = fl / 2;
    } else {
        /* fast convergence (4.7): yield to newer flows after a loss
         * below the last W_max */
        if (c->cwnd < c->cc.cubic.w_max)
            c->cc.cubic.w_max =
                (uint32_t)((uint64_t)c->cwnd * (1024 + BETA_1024) / 2048);
        else
            c->cc.cubic.w_max = c->cwnd;
        th = (uint32_t)((uint64_t)fl * BETA_1024 / 1024);
    }
    c->ssthresh = th > 2 * mss ? th : 2 * mss;
    c->cwnd = timeout ? mss : c->ssthresh;
    c->cwnd_acc = 0;
    c->cc.cubic.epoch_ns = 0;
}

void uk__tcp_cc_undo_check(struct uk_tcpip_tcp_conn *c,
                           const struct tcp_seg *s)
{
    if (c->tcp->cfg.bbr || !c->cc.cubic.undo_ok)
        return;
    c->cc.cubic.undo_ok = false; /* decided by the first ACK of new data */
    if (!s->has_ts || s->tsecr == 0 ||
        !SEQ_LT(s->tsecr, c->cc.cubic.undo_tsval))
        return;
    /* it echoes a transmission older than the retransmission: the
     * original arrived, the reduction was for nothing */
    c->tcp->stats.spurious_undo++;
    if (c->cwnd < c->cc.cubic.undo_cwnd)
        c->cwnd = c->cc.cubic.undo_cwnd;
    if (c->ssthresh < c->cc.cubic.undo_ssthresh)
        c->ssthresh = c->cc.cubic.undo_ssthresh;
    c->cc.cubic.w_max = c->cc.cubic.undo_w_max;
    c->cc.cubic.epoch_ns = 0;
}
