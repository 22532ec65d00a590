/*
 * embedded.c - the KV_RO store compiled into the image (uk/kv_embedded.h):
 * binary search over a constant table sorted by key.
 */
#include <assert.h>
#include <string.h>

#include <uk/kv_embedded.h>

typedef const struct uk_kv_embedded_entry entry_t;

static const struct uk_kv_embedded *store_of(const struct uk_kv_ro *self)
{
    return UK_CONTAINER_OF(self->ops, const struct uk_kv_embedded, ops);
}

/* The entry whose key is exactly key, or NULL.  key must be valid. */
static entry_t *find(const struct uk_kv_embedded *kv, const char *key)
{
    size_t lo = 0, hi = kv->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key, kv->entries[mid].key);
        if (c == 0)
            return &kv->entries[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Checks key and finds its entry: 0 and *out, or an error. */
static int lookup(struct uk_kv_ro *self, const char *key, entry_t **out)
{
    int err = uk_kv_key_check(key);
    if (err != 0)
        return err;
    *out = find(store_of(self), key);
    return *out != NULL ? 0 : UK_ENOENT;
}

const char *uk__kv_embedded_id(struct uk_kv_ro *self)
{
    return store_of(self)->id;
}

static void disconnected(void *arg)
{
    struct uk_kv_embedded_state *st = arg;
    uk_done_cb cb = st->cb;
    st->cb = NULL;
    cb(st->cb_arg);
}

/* Nothing to release: just completes, on the next loop turn. */
void uk__kv_embedded_disconnect(struct uk_kv_ro *self, uk_done_cb cb,
                                void *arg)
{
    struct uk_kv_embedded_state *st = store_of(self)->state;
    struct uk_time *time;
    if (cb == NULL)
        return;
    time = st->time != NULL ? st->time
                            : st->default_time != NULL ? st->default_time()
                                                       : NULL;
    assert(time != NULL && "no loop: uk_kv_embedded_bind_time() first");
    assert(st->cb == NULL && "disconnect called twice");
    st->cb = cb;
    st->cb_arg = arg;
    uk_time_defer(time, &st->timer, disconnected, st);
}

int uk__kv_embedded_stat(struct uk_kv_ro *self, const char *key,
                         struct uk_kv_stat *out)
{
    entry_t *e;
    int err = lookup(self, key, &e);
    if (err != 0)
        return err;
    out->size = e->size;
    out->mtime_s = e->mtime_s;
    out->kind = e->kind;
    memcpy(out->digest, e->digest, sizeof out->digest);
    return 0;
}

int uk__kv_embedded_map(struct uk_kv_ro *self, const char *key,
                        uint64_t offset, const void **data, size_t *len)
{
    entry_t *e;
    int err = lookup(self, key, &e);
    if (err != 0)
        return err;
    if (e->kind != UK_KV_FILE)
        return UK_EISDIR;
    if (offset >= e->size) {
        /* At or past the end: an empty range at the end of the value. */
        *data = e->size > 0 ? e->data + e->size : e->data;
        *len = 0;
        return 0;
    }
    *data = e->data + offset;
    *len = (size_t)(e->size - offset);
    return 0;
}

int uk__kv_embedded_read(struct uk_kv_ro *self, const char *key,
                         uint64_t offset, void *buf, size_t len, size_t *got)
{
    const void *data;
    size_t avail;
    int err = uk__kv_embedded_map(self, key, offset, &data, &avail);
    if (err != 0)
        return err;
    *got = len < avail ? len : avail;
    if (*got > 0)
        memcpy(buf, data, *got);
    return 0;
}

/*
 * Compares key with the string dir + "/" (without building it), like
 * strcmp: how list() finds where the keys under dir begin.
 */
static int cmp_under(const char *key, const char *dir, size_t dlen)
{
    int c = strncmp(key, dir, dlen);
    if (c != 0)
        return c;
    return (int)(unsigned char)key[dlen] - '/';
}

/*
 * The keys under directory `dir` (those starting "dir/") form one
 * contiguous run of the sorted table, but not always right after dir's own
 * entry: "a.txt" sorts between "a" and "a/x" ('.' < '/').  So the run's
 * start is a binary search; for the root it is every key but "" itself.
 * Direct children are the keys of the run with no further '/', already in
 * name order.  Cost: O(log n + keys under dir) a call.
 */
static size_t run_start(const struct uk_kv_embedded *kv, const char *dir,
                        size_t dlen)
{
    size_t lo = 1, hi = kv->count; /* entry 0 is the root */
    if (dlen == 0)
        return 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_under(kv->entries[mid].key, dir, dlen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int uk__kv_embedded_list(struct uk_kv_ro *self, const char *dir, size_t index,
                         struct uk_kv_entry *out)
{
    const struct uk_kv_embedded *kv = store_of(self);
    size_t dlen, i, seen = 0;
    entry_t *d;
    int err = lookup(self, dir, &d);
    if (err != 0)
        return err;
    if (d->kind != UK_KV_DIR)
        return UK_ENOTDIR;
    dlen = strlen(dir);
    for (i = run_start(kv, dir, dlen); i < kv->count; i++) {
        const char *key = kv->entries[i].key, *name;
        size_t nlen;
        if (dlen > 0 && cmp_under(key, dir, dlen) != 0)
            break; /* past the run */
        name = dlen > 0 ? key + dlen + 1 : key;
        if (strchr(name, '/') != NULL)
            continue; /* deeper down */
        if (seen++ != index)
            continue;
        nlen = strlen(name);
        if (nlen > UK_KV_NAME_MAX)
            return UK_ENAMETOOLONG; /* not from uk-embed: it checks keys */
        memcpy(out->name, name, nlen + 1);
        out->kind = kv->entries[i].kind;
        return 0;
    }
    return UK_ENOENT;
}

struct uk_kv_ro *uk_kv_embedded_init(struct uk_kv_embedded *kv,
                                     struct uk_kv_ro *obj, const char *id,
                                     const struct uk_kv_embedded_entry *entries,
                                     size_t count,
                                     struct uk_kv_embedded_state *state)
{
    static const struct uk_kv_embedded proto =
        UK_KV_EMBEDDED_INIT(NULL, NULL, 0, NULL);
    *kv = proto;
    kv->id = id;
    kv->entries = entries;
    kv->count = count;
    kv->state = state;
    memset(state, 0, sizeof *state);
    obj->ops = &kv->ops;
    return obj;
}

void uk_kv_embedded_bind_time(struct uk_kv_ro *obj, struct uk_time *time)
{
    assert(uk_kv_is_embedded(obj));
    store_of(obj)->state->time = time;
}

bool uk_kv_is_embedded(const struct uk_kv_ro *obj)
{
    return obj->ops->stat == uk__kv_embedded_stat;
}
