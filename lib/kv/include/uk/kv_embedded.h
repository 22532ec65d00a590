/*
 * uk/kv_embedded.h - a KV_RO store whose contents are compiled into the
 * image: the table that tools/embed (uk-embed) generates from a directory,
 * served through the uk_kv_ro interface (uk/kv_ro.h), with zero-copy map.
 *
 * The table is an array of entries sorted by key (bytewise, as strcmp
 * orders them), one per file and one per directory; "" is the root and is
 * the first entry.  Lookups are binary searches; list() walks the keys under
 * a directory.  Keys are checked with uk_kv_key_check() before any lookup,
 * so a key that is not valid never reaches the table.
 *
 * Layout.  A `struct uk_kv_ro` is only a pointer to its method table, so an
 * embedded store is a `struct uk_kv_embedded` whose FIRST member is that
 * method table, followed by the store's table; the store's uk_kv_ro object
 * points at it and the methods get back to the store with
 * UK_CONTAINER_OF(self->ops, ...).  This lets a generated source define the
 * store as plain constant data plus an object of the real type
 * `struct uk_kv_ro` (which is how images declare it, uk/kv_decl.h), with no
 * constructor to run and no type punning between translation units:
 *
 *   static struct uk_kv_embedded_state state = {.default_time = f};
 *   static const struct uk_kv_embedded store =
 *       UK_KV_EMBEDDED_INIT("site", entries, 12, &state);
 *   struct uk_kv_ro uk__kv_www_site = {&store.ops};
 *
 * Everything here is immutable except the small state record that
 * disconnect() uses; the table, keys and contents are never written.
 */
#ifndef UK_KV_EMBEDDED_H
#define UK_KV_EMBEDDED_H

#include <stddef.h>
#include <stdint.h>

#include <uk/kv_ro.h>
#include <uk/time.h>

/* One key of the store.  Generated; all pointers are to static data. */
struct uk_kv_embedded_entry {
    const char *key;           /* valid per uk_kv_key_check; "" = root */
    const unsigned char *data; /* size bytes (plus a NUL); NULL for a dir */
    uint64_t size;             /* 0 for directories */
    int64_t mtime_s;
    enum uk_kv_kind kind;
    uint8_t digest[UK_KV_DIGEST_LEN]; /* uk_kv_digest of the content; of
                                         the listing for a directory */
};

/*
 * The mutable part: how disconnect() completes later, on the loop given by
 * uk_kv_embedded_bind_time(), else on default_time() if set.  Images set
 * default_time to their target's uk_default_time (uk-embed -t), so that
 * portable code needs no link to a target.  Otherwise zero-initialised.
 */
struct uk_kv_embedded_state {
    struct uk_time *(*default_time)(void);
    struct uk_time *time;
    struct uk_timer timer;
    uk_done_cb cb;
    void *cb_arg;
};

struct uk_kv_embedded {
    struct uk_kv_ro_ops ops; /* first: the store's object points here */
    const char *id;          /* device id, e.g. the KV_RO name */
    const struct uk_kv_embedded_entry *entries; /* sorted by key */
    size_t count;
    struct uk_kv_embedded_state *state;
};

/* The store's methods, for UK_KV_EMBEDDED_INIT; not called directly. */
const char *uk__kv_embedded_id(struct uk_kv_ro *self);
void uk__kv_embedded_disconnect(struct uk_kv_ro *self, uk_done_cb cb,
                                void *arg);
int uk__kv_embedded_stat(struct uk_kv_ro *self, const char *key,
                         struct uk_kv_stat *out);
int uk__kv_embedded_read(struct uk_kv_ro *self, const char *key,
                         uint64_t offset, void *buf, size_t len, size_t *got);
int uk__kv_embedded_list(struct uk_kv_ro *self, const char *dir, size_t index,
                         struct uk_kv_entry *out);
int uk__kv_embedded_map(struct uk_kv_ro *self, const char *key,
                        uint64_t offset, const void **data, size_t *len);

/*
 * UK_KV_EMBEDDED_INIT(id, entries, count, state): a constant initialiser
 * for a struct uk_kv_embedded.  entries must be sorted by key, start with
 * the root "" and hold every directory above every key (uk-embed's output
 * does); state points at a zero-initialised record owned by the store.
 */
#define UK_KV_EMBEDDED_INIT(id_, entries_, count_, state_)                    \
    {                                                                         \
        {uk__kv_embedded_id, uk__kv_embedded_disconnect,                      \
         uk__kv_embedded_stat, uk__kv_embedded_read, uk__kv_embedded_list,   \
         uk__kv_embedded_map},                                                \
            (id_), (entries_), (count_), (state_)                             \
    }

/*
 * uk_kv_embedded_init(kv, obj, id, entries, count, state): the run-time
 * form of UK_KV_EMBEDDED_INIT; also points obj at kv and returns obj.
 * kv, obj, state, entries and the strings are BORROWED for the store's
 * lifetime; state is zeroed here (no default_time: bind a time before a
 * disconnect with a callback).
 */
struct uk_kv_ro *uk_kv_embedded_init(struct uk_kv_embedded *kv,
                                     struct uk_kv_ro *obj, const char *id,
                                     const struct uk_kv_embedded_entry *entries,
                                     size_t count,
                                     struct uk_kv_embedded_state *state);

/*
 * uk_kv_embedded_bind_time(obj, time): the loop that disconnect() completes
 * on (its callback must run later, never inside the call), instead of the
 * state's default_time.  obj must be an embedded store; time is BORROWED.
 * disconnect(obj, cb, arg) with a non-NULL cb and neither a bound time nor
 * a default_time is a contract violation.
 */
void uk_kv_embedded_bind_time(struct uk_kv_ro *obj, struct uk_time *time);

/* Whether obj is an embedded store (its methods are this library's). */
bool uk_kv_is_embedded(const struct uk_kv_ro *obj);

#endif
