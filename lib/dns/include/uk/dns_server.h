/*
 * uk/dns_server.h - the authoritative DNS server: answers from a database
 * (uk/dns_db.h) over UDP (uk_udpv4) and TCP (uk_tcpv4 flows with the
 * 2-byte length framing of RFC 1035 4.2.2 and RFC 7766: several queries
 * per connection, answered in order, closed after an idle timeout).
 *
 * UDP needs no memory beyond the server struct (its reply buffer).  TCP
 * connections take theirs from the image's budget (uk/mem.h), through the
 * server's account, only while they use it: a small record from accept to
 * close; input only while part of a query is waiting for the rest (or
 * queries wait for their turn); a batch of replies only while it is being
 * written.  An idle connection holds only its record.
 *
 * Queries that arrive together (pipelined, RFC 7766 6.2.1.1) are answered
 * together: their replies are gathered into one write of at most
 * UK_DNS_TCP_BATCH_MAX bytes; the next batch is answered when that write
 * completes, so one client's burst takes turns with everyone else's.
 * Reading pauses while a batch is written (back-pressure).
 *
 * Against clients that hold connections without using them: when a
 * connection arrives and tcp_max_conns are open, or the account is under
 * pressure, the oldest idle connection is closed to make room, or with
 * none idle the one whose query has been arriving longest; only when
 * neither exists is the new one closed at once.  A query frame must
 * arrive at tcp_min_rate bytes/s on average once tcp_rate_grace_ns has
 * passed, and within tcp_idle_ns of its first byte: a client sending a
 * byte every few seconds is cut after the grace.  A frame longer than
 * UK_DNS_TCP_QUERY_MAX closes its connection.
 */
#ifndef UK_DNS_SERVER_H
#define UK_DNS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/dlist.h>
#include <uk/dns_answer.h>
#include <uk/dns_cache.h>
#include <uk/dns_db.h>
#include <uk/mem.h>
#include <uk/tcpv4.h>
#include <uk/time.h>
#include <uk/udpv4.h>

#define UK_DNS_UDP_REPLY_MAX 4096  /* largest edns_size accepted */
#define UK_DNS_TCP_QUERY_MAX 4096  /* longest query frame over TCP */
#define UK_DNS_TCP_REPLY_MAX 16384 /* longest reply (larger: TC) */
#define UK_DNS_TCP_BATCH_MAX 16384 /* most reply bytes gathered per write */
#define UK_DNS_TCP_IDLE_DEFAULT_S 10
#define UK_DNS_TCP_CONNS_DEFAULT 64

struct uk_dns_server_cfg {
    uint16_t port;              /* UDP and TCP port */
    uint16_t edns_size;         /* advertised UDP payload, 512..4096 */
    uint64_t tcp_idle_ns;       /* close a TCP connection idle this long */
    size_t tcp_max_conns;       /* TCP connections open at once */
    uint64_t tcp_min_rate;      /* bytes/s a query frame must average after
                                   the grace (0: no rule) */
    uint64_t tcp_rate_grace_ns; /* frame time before the rate applies */
};

/* Fills cfg with the defaults: port 53, edns_size
 * UK_DNS_EDNS_SIZE_DEFAULT, 10 s idle, 64 connections, 64 bytes/s after a
 * 2 s grace. */
void uk_dns_server_config_default(struct uk_dns_server_cfg *cfg);

struct uk_dns_server_stats {
    uint64_t udp_queries, udp_replies, udp_dropped, udp_send_errors;
    uint64_t tcp_accepted, tcp_refused, tcp_queries, tcp_closed_idle,
        tcp_closed_overflow;
    uint64_t tcp_reclaimed;   /* closed to make room for a new one */
    uint64_t tcp_closed_slow; /* closed: a frame below tcp_min_rate */
    uint64_t tcp_no_memory;   /* closed: the budget said no */
};

/* A TCP connection; private to dns/server_tcp.c. */
struct uk_dns_tcp_conn;

struct uk_dns_server {
    const struct uk_dns_db *db;
    struct uk_udpv4 *udp;
    struct uk_tcpv4 *tcp;
    struct uk_time *time;
    struct uk_dns_server_cfg cfg;
    struct uk_dns_answer_cfg udp_answer, tcp_answer;
    struct uk_mem_account acct; /* every byte TCP connections hold */
    /* Open TCP connections by state, each list oldest first: */
    struct uk_dlist idle;    /* nothing pending */
    struct uk_dlist partial; /* part of a query frame in */
    struct uk_dlist busy;    /* answering or writing */
    size_t active;           /* open or closing */
    bool udp_listening, tcp_listening;
    struct uk_dns_server_stats stats;
    struct uk_dns_cache cache; /* entries NULL: no memoised replies */
    uint8_t udp_out[UK_DNS_UDP_REPLY_MAX];
    uint8_t tcp_out[UK_DNS_TCP_REPLY_MAX]; /* one reply, then copied */
};

/*
 * uk_dns_server_init(srv, db, udp, tcp, time, cfg, mem): prepares srv
 * (caller storage).  db, udp, tcp, time and mem are BORROWED for the
 * server's lifetime, cfg is copied; udp or tcp may be NULL to serve only
 * the other; mem (the budget TCP connections draw on) may be NULL when
 * tcp is.  Returns 0 or UK_EINVAL (port 0, edns_size out of range,
 * neither transport, tcp without mem, tcp_max_conns or tcp_idle_ns 0).
 */
int uk_dns_server_init(struct uk_dns_server *srv, const struct uk_dns_db *db,
                       struct uk_udpv4 *udp, struct uk_tcpv4 *tcp,
                       struct uk_time *time,
                       const struct uk_dns_server_cfg *cfg,
                       struct uk_mem *mem);

/*
 * uk_dns_server_use_cache(srv, entries, count): memoises replies in
 * entries[count] (caller storage, BORROWED for the server's lifetime;
 * count a power of two), see uk/dns_cache.h.  Call after init, before
 * start.  Returns 0 or UK_EINVAL.
 */
int uk_dns_server_use_cache(struct uk_dns_server *srv,
                            struct uk_dns_cache_entry *entries, size_t count);

/* Starts listening on cfg->port.  Returns 0 or the transport's listen
 * error (UK_EADDRINUSE, UK_EACCES...), after undoing a partial start. */
int uk_dns_server_start(struct uk_dns_server *srv);

/*
 * Stops listening and closes every TCP connection.  Their memory is given
 * back as their flows' close callbacks run (on later loop turns): keep
 * srv alive until uk_dns_server_active() is 0.
 */
void uk_dns_server_stop(struct uk_dns_server *srv);

/* Open TCP connections. */
static inline size_t uk_dns_server_active(const struct uk_dns_server *srv)
{
    return srv->active;
}

#endif
