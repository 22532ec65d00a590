/*
 * json.c - see json.h.  The reader is a recursive-descent check of one
 * object that decodes only the member asked for; its depth is bounded.
 */
#include <stdbool.h>
#include <string.h>

#include <uk/err.h>
#include <uk/ipaddr.h> /* uk__hexval */

#include "json.h"

size_t api_json_escape(const char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (c < 0x20 || c == 0x7f) {
            memcpy(out + o, "\\u00", 4);
            out[o + 4] = hex[c >> 4];
            out[o + 5] = hex[c & 15];
            o += 6;
        } else {
            out[o++] = (char)c;
        }
    }
    return o;
}

#define DEPTH_MAX 16

struct rd {
    const char *s;
    size_t n, i;
};

static void ws(struct rd *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' ||
                           r->s[r->i] == '\n' || r->s[r->i] == '\r'))
        r->i++;
}

static int peek(struct rd *r)
{
    return r->i < r->n ? (unsigned char)r->s[r->i] : -1;
}

/* Four hex digits of a \u escape. */
static long hex4(struct rd *r)
{
    long v = 0;
    int k;
    if (r->n - r->i < 4)
        return -1;
    for (k = 0; k < 4; k++) {
        int h = uk__hexval(r->s[r->i + (size_t)k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    r->i += 4;
    return v;
}

/* Appends c to out when there is room; counts the length anyway. */
static void emit(char *out, size_t cap, size_t *o, unsigned char c)
{
    if (out != NULL && *o < cap)
        out[*o] = (char)c;
    (*o)++;
}

/* A string at r (after its opening quote); decoded into out[0..cap) when
 * out is not NULL, its decoded length in *len.  0 or UK_EINVAL. */
static int string(struct rd *r, char *out, size_t cap, size_t *len)
{
    size_t o = 0;
    for (;;) {
        int c = peek(r);
        if (c < 0 || c < 0x20)
            return UK_EINVAL;
        r->i++;
        if (c == '"')
            break;
        if (c != '\\') {
            emit(out, cap, &o, (unsigned char)c);
            continue;
        }
        c = peek(r);
        r->i++;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            emit(out, cap, &o, (unsigned char)c);
            break;
        case 'b':
            emit(out, cap, &o, '\b');
            break;
        case 'f':
            emit(out, cap, &o, '\f');
            break;
        case 'n':
            emit(out, cap, &o, '\n');
            break;
        case 'r':
            emit(out, cap, &o, '\r');
            break;
        case 't':
            emit(out, cap, &o, '\t');
            break;
        case 'u': {
            long u = hex4(r);
            if (u < 0 || (u >= 0xd800 && u <= 0xdfff))
                return UK_EINVAL; /* surrogates are not taken */
            if (u < 0x80) {
                emit(out, cap, &o, (unsigned char)u);
            } else if (u < 0x800) {
                emit(out, cap, &o, (unsigned char)(0xc0 | u >> 6));
                emit(out, cap, &o, (unsigned char)(0x80 | (u & 63)));
            } else {
                emit(out, cap, &o, (unsigned char)(0xe0 | u >> 12));
                emit(out, cap, &o, (unsigned char)(0x80 | (u >> 6 & 63)));
                emit(out, cap, &o, (unsigned char)(0x80 | (u & 63)));
            }
            break;
        }
        default:
            return UK_EINVAL;
        }
    }
    *len = o;
    return 0;
}

static int value(struct rd *r, int depth);

/* A word (true, false, null) or a number: its characters, checked
 * loosely (a number's own grammar is not needed to find a member). */
static int scalar(struct rd *r)
{
    size_t start = r->i;
    static const char *const words[] = {"true", "false", "null"};
    size_t k;
    for (k = 0; k < 3; k++) {
        size_t w = strlen(words[k]);
        if (r->n - r->i >= w && memcmp(r->s + r->i, words[k], w) == 0) {
            r->i += w;
            return 0;
        }
    }
    while (r->i < r->n && strchr("0123456789+-.eE", r->s[r->i]) != NULL &&
           r->s[r->i] != '\0')
        r->i++;
    return r->i > start ? 0 : UK_EINVAL;
}

/* The members (or elements) of an object or array after its opener. */
static int items(struct rd *r, int depth, bool object)
{
    char close = object ? '}' : ']';
    ws(r);
    if (peek(r) == close) {
        r->i++;
        return 0;
    }
    for (;;) {
        size_t len;
        ws(r);
        if (object) {
            if (peek(r) != '"')
                return UK_EINVAL;
            r->i++;
            if (string(r, NULL, 0, &len) != 0)
                return UK_EINVAL;
            ws(r);
            if (peek(r) != ':')
                return UK_EINVAL;
            r->i++;
        }
        if (value(r, depth + 1) != 0)
            return UK_EINVAL;
        ws(r);
        if (peek(r) == close) {
            r->i++;
            return 0;
        }
        if (peek(r) != ',')
            return UK_EINVAL;
        r->i++;
    }
}

static int value(struct rd *r, int depth)
{
    size_t len;
    if (depth > DEPTH_MAX)
        return UK_EINVAL;
    ws(r);
    switch (peek(r)) {
    case '"':
        r->i++;
        return string(r, NULL, 0, &len);
    case '{':
        r->i++;
        return items(r, depth, true);
    case '[':
        r->i++;
        return items(r, depth, false);
    default:
        return scalar(r);
    }
}

int api_json_member(const char *s, size_t n, const char *name, char *out,
                    size_t cap, size_t *len)
{
    struct rd r = {s, n, 0};
    size_t want = strlen(name), found = 0, vlen = 0;
    bool have = false;
    int rc;
    /* check the whole object first, then take the member */
    ws(&r);
    if (peek(&r) != '{' || value(&r, 0) != 0)
        return UK_EINVAL;
    ws(&r);
    if (r.i != n)
        return UK_EINVAL;
    r.i = 0;
    ws(&r);
    r.i++; /* '{' */
    for (;;) {
        size_t klen, kstart;
        ws(&r);
        if (peek(&r) != '"')
            break; /* '}' of an empty object */
        r.i++;
        kstart = r.i;
        string(&r, NULL, 0, &klen);
        /* a key with escapes never matches: plain names only */
        if (klen == want && r.i - kstart - 1 == want &&
            memcmp(s + kstart, name, want) == 0)
            have = true;
        ws(&r);
        r.i++; /* ':' */
        ws(&r);
        if (have) {
            if (peek(&r) != '"')
                return UK_EINVAL;
            r.i++;
            found = r.i;
            break;
        }
        value(&r, 1);
        ws(&r);
        if (peek(&r) != ',')
            break;
        r.i++;
    }
    if (!have)
        return UK_ENOENT;
    r.i = found;
    rc = string(&r, out, cap > 0 ? cap - 1 : 0, &vlen);
    if (rc != 0)
        return rc;
    if (vlen >= cap)
        return UK_EMSGSIZE;
    out[vlen] = '\0';
    *len = vlen;
    return 0;
}
