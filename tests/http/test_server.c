/*
 * test_server.c - the HTTP server over fake flows, a fake clock and fake
 * stores: status codes, headers, keep-alive, pipelining, bodies through
 * map() and through chunked reads, the buffer pool, limits, timeouts.
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

#include <uk/http_server.h>
#include <uk/loop.h>

#include "fake.h"

#define BIG 300000

static uint8_t big[BIG];
static const char index_html[] = "<h1>hello</h1>\n";
static const char docs_html[] = "<p>docs</p>\n";

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

struct env {
    struct fake_clock clock;
    struct uk_loop loop;
    struct fake_kv kv;
    struct uk_console console;
    struct uk_http_server_config cfg;
    struct uk_http_server srv;
    void *mem;
    char log[512];
    int logs;
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

/* env_start clears cfg: set it up first, then start. */
static struct env *env_new(bool with_map, size_t max_conns, size_t buffers)
{
    static struct env e;
    struct uk_http_server_config cfg;
    uk_http_server_config_default(&cfg);
    cfg.max_conns = max_conns;
    cfg.body_buffers = buffers;
    cfg.body_chunk = 65536;
    cfg.access_log = true;
    cfg.idle_timeout_ns = 5 * UK_NS_PER_S;
    cfg.header_timeout_ns = 2 * UK_NS_PER_S;
    cfg.send_timeout_ns = 3 * UK_NS_PER_S;
    memset(&e, 0, sizeof e);
    e.cfg = cfg;
    {
        struct uk_http_server_deps deps;
        size_t i, n;
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
        n = uk_http_server_mem_size(&e.cfg);
        assert_true(n > 0);
        e.mem = malloc(n);
        assert_non_null(e.mem);
        assert_int_equal(uk_http_server_init(&e.srv, &e.cfg, &deps, e.mem, n),
                         0);
    }
    return &e;
}

static void stopped(void *arg)
{
    *(int *)arg += 1;
}

static void env_end(struct env *e, struct fake_flow *flows, int n)
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
    free(e->mem);
}

/* One response parsed from f->tx at *off. */
struct resp {
    int status;
    char head[2048];
    const uint8_t *body;
    size_t body_len;
};

static const char *header(const struct resp *r, const char *name)
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
static void next_resp(struct fake_flow *f, size_t *off, bool no_body,
                      struct resp *r)
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

static void connect_flow(struct env *e, struct fake_flow *f)
{
    fake_flow_init(f, &e->loop.time);
    uk_http_server_accept(&e->srv, &f->flow);
}

static void test_get_and_headers(void **state)
{
    struct env *e = env_new(false, 4, 4);
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    (void)state;
    connect_flow(e, &f);
    fake_flow_push_str(&f, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, sizeof index_html - 1);
    assert_memory_equal(r.body, index_html, r.body_len);
    assert_string_equal(header(&r, "Server"), "uk");
    assert_string_equal(header(&r, "Date"), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_string_equal(header(&r, "Content-Type"),
                        "text/html; charset=utf-8");
    assert_string_equal(header(&r, "Last-Modified"),
                        "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_non_null(header(&r, "ETag"));
    assert_null(header(&r, "Connection"));
    assert_int_equal(f.writevs, 1); /* header and body together */
    assert_int_equal(off, f.tx_len);
    assert_false(f.closing);
    assert_string_equal(e->log, "10.0.0.2:1234 GET / 200 15");
    /* HEAD: same headers, no body */
    fake_flow_push_str(&f, "HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    next_resp(&f, &off, true, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Length"), "15");
    assert_int_equal(off, f.tx_len);
    /* an empty file */
    fake_flow_push_str(&f, "GET /empty.css HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Length"), "0");
    assert_string_equal(header(&r, "Content-Type"), "text/css; charset=utf-8");
    env_end(e, &f, 1);
}

struct status_case {
    const char *req;
    int status;
    const char *hname, *hval;
    bool closes;
};

static void test_statuses(void **state)
{
    static const struct status_case cases[] = {
        {"GET /missing HTTP/1.1\r\nHost: x\r\n\r\n", 404, NULL, NULL, false},
        {"POST / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "Allow", "GET, HEAD",
         false},
        {"GET /../secret HTTP/1.1\r\nHost: x\r\n\r\n", 400, NULL, NULL, false},
        {"GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, NULL, NULL, false},
        {"GET /docs HTTP/1.1\r\nHost: x\r\n\r\n", 301, "Location", "/docs/",
         false},
        {"GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n", 200, "Content-Length", "12",
         false},
        {"GET /docs/a%20b.txt HTTP/1.1\r\nHost: x\r\n\r\n", 200,
         "Content-Type", "text/plain; charset=utf-8", false},
        {"GET /nodir/ HTTP/1.1\r\nHost: x\r\n\r\n", 404, NULL, NULL, false},
        {"GET /index.html/ HTTP/1.1\r\nHost: x\r\n\r\n", 404, NULL, NULL,
         false},
        {"GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n", 206,
         "Content-Range", "bytes 10-19/300000", false},
        {"GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=300000-\r\n\r\n",
         416, "Content-Range", "bytes */300000", false},
        {"GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=1-2,4-5\r\n"
         "If-None-Match: \"nope\"\r\n\r\n",
         200, "Content-Length", "300000", false},
        {"GET / HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: "
         "Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
         304, "ETag", NULL, false},
        {"GET / HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: "
         "Sun, 06 Nov 1994 08:49:36 GMT\r\n\r\n",
         200, NULL, NULL, false},
        {"GET / HTTP/1.0\r\n\r\n", 200, "Connection", "close", true},
        {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200, "Connection",
         "keep-alive", false},
        {"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200,
         "Connection", "close", true},
        {"GET / HTTP/1.1\r\n\r\n", 400, "Connection", "close", true},
        {"GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505, NULL, NULL, true},
        {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501,
         NULL, NULL, true},
        {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
         200, "Connection", "close", true},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct env *e = env_new(i % 2 == 0, 2, 2);
        struct fake_flow f;
        struct resp r;
        size_t off = 0;
        connect_flow(e, &f);
        fake_flow_push_str(&f, cases[i].req);
        fake_drain(&e->loop);
        next_resp(&f, &off, cases[i].status == 304, &r);
        if (r.status != cases[i].status)
            fail_msg("case %zu: status %d want %d", i, r.status,
                     cases[i].status);
        if (cases[i].hname != NULL) {
            const char *v = header(&r, cases[i].hname);
            if (v == NULL || (cases[i].hval && strcmp(v, cases[i].hval)))
                fail_msg("case %zu: %s is %s", i, cases[i].hname,
                         v ? v : "(none)");
        }
        assert_int_equal(off, f.tx_len);
        assert_int_equal(f.closing, cases[i].closes);
        if (r.status == 206)
            assert_memory_equal(r.body, big + 10, 10);
        if (r.status == 304)
            assert_null(header(&r, "Content-Length"));
        env_end(e, &f, 1);
    }
}

static void test_conditional_etag(void **state)
{
    struct env *e = env_new(true, 2, 2);
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    char req[256], etag[64];
    (void)state;
    connect_flow(e, &f);
    fake_flow_push_str(&f, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    snprintf(etag, sizeof etag, "%s", header(&r, "ETag"));
    snprintf(req, sizeof req,
             "GET /big.bin HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"x\", %s\r\n"
             "\r\n",
             etag);
    fake_flow_push_str(&f, req);
    fake_drain(&e->loop);
    next_resp(&f, &off, true, &r);
    assert_int_equal(r.status, 304);
    /* If-Range with the current tag: the range applies; a stale one: 200 */
    snprintf(req, sizeof req,
             "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-5\r\n"
             "If-Range: %s\r\n\r\n",
             etag);
    fake_flow_push_str(&f, req);
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 206);
    assert_memory_equal(r.body, big + BIG - 5, 5);
    fake_flow_push_str(&f, "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: "
                           "bytes=-5\r\nIf-Range: \"old\"\r\n\r\n");
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, BIG);
    assert_int_equal(off, f.tx_len);
    env_end(e, &f, 1);
}

static void test_pipelining(void **state)
{
    static const char reqs[] =
        "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
        "HEAD /docs/ HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\nabcdefg"
        "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /docs/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        "GET /never HTTP/1.1\r\nHost: x\r\n\r\n";
    static const int want[] = {200, 200, 405, 404, 200, 200};
    size_t chunk;
    (void)state;
    for (chunk = 0; chunk < 4; chunk++) {
        struct env *e = env_new(chunk % 2 == 1, 2, 1);
        struct fake_flow f;
        struct resp r;
        size_t off = 0, i;
        connect_flow(e, &f);
        f.rx_chunk = chunk == 0 ? 0 : chunk == 1 ? 1 : chunk == 2 ? 13 : 100;
        fake_flow_push(&f, reqs, sizeof reqs - 1);
        fake_drain(&e->loop);
        for (i = 0; i < sizeof want / sizeof want[0]; i++) {
            next_resp(&f, &off, i == 1, &r);
            assert_int_equal(r.status, want[i]);
            if (i == 4)
                assert_memory_equal(r.body, big, BIG);
        }
        assert_int_equal(off, f.tx_len); /* nothing for /never */
        assert_true(f.closing);
        assert_int_equal(e->srv.stats.requests, 6);
        env_end(e, &f, 1);
    }
}

/* Big bodies: chunked reads from a pool buffer, or mapped. */
static void test_big_bodies(void **state)
{
    int m;
    (void)state;
    for (m = 0; m < 2; m++) {
        struct env *e = env_new(m == 1, 2, 1);
        struct fake_flow f;
        struct resp r;
        size_t off = 0;
        connect_flow(e, &f);
        fake_flow_push_str(&f, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        fake_drain(&e->loop);
        next_resp(&f, &off, false, &r);
        assert_int_equal(r.status, 200);
        assert_int_equal(r.body_len, BIG);
        assert_memory_equal(r.body, big, BIG);
        if (m == 1) {
            assert_int_equal(f.writevs, 1);
            assert_int_equal(e->kv.reads, 0);
        } else {
            assert_int_equal(f.writevs, (BIG + 65535) / 65536);
            assert_int_equal(e->kv.reads, (BIG + 65535) / 65536);
        }
        env_end(e, &f, 1);
    }
}

/* One body buffer, two connections: the second waits for the first. */
static void test_buffer_pool(void **state)
{
    struct env *e = env_new(false, 3, 1);
    struct fake_flow f[2];
    struct resp r;
    int i, rounds = 0;
    (void)state;
    for (i = 0; i < 2; i++) {
        connect_flow(e, &f[i]);
        f[i].hold_writes = true;
        fake_flow_push_str(&f[i], "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    fake_drain(&e->loop);
    assert_true(f[0].write_pending);
    assert_false(f[1].write_pending); /* waiting for the buffer */
    while ((f[0].write_pending || f[1].write_pending) && rounds++ < 100) {
        for (i = 0; i < 2; i++)
            fake_flow_release(&f[i]);
        fake_drain(&e->loop);
    }
    for (i = 0; i < 2; i++) {
        size_t off = 0;
        next_resp(&f[i], &off, false, &r);
        assert_int_equal(r.status, 200);
        assert_memory_equal(r.body, big, BIG);
    }
    env_end(e, f, 2);
}

/* Connections waiting for the one body buffer time out while it is held:
 * each leaves the wait queue, the buffer returns to the pool, and a new
 * client is served in full. */
static void test_buffer_waiters_leave(void **state)
{
    struct env *e = env_new(false, 5, 1);
    struct fake_flow f[5];
    struct resp r;
    size_t off = 0;
    int i, rounds = 0;
    (void)state;
    for (i = 0; i < 4; i++) {
        connect_flow(e, &f[i]);
        f[i].hold_writes = true;
        fake_flow_push_str(&f[i], "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        fake_drain(&e->loop);
    }
    assert_true(f[0].write_pending);
    for (i = 1; i < 4; i++)
        assert_false(f[i].write_pending); /* queued for the buffer */
    fake_advance(&e->loop, &e->clock, 3 * UK_NS_PER_S);
    for (i = 0; i < 4; i++)
        assert_true(f[i].closed);
    assert_int_equal(e->srv.stats.active, 0);
    connect_flow(e, &f[4]);
    fake_flow_push_str(&f[4], "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    while (f[4].write_pending && rounds++ < 100) {
        fake_flow_release(&f[4]);
        fake_drain(&e->loop);
    }
    next_resp(&f[4], &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, big, BIG);
    env_end(e, f, 5);
}

static void test_limits_and_refusal(void **state)
{
    struct env *e = env_new(false, 2, 1);
    struct fake_flow f[3];
    struct resp r;
    size_t off = 0;
    static char line[10000];
    (void)state;
    connect_flow(e, &f[0]);
    connect_flow(e, &f[1]);
    connect_flow(e, &f[2]);
    fake_drain(&e->loop);
    assert_true(f[2].closed); /* no slot */
    assert_int_equal(e->srv.stats.refused, 1);
    fake_flow_free(&f[2]);
    /* 414 */
    memset(line, 'a', sizeof line - 1);
    memcpy(line, "GET /", 5);
    fake_flow_push(&f[0], line, sizeof line - 1);
    fake_drain(&e->loop);
    next_resp(&f[0], &off, false, &r);
    assert_int_equal(r.status, 414);
    assert_true(f[0].closed);
    /* 431 */
    off = 0;
    fake_flow_push_str(&f[1], "GET / HTTP/1.1\r\nHost: x\r\nX: ");
    fake_flow_push(&f[1], line, sizeof line - 1);
    fake_drain(&e->loop);
    next_resp(&f[1], &off, false, &r);
    assert_int_equal(r.status, 431);
    assert_string_equal(header(&r, "Connection"), "close");
    assert_true(f[1].closed);
    /* the slots are free again */
    assert_int_equal(e->srv.stats.active, 0);
    connect_flow(e, &f[2]);
    fake_drain(&e->loop);
    assert_false(f[2].closing);
    env_end(e, f, 3);
}

static void test_timeouts(void **state)
{
    struct env *e = env_new(false, 4, 1);
    struct fake_flow f[3];
    struct resp r;
    size_t off = 0;
    (void)state;
    connect_flow(e, &f[0]); /* idle: says nothing */
    connect_flow(e, &f[1]); /* starts a request, never ends it */
    connect_flow(e, &f[2]); /* served, then idle */
    fake_flow_push_str(&f[1], "GET / HTTP/1.1\r\n");
    fake_flow_push_str(&f[2], "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    next_resp(&f[2], &off, false, &r);
    assert_int_equal(r.status, 200);
    /* header timeout (2 s) first */
    fake_advance(&e->loop, &e->clock, 2 * UK_NS_PER_S);
    assert_false(f[0].closing);
    assert_true(f[1].closed);
    assert_false(f[2].closing);
    /* then the idle timeout (5 s) */
    fake_advance(&e->loop, &e->clock, 3 * UK_NS_PER_S);
    assert_true(f[0].closed);
    assert_true(f[2].closed);
    assert_int_equal(e->srv.stats.timeouts, 3);
    /* a reader that never drains: the send timeout */
    connect_flow(e, &f[0]);
    f[0].hold_writes = true;
    fake_flow_push_str(&f[0], "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    assert_true(f[0].write_pending);
    fake_advance(&e->loop, &e->clock, 3 * UK_NS_PER_S);
    assert_true(f[0].closed);
    assert_int_equal(e->srv.stats.active, 0);
    env_end(e, f, 3);
}

/* Activity moves the idle deadline: a stale timer does not close. */
static void test_idle_moves(void **state)
{
    struct env *e = env_new(true, 2, 1);
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    (void)state;
    connect_flow(e, &f);
    fake_advance(&e->loop, &e->clock, 4 * UK_NS_PER_S);
    fake_flow_push_str(&f, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 200);
    fake_advance(&e->loop, &e->clock, 1 * UK_NS_PER_S); /* first deadline */
    assert_false(f.closing);
    fake_advance(&e->loop, &e->clock, 3 * UK_NS_PER_S); /* 4 s idle */
    assert_false(f.closing);
    fake_advance(&e->loop, &e->clock, 1 * UK_NS_PER_S); /* 5 s idle */
    assert_true(f.closed);
    assert_int_equal(e->srv.stats.timeouts, 1);
    env_end(e, &f, 1);
}

/* Pipelined input beyond in_buf: the complete requests kept are answered,
 * then the connection closes (the rest was dropped). */
static void test_input_overflow(void **state)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const size_t n = sizeof req - 1, count = 1000;
    static char burst[64 * 1000];
    struct env *e = env_new(true, 2, 1);
    struct fake_flow f;
    struct resp r;
    size_t off = 0, i, got = 0;
    (void)state;
    for (i = 0; i < count; i++)
        memcpy(burst + i * n, req, n);
    connect_flow(e, &f);
    fake_flow_push(&f, burst, n * count);
    fake_drain(&e->loop);
    while (off < f.tx_len) {
        next_resp(&f, &off, false, &r);
        assert_int_equal(r.status, 200);
        got++;
    }
    /* the first request, then the whole ones in the 16 KiB kept */
    assert_int_equal(got, 1 + e->cfg.in_buf / n);
    assert_true(f.closed);
    env_end(e, &f, 1);
}

static void test_eof(void **state)
{
    struct env *e = env_new(false, 2, 1);
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    (void)state;
    connect_flow(e, &f);
    fake_flow_push_str(&f, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    fake_flow_eof(&f);
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_true(f.closed);
    env_end(e, &f, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_and_headers),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_conditional_etag),
        cmocka_unit_test(test_pipelining),
        cmocka_unit_test(test_big_bodies),
        cmocka_unit_test(test_buffer_pool),
        cmocka_unit_test(test_buffer_waiters_leave),
        cmocka_unit_test(test_limits_and_refusal),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_idle_moves),
        cmocka_unit_test(test_input_overflow),
        cmocka_unit_test(test_eof),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
