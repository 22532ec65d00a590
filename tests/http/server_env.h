/*
 * server_env.h - the HTTP server tests' common ground: a small site in a
 * fake store, a server over fake flows on a fake clock with a test budget
 * (test_mem.h), and a parser for the responses a fake flow collected.
 */
#ifndef UK_TEST_HTTP_SERVER_ENV_H
#define UK_TEST_HTTP_SERVER_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/heap_mem.h>
#include <uk/http_server.h>
#include <uk/loop.h>

#include "fake.h"
#include "test_mem.h"

/* The site: "", index.html, docs/, docs/index.html, "docs/a b.txt",
 * nodir/, empty.css, and big.bin (BIG bytes of `big`). */
#define BIG 300000
extern uint8_t big[BIG];
extern const char index_html[16]; /* "<h1>hello</h1>\n" */
extern const char docs_html[13];  /* "<p>docs</p>\n" */

struct env {
    struct fake_clock clock;
    struct uk_loop loop;
    struct fake_kv kv;
    struct uk_console console;
    struct uk_http_server_config cfg;
    struct uk_http_server srv;
    struct test_mem mem;     /* the budget, unless region is set */
    struct uk_heap_mem heap; /* the budget over region (env_new_heap) */
    void *region;
    char log[512];
    int logs;
};

/*
 * A server of max_conns connections, a pool of `buffers` 64 KiB body
 * chunks, 5 s idle, 2 s header and 3 s send timeouts, an access log, and
 * a budget of budget bytes; tune (may be NULL) changes the config last.
 * One env at a time (it is static).
 */
struct env *env_new_budget(bool with_map, size_t max_conns, size_t buffers,
                           size_t budget,
                           void (*tune)(struct uk_http_server_config *));

/* The same with a real allocator (uk_heap_mem) over size bytes. */
struct env *env_new_heap(bool with_map, size_t max_conns, size_t buffers,
                         size_t size,
                         void (*tune)(struct uk_http_server_config *));

/* The same with a 64 MiB budget and no tuning. */
struct env *env_new(bool with_map, size_t max_conns, size_t buffers);

/* Stops the server, checks every flow[0..n) is closed and every byte came
 * back to the budget, and frees the flows. */
void env_end(struct env *e, struct fake_flow *flows, int n);

/* One response parsed from f->tx at *off. */
struct resp {
    int status;
    char head[2048];
    const uint8_t *body;
    size_t body_len;
};

/* The value of header name in r (a static buffer), or NULL. */
const char *header(const struct resp *r, const char *name);

/* Parses the next response of f->tx at *off; body present unless no_body. */
void next_resp(struct fake_flow *f, size_t *off, bool no_body, struct resp *r);

/* Inits f and hands it to the server. */
void connect_flow(struct env *e, struct fake_flow *f);

#endif
