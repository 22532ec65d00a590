/*
 * uk/ipaddr.h - IPv4 address, endpoint and MAC address value types, with
 * strict parsers and formatters.  No allocation, no libc beyond <string.h>.
 *
 * struct uk_ipv4_addr holds the address in host byte order, so masks and
 * comparisons are plain integer operations; convert with uk_load_be32 /
 * uk_store_be32 at the wire.
 */
#ifndef UK_IPADDR_H
#define UK_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/err.h>

struct uk_ipv4_addr {
    uint32_t v; /* host byte order: 10.0.0.1 is 0x0a000001 */
};

/* A transport endpoint: address and port (host order). */
struct uk_ipv4_ep {
    struct uk_ipv4_addr addr;
    uint16_t port;
};

struct uk_mac {
    uint8_t b[6];
};

#define UK_IPV4_STRLEN 16    /* "255.255.255.255" + NUL */
#define UK_IPV4_EP_STRLEN 22 /* "255.255.255.255:65535" + NUL */
#define UK_MAC_STRLEN 18     /* "02:00:00:00:00:01" + NUL */

static inline struct uk_ipv4_addr uk_ipv4(unsigned a, unsigned b, unsigned c,
                                          unsigned d)
{
    struct uk_ipv4_addr r;
    r.v = (uint32_t)(a & 255) << 24 | (uint32_t)(b & 255) << 16 |
          (uint32_t)(c & 255) << 8 | (uint32_t)(d & 255);
    return r;
}

static inline struct uk_ipv4_addr uk_ipv4_any(void) { return uk_ipv4(0, 0, 0, 0); }

static inline bool uk_ipv4_eq(struct uk_ipv4_addr a, struct uk_ipv4_addr b)
{
    return a.v == b.v;
}

/* The netmask of a prefix length 0..32. */
static inline struct uk_ipv4_addr uk_ipv4_netmask(unsigned prefix)
{
    struct uk_ipv4_addr m;
    m.v = prefix == 0 ? 0 : prefix >= 32 ? 0xffffffffu
                                         : ~((1u << (32 - prefix)) - 1u);
    return m;
}

/* Whether a and b are on the same subnet under mask. */
static inline bool uk_ipv4_same_subnet(struct uk_ipv4_addr a,
                                       struct uk_ipv4_addr b,
                                       struct uk_ipv4_addr mask)
{
    return (a.v & mask.v) == (b.v & mask.v);
}

/* Parses a decimal of at most `max` starting at *s (no sign, no leading
 * zeros beyond a lone "0"); advances *s.  Returns false on failure. */
static inline bool uk__parse_dec(const char **s, const char *end,
                                 unsigned long max, unsigned long *out)
{
    const char *p = *s;
    unsigned long v = 0;
    if (p >= end || *p < '0' || *p > '9')
        return false;
    if (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
        return false;
    while (p < end && *p >= '0' && *p <= '9') {
        unsigned long d = (unsigned long)(*p - '0');
        if (d > max || v > (max - d) / 10) /* v * 10 + d > max */
            return false;
        v = v * 10 + d;
        p++;
    }
    *s = p;
    *out = v;
    return true;
}

/*
 * uk_ipv4_parse(s, n, out): parses exactly the n bytes at s as a dotted quad
 * ("10.0.0.1").  Returns 0, or UK_EINVAL for anything else (no hex, octal,
 * short forms or trailing bytes).  out is untouched on error.
 */
static inline int uk_ipv4_parse(const char *s, size_t n,
                                struct uk_ipv4_addr *out)
{
    const char *end = s + n;
    uint32_t v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        unsigned long octet;
        if (i > 0) {
            if (s >= end || *s != '.')
                return UK_EINVAL;
            s++;
        }
        if (!uk__parse_dec(&s, end, 255, &octet))
            return UK_EINVAL;
        v = v << 8 | (uint32_t)octet;
    }
    if (s != end)
        return UK_EINVAL;
    out->v = v;
    return UK_OK;
}

/*
 * uk_ipv4_parse_cidr(s, n, addr, prefix): "A.B.C.D/LEN" with LEN 0..32.
 * Returns 0 or UK_EINVAL.
 */
static inline int uk_ipv4_parse_cidr(const char *s, size_t n,
                                     struct uk_ipv4_addr *addr,
                                     unsigned *prefix)
{
    size_t slash;
    unsigned long len;
    const char *p;
    struct uk_ipv4_addr a;
    for (slash = 0; slash < n && s[slash] != '/'; slash++)
        ;
    if (slash == n || uk_ipv4_parse(s, slash, &a) != UK_OK)
        return UK_EINVAL;
    p = s + slash + 1;
    if (!uk__parse_dec(&p, s + n, 32, &len) || p != s + n)
        return UK_EINVAL;
    *addr = a;
    *prefix = (unsigned)len;
    return UK_OK;
}

/*
 * uk_ipv4_ep_parse(s, n, ep): "A.B.C.D:PORT" with PORT 0..65535.
 * Returns 0 or UK_EINVAL.
 */
static inline int uk_ipv4_ep_parse(const char *s, size_t n,
                                   struct uk_ipv4_ep *ep)
{
    size_t colon;
    unsigned long port;
    const char *p;
    struct uk_ipv4_addr a;
    for (colon = 0; colon < n && s[colon] != ':'; colon++)
        ;
    if (colon == n || uk_ipv4_parse(s, colon, &a) != UK_OK)
        return UK_EINVAL;
    p = s + colon + 1;
    if (!uk__parse_dec(&p, s + n, 65535, &port) || p != s + n)
        return UK_EINVAL;
    ep->addr = a;
    ep->port = (uint16_t)port;
    return UK_OK;
}

static inline char *uk__fmt_dec(char *p, unsigned v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* Formats a into buf (UK_IPV4_STRLEN bytes); returns buf. */
static inline char *uk_ipv4_format(struct uk_ipv4_addr a, char *buf)
{
    char *p = buf;
    int i;
    for (i = 3; i >= 0; i--) {
        p = uk__fmt_dec(p, (unsigned)(a.v >> (8 * i)) & 255u);
        if (i > 0)
            *p++ = '.';
    }
    *p = '\0';
    return buf;
}

/* Formats "A.B.C.D:PORT" into buf (UK_IPV4_EP_STRLEN bytes); returns buf. */
static inline char *uk_ipv4_ep_format(const struct uk_ipv4_ep *ep, char *buf)
{
    char *p;
    uk_ipv4_format(ep->addr, buf);
    for (p = buf; *p != '\0'; p++)
        ;
    *p++ = ':';
    p = uk__fmt_dec(p, ep->port);
    *p = '\0';
    return buf;
}

static inline int uk__hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * uk_mac_parse(s, n, out): exactly "xx:xx:xx:xx:xx:xx" (hex, either case,
 * ':' or '-' separators, used consistently).  Returns 0 or UK_EINVAL.
 */
static inline int uk_mac_parse(const char *s, size_t n, struct uk_mac *out)
{
    struct uk_mac m;
    int i;
    if (n != 17)
        return UK_EINVAL;
    for (i = 0; i < 6; i++) {
        int hi = uk__hexval(s[3 * i]), lo = uk__hexval(s[3 * i + 1]);
        if (hi < 0 || lo < 0)
            return UK_EINVAL;
        if (i < 5 && s[3 * i + 2] != s[2])
            return UK_EINVAL;
        m.b[i] = (uint8_t)(hi << 4 | lo);
    }
    if (s[2] != ':' && s[2] != '-')
        return UK_EINVAL;
    *out = m;
    return UK_OK;
}

/* Formats "02:00:00:00:00:01" into buf (UK_MAC_STRLEN bytes); returns buf. */
static inline char *uk_mac_format(const struct uk_mac *m, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 6; i++) {
        buf[3 * i] = hex[m->b[i] >> 4];
        buf[3 * i + 1] = hex[m->b[i] & 15];
        buf[3 * i + 2] = i < 5 ? ':' : '\0';
    }
    return buf;
}

static inline bool uk_mac_eq(const struct uk_mac *a, const struct uk_mac *b)
{
    int i;
    for (i = 0; i < 6; i++)
        if (a->b[i] != b->b[i])
            return false;
    return true;
}

static inline bool uk_mac_is_broadcast(const struct uk_mac *m)
{
    int i;
    for (i = 0; i < 6; i++)
        if (m->b[i] != 0xff)
            return false;
    return true;
}

static inline bool uk_mac_is_multicast(const struct uk_mac *m)
{
    return (m->b[0] & 1) != 0;
}

#endif
