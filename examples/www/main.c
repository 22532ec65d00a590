/*
 * main.c - www's configuration: options, the target's stack and the
 * `site` store declared in CMakeLists.txt.
 */
#include <uk/target.h>

#include "www.h"

int uk_main(int argc, char **argv)
{
    struct www_config cfg;
    unsigned long idle, header, send;
    struct uk_stackv4 *net;
    struct uk_kv_ro *site;
    int rc;
    www_config_default(&cfg);
    idle = (unsigned long)cfg.idle_timeout_ms;
    header = (unsigned long)cfg.header_timeout_ms;
    send = (unsigned long)cfg.send_timeout_ms;
    {
        const struct uk_opt opts[] = {
            {"port", UK_OPT_PORT, &cfg.port,
             "TCP port to serve on (default 8080)", 0, 0, NULL},
            {"access-log", UK_OPT_FLAG, &cfg.access_log,
             "log a line per response on the console", 0, 0, NULL},
            {"idle-timeout-ms", UK_OPT_UINT, &idle,
             "close a keep-alive connection idle this long (default 60000)", 1,
             86400000, NULL},
            {"header-timeout-ms", UK_OPT_UINT, &header,
             "time allowed for a request head (default 20000)", 1, 86400000,
             NULL},
            {"send-timeout-ms", UK_OPT_UINT, &send,
             "close a connection whose writes stall this long (default "
             "60000)",
             1, 86400000, NULL},
            UK_OPT_END,
        };
        rc = uk_parse_options(opts, argc, argv);
    }
    if (rc != UK_RUN)
        return rc;
    cfg.idle_timeout_ms = idle;
    cfg.header_timeout_ms = header;
    cfg.send_timeout_ms = send;
    rc = uk_default_kv_ro("site", &site);
    if (rc != 0) {
        uk_console_printf(uk_default_console(), "www: no site store: %s",
                          uk_strerror(rc));
        return 1;
    }
    if (uk_default_stackv4(&net) != 0)
        return 1;
    if (www_start(uk_default_console(), site, net, uk_default_mem(), &cfg) !=
        0)
        return 1;
    return UK_RUN;
}
