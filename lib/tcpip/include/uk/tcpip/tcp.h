/*
 * uk/tcpip/tcp.h - the direct stack's TCP (RFC 9293): implements TCPV4
 * (uk/tcpv4.h) over an IPV4; its connections implement FLOW (uk/flow.h).
 *
 * Memory.  Everything is caller-provided and bounded: the connection table
 * (conns[nconns]), and one byte region `mem` carved at init into a send
 * ring and a receive ring per connection (cfg sizes) and the TIME_WAIT
 * table; uk_tcpip_tcp_mem_size() says how many bytes that takes.  Nothing
 * is allocated afterwards; segments are built straight into uk_ipv4_alloc
 * buffers (one copy from the send ring) and received payload is copied once
 * into the receive ring (out-of-order data too, with a small interval list).
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
 * connection timeout (cfg.user_timeout_ns); a tail loss probe before the
 * RTO (RFC 8985 section 7) and re-sending a retransmission that SACKs show
 * lost again (RACK's idea); NewReno loss recovery (RFC 5681, 6582) with
 * CUBIC congestion control (RFC 9438; cfg.newreno for NewReno's), growing
 * only a window in use, and a reduction undone when timestamps show the
 * retransmission was spurious (RFC 3522; cfg.no_undo to keep it);
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
 * abort callback.  close() sends what was queued and then FIN; the close
 * callback runs at once (deferred) and the connection finishes orphaned
 * (bounded by the retransmission/persist limits).  close() with unread
 * received data, and data arriving after close, reset the connection (RFC
 * 9293 3.10.4).  A reset discards unread data: the pending read completes
 * with UK_ECONNRESET.  Connection ends without an application are moved to
 * the TIME_WAIT table (oldest entry recycled when full).
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
#include <uk/random.h>
#include <uk/tcpv4.h>
#include <uk/time.h>

#ifndef UK_TCPIP_TCP_LISTENERS
#define UK_TCPIP_TCP_LISTENERS 16
#endif
#ifndef UK_TCPIP_TCP_HASH
#define UK_TCPIP_TCP_HASH 4096 /* buckets (power of two) */
#endif
#define UK_TCPIP_TCP_OOO 8   /* out-of-order intervals kept per connection */
#define UK_TCPIP_TCP_SACK 8  /* SACK blocks remembered from the peer */

/* Tunables; zero fields take the default in brackets. */
struct uk_tcpip_tcp_config {
    size_t sndbuf;          /* send ring bytes per connection [65536] */
    size_t rcvbuf;          /* receive ring bytes per connection [65536] */
    size_t time_wait_max;   /* TIME_WAIT entries [nconns] */
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
    bool no_undo;           /* keep the window after a spurious rexmit */
};

struct uk_tcpip_tcp_stats {
    uint64_t rx_segments, rx_bad_checksum, rx_malformed, rx_no_conn;
    uint64_t rx_ooo, rx_dup, rx_out_of_window, rx_paws;
    uint64_t tx_segments, tx_data, tx_rexmit, tx_rst, tx_errors;
    uint64_t rto, fast_rexmit, sack_rexmit, tlp, challenge_acks;
    uint64_t cookies_sent, cookies_ok, cookies_bad, syn_dropped;
    uint64_t accepted, connected, refused, reset, timeouts;
    uint64_t time_wait_recycled;
    uint64_t spurious_undo; /* reductions undone (RFC 3522 detection) */
};

struct uk_tcpip_tcpv4;

/* A connection (internal state; callers only provide the storage). */
struct uk_tcpip_tcp_conn {
    struct uk_flow flow; /* implements FLOW */
    struct uk_tcpip_tcpv4 *tcp;
    struct uk_tcpip_tcp_conn *hnext;  /* hash chain / free list */
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
    uint64_t rtt_start_ns;
    /* CUBIC (RFC 9438): epoch start (0: none), W_max and the curve's
     * origin (bytes), K (ms), the Reno-friendly estimate (bytes << 10),
     * the last growth (ns) */
    uint64_t cc_epoch_ns, cc_w_est, cc_last_ns;
    uint32_t cc_w_max, cc_origin, cc_k_ms;
    /* undo of a reduction found spurious (RFC 3522, RFC 4015): what the
     * reduction replaced, and the timestamp of the first retransmission */
    uint32_t undo_cwnd, undo_ssthresh, undo_w_max, undo_tsval;
    bool undo_ok;
    uint16_t mss, rmss;
    uint8_t snd_ws, rcv_ws, ctl_pending;
    bool ts_ok, sack_ok, ws_ok, fin_queued, in_recovery, rtt_timing;
    bool nodelay, ack_now, closed_by_app, shut, fin_acked;
    bool tlp_pending, tlp_done; /* tail loss probe armed, sent */
    unsigned dupacks, rtx_count, probes, segs_unacked;
    struct { uint32_t start, end; } sack[UK_TCPIP_TCP_SACK];
    unsigned nsack;
    uint8_t *sbuf;
    size_t ssize, shead, slen; /* ring: slen bytes from snd_una at shead */
    /* receive side */
    uint32_t irs, rcv_nxt, rcv_adv, read_seq, rcv_fin_seq;
    bool rcv_fin, fin_pending;
    uint8_t *rbuf;
    size_t rsize, rhead; /* read_seq is at rhead */
    struct { uint32_t start, end; } ooo[UK_TCPIP_TCP_OOO];
    unsigned nooo;
    /* timestamps */
    uint32_t ts_recent, ts_offset, last_ack_sent;
    /* RTO (RFC 6298), ns */
    uint64_t srtt, rttvar, rto;
    /* deadlines multiplexed on `timer` (UK_TIME_NEVER: none) */
    uint64_t t_rtx, t_delack, t_keep, t_retry, rtx_start_ns, idle_since;
    uint64_t keepalive_ns;
    struct uk_timer timer, notify;
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
    struct uk_time *time;
    struct uk_random *rnd;
    struct uk_tcpip_tcp_config cfg;
    struct uk_tcpip_tcp_conn *conns, *free_conns;
    size_t nconns, nfree;
    struct uk_tcpip_tcp_tw *tw;
    size_t ntw, tw_head, tw_count; /* FIFO ring, oldest at tw_head */
    struct uk_tcpip_tcp_listener listeners[UK_TCPIP_TCP_LISTENERS];
    struct uk_tcpip_tcp_conn *hash[UK_TCPIP_TCP_HASH];
    struct uk_tcpip_tcp_tw *twhash[UK_TCPIP_TCP_HASH];
    uint64_t isn_key[2], cookie_key[2];
    uint32_t port_counter;
    uint64_t challenge_sec;
    unsigned challenge_count;
    unsigned half_open;
    struct uk_timer tw_timer, done_timer;
    struct uk_tcpip_tcp_stats stats;
};

/* Bytes of `mem` uk_tcpip_tcp_init needs for nconns connections under cfg
 * (NULL: defaults). */
size_t uk_tcpip_tcp_mem_size(const struct uk_tcpip_tcp_config *cfg,
                             size_t nconns);

/*
 * Initialises tcp over ip (BORROWED for tcp's lifetime), registering it for
 * UK_IPPROTO_TCP.  time (BORROWED) runs timers and deferred completions;
 * rnd (BORROWED) keys ISNs and cookies (read at init) and picks ports.
 * cfg (BORROWED: copied; NULL: defaults).  conns[nconns] and
 * mem[mem_len] (>= uk_tcpip_tcp_mem_size) are owned by the caller and must
 * outlive tcp.  Returns 0, UK_EINVAL (nconns 0, mem too small, bad cfg),
 * UK_EIO (rnd failed) or the error of uk_ipv4_set_handler.
 * Disconnecting tcp resets every connection (pending operations complete
 * with UK_ECANCELED), stops listening and unregisters from ip.
 */
int uk_tcpip_tcp_init(struct uk_tcpip_tcpv4 *tcp, struct uk_ipv4 *ip,
                      struct uk_time *time, struct uk_random *rnd,
                      const struct uk_tcpip_tcp_config *cfg,
                      struct uk_tcpip_tcp_conn *conns, size_t nconns,
                      void *mem, size_t mem_len);

/* Connections in use (any state but TIME_WAIT entries), for tests. */
size_t uk_tcpip_tcp_active(const struct uk_tcpip_tcpv4 *tcp);

#endif
