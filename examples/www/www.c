/*
 * www.c - the www appliance, written once for every target: an HTTP/1.1
 * server (lib/http) over the stack's TCP, serving a KV_RO store.
 */
#include <uk/http_server.h>
#include <uk/target.h>

#include "www.h"

/* Request-head limits and buffers (see uk/http_server.h). */
#define WWW_HEAD_MAX UK_HTTP_HEAD_MAX
#define WWW_IN_BUF 16384 /* the largest read a flow delivers on unix */
#define WWW_CHUNK 65536
#define WWW_BUFFERS 64

/* The server's memory, reserved for WWW_MAX_CONNS connections. */
static union {
    uint64_t align_u;
    void *align_p;
    double align_d;
    unsigned char bytes[UK_HTTP_SERVER_MEM(
        WWW_MAX_CONNS, WWW_HEAD_MAX, WWW_IN_BUF, WWW_CHUNK, WWW_BUFFERS)];
} mem;

static struct uk_http_server server;

void www_config_default(struct www_config *cfg)
{
    cfg->port = 8080;
    cfg->access_log = false;
    cfg->max_conns = 1124;
    cfg->idle_timeout_ms = 60000;
    cfg->header_timeout_ms = 20000;
    cfg->send_timeout_ms = 60000;
}

int www_start(struct uk_console *con, struct uk_kv_ro *site,
              struct uk_stackv4 *net, const struct www_config *cfg)
{
    struct uk_http_server_config scfg;
    struct uk_http_server_deps deps;
    int rc;
    if (cfg->max_conns < 1 || cfg->max_conns > WWW_MAX_CONNS) {
        uk_console_printf(con, "www: --max-clients must be 1..%d",
                          WWW_MAX_CONNS);
        return UK_EINVAL;
    }
    uk_http_server_config_default(&scfg);
    scfg.max_conns = cfg->max_conns;
    scfg.limits.head_max = WWW_HEAD_MAX;
    scfg.in_buf = WWW_IN_BUF;
    scfg.body_chunk = WWW_CHUNK;
    scfg.body_buffers = WWW_BUFFERS;
    scfg.idle_timeout_ns = cfg->idle_timeout_ms * UK_NS_PER_MS;
    scfg.header_timeout_ns = cfg->header_timeout_ms * UK_NS_PER_MS;
    scfg.send_timeout_ns = cfg->send_timeout_ms * UK_NS_PER_MS;
    scfg.access_log = cfg->access_log;
    deps.site = site;
    deps.time = uk_default_time();
    deps.clock = uk_default_clock();
    deps.console = con;
    rc = uk_http_server_init(&server, &scfg, &deps, mem.bytes,
                             sizeof mem.bytes);
    if (rc != 0) {
        uk_console_printf(con, "www: server setup failed: %s",
                          uk_strerror(rc));
        return rc;
    }
    rc = uk_stackv4_listen_tcp(net, cfg->port, uk_http_server_accept, &server);
    if (rc != 0) {
        uk_console_printf(con, "www: cannot listen on port %u: %s",
                          (unsigned)cfg->port, uk_strerror(rc));
        return rc;
    }
    uk_console_printf(con, "www: serving %s on port %u", uk_kv_ro_id(site),
                      (unsigned)cfg->port);
    return 0;
}
