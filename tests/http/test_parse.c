/*
 * test_parse.c - the incremental request parser: valid and malformed
 * vectors, each fed whole, split at every byte boundary, and byte by byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/http.h>

struct vec {
    const char *in;
    int result; /* UK_HTTP_DONE, UK_HTTP_MORE, or an HTTP error status */
    const char *method, *target, *host;
    int minor;
    int keep_alive;
    const char *range, *inm, *ims;
};

#define GET11 "GET / HTTP/1.1\r\nHost: a\r\n"

static const struct vec vecs[] = {
    {"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", UK_HTTP_DONE, "GET", "/",
     "example.com", 1, 1, NULL, NULL, NULL},
    {"HEAD /a/b?x=1 HTTP/1.0\r\n\r\n", UK_HTTP_DONE, "HEAD", "/a/b?x=1", NULL,
     0, 0, NULL, NULL, NULL},
    {"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", UK_HTTP_DONE, "GET",
     "/", NULL, 0, 1, NULL, NULL, NULL},
    {GET11 "Connection: foo, close\r\n\r\n", UK_HTTP_DONE, "GET", "/", "a", 1,
     0, NULL, NULL, NULL},
    /* bare LF line ends, leading blank lines, OWS around values */
    {"\r\n\nGET /x HTTP/1.1\nHost:  h  \t\nRange:bytes=0-1\n\n", UK_HTTP_DONE,
     "GET", "/x", "h", 1, 1, "bytes=0-1", NULL, NULL},
    {GET11 "If-None-Match: \"a\"\r\nIf-None-Match: W/\"b\"\r\n"
           "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
     UK_HTTP_DONE, "GET", "/", "a", 1, 1, NULL, "\"a\", W/\"b\"",
     "Sun, 06 Nov 1994 08:49:37 GMT"},
    {"POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", UK_HTTP_DONE,
     "POST", "/f", "a", 1, 1, NULL, NULL, NULL},
    {"GET http://h/p HTTP/1.1\r\nHOST: h\r\nX-Unknown: \x80\xff ok\r\n\r\n",
     UK_HTTP_DONE, "GET", "http://h/p", "h", 1, 1, NULL, NULL, NULL},
    {"GET / HTTP/1.9\r\nHost: a\r\n\r\n", UK_HTTP_DONE, "GET", "/", "a", 1, 1,
     NULL, NULL, NULL},
    {GET11 "Transfer-Encoding: chunked\r\n\r\n", UK_HTTP_DONE, "GET", "/", "a",
     1, 1, NULL, NULL, NULL},
    /* incomplete */
    {"GET / HTTP/1.1\r\nHost: a\r\n", UK_HTTP_MORE, 0, 0, 0, 0, 0, 0, 0, 0},
    {"\r\n\r\n", UK_HTTP_MORE, 0, 0, 0, 0, 0, 0, 0, 0},
    /* malformed */
    {"GET / HTTP/1.1\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0}, /* no Host */
    {GET11 "Host: b\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {"GET  / HTTP/1.1\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {"GET /\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {"GET / HTTP/1.1 \r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {"GET / http/1.1\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {"GET / HTTP/2.0\r\n", 505, 0, 0, 0, 0, 0, 0, 0, 0},
    {"G(T / HTTP/1.1\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {"GET /a\x01 HTTP/1.1\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {"GET / HTTP/1.1\rX", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 " folded\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 "Bad Name: x\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 ": x\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 "X: a\x01"
           "b\r\n\r\n",
     400, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 "X: a\rb\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 "Content-Length: 1x\r\n\r\n", 400, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 "Content-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, 0, 0, 0, 0,
     0, 0, 0, 0},
    {GET11 "Content-Length: 99999999999999999999999\r\n\r\n", 400, 0, 0, 0, 0,
     0, 0, 0, 0},
    {GET11 "Transfer-Encoding: gzip\r\n\r\n", 501, 0, 0, 0, 0, 0, 0, 0, 0},
    {GET11 "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400, 0,
     0, 0, 0, 0, 0, 0, 0},
    {GET11 "Transfer-Encoding: chunked, chunked\r\n\r\n", 400, 0, 0, 0, 0, 0,
     0, 0, 0},
    {GET11 "Range: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n", 400, 0, 0, 0, 0, 0,
     0, 0, 0},
};

static int feed_split(struct uk_http_parser *p, const char *in, size_t len,
                      size_t step, size_t split, size_t *total)
{
    size_t off = 0, used;
    int r = UK_HTTP_MORE;
    *total = 0;
    while (off < len) {
        size_t n =
            step != 0 ? step : (off == 0 && split > 0 ? split : len - off);
        if (n > len - off)
            n = len - off;
        r = uk_http_parse(p, in + off, n, &used);
        *total += used;
        if (r != UK_HTTP_MORE)
            return r == UK_EPROTO ? uk_http_parser_status(p) : r;
        assert_int_equal(used, n);
        off += n;
    }
    return r;
}

static void check_fields(const struct vec *v, const struct uk_http_request *r)
{
    assert_string_equal(r->method_str, v->method);
    assert_string_equal(r->target, v->target);
    if (v->host == NULL)
        assert_null(r->host);
    else
        assert_string_equal(r->host, v->host);
    assert_int_equal(r->version_minor, v->minor);
    assert_int_equal(r->keep_alive, v->keep_alive);
    if (v->range != NULL)
        assert_string_equal(r->range, v->range);
    if (v->inm != NULL)
        assert_string_equal(r->if_none_match, v->inm);
    if (v->ims != NULL)
        assert_string_equal(r->if_modified_since, v->ims);
}

static void run_vec(const struct vec *v, size_t step, size_t split)
{
    struct uk_http_parser p;
    char store[4096];
    size_t len = strlen(v->in), total;
    int r;
    uk_http_parser_init(&p, NULL, store, sizeof store);
    r = feed_split(&p, v->in, len, step, split, &total);
    if (r != v->result)
        fail_msg("vector %s: step %zu split %zu: got %d want %d", v->in, step,
                 split, r, v->result);
    if (r == UK_HTTP_DONE) {
        assert_int_equal(total, len);
        check_fields(v, &p.req);
    }
}

static void test_vectors(void **state)
{
    size_t i, s;
    (void)state;
    for (i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        size_t len = strlen(vecs[i].in);
        run_vec(&vecs[i], 0, 0);
        run_vec(&vecs[i], 1, 0);
        for (s = 1; s < len; s++)
            run_vec(&vecs[i], 0, s);
    }
}

static void test_methods_and_body(void **state)
{
    struct uk_http_parser p;
    char store[512];
    size_t used;
    static const char two[] = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b "
                              "HTTP/1.1\r\nHost: x\r\n\r\n";
    (void)state;
    uk_http_parser_init(&p, NULL, store, sizeof store);
    assert_int_equal(uk_http_parse(&p, two, sizeof two - 1, &used),
                     UK_HTTP_DONE);
    assert_int_equal(used, 28);
    assert_int_equal(p.req.method, UK_HTTP_GET);
    /* DONE is sticky until reset */
    assert_int_equal(uk_http_parse(&p, two + used, 5, &used), UK_HTTP_DONE);
    assert_int_equal(used, 0);
    uk_http_parser_reset(&p);
    assert_false(uk_http_parser_started(&p));
    assert_int_equal(uk_http_parse(&p, two + 28, sizeof two - 29, &used),
                     UK_HTTP_DONE);
    assert_int_equal(p.req.method, UK_HTTP_HEAD);
    assert_string_equal(p.req.target, "/b");
    uk_http_parser_reset(&p);
    {
        static const char put[] =
            "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n";
        assert_int_equal(uk_http_parse(&p, put, sizeof put - 1, &used),
                         UK_HTTP_DONE);
    }
    assert_int_equal(p.req.method, UK_HTTP_OTHER);
    assert_true(p.req.has_content_length);
    assert_int_equal(p.req.content_length, 12);
}

/* Feeds s repeated to make n bytes, byte by byte; returns the status. */
static int feed_long(struct uk_http_parser *p, const char *prefix, char fill,
                     size_t n, const char *suffix)
{
    size_t used, i;
    int r;
    r = uk_http_parse(p, prefix, strlen(prefix), &used);
    for (i = 0; r == UK_HTTP_MORE && i < n; i++)
        r = uk_http_parse(p, &fill, 1, &used);
    if (r == UK_HTTP_MORE)
        r = uk_http_parse(p, suffix, strlen(suffix), &used);
    return r == UK_EPROTO ? uk_http_parser_status(p) : r;
}

static void test_limits(void **state)
{
    static char store[16384];
    struct uk_http_parser p;
    struct uk_http_limits lim = {100, 200, 3};
    char hdrs[256];
    size_t used;
    (void)state;
    /* request line over line_max: 414 */
    uk_http_parser_init(&p, &lim, store, sizeof store);
    assert_int_equal(feed_long(&p, "GET /", 'a', 200, " HTTP/1.1\r\n"), 414);
    /* a request line that just fits */
    uk_http_parser_init(&p, &lim, store, sizeof store);
    assert_int_equal(
        feed_long(&p, "GET /", 'a', 100 - 14, " HTTP/1.1\r\nHost: a\r\n\r\n"),
        UK_HTTP_DONE);
    /* a header section over head_max: 431 */
    uk_http_parser_init(&p, &lim, store, sizeof store);
    assert_int_equal(feed_long(&p, GET11 "X: ", 'b', 300, "\r\n\r\n"), 431);
    /* too many fields: 431 */
    uk_http_parser_init(&p, &lim, store, sizeof store);
    snprintf(hdrs, sizeof hdrs, GET11 "A: 1\r\nB: 2\r\nC: 3\r\n\r\n");
    assert_int_equal(uk_http_parse(&p, hdrs, strlen(hdrs), &used), UK_EPROTO);
    assert_int_equal(uk_http_parser_status(&p), 431);
    /* small storage: a long target is 414, a long known value 431 */
    uk_http_parser_init(&p, NULL, store, 64);
    assert_int_equal(feed_long(&p, "GET /", 'a', 100, " HTTP/1.1\r\n"), 414);
    uk_http_parser_init(&p, NULL, store, 64);
    assert_int_equal(feed_long(&p, GET11 "Range: ", 'b', 100, "\r\n\r\n"),
                     431);
    /* unknown long headers need no storage */
    uk_http_parser_init(&p, NULL, store, 64);
    assert_int_equal(feed_long(&p, GET11 "X-Long: ", 'b', 4000, "\r\n\r\n"),
                     UK_HTTP_DONE);
    /* errors are sticky */
    uk_http_parser_init(&p, NULL, store, sizeof store);
    assert_int_equal(uk_http_parse(&p, "\x01", 1, &used), UK_EPROTO);
    assert_int_equal(uk_http_parse(&p, "GET", 3, &used), UK_EPROTO);
    assert_int_equal(used, 0);
    assert_int_equal(uk_http_parser_status(&p), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_methods_and_body),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
