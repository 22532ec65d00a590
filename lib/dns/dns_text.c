/*
 * dns_text.c - DNS presentation format to wire: domain names (with \X and
 * \DDD escapes, '@' and relative names), TTLs with BIND units, decimal
 * numbers, IPv6 addresses and escaped character strings.  Used by the
 * zone-file parser; uk_dns_name_from_text() is public.
 */
#include <string.h>

#include <uk/err.h>
#include <uk/ipaddr.h>

#include "zonefile_priv.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Decodes one escape at p[*i] == '\\'; advances *i past it. */
static int unescape_one(const char *p, size_t n, size_t *i, uint8_t *byte,
                        const char **why)
{
    size_t j = *i + 1;
    if (j >= n) {
        *why = "'\\' at the end of a word";
        return UK_EPROTO;
    }
    if (is_digit(p[j])) {
        unsigned v;
        if (j + 2 >= n || !is_digit(p[j + 1]) || !is_digit(p[j + 2])) {
            *why = "\\DDD escape needs exactly three digits";
            return UK_EPROTO;
        }
        v = (unsigned)(p[j] - '0') * 100 + (unsigned)(p[j + 1] - '0') * 10 +
            (unsigned)(p[j + 2] - '0');
        if (v > 255) {
            *why = "\\DDD escape above 255";
            return UK_EPROTO;
        }
        *byte = (uint8_t)v;
        *i = j + 3;
        return 0;
    }
    *byte = (uint8_t)p[j];
    *i = j + 1;
    return 0;
}

int uk__dns_unescape(const char *p, size_t n, uint8_t *out, size_t cap,
                     size_t *out_len, const char **why)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t b;
        if (p[i] == '\\') {
            int rc = unescape_one(p, n, &i, &b, why);
            if (rc != 0)
                return rc;
        } else {
            b = (uint8_t)p[i++];
        }
        if (o >= cap) {
            *why = "string too long";
            return UK_EMSGSIZE;
        }
        out[o++] = b;
    }
    *out_len = o;
    return 0;
}

size_t uk__dns_name_wire_len(const uint8_t *w, size_t n)
{
    size_t i = 0;
    while (i < n && i < UK_DNS_NAME_MAX) {
        uint8_t l = w[i];
        if (l == 0)
            return i + 1;
        if (l > UK_DNS_LABEL_MAX)
            return 0;
        i += 1u + l;
    }
    return 0;
}

/* Appends the label lab[0..ll) to out. */
static int put_label(const uint8_t *lab, size_t ll, uint8_t *out, size_t *o,
                     const char **why)
{
    if (ll == 0) {
        *why = "empty label";
        return UK_EPROTO;
    }
    if (ll > UK_DNS_LABEL_MAX) {
        *why = "label longer than 63 bytes";
        return UK_ENAMETOOLONG;
    }
    if (*o + 1 + ll + 1 > UK_DNS_NAME_MAX) {
        *why = "name longer than 255 bytes";
        return UK_ENAMETOOLONG;
    }
    out[*o] = (uint8_t)ll;
    memcpy(out + *o + 1, lab, ll);
    *o += 1 + ll;
    return 0;
}

int uk__dns_name_parse(const char *p, size_t n, const uint8_t *origin,
                       size_t origin_len, uint8_t *out, size_t *out_len,
                       const char **why)
{
    uint8_t lab[UK_DNS_LABEL_MAX + 1];
    size_t i = 0, o = 0, ll = 0;
    bool absolute = false;
    int rc;
    if (n == 1 && p[0] == '@') {
        if (origin_len == 0) {
            *why = "'@' used with no $ORIGIN";
            return UK_EPROTO;
        }
        memcpy(out, origin, origin_len);
        *out_len = origin_len;
        return 0;
    }
    if (n == 1 && p[0] == '.') {
        out[0] = 0;
        *out_len = 1;
        return 0;
    }
    if (n == 0) {
        *why = "empty name";
        return UK_EPROTO;
    }
    while (i < n) {
        uint8_t b;
        if (p[i] == '.') {
            if ((rc = put_label(lab, ll, out, &o, why)) != 0)
                return rc;
            ll = 0;
            if (++i == n)
                absolute = true;
            continue;
        }
        if (p[i] == '\\') {
            if ((rc = unescape_one(p, n, &i, &b, why)) != 0)
                return rc;
        } else {
            b = (uint8_t)p[i++];
        }
        if (ll > UK_DNS_LABEL_MAX) {
            *why = "label longer than 63 bytes";
            return UK_ENAMETOOLONG;
        }
        lab[ll++] = b;
    }
    if (!absolute) {
        if ((rc = put_label(lab, ll, out, &o, why)) != 0)
            return rc;
        if (origin_len == 0) {
            *why = "relative name with no $ORIGIN";
            return UK_EPROTO;
        }
        if (o + origin_len > UK_DNS_NAME_MAX) {
            *why = "name longer than 255 bytes with the origin appended";
            return UK_ENAMETOOLONG;
        }
        memcpy(out + o, origin, origin_len);
        o += origin_len;
    } else {
        out[o++] = 0;
    }
    *out_len = o;
    return 0;
}

int uk_dns_name_from_text(const char *text, size_t len, const uint8_t *origin,
                          uint8_t out[UK_DNS_NAME_MAX], size_t *out_len)
{
    const char *why = "";
    size_t olen = 0;
    int rc;
    if (origin != NULL) {
        olen = uk__dns_name_wire_len(origin, UK_DNS_NAME_MAX);
        if (olen == 0)
            return UK_EINVAL;
    }
    rc = uk__dns_name_parse(text, len, origin, olen, out, out_len, &why);
    return rc == UK_EPROTO ? UK_EINVAL : rc;
}

int uk__dns_uint_parse(const char *p, size_t n, uint32_t max, uint32_t *out,
                       const char **why)
{
    uint64_t v = 0;
    size_t i;
    if (n == 0) {
        *why = "expected a number";
        return UK_EPROTO;
    }
    for (i = 0; i < n; i++) {
        if (!is_digit(p[i])) {
            *why = "not a decimal number";
            return UK_EPROTO;
        }
        v = v * 10 + (uint64_t)(p[i] - '0');
        if (v > max) {
            *why = "number out of range";
            return UK_ERANGE;
        }
    }
    *out = (uint32_t)v;
    return 0;
}

static uint32_t unit_seconds(char c)
{
    switch (c) {
    case 'w':
    case 'W':
        return 604800u;
    case 'd':
    case 'D':
        return 86400u;
    case 'h':
    case 'H':
        return 3600u;
    case 'm':
    case 'M':
        return 60u;
    case 's':
    case 'S':
        return 1u;
    default:
        return 0;
    }
}

int uk__dns_ttl_parse(const char *p, size_t n, uint32_t max, uint32_t *out,
                      const char **why)
{
    uint64_t total = 0;
    size_t i = 0;
    while (i < n && is_digit(p[i]))
        i++;
    if (i == n && n > 0) /* plain seconds */
        return uk__dns_uint_parse(p, n, max, out, why);
    i = 0;
    if (n == 0 || !is_digit(p[0])) {
        *why = "expected a TTL";
        return UK_EPROTO;
    }
    while (i < n) {
        uint64_t v = 0;
        uint32_t unit;
        size_t start = i;
        while (i < n && is_digit(p[i]) && v <= max)
            v = v * 10 + (uint64_t)(p[i++] - '0');
        if (i == start || i == n || (unit = unit_seconds(p[i])) == 0) {
            *why = "bad TTL: use seconds or units w d h m s (1h30m)";
            return UK_EPROTO;
        }
        i++;
        total += v * unit;
        if (v > max || total > max) {
            *why = "TTL out of range";
            return UK_ERANGE;
        }
    }
    *out = (uint32_t)total;
    return 0;
}

/* One group of 1..4 hex digits at p[*i]; false if none or too long. */
static bool hex_group(const char *p, size_t n, size_t *i, unsigned *v)
{
    size_t k = 0;
    *v = 0;
    while (*i < n && uk__hexval(p[*i]) >= 0) {
        if (++k > 4)
            return false;
        *v = *v << 4 | (unsigned)uk__hexval(p[*i]);
        (*i)++;
    }
    return k > 0;
}

/* The hex groups and optional dotted-quad tail of an address, in order,
 * with the position of "::" (or -1). */
static int aaaa_groups(const char *p, size_t n, uint16_t g[8], int *count,
                       int *gap)
{
    size_t i = 0;
    int ng = 0;
    *gap = -1;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        *gap = 0;
        i = 2;
    } else if (n == 0 || p[0] == ':') {
        return UK_EPROTO;
    }
    while (i < n) {
        size_t start = i;
        unsigned v;
        if (ng >= 8)
            return UK_EPROTO;
        size_t j = start;
        while (j < n && p[j] != ':' && p[j] != '.')
            j++;
        if (j < n && p[j] == '.') { /* dotted-quad tail: the last 32 bits */
            struct uk_ipv4_addr a;
            if (ng > 6 || uk_ipv4_parse(p + start, n - start, &a) != 0)
                return UK_EPROTO;
            g[ng++] = (uint16_t)(a.v >> 16);
            g[ng++] = (uint16_t)a.v;
            break;
        }
        if (!hex_group(p, n, &i, &v))
            return UK_EPROTO;
        g[ng++] = (uint16_t)v;
        if (i == n)
            break;
        if (p[i] != ':')
            return UK_EPROTO;
        if (i + 1 < n && p[i + 1] == ':') {
            if (*gap >= 0)
                return UK_EPROTO;
            *gap = ng;
            i += 2;
            continue;
        }
        if (++i == n)
            return UK_EPROTO; /* trailing single ':' */
    }
    *count = ng;
    return 0;
}

int uk__dns_aaaa_parse(const char *p, size_t n, uint8_t out[16],
                       const char **why)
{
    uint16_t g[10];
    uint16_t full[8];
    int ng = 0, gap, k;
    if (aaaa_groups(p, n, g, &ng, &gap) != 0 || (gap < 0 && ng != 8) ||
        (gap >= 0 && ng > 7)) {
        *why = "bad IPv6 address";
        return UK_EPROTO;
    }
    memset(full, 0, sizeof(full));
    if (gap < 0) {
        memcpy(full, g, sizeof(full));
    } else {
        for (k = 0; k < gap; k++)
            full[k] = g[k];
        for (k = gap; k < ng; k++)
            full[8 - (ng - k)] = g[k];
    }
    for (k = 0; k < 8; k++) {
        out[2 * k] = (uint8_t)(full[k] >> 8);
        out[2 * k + 1] = (uint8_t)full[k];
    }
    return 0;
}
