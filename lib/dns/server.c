/*
 * server.c - the DNS server over uk_udpv4 and uk_tcpv4.  See
 * uk/dns_server.h.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/dns_server.h>
#include <uk/err.h>

/* Answers through the cache when there is one. */
static int answer(struct uk_dns_server *srv, const void *msg, size_t len,
                  const struct uk_dns_answer_cfg *cfg, uint8_t *out,
                  size_t cap, size_t *n)
{
    if (srv->cache.entries != NULL)
        return uk_dns_cache_answer(&srv->cache, srv->db, msg, len, cfg, out,
                                   cap, n);
    return uk_dns_answer(srv->db, msg, len, cfg, out, cap, n);
}

/* ---- UDP: one datagram in, at most one out; the reply buffer is the
 * server's, reused for every query (the send copies it). */

static void udp_recv(void *arg, const struct uk_udpv4_info *info,
                     const void *data, size_t len)
{
    struct uk_dns_server *srv = arg;
    size_t n;
    srv->stats.udp_queries++;
    if (answer(srv, data, len, &srv->udp_answer, srv->udp_out,
               sizeof srv->udp_out, &n) != 0) {
        srv->stats.udp_dropped++;
        return;
    }
    if (uk_udpv4_sendto(srv->udp, info->dst.port, &info->src, srv->udp_out,
                        n) != 0)
        srv->stats.udp_send_errors++;
    else
        srv->stats.udp_replies++;
}

/* ---- TCP: per connection, read frames, answer them one at a time in
 * order, one write pending at most; reading pauses while a reply is being
 * written (back-pressure). */

static void conn_process(struct uk_dns_tcp_conn *c);

static void conn_closed(void *arg)
{
    struct uk_dns_tcp_conn *c = arg;
    c->flow = NULL;
    c->srv->active--;
}

static void conn_close(struct uk_dns_tcp_conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    uk_time_cancel(c->srv->time, &c->idle);
    if (uk_flow_close(c->flow, conn_closed, c) != 0)
        conn_closed(c); /* already closing: cannot happen for our flows */
}

static void conn_idle(void *arg)
{
    struct uk_dns_tcp_conn *c = arg;
    c->srv->stats.tcp_closed_idle++;
    conn_close(c);
}

/* Progress either way (input arrived, a reply was taken) restarts the idle
 * timer: a client slowly reading many replies is not idle. */
static void conn_progress(struct uk_dns_tcp_conn *c)
{
    uk_time_after(c->srv->time, &c->idle, c->srv->cfg.tcp_idle_ns, conn_idle,
                  c);
}

static void conn_wrote(void *arg, int status, size_t written)
{
    struct uk_dns_tcp_conn *c = arg;
    (void)written;
    c->writing = false;
    if (c->closing)
        return;
    if (status != 0) {
        conn_close(c);
        return;
    }
    conn_progress(c);
    conn_process(c);
}

static void conn_read(void *arg, int status, const void *data, size_t len)
{
    struct uk_dns_tcp_conn *c = arg;
    c->reading = false;
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c);
        return;
    }
    if (status == UK_EOF) {
        c->eof = true;
    } else {
        if (len > sizeof c->in - c->inlen) {
            c->srv->stats.tcp_closed_overflow++;
            conn_close(c);
            return;
        }
        memcpy(c->in + c->inlen, data, len);
        c->inlen += len;
        conn_progress(c);
    }
    conn_process(c);
}

/* Answers the first complete frame, if any.  Returns true when a write
 * was started (or the connection closed). */
static bool conn_answer(struct uk_dns_tcp_conn *c)
{
    struct uk_dns_server *srv = c->srv;
    while (c->inlen >= 2) {
        size_t flen = uk_load_be16(c->in), n;
        int rc;
        if (flen > UK_DNS_TCP_QUERY_MAX) {
            srv->stats.tcp_closed_overflow++;
            conn_close(c);
            return true;
        }
        if (c->inlen < 2 + flen)
            return false;
        srv->stats.tcp_queries++;
        rc = answer(srv, c->in + 2, flen, &srv->tcp_answer, c->out + 2,
                    sizeof c->out - 2, &n);
        c->inlen -= 2 + flen;
        memmove(c->in, c->in + 2 + flen, c->inlen);
        if (rc != 0)
            continue; /* no reply for this one */
        uk_store_be16(c->out, (uint16_t)n);
        c->writing = true;
        if (uk_flow_write(c->flow, c->out, 2 + n, conn_wrote, c) != 0) {
            c->writing = false;
            conn_close(c);
        }
        return true;
    }
    return false;
}

static void conn_process(struct uk_dns_tcp_conn *c)
{
    if (c->writing || c->closing || conn_answer(c))
        return;
    if (c->eof) {
        conn_close(c);
        return;
    }
    if (!c->reading) {
        c->reading = true;
        if (uk_flow_read(c->flow, conn_read, c) != 0) {
            c->reading = false;
            conn_close(c);
        }
    }
}

static void tcp_accept(void *arg, struct uk_flow *flow)
{
    struct uk_dns_server *srv = arg;
    struct uk_dns_tcp_conn *c = NULL;
    size_t i;
    for (i = 0; i < srv->nconns; i++)
        if (srv->conns[i].flow == NULL) {
            c = &srv->conns[i];
            break;
        }
    if (c == NULL) {
        srv->stats.tcp_refused++;
        (void)uk_flow_close(flow, NULL, NULL);
        return;
    }
    srv->stats.tcp_accepted++;
    srv->active++;
    c->srv = srv;
    c->flow = flow;
    c->inlen = 0;
    c->reading = c->writing = c->eof = c->closing = false;
    memset(&c->idle, 0, sizeof c->idle);
    (void)uk_flow_set_option(flow, UK_FLOW_NODELAY, 1);
    conn_progress(c);
    conn_process(c);
}

int uk_dns_server_init(struct uk_dns_server *srv, const struct uk_dns_db *db,
                       struct uk_udpv4 *udp, struct uk_tcpv4 *tcp,
                       struct uk_time *time,
                       const struct uk_dns_server_cfg *cfg,
                       struct uk_dns_tcp_conn *conns, size_t nconns)
{
    size_t i;
    if (cfg->port == 0 || cfg->edns_size < UK_DNS_UDP_MIN ||
        cfg->edns_size > UK_DNS_UDP_REPLY_MAX ||
        (udp == NULL && tcp == NULL) ||
        (tcp != NULL && (nconns == 0 || cfg->tcp_idle_ns == 0)))
        return UK_EINVAL;
    memset(&srv->stats, 0, sizeof srv->stats);
    srv->db = db;
    srv->udp = udp;
    srv->tcp = tcp;
    srv->time = time;
    srv->cfg = *cfg;
    srv->udp_answer.tcp = false;
    srv->udp_answer.edns_size = cfg->edns_size;
    srv->tcp_answer.tcp = true;
    srv->tcp_answer.edns_size = cfg->edns_size;
    srv->conns = conns;
    srv->nconns = nconns;
    srv->active = 0;
    srv->udp_listening = srv->tcp_listening = false;
    srv->cache.entries = NULL;
    for (i = 0; i < nconns; i++) {
        conns[i].flow = NULL;
        conns[i].srv = srv;
    }
    return 0;
}

int uk_dns_server_use_cache(struct uk_dns_server *srv,
                            struct uk_dns_cache_entry *entries, size_t count)
{
    return uk_dns_cache_init(&srv->cache, entries, count);
}

int uk_dns_server_start(struct uk_dns_server *srv)
{
    int rc;
    if (srv->udp != NULL) {
        rc = uk_udpv4_listen(srv->udp, srv->cfg.port, udp_recv, srv);
        if (rc != 0)
            return rc;
        srv->udp_listening = true;
    }
    if (srv->tcp != NULL) {
        rc = uk_tcpv4_listen(srv->tcp, srv->cfg.port, 0, tcp_accept, srv);
        if (rc != 0) {
            uk_dns_server_stop(srv);
            return rc;
        }
        srv->tcp_listening = true;
    }
    return 0;
}

void uk_dns_server_stop(struct uk_dns_server *srv)
{
    size_t i;
    if (srv->udp_listening)
        (void)uk_udpv4_unlisten(srv->udp, srv->cfg.port);
    if (srv->tcp_listening)
        (void)uk_tcpv4_unlisten(srv->tcp, srv->cfg.port);
    srv->udp_listening = srv->tcp_listening = false;
    for (i = 0; i < srv->nconns; i++)
        if (srv->conns[i].flow != NULL)
            conn_close(&srv->conns[i]);
}
