/*
 * range.c - the Range header (RFC 9110 section 14.1.2): one byte range,
 * evaluated against a representation's size.  See uk/http.h.
 */
#include <uk/http.h>

/* Decimal at *s, advancing it; false if none or it overflows. */
static bool number(const char **s, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *s = p;
    *out = v;
    return true;
}

static void skip_ows(const char **s)
{
    while (**s == ' ' || **s == '\t')
        (*s)++;
}

int uk_http_range_parse(const char *s, uint64_t size, uint64_t *first,
                        uint64_t *last)
{
    uint64_t a = 0, b = 0;
    bool has_a, has_b;
    if (!(s[0] == 'b' && s[1] == 'y' && s[2] == 't' && s[3] == 'e' &&
          s[4] == 's' && s[5] == '='))
        return UK_EINVAL;
    s += 6;
    skip_ows(&s);
    has_a = number(&s, &a);
    if (*s++ != '-')
        return UK_EINVAL;
    has_b = number(&s, &b);
    skip_ows(&s);
    if (*s != '\0' || (!has_a && !has_b))
        return UK_EINVAL; /* malformed, or a list of ranges */
    if (!has_a) {         /* suffix: the last b bytes */
        if (b == 0 || size == 0)
            return UK_ERANGE;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return 0;
    }
    if (has_b && b < a)
        return UK_EINVAL;
    if (a >= size)
        return UK_ERANGE;
    *first = a;
    *last = !has_b || b >= size ? size - 1 : b;
    return 0;
}
