/*
 * tcp_out.c - sending: the receive window we advertise (with receiver-side
 * silly window avoidance), building a segment from the send ring, and the
 * output routine deciding what to send now (Nagle, sender SWS avoidance,
 * congestion and receive windows, SACK-based retransmission in recovery,
 * FIN).  Over a device with segmentation offload, new data (and data
 * resent after a timeout) goes in super-segments of up to 64 KiB, and so
 * do recovery retransmissions of holes that the window has room for;
 * fast retransmits and probes stay one segment each.
 */
#include "tcp_internal.h"

size_t uk__tcp_eff_mss(const struct uk_tcpip_tcp_conn *c)
{
    return (size_t)c->mss - (c->ts_ok ? 12u : 0u);
}

uint16_t uk__tcp_our_mss(struct uk_tcpip_tcpv4 *t)
{
    size_t m = uk_ipv4_mtu(t->ip); /* the IP header is already off */
    if (m < TCP_HLEN + 64)
        return 64;
    return (uint16_t)(m - TCP_HLEN > 65535 ? 65535 : m - TCP_HLEN);
}

/* SACK blocks an ACK of c carries (RFC 2018: three beside timestamps). */
static unsigned sack_blocks(const struct uk_tcpip_tcp_conn *c)
{
    unsigned most = c->ts_ok ? 3u : 4u;
    if (!c->sack_ok)
        return 0;
    return c->nooo < most ? c->nooo : most;
}

/* The largest payload of a segment of c now: its MSS less the options it
 * carries, timestamps and SACK blocks (RFC 6691), so IP never fragments. */
static uint32_t seg_max(const struct uk_tcpip_tcp_conn *c)
{
    unsigned k = sack_blocks(c);
    uint32_t m = (uint32_t)uk__tcp_eff_mss(c), opt = k ? 4 + 8 * k : 0;
    return m > opt + 64 ? m - opt : 64;
}

/* The largest segment output builds now: seg_max bytes or, over a device
 * with segmentation offload (uk/ipv4.h tso_max), a super-segment of whole
 * MSS-sized segments up to what the device takes and at most half the
 * congestion window (two segments at least).  A receiver with receive
 * offload (Linux behind a TAP) acknowledges each super-segment once: two
 * or more per window keep one lost ACK from stalling the flight until a
 * tail probe, and let the peer's receiving overlap our sending. */
static uint32_t send_max(const struct uk_tcpip_tcp_conn *c)
{
    size_t t = c->tcp->tso_max, hl = TCP_HLEN + (c->ts_ok ? 12u : 0u);
    size_t mss = uk__tcp_eff_mss(c), most, half;
    if (t < hl + 2 * mss)
        return seg_max(c);
    most = (t - hl) / mss * mss;
    half = c->cwnd / 2 / mss * mss;
    if (half < 2 * mss)
        half = 2 * mss;
    return (uint32_t)(half < most ? half : most);
}

uint32_t uk__tcp_flight(const struct uk_tcpip_tcp_conn *c)
{
    return c->snd_max - c->snd_una;
}

uint16_t uk__tcp_rcv_window(struct uk_tcpip_tcp_conn *c)
{
    uint32_t used = c->rcv_nxt - c->read_seq;
    uint32_t freeb = (uint32_t)uk__tcp_rcv_space(c, used), thresh, win;
    thresh = tcp_min32((uint32_t)c->rsize / 2, c->rmss ? c->rmss : 536);
    if (SEQ_GT(c->rcv_adv, c->rcv_nxt)) {
        /* don't move the right edge by less than thresh (RFC 1122) */
        if (c->rcv_nxt + freeb - c->rcv_adv < thresh)
            freeb = c->rcv_adv - c->rcv_nxt;
    } else if (freeb < thresh) {
        freeb = 0;
    }
    win = freeb >> c->rcv_ws;
    return (uint16_t)(win > TCP_MAX_WIN ? TCP_MAX_WIN : win);
}

/* Sends one segment of c: len bytes of the ring from seq (0 for none). */
int uk__tcp_send_seg(struct uk_tcpip_tcp_conn *c, uint32_t seq, size_t len,
                    uint8_t flags)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    struct tcp_out o;
    size_t roff = 0;
    unsigned k;
    int rc;
    memset(&o, 0, sizeof o);
    o.seq = seq;
    o.ack = c->rcv_nxt;
    o.flags = flags;
    if (c->state != TCP_SYN_SENT || !(flags & TH_SYN))
        o.flags |= (flags & TH_RST) && !(flags & TH_ACK) ? 0 : TH_ACK;
    if (flags & TH_SYN) {
        bool active = c->state == TCP_SYN_SENT;
        o.wnd = (uint16_t)(c->rsize > TCP_MAX_WIN ? TCP_MAX_WIN : c->rsize);
        o.mss = true;
        o.mss_val = uk__tcp_our_mss(t);
        o.ws = active ? !t->cfg.no_wscale : c->ws_ok;
        o.ws_val = c->rcv_ws;
        o.sack_perm = active ? !t->cfg.no_sack : c->sack_ok;
        o.ts = active ? !t->cfg.no_timestamps : c->ts_ok;
    } else if (!(flags & TH_RST)) {
        uint16_t w = uk__tcp_rcv_window(c);
        o.wnd = w;
        o.ts = c->ts_ok;
        if (c->sack_ok) {
            /* as many blocks as fit beside len bytes of payload */
            uint32_t room = (uint32_t)c->mss - (o.ts ? 12u : 0u);
            unsigned most = sack_blocks(c);
            room = room > len ? room - (uint32_t)len : 0;
            if (room < 12)
                most = 0;
            else if (most > (room - 4) / 8)
                most = (room - 4) / 8;
            for (k = 0; k < most; k++) {
                o.sack[k][0] = c->ooo[k].start;
                o.sack[k][1] = c->ooo[k].end;
            }
            o.nsack = k;
        }
    } else {
        o.ts = c->ts_ok;
    }
    if (o.ts) {
        o.tsval = tcp_ms(t) + c->ts_offset;
        if ((flags & TH_SYN) && c->state == TCP_SYN_RCVD) /* a cookie */
            o.tsval = uk__tcp_synack_tsval(o.tsval, c->ws_ok, c->snd_ws,
                                           c->sack_ok);
        o.tsecr = c->ts_recent;
    }
    if (len > uk__tcp_eff_mss(c) && t->tso_max != 0)
        o.tso_mss = (uint16_t)uk__tcp_eff_mss(c); /* only from send_max */
    if (len > 0)
        roff = (c->shead + (seq - c->snd_una)) % c->ssize;
    rc = uk__tcp_send_raw(t, c->lip, c->rip, c->lport, c->rport, &o, c->sbuf,
                          c->ssize, roff, len);
    if (rc != 0) {
        if (rc == UK_ENOBUFS && (flags & TH_SYN))
            c->ctl_pending = flags; /* resent when buffers return */
        if (rc == UK_ENOBUFS && c->t_retry == UK_TIME_NEVER) {
            c->t_retry = tcp_now(t) + UK_NS_PER_MS;
            uk__tcp_timer_update(c);
        }
        return rc;
    }
    if (flags & TH_SYN) {
        c->ctl_pending = 0;
        if (c->rtx_count == 0) /* times the handshake (Karn: first only) */
            c->rtt_start_ns = tcp_now(t);
    }
    if (o.flags & TH_ACK) {
        uint32_t edge = c->rcv_nxt + ((uint32_t)o.wnd << c->rcv_ws);
        c->last_ack_sent = c->rcv_nxt;
        if (SEQ_GT(edge, c->rcv_adv) || (flags & TH_SYN))
            c->rcv_adv = edge;
        c->ack_now = false;
        c->segs_unacked = 0;
        c->t_delack = UK_TIME_NEVER;
    }
    if (flags & TH_RST)
        t->stats.tx_rst++;
    return 0;
}

int uk__tcp_send_ctl(struct uk_tcpip_tcp_conn *c, uint8_t flags, uint32_t seq)
{
    return uk__tcp_send_seg(c, seq, 0, flags);
}

void uk__tcp_send_ack(struct uk_tcpip_tcp_conn *c)
{
    /* snd_max, not snd_nxt: after a timeout rewinds snd_nxt, an ACK with
     * an old sequence number would fail the peer's acceptability test */
    if (uk__tcp_send_seg(c, c->snd_max, 0, TH_ACK) != 0)
        c->ack_now = true;
}

/* The first hole at or after `from` below high_sack: [*s, *e). */
static bool next_hole(const struct uk_tcpip_tcp_conn *c, uint32_t from,
                      uint32_t *s, uint32_t *e)
{
    uint32_t high = c->sack_ok ? c->high_sack
                               : c->snd_una + (uint32_t)uk__tcp_eff_mss(c);
    unsigned k;
    if (SEQ_LT(from, c->snd_una))
        from = c->snd_una;
    if (SEQ_GT(high, c->snd_max))
        high = c->snd_max;
    while (SEQ_LT(from, high)) {
        uint32_t end = high;
        bool inside = false;
        for (k = 0; k < c->nsack; k++) {
            if (SEQ_LEQ(c->sack[k].start, from) &&
                SEQ_GT(c->sack[k].end, from)) {
                from = c->sack[k].end;
                inside = true;
                break;
            }
            if (SEQ_GT(c->sack[k].start, from) &&
                SEQ_LT(c->sack[k].start, end))
                end = c->sack[k].start;
        }
        if (!inside) {
            *s = from;
            *e = end;
            return true;
        }
    }
    return false;
}

/* RFC 6675 pipe: bytes not SACKed above high_sack, plus retransmitted
 * holes (bytes below high_sack that are not SACKed count as lost). */
static uint32_t pipe_estimate(const struct uk_tcpip_tcp_conn *c)
{
    uint32_t high = c->sack_ok ? c->high_sack : c->snd_una;
    uint32_t pipe, s, e, from = c->snd_una;
    if (SEQ_LT(high, c->snd_una))
        high = c->snd_una;
    pipe = SEQ_GT(c->snd_max, high) ? c->snd_max - high : 0;
    if (!c->sack_ok) {
        uint32_t d = c->dupacks * (uint32_t)uk__tcp_eff_mss(c);
        pipe = pipe > d ? pipe - d : 0;
    }
    while (next_hole(c, from, &s, &e) && SEQ_LT(s, c->rtx_high)) {
        if (SEQ_GT(e, c->rtx_high))
            e = c->rtx_high;
        pipe += e - s;
        from = e;
    }
    return pipe;
}

/* SACKed bytes above seq. */
static uint32_t sacked_above(const struct uk_tcpip_tcp_conn *c, uint32_t seq)
{
    uint32_t n = 0;
    unsigned k;
    for (k = 0; k < c->nsack; k++)
        if (SEQ_GEQ(c->sack[k].start, seq))
            n += c->sack[k].end - c->sack[k].start;
    return n;
}

/* Whether new data may not go out: none left, or the peer's window is
 * full (RFC 6675 NextSeg rule 3 then resends holes not yet lost). */
static bool no_new_data(const struct uk_tcpip_tcp_conn *c)
{
    uint32_t sent = c->snd_max - c->snd_una;
    return sent >= c->slen || sent >= c->snd_wnd;
}

/* In recovery: retransmits the next hole if the pipe allows; true if it
 * sent something (or must stop trying). */
static bool recovery_rexmit(struct uk_tcpip_tcp_conn *c, bool force)
{
    uint32_t s, e, mss = (uint32_t)uk__tcp_eff_mss(c), most = seg_max(c);
    uint32_t fin = c->fin_queued ? c->fin_seq : c->snd_una + (uint32_t)c->slen;
    uint32_t pipe = 0;
    uint8_t fl = TH_ACK;
    if (!next_hole(c, c->rtx_high, &s, &e))
        return false;
    if (!force && (pipe = pipe_estimate(c)) >= c->cwnd)
        return false; /* no room */
    if (!force && c->sack_ok && SEQ_GEQ(s, c->lost_high) &&
        sacked_above(c, e) < 3 * mss && !no_new_data(c))
        return false; /* not lost yet (RFC 6675 IsLost): new data first */
    if (!force && c->tcp->tso_max != 0 && c->cwnd - pipe > 2 * mss) {
        /* over an offloading device a hole the window has room for goes
         * in one super-segment of whole segments (a lost super-segment
         * leaves holes of many segments) */
        most = tcp_min32(send_max(c), c->cwnd - pipe);
        most -= most % mss;
    }
    if (SEQ_GT(e, s + most))
        e = s + most;
    if (SEQ_GT(e, fin))
        e = fin;
    if (c->fin_queued && e == fin && SEQ_LT(fin, c->snd_max))
        fl |= TH_FIN;
    if (e == s && !(fl & TH_FIN))
        return false;
    if (uk__tcp_send_seg(c, s, e - s, fl) != 0)
        return false;
    c->tcp->stats.tx_rexmit++;
    c->tcp->stats.sack_rexmit++;
    if (s == c->snd_una)
        c->rack_rtx_ns = tcp_now(c->tcp);
    c->rtx_high = e + ((fl & TH_FIN) ? 1 : 0);
    c->rtx_sent_max = c->snd_max;
    c->rtt_timing = false;
    uk__tcp_rack_arm(c); /* the resend is what RACK times now */
    return true;
}

/* Going back after a timeout: moves snd_nxt past a SACKed block it is
 * in; true if it moved. */
static bool skip_sacked(struct uk_tcpip_tcp_conn *c)
{
    unsigned k;
    for (k = 0; k < c->nsack; k++) {
        if (SEQ_LEQ(c->sack[k].start, c->snd_nxt) &&
            SEQ_GT(c->sack[k].end, c->snd_nxt)) {
            c->snd_nxt = c->sack[k].end;
            if (SEQ_GT(c->snd_nxt, c->snd_max))
                c->snd_nxt = c->snd_max;
            return true;
        }
    }
    return false;
}

/* Bytes from snd_nxt to the next SACKed block (or a large number). */
static uint32_t sacked_limit(const struct uk_tcpip_tcp_conn *c)
{
    uint32_t lim = 0xffffffffu;
    unsigned k;
    for (k = 0; k < c->nsack; k++)
        if (SEQ_GT(c->sack[k].start, c->snd_nxt))
            lim = tcp_min32(lim, c->sack[k].start - c->snd_nxt);
    return lim;
}

/* Whether Nagle / SWS avoidance allow sending len of avail bytes now. */
static bool may_send(const struct uk_tcpip_tcp_conn *c, uint32_t len,
                     uint32_t avail, uint32_t mss)
{
    if (len >= mss || SEQ_LT(c->snd_nxt, c->snd_max))
        return true; /* full, or resending after a timeout */
    if (len == avail && (c->nodelay || c->snd_nxt == c->snd_una || c->shut))
        return true;
    return c->max_snd_wnd > 0 && len >= c->max_snd_wnd / 2;
}

void uk__tcp_output(struct uk_tcpip_tcp_conn *c)
{
    uint32_t mss = (uint32_t)uk__tcp_eff_mss(c);
    int guard = 0;
    if (c->state < TCP_ESTABLISHED || c->state == TCP_TIME_WAIT) {
        if (c->ack_now && c->state == TCP_TIME_WAIT)
            uk__tcp_send_ack(c);
        return;
    }
    if (c->in_recovery && recovery_rexmit(c, false))
        guard++;
    while (guard++ < 64) {
        uint32_t off = c->snd_nxt - c->snd_una, avail, len, room, cw;
        uint8_t fl = TH_ACK;
        bool fin_now;
        if (c->in_recovery && recovery_rexmit(c, false))
            continue;
        if (SEQ_LT(c->snd_nxt, c->snd_max) && c->nsack > 0 &&
            skip_sacked(c))
            continue;
        avail = off < c->slen ? (uint32_t)c->slen - off : 0;
        if (SEQ_LT(c->snd_nxt, c->snd_max) && c->nsack > 0)
            avail = tcp_min32(avail, sacked_limit(c));
        room = SEQ_GT(c->snd_una + c->snd_wnd, c->snd_nxt)
                   ? c->snd_una + c->snd_wnd - c->snd_nxt : 0;
        if (c->in_recovery) {
            uint32_t p = pipe_estimate(c);
            cw = c->cwnd > p ? c->cwnd - p : 0;
        } else {
            /* limited transmit (RFC 3042): the first two duplicate ACKs
             * each let one more segment out, to earn the third */
            uint32_t lt = c->dupacks < 3 ? c->dupacks * mss : 2 * mss;
            cw = SEQ_GT(c->snd_una + c->cwnd + lt, c->snd_nxt)
                     ? c->snd_una + c->cwnd + lt - c->snd_nxt : 0;
        }
        len = tcp_min32(tcp_min32(avail, send_max(c)), tcp_min32(room, cw));
        if (len > mss && len < avail)
            len -= len % mss; /* a super-segment of whole segments */
        fin_now = c->fin_queued && c->snd_nxt + len == c->fin_seq &&
                  !(c->in_recovery && cw == 0 && len == 0 && off > 0);
        if (len == 0 && !fin_now)
            break;
        if (len > 0 && !fin_now && !may_send(c, len, avail, seg_max(c)))
            break;
        if (fin_now)
            fl |= TH_FIN;
        if (len > 0 && len == avail)
            fl |= TH_PSH;
        if (uk__tcp_send_seg(c, c->snd_nxt, len, fl) != 0)
            break;
        /* time one new segment per RTT; not in recovery, where holes
         * below it would hold its ACK back */
        if (SEQ_LT(c->snd_nxt, c->snd_max))
            c->tcp->stats.tx_rexmit++;
        else if (!c->rtt_timing && len > 0 && !c->in_recovery) {
            c->rtt_timing = true;
            c->rtt_seq = c->snd_nxt;
            c->rtt_start_ns = tcp_now(c->tcp);
        }
        c->tcp->stats.tx_data += len;
        c->snd_nxt += len + (fin_now ? 1 : 0);
        if (SEQ_GT(c->snd_nxt, c->snd_max)) {
            c->snd_max = c->snd_nxt;
            if (c->tcp->cfg.bbr)
                uk__tcp_bbr_sent(c);
        }
        uk__tcp_set_rtx(c);
        if (fin_now)
            break;
    }
    if (c->ack_now)
        uk__tcp_send_ack(c);
    /* nothing in flight, data waiting, the window shut or too small for
     * SWS avoidance to send: persist (RFC 9293 3.8.6.1, 3.8.6.2.1) */
    if (c->snd_una == c->snd_nxt && uk__tcp_window_blocks(c))
        uk__tcp_set_rtx(c);
}

/* Fast retransmit on entering recovery: the first hole goes out now. */
void uk__tcp_enter_recovery(struct uk_tcpip_tcp_conn *c)
{
    if (SEQ_GEQ(c->snd_una, c->recover))
        uk__tcp_cc_reduce(c, false);
    /* else still repairing a timeout's window: no second reduction */
    c->recover = c->snd_max;
    c->in_recovery = true;
    c->rtx_high = c->lost_high = c->snd_una;
    c->rtx_sent_max = c->snd_max;
    c->cwnd_acc = 0;
    c->rack_fires = 0;
    c->rtt_timing = false; /* a hole below it would delay its ACK */
    c->tcp->stats.fast_rexmit++;
    recovery_rexmit(c, true);
}

void uk__tcp_rexmit_lost(struct uk_tcpip_tcp_conn *c)
{
    c->rtx_high = c->snd_una;
    c->rtx_sent_max = c->snd_max;
    if (SEQ_LEQ(c->lost_high, c->snd_una))
        c->lost_high = c->snd_una + 1;
    recovery_rexmit(c, true);
}
