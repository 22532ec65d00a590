/*
 * response.c - what the static server answers to a parsed request: the
 * status (200, 206, 301, 304, 400, 403, 404, 405, 414, 416, 500...), its
 * header, and which bytes of which value form the body.
 */
#include <string.h>

#include "conn.h"

/* A bounded header under construction. */
struct hb {
    char *p;
    size_t len, cap;
    bool full;
};

static void put(struct hb *h, const char *s, size_t n)
{
    if (n > h->cap - h->len) {
        h->full = true;
        return;
    }
    memcpy(h->p + h->len, s, n);
    h->len += n;
}

static void puts_(struct hb *h, const char *s)
{
    put(h, s, strlen(s));
}

static void putu(struct hb *h, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    put(h, tmp + sizeof tmp - n, n);
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 414:
        return "URI Too Long";
    case 416:
        return "Range Not Satisfiable";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Internal Server Error";
    }
}

const char *uk__http_date_now(struct uk_http_server *srv)
{
    int64_t s = uk_clock_wall_ns(srv->deps.clock) / (int64_t)UK_NS_PER_S;
    if (s != srv->date_sec) {
        uk_http_date_format(s, srv->date);
        srv->date_sec = s;
    }
    return srv->date;
}

/* Status line, Server and Date. */
static void begin(struct hb *h, struct uk_http_conn *c, int status)
{
    char code[4];
    h->p = c->rq->hdr;
    h->len = 0;
    h->cap = sizeof c->rq->hdr;
    h->full = false;
    c->status = status;
    c->inline_body = 0;
    code[0] = (char)('0' + status / 100);
    code[1] = (char)('0' + status / 10 % 10);
    code[2] = (char)('0' + status % 10);
    code[3] = ' ';
    puts_(h, "HTTP/1.1 ");
    put(h, code, 4);
    puts_(h, reason(status));
    puts_(h, "\r\nServer: uk\r\nDate: ");
    put(h, uk__http_date_now(c->srv), UK_HTTP_DATE_LEN);
    puts_(h, "\r\n");
}

/* Connection and the blank line; records the header length. */
static void end(struct hb *h, struct uk_http_conn *c)
{
    if (!c->keep_alive)
        puts_(h, "Connection: close\r\n");
    else if (c->rq->parser.req.version_minor == 0)
        puts_(h, "Connection: keep-alive\r\n");
    puts_(h, "\r\n");
    c->hdr_len = h->len;
    c->hdr_pending = true;
}

/* A response whose small text body lives in the header buffer. */
static void simple(struct uk_http_conn *c, int status, const char *extra)
{
    struct hb h;
    char body[64];
    size_t n;
    begin(&h, c, status);
    n = (size_t)snprintf(body, sizeof body, "%d %s\n", status, reason(status));
    puts_(&h, "Content-Type: text/plain; charset=utf-8\r\n");
    if (extra != NULL)
        puts_(&h, extra);
    puts_(&h, "Content-Length: ");
    putu(&h, n);
    puts_(&h, "\r\n");
    end(&h, c);
    if (!c->head_only) {
        put(&h, body, n);
        c->inline_body = n;
    }
    c->hdr_len = h.len;
    c->map = NULL;
    c->body_left = 0;
}

void uk__http_prepare_error(struct uk_http_conn *c, int status)
{
    c->keep_alive = false;
    c->head_only = false;
    simple(c, status, NULL);
}

/* 301 to "/<key>/", percent-encoding what is not a plain path byte. */
static void redirect(struct uk_http_conn *c)
{
    static const char hex[] = "0123456789ABCDEF";
    struct hb h;
    const unsigned char *k = (const unsigned char *)c->rq->key;
    begin(&h, c, 301);
    puts_(&h, "Location: /");
    for (; *k != '\0'; k++) {
        char e[3];
        if ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
            (*k >= '0' && *k <= '9') || strchr("/-._~", *k) != NULL) {
            put(&h, (const char *)k, 1);
            continue;
        }
        e[0] = '%';
        e[1] = hex[*k >> 4];
        e[2] = hex[*k & 15];
        put(&h, e, 3);
    }
    puts_(&h, "/\r\nContent-Length: 0\r\n");
    end(&h, c);
    c->body_left = 0;
    if (h.full)
        simple(c, 414, NULL);
}

static int stat_status(int r)
{
    switch (r) {
    case UK_ENOENT:
    case UK_ENOTDIR:
    case UK_EISDIR:
        return 404;
    case UK_EINVAL:
        return 400;
    case UK_EACCES:
        return 403;
    case UK_ENAMETOOLONG:
        return 414;
    default:
        return 500;
    }
}

/* Resolves c->rq->key to a file (index.html for directories); 0, a status to
 * answer, or 301. */
static int resolve(struct uk_http_conn *c, bool is_dir, struct uk_kv_stat *st)
{
    struct uk_kv_ro *kv = c->srv->deps.site;
    size_t n;
    int r = uk_kv_ro_stat(kv, c->rq->key, st);
    if (r != 0)
        return stat_status(r);
    if (st->kind == UK_KV_FILE)
        return is_dir && c->rq->key[0] != '\0' ? 404 : 0;
    if (!is_dir && c->rq->key[0] != '\0')
        return 301;
    n = strlen(c->rq->key);
    memcpy(c->rq->key + n, n > 0 ? "/index.html" : "index.html",
           n > 0 ? 12 : 11);
    r = uk_kv_ro_stat(kv, c->rq->key, st);
    if (r != 0)
        return stat_status(r);
    return st->kind == UK_KV_FILE ? 0 : 404;
}

static void format_etag(const struct uk_kv_stat *st, char *out)
{
    static const char hex[] = "0123456789abcdef";
    int i;
    out[0] = '"';
    for (i = 0; i < UK_KV_DIGEST_LEN; i++) {
        out[1 + 2 * i] = hex[st->digest[i] >> 4];
        out[2 + 2 * i] = hex[st->digest[i] & 15];
    }
    out[1 + 2 * UK_KV_DIGEST_LEN] = '"';
    out[2 + 2 * UK_KV_DIGEST_LEN] = '\0';
}

/* Whether a conditional request is answered 304 (RFC 9110 13.2.2). */
static bool not_modified(const struct uk_http_request *r, const char *etag,
                         int64_t mtime)
{
    int64_t ims;
    if (r->if_none_match != NULL)
        return uk_http_etag_match(r->if_none_match, etag);
    if (r->if_modified_since != NULL &&
        uk_http_date_parse(r->if_modified_since, &ims) == 0)
        return mtime <= ims;
    return false;
}

/* Whether If-Range (if any) lets the Range apply. */
static bool if_range_ok(const struct uk_http_request *r, const char *etag,
                        int64_t mtime)
{
    int64_t t;
    if (r->if_range == NULL)
        return true;
    if (r->if_range[0] == '"' || r->if_range[0] == 'W')
        return uk_http_etag_strong_eq(r->if_range, etag);
    return uk_http_date_parse(r->if_range, &t) == 0 && t == mtime;
}

/* Content-Range: bytes a-b/size, or bytes * /size when first > last. */
static void content_range(struct hb *h, uint64_t first, uint64_t last,
                          uint64_t size, bool unsatisfied)
{
    puts_(h, "Content-Range: bytes ");
    if (unsatisfied) {
        puts_(h, "*");
    } else {
        putu(h, first);
        puts_(h, "-");
        putu(h, last);
    }
    puts_(h, "/");
    putu(h, size);
    puts_(h, "\r\n");
}

/* The representation headers of a 200, 206 or 304. */
static void file_response(struct uk_http_conn *c, const struct uk_kv_stat *st)
{
    const struct uk_http_request *r = &c->rq->parser.req;
    char etag[3 + 2 * UK_KV_DIGEST_LEN], lm[UK_HTTP_DATE_LEN + 1];
    uint64_t first = 0, last = st->size - 1;
    int status = 200, rr = UK_EINVAL;
    struct hb h;
    format_etag(st, etag);
    uk_http_date_format(st->mtime_s, lm);
    if (not_modified(r, etag, st->mtime_s)) {
        status = 304;
    } else if (r->range != NULL && r->method == UK_HTTP_GET &&
               if_range_ok(r, etag, st->mtime_s)) {
        rr = uk_http_range_parse(r->range, st->size, &first, &last);
        if (rr == UK_ERANGE) {
            begin(&h, c, 416);
            content_range(&h, 0, 0, st->size, true);
            puts_(&h, "Content-Length: 0\r\n");
            end(&h, c);
            c->body_left = 0;
            return;
        }
        status = rr == 0 ? 206 : 200;
    }
    if (status == 200) {
        first = 0;
        last = st->size - 1;
    }
    begin(&h, c, status);
    if (status != 304) {
        puts_(&h, "Content-Type: ");
        puts_(&h, uk_http_content_type(c->rq->key));
        puts_(&h, "\r\nContent-Length: ");
        putu(&h, st->size == 0 ? 0 : last - first + 1);
        puts_(&h, "\r\nAccept-Ranges: bytes\r\n");
        if (status == 206)
            content_range(&h, first, last, st->size, false);
    }
    puts_(&h, "Last-Modified: ");
    put(&h, lm, UK_HTTP_DATE_LEN);
    puts_(&h, "\r\nETag: ");
    puts_(&h, etag);
    puts_(&h, "\r\n");
    end(&h, c);
    c->body_off = first;
    c->body_left =
        status == 304 || c->head_only || st->size == 0 ? 0 : last - first + 1;
}

void uk__http_prepare(struct uk_http_conn *c)
{
    const struct uk_http_request *r = &c->rq->parser.req;
    struct uk_kv_stat st;
    bool is_dir = false;
    int s;
    c->keep_alive = r->keep_alive && !c->close_after;
    c->head_only = r->method == UK_HTTP_HEAD;
    c->map = NULL;
    c->body_left = 0;
    c->body_off = 0;
    if (r->method == UK_HTTP_OTHER) {
        simple(c, 405, "Allow: GET, HEAD\r\n");
        return;
    }
    s = uk_http_target_to_key(r->target, c->rq->key, UK_KV_KEY_MAX + 1,
                              &is_dir);
    if (s != 0) {
        simple(c, s == UK_ENAMETOOLONG ? 414 : 400, NULL);
        return;
    }
    s = resolve(c, is_dir, &st);
    if (s == 301)
        redirect(c);
    else if (s != 0)
        simple(c, s, NULL);
    else
        file_response(c, &st);
}
