/*
 * fuzz_body.c - libFuzzer target for the parsers of request bodies and
 * what handlers read from requests: the chunked decoder, form/query
 * decoding, the router's matching of any target, and the api example's
 * JSON reader.  The first byte picks the parser.  Properties besides
 * memory safety: the chunked decoder's result, decoded bytes and end do
 * not depend on how the input is split; decoded spans lie inside the
 * input; a form value found fits and is NUL-terminated.  Also replayed
 * by a cmocka test (tests/http/CMakeLists.txt: http_test_fuzz_body).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/http.h>
#include <uk/http_app.h>

#include "../../examples/api/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out_a[8192], out_b[8192];

/* Decodes in pieces of step bytes (0: whole); returns the result, with
 * the decoded bytes in out and the bytes used in *total. */
static int chunked(const uint8_t *d, size_t n, size_t step, uint8_t *out,
                   size_t *olen, size_t *total)
{
    struct uk_http_chunked c;
    size_t off = 0;
    int r = UK_HTTP_MORE;
    uk_http_chunked_init(&c);
    *olen = 0;
    while (off < n) {
        size_t k = step == 0 || step > n - off ? n - off : step, used, dlen;
        const void *span;
        r = uk_http_chunked_decode(&c, d + off, k, &used, &span, &dlen);
        if (used > k)
            abort();
        if (dlen > 0) {
            const uint8_t *s = (const uint8_t *)span;
            if (s < d + off || s + dlen != d + off + used)
                abort();
            if (*olen + dlen <= sizeof out_a)
                memcpy(out + *olen, s, dlen);
            *olen += dlen;
        }
        off += used;
        if (r != UK_HTTP_MORE)
            break;
        if (used < k && dlen == 0)
            abort(); /* MORE with input left must have found data */
    }
    *total = off;
    return r;
}

static void nop(void *arg, struct uk_http_exchange *x)
{
    (void)arg;
    (void)x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct uk_http_route routes[] = {
        {"GET", "/api/notes", nop, NULL, 0},
        {NULL, "/api", nop, NULL, 0},
        {"POST", "/", nop, NULL, 0},
    };
    static const struct uk_http_router router = {routes, 3};
    char s[4096], out[64], allow[32];
    size_t n, la, lb, ta, tb, vlen;
    int ra, rb;
    if (size < 1)
        return 0;
    n = size - 1;
    switch (data[0] % 4) {
    case 0:
        ra = chunked(data + 1, n, 0, out_a, &la, &ta);
        rb = chunked(data + 1, n, (size_t)(data[0] >> 2) % 5 + 1, out_b, &lb,
                     &tb);
        if (ra != rb || la != lb || ta != tb ||
            memcmp(out_a, out_b, la < sizeof out_a ? la : sizeof out_a) != 0)
            abort();
        break;
    case 1:
        if (uk_http_form_get((const char *)data + 1, n, "text", out,
                             sizeof out, &vlen) == 0 &&
            (vlen >= sizeof out || out[vlen] != '\0'))
            abort();
        (void)uk_http_form_get((const char *)data + 1, n, "", out, 1, &vlen);
        break;
    case 2:
        if (n >= sizeof s)
            return 0;
        memcpy(s, data + 1, n);
        s[n] = '\0';
        (void)uk_http_router_match(&router, "GET", s, allow, sizeof allow);
        if (strlen(allow) >= sizeof allow)
            abort();
        break;
    default:
        if (api_json_member((const char *)data + 1, n, "text", out, sizeof out,
                            &vlen) == 0 &&
            (vlen >= sizeof out || out[vlen] != '\0'))
            abort();
        break;
    }
    return 0;
}
