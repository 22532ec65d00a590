/*
 * tcp_rack.c - time-based loss detection after RACK (RFC 8985), for what
 * counting SACKed bytes (RFC 6675's DupThresh) cannot see:
 *
 *   - a hole with SACKed data above it but fewer than three segments'
 *     worth (a small window, or a tail probe's answer): lost once a
 *     reordering window passes without it being filled; fast recovery
 *     then starts instead of a timeout;
 *   - a retransmission lost again in recovery with nothing sent after it
 *     to be SACKed: lost once an RTT and the reordering window pass
 *     without the cumulative ACK moving past it; it is sent again, without
 *     a further window reduction (one per recovery episode).
 *
 * There are no per-segment send times: the first SACK above snd_una and
 * the last retransmission of the segment at snd_una stand in for them,
 * which can only make the detection later, never earlier.  A few
 * detections in a row without progress give way to the RTO.
 */
#include "tcp_internal.h"

#define RACK_REO_MIN_NS (250 * UK_NS_PER_US)
#define RACK_RTX_MIN_NS (500 * UK_NS_PER_US) /* first re-send of a resend */
#define RACK_FIRES_MAX 3u

/* The reordering window: a quarter of the RTT, at least 250 us (the
 * unix loop's timers fire to the microsecond; a whole millisecond is
 * dozens of RTTs of a LAN, where a lossy transfer would spend its time
 * waiting). */
static uint64_t reo_wnd(const struct uk_tcpip_tcp_conn *c)
{
    uint64_t w = c->srtt / 4;
    return w > RACK_REO_MIN_NS ? w : RACK_REO_MIN_NS;
}

/* When the segment at snd_una counts as lost, or UK_TIME_NEVER. */
static uint64_t rack_due(const struct uk_tcpip_tcp_conn *c)
{
    if (!c->sack_ok || c->srtt == 0 || c->snd_una == c->snd_max ||
        c->nsack == 0 || c->rack_fires >= RACK_FIRES_MAX ||
        c->state < TCP_ESTABLISHED)
        return UK_TIME_NEVER;
    if (!c->in_recovery)
        return c->rack_sack_ns != 0 ? c->rack_sack_ns + reo_wnd(c)
                                    : UK_TIME_NEVER;
    if (SEQ_GT(c->rtx_high, c->snd_una) && c->rack_rtx_ns != 0) {
        uint64_t w = c->srtt + 2 * c->rttvar + reo_wnd(c);
        if (w < RACK_RTX_MIN_NS)
            w = RACK_RTX_MIN_NS;
        return c->rack_rtx_ns + (w << c->rack_fires);
    }
    return UK_TIME_NEVER;
}

void uk__tcp_rack_arm(struct uk_tcpip_tcp_conn *c)
{
    if (!c->in_recovery && c->nsack > 0 && c->rack_sack_ns == 0)
        c->rack_sack_ns = tcp_now(c->tcp);
    else if (c->nsack == 0)
        c->rack_sack_ns = 0;
    c->t_rack = rack_due(c);
    uk__tcp_timer_update(c);
}

void uk__tcp_rack_timeout(struct uk_tcpip_tcp_conn *c)
{
    uint64_t due = rack_due(c);
    if (due == UK_TIME_NEVER)
        return;
    if (tcp_now(c->tcp) < due) { /* the state moved on: not yet */
        c->t_rack = due;
        return;
    }
    c->tcp->stats.rack++;
    if (!c->in_recovery) {
        uk__tcp_enter_recovery(c);
    } else {
        c->rack_fires++;
        uk__tcp_rexmit_lost(c);
    }
    uk__tcp_output(c);
    uk__tcp_rack_arm(c);
}
