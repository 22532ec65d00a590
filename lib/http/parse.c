/*
 * parse.c - the incremental HTTP/1.1 request-head parser (RFC 9112 section
 * 2-3, 5-6): a state machine fed bytes in pieces of any size.  See
 * uk/http.h.
 */
#include <string.h>

#include <uk/http.h>

enum state {
    ST_START, /* before the request: blank lines are skipped */
    ST_METHOD,
    ST_TARGET,
    ST_VERSION,
    ST_RL_CR, /* CR seen at the end of the request line */
    ST_LINE,  /* start of a header line, or of the final blank line */
    ST_NAME,
    ST_OWS, /* whitespace before a field value */
    ST_VALUE,
    ST_VALUE_CR,
    ST_END_CR,
    ST_DONE,
    ST_ERROR
};

enum field {
    F_NONE,
    F_HOST,
    F_CONNECTION,
    F_CONTENT_LENGTH,
    F_TRANSFER_ENCODING,
    F_RANGE,
    F_IF_NONE_MATCH,
    F_IF_MODIFIED_SINCE,
    F_IF_RANGE
};

static const char *const field_names[] = {NULL,
                                          "host",
                                          "connection",
                                          "content-length",
                                          "transfer-encoding",
                                          "range",
                                          "if-none-match",
                                          "if-modified-since",
                                          "if-range"};

bool uk_http_is_tchar(unsigned char c)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return true;
    return c != 0 && memchr(extra, c, sizeof extra - 1) != NULL;
}

/* field-vchar, SP and HTAB (obs-text allowed). */
static bool is_value_char(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool token_is(const char *s, size_t n, const char *w);

void uk_http_parser_init(struct uk_http_parser *p,
                         const struct uk_http_limits *limits, void *store,
                         size_t cap)
{
    memset(p, 0, sizeof *p);
    if (limits != NULL) {
        p->limits = *limits;
    } else {
        p->limits.line_max = UK_HTTP_LINE_MAX;
        p->limits.head_max = UK_HTTP_HEAD_MAX;
        p->limits.headers_max = UK_HTTP_HEADERS_MAX;
    }
    p->store = (char *)store;
    p->store_cap = cap;
    uk_http_parser_reset(p);
}

void uk_http_parser_reset(struct uk_http_parser *p)
{
    p->store_len = 0;
    p->state = ST_START;
    p->line_len = p->head_len = 0;
    p->nheaders = 0;
    p->status = 0;
    p->field = F_NONE;
    p->name_len = 0;
    p->has_connection_close = p->has_connection_keep_alive = false;
    memset(&p->req, 0, sizeof p->req);
}

void uk_http_parser_keep_fields(struct uk_http_parser *p, bool on)
{
    p->keep_fields = on;
}

/* A kept field is stored as FIELD_MARK, its lowercased name, NUL, its
 * trimmed value, NUL.  The mark is a byte no request-line or field byte
 * can be, so lookups find fields by scanning the storage. */
#define FIELD_MARK '\x01'

const char *uk_http_header(const struct uk_http_parser *p, const char *name)
{
    size_t i, n = strlen(name);
    for (i = 0; i < p->store_len; i++) {
        const char *f = p->store + i + 1;
        if (p->store[i] != FIELD_MARK || i + 1 + n >= p->store_len)
            continue;
        if (f[n] == '\0' && token_is(name, n, f))
            return f + n + 1;
    }
    return NULL;
}

bool uk_http_parser_started(const struct uk_http_parser *p)
{
    return p->state != ST_START;
}

static int fail(struct uk_http_parser *p, int status)
{
    /* keep what was stored readable as strings (for logs) */
    if (p->store_cap > 0)
        p->store[p->store_len < p->store_cap ? p->store_len
                                             : p->store_cap - 1] = '\0';
    p->state = ST_ERROR;
    p->status = status;
    return UK_EPROTO;
}

/* Appends one byte to the storage; false when it is full. */
static bool store_byte(struct uk_http_parser *p, char c)
{
    if (p->store_len >= p->store_cap)
        return false;
    p->store[p->store_len++] = c;
    return true;
}

/* Case-insensitive comparison of s[0..n) with the lowercase word w. */
static bool token_is(const char *s, size_t n, const char *w)
{
    size_t i;
    if (strlen(w) != n)
        return false;
    for (i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)w[i])
            return false;
    return true;
}

/*
 * Calls fn on each element of a comma-separated list value, trimmed of
 * whitespace (empty elements skipped).  Stops at fn's first nonzero result.
 */
static int each_token(struct uk_http_parser *p, const char *v,
                      int (*fn)(struct uk_http_parser *, const char *, size_t))
{
    while (*v != '\0') {
        const char *s, *e;
        int r;
        while (*v == ' ' || *v == '\t' || *v == ',')
            v++;
        s = v;
        while (*v != '\0' && *v != ',')
            v++;
        e = v;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > s && (r = fn(p, s, (size_t)(e - s))) != 0)
            return r;
    }
    return 0;
}

static int connection_token(struct uk_http_parser *p, const char *s, size_t n)
{
    if (token_is(s, n, "close"))
        p->has_connection_close = true;
    else if (token_is(s, n, "keep-alive"))
        p->has_connection_keep_alive = true;
    return 0;
}

static int coding_token(struct uk_http_parser *p, const char *s, size_t n)
{
    if (p->req.chunked)
        return 400; /* chunked must be the final coding, applied once */
    if (!token_is(s, n, "chunked"))
        return 501;
    p->req.chunked = true;
    return 0;
}

static int content_length(struct uk_http_parser *p, const char *v)
{
    uint64_t n = 0;
    if (*v == '\0')
        return 400;
    for (; *v != '\0'; v++) {
        if (*v < '0' || *v > '9' || n > (UINT64_MAX / 2 - 9) / 10)
            return 400;
        n = n * 10 + (uint64_t)(*v - '0');
    }
    if (p->req.has_content_length && p->req.content_length != n)
        return 400;
    p->req.has_content_length = true;
    p->req.content_length = n;
    return 0;
}

/* Sets *slot to v, refusing a second occurrence of the field. */
static int single(const char **slot, const char *v)
{
    if (*slot != NULL)
        return 400;
    *slot = v;
    return 0;
}

/* Joins a repeated If-None-Match into one list at the end of storage. */
static int join_inm(struct uk_http_parser *p, const char *v)
{
    size_t a, b, start = p->store_len;
    if (p->req.if_none_match == NULL) {
        p->req.if_none_match = v;
        return 0;
    }
    a = strlen(p->req.if_none_match);
    b = strlen(v);
    if (p->store_cap - p->store_len < a + b + 3)
        return 431;
    memcpy(p->store + start, p->req.if_none_match, a);
    memcpy(p->store + start + a, ", ", 2);
    memmove(p->store + start + a + 2, v, b + 1);
    p->store_len += a + b + 3;
    p->req.if_none_match = p->store + start;
    return 0;
}

/* A complete known field: value NUL-terminated at store + value_start. */
static int end_field(struct uk_http_parser *p)
{
    const char *v = p->store + p->value_start;
    switch (p->field) {
    case F_HOST:
        return single(&p->req.host, v);
    case F_CONNECTION:
        return each_token(p, v, connection_token);
    case F_CONTENT_LENGTH:
        return content_length(p, v);
    case F_TRANSFER_ENCODING: {
        int r = each_token(p, v, coding_token);
        return r != 0 ? r : (p->req.chunked ? 0 : 400);
    }
    case F_RANGE:
        return single(&p->req.range, v);
    case F_IF_NONE_MATCH:
        return join_inm(p, v);
    case F_IF_MODIFIED_SINCE:
        return single(&p->req.if_modified_since, v);
    case F_IF_RANGE:
        return single(&p->req.if_range, v);
    default:
        return 0;
    }
}

/* The whole head is in: checks what needs every field. */
static int end_head(struct uk_http_parser *p)
{
    struct uk_http_request *r = &p->req;
    if (r->chunked && r->has_content_length)
        return 400; /* RFC 9112 6.3: a smuggling vector */
    if (r->version_minor >= 1 && r->host == NULL)
        return 400;
    if (r->version_minor >= 1)
        r->keep_alive = !p->has_connection_close;
    else
        r->keep_alive =
            p->has_connection_keep_alive && !p->has_connection_close;
    if (strcmp(r->method_str, "GET") == 0)
        r->method = UK_HTTP_GET;
    else if (strcmp(r->method_str, "HEAD") == 0)
        r->method = UK_HTTP_HEAD;
    else
        r->method = UK_HTTP_OTHER;
    return 0;
}

/* "HTTP/d.d" kept in p->name. */
static int end_version(struct uk_http_parser *p)
{
    const char *v = p->name;
    if (p->name_len != 8 || memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' ||
        v[5] > '9' || v[6] != '.' || v[7] < '0' || v[7] > '9')
        return 400;
    if (v[5] != '1')
        return 505;
    p->req.version_minor = v[7] == '0' ? 0 : 1;
    p->name_len = 0;
    return 0;
}

static int end_name(struct uk_http_parser *p)
{
    size_t i;
    p->field = F_NONE;
    if (p->name_len == 0)
        return 400;
    if (p->keep_fields && !store_byte(p, '\0'))
        return 431;
    if (p->name_len < sizeof p->name) {
        for (i = 1; i < sizeof field_names / sizeof field_names[0]; i++)
            if (token_is(p->name, p->name_len, field_names[i]))
                p->field = (int)i;
    }
    p->value_start = p->store_len;
    return 0;
}

/* End of a header line. */
static int end_line(struct uk_http_parser *p)
{
    if (p->field != F_NONE || p->keep_fields) {
        size_t end = p->store_len;
        while (end > p->value_start &&
               (p->store[end - 1] == ' ' || p->store[end - 1] == '\t'))
            end--;
        p->store_len = end;
        if (!store_byte(p, '\0'))
            return 431;
        return end_field(p);
    }
    return 0;
}

/* One byte of the request line or a header line; returns 0 or a status. */
static int step(struct uk_http_parser *p, unsigned char c)
{
    switch (p->state) {
    case ST_START:
        if (c == '\r' || c == '\n')
            return 0;
        p->state = ST_METHOD;
        p->req.method_str = p->store;
        /* fall through */
    case ST_METHOD:
        if (c == ' ') {
            if (p->store_len == 0)
                return 400;
            if (!store_byte(p, '\0'))
                return 414;
            p->req.target = p->store + p->store_len;
            p->state = ST_TARGET;
            return 0;
        }
        if (!uk_http_is_tchar(c))
            return 400;
        return store_byte(p, (char)c) ? 0 : 414;
    case ST_TARGET:
        if (c == ' ') {
            if (*p->req.target == '\0')
                return 400;
            if (!store_byte(p, '\0'))
                return 414;
            p->state = ST_VERSION;
            p->name_len = 0;
            return 0;
        }
        if (c <= 0x20 || c >= 0x7f)
            return 400;
        return store_byte(p, (char)c) ? 0 : 414;
    case ST_VERSION:
        if (c == '\r' || c == '\n') {
            int r = end_version(p);
            p->state = c == '\r' ? ST_RL_CR : ST_LINE;
            return r;
        }
        if (p->name_len >= 8)
            return 400;
        p->name[p->name_len++] = (char)c;
        return 0;
    case ST_RL_CR:
    case ST_VALUE_CR:
    case ST_END_CR:
        return c == '\n' ? 0 : 400; /* handled by the caller */
    case ST_LINE:
        if (c == '\r') {
            p->state = ST_END_CR;
            return 0;
        }
        if (c == '\n')
            return 0; /* handled by the caller */
        if (!uk_http_is_tchar(c))
            return 400; /* obs-fold, or a malformed name */
        if (++p->nheaders > p->limits.headers_max)
            return 431;
        if (p->keep_fields && !store_byte(p, FIELD_MARK))
            return 431;
        p->name_len = 0;
        p->state = ST_NAME;
        /* fall through */
    case ST_NAME:
        if (c == ':') {
            p->state = ST_OWS;
            return end_name(p);
        }
        if (!uk_http_is_tchar(c))
            return 400;
        if (p->keep_fields && !store_byte(p, (char)lower(c)))
            return 431;
        if (p->name_len < sizeof p->name)
            p->name[p->name_len] = (char)lower(c);
        p->name_len++;
        return 0;
    case ST_OWS:
        if (c == ' ' || c == '\t')
            return 0;
        p->state = ST_VALUE;
        /* fall through */
    case ST_VALUE:
        if (c == '\r') {
            p->state = ST_VALUE_CR;
            return 0;
        }
        if (!is_value_char(c))
            return 400;
        if ((p->field != F_NONE || p->keep_fields) && !store_byte(p, (char)c))
            return 431;
        return 0;
    default:
        return 400;
    }
}

/* Handles a LF that ends a line in the current state; 0 or a status. */
static int line_feed(struct uk_http_parser *p)
{
    int r = 0;
    switch (p->state) {
    case ST_VERSION:
        r = end_version(p);
        p->state = ST_LINE;
        break;
    case ST_RL_CR:
        p->state = ST_LINE;
        break;
    case ST_OWS:
    case ST_VALUE:
    case ST_VALUE_CR:
        r = end_line(p);
        p->state = ST_LINE;
        break;
    case ST_LINE:
    case ST_END_CR:
        r = end_head(p);
        p->state = ST_DONE;
        break;
    default:
        r = 400;
    }
    return r;
}

/* Whether the byte c counts toward the request line (for 414). */
static bool in_request_line(int state)
{
    return state == ST_METHOD || state == ST_TARGET || state == ST_VERSION;
}

int uk_http_parse(struct uk_http_parser *p, const void *data, size_t len,
                  size_t *used)
{
    const unsigned char *b = (const unsigned char *)data;
    size_t i = 0;
    *used = 0;
    if (p->state == ST_DONE)
        return UK_HTTP_DONE;
    if (p->state == ST_ERROR)
        return UK_EPROTO;
    while (i < len) {
        unsigned char c = b[i++];
        int r;
        if (p->state != ST_START) {
            *used = i;
            if (++p->head_len > p->limits.head_max)
                return fail(p, in_request_line(p->state) ? 414 : 431);
            if (in_request_line(p->state) && c != '\r' && c != '\n' &&
                ++p->line_len > p->limits.line_max)
                return fail(p, 414);
        }
        if (c == '\n' && p->state != ST_START)
            r = line_feed(p);
        else if (p->state == ST_VALUE_CR || p->state == ST_RL_CR ||
                 p->state == ST_END_CR)
            r = 400; /* a CR not followed by LF */
        else
            r = step(p, c);
        if (r == 0 && p->state == ST_METHOD && p->head_len == 0) {
            /* the first byte of the request counts too */
            p->head_len = p->line_len = 1;
        }
        if (r != 0) {
            *used = i;
            return fail(p, r);
        }
        if (p->state == ST_DONE) {
            *used = i;
            return UK_HTTP_DONE;
        }
    }
    *used = i;
    return UK_HTTP_MORE;
}
