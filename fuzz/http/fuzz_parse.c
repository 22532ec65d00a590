/*
 * fuzz_parse.c - libFuzzer target for the HTTP request parser and the
 * helpers that see request bytes (target to key, dates, ranges, entity
 * tags).  Besides memory safety it checks two properties: the parser's
 * result does not depend on how the input is split, and a key it yields
 * always passes uk_kv_key_check().  Also linked into a cmocka test that
 * replays the seeds (tests/http/test_fuzz_replay.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/http.h>
#include <uk/kv_ro.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char store_a[2048], store_b[2048], store_c[4096];

/* Feeds data to p in pieces of `step` bytes (0: whole); returns the
 * result, with *used the bytes taken. */
static int run(struct uk_http_parser *p, const uint8_t *data, size_t size,
               size_t step, size_t *total)
{
    size_t off = 0, used;
    int r = UK_HTTP_MORE;
    *total = 0;
    while (off < size) {
        size_t n = step == 0 || step > size - off ? size - off : step;
        r = uk_http_parse(p, data + off, n, &used);
        *total += used;
        if (r != UK_HTTP_MORE)
            break;
        if (used != n)
            abort();
        off += n;
    }
    return r;
}

static void helpers(const struct uk_http_request *r)
{
    char key[UK_KV_KEY_MAX + 1];
    bool dir;
    uint64_t a, b;
    int64_t t;
    if (uk_http_target_to_key(r->target, key, sizeof key, &dir) == 0 &&
        uk_kv_key_check(key) != 0)
        abort();
    if (r->range != NULL &&
        uk_http_range_parse(r->range, 12345, &a, &b) == 0 &&
        (a > b || b >= 12345))
        abort();
    if (r->if_modified_since != NULL)
        (void)uk_http_date_parse(r->if_modified_since, &t);
    if (r->if_none_match != NULL)
        (void)uk_http_etag_match(r->if_none_match, "\"abc\"");
    (void)uk_http_content_type(key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct uk_http_parser a, b;
    struct uk_http_limits lim = {512, 1024, 16};
    size_t ua, ub, step = size > 0 ? (size_t)(data[0] % 7) + 1 : 1;
    int ra, rb;
    uk_http_parser_init(&a, &lim, store_a, sizeof store_a);
    uk_http_parser_init(&b, &lim, store_b, sizeof store_b);
    ra = run(&a, data, size, 0, &ua);
    rb = run(&b, data, size, step, &ub);
    if (ra != rb || ua != ub ||
        uk_http_parser_status(&a) != uk_http_parser_status(&b))
        abort();
    if (ra == UK_EPROTO) { /* what was kept stays readable (logs) */
        if (a.req.method_str != NULL)
            (void)strlen(a.req.method_str);
        if (a.req.target != NULL)
            (void)strlen(a.req.target);
    }
    if (ra == UK_HTTP_DONE) {
        if (strcmp(a.req.target, b.req.target) != 0 ||
            a.req.keep_alive != b.req.keep_alive)
            abort();
        helpers(&a.req);
    }
    /* keeping every field changes nothing but what can be looked up */
    {
        struct uk_http_parser c;
        size_t uc;
        int rc;
        const char *h;
        uk_http_parser_init(&c, &lim, store_c, sizeof store_c);
        uk_http_parser_keep_fields(&c, true);
        rc = run(&c, data, size, step, &uc);
        if (rc == UK_HTTP_DONE) {
            h = uk_http_header(&c, "host");
            if ((h == NULL) != (c.req.host == NULL) ||
                (h != NULL && strcmp(h, c.req.host) != 0))
                abort();
            if (ra == UK_HTTP_DONE && strcmp(a.req.target, c.req.target) != 0)
                abort();
            (void)uk_http_header(&c, "x-anything");
        }
    }
    /* the helpers also take arbitrary strings */
    if (size > 0 && size < 1500) {
        char s[1500];
        char key[UK_KV_KEY_MAX + 1];
        bool dir;
        uint64_t x, y;
        int64_t t;
        memcpy(s, data, size);
        s[size] = '\0';
        if (uk_http_target_to_key(s, key, sizeof key, &dir) == 0 &&
            uk_kv_key_check(key) != 0)
            abort();
        if (uk_http_range_parse(s, 1000, &x, &y) == 0 && (x > y || y >= 1000))
            abort();
        (void)uk_http_date_parse(s, &t);
        (void)uk_http_etag_match(s, "\"x\"");
    }
    return 0;
}
