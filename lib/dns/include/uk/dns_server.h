/*
 * uk/dns_server.h - the authoritative DNS server: answers from a database
 * (uk/dns_db.h) over UDP (uk_udpv4) and TCP (uk_tcpv4 flows with the
 * 2-byte length framing of RFC 1035 4.2.2 and RFC 7766: several queries
 * per connection, answered in order, closed after an idle timeout).
 *
 * No allocation: the server struct holds the UDP reply buffer, and the
 * caller provides a fixed pool of TCP connection records, each with
 * bounded input and output buffers.  When the pool is exhausted new
 * connections are closed at once.  A connection whose client sends more
 * than fits its input buffer before reading the replies (or a frame longer
 * than UK_DNS_TCP_QUERY_MAX) is closed.
 */
#ifndef UK_DNS_SERVER_H
#define UK_DNS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/dns_answer.h>
#include <uk/dns_cache.h>
#include <uk/dns_db.h>
#include <uk/tcpv4.h>
#include <uk/time.h>
#include <uk/udpv4.h>

#define UK_DNS_UDP_REPLY_MAX 4096  /* largest edns_size accepted */
#define UK_DNS_TCP_QUERY_MAX 4096  /* longest query frame over TCP */
#define UK_DNS_TCP_IN_MAX 8192     /* per-connection input buffer */
#define UK_DNS_TCP_REPLY_MAX 16384 /* per-connection reply (larger: TC) */
#define UK_DNS_TCP_IDLE_DEFAULT_S 10

struct uk_dns_server_cfg {
    uint16_t port;        /* UDP and TCP port */
    uint16_t edns_size;   /* advertised UDP payload, 512..4096 */
    uint64_t tcp_idle_ns; /* close a TCP connection idle this long */
};

struct uk_dns_server_stats {
    uint64_t udp_queries, udp_replies, udp_dropped, udp_send_errors;
    uint64_t tcp_accepted, tcp_refused, tcp_queries, tcp_closed_idle,
        tcp_closed_overflow;
};

struct uk_dns_server;

/* A TCP connection record: storage the caller provides, in an array. */
struct uk_dns_tcp_conn {
    struct uk_dns_server *srv;
    struct uk_flow *flow; /* NULL: the record is free */
    struct uk_timer idle;
    size_t inlen;
    bool reading, writing, eof, closing;
    uint8_t in[UK_DNS_TCP_IN_MAX];
    uint8_t out[2 + UK_DNS_TCP_REPLY_MAX];
};

struct uk_dns_server {
    const struct uk_dns_db *db;
    struct uk_udpv4 *udp;
    struct uk_tcpv4 *tcp;
    struct uk_time *time;
    struct uk_dns_server_cfg cfg;
    struct uk_dns_answer_cfg udp_answer, tcp_answer;
    struct uk_dns_tcp_conn *conns;
    size_t nconns, active;
    bool udp_listening, tcp_listening;
    struct uk_dns_server_stats stats;
    struct uk_dns_cache cache; /* entries NULL: no memoised replies */
    uint8_t udp_out[UK_DNS_UDP_REPLY_MAX];
};

/*
 * uk_dns_server_init(srv, db, udp, tcp, time, cfg, conns, nconns):
 * prepares srv (caller storage).  db, udp, tcp, time, cfg and conns are
 * BORROWED for the server's lifetime; udp or tcp may be NULL to serve only
 * the other; conns[nconns] is the TCP connection pool (nconns may be 0
 * when tcp is NULL).  Returns 0 or UK_EINVAL (port 0, edns_size out of
 * range, neither transport, tcp without conns, tcp_idle_ns 0).
 */
int uk_dns_server_init(struct uk_dns_server *srv, const struct uk_dns_db *db,
                       struct uk_udpv4 *udp, struct uk_tcpv4 *tcp,
                       struct uk_time *time,
                       const struct uk_dns_server_cfg *cfg,
                       struct uk_dns_tcp_conn *conns, size_t nconns);

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
 * Stops listening and closes every TCP connection.  The connection
 * records stay in use until their flows' close callbacks have run (on
 * later loop turns): keep srv and conns alive until
 * uk_dns_server_active() is 0.
 */
void uk_dns_server_stop(struct uk_dns_server *srv);

/* Open TCP connections. */
static inline size_t uk_dns_server_active(const struct uk_dns_server *srv)
{
    return srv->active;
}

#endif
