/*
 * test_dns_support.h - helpers shared by the answer, server, NSD and dig
 * tests: loading zone text into a database, building query messages, and
 * decoding replies into comparable text, one line per record.
 */
#ifndef TEST_DNS_SUPPORT_H
#define TEST_DNS_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/bytes.h>
#include <uk/dns_answer.h>
#include <uk/dns_db.h>
#include <uk/dns_name.h>
#include <uk/dns_query.h>
#include <uk/dns_zonefile.h>

/* Record text is cut at TD_LINE on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

/* ---- loading */

/* Reads a whole file (test data) into a malloc'd NUL-terminated buffer. */
static inline char *td_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* The path of a file under tests/dns/zones. */
static inline void td_zone_path(char *out, size_t cap, const char *file)
{
    const char *src = getenv("UK_SOURCE_DIR");
    snprintf(out, cap, "%s/tests/dns/zones/%s", src != NULL ? src : ".", file);
}

/* Wire name from text (absolute). */
static inline size_t td_name(const char *text, uint8_t *out)
{
    size_t n = 0;
    if (uk_dns_name_from_text(text, strlen(text), NULL, out, &n) != 0)
        return 0;
    return n;
}

/* Loads zone text with origin into db.  Returns 0 or the error (message
 * printed). */
static inline int td_load_text(struct uk_dns_db *db, const char *origin,
                               const char *text, size_t len)
{
    uint8_t o[UK_DNS_NAME_MAX];
    static unsigned char scratch[UK_DNS_ZONEFILE_SCRATCH];
    struct uk_dns_zonefile_error err;
    int rc;
    if (td_name(origin, o) == 0)
        return UK_EINVAL;
    rc = uk_dns_db_zone_begin(db, o);
    if (rc != 0)
        return rc;
    rc = uk_dns_zonefile_parse("zone", text, len, NULL, o, 3600, scratch,
                               sizeof scratch, uk_dns_db_add, db, &err);
    if (rc != 0)
        printf("# zone error: %s:%u:%u: %s (%s)\n", err.file, err.line,
               err.column, err.message, db->err);
    if (uk_dns_db_zone_end(db) != 0 && rc == 0) {
        printf("# db error: %s\n", db->err);
        rc = UK_EINVAL;
    }
    return rc;
}

/* Loads tests/dns/zones/<file> as origin. */
static inline int td_load_file(struct uk_dns_db *db, const char *origin,
                               const char *file)
{
    char path[512];
    size_t len;
    char *text;
    int rc;
    td_zone_path(path, sizeof path, file);
    text = td_read_file(path, &len);
    if (text == NULL) {
        printf("# cannot read %s\n", path);
        return UK_ENOENT;
    }
    rc = td_load_text(db, origin, text, len);
    free(text);
    return rc;
}

/* ---- building queries */

struct td_q {
    uint16_t id, flags;
    int edns; /* 0: no OPT; else OPT with this payload size */
    uint8_t edns_version;
    int do_bit;
};

/* Writes a query for (name, qtype, class IN) into out; returns its length. */
static inline size_t td_query(uint8_t *out, const char *name, uint16_t qtype,
                              const struct td_q *o)
{
    uint8_t wire[UK_DNS_NAME_MAX];
    size_t n = td_name(name, wire), len = 12;
    memset(out, 0, 12);
    uk_store_be16(out, o != NULL ? o->id : 0x4242);
    uk_store_be16(out + 2, o != NULL ? o->flags : 0);
    uk_store_be16(out + 4, 1);
    memcpy(out + len, wire, n);
    len += n;
    uk_store_be16(out + len, qtype);
    uk_store_be16(out + len + 2, UK_DNS_IN);
    len += 4;
    if (o != NULL && o->edns) {
        out[len] = 0;
        uk_store_be16(out + len + 1, UK_DNS_OPT);
        uk_store_be16(out + len + 3, (uint16_t)o->edns);
        uk_store_be32(out + len + 5, (uint32_t)o->edns_version << 16 |
                                         (o->do_bit ? 0x8000u : 0));
        uk_store_be16(out + len + 9, 0);
        len += 11;
        uk_store_be16(out + 10, 1);
    }
    return len;
}

/* ---- decoding replies */

#define TD_MAX_RR 128
#define TD_LINE 600

/* A reply decoded: header fields and each section as text lines
 * "owner ttl TYPE rdata" (names as in the message, case kept). */
struct td_reply {
    uint16_t id, flags;
    int rcode; /* extended with the OPT's bits */
    int qd, an, ns, ar;
    char question[TD_LINE];
    int nsec[3];
    char rr[3][TD_MAX_RR][TD_LINE];
    int has_opt;
    uint16_t opt_size;
    uint32_t opt_ttl;
    size_t len;
};

static inline void td_name_text(const uint8_t *msg, size_t len, size_t pos,
                                char *out, size_t cap, size_t *next)
{
    uint8_t name[UK_DNS_NAME_MAX];
    size_t n = 0;
    if (uk_dns_name_unpack(msg, len, pos, name, &n, next) != 0) {
        snprintf(out, cap, "<bad name>");
        *next = len;
        return;
    }
    uk_dns_name_format(name, n, out, cap);
}

static inline const char *td_type_name(uint16_t t, char *buf)
{
    switch (t) {
    case UK_DNS_A:
        return "A";
    case UK_DNS_NS:
        return "NS";
    case UK_DNS_CNAME:
        return "CNAME";
    case UK_DNS_SOA:
        return "SOA";
    case UK_DNS_PTR:
        return "PTR";
    case UK_DNS_MX:
        return "MX";
    case UK_DNS_TXT:
        return "TXT";
    case UK_DNS_AAAA:
        return "AAAA";
    case UK_DNS_SRV:
        return "SRV";
    case UK_DNS_CAA:
        return "CAA";
    default:
        sprintf(buf, "TYPE%u", t);
        return buf;
    }
}

/* The RDATA at msg[pos..pos+rdlen) as text (names decompressed). */
static inline void td_rdata_text(const uint8_t *msg, size_t len, size_t pos,
                                 uint16_t type, uint16_t rdlen, char *out,
                                 size_t cap)
{
    char a[300], b[300];
    size_t next, i, o = 0;
    const uint8_t *r = msg + pos;
    switch (type) {
    case UK_DNS_A:
        if (rdlen == 4) {
            snprintf(out, cap, "%u.%u.%u.%u", r[0], r[1], r[2], r[3]);
            return;
        }
        break;
    case UK_DNS_NS:
    case UK_DNS_CNAME:
    case UK_DNS_PTR:
        td_name_text(msg, len, pos, out, cap, &next);
        return;
    case UK_DNS_MX:
        td_name_text(msg, len, pos + 2, a, sizeof a, &next);
        snprintf(out, cap, "%u %s", uk_load_be16(r), a);
        return;
    case UK_DNS_SOA:
        td_name_text(msg, len, pos, a, sizeof a, &next);
        td_name_text(msg, len, next, b, sizeof b, &next);
        if (next + 20 <= len)
            snprintf(out, cap, "%s %s %u %u %u %u %u", a, b,
                     uk_load_be32(msg + next), uk_load_be32(msg + next + 4),
                     uk_load_be32(msg + next + 8),
                     uk_load_be32(msg + next + 12),
                     uk_load_be32(msg + next + 16));
        return;
    default:
        break;
    }
    o += (size_t)snprintf(out, cap, "\\# %u ", rdlen);
    for (i = 0; i < rdlen && o + 3 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%02x", r[i]);
}

/* Decodes msg[0..len) into *r.  Returns 0, or -1 when malformed. */
static inline int td_decode(const uint8_t *msg, size_t len, struct td_reply *r)
{
    size_t pos = 12;
    int s, i;
    memset(r, 0, sizeof *r);
    r->len = len;
    if (len < 12)
        return -1;
    r->id = uk_load_be16(msg);
    r->flags = uk_load_be16(msg + 2);
    r->rcode = r->flags & 0xf;
    r->qd = uk_load_be16(msg + 4);
    r->an = uk_load_be16(msg + 6);
    r->ns = uk_load_be16(msg + 8);
    r->ar = uk_load_be16(msg + 10);
    if (r->qd > 1 || r->an > TD_MAX_RR || r->ns > TD_MAX_RR ||
        r->ar > TD_MAX_RR)
        return -1;
    if (r->qd == 1) {
        char n[300], tb[16];
        td_name_text(msg, len, pos, n, sizeof n, &pos);
        if (pos + 4 > len)
            return -1;
        snprintf(r->question, sizeof r->question, "%s %s %u", n,
                 td_type_name(uk_load_be16(msg + pos), tb),
                 uk_load_be16(msg + pos + 2));
        pos += 4;
    }
    for (s = 0; s < 3; s++) {
        int count = s == 0 ? r->an : s == 1 ? r->ns : r->ar;
        for (i = 0; i < count; i++) {
            char owner[300], rd[TD_LINE - 100], tb[16];
            uint16_t type, rdlen;
            uint32_t ttl;
            td_name_text(msg, len, pos, owner, sizeof owner, &pos);
            if (pos + 10 > len)
                return -1;
            type = uk_load_be16(msg + pos);
            ttl = uk_load_be32(msg + pos + 4);
            rdlen = uk_load_be16(msg + pos + 8);
            if (pos + 10 + rdlen > len)
                return -1;
            if (type == UK_DNS_OPT) {
                r->has_opt = 1;
                r->opt_size = uk_load_be16(msg + pos + 2);
                r->opt_ttl = ttl;
                r->rcode |= (int)(ttl >> 24) << 4;
            } else {
                td_rdata_text(msg, len, pos + 10, type, rdlen, rd, sizeof rd);
                snprintf(r->rr[s][r->nsec[s]++], TD_LINE, "%s %u %s %s", owner,
                         ttl, td_type_name(type, tb), rd);
            }
            pos += 10 + rdlen;
        }
    }
    return pos == len ? 0 : -1;
}

/* Whether section s of r holds exactly the lines given (NULL-terminated),
 * in any order; prints the difference otherwise. */
static inline int td_section_is(const struct td_reply *r, int s,
                                const char *const *want)
{
    int n = 0, i, j, ok = 1;
    for (n = 0; want[n] != NULL; n++) {
        int found = 0;
        for (j = 0; j < r->nsec[s]; j++)
            if (strcmp(r->rr[s][j], want[n]) == 0)
                found = 1;
        if (!found) {
            printf("# section %d lacks: %s\n", s, want[n]);
            ok = 0;
        }
    }
    if (n != r->nsec[s]) {
        printf("# section %d has %d records, want %d:\n", s, r->nsec[s], n);
        for (i = 0; i < r->nsec[s]; i++)
            printf("#   %s\n", r->rr[s][i]);
        ok = 0;
    }
    return ok;
}

#endif
