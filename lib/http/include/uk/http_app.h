/*
 * uk/http_app.h - writing HTTP applications on the server of
 * uk/http_server.h: a router that sends each request, by method and path
 * prefix, to a handler; the exchange a handler gets (the request head,
 * query, headers, a streamed and bounded request body) and the ways to
 * answer it (a whole body, a streamed body, or a value of a store).  The
 * static-file server is one such handler, uk_http_static_handler.
 *
 * Routing.  A router is a caller-owned table, searched in full for every
 * request: the route with the longest prefix that matches the path wins,
 * and among equal prefixes the first whose method matches.  A prefix
 * matches the path equal to it, or any path continuing it at a '/'
 * ("/api" matches "/api" and "/api/x", not "/apix"; "/" matches every
 * path).  Paths are compared as sent, before percent-decoding and without
 * the query.  A path no route matches is answered 404; one matched only
 * by routes of other methods is answered 405 with an Allow list.
 *
 * The exchange.  A handler is called once per request with the exchange
 * x, and must answer it exactly once (uk_http_respond, uk_http_respond_kv,
 * or uk_http_start ... uk_http_end), at once or later.  x stays valid
 * until the response is complete, or until the exchange ends early (the
 * client went away, a timeout, the server stops): then every pending
 * callback of x (body read, write) runs with a negative status, or, when
 * none is pending, the abort callback (uk_http_on_abort) runs; after that
 * x must not be used.  A handler that answers later must set an abort
 * callback.  One operation (a body read or a write) may be pending at a
 * time; callbacks never run from inside the call that started them.  The
 * handler has send_timeout_ns (uk/http_server.h) of inactivity to answer.
 *
 * Request bodies (Content-Length or chunked) are read in pieces with
 * uk_http_body_read, at most body_max bytes (the route's, or the server's
 * config).  Beyond that (a Content-Length over it fails before any byte
 * is read), or on a malformed chunked body, the read's callback gets
 * UK_ELIMIT or UK_EPROTO: the handler may still answer from inside that
 * callback (413 or 400 are the usual), else the server answers 413 or 400
 * for it; either way the connection closes after the answer.  A body the
 * handler does not read is skipped (Content-Length) or ends the
 * connection after the response (chunked).  A client that sent
 * "Expect: 100-continue" gets "100 Continue" at the first read, so a
 * handler that answers without reading (or a body refused by its
 * declared length) costs no upload.
 *
 * Memory: the exchange lives in the connection's request block; response
 * headers are built in its header buffer (UK_HTTP_RESP_HDR_MAX bytes); a
 * whole body that does not fit beside them is copied into a buffer from
 * the server's account.  Nothing is allocated by the handler's calls
 * otherwise.
 */
#ifndef UK_HTTP_APP_H
#define UK_HTTP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/http.h>
#include <uk/kv_ro.h>

/* One request and its response; private to lib/http. */
struct uk_http_exchange;

/* A handler: arg is the route's. */
typedef void (*uk_http_handler_cb)(void *arg, struct uk_http_exchange *x);

/* A piece of the request body: status 0 with len > 0 bytes at data (LENT
 * until the callback returns), UK_EOF at its end (len 0), or an error:
 * UK_ELIMIT over body_max or UK_EPROTO malformed (x may be answered from
 * inside the callback, see above), or the exchange is over and x must
 * not be used (UK_ECONNABORTED: the client ended the body short; a flow
 * error; UK_ECANCELED). */
typedef void (*uk_http_body_cb)(void *arg, int status, const void *data,
                                size_t len);

/* A write completed: status 0, or an error (then x is over). */
typedef void (*uk_http_write_cb)(void *arg, int status);

struct uk_http_route {
    const char *method;    /* "GET", "POST", ...; NULL for any */
    const char *prefix;    /* path prefix, starting with '/' */
    uk_http_handler_cb fn; /* the handler */
    void *arg;             /* BORROWED for the router's lifetime */
    size_t body_max;       /* most request body bytes (0: the server's
                              body_max) */
};

/* A route table: routes[0..count) BORROWED for the server's lifetime. */
struct uk_http_router {
    const struct uk_http_route *routes;
    size_t count;
};

/*
 * uk_http_router_match(router, method, target, allowed, cap): the route
 * for method and request-target (origin-form; the query is ignored), or
 * NULL.  When NULL and allowed is not NULL, allowed[0..cap) gets the
 * methods of the routes with the longest prefix matching the path,
 * comma-separated ("" when no route matches the path).  A GET route also
 * takes HEAD.  Exposed for tests and for routers built on it.
 */
const struct uk_http_route *
uk_http_router_match(const struct uk_http_router *router, const char *method,
                     const char *target, char *allowed, size_t cap);

/* ---- the request ---- */

/* The method token as sent ("GET", "POST", ...). */
const char *uk_http_method(const struct uk_http_exchange *x);

/* The path, percent-decoded ("/api/notes"); never contains a NUL. */
const char *uk_http_path(const struct uk_http_exchange *x);

/* The query as sent, after '?' ("" when none). */
const char *uk_http_query(const struct uk_http_exchange *x);

/* The parsed head (version, keep-alive, Content-Length, chunked, Host). */
const struct uk_http_request *uk_http_head(const struct uk_http_exchange *x);

/* The value of header field name (case-insensitive), or NULL. */
const char *uk_http_header_get(const struct uk_http_exchange *x,
                               const char *name);

/*
 * uk_http_query_get(x, name, out, cap, len): the decoded value of query
 * parameter name, as uk_http_form_get: 0, UK_ENOENT, UK_EINVAL,
 * UK_ENAMETOOLONG.
 */
int uk_http_query_get(const struct uk_http_exchange *x, const char *name,
                      char *out, size_t cap, size_t *len);

/* Whether the request has a body (Content-Length > 0, or chunked). */
bool uk_http_has_body(const struct uk_http_exchange *x);

/*
 * uk_http_body_read(x, cb, arg): asks for the next piece of the request
 * body; cb runs once (see uk_http_body_cb).  Returns 0, UK_EBUSY (an
 * operation is pending), UK_ECLOSED (x is over or has answered).
 */
int uk_http_body_read(struct uk_http_exchange *x, uk_http_body_cb cb,
                      void *arg);

/* ---- the response ---- */

/* Most bytes of a response header (status line, fields, blank line). */
#define UK_HTTP_RESP_HDR_MAX 1536

/* The length argument of uk_http_start for a chunked body. */
#define UK_HTTP_CHUNKED UINT64_MAX

/*
 * uk_http_add_header(x, name, value): adds a field to the response
 * (before it starts; Server, Date, Content-Type, Content-Length,
 * Transfer-Encoding and Connection are the server's).  Returns 0,
 * UK_EINVAL (name not a token, value with a control byte, or the
 * response started), UK_ENOSPC (the header buffer is full).
 */
int uk_http_add_header(struct uk_http_exchange *x, const char *name,
                       const char *value);

/*
 * uk_http_respond(x, status, ctype, body, len): answers with a whole body
 * (BORROWED: copied during the call), Content-Length len, Content-Type
 * ctype (NULL: none).  For HEAD the body is left out.  The exchange ends
 * when it is sent.  Returns 0, UK_EINVAL (status not 200..599), UK_EBUSY,
 * UK_ECLOSED, UK_ENOMEM (no room for the copy: the connection is closed,
 * x is over).
 */
int uk_http_respond(struct uk_http_exchange *x, int status, const char *ctype,
                    const void *body, size_t len);

/*
 * uk_http_start(x, status, ctype, length): starts a streamed response of
 * length body bytes, or chunked with UK_HTTP_CHUNKED (for an HTTP/1.0
 * client, which has no chunked coding, the body then ends with the
 * connection).  The header goes out with the first write or uk_http_end.
 * Returns 0, UK_EINVAL, UK_ECLOSED.
 */
int uk_http_start(struct uk_http_exchange *x, int status, const char *ctype,
                  uint64_t length);

/*
 * uk_http_write(x, data, len, cb, arg): sends len > 0 body bytes (BORROWED
 * until cb runs; one chunk when chunked).  Returns 0, UK_EINVAL (len 0,
 * not started, or more than the declared length), UK_EBUSY, UK_ECLOSED.
 */
int uk_http_write(struct uk_http_exchange *x, const void *data, size_t len,
                  uk_http_write_cb cb, void *arg);

/*
 * uk_http_end(x): completes a started response (the last chunk when
 * chunked).  The exchange ends when it is sent.  Returns 0, UK_EBUSY,
 * UK_ECLOSED, or UK_EPROTO when fewer bytes than the declared length were
 * written: the connection is then reset (the client sees a cut body) and
 * x is over.
 */
int uk_http_end(struct uk_http_exchange *x);

/*
 * uk_http_respond_kv(x, status, ctype, kv, key): answers with the value of
 * key in kv (BORROWED until the response is sent) as the body, sent the
 * way the static server sends files (mapped, or read in chunks from a
 * shared pool).  ctype NULL: from the key's extension.  Returns 0,
 * UK_EINVAL, UK_EBUSY, UK_ECLOSED, or the store's error for key
 * (UK_ENOENT...: x is still the handler's to answer).
 */
int uk_http_respond_kv(struct uk_http_exchange *x, int status,
                       const char *ctype, struct uk_kv_ro *kv,
                       const char *key);

/*
 * uk_http_on_abort(x, cb, arg): cb(arg) runs if the exchange ends early
 * with no operation pending (see above).  Replaces any earlier one.
 */
void uk_http_on_abort(struct uk_http_exchange *x, uk_done_cb cb, void *arg);

/*
 * uk_http_static_handler(site, x): the static-file server as a handler;
 * site is the struct uk_kv_ro * to serve (the route's arg).  GET and HEAD
 * of files, index.html of directories, conditional requests and ranges
 * (see uk/http_server.h); 405 for other methods.  The request path maps
 * to keys from the root of site whatever the route's prefix.
 */
void uk_http_static_handler(void *site, struct uk_http_exchange *x);

#endif
