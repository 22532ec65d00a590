/*
 * uk/tcpip/tcp.h - the direct stack's TCP (RFC 9293): implements TCPV4
 * (uk/tcpv4.h) over an IPV4; its connections implement FLOW (uk/flow.h).
 *
 * Memory.  Everything comes from one account (uk/mem.h) on the image's
 * budget, taken when needed and given back when not.  At init: the two
 * hash tables (sized to max_conns) and the bounded TIME_WAIT table
 * (cfg.time_wait_max small entries).  A connection's state is allocated
 * when it is created (connect, a SYN, a SYN cookie's ACK) and freed after
 * it closes or moves to TIME_WAIT; half-open connections have no rings, and
 * beyond cfg.syn_queue of them, or when the account cannot give one, SYN
 * cookies answer.  The send and receive rings are allocated when the
 * first byte needs them (a write, a segment with data): cfg.ring_init bytes
 * each, or cfg.ring_min while the account is under pressure.  A ring grows
 * (doubling, up to cfg.sndbuf / cfg.rcvbuf) when it is what limits the flow
 * (a send ring full with the peer's window and ours wider; a receive ring
 * found half full by a read after the peer used the window offered) and
 * the account is not under pressure; under pressure nothing grows, the
 * window offered stays within cfg.ring_min beyond what is buffered, and a
 * ring that drains is given back (the next byte takes a cfg.ring_min one).
 * When the account cannot give what is asked, every ring that holds no
 * data is given back first, so idle connections cost their state alone.
 * Acknowledged data is never dropped.  When memory is still refused, the
 * refusal is clean: a connection gets an RST, a dropped SYN, or connect's
 * callback with UK_ENOMEM; data for a connection without a receive ring
 * is dropped unacknowledged (the peer retransmits); a write returns
 * UK_ENOMEM.  The table of max_conns connections is kept open to
 * newcomers: a SYN gets state only while more than a sixteenth of the
 * table is free (else a cookie answers), and a connection that completes
 * with the table full takes the place of the oldest orphan (closed by its
 * application; reset, data delivered ones first) or else of the oldest
 * half-open connection (forgotten).  A connection's state fits one 1 KiB
 * block of the budget.  Nothing is allocated per segment: segments are
 * built straight into uk_ipv4_alloc buffers (one copy from the send ring)
 * and received payload is copied once into the receive ring (out-of-order
 * data too, with a small interval list).
 *
 * Segmentation offload.  Over a device that offers it (uk_ipv4_tso_max,
 * read at init), new data and data resent after a timeout go out in
 * super-segments of whole MSS-sized segments, up to 64 KiB as the
 * congestion and peer windows and Nagle allow, each one copy from the send
 * ring into one of the IPv4 layer's big buffers, carrying only the
 * pseudo-header sum (uk/network.h); so do recovery retransmissions of
 * holes the window has room for, while fast retransmits and tail probes
 * stay one segment.  Elsewhere every segment fits the MTU.
 *
 * Protocol.  Full state machine incl. simultaneous open and close; RST
 * validation and challenge ACKs (RFC 5961, rate limited per second); ISNs
 * per RFC 6528 (SipHash-2-4 of the 4-tuple under a random key plus a 4 us
 * clock); MSS option (from uk_ipv4_mtu); window scaling, timestamps with
 * RTT measurement and PAWS (RFC 7323); SACK generation and SACK-based loss
 * recovery (RFC 2018, RFC 6675: a hole is lost once 3 MSS above it are
 * SACKed; the scoreboard survives one timeout, not two); limited transmit
 * (RFC 3042); RTO per RFC 6298 with cfg.rto_min_ns (default 200 ms,
 * below RFC 6298's 1 s, like Linux) and exponential back-off, and a
 * connection timeout (cfg.user_timeout_ns); tail loss probes before the
 * RTO (RFC 8985 section 7, PTO = 2 SRTT + 0.5 ms; up to three probes, PTO
 * doubling, not one, so that a lost probe or ACK does not cost an RTO
 * hundreds of times the RTT)
 * and time-based loss detection (RACK, RFC 8985: a hole with SACKed data
 * above it is lost after a reordering window even below DupThresh, and a
 * retransmission lost again is re-sent about an RTT later, without a
 * second reduction); NewReno loss recovery (RFC 5681, 6582) with
 * CUBIC congestion control (RFC 9438; cfg.newreno for NewReno's), growing
 * only a window in use, and a reduction undone when timestamps show the
 * retransmission was spurious (RFC 3522; cfg.no_undo to keep it); or,
 * with cfg.bbr, a window from a model of the path (bottleneck bandwidth
 * times least RTT, after BBR, without pacing) that random loss does not
 * shrink;
 * delayed ACKs (every second full segment, else after cfg.delack_ns;
 * immediately for out-of-order data, never just for PSH); Nagle with
 * per-flow NODELAY; zero-window probing; keep-alive per flow; a listen
 * backlog; a bounded SYN queue (cfg.syn_queue half-open connections)
 * beyond which SYN cookies answer (options encoded in the timestamp when
 * the peer sends one).
 * Segments to closed ports are reset; FIN, NULL, Xmas and SYN+FIN probes
 * to listening ports are dropped (as Linux does); TIME_WAIT ignores RSTs
 * (RFC 1337) and accepts a new SYN above its sequence (RFC 6191).
 *
 * Flows.  A flow lives from its connect/accept callback until its close or
 * abort callback.  connect_cancel deletes a connection still in SYN-SENT
 * without sending anything (a late SYN-ACK then gets a RST as for any
 * unknown connection) and resets one whose callback had not run yet.  close() sends what was queued and then FIN; the close
 * callback runs at once (deferred) and the connection finishes orphaned
 * (bounded by the retransmission/persist limits).  close() with unread
 * received data, and data arriving after close, reset the connection (RFC
 * 9293 3.10.4).  A reset discards unread data: the pending read completes
 * with UK_ECONNRESET.  Connection ends without an application are moved to
 * the TIME_WAIT table (oldest entry recycled when full).  At most
 * max_conns connections exist at once (TIME_WAIT entries not counted).
 *
 * Timers: one uk_timer per connection multiplexes retransmit/persist,
 * delayed ACK, keep-alive and FIN_WAIT_2/TIME_WAIT deadlines, re-armed
 * lazily (it may fire early and re-arm); demultiplexing is a hash table.
 * Per-event cost does not grow with the number of connections.
 */
#ifndef UK_TCPIP_TCP_H
#define UK_TCPIP_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/flow.h>
#include <uk/ipv4.h>
#include <uk/mem.h>
#include <uk/random.h>
#include <uk/tcpv4.h>
#include <uk/time.h>

#ifndef UK_TCPIP_TCP_LISTENERS
#define UK_TCPIP_TCP_LISTENERS 16
#endif
#define UK_TCPIP_TCP_OOO 8   /* out-of-order intervals kept per connection */
#define UK_TCPIP_TCP_SACK 8  /* SACK blocks remembered from the peer */

/* Tunables; zero fields take the default in brackets. */
struct uk_tcpip_tcp_config {
    size_t sndbuf;          /* largest send ring per connection [65536] */
    size_t rcvbuf;          /* largest receive ring per connection [65536] */
    size_t ring_init;       /* a new connection's rings [16384] */
    size_t ring_min;        /* rings under memory pressure [4096] */
    size_t time_wait_max;   /* TIME_WAIT entries [max_conns] */
    unsigned syn_queue;     /* half-open connections before cookies [64] */
    unsigned backlog;       /* default accept backlog [128] */
    uint64_t rto_min_ns;    /* [200 ms] */
    uint64_t rto_max_ns;    /* [60 s] */
    uint64_t rto_init_ns;   /* [1 s] */
    uint64_t delack_ns;     /* [40 ms] */
    uint64_t time_wait_ns;  /* 2 MSL [60 s] */
    uint64_t fin_wait2_ns;  /* orphaned FIN_WAIT_2 limit [60 s] */
    uint64_t user_timeout_ns; /* retransmitting without progress [120 s] */
    unsigned syn_retries;   /* [6] */
    uint64_t keepalive_intvl_ns; /* between keep-alive probes [75 s] */
    unsigned keepalive_probes;   /* unanswered probes before reset [9] */
    unsigned challenge_acks_per_s; /* RFC 5961 rate limit [100] */
    bool no_sack, no_timestamps, no_wscale; /* disable an option */
    bool always_cookies;    /* answer every SYN with a cookie (tests) */
    bool newreno;           /* NewReno instead of CUBIC (RFC 9438) */
    bool bbr;               /* the BBR-style model instead (tcp_bbr.c):
                               for paths that lose packets at random */
    bool no_undo;           /* keep the window after a spurious rexmit */
};

struct uk_tcpip_tcp_stats {
    uint64_t rx_segments, rx_bad_checksum, rx_malformed, rx_no_conn;
    uint64_t rx_ooo, rx_dup, rx_out_of_window, rx_paws;
    uint64_t tx_segments, tx_data, tx_rexmit, tx_rst, tx_errors;
    uint64_t rto, fast_rexmit, sack_rexmit, tlp, challenge_acks;
    uint64_t rack; /* losses found by time (RACK), not by DupThresh */
    uint64_t cookies_sent, cookies_ok, cookies_bad, syn_dropped;
    uint64_t accepted, connected, refused, reset, timeouts;
    uint64_t time_wait_recycled;
    uint64_t mem_refused;   /* connections refused: no memory for them */
    uint64_t accept_full;   /* handshake ACKs dropped: accept queue full */
    uint64_t orphans_reset; /* closed by the app, reset to make room */
    uint64_t half_open_dropped; /* for a completed handshake: no room */
    uint64_t ring_grown;    /* rings moved to a larger one */
    uint64_t ring_freed;    /* empty rings given back (pressure, shortage) */
    uint64_t ring_refused;  /* rings the account could not give */
    uint64_t spurious_undo; /* reductions undone (RFC 3522 detection) */
};

struct uk_tcpip_tcpv4;

/* A connection (internal state, allocated from the layer's account). */
struct uk_tcpip_tcp_conn {
    struct uk_flow flow; /* implements FLOW */
    struct uk_tcpip_tcpv4 *tcp;
    struct uk_tcpip_tcp_conn *hnext;  /* hash chain / list of the freed */
    struct uk_tcpip_tcp_conn *anext, *aprev; /* every live connection */
    struct uk_tcpip_tcp_conn *qnext;  /* accept queue */
    struct uk_tcpip_tcp_listener *listener; /* until accepted */
    int state, app;
    int err; /* what ended the connection, for pending/future ops */
    uint32_t events;
    struct uk_ipv4_addr lip, rip;
    uint16_t lport, rport;
    /* send side */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2, snd_up;
    uint32_t snd_wnd, max_snd_wnd, cwnd, ssthresh, recover, fin_seq;
    uint32_t cwnd_acc;
    uint32_t rtx_high, high_sack, rtt_seq, rtx_sent_max;
    uint32_t lost_high; /* in SACK recovery, holes below it are lost */
    /* time-based loss detection (RACK, RFC 8985): when SACKs were first
     * seen above snd_una (0: none), when the segment at snd_una was last
     * retransmitted, and re-sends of it without progress */
    uint64_t rack_sack_ns, rack_rtx_ns;
    uint64_t rtt_start_ns;
    /* the congestion controller's own state (tcp_cc.c, tcp_bbr.c) */
    union {
        /* CUBIC (RFC 9438): epoch start (0: none), the Reno-friendly
         * estimate (bytes << 10), the last growth (ns), W_max and the
         * curve's origin (bytes), K (ms); with NewReno too, the undo of a
         * reduction found spurious (RFC 3522, RFC 4015): what the
         * reduction replaced, and the timestamp of the first
         * retransmission */
        struct {
            uint64_t epoch_ns, w_est, last_ns;
            uint32_t w_max, origin, k_ms;
            uint32_t undo_cwnd, undo_ssthresh, undo_w_max, undo_tsval;
            bool undo_ok;
        } cubic;
        /* BBR-style model: the round in progress (its marker sent at
         * round_ns, 0: the next new data starts one; it ends when the
         * peer holds round_end) and the previous one's marker, bytes
         * delivered (ACKed or SACKed, mod 2^32) in all and when the
         * round began, the bottleneck bandwidth's windowed maximum (this
         * and the previous half window, bytes/ms), the least RTT (ns) and
         * when it was seen (ms), the bandwidth that last grew 25% */
        struct {
            uint64_t round_ns, prev_round_ns;
            uint32_t round_end, delivered, round_delivered;
            uint32_t bw_cur, bw_prev, min_rtt_ns, min_rtt_ms, full_bw;
        } bbr;
    } cc;
    uint16_t mss, rmss;
    uint8_t snd_ws, rcv_ws, ctl_pending;
    bool ts_ok, sack_ok, ws_ok, fin_queued, in_recovery, rtt_timing;
    bool nodelay, ack_now, closed_by_app, shut, fin_acked;
    bool ended; /* dropped: only the application's callbacks keep it */
    bool tlp_pending; /* a tail loss probe is what t_rtx times */
    bool notify_queued; /* on the stack's notify list (nnext) */
    uint8_t tlps;     /* probes sent since the last progress */
    uint8_t rack_fires;
    /* BBR: rounds in the bandwidth filter's half window, rounds without
     * 25% growth, and the phase: startup, probing bandwidth or RTT */
    uint8_t bbr_rounds, bbr_flat, bbr_phase;
    unsigned dupacks, rtx_count, probes, segs_unacked;
    struct { uint32_t start, end; } sack[UK_TCPIP_TCP_SACK];
    unsigned nsack;
    uint8_t *sbuf; /* owned, from the account; NULL until a byte needs it */
    size_t ssize, shead, slen; /* ring: slen bytes from snd_una at shead */
    /* receive side */
    uint32_t irs, rcv_nxt, rcv_adv, read_seq, rcv_fin_seq;
    bool rcv_fin, fin_pending;
    uint8_t *rbuf; /* owned, from the account; NULL until a byte needs it */
    size_t rsize, rhead; /* read_seq is at rhead (rsize: the ring's size,
                          * or the one it will get while rbuf is NULL) */
    struct { uint32_t start, end; } ooo[UK_TCPIP_TCP_OOO];
    unsigned nooo;
    /* timestamps */
    uint32_t ts_recent, ts_offset, last_ack_sent;
    /* RTO (RFC 6298), ns */
    uint64_t srtt, rttvar, rto;
    /* deadlines multiplexed on `timer` (UK_TIME_NEVER: none) */
    uint64_t t_rtx, t_delack, t_keep, t_retry, t_rack, rtx_start_ns;
    uint64_t idle_since;
    uint64_t keepalive_ns;
    struct uk_timer timer;
    /* next on the stack's list of connections with application events
     * due (one deferred call delivers them all) */
    struct uk_tcpip_tcp_conn *nnext;
    /* application operations */
    uk_flow_read_cb read_cb;
    void *read_arg;
    uk_flow_write_cb write_cb;
    void *write_arg;
    struct uk_iov wiov[UK_IOV_MAX];
    int wiovcnt, wi;
    size_t woff, wdone;
    int write_status;
    uk_done_cb close_cb;
    void *close_arg;
    uk_tcpv4_connect_cb connect_cb;
    void *connect_arg;
};

struct uk_tcpip_tcp_listener {
    struct uk_tcpip_tcpv4 *tcp;
    uint16_t port; /* 0: free */
    unsigned backlog, queued, half_open;
    uk_tcpv4_accept_cb cb;
    void *arg;
    struct uk_tcpip_tcp_conn *qfirst, *qlast;
    struct uk_timer notify;
};

/* A TIME_WAIT entry (internal). */
struct uk_tcpip_tcp_tw {
    struct uk_tcpip_tcp_tw *hnext;
    struct uk_ipv4_addr lip, rip;
    uint16_t lport, rport;
    bool used, ts_ok;
    uint32_t snd_nxt, rcv_nxt, ts_recent, ts_offset;
    uint16_t rcv_wnd;
    uint64_t expires_ns;
};

struct uk_tcpip_tcpv4 {
    struct uk_tcpv4 base; /* implements TCPV4: pass &tcp->base */
    struct uk_ipv4 *ip;
    size_t tso_max; /* uk_ipv4_tso_max(ip) at init: 0, or the largest
                       segment sent whole for the device to cut */
    struct uk_time *time;
    struct uk_random *rnd;
    struct uk_tcpip_tcp_config cfg;
    struct uk_mem_account *mem; /* BORROWED: everything below comes from it */
    struct uk_tcpip_tcp_conn *live;  /* every connection (anext list) */
    struct uk_tcpip_tcp_conn *freed; /* ended, freed by reap_timer */
    /* connections with application events due, in the order they became
     * due (nnext list), delivered by notify_timer */
    struct uk_tcpip_tcp_conn *nfirst, *nlast;
    /* nconns connections hold memory, nended of them only until the
     * application's callbacks ran: max_conns bounds the others */
    size_t max_conns, nconns, nended;
    struct uk_tcpip_tcp_tw *tw;
    size_t ntw, tw_head, tw_count; /* FIFO ring, oldest at tw_head */
    struct uk_tcpip_tcp_listener listeners[UK_TCPIP_TCP_LISTENERS];
    struct uk_tcpip_tcp_conn **hash; /* hmask + 1 buckets */
    struct uk_tcpip_tcp_tw **twhash; /* hmask + 1 buckets */
    size_t hmask;
    uint64_t isn_key[2], cookie_key[2];
    uint32_t port_counter;
    uint64_t challenge_sec;
    unsigned challenge_count;
    unsigned half_open;
    /* 1 + the cookie counter (tcp_syn.c) when a handshake last went on
     * without state here (a cookie beyond the SYN queue, a half-open
     * connection forgotten); 0: never.  Only then can a cookie's ACK be
     * a handshake's completion rather than a stale duplicate. */
    uint32_t stateless_since;
    struct uk_timer tw_timer, done_timer, reap_timer, notify_timer;
    struct uk_tcpip_tcp_stats stats;
};

/*
 * Initialises tcp over ip (BORROWED for tcp's lifetime), registering it for
 * UK_IPPROTO_TCP.  time (BORROWED) runs timers and deferred completions;
 * rnd (BORROWED) keys ISNs and cookies (read at init) and picks ports.
 * cfg (BORROWED: copied; NULL: defaults).  mem (BORROWED, must outlive
 * tcp) gives every byte tcp uses (see Memory above); at most max_conns
 * connections exist at once.  Returns 0, UK_EINVAL (max_conns 0, bad cfg),
 * UK_ENOMEM (mem cannot give the tables), UK_EIO (rnd failed) or the error
 * of uk_ipv4_set_handler.  Disconnecting tcp resets every connection
 * (pending operations complete with UK_ECANCELED), stops listening,
 * unregisters from ip and gives its tables back; each connection's memory
 * returns once its application closed it.
 */
int uk_tcpip_tcp_init(struct uk_tcpip_tcpv4 *tcp, struct uk_ipv4 *ip,
                      struct uk_time *time, struct uk_random *rnd,
                      const struct uk_tcpip_tcp_config *cfg,
                      struct uk_mem_account *mem, size_t max_conns);

/* Sets cfg's congestion control by name: "cubic" (the default),
 * "newreno" or "bbr".  Returns 0 or UK_EINVAL (another name). */
int uk_tcpip_tcp_config_cc(struct uk_tcpip_tcp_config *cfg, const char *name);

/* Sets up acct as TCP's share of mem (BORROWED): under pressure from half
 * of mem, refused beyond three quarters, so the layers above always keep
 * a quarter.  What targets pass to uk_tcpip_tcp_init. */
void uk_tcpip_tcp_account_init(struct uk_mem_account *acct,
                               struct uk_mem *mem);

/* Connections in use (any state but TIME_WAIT entries), for tests. */
size_t uk_tcpip_tcp_active(const struct uk_tcpip_tcpv4 *tcp);

#endif
