/*
 * test_app.c - the application interface of lib/http (uk/http_app.h):
 * the chunked decoder and form decoding from tables, header lookup, the
 * router's matching, and handlers over fake flows: whole, streamed and
 * store responses, request bodies by Content-Length and chunked (split
 * anywhere), their bound (413), malformed chunks (400), pipelining after a
 * body, and a client that leaves while a handler holds its exchange.
 * Every case ends with every byte back in the budget.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/http_app.h>
#include <uk/http_server.h>

#include "server_env.h"

/* ---- the chunked decoder ---- */

struct chunk_vec {
    const char *in;
    int result;       /* after all of in */
    const char *body; /* decoded, for DONE */
    size_t rest;      /* bytes after the end, for DONE */
};

static const struct chunk_vec chunk_vecs[] = {
    {"0\r\n\r\n", UK_HTTP_DONE, "", 0},
    {"5\r\nhello\r\n0\r\n\r\n", UK_HTTP_DONE, "hello", 0},
    {"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nGET", UK_HTTP_DONE, "abcde", 3},
    {"A\r\n0123456789\r\n0\r\n\r\n", UK_HTTP_DONE, "0123456789", 0},
    {"a;name=v;x\r\n0123456789\r\n0;e\r\n\r\n", UK_HTTP_DONE, "0123456789", 0},
    {"1\r\nx\r\n0\r\nA: b\r\nC: d\r\n\r\n", UK_HTTP_DONE, "x", 0},
    {"000000000000002\r\nxy\r\n0\r\n\r\n", UK_HTTP_DONE, "xy", 0},
    {"5\r\nhel", UK_HTTP_MORE, NULL, 0},
    {"", UK_HTTP_MORE, NULL, 0},
    {"\r\n", UK_EPROTO, NULL, 0},  /* no size */
    {"g\r\n", UK_EPROTO, NULL, 0}, /* not hex */
    {"-1\r\n", UK_EPROTO, NULL, 0},
    {"1000000000000000\r\n", UK_EPROTO, NULL, 0},  /* 16 digits */
    {"5\nhello\r\n0\r\n\r\n", UK_EPROTO, NULL, 0}, /* bare LF */
    {"5\r\nhelloX\r\n", UK_EPROTO, NULL, 0},       /* no CRLF */
    {"5\r\nhello\r0\r\n", UK_EPROTO, NULL, 0},
    {"1;a\x01\r\nx\r\n", UK_EPROTO, NULL, 0}, /* control */
    {"0\r\nA: b\rX", UK_EPROTO, NULL, 0},
};

/* Decodes v->in fed in pieces of step bytes (0: whole). */
static void chunk_run(const struct chunk_vec *v, size_t step)
{
    struct uk_http_chunked d;
    char out[64];
    size_t len = strlen(v->in), off = 0, o = 0;
    int r = UK_HTTP_MORE;
    uk_http_chunked_init(&d);
    while (off < len) {
        size_t n = step == 0 || step > len - off ? len - off : step, used;
        const void *data;
        size_t dlen;
        r = uk_http_chunked_decode(&d, v->in + off, n, &used, &data, &dlen);
        assert_true(used <= n);
        if (dlen > 0) {
            assert_ptr_equal(data, v->in + off + used - dlen);
            memcpy(out + o, data, dlen);
            o += dlen;
        }
        off += used;
        if (r != UK_HTTP_MORE)
            break;
    }
    assert_int_equal(r, v->result);
    if (r == UK_HTTP_DONE) {
        assert_int_equal(o, strlen(v->body));
        assert_memory_equal(out, v->body, o);
        assert_int_equal(len - off, v->rest);
    }
}

static void test_chunked_vectors(void **state)
{
    size_t i, step;
    (void)state;
    for (i = 0; i < sizeof chunk_vecs / sizeof chunk_vecs[0]; i++)
        for (step = 0; step < 8; step++)
            chunk_run(&chunk_vecs[i], step);
}

static void test_chunked_limits(void **state)
{
    static char line[UK_HTTP_CHUNK_LINE_MAX + 16];
    static char tr[UK_HTTP_TRAILER_MAX * 2];
    struct uk_http_chunked d;
    size_t used, dlen, n;
    const void *data;
    (void)state;
    /* an extension just within the bound, then one over it */
    memset(line, 'a', sizeof line);
    line[0] = '1';
    line[1] = ';';
    memcpy(line + UK_HTTP_CHUNK_LINE_MAX + 1, "\r\n", 2);
    uk_http_chunked_init(&d);
    assert_int_equal(uk_http_chunked_decode(&d, line,
                                            UK_HTTP_CHUNK_LINE_MAX + 3, &used,
                                            &data, &dlen),
                     UK_HTTP_MORE);
    assert_int_equal(used, UK_HTTP_CHUNK_LINE_MAX + 3);
    memset(line, 'a', sizeof line);
    line[0] = '1';
    uk_http_chunked_init(&d);
    assert_int_equal(
        uk_http_chunked_decode(&d, line, sizeof line, &used, &data, &dlen),
        UK_EPROTO);
    /* trailers over the bound */
    memcpy(tr, "0\r\n", 3);
    for (n = 3; n + 8 < sizeof tr; n += 8)
        memcpy(tr + n, "X: 1234\n", 8);
    for (n = 3; n < sizeof tr; n++)
        if (tr[n] == '\n')
            tr[n - 1] = '\r';
    uk_http_chunked_init(&d);
    assert_int_equal(
        uk_http_chunked_decode(&d, tr, sizeof tr - 16, &used, &data, &dlen),
        UK_EPROTO);
    /* after an error, the same */
    assert_int_equal(
        uk_http_chunked_decode(&d, "0\r\n\r\n", 5, &used, &data, &dlen),
        UK_EPROTO);
    assert_int_equal(used, 0);
}

/* ---- forms and queries ---- */

static void test_form(void **state)
{
    char out[16];
    size_t n = 0;
    const char *q = "a=1&text=hello+world%21&empty=&bare&x%41=y&pct=%4";
    (void)state;
    assert_int_equal(
        uk_http_form_get(q, strlen(q), "text", out, sizeof out, &n), 0);
    assert_string_equal(out, "hello world!");
    assert_int_equal(n, 12);
    assert_int_equal(uk_http_form_get(q, strlen(q), "a", out, sizeof out, &n),
                     0);
    assert_string_equal(out, "1");
    assert_int_equal(
        uk_http_form_get(q, strlen(q), "empty", out, sizeof out, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(
        uk_http_form_get(q, strlen(q), "bare", out, sizeof out, &n), 0);
    assert_string_equal(out, "");
    assert_int_equal(uk_http_form_get(q, strlen(q), "xA", out, sizeof out, &n),
                     0);
    assert_string_equal(out, "y");
    /* a malformed value is only seen when asked for */
    assert_int_equal(
        uk_http_form_get(q, strlen(q), "pct", out, sizeof out, &n), UK_EINVAL);
    assert_int_equal(
        uk_http_form_get(q, strlen(q), "nope", out, sizeof out, &n),
        UK_ENOENT);
    /* a malformed name is reached on the way */
    assert_int_equal(
        uk_http_form_get("b%zz=1&a=2", 10, "a", out, sizeof out, &n),
        UK_EINVAL);
    assert_int_equal(uk_http_form_get(q, 20, "nope", out, sizeof out, &n),
                     UK_ENOENT);
    assert_int_equal(uk_http_form_get(q, strlen(q), "text", out, 5, &n),
                     UK_ENAMETOOLONG);
    assert_string_equal(out, "hell");
    assert_int_equal(uk_http_form_get("v=%00z", 6, "v", out, sizeof out, &n),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], 0);
}

/* ---- header lookup ---- */

static void test_header_lookup(void **state)
{
    static char store[512];
    struct uk_http_parser p;
    const char *req = "POST /x HTTP/1.1\r\nHost: h\r\nX-Thing:  v 1 \r\n"
                      "content-TYPE: application/json\r\nEmpty:\r\n"
                      "X-Thing: second\r\n\r\n";
    size_t used;
    (void)state;
    uk_http_parser_init(&p, NULL, store, sizeof store);
    uk_http_parser_keep_fields(&p, true);
    assert_int_equal(uk_http_parse(&p, req, strlen(req), &used), UK_HTTP_DONE);
    assert_string_equal(uk_http_header(&p, "x-thing"), "v 1");
    assert_string_equal(uk_http_header(&p, "Content-Type"),
                        "application/json");
    assert_string_equal(uk_http_header(&p, "host"), "h");
    assert_string_equal(uk_http_header(&p, "empty"), "");
    assert_null(uk_http_header(&p, "x-thin"));
    assert_null(uk_http_header(&p, "missing"));
    assert_string_equal(p.req.host, "h");
    assert_string_equal(p.req.target, "/x");
    /* not kept: nothing to find, the known fields as before */
    uk_http_parser_init(&p, NULL, store, sizeof store);
    assert_int_equal(uk_http_parse(&p, req, strlen(req), &used), UK_HTTP_DONE);
    assert_null(uk_http_header(&p, "x-thing"));
    assert_string_equal(p.req.host, "h");
    /* kept fields count against the storage: 431 when it is too small */
    uk_http_parser_init(&p, NULL, store, 40);
    uk_http_parser_keep_fields(&p, true);
    assert_int_equal(uk_http_parse(&p, req, strlen(req), &used), UK_EPROTO);
    assert_int_equal(uk_http_parser_status(&p), 431);
}

/* ---- the router ---- */

static void nop(void *arg, struct uk_http_exchange *x)
{
    (void)arg;
    (void)x;
}

static const struct uk_http_route rt_table[] = {
    {"GET", "/api/notes", nop, (void *)1, 0},
    {"POST", "/api/notes", nop, (void *)2, 0},
    {NULL, "/api", nop, (void *)3, 0},
    {"GET", "/", nop, (void *)4, 0},
    {"PUT", "/files/", nop, (void *)5, 0},
};
static const struct uk_http_router rt_router = {rt_table, 5};

static intptr_t match(const char *method, const char *target, char *allow)
{
    const struct uk_http_route *r =
        uk_http_router_match(&rt_router, method, target, allow, 64);
    return r == NULL ? 0 : (intptr_t)r->arg;
}

static void test_router(void **state)
{
    char allow[64];
    (void)state;
    assert_int_equal(match("GET", "/api/notes", allow), 1);
    assert_int_equal(match("HEAD", "/api/notes", allow), 1);
    assert_int_equal(match("POST", "/api/notes?x=/y", allow), 2);
    assert_int_equal(match("GET", "/api/notes/7", allow), 1);
    assert_int_equal(match("GET", "/api/notesx", allow), 3);
    assert_int_equal(match("DELETE", "/api/other", allow), 3);
    assert_int_equal(match("GET", "/api", allow), 3);
    assert_int_equal(match("GET", "/apix", allow), 4);
    assert_int_equal(match("GET", "http://h:80/api/notes?q", allow), 1);
    assert_int_equal(match("GET", "http://h", allow), 4);
    assert_int_equal(match("PUT", "/files/a", allow), 5);
    assert_int_equal(match("PUT", "/files", allow), 0); /* "/files/" only */
    assert_string_equal(allow, "GET");
    assert_int_equal(match("DELETE", "/api/notes", allow), 0);
    assert_string_equal(allow, "GET, POST");
    assert_int_equal(match("POST", "/", allow), 0);
    assert_string_equal(allow, "GET");
    assert_int_equal(match("GET", "*", allow), 0);
    assert_string_equal(allow, "");
}

/* ---- handlers over fake flows ---- */

/* What the test handlers saw. */
static struct {
    char body[8192];
    size_t len;
    int pieces, err, aborts;
    char path[64], query[64], ctype[64];
    struct uk_http_exchange *held;
} seen;

static void echo_reply(struct uk_http_exchange *x)
{
    char head[64];
    snprintf(head, sizeof head, "%zu", seen.len);
    assert_int_equal(uk_http_add_header(x, "X-Len", head), 0);
    assert_int_equal(uk_http_add_header(x, "Bad Name", "v"), UK_EINVAL);
    assert_int_equal(uk_http_add_header(x, "X-Bad", "a\r\nb"), UK_EINVAL);
    assert_int_equal(
        uk_http_respond(x, 200, "text/plain", seen.body, seen.len), 0);
    assert_int_equal(uk_http_respond(x, 200, NULL, "", 0), UK_ECLOSED);
}

static void echo_piece(void *arg, int status, const void *data, size_t len)
{
    struct uk_http_exchange *x = (struct uk_http_exchange *)arg;
    if (status == UK_EOF) {
        echo_reply(x);
        return;
    }
    if (status != 0) {
        seen.err = status;
        return;
    }
    assert_true(len > 0 && seen.len + len <= sizeof seen.body);
    memcpy(seen.body + seen.len, data, len);
    seen.len += len;
    seen.pieces++;
    assert_int_equal(uk_http_body_read(x, echo_piece, x), 0);
    assert_int_equal(uk_http_body_read(x, echo_piece, x), UK_EBUSY);
}

/* Reads the whole body, answers it back with its length in X-Len. */
static void echo_handler(void *arg, struct uk_http_exchange *x)
{
    const char *ct = uk_http_header_get(x, "content-type");
    (void)arg;
    seen.len = 0;
    snprintf(seen.path, sizeof seen.path, "%s", uk_http_path(x));
    snprintf(seen.query, sizeof seen.query, "%s", uk_http_query(x));
    snprintf(seen.ctype, sizeof seen.ctype, "%s", ct != NULL ? ct : "-");
    assert_int_equal(uk_http_body_read(x, echo_piece, x), 0);
}

/* A chunked body in three writes. */
static int stream_step;
static void stream_written(void *arg, int status)
{
    struct uk_http_exchange *x = (struct uk_http_exchange *)arg;
    static const char *const parts[] = {"one,", "two,", "three"};
    assert_int_equal(status, 0);
    if (stream_step < 3) {
        const char *p = parts[stream_step++];
        assert_int_equal(uk_http_write(x, p, strlen(p), stream_written, x), 0);
        assert_int_equal(uk_http_write(x, p, 1, stream_written, x), UK_EBUSY);
        return;
    }
    assert_int_equal(uk_http_end(x), 0);
}

static void stream_handler(void *arg, struct uk_http_exchange *x)
{
    (void)arg;
    stream_step = 0;
    assert_int_equal(uk_http_write(x, "x", 1, stream_written, x), UK_EINVAL);
    assert_int_equal(uk_http_start(x, 200, "text/plain",
                                   uk_http_head(x)->content_length > 0
                                       ? 13
                                       : UK_HTTP_CHUNKED),
                     0);
    assert_int_equal(uk_http_add_header(x, "X-Late", "1"), UK_EINVAL);
    stream_written(x, 0);
}

/* A store's value as the body. */
static void kv_handler(void *arg, struct uk_http_exchange *x)
{
    struct env *e = (struct env *)arg;
    char q[32];
    assert_int_equal(uk_http_query_get(x, "k", q, sizeof q, NULL), 0);
    if (uk_http_respond_kv(x, 200, NULL, &e->kv.kv, q) != 0)
        uk_http_respond(x, 404, NULL, "no\n", 3);
}

/* Holds the exchange until the test answers or the client leaves. */
static void abort_cb(void *arg)
{
    assert_ptr_equal(arg, &seen);
    seen.aborts++;
    seen.held = NULL;
}

static void hold_handler(void *arg, struct uk_http_exchange *x)
{
    (void)arg;
    seen.held = x;
    uk_http_on_abort(x, abort_cb, &seen);
}

static struct env *app_env;

static const struct uk_http_route app_routes[] = {
    {"POST", "/echo", echo_handler, NULL, 4096},
    {"GET", "/stream", stream_handler, NULL, 0},
    {"GET", "/kv", kv_handler, NULL, 0},
    {"GET", "/hold", hold_handler, NULL, 0},
};

/* A server with the routes above; kv_handler's arg is the env. */
static struct env *app_new(void)
{
    static struct uk_http_route routes[4];
    static struct uk_http_router router;
    memcpy(routes, app_routes, sizeof routes);
    router.routes = routes;
    router.count = 4;
    env_router = &router;
    app_env = env_new(true, 4, 4);
    env_router = NULL;
    routes[2].arg = app_env;
    memset(&seen, 0, sizeof seen);
    return app_env;
}

/* Sends req in pieces of step bytes, draining the loop after each. */
static void send_split(struct env *e, struct fake_flow *f, const char *req,
                       size_t step)
{
    size_t len = strlen(req), off = 0;
    while (off < len) {
        size_t n = step == 0 || step > len - off ? len - off : step;
        fake_flow_push(f, req + off, n);
        fake_drain(&e->loop);
        off += n;
    }
}

static void test_post_length_and_chunked(void **state)
{
    static const char *const reqs[] = {
        "POST /echo/a%20b?x=1&y HTTP/1.1\r\nHost: h\r\n"
        "Content-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
        "POST /echo/a%20b?x=1&y HTTP/1.1\r\nHost: h\r\n"
        "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n1;ext\r\n \r\n5\r\nworld\r\n0\r\nT: 1\r\n\r\n",
    };
    size_t i, step;
    (void)state;
    for (i = 0; i < 2; i++) {
        for (step = 0; step < 12; step += (step < 3 ? 1 : 4)) {
            struct env *e = app_new();
            struct fake_flow f;
            struct resp r;
            size_t off = 0;
            connect_flow(e, &f);
            send_split(e, &f, reqs[i], step);
            /* the connection stays usable: a request right after */
            send_split(e, &f,
                       "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2"
                       "\r\n\r\nok",
                       0);
            next_resp(&f, &off, false, &r);
            assert_int_equal(r.status, 200);
            assert_int_equal(r.body_len, 11);
            assert_memory_equal(r.body, "hello world", 11);
            assert_string_equal(header(&r, "X-Len"), "11");
            assert_string_equal(header(&r, "Content-Type"), "text/plain");
            assert_null(header(&r, "Connection"));
            next_resp(&f, &off, false, &r);
            assert_int_equal(r.status, 200);
            assert_memory_equal(r.body, "ok", 2);
            assert_int_equal(off, f.tx_len);
            assert_false(f.closing);
            env_end(e, &f, 1);
        }
    }
    /* the path decoded, the query as sent */
    assert_string_equal(seen.path, "/echo");
    {
        struct env *e = app_new();
        struct fake_flow f;
        connect_flow(e, &f);
        send_split(e, &f, reqs[0], 0);
        assert_string_equal(seen.path, "/echo/a b");
        assert_string_equal(seen.query, "x=1&y");
        assert_string_equal(seen.ctype, "text/plain");
        env_end(e, &f, 1);
    }
}

/* One request answered by the server itself; checks status and close. */
static void expect_answer(const char *req, int status, bool closes,
                          int handler_err)
{
    struct env *e = app_new();
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    connect_flow(e, &f);
    send_split(e, &f, req, 0);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, status);
    assert_int_equal(seen.err, handler_err);
    if (closes) {
        assert_string_equal(header(&r, "Connection"), "close");
        assert_true(f.closing);
    }
    env_end(e, &f, 1);
}

/* Expect: 100-continue: the interim answer, then the body, then the
 * answer; none when the body is refused before it is read. */
static void test_continue(void **state)
{
    struct env *e = app_new();
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    (void)state;
    connect_flow(e, &f);
    send_split(e, &f,
               "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n"
               "Content-Length: 3\r\n\r\n",
               0);
    assert_int_equal(f.tx_len, 25);
    assert_memory_equal(f.tx, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    off = 25;
    send_split(e, &f, "abc", 0);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, "abc", 3);
    env_end(e, &f, 1);
    /* over the bound: 413 at once, no 100 */
    e = app_new();
    connect_flow(e, &f);
    send_split(e, &f,
               "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
               "Content-Length: 5000\r\n\r\n",
               0);
    off = 0;
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 413);
    env_end(e, &f, 1);
}

static void test_body_errors(void **state)
{
    static char big[6000];
    (void)state;
    /* declared over the route's 4096: 413 before any byte is read */
    expect_answer("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4097"
                  "\r\n\r\n",
                  413, true, UK_ELIMIT);
    /* chunked past the bound */
    strcpy(big, "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
                "chunked\r\n\r\n1000\r\n");
    memset(big + strlen(big), 'a', 4096);
    strcat(big, "\r\n1\r\nb\r\n0\r\n\r\n");
    expect_answer(big, 413, true, UK_ELIMIT);
    /* bad chunk sizes and framing */
    expect_answer("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
                  "chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                  400, true, UK_EPROTO);
    expect_answer("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
                  "chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
                  400, true, UK_EPROTO);
    expect_answer("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
                  "chunked\r\n\r\nffffffffffffffffff\r\n",
                  400, true, UK_EPROTO);
    /* the router's own answers */
    expect_answer("GET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n", 404, false, 0);
    expect_answer("GET /echo HTTP/1.1\r\nHost: h\r\n\r\n", 405, false, 0);
    expect_answer("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400, false, 0);
    expect_answer("GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400, false, 0);
}

/* Whether what f's peer received contains needle. */
static bool tx_has(const struct fake_flow *f, const char *needle)
{
    return memmem(f->tx, f->tx_len, needle, strlen(needle)) != NULL;
}

/* A refused body that keeps coming: the answer goes out with a FIN, what
 * follows is drained, and the connection closes at the client's EOF, after
 * 2 s, or after 1 MiB. */
static void test_linger(void **state)
{
    static uint8_t junk[300000];
    static const char req[] = "POST /echo HTTP/1.1\r\nHost: h\r\n"
                              "Content-Length: 100000000\r\n\r\nabc";
    struct env *e;
    struct fake_flow f;
    struct resp r;
    size_t off;
    int how, i;
    (void)state;
    memset(junk, 'j', sizeof junk);
    for (how = 0; how < 3; how++) {
        e = app_new();
        connect_flow(e, &f);
        f.shut_ok = true;
        send_split(e, &f, req, 0);
        off = 0;
        next_resp(&f, &off, false, &r);
        assert_int_equal(r.status, 413);
        assert_true(f.shut);
        assert_false(f.closing);
        fake_flow_push(&f, junk, 1000); /* drained, still open */
        fake_drain(&e->loop);
        assert_false(f.closing);
        assert_int_equal(off, f.tx_len); /* nothing more answered */
        if (how == 0) {
            fake_flow_eof(&f);
            fake_drain(&e->loop);
        } else if (how == 1) {
            fake_advance(&e->loop, &e->clock, 2100000000ull);
        } else {
            for (i = 0; i < 4 && !f.closing; i++) {
                fake_flow_push(&f, junk, sizeof junk);
                fake_drain(&e->loop);
            }
        }
        assert_true(f.closing);
        env_end(e, &f, 1);
    }
}

static void test_streamed_and_store(void **state)
{
    struct env *e;
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    (void)state;
    e = app_new();
    connect_flow(e, &f);
    send_split(e, &f, "GET /stream HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    assert_true(tx_has(&f, "Transfer-Encoding: chunked\r\n"));
    assert_true(tx_has(
        &f, "\r\n\r\n4\r\none,\r\n4\r\ntwo,\r\n5\r\nthree\r\n0\r\n\r\n"));
    assert_false(f.closing);
    /* HTTP/1.0: no chunked coding, the body ends with the connection */
    f.tx_len = 0;
    send_split(e, &f, "GET /stream HTTP/1.0\r\n\r\n", 0);
    assert_false(tx_has(&f, "chunked"));
    assert_true(tx_has(&f, "\r\n\r\none,two,three"));
    assert_true(f.closing);
    env_end(e, &f, 1);
    /* a declared length, then HEAD (no body bytes) */
    e = app_new();
    connect_flow(e, &f);
    send_split(e, &f,
               "GET /stream HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n"
               "xHEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n",
               0);
    next_resp(&f, &off, false, &r);
    assert_string_equal(header(&r, "Content-Length"), "13");
    assert_memory_equal(r.body, "one,two,three", 13);
    next_resp(&f, &off, true, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Transfer-Encoding"), "chunked");
    assert_int_equal(off, f.tx_len);
    /* a value of a store, and a missing one */
    send_split(e, &f,
               "GET /kv?k=docs%2Findex.html HTTP/1.1\r\nHost: h\r\n\r\n"
               "GET /kv?k=nope HTTP/1.1\r\nHost: h\r\n\r\n",
               0);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, docs_html, sizeof docs_html - 1);
    assert_string_equal(header(&r, "Content-Type"),
                        "text/html; charset=utf-8");
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 404);
    env_end(e, &f, 1);
}

static void test_held_exchange(void **state)
{
    struct env *e;
    struct fake_flow f;
    struct resp r;
    size_t off = 0;
    (void)state;
    /* answered later */
    e = app_new();
    connect_flow(e, &f);
    send_split(e, &f, "GET /hold HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    assert_non_null(seen.held);
    assert_int_equal(f.tx_len, 0);
    assert_int_equal(
        uk_http_respond(seen.held, 201, "application/json", "{}\n", 3), 0);
    fake_drain(&e->loop);
    next_resp(&f, &off, false, &r);
    assert_int_equal(r.status, 201);
    assert_memory_equal(r.body, "{}\n", 3);
    env_end(e, &f, 1);
    assert_int_equal(seen.aborts, 0);
    /* the client leaves first: the abort callback runs, once */
    e = app_new();
    connect_flow(e, &f);
    send_split(e, &f, "GET /hold HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    assert_non_null(seen.held);
    fake_flow_eof(&f);
    fake_drain(&e->loop);
    env_end(e, &f, 1);
    assert_int_equal(seen.aborts, 1);
    assert_null(seen.held);
    /* a body cut short: the read hears it, nothing is answered */
    e = app_new();
    connect_flow(e, &f);
    send_split(e, &f,
               "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n"
               "abc",
               0);
    fake_flow_eof(&f);
    fake_drain(&e->loop);
    assert_int_equal(seen.err, UK_ECONNABORTED);
    assert_int_equal(f.tx_len, 0);
    env_end(e, &f, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunked_vectors),
        cmocka_unit_test(test_chunked_limits),
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_header_lookup),
        cmocka_unit_test(test_router),
        cmocka_unit_test(test_post_length_and_chunked),
        cmocka_unit_test(test_body_errors),
        cmocka_unit_test(test_continue),
        cmocka_unit_test(test_linger),
        cmocka_unit_test(test_streamed_and_store),
        cmocka_unit_test(test_held_exchange),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
