/*
 * www.c - the www appliance, written once for every target: an HTTP/1.1
 * server (lib/http) over the stack's TCP, serving a KV_RO store, its
 * memory from the image's budget.
 */
#include <uk/http_server.h>
#include <uk/target.h>

#include "www.h"

static struct uk_http_server server;

void www_config_default(struct www_config *cfg)
{
    size_t cap = uk_image_capacity()->connections;
    cfg->port = 8080;
    cfg->access_log = false;
    /* all but 1/16 of the image's connections: the TCP layer, sized from
     * the same capacity, still accepts the one we reclaim room for */
    cfg->max_conns = cap - cap / 16;
    cfg->idle_timeout_ms = 60000;
    cfg->header_timeout_ms = 20000;
    cfg->send_timeout_ms = 60000;
}

int www_start(struct uk_console *con, struct uk_kv_ro *site,
              struct uk_stackv4 *net, struct uk_mem *mem,
              const struct www_config *cfg)
{
    struct uk_http_server_config scfg;
    struct uk_http_server_deps deps;
    int rc;
    uk_http_server_config_default(&scfg);
    scfg.max_conns = cfg->max_conns;
    scfg.idle_timeout_ns = cfg->idle_timeout_ms * UK_NS_PER_MS;
    scfg.header_timeout_ns = cfg->header_timeout_ms * UK_NS_PER_MS;
    scfg.send_timeout_ns = cfg->send_timeout_ms * UK_NS_PER_MS;
    scfg.access_log = cfg->access_log;
    deps.site = site;
    deps.time = uk_default_time();
    deps.clock = uk_default_clock();
    deps.mem = mem;
    deps.console = con;
    rc = uk_http_server_init(&server, &scfg, &deps);
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
    uk_console_printf(con, "www: serving %s on port %u, %zu connections",
                      uk_kv_ro_id(site), (unsigned)cfg->port, cfg->max_conns);
    return 0;
}
