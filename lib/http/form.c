/*
 * form.c - the application/x-www-form-urlencoded format of query strings
 * and form bodies: "name=value&name=value", '+' for a space, %XX for any
 * byte.  See uk/http.h.
 */
#include <string.h>

#include "conn.h"

long uk__http_decode(const char *s, size_t n, char *out, size_t cap, bool plus)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+' && plus) {
            c = ' ';
        } else if (c == '%') {
            int hi, lo;
            if (n - i < 3)
                return -1;
            hi = uk__hexval((char)s[i + 1]);
            lo = uk__hexval((char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        }
        if (o < cap)
            out[o] = (char)c;
        o++;
    }
    return o > cap ? (long)cap + 1 : (long)o;
}

/* Whether the encoded name s[0..n) decodes to exactly name. */
static int name_is(const char *s, size_t n, const char *name)
{
    char tmp[64];
    size_t want = strlen(name);
    long got;
    if (want >= sizeof tmp)
        return 0;
    got = uk__http_decode(s, n, tmp, sizeof tmp - 1, true);
    if (got < 0)
        return -1;
    return (size_t)got == want && memcmp(tmp, name, want) == 0;
}

int uk_http_form_get(const char *s, size_t len, const char *name, char *out,
                     size_t cap, size_t *out_len)
{
    const char *end = s + len;
    while (s < end) {
        const char *amp = (const char *)memchr(s, '&', (size_t)(end - s));
        const char *pe = amp != NULL ? amp : end;
        const char *eq = (const char *)memchr(s, '=', (size_t)(pe - s));
        const char *ne = eq != NULL ? eq : pe;
        int is = name_is(s, (size_t)(ne - s), name);
        if (is < 0)
            return UK_EINVAL;
        if (is > 0) {
            const char *v = eq != NULL ? eq + 1 : pe;
            long got;
            if (cap == 0)
                return UK_ENAMETOOLONG;
            got = uk__http_decode(v, (size_t)(pe - v), out, cap - 1, true);
            if (got < 0)
                return UK_EINVAL;
            if ((size_t)got > cap - 1) {
                out[cap - 1] = '\0';
                return UK_ENAMETOOLONG;
            }
            out[got] = '\0';
            if (out_len != NULL)
                *out_len = (size_t)got;
            return 0;
        }
        s = amp != NULL ? amp + 1 : end;
    }
    return UK_ENOENT;
}
