/*
 * path.c - from a request-target to a store key: percent-decoding and
 * dot-segment removal (RFC 3986 sections 2.1 and 5.2.4) that can never
 * produce a key outside the store.  See uk/http.h.
 */
#include <string.h>

#include <uk/http.h>
#include <uk/ipaddr.h>
#include <uk/kv_ro.h>

static bool prefix_ci(const char *s, const char *p)
{
    for (; *p != '\0'; s++, p++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
        if (c != *p)
            return false;
    }
    return true;
}

/* The path part of an origin-form or absolute-form target, or NULL. */
static const char *target_path(const char *t)
{
    if (t[0] == '/')
        return t;
    if (prefix_ci(t, "http://"))
        t += 7;
    else if (prefix_ci(t, "https://"))
        t += 8;
    else
        return NULL;
    while (*t != '\0' && *t != '/' && *t != '?' && *t != '#')
        t++;
    return *t == '/' ? t : "/";
}

/*
 * Decodes the raw segment s[0..n) into out[0..cap); returns its length or
 * a negative UK_E* code.
 */
static int decode_segment(const char *s, size_t n, char *out, size_t cap)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi, lo;
            if (i + 2 >= n)
                return UK_EINVAL;
            hi = uk__hexval(s[i + 1]);
            lo = uk__hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return UK_EINVAL;
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        if (c < 0x20 || c == 0x7f || c == '\\' || c == '/')
            return UK_EINVAL;
        if (o >= cap || o >= UK_KV_NAME_MAX)
            return UK_ENAMETOOLONG;
        out[o++] = (char)c;
    }
    return (int)o;
}

int uk_http_target_to_key(const char *target, char *key, size_t cap,
                          bool *is_dir)
{
    const char *p = target_path(target);
    size_t len = 0; /* bytes of key so far */
    bool dir = true;
    if (p == NULL || cap == 0)
        return UK_EINVAL;
    while (*p == '/') {
        const char *s = ++p;
        size_t n, start = len + (len > 0);
        int r;
        while (*p != '\0' && *p != '/' && *p != '?' && *p != '#')
            p++;
        n = (size_t)(p - s);
        if (start >= cap)
            return UK_ENAMETOOLONG;
        r = decode_segment(s, n, key + start, cap - 1 - start);
        if (r < 0)
            return r;
        dir = true;
        if (r == 0 || (r == 1 && key[start] == '.'))
            continue; /* "", "." */
        if (r == 2 && key[start] == '.' && key[start + 1] == '.') {
            if (len == 0)
                return UK_EINVAL; /* ".." above the root: refuse */
            while (len > 0 && key[len - 1] != '/')
                len--;
            if (len > 0)
                len--; /* drop the separator too */
            continue;
        }
        if (len > 0)
            key[len] = '/';
        len = start + (size_t)r;
        dir = false;
    }
    key[len] = '\0';
    *is_dir = dir;
    return uk_kv_key_check(key);
}
