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

#include "server_env.h"

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
    int i;
    static char line[10000];
    (void)state;
    /* both slots answering (their writes held): a third is refused, as
     * there is nothing idle or half-sent to reclaim */
    for (i = 0; i < 2; i++) {
        connect_flow(e, &f[i]);
        f[i].hold_writes = true;
        fake_flow_push_str(&f[i], "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    fake_drain(&e->loop);
    assert_true(f[0].write_pending && f[1].write_pending);
    connect_flow(e, &f[2]);
    fake_drain(&e->loop);
    assert_true(f[2].closed); /* no slot */
    assert_int_equal(e->srv.stats.refused, 1);
    assert_int_equal(e->srv.stats.reclaimed, 0);
    fake_flow_free(&f[2]);
    for (i = 0; i < 2; i++) {
        f[i].hold_writes = false;
        fake_flow_release(&f[i]);
    }
    fake_drain(&e->loop);
    for (i = 0; i < 2; i++) {
        off = 0;
        next_resp(&f[i], &off, false, &r);
        assert_int_equal(r.status, 200);
        f[i].tx_len = 0;
    }
    off = 0;
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

static void small_in_buf(struct uk_http_server_config *cfg)
{
    cfg->in_buf = 16384;
}

/* Pipelined input beyond in_buf: the complete requests kept are answered,
 * then the connection closes (the rest was dropped). */
static void test_input_overflow(void **state)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const size_t n = sizeof req - 1, count = 1000;
    static char burst[64 * 1000];
    struct env *e = env_new_budget(true, 2, 1, 64u << 20, small_in_buf);
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
