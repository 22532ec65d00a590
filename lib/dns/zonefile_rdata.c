/*
 * zonefile_rdata.c - RDATA of one zone-file entry, from its presentation
 * form to wire format: A, AAAA, NS, CNAME, PTR, SOA, MX, TXT, SRV, CAA,
 * and the RFC 3597 generic form "\# length hex" for any type (checked
 * against the type's wire format when the type is one of those above).
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/err.h>
#include <uk/ipaddr.h>

#include "zonefile_priv.h"

#define RDATA_MAX 65535u

static const struct {
    const char *name;
    uint16_t type;
} types[] = {
    {"A", UK_DNS_A},     {"NS", UK_DNS_NS},     {"CNAME", UK_DNS_CNAME},
    {"SOA", UK_DNS_SOA}, {"PTR", UK_DNS_PTR},   {"MX", UK_DNS_MX},
    {"TXT", UK_DNS_TXT}, {"AAAA", UK_DNS_AAAA}, {"SRV", UK_DNS_SRV},
    {"CAA", UK_DNS_CAA},
};

static bool eq_nocase(const char *p, size_t n, const char *s)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char a = p[i], b = s[i];
        if (b == '\0')
            return false;
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 'a' + 'A');
        if (a != b)
            return false;
    }
    return s[n] == '\0';
}

bool uk__dns_type_from_text(const char *p, size_t n, uint16_t *type)
{
    size_t i;
    uint32_t v;
    const char *why;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (eq_nocase(p, n, types[i].name)) {
            *type = types[i].type;
            return true;
        }
    }
    if (n > 4 && eq_nocase(p, 4, "TYPE") && p[4] != '0' &&
        uk__dns_uint_parse(p + 4, n - 4, 65535, &v, &why) == 0) {
        *type = (uint16_t)v;
        return true;
    }
    return false;
}

static bool is_known(uint16_t type)
{
    size_t i;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (types[i].type == type)
            return true;
    return false;
}

/* Appends the name in the next token. */
static int put_name(struct zf *st, size_t *o, const char *what)
{
    struct zf_frame *fr = uk__zf_top(st);
    struct zf_tok t;
    const char *why = "";
    size_t n;
    int rc = uk__zf_need(st, &t, what, true);
    if (rc != 0)
        return rc;
    rc = uk__dns_name_parse(t.p, t.n, fr->origin, fr->origin_len,
                            st->rdata + *o, &n, &why);
    if (rc != 0)
        return uk__zf_fail(st, &t, rc, "%s: %s", what, why);
    *o += n;
    return 0;
}

/* Appends the number in the next token as `width` big-endian bytes. */
static int put_uint(struct zf *st, size_t *o, const char *what, int width,
                    bool units)
{
    struct zf_tok t;
    const char *why = "";
    uint32_t max = width == 1 ? 255u : width == 2 ? 65535u : 0xffffffffu;
    uint32_t v;
    int rc = uk__zf_need(st, &t, what, true);
    if (rc != 0)
        return rc;
    rc = units ? uk__dns_ttl_parse(t.p, t.n, max, &v, &why)
               : uk__dns_uint_parse(t.p, t.n, max, &v, &why);
    if (rc != 0)
        return uk__zf_fail(st, &t, rc, "%s: %s (0..%lu)", what, why,
                           (unsigned long)max);
    if (width == 1)
        st->rdata[*o] = (uint8_t)v;
    else if (width == 2)
        uk_store_be16(st->rdata + *o, (uint16_t)v);
    else
        uk_store_be32(st->rdata + *o, v);
    *o += (size_t)width;
    return 0;
}

static int rd_addr(struct zf *st, uint16_t type, size_t *o)
{
    struct zf_tok t;
    const char *why = "bad IPv4 address";
    struct uk_ipv4_addr a;
    int rc = uk__zf_need(st, &t, "address", true);
    if (rc != 0)
        return rc;
    if (type == UK_DNS_A) {
        if (uk_ipv4_parse(t.p, t.n, &a) != 0)
            rc = UK_EPROTO;
        else
            uk_store_be32(st->rdata, a.v);
        *o = 4;
    } else {
        rc = uk__dns_aaaa_parse(t.p, t.n, st->rdata, &why);
        *o = 16;
    }
    if (rc != 0)
        return uk__zf_fail(st, &t, rc, "%s: '%.*s'", why,
                           (int)(t.n > 64 ? 64 : t.n), t.p);
    return 0;
}

static int rd_soa(struct zf *st, size_t *o)
{
    static const char *const timers[] = {"SOA refresh", "SOA retry",
                                         "SOA expire", "SOA minimum"};
    int rc, i;
    if ((rc = put_name(st, o, "SOA primary name server")) != 0 ||
        (rc = put_name(st, o, "SOA mailbox")) != 0 ||
        (rc = put_uint(st, o, "SOA serial", 4, false)) != 0)
        return rc;
    for (i = 0; i < 4; i++)
        if ((rc = put_uint(st, o, timers[i], 4, true)) != 0)
            return rc;
    return 0;
}

/* One character-string (TXT) or CAA value from token t. */
static int put_string(struct zf *st, const struct zf_tok *t, size_t *o,
                      bool prefixed)
{
    const char *why = "";
    size_t cap = RDATA_MAX - *o - (prefixed ? 1 : 0), n;
    int rc;
    if (prefixed && cap > 255)
        cap = 255;
    if (*o + (prefixed ? 1 : 0) > RDATA_MAX)
        return uk__zf_fail(st, t, UK_EMSGSIZE, "RDATA over 65535 bytes");
    rc = uk__dns_unescape(t->p, t->n, st->rdata + *o + (prefixed ? 1 : 0), cap,
                          &n, &why);
    if (rc == UK_EMSGSIZE && prefixed && cap == 255)
        why = "character string longer than 255 bytes";
    if (rc != 0)
        return uk__zf_fail(st, t, rc, "%s", why);
    if (prefixed)
        st->rdata[(*o)++] = (uint8_t)n;
    *o += n;
    return 0;
}

/* TXT: strings up to the end of the entry (consumes it). */
static int rd_txt(struct zf *st, size_t *o)
{
    struct zf_tok t;
    int rc = uk__zf_need(st, &t, "TXT string", false);
    while (rc == 0 && t.kind != ZF_EOL && t.kind != ZF_EOF) {
        if ((rc = put_string(st, &t, o, true)) == 0)
            rc = uk__zf_next(st, &t);
    }
    return rc;
}

static int rd_caa(struct zf *st, size_t *o)
{
    struct zf_tok t;
    size_t i, taglen;
    int rc = put_uint(st, o, "CAA flags", 1, false);
    if (rc == 0)
        rc = uk__zf_need(st, &t, "CAA tag", true);
    if (rc != 0)
        return rc;
    for (i = 0; i < t.n; i++) {
        char c = t.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            break;
    }
    taglen = t.n;
    if (i < t.n || taglen == 0 || taglen > 15)
        return uk__zf_fail(st, &t, UK_EPROTO,
                           "CAA tag must be 1 to 15 letters and digits");
    st->rdata[(*o)++] = (uint8_t)taglen;
    memcpy(st->rdata + *o, t.p, taglen);
    *o += taglen;
    if ((rc = uk__zf_need(st, &t, "CAA value", false)) != 0)
        return rc;
    return put_string(st, &t, o, false);
}

/* Whether rd[0..n) is valid wire RDATA for a known type. */
static bool wire_ok(uint16_t type, const uint8_t *rd, size_t n)
{
    size_t a, b;
    switch (type) {
    case UK_DNS_A:
        return n == 4;
    case UK_DNS_AAAA:
        return n == 16;
    case UK_DNS_NS:
    case UK_DNS_CNAME:
    case UK_DNS_PTR:
        return n > 0 && uk__dns_name_wire_len(rd, n) == n;
    case UK_DNS_MX:
        return n > 2 && 2 + uk__dns_name_wire_len(rd + 2, n - 2) == n;
    case UK_DNS_SRV:
        return n > 6 && 6 + uk__dns_name_wire_len(rd + 6, n - 6) == n;
    case UK_DNS_SOA:
        if ((a = uk__dns_name_wire_len(rd, n)) == 0)
            return false;
        b = uk__dns_name_wire_len(rd + a, n - a);
        return b != 0 && a + b + 20 == n;
    case UK_DNS_TXT:
        for (a = 0; a < n; a += 1u + rd[a])
            ;
        return n > 0 && a == n;
    case UK_DNS_CAA:
        if (n < 2 || rd[1] == 0 || rd[1] > 15 || 2u + rd[1] > n)
            return false;
        for (a = 0; a < rd[1]; a++) {
            uint8_t c = rd[2 + a];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9')))
                return false;
        }
        return true;
    default:
        return true;
    }
}

/* RFC 3597: "\#" was read; length and hex up to the end (consumes it). */
static int rd_generic(struct zf *st, uint16_t type, size_t *o)
{
    struct zf_tok t, lt;
    const char *why = "";
    uint32_t len;
    size_t nib = 0, i;
    int rc = uk__zf_need(st, &lt, "RFC 3597 data length", true);
    if (rc != 0)
        return rc;
    if ((rc = uk__dns_uint_parse(lt.p, lt.n, RDATA_MAX, &len, &why)) != 0)
        return uk__zf_fail(st, &lt, rc, "RFC 3597 data length: %s", why);
    while ((rc = uk__zf_next(st, &t)) == 0 && t.kind != ZF_EOL &&
           t.kind != ZF_EOF) {
        for (i = 0; i < t.n; i++) {
            int v = uk__hexval(t.p[i]);
            if (v < 0 || t.kind == ZF_QUOTED)
                return uk__zf_fail(st, &t, UK_EPROTO,
                                   "RFC 3597 data must be hex digits");
            if (nib >= 2u * len)
                return uk__zf_fail(st, &t, UK_EPROTO,
                                   "more hex data than the length %lu",
                                   (unsigned long)len);
            if (nib % 2 == 0)
                st->rdata[nib / 2] = (uint8_t)(v << 4);
            else
                st->rdata[nib / 2] |= (uint8_t)v;
            nib++;
        }
    }
    if (rc != 0)
        return rc;
    if (nib != 2u * len)
        return uk__zf_fail(st, &lt, UK_EPROTO,
                           "RFC 3597 length %lu but %lu hex digits",
                           (unsigned long)len, (unsigned long)nib);
    if (!wire_ok(type, st->rdata, len))
        return uk__zf_fail(st, &lt, UK_EPROTO,
                           "RFC 3597 data is not valid for TYPE%u",
                           (unsigned)type);
    *o = len;
    return 0;
}

/* Known-type text forms; leaves the end of the entry unread (except TXT,
 * which reads it: *ended). */
static int rd_text(struct zf *st, uint16_t type, size_t *o, bool *ended)
{
    int rc;
    switch (type) {
    case UK_DNS_A:
    case UK_DNS_AAAA:
        return rd_addr(st, type, o);
    case UK_DNS_NS:
    case UK_DNS_CNAME:
    case UK_DNS_PTR:
        return put_name(st, o, "target name");
    case UK_DNS_SOA:
        return rd_soa(st, o);
    case UK_DNS_MX:
        if ((rc = put_uint(st, o, "MX preference", 2, false)) != 0)
            return rc;
        return put_name(st, o, "MX exchange");
    case UK_DNS_SRV:
        if ((rc = put_uint(st, o, "SRV priority", 2, false)) != 0 ||
            (rc = put_uint(st, o, "SRV weight", 2, false)) != 0 ||
            (rc = put_uint(st, o, "SRV port", 2, false)) != 0)
            return rc;
        return put_name(st, o, "SRV target");
    case UK_DNS_TXT:
        *ended = true;
        return rd_txt(st, o);
    case UK_DNS_CAA:
        return rd_caa(st, o);
    default:
        return UK_ENOTSUP;
    }
}

/* What the first RDATA field of type is called, for "missing" errors. */
static const char *first_field(uint16_t type)
{
    switch (type) {
    case UK_DNS_A:
    case UK_DNS_AAAA:
        return "address";
    case UK_DNS_NS:
    case UK_DNS_CNAME:
    case UK_DNS_PTR:
        return "target name";
    case UK_DNS_SOA:
        return "SOA primary name server";
    case UK_DNS_MX:
        return "MX preference";
    case UK_DNS_SRV:
        return "SRV priority";
    case UK_DNS_TXT:
        return "TXT string";
    case UK_DNS_CAA:
        return "CAA flags";
    default:
        return "RDATA (\\# length hex)";
    }
}

int uk__zf_rdata(struct zf *st, uint16_t type, size_t *rdlen)
{
    struct zf_frame *fr = uk__zf_top(st);
    struct zf_tok t;
    size_t save = fr->pos, o = 0;
    unsigned line = fr->line;
    size_t line_start = fr->line_start;
    bool ended = false, paren = fr->paren;
    int rc = uk__zf_need(st, &t, first_field(type), false);
    if (rc != 0)
        return rc;
    if (t.kind == ZF_WORD && t.n == 2 && t.p[0] == '\\' && t.p[1] == '#') {
        rc = rd_generic(st, type, &o);
        ended = true;
    } else if (!is_known(type)) {
        return uk__zf_fail(st, &t, UK_ENOTSUP,
                           "TYPE%u has no text form: use \\# length hex",
                           (unsigned)type);
    } else {
        /* Re-read the first field in the type's own parser. */
        fr->pos = save;
        fr->line = line;
        fr->line_start = line_start;
        fr->paren = paren;
        rc = rd_text(st, type, &o, &ended);
    }
    if (rc == 0 && !ended) {
        if ((rc = uk__zf_next(st, &t)) == 0 && t.kind != ZF_EOL &&
            t.kind != ZF_EOF)
            rc = uk__zf_fail(st, &t, UK_EPROTO,
                             "unexpected '%.*s' after the RDATA",
                             (int)(t.n > 40 ? 40 : t.n), t.p);
    }
    *rdlen = o;
    return rc;
}
