/*
 * notes.h - NOTES, the api appliance's data model: numbered text notes,
 * added and read back.  Behind this interface so that the in-memory
 * implementation (notes_mem.c) can be replaced by one over a persistent
 * store (uk/kv_rw.h) without touching the handlers: add and read are
 * asynchronous, as a store's commits and reads are; count is synchronous,
 * as a store's index is.  Asynchronous methods take a caller-owned
 * request record that stays alive until its callback runs (one request
 * per record at a time), as uk/kv_rw.h's do.
 *
 *   int add(self, struct api_notes_req *req, const char *text, size_t len,
 *           api_notes_add_cb cb, void *arg)                   required
 *       Stores text[0..len) (BORROWED for the call: copied) as note
 *       number count().  cb(arg, status, id) runs once, never inside the
 *       call: status 0 with the new id, UK_ENOSPC (the budget is full),
 *       UK_EIO.  Returns 0, UK_EMSGSIZE (len over API_NOTE_MAX),
 *       UK_ELIMIT (API_NOTES_MAX notes).
 *
 *   uint32_t count(self)                                      required
 *       How many notes there are (ids 0 .. count-1).
 *
 *   int read(self, struct api_notes_req *req, uint32_t id, char *buf,
 *            size_t cap, api_notes_read_cb cb, void *arg)     required
 *       Copies note id into buf[0..cap) (BORROWED until cb).  cb(arg,
 *       status, len) runs once, never inside the call: 0 with the note's
 *       length, UK_EIO.  Returns 0, UK_ENOENT (no such id), UK_ERANGE
 *       (cap too small: API_NOTE_MAX always fits).
 */
#ifndef API_NOTES_H
#define API_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include <uk/iface.h>
#include <uk/time.h>

#define API_NOTE_MAX 1024 /* longest note, bytes */
#define API_NOTES_MAX 256 /* most notes */

typedef void (*api_notes_add_cb)(void *arg, int status, uint32_t id);
typedef void (*api_notes_read_cb)(void *arg, int status, size_t len);

/* A request in flight; its fields are the implementation's. */
struct api_notes_req {
    struct uk_timer timer;
    int status;
    uint32_t id;
    size_t len;
    api_notes_add_cb add_cb;
    api_notes_read_cb read_cb;
    void *arg;
};

#define API_NOTES_METHODS(T, M, V, O)                                         \
    M(T, int, add,                                                            \
      (struct T * self, struct api_notes_req * req, const char *text,         \
       size_t len, api_notes_add_cb cb, void *arg),                           \
      (self, req, text, len, cb, arg))                                        \
    M(T, uint32_t, count, (struct T * self), (self))                          \
    M(T, int, read,                                                           \
      (struct T * self, struct api_notes_req * req, uint32_t id, char *buf,   \
       size_t cap, api_notes_read_cb cb, void *arg),                          \
      (self, req, id, buf, cap, cb, arg))

UK_INTERFACE(api_notes, API_NOTES_METHODS);

#endif
