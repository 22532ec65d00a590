/*
 * tcp_internal.h - what the TCP files share (internal): states, segment
 * view, sequence arithmetic and the functions each file provides.
 */
#ifndef UK_TCPIP_TCP_INTERNAL_H
#define UK_TCPIP_TCP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/bytes.h>
#include <uk/tcpip/tcp.h>

#include "util.h"

enum tcp_state {
    TCP_CLOSED,
    TCP_SYN_SENT,
    TCP_SYN_RCVD,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSING,
    TCP_TIME_WAIT,
    TCP_CLOSE_WAIT,
    TCP_LAST_ACK
};

/* Who holds the connection on the application side. */
enum tcp_app {
    APP_NONE,       /* half-open or waiting in an accept queue */
    APP_CONNECTING, /* connect callback pending */
    APP_OPEN,       /* the application holds the flow */
    APP_CLOSING,    /* close/abort called; its callback pending */
    APP_ORPHAN      /* close callback ran: finishing on its own */
};

/* Pending application events (conn->events), delivered by tcp_notify. */
#define EV_CONNECT 1u  /* connect finished (ok or err) */
#define EV_READ 2u     /* something for a pending read */
#define EV_WRITE 4u    /* pending write progressed */
#define EV_CLOSE 8u    /* close callback due */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

#define TCP_HLEN 20
#define TCP_MAX_HLEN 60
#define TCP_MAX_WIN 65535u
#define TCP_MAX_WS 14

#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

/* A parsed segment. */
struct tcp_seg {
    struct uk_ipv4_addr src, dst;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *data;
    size_t len;
    /* options */
    bool has_mss, has_ws, sack_perm, has_ts;
    uint16_t mss;
    uint8_t ws;
    uint32_t tsval, tsecr;
    unsigned nsack;
    uint32_t sack[4][2];
};

/* Whether segment s belongs to x, a connection or a TIME_WAIT entry (both
 * carry lip/lport/rip/rport): the one 4-tuple test of every lookup. */
#define UK__TCP_SEG_IS_FOR(x, s)                                              \
    ((x)->lport == (s)->dport && (x)->rport == (s)->sport &&                  \
     (x)->rip.v == (s)->src.v && (x)->lip.v == (s)->dst.v)

/* A segment to send (what tcp_send_seg builds). */
struct tcp_out {
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    bool mss, ws, sack_perm, ts;
    uint16_t mss_val;
    uint8_t ws_val;
    uint32_t tsval, tsecr;
    unsigned nsack;
    uint32_t sack[4][2];
    uint16_t tso_mss; /* nonzero: a super-segment for the device to cut
                         into segments of this payload (uk/network.h) */
};

static inline uint32_t tcp_min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static inline uint64_t tcp_now(struct uk_tcpip_tcpv4 *t)
{
    return uk_time_now_ns(t->time);
}

static inline uint32_t tcp_ms(struct uk_tcpip_tcpv4 *t)
{
    return (uint32_t)(tcp_now(t) / UK_NS_PER_MS);
}

/* tcp_siphash.c: SipHash-2-4 of data under a 128-bit key. */
uint64_t uk__tcp_siphash(const uint64_t key[2], const void *data, size_t n);

/* tcp_seg.c */
int uk__tcp_parse(struct tcp_seg *s, const struct uk_ipv4_info *info,
                  const uint8_t *p, size_t n);
int uk__tcp_send_raw(struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr src,
                     struct uk_ipv4_addr dst, uint16_t sport, uint16_t dport,
                     const struct tcp_out *o, const uint8_t *ring,
                     size_t rsize, size_t roff, size_t len);
void uk__tcp_send_rst_for(struct uk_tcpip_tcpv4 *t, const struct tcp_seg *s);
/* Notes that a handshake goes on without state here (a cookie beyond the
 * SYN queue, a half-open connection forgotten): for a while, cookie ACKs
 * finding no connection complete handshakes (tcp_syn.c). */
void uk__tcp_went_stateless(struct uk_tcpip_tcpv4 *t);

/* tcp.c: connection table */
struct uk_tcpip_tcp_conn *uk__tcp_lookup(struct uk_tcpip_tcpv4 *t,
                                         const struct tcp_seg *s);
struct uk_tcpip_tcp_conn *uk__tcp_conn_new(struct uk_tcpip_tcpv4 *t,
                                           struct uk_ipv4_addr lip,
                                           uint16_t lport,
                                           struct uk_ipv4_addr rip,
                                           uint16_t rport);
void uk__tcp_conn_maybe_free(struct uk_tcpip_tcp_conn *c);
struct uk_tcpip_tcp_listener *uk__tcp_listener(struct uk_tcpip_tcpv4 *t,
                                               uint16_t port);
uint32_t uk__tcp_isn(struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr lip,
                     uint16_t lport, struct uk_ipv4_addr rip, uint16_t rport);
void uk__tcp_established(struct uk_tcpip_tcp_conn *c);
/* Whether listener l's accept queue is full (l may be NULL: an active
 * open).  A handshake's last ACK is then dropped, not answered with a
 * reset: the peer sends it again (or data) and is accepted once the
 * application caught up, as Linux does without tcp_abort_on_overflow. */
static inline bool uk__tcp_accept_full(const struct uk_tcpip_tcp_listener *l)
{
    return l != NULL && l->queued >= l->backlog;
}
void uk__tcp_drop(struct uk_tcpip_tcp_conn *c, int err);
void uk__tcp_enter_time_wait(struct uk_tcpip_tcp_conn *c);

/* tcp_mem.c: connection and ring memory */
bool uk__tcp_under_pressure(struct uk_tcpip_tcpv4 *t);
/* the ring a new connection starts with, at most cap bytes */
size_t uk__tcp_ring_start(struct uk_tcpip_tcpv4 *t, size_t cap);
/* connections max_conns still allows: the ones dropped and waiting only
 * for the application's callbacks do not count (a burst of resets must
 * not lock new peers out) */
size_t uk__tcp_slots_free(const struct uk_tcpip_tcpv4 *t);
/* a zeroed connection on the live list, or NULL (limit or memory) */
struct uk_tcpip_tcp_conn *uk__tcp_conn_alloc(struct uk_tcpip_tcpv4 *t);
/* off the live list; memory given back by a deferred call */
void uk__tcp_conn_release(struct uk_tcpip_tcp_conn *c);
/* the receive (send) ring, allocated when the first byte needs it; 0 or
 * UK_ENOMEM (after giving back every other connection's empty rings) */
int uk__tcp_rring_need(struct uk_tcpip_tcp_conn *c);
int uk__tcp_sring_need(struct uk_tcpip_tcp_conn *c);
/* the send ring is full and a write waits: grow it if it is the limit */
void uk__tcp_sring_maybe_grow(struct uk_tcpip_tcp_conn *c);
/* everything sent was acknowledged: give the ring back under pressure */
void uk__tcp_sring_drained(struct uk_tcpip_tcp_conn *c);
/* after a read that found `before` bytes in order: grow or shrink */
void uk__tcp_rring_after_read(struct uk_tcpip_tcp_conn *c, size_t before);
/* receive ring bytes to offer beyond the `used` ones (capped under
 * pressure) */
size_t uk__tcp_rcv_space(struct uk_tcpip_tcp_conn *c, uint32_t used);

/* tcp_tw.c: TIME_WAIT table */
void uk__tcp_tw_add(struct uk_tcpip_tcpv4 *t, struct uk_tcpip_tcp_conn *c);
struct uk_tcpip_tcp_tw *uk__tcp_tw_lookup(struct uk_tcpip_tcpv4 *t,
                                          const struct tcp_seg *s);
bool uk__tcp_tw_input(struct uk_tcpip_tcpv4 *t, struct uk_tcpip_tcp_tw *w,
                      const struct tcp_seg *s);
void uk__tcp_tw_clear(struct uk_tcpip_tcpv4 *t);
/* the bucket of a 4-tuple in t->hash and t->twhash */
size_t uk__tcp_bucket(const struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr lip,
                      uint16_t lport, struct uk_ipv4_addr rip,
                      uint16_t rport);

/* tcp_syn.c: listen side, SYN cookies */
void uk__tcp_listen_input(struct uk_tcpip_tcpv4 *t,
                          struct uk_tcpip_tcp_listener *l,
                          const struct tcp_seg *s);
void uk__tcp_accept_notify(void *arg);
void uk__tcp_set_options(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s);
/* tcp_syn.c: the TSval of a SYN-ACK sent at timestamp clock `now` (offset
 * included) to a SYN whose window scale (ws, when ws_ok) and SACK
 * permission are as given: a cookie's, carrying them in its low 5 bits
 * for the peer to echo, and below any later TSval of the connection. */
uint32_t uk__tcp_synack_tsval(uint32_t now, bool ws_ok, unsigned ws,
                              bool sack_ok);

/* tcp_in.c */
void uk__tcp_input(void *arg, const struct uk_ipv4_info *info,
                   struct uk_buf *payload);
void uk__tcp_conn_input(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s);
void uk__tcp_rtt_sample(struct uk_tcpip_tcp_conn *c, uint64_t rtt_ns);
/* tcp_ack.c */
bool uk__tcp_ack_input(struct uk_tcpip_tcp_conn *c, const struct tcp_seg *s);

/* tcp_cc.c: congestion control */
void uk__tcp_cc_ack(struct uk_tcpip_tcp_conn *c, uint32_t acked);
void uk__tcp_cc_reduce(struct uk_tcpip_tcp_conn *c, bool timeout);
void uk__tcp_cc_undo_check(struct uk_tcpip_tcp_conn *c,
                           const struct tcp_seg *s);

/* tcp_bbr.c: the BBR-style model (cfg.bbr) */
/* after new data went out (cfg.bbr only): the next round starts with it
 * if none runs */
void uk__tcp_bbr_sent(struct uk_tcpip_tcp_conn *c);
/* on every acceptable ACK: `delivered` bytes newly ACKed or SACKed */
void uk__tcp_bbr_ack(struct uk_tcpip_tcp_conn *c, uint32_t delivered);
/* a loss detected (or the retransmission timer expired) */
void uk__tcp_bbr_loss(struct uk_tcpip_tcp_conn *c, bool timeout);

/* tcp_out.c */
void uk__tcp_output(struct uk_tcpip_tcp_conn *c);
void uk__tcp_enter_recovery(struct uk_tcpip_tcp_conn *c);
/* in recovery: the retransmissions sent so far are lost; the hole at
 * snd_una goes again now */
void uk__tcp_rexmit_lost(struct uk_tcpip_tcp_conn *c);
int uk__tcp_send_seg(struct uk_tcpip_tcp_conn *c, uint32_t seq, size_t len,
                     uint8_t flags);
int uk__tcp_send_ctl(struct uk_tcpip_tcp_conn *c, uint8_t flags,
                     uint32_t seq);
void uk__tcp_send_ack(struct uk_tcpip_tcp_conn *c);
uint16_t uk__tcp_rcv_window(struct uk_tcpip_tcp_conn *c);
size_t uk__tcp_eff_mss(const struct uk_tcpip_tcp_conn *c);
/* The MSS we advertise: IP's MTU (which excludes the IP header) less the
 * TCP header, at least 64. */
uint16_t uk__tcp_our_mss(struct uk_tcpip_tcpv4 *t);
uint32_t uk__tcp_flight(const struct uk_tcpip_tcp_conn *c);

/* Whether data waits that the peer's window holds back: a shut window, or
 * one below both a segment and the data (sender SWS avoidance waits; a
 * lost window update would stall it without a probe). */
static inline bool uk__tcp_window_blocks(const struct uk_tcpip_tcp_conn *c)
{
    size_t unsent = c->slen - (size_t)(c->snd_nxt - c->snd_una);
    if (c->slen <= (size_t)(c->snd_nxt - c->snd_una))
        return false;
    return c->snd_wnd == 0 ||
           (c->snd_wnd < uk__tcp_eff_mss(c) && c->snd_wnd < unsent);
}

/* tcp_rack.c: time-based loss detection (RFC 8985) */
/* after an ACK or a retransmission: (re)computes the detection deadline */
void uk__tcp_rack_arm(struct uk_tcpip_tcp_conn *c);
void uk__tcp_rack_timeout(struct uk_tcpip_tcp_conn *c);

/* tcp_timer.c */
void uk__tcp_timer_update(struct uk_tcpip_tcp_conn *c);
void uk__tcp_set_rtx(struct uk_tcpip_tcp_conn *c);
void uk__tcp_timer_stop(struct uk_tcpip_tcp_conn *c);

/* tcp_flow.c */
extern const struct uk_flow_ops uk__tcp_flow_ops;
void uk__tcp_notify(struct uk_tcpip_tcp_conn *c, uint32_t ev);
/* Forgets c's due events and takes it off the notify list. */
void uk__tcp_notify_cancel(struct uk_tcpip_tcp_conn *c);
void uk__tcp_fill_send(struct uk_tcpip_tcp_conn *c);

#endif
