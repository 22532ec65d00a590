/* www.h - the www appliance: a static web site over HTTP/1.1. */
#ifndef WWW_H
#define WWW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/kv_ro.h>
#include <uk/stackv4.h>

/* Most connections served at once (--max-clients): the memory for them is
 * reserved in the image. */
#define WWW_MAX_CONNS 1124

struct www_config {
    uint16_t port;              /* TCP port (default 8080) */
    bool access_log;            /* a console line per response */
    size_t max_conns;           /* 1..WWW_MAX_CONNS (default 1124) */
    uint64_t idle_timeout_ms;   /* keep-alive idle (default 60000) */
    uint64_t header_timeout_ms; /* request head completion (default 20000) */
    uint64_t send_timeout_ms;   /* write progress (default 60000) */
};

/* Fills cfg with the defaults. */
void www_config_default(struct www_config *cfg);

/*
 * Serves the files of site on cfg->port of net (index.html for
 * directories), with the HTTP server of uk/http_server.h.  Logs the
 * address it listens on to con.  Returns 0, or logs why and returns a
 * UK_E* code (bad configuration, port in use).
 */
int www_start(struct uk_console *con, struct uk_kv_ro *site,
              struct uk_stackv4 *net, const struct www_config *cfg);

#endif
