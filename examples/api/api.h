/*
 * api.h - the api appliance: a small JSON API with a form, on the HTTP
 * application interface (uk/http_app.h).
 *
 *   GET  /api/counter          {"counter":N}
 *   POST /api/counter          adds one, answers {"counter":N}
 *   POST /api/notes            stores a note: a form (text=...) or JSON
 *                              ({"text":"..."}), Content-Length or
 *                              chunked; answers 201 {"id":N,"text":"..."}
 *   GET  /api/notes            all notes, a JSON array streamed chunked
 *   GET  /api/notes?id=N       one note
 *   GET  /...                  the files of the site store (the form)
 *
 * Bad input is answered 4xx with a one-line {"error":"..."}: 400
 * malformed, 404 no such note or endpoint, 405 wrong method, 413 body over
 * its bound, 415 neither form nor JSON, 507 the notes' budget is full.
 */
#ifndef API_H
#define API_H

#include <stdint.h>

#include <uk/console.h>
#include <uk/http_app.h>
#include <uk/http_server.h>
#include <uk/kv_ro.h>
#include <uk/mem.h>
#include <uk/stackv4.h>

#include "notes.h"

#define API_BODY_MAX 4096 /* a note's request body, encoded */
#define API_ROUTES 8

struct api {
    struct api_notes *notes;    /* BORROWED */
    struct uk_mem_account acct; /* requests in progress */
    struct uk_time *time;       /* BORROWED */
    uint64_t counter;
    struct uk_http_route routes[API_ROUTES];
    struct uk_http_router router;
};

/*
 * api_init(api, notes, site, mem, time): the handlers over notes and the
 * files of site (may be NULL: no files), their per-request state from mem
 * (all BORROWED for api's lifetime).  api->router is then ready for a
 * server's deps.
 */
void api_init(struct api *api, struct api_notes *notes, struct uk_kv_ro *site,
              struct uk_mem *mem, struct uk_time *time);

#endif
