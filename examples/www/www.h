/* www.h - the www appliance: a static web site over HTTP/1.1. */
#ifndef WWW_H
#define WWW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/kv_ro.h>
#include <uk/mem.h>
#include <uk/stackv4.h>

struct www_config {
    uint16_t port;              /* TCP port (default 8080) */
    bool access_log;            /* a console line per response */
    size_t max_conns;           /* HTTP connections open at once (default:
                                   from the image's declared connections) */
    uint64_t idle_timeout_ms;   /* keep-alive idle (default 60000) */
    uint64_t header_timeout_ms; /* request head completion (default 20000) */
    uint64_t send_timeout_ms;   /* write progress (default 60000) */
};

/* Fills cfg with the defaults, max_conns from uk_image_capacity(). */
void www_config_default(struct www_config *cfg);

/*
 * Serves the files of site on cfg->port of net (index.html for
 * directories), with the HTTP server of uk/http_server.h, its memory from
 * mem (BORROWED for the image's lifetime).  Logs the address it listens on
 * to con.  Returns 0, or logs why and returns a UK_E* code (bad
 * configuration, port in use).
 */
int www_start(struct uk_console *con, struct uk_kv_ro *site,
              struct uk_stackv4 *net, struct uk_mem *mem,
              const struct www_config *cfg);

#endif
