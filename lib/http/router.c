/*
 * router.c - sending each request to its handler: the route table of
 * uk/http_app.h, the exchange set up for the handler (decoded path, query,
 * body framing and bound), and the answers the router gives itself (404,
 * 405, 400 for a path that does not decode).
 */
#include <string.h>

#include "conn.h"

/* The path of a request-target as sent: origin-form "/p?q", or the path
 * of absolute-form "http://host/p?q" ("/" when it has none); NULL for
 * anything else ("*", authority-form). */
static const char *path_of(const char *target, size_t *len)
{
    const char *p = target;
    size_t n = 0;
    if (*p != '/') {
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
               (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
            p++;
        if (p == target || memcmp(p, "://", 3) != 0)
            return NULL;
        p += 3;
        while (*p != '\0' && *p != '/' && *p != '?')
            p++;
        if (*p != '/') {
            *len = 1;
            return "/";
        }
    }
    while (p[n] != '\0' && p[n] != '?')
        n++;
    *len = n;
    return p;
}

/* Whether prefix matches path[0..n) (equal, or continued at a '/'). */
static bool prefix_matches(const char *prefix, const char *path, size_t n)
{
    size_t k = strlen(prefix);
    if (k > n || memcmp(prefix, path, k) != 0)
        return false;
    return k == n || prefix[k - 1] == '/' || path[k] == '/';
}

/* Appends method to the Allow list in allowed[0..cap) once. */
static void allow_add(char *allowed, size_t cap, const char *method)
{
    size_t len = strlen(allowed), m = strlen(method), i = 0;
    while (i < len) { /* elements are separated by ", " */
        size_t e = i;
        while (e < len && allowed[e] != ',')
            e++;
        if (e - i == m && memcmp(allowed + i, method, m) == 0)
            return;
        i = e + 2;
    }
    if (len + m + 3 > cap)
        return;
    if (len > 0) {
        memcpy(allowed + len, ", ", 2);
        len += 2;
    }
    memcpy(allowed + len, method, m + 1);
}

const struct uk_http_route *
uk_http_router_match(const struct uk_http_router *router, const char *method,
                     const char *target, char *allowed, size_t cap)
{
    size_t i, n, path_best = 0;
    const char *path = path_of(target, &n);
    if (allowed != NULL && cap > 0)
        allowed[0] = '\0';
    if (path == NULL)
        return NULL;
    /* the longest matching prefix, whatever the method */
    for (i = 0; i < router->count; i++) {
        const struct uk_http_route *rt = &router->routes[i];
        size_t k = strlen(rt->prefix);
        if (prefix_matches(rt->prefix, path, n) && k > path_best)
            path_best = k;
    }
    for (i = 0; i < router->count; i++) {
        const struct uk_http_route *rt = &router->routes[i];
        if (strlen(rt->prefix) != path_best ||
            !prefix_matches(rt->prefix, path, n))
            continue;
        if (rt->method == NULL || strcmp(rt->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            if (allowed != NULL && cap > 0)
                allowed[0] = '\0';
            return rt;
        }
        if (allowed != NULL)
            allow_add(allowed, cap, rt->method);
    }
    return NULL;
}

/* Percent-decodes the path p[0..n) into out[0..cap); 0, 400 or 414. */
static int decode_path(const char *p, size_t n, char *out, size_t cap)
{
    long got = uk__http_decode(p, n, out, cap - 1, false);
    if (got < 0 || memchr(out, '\0', (size_t)got) != NULL)
        return got < 0 || (size_t)got <= cap - 1 ? 400 : 414;
    if ((size_t)got > cap - 1)
        return 414;
    out[got] = '\0';
    return 0;
}

/* An answer of the router itself, with a one-line text body. */
static void answer(struct uk_http_exchange *x, int status, const char *allow)
{
    char body[64];
    int n = snprintf(body, sizeof body, "%d %s\n", status,
                     uk__http_reason(status));
    if (allow != NULL)
        uk_http_add_header(x, "Allow", allow);
    uk_http_respond(x, status, "text/plain; charset=utf-8", body, (size_t)n);
}

void uk__http_dispatch(struct uk_http_conn *c)
{
    struct uk_http_server *srv = c->srv;
    const struct uk_http_request *r = &c->rq->parser.req;
    struct uk_http_exchange *x = &c->rq->x;
    const struct uk_http_route *rt;
    char allowed[128];
    const char *path, *q;
    size_t n;
    int s;
    memset(x, 0, sizeof *x);
    x->conn = c;
    x->query = "";
    c->discard = 0;
    c->head_only = r->method == UK_HTTP_HEAD;
    c->keep_alive = r->keep_alive && !c->close_after;
    if (r->chunked) {
        x->body = UK__BODY_CHUNKED;
        uk_http_chunked_init(&x->dec);
    } else if (r->has_content_length && r->content_length > 0) {
        x->body = UK__BODY_LENGTH;
        x->body_left = r->content_length;
    }
    x->body_max = srv->cfg.body_max;
    x->active = true;
    c->io = UK__IO_APP;
    uk__http_arm_send(c);
    if (srv->deps.router == NULL) {
        uk_http_static_handler(srv->deps.site, x);
        return;
    }
    q = strchr(r->target, '?');
    if (q != NULL)
        x->query = q + 1;
    path = path_of(r->target, &n);
    s = path == NULL ? 400 : decode_path(path, n, x->path, sizeof x->path);
    if (s != 0) {
        answer(x, s, NULL);
        return;
    }
    rt = uk_http_router_match(srv->deps.router, r->method_str, r->target,
                              allowed, sizeof allowed);
    if (rt == NULL) {
        answer(x, allowed[0] != '\0' ? 405 : 404,
               allowed[0] != '\0' ? allowed : NULL);
        return;
    }
    if (rt->body_max != 0)
        x->body_max = rt->body_max;
    rt->fn(rt->arg, x);
}

void uk_http_static_handler(void *site, struct uk_http_exchange *x)
{
    struct uk_http_conn *c = x->conn;
    /* files have no use for a request body: skip it, or close after the
     * answer when it is chunked */
    if (x->body == UK__BODY_LENGTH)
        c->discard = x->body_left;
    else if (x->body == UK__BODY_CHUNKED)
        c->close_after = true;
    x->body = UK__BODY_NONE;
    x->active = false;
    x->ending = true;
    c->kv = (struct uk_kv_ro *)site;
    c->io = UK__IO_IDLE;
    uk__http_prepare(c);
    uk__http_respond(c);
}
