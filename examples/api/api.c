/*
 * api.c - the api appliance's handlers (see api.h): written once for every
 * target, on the exchange of uk/http_app.h and the NOTES interface.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "json.h"

#define JSON "application/json"

/* A one-line JSON error. */
static void error(struct uk_http_exchange *x, int status, const char *msg)
{
    char body[160];
    int n = snprintf(body, sizeof body, "{\"error\":\"%s\"}\n", msg);
    uk_http_respond(x, status, JSON, body, (size_t)n);
}

static void counter(struct api *api, struct uk_http_exchange *x)
{
    char body[48];
    int n;
    if (strcmp(uk_http_method(x), "POST") == 0)
        api->counter++;
    n = snprintf(body, sizeof body, "{\"counter\":%llu}\n",
                 (unsigned long long)api->counter);
    uk_http_respond(x, 200, JSON, body, (size_t)n);
}

static void counter_handler(void *arg, struct uk_http_exchange *x)
{
    counter((struct api *)arg, x);
}

static void not_found(void *arg, struct uk_http_exchange *x)
{
    UK_UNUSED(arg);
    error(x, 404, "no such endpoint");
}

static void bad_method(void *arg, struct uk_http_exchange *x)
{
    uk_http_add_header(x, "Allow", (const char *)arg);
    error(x, 405, "method not allowed");
}

/* ---- one request's state, from the api's account ---- */

/*
 * Owned by the handler from its start to the end of the exchange; a note
 * operation in flight keeps it past an aborted exchange (gone), and its
 * callback frees it.
 */
struct job {
    struct api *api;
    struct uk_http_exchange *x;
    struct api_notes_req req;
    bool gone, busy;      /* exchange over; a note operation in flight */
    bool closed;          /* listing: the array's end is written */
    uint32_t next, count; /* listing: next id, ids to list */
    size_t len;
    char body[API_BODY_MAX]; /* the request body */
    char text[API_NOTE_MAX + 1];
    char out[API_JSON_ESCAPED(API_NOTE_MAX) + 48];
};

static struct job *job_new(struct api *api, struct uk_http_exchange *x)
{
    struct job *j =
        (struct job *)uk_mem_account_alloc(&api->acct, sizeof(struct job));
    if (j == NULL) {
        error(x, 503, "busy: no room for the request");
        return NULL;
    }
    memset(j, 0, offsetof(struct job, body));
    j->api = api;
    j->x = x;
    return j;
}

static void job_free(struct job *j)
{
    uk_mem_account_free(&j->api->acct, j, sizeof *j);
}

/* The exchange ended early: free now, or when the note operation ends. */
static void job_abort(void *arg)
{
    struct job *j = (struct job *)arg;
    j->gone = true;
    if (!j->busy)
        job_free(j);
}

/* {"id":N,"text":"..."} of note id (j->text[0..len)) into j->out. */
static size_t note_json(struct job *j, uint32_t id, size_t len, bool comma)
{
    size_t n = (size_t)snprintf(j->out, 32, "%s{\"id\":%lu,\"text\":\"",
                                comma ? "," : "", (unsigned long)id);
    n += api_json_escape(j->text, len, j->out + n);
    memcpy(j->out + n, "\"}", 2);
    return n + 2;
}

/* ---- POST /api/notes ---- */

static void added(void *arg, int status, uint32_t id)
{
    struct job *j = (struct job *)arg;
    size_t n;
    j->busy = false;
    if (j->gone) {
        job_free(j);
        return;
    }
    if (status != 0) {
        error(j->x, 507, "no room for more notes");
    } else {
        n = note_json(j, id, j->len, false);
        j->out[n++] = '\n';
        uk_http_respond(j->x, 201, JSON, j->out, n);
    }
    job_free(j);
}

/* Whether content type ct (parameters ignored) is type. */
static bool type_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    return ct != NULL && strncmp(ct, type, n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The whole body is in: parse it and add the note. */
static void body_complete(struct job *j)
{
    const char *ct = uk_http_header_get(j->x, "content-type");
    const char *why = "malformed body";
    int r;
    if (type_is(ct, "application/json")) {
        r = api_json_member(j->body, j->len, "text", j->text, sizeof j->text,
                            &j->len);
        why = r == UK_ENOENT ? "missing \\\"text\\\"" : "malformed JSON";
    } else {
        r = uk_http_form_get(j->body, j->len, "text", j->text, sizeof j->text,
                             &j->len);
        why = r == UK_ENOENT ? "missing text field" : "malformed form";
    }
    if (r == UK_EMSGSIZE || r == UK_ENAMETOOLONG)
        why = "note too long";
    else if (r == 0 && j->len == 0)
        why = "empty note", r = UK_EINVAL;
    if (r == 0)
        r = api_notes_add(j->api->notes, &j->req, j->text, j->len, added, j);
    if (r == 0) {
        j->busy = true;
        return;
    }
    if (r == UK_ELIMIT)
        error(j->x, 507, "too many notes");
    else
        error(j->x, r == UK_EMSGSIZE || r == UK_ENAMETOOLONG ? 413 : 400, why);
    job_free(j);
}

static void body_piece(void *arg, int status, const void *data, size_t len)
{
    struct job *j = (struct job *)arg;
    if (status == UK_EOF) {
        body_complete(j);
        return;
    }
    if (status == UK_ELIMIT || status == UK_EPROTO) {
        /* over API_BODY_MAX, or a malformed chunked body: ours to say */
        if (status == UK_ELIMIT)
            error(j->x, 413, "body too large");
        else
            error(j->x, 400, "malformed body");
    }
    if (status != 0) {
        job_free(j);
        return;
    }
    /* the route's body_max keeps it within body[] */
    memcpy(j->body + j->len, data, len);
    j->len += len;
    if (uk_http_body_read(j->x, body_piece, j) != 0)
        job_free(j);
}

static void notes_post(struct api *api, struct uk_http_exchange *x)
{
    const char *ct = uk_http_header_get(x, "content-type");
    struct job *j;
    if (!type_is(ct, "application/json") &&
        !type_is(ct, "application/x-www-form-urlencoded")) {
        error(x, 415, "send a form or JSON");
        return;
    }
    if ((j = job_new(api, x)) == NULL)
        return;
    uk_http_on_abort(x, job_abort, j);
    if (uk_http_body_read(x, body_piece, j) != 0) {
        error(x, 500, "cannot read the body");
        job_free(j);
    }
}

static void notes_post_handler(void *arg, struct uk_http_exchange *x)
{
    notes_post((struct api *)arg, x);
}

/* ---- GET /api/notes ---- */

static void list_next(struct job *j);

static void list_written(void *arg, int status)
{
    struct job *j = (struct job *)arg;
    if (status != 0) { /* the exchange is over */
        job_free(j);
        return;
    }
    list_next(j);
}

static void list_read(void *arg, int status, size_t len)
{
    struct job *j = (struct job *)arg;
    size_t n;
    j->busy = false;
    if (j->gone) {
        job_free(j);
        return;
    }
    if (status != 0) {
        /* the header is out: only a cut body can tell the client */
        uk_http_end(j->x);
        job_free(j);
        return;
    }
    n = note_json(j, j->next, len, j->next > 0);
    j->next++;
    if (uk_http_write(j->x, j->out, n, list_written, j) != 0)
        job_free(j);
}

/* Writes the next element of the array, or its end. */
static void list_next(struct job *j)
{
    if (j->closed) {
        uk_http_end(j->x);
        job_free(j);
        return;
    }
    if (j->next < j->count &&
        api_notes_read(j->api->notes, &j->req, j->next, j->text,
                       sizeof j->text, list_read, j) == 0) {
        j->busy = true;
        return;
    }
    memcpy(j->out, "]\n", 2);
    j->closed = true;
    if (uk_http_write(j->x, j->out, 2, list_written, j) != 0)
        job_free(j);
}

static void one_read(void *arg, int status, size_t len)
{
    struct job *j = (struct job *)arg;
    size_t n;
    j->busy = false;
    if (j->gone) {
        job_free(j);
        return;
    }
    if (status != 0) {
        error(j->x, 500, "cannot read the note");
    } else {
        n = note_json(j, j->next, len, false);
        j->out[n++] = '\n';
        uk_http_respond(j->x, 200, JSON, j->out, n);
    }
    job_free(j);
}

static void notes_get(struct api *api, struct uk_http_exchange *x)
{
    char id[16];
    uint64_t v = 0;
    size_t k;
    int r = uk_http_query_get(x, "id", id, sizeof id, NULL);
    struct job *j;
    if (r != 0 && r != UK_ENOENT) {
        error(x, 400, "malformed query");
        return;
    }
    if (r == 0) {
        for (k = 0; id[k] >= '0' && id[k] <= '9' && v <= UINT32_MAX; k++)
            v = v * 10 + (uint64_t)(id[k] - '0');
        if (k == 0 || id[k] != '\0') {
            error(x, 400, "id must be a number");
            return;
        }
        if (v >= api_notes_count(api->notes)) {
            error(x, 404, "no such note");
            return;
        }
    }
    if ((j = job_new(api, x)) == NULL)
        return;
    uk_http_on_abort(x, job_abort, j);
    if (r == 0) {
        j->next = (uint32_t)v;
        if (api_notes_read(api->notes, &j->req, j->next, j->text,
                           sizeof j->text, one_read, j) != 0) {
            error(x, 404, "no such note");
            job_free(j);
            return;
        }
        j->busy = true;
        return;
    }
    /* the list: a chunked JSON array, one note per write */
    j->count = api_notes_count(api->notes);
    if (uk_http_start(x, 200, JSON, UK_HTTP_CHUNKED) != 0 ||
        uk_http_write(x, "[", 1, list_written, j) != 0) {
        error(x, 500, "cannot start the list");
        job_free(j);
    }
}

static void notes_get_handler(void *arg, struct uk_http_exchange *x)
{
    notes_get((struct api *)arg, x);
}

/* ---- the routes ---- */

static void route(struct api *api, const char *method, const char *prefix,
                  uk_http_handler_cb fn, void *arg, size_t body_max)
{
    struct uk_http_route *r = &api->routes[api->router.count++];
    r->method = method;
    r->prefix = prefix;
    r->fn = fn;
    r->arg = arg;
    r->body_max = body_max;
}

void api_init(struct api *api, struct api_notes *notes, struct uk_kv_ro *site,
              struct uk_mem *mem, struct uk_time *time)
{
    memset(api, 0, sizeof *api);
    api->notes = notes;
    api->time = time;
    /* 64 requests in progress at once */
    uk_mem_account_init(&api->acct, mem, "api", (size_t)-1,
                        64 * sizeof(struct job));
    api->router.routes = api->routes;
    route(api, "GET", "/api/counter", counter_handler, api, 0);
    route(api, "POST", "/api/counter", counter_handler, api, 0);
    route(api, NULL, "/api/counter", bad_method, (void *)"GET, POST", 0);
    route(api, "GET", "/api/notes", notes_get_handler, api, 0);
    route(api, "POST", "/api/notes", notes_post_handler, api, API_BODY_MAX);
    route(api, NULL, "/api/notes", bad_method, (void *)"GET, POST", 0);
    route(api, NULL, "/api", not_found, NULL, 0);
    if (site != NULL)
        route(api, NULL, "/", uk_http_static_handler, site, 0);
}
