/*
 * server.c - the DNS server: set-up, start and stop, and UDP.  TCP
 * connections are server_tcp.c's.  See uk/dns_server.h.
 */
#include <string.h>

#include <uk/err.h>

#include "server_priv.h"

void uk_dns_server_config_default(struct uk_dns_server_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->port = 53;
    cfg->edns_size = UK_DNS_EDNS_SIZE_DEFAULT;
    cfg->tcp_idle_ns = (uint64_t)UK_DNS_TCP_IDLE_DEFAULT_S * UK_NS_PER_S;
    cfg->tcp_max_conns = UK_DNS_TCP_CONNS_DEFAULT;
    cfg->tcp_min_rate = 64;
    cfg->tcp_rate_grace_ns = 2 * UK_NS_PER_S;
}

int uk__dns_answer(struct uk_dns_server *srv, const void *msg, size_t len,
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
    if (uk__dns_answer(srv, data, len, &srv->udp_answer, srv->udp_out,
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

int uk_dns_server_init(struct uk_dns_server *srv, const struct uk_dns_db *db,
                       struct uk_udpv4 *udp, struct uk_tcpv4 *tcp,
                       struct uk_time *time,
                       const struct uk_dns_server_cfg *cfg, struct uk_mem *mem)
{
    if (cfg->port == 0 || cfg->edns_size < UK_DNS_UDP_MIN ||
        cfg->edns_size > UK_DNS_UDP_REPLY_MAX ||
        (udp == NULL && tcp == NULL) ||
        (tcp != NULL &&
         (mem == NULL || cfg->tcp_max_conns == 0 || cfg->tcp_idle_ns == 0)))
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
    uk_mem_account_init(&srv->acct, mem, "dns", (size_t)-1, (size_t)-1);
    uk_dlist_init(&srv->idle);
    uk_dlist_init(&srv->partial);
    uk_dlist_init(&srv->busy);
    srv->active = 0;
    srv->udp_listening = srv->tcp_listening = false;
    srv->cache.entries = NULL;
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
        rc = uk_tcpv4_listen(srv->tcp, srv->cfg.port, 0, uk__dns_tcp_accept,
                             srv);
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
    if (srv->udp_listening)
        (void)uk_udpv4_unlisten(srv->udp, srv->cfg.port);
    if (srv->tcp_listening)
        (void)uk_tcpv4_unlisten(srv->tcp, srv->cfg.port);
    srv->udp_listening = srv->tcp_listening = false;
    uk__dns_tcp_close_all(srv);
}
