/*
 * index.c - uk_kvstore's sorted in-memory index (index.h).
 */
#include <string.h>

#include <uk/err.h>

#include "index.h"

void kvs_index_init(struct uk__kvs_index *ix, struct uk__kvs_ent *ents, size_t cap,
                    char *keys, size_t key_cap)
{
    ix->ents = ents;
    ix->n = 0;
    ix->cap = cap;
    ix->keys = keys;
    ix->key_used = 0;
    ix->key_cap = key_cap;
}

const char *kvs_index_key(const struct uk__kvs_index *ix, size_t i)
{
    return ix->keys + ix->ents[i].key_off;
}

/* Byte order with '/' first (keys hold no byte below 0x20). */
static unsigned rank(unsigned char c)
{
    return c == '/' ? 1u : c;
}

static int cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i, n = alen < blen ? alen : blen;
    for (i = 0; i < n; i++) {
        unsigned x = rank((unsigned char)a[i]), y = rank((unsigned char)b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return alen == blen ? 0 : alen < blen ? -1 : 1;
}

/* The first position whose key is >= key[0..len). */
static size_t lower(const struct uk__kvs_index *ix, const char *key, size_t len)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp(kvs_index_key(ix, mid), ix->ents[mid].key_len, key, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct uk__kvs_ent *kvs_index_get(struct uk__kvs_index *ix, const char *key,
                              size_t len)
{
    size_t i = lower(ix, key, len);
    if (i < ix->n && cmp(kvs_index_key(ix, i), ix->ents[i].key_len, key,
                         len) == 0)
        return &ix->ents[i];
    return NULL;
}

bool kvs_index_has_room(const struct uk__kvs_index *ix, size_t keys,
                        size_t bytes)
{
    return keys <= ix->cap - ix->n && bytes <= ix->key_cap - ix->key_used;
}

int kvs_index_put(struct uk__kvs_index *ix, const char *key, size_t len,
                  const struct uk__kvs_ent *e)
{
    size_t i = lower(ix, key, len), j;
    uint32_t off;
    if (i < ix->n &&
        cmp(kvs_index_key(ix, i), ix->ents[i].key_len, key, len) == 0) {
        off = ix->ents[i].key_off;
        ix->ents[i] = *e;
        ix->ents[i].key_off = off;
        ix->ents[i].key_len = (uint32_t)len;
        return 0;
    }
    if (!kvs_index_has_room(ix, 1, len))
        return UK_ELIMIT;
    off = i < ix->n ? ix->ents[i].key_off : (uint32_t)ix->key_used;
    memmove(ix->keys + off + len, ix->keys + off, ix->key_used - off);
    memcpy(ix->keys + off, key, len);
    ix->key_used += len;
    memmove(&ix->ents[i + 1], &ix->ents[i], (ix->n - i) * sizeof *ix->ents);
    ix->n++;
    for (j = i + 1; j < ix->n; j++)
        ix->ents[j].key_off += (uint32_t)len;
    ix->ents[i] = *e;
    ix->ents[i].key_off = off;
    ix->ents[i].key_len = (uint32_t)len;
    return 0;
}

void kvs_index_del(struct uk__kvs_index *ix, const char *key, size_t len)
{
    size_t i = lower(ix, key, len), j;
    uint32_t off;
    if (i >= ix->n ||
        cmp(kvs_index_key(ix, i), ix->ents[i].key_len, key, len) != 0)
        return;
    off = ix->ents[i].key_off;
    memmove(ix->keys + off, ix->keys + off + len, ix->key_used - off - len);
    ix->key_used -= len;
    memmove(&ix->ents[i], &ix->ents[i + 1],
            (ix->n - i - 1) * sizeof *ix->ents);
    ix->n--;
    for (j = i; j < ix->n; j++)
        ix->ents[j].key_off -= (uint32_t)len;
}

/* Whether entry i's key starts with prefix[0..plen). */
static bool has_prefix(const struct uk__kvs_index *ix, size_t i,
                       const char *prefix, size_t plen)
{
    return ix->ents[i].key_len >= plen &&
           memcmp(kvs_index_key(ix, i), prefix, plen) == 0;
}

/* The first entry under directory dir[0..dlen) ("" the root), i.e. whose
 * key starts with "dir/", or n. */
static size_t dir_first(const struct uk__kvs_index *ix, const char *dir,
                        size_t dlen, char *tmp)
{
    size_t i;
    if (dlen == 0)
        return 0;
    memcpy(tmp, dir, dlen);
    tmp[dlen] = '/';
    i = lower(ix, tmp, dlen + 1);
    return i < ix->n && has_prefix(ix, i, tmp, dlen + 1) ? i : ix->n;
}

int kvs_index_stat(struct uk__kvs_index *ix, const char *key,
                   struct uk_kv_stat *out)
{
    char tmp[UK_KV_KEY_MAX + 2];
    size_t len = strlen(key), k;
    struct uk__kvs_ent *e = kvs_index_get(ix, key, len);
    memset(out, 0, sizeof *out);
    if (e != NULL) {
        out->kind = UK_KV_FILE;
        out->size = e->len;
        out->mtime_s = e->mtime;
        for (k = 0; k < 8; k++) {
            out->digest[k] = (uint8_t)(e->loc >> (8 * k));
            out->digest[8 + k] = (uint8_t)(e->seq >> (8 * k));
        }
        return 0;
    }
    if (len == 0 || dir_first(ix, key, len, tmp) < ix->n) {
        out->kind = UK_KV_DIR;
        return 0;
    }
    return UK_ENOENT;
}

int kvs_index_list(struct uk__kvs_index *ix, const char *dir, size_t index,
                   struct uk_kv_entry *out)
{
    char tmp[UK_KV_KEY_MAX + 2];
    size_t dlen = strlen(dir), plen = dlen == 0 ? 0 : dlen + 1;
    size_t i = dir_first(ix, dir, dlen, tmp), count = 0;
    const char *last = NULL;
    size_t last_len = 0;
    int last_kind = 0;
    if (i == ix->n)
        return dlen == 0 ? UK_ENOENT
               : kvs_index_get(ix, dir, dlen) != NULL ? UK_ENOTDIR
                                                      : UK_ENOENT;
    for (; i < ix->n && (plen == 0 || has_prefix(ix, i, tmp, plen)); i++) {
        const char *name = kvs_index_key(ix, i) + plen;
        size_t rest = ix->ents[i].key_len - plen;
        const char *slash = memchr(name, '/', rest);
        size_t nlen = slash != NULL ? (size_t)(slash - name) : rest;
        int kind = slash != NULL ? UK_KV_DIR : UK_KV_FILE;
        if (last != NULL && nlen == last_len && kind == last_kind &&
            memcmp(name, last, nlen) == 0)
            continue; /* another key in the same subdirectory */
        if (count++ == index) {
            memcpy(out->name, name, nlen);
            out->name[nlen] = '\0';
            out->kind = (enum uk_kv_kind)kind;
            return 0;
        }
        last = name;
        last_len = nlen;
        last_kind = kind;
    }
    return UK_ENOENT;
}
