/*
 * uk/http.h - HTTP/1.1 protocol pieces: the incremental request parser and
 * the helpers a server needs (path normalisation, HTTP dates, byte ranges,
 * content types, entity tags).  Portable: no allocation, no OS calls.
 *
 * The parser is a byte-driven state machine.  It is fed whatever a flow
 * delivers, in pieces of any size (down to one byte), and never needs the
 * request head in one read: what it keeps (method, target, the values of
 * the headers a static server uses) is copied into storage the caller owns,
 * whose size bounds the memory a request can take.  Limits on the request
 * line, the whole head and the number of header fields map to the status
 * codes RFC 9110/9112 give them (414, 431, 400).
 */
#ifndef UK_HTTP_H
#define UK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/err.h>

/* Default limits (struct uk_http_limits). */
#define UK_HTTP_LINE_MAX 8192  /* request line bytes, else 414 */
#define UK_HTTP_HEAD_MAX 8192  /* bytes of the whole head, else 431 */
#define UK_HTTP_HEADERS_MAX 64 /* header fields, else 431 */

struct uk_http_limits {
    size_t line_max;      /* longest request line (without CRLF) */
    size_t head_max;      /* longest head: request line and fields */
    unsigned headers_max; /* most header fields */
};

enum uk_http_method {
    UK_HTTP_GET = 1,
    UK_HTTP_HEAD = 2,
    UK_HTTP_OTHER = 3 /* any other token: a static server answers 405 */
};

/*
 * A parsed request head.  Strings are NUL-terminated and live in the
 * parser's storage: valid until the parser is reset.  Absent headers are
 * NULL.  Repeated If-None-Match fields are joined with ", ".
 */
struct uk_http_request {
    enum uk_http_method method;
    const char *method_str; /* the method token as sent */
    const char *target;     /* request-target as sent (not decoded) */
    int version_minor;      /* 0 for HTTP/1.0, 1 for HTTP/1.1 and up */
    bool keep_alive;        /* after the Connection rules of 1.0 / 1.1 */
    bool has_content_length;
    uint64_t content_length; /* body bytes following the head */
    bool chunked;            /* Transfer-Encoding: chunked body follows */
    const char *host;
    const char *range;
    const char *if_none_match;
    const char *if_modified_since;
    const char *if_range;
};

/* The parser state.  Fields are private to http/parse.c. */
struct uk_http_parser {
    struct uk_http_limits limits;
    char *store; /* BORROWED caller storage */
    size_t store_cap, store_len;
    int state;
    size_t line_len; /* bytes of the current line */
    size_t head_len; /* bytes of the head so far */
    unsigned nheaders;
    int status;         /* HTTP status of the error, after UK_EPROTO */
    size_t value_start; /* store offset of the value being copied */
    int field;          /* which known field is being read, or 0 */
    char name[24];      /* lowercased field name (known ones fit) */
    size_t name_len;
    bool has_connection_close, has_connection_keep_alive;
    bool keep_fields; /* every field kept, for uk_http_header() */
    struct uk_http_request req;
};

/* Parse results (besides UK_EPROTO). */
#define UK_HTTP_MORE 0 /* every byte consumed, the head is not complete */
#define UK_HTTP_DONE 1 /* the head is complete: see parser->req */

/*
 * uk_http_parser_init(p, limits, store, cap): prepares p to parse one
 * request head.  store[0..cap) is BORROWED for the parser's lifetime; cap
 * bounds what the parser keeps (the target and the known header values):
 * anything beyond it is answered 414 (in the request line) or 431.
 * limits may be NULL for the defaults above.
 */
void uk_http_parser_init(struct uk_http_parser *p,
                         const struct uk_http_limits *limits, void *store,
                         size_t cap);

/* Forgets the current request (its strings become invalid) and starts the
 * next one, keeping storage and limits. */
void uk_http_parser_reset(struct uk_http_parser *p);

/*
 * uk_http_parse(p, data, len, used): feeds len bytes (BORROWED).
 * Returns UK_HTTP_MORE (all bytes used, *used == len), UK_HTTP_DONE (the
 * head ended after *used bytes; the rest belongs to the body or the next
 * request), or UK_EPROTO: the request is malformed or over a limit, and
 * uk_http_parser_status() says which status to answer with (400, 414, 431,
 * 501 for an unknown transfer coding, 505 for a major version other than
 * 1).  After DONE or UK_EPROTO, further calls return the same result and
 * use no bytes until uk_http_parser_reset().
 */
int uk_http_parse(struct uk_http_parser *p, const void *data, size_t len,
                  size_t *used);

/* The status code of the last UK_EPROTO, 0 if none. */
static inline int uk_http_parser_status(const struct uk_http_parser *p)
{
    return p->status;
}

/*
 * uk_http_parser_keep_fields(p, on): with on, the parser also keeps every
 * header field (lowercased name and trimmed value) for uk_http_header();
 * they take storage as they take head bytes, so storage of limits.head_max
 * bytes still holds any head within the limits.  Stays set across resets;
 * off by default.
 */
void uk_http_parser_keep_fields(struct uk_http_parser *p, bool on);

/*
 * uk_http_header(p, name): the value of the first field called name
 * (case-insensitive) in the head parsed so far, NUL-terminated in the
 * parser's storage (valid until reset), or NULL when absent or when fields
 * are not kept (uk_http_parser_keep_fields).
 */
const char *uk_http_header(const struct uk_http_parser *p, const char *name);

/* Whether any byte of a request has been seen since the last reset (blank
 * lines before a request do not count). */
bool uk_http_parser_started(const struct uk_http_parser *p);

/*
 * uk_http_target_to_key(target, key, cap, is_dir): turns a request-target
 * (origin-form "/a/b?q" or absolute-form "http://host/a/b") into a uk_kv_ro
 * key ("a/b"; "" for the root), percent-decoding it and removing "." and
 * ".." segments.  *is_dir is set when the path ends in '/' (or is the
 * root).  Never yields a key outside the store: a ".." above the root, a
 * decoded NUL, control byte, '\\' or '/' (from %2F), invalid
 * percent-encoding or a non-path target gives UK_EINVAL; a key that does
 * not fit cap bytes (with its NUL) gives UK_ENAMETOOLONG.  The result
 * always passes uk_kv_key_check().
 */
int uk_http_target_to_key(const char *target, char *key, size_t cap,
                          bool *is_dir);

/* Most bytes of a chunk-size line after the size (extensions), and of
 * all trailer fields together, in a chunked request body. */
#define UK_HTTP_CHUNK_LINE_MAX 1024
#define UK_HTTP_TRAILER_MAX 8192

/* The chunked-body decoder state.  Fields are private to http/chunked.c. */
struct uk_http_chunked {
    int state;
    uint64_t left;   /* data bytes left in the current chunk */
    unsigned digits; /* hex digits of the size so far */
    size_t line;     /* extension bytes of the size line */
    size_t trailer;  /* trailer bytes so far */
};

/* Prepares d for the first chunk of a body. */
void uk_http_chunked_init(struct uk_http_chunked *d);

/*
 * uk_http_chunked_decode(d, in, len, used, data, dlen): decodes bytes of a
 * chunked body (in[0..len), BORROWED), stopping after the first span of
 * body data.  Returns
 *   UK_HTTP_MORE  *used bytes consumed; when *dlen > 0, *data points to
 *                 *dlen body bytes inside in (the span ends at *used);
 *                 call again with the rest (*used < len) or more input
 *   UK_HTTP_DONE  the last chunk and the trailer section ended after
 *                 *used bytes (the rest belongs to the next request)
 *   UK_EPROTO     malformed: a size that is not hex or over 15 digits, a
 *                 missing CRLF, a control byte, an extension over
 *                 UK_HTTP_CHUNK_LINE_MAX or trailers over
 *                 UK_HTTP_TRAILER_MAX bytes (answer 400)
 * After DONE or UK_EPROTO further calls return the same and use nothing.
 * Extensions and trailer fields are skipped.  Line ends must be CRLF.
 */
int uk_http_chunked_decode(struct uk_http_chunked *d, const void *in,
                           size_t len, size_t *used, const void **data,
                           size_t *dlen);

/*
 * uk_http_form_get(s, len, name, out, cap, out_len): finds name in the
 * application/x-www-form-urlencoded text s[0..len) (a query string or a
 * form body: "a=1&b=x+y%21"), and decodes its value ('+' is a space, %XX a
 * byte) into out[0..cap) with a NUL after it; *out_len (may be NULL) gets
 * its length (the value may hold a decoded NUL).  The first occurrence
 * wins; a name without '=' has the empty value.  Returns 0, UK_ENOENT,
 * UK_EINVAL (invalid percent-encoding before or in the field), or
 * UK_ENAMETOOLONG (the value does not fit: out holds a truncated copy).
 * Names longer than 63 bytes never match.
 */
int uk_http_form_get(const char *s, size_t len, const char *name, char *out,
                     size_t cap, size_t *out_len);

/* Whether c may appear in a token (RFC 9110 tchar: methods, field
 * names). */
bool uk_http_is_tchar(unsigned char c);

/* Length of an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT". */
#define UK_HTTP_DATE_LEN 29

/* Formats POSIX seconds as an IMF-fixdate into out[UK_HTTP_DATE_LEN + 1]. */
void uk_http_date_format(int64_t secs, char *out);

/*
 * uk_http_date_parse(s, secs): parses an HTTP-date in any of the three
 * forms RFC 9110 accepts (IMF-fixdate, RFC 850, asctime).  Returns 0 and
 * sets *secs, or UK_EINVAL.
 */
int uk_http_date_parse(const char *s, int64_t *secs);

/*
 * uk_http_range_parse(s, size, first, last): evaluates a Range value
 * against a representation of size bytes.  Returns 0 with the single
 * satisfiable range [*first, *last] (inclusive); UK_ERANGE when no range
 * is satisfiable (answer 416); UK_EINVAL when the value is malformed, not
 * in bytes, or asks for several ranges (the server then ignores it and
 * sends the whole representation, as RFC 9110 allows).
 */
int uk_http_range_parse(const char *s, uint64_t size, uint64_t *first,
                        uint64_t *last);

/* The Content-Type for a key, from its extension (case-insensitive);
 * "application/octet-stream" when unknown.  Never NULL. */
const char *uk_http_content_type(const char *key);

/*
 * uk_http_etag_match(list, etag): whether an If-None-Match value ("*" or a
 * comma-separated list of entity tags) matches etag (a quoted tag) under
 * weak comparison.  If-Range uses strong comparison: see
 * uk_http_etag_strong_eq.
 */
bool uk_http_etag_match(const char *list, const char *etag);

/* Whether the If-Range value s is exactly the strong tag etag. */
bool uk_http_etag_strong_eq(const char *s, const char *etag);

#endif
