/*
 * zonefile_priv.h - internals shared by the zone-file parser's files:
 * zonefile.c (entries, directives, includes), zonefile_lex.c (tokens),
 * zonefile_rdata.c (RDATA per type) and dns_text.c (names, numbers,
 * addresses in presentation format).  Not installed.
 */
#ifndef UK_DNS_ZONEFILE_PRIV_H
#define UK_DNS_ZONEFILE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/dns.h>
#include <uk/dns_zonefile.h>
#include <uk/kv_ro.h>

/* Token kinds. */
enum zf_kind {
    ZF_WORD,   /* a run of non-blank bytes, escapes left in place */
    ZF_QUOTED, /* the bytes between two '"', escapes left in place */
    ZF_EOL,    /* end of an entry (a newline outside parentheses) */
    ZF_EOF     /* end of the current file */
};

/* A token: p/n point into the file's text (escapes not yet decoded). */
struct zf_tok {
    enum zf_kind kind;
    const char *p;
    size_t n;
    unsigned line, col; /* 1-based position of its first byte */
};

/* One open file: the main file is frame 0, each $INCLUDE pushes one. */
struct zf_frame {
    char file[UK_KV_KEY_MAX + 1];
    const char *text; /* BORROWED: caller's, mapped, or in the scratch area */
    size_t len, pos;
    unsigned line;
    size_t line_start; /* offset of the current line */
    bool paren;        /* inside ( ... ) */
    unsigned paren_line, paren_col;
    uint8_t origin[UK_DNS_NAME_MAX];
    size_t origin_len; /* 0: no origin */
    uint8_t owner[UK_DNS_NAME_MAX];
    size_t owner_len; /* 0: no previous owner */
    size_t mark;      /* scratch area used before this file */
};

/* The parser's whole state, at the start of the caller's scratch. */
struct zf {
    struct uk_kv_ro *store;
    uk_dns_rr_cb cb;
    void *arg;
    struct uk_dns_zonefile_error *err;
    uint32_t ttl_default;
    bool ttl_directive; /* a $TTL was seen: explicit TTLs no longer stick */
    int depth;          /* index of the current frame */
    unsigned includes;  /* $INCLUDEs followed so far */
    uint8_t *area;      /* scratch after this struct, for file texts */
    size_t area_len, area_used;
    struct zf_frame frames[UK_DNS_ZONEFILE_DEPTH + 1];
    uint8_t rdata[65535];
};

/* Records an error at tok's position (or none when tok is NULL) and returns
 * code.  printf-style message. */
int uk__zf_fail(struct zf *st, const struct zf_tok *tok, int code,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The current frame. */
static inline struct zf_frame *uk__zf_top(struct zf *st)
{
    return &st->frames[st->depth];
}

/* Next token of the current file; 0 or an error (already recorded). */
int uk__zf_next(struct zf *st, struct zf_tok *tok);

/* A token that must be data (WORD or QUOTED, unless words_only): what names
 * the expected field in the error. */
int uk__zf_need(struct zf *st, struct zf_tok *tok, const char *what,
                bool words_only);

/* Parses the RDATA of type after the type token, up to and including the
 * end of the entry; *rdlen gets its length in st->rdata. */
int uk__zf_rdata(struct zf *st, uint16_t type, size_t *rdlen);

/* Type mnemonic or TYPEnnn -> number; false if neither. */
bool uk__dns_type_from_text(const char *p, size_t n, uint16_t *type);

/*
 * Presentation-format helpers (dns_text.c).  Each returns 0 or a UK_E*
 * code and, on error, sets *why to a static one-line reason.
 */
int uk__dns_name_parse(const char *p, size_t n, const uint8_t *origin,
                       size_t origin_len, uint8_t *out, size_t *out_len,
                       const char **why);
/* Length of the valid wire name at w (at most n bytes), or 0 if invalid. */
size_t uk__dns_name_wire_len(const uint8_t *w, size_t n);
/* TTL or SOA timer: decimal seconds or unit form, at most max. */
int uk__dns_ttl_parse(const char *p, size_t n, uint32_t max, uint32_t *out,
                      const char **why);
/* Plain decimal at most max. */
int uk__dns_uint_parse(const char *p, size_t n, uint32_t max, uint32_t *out,
                       const char **why);
/* IPv6 text (RFC 4291 §2.2) to 16 bytes. */
int uk__dns_aaaa_parse(const char *p, size_t n, uint8_t out[16],
                       const char **why);
/* Decodes \X and \DDD escapes of p into out (at most cap bytes). */
int uk__dns_unescape(const char *p, size_t n, uint8_t *out, size_t cap,
                     size_t *out_len, const char **why);

#endif
