/*
 * main.c - the api appliance's configuration: options, the target's stack
 * and memory, the `site` store (the form) declared in CMakeLists.txt.
 */
#include <uk/target.h>

#include "api.h"
#include "notes_mem.h"

static struct api_notes_mem notes;
static struct api api;
static struct uk_http_server server;

int uk_main(int argc, char **argv)
{
    struct uk_http_server_config cfg;
    struct uk_http_server_deps deps;
    struct uk_console *con = uk_default_console();
    struct uk_stackv4 *net;
    struct uk_kv_ro *site = NULL;
    size_t cap = uk_image_capacity()->connections;
    uint16_t port = 8080;
    unsigned long notes_kib = 256;
    bool access_log = false;
    int rc;
    {
        const struct uk_opt opts[] = {
            {"port", UK_OPT_PORT, &port, "TCP port to serve on (default 8080)",
             0, 0, NULL},
            {"notes-kib", UK_OPT_UINT, &notes_kib,
             "memory for the notes' text, KiB (default 256)", 1, 1u << 20,
             NULL},
            {"access-log", UK_OPT_FLAG, &access_log,
             "log a line per response on the console", 0, 0, NULL},
            UK_OPT_END,
        };
        rc = uk_parse_options(opts, argc, argv);
    }
    if (rc != UK_RUN)
        return rc;
    if (uk_default_kv_ro("site", &site) != 0)
        site = NULL; /* the API still works without the form */
    if (uk_default_stackv4(&net) != 0)
        return 1;
    api_notes_mem_init(&notes, uk_default_mem(), (size_t)notes_kib << 10,
                       uk_default_time());
    api_init(&api, &notes.notes, site, uk_default_mem(), uk_default_time());
    uk_http_server_config_default(&cfg);
    cfg.max_conns = cap - cap / 16; /* as www: room for one to reclaim */
    cfg.access_log = access_log;
    deps.site = site;
    deps.router = &api.router;
    deps.time = uk_default_time();
    deps.clock = uk_default_clock();
    deps.mem = uk_default_mem();
    deps.console = con;
    rc = uk_http_server_init(&server, &cfg, &deps);
    if (rc == 0)
        rc = uk_stackv4_listen_tcp(net, port, uk_http_server_accept, &server);
    if (rc != 0) {
        uk_console_printf(con, "api: cannot serve on port %u: %s",
                          (unsigned)port, uk_strerror(rc));
        return 1;
    }
    uk_console_printf(con, "api: serving on port %u, %zu connections",
                      (unsigned)port, cfg.max_conns);
    return UK_RUN;
}
