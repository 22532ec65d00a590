/*
 * server_env.c - see server_env.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "server_env.h"

uint8_t big[BIG];
const char index_html[16] = "<h1>hello</h1>\n";
const char docs_html[13] = "<p>docs</p>\n";

static struct fake_file files[] = {
    {"", NULL, 0},
    {"index.html", (const uint8_t *)index_html, sizeof index_html - 1},
    {"docs", NULL, 0},
    {"docs/index.html", (const uint8_t *)docs_html, sizeof docs_html - 1},
    {"docs/a b.txt", (const uint8_t *)"space", 5},
    {"nodir", NULL, 0},
    {"empty.css", (const uint8_t *)"", 0},
    {"big.bin", big, BIG},
};

static struct env *cur;

static int con_log(struct uk_console *self, const char *line, size_t len)
{
    UK_UNUSED(self);
    if (len >= sizeof cur->log)
        len = sizeof cur->log - 1;
    memcpy(cur->log, line, len);
    cur->log[len] = '\0';
    cur->logs++;
    return 0;
}

static const struct uk_console_ops con_ops = {.log = con_log};

/* When set, the next env's budget is a uk_heap_mem of this many bytes. */
static size_t next_heap;

struct env *env_new_budget(bool with_map, size_t max_conns, size_t buffers,
                           size_t budget,
                           void (*tune)(struct uk_http_server_config *))
{
    static struct env e;
    struct uk_http_server_config cfg;
    uk_http_server_config_default(&cfg);
    cfg.max_conns = max_conns;
    cfg.body_chunk = 65536;
    cfg.body_pool = buffers * cfg.body_chunk;
    cfg.access_log = true;
    cfg.idle_timeout_ns = 5 * UK_NS_PER_S;
    cfg.header_timeout_ns = 2 * UK_NS_PER_S;
    cfg.send_timeout_ns = 3 * UK_NS_PER_S;
    if (tune != NULL)
        tune(&cfg);
    memset(&e, 0, sizeof e);
    e.cfg = cfg;
    {
        struct uk_http_server_deps deps;
        size_t i;
        cur = &e;
        for (i = 0; i < BIG; i++)
            big[i] = (uint8_t)(i * 7 + i / 251);
        fake_clock_init(&e.clock);
        uk_loop_init(&e.loop, &e.clock.clock, NULL);
        fake_kv_init(&e.kv, files, sizeof files / sizeof files[0], with_map);
        e.console.ops = &con_ops;
        deps.site = &e.kv.kv;
        deps.time = &e.loop.time;
        deps.clock = &e.clock.clock;
        deps.console = &e.console;
        test_mem_init(&e.mem, budget);
        deps.mem = &e.mem.mem;
        if (next_heap > 0) {
            e.region = malloc(next_heap);
            assert_non_null(e.region);
            assert_int_equal(uk_heap_mem_init(&e.heap, e.region, next_heap),
                             0);
            deps.mem = &e.heap.mem;
            next_heap = 0;
        }
        assert_int_equal(uk_http_server_init(&e.srv, &e.cfg, &deps), 0);
    }
    return &e;
}

struct env *env_new_heap(bool with_map, size_t max_conns, size_t buffers,
                         size_t size,
                         void (*tune)(struct uk_http_server_config *))
{
    next_heap = size;
    return env_new_budget(with_map, max_conns, buffers, 0, tune);
}

struct env *env_new(bool with_map, size_t max_conns, size_t buffers)
{
    return env_new_budget(with_map, max_conns, buffers, 64u << 20, NULL);
}

static void stopped(void *arg)
{
    *(int *)arg += 1;
}

void env_end(struct env *e, struct fake_flow *flows, int n)
{
    int done = 0, i;
    uk_http_server_stop(&e->srv, stopped, &done);
    assert_int_equal(done, 0); /* never from inside the call */
    fake_drain(&e->loop);
    assert_int_equal(done, 1);
    assert_int_equal(e->srv.stats.active, 0);
    for (i = 0; i < n; i++) {
        assert_true(flows[i].closed);
        fake_flow_free(&flows[i]);
    }
    /* every byte came back to the budget */
    assert_int_equal(e->srv.acct.used, 0);
    assert_int_equal(e->mem.stats.used, 0);
    if (e->region != NULL) {
        assert_int_equal(e->heap.stats.used, 0);
        free(e->region);
        e->region = NULL;
    }
}

const char *header(const struct resp *r, const char *name)
{
    static char val[512];
    const char *p = r->head;
    size_t n = strlen(name);
    while ((p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1, *e;
            while (*v == ' ')
                v++;
            e = strstr(v, "\r\n");
            snprintf(val, sizeof val, "%.*s", (int)(e - v), v);
            return val;
        }
    }
    return NULL;
}

/* Parses the next response; body present unless no_body. */
void next_resp(struct fake_flow *f, size_t *off, bool no_body, struct resp *r)
{
    const char *s = (const char *)f->tx + *off;
    const char *end;
    const char *cl;
    size_t hl;
    assert_true(*off < f->tx_len);
    end = strstr(s, "\r\n\r\n");
    assert_non_null(end);
    hl = (size_t)(end - s) + 4;
    assert_true(hl < sizeof r->head);
    memcpy(r->head, s, hl);
    r->head[hl] = '\0';
    assert_int_equal(sscanf(r->head, "HTTP/1.1 %d ", &r->status), 1);
    *off += hl;
    cl = header(r, "Content-Length");
    r->body = f->tx + *off;
    r->body_len = no_body || cl == NULL ? 0 : strtoul(cl, NULL, 10);
    assert_true(*off + r->body_len <= f->tx_len);
    *off += r->body_len;
}

void connect_flow(struct env *e, struct fake_flow *f)
{
    fake_flow_init(f, &e->loop.time);
    uk_http_server_accept(&e->srv, &f->flow);
}
