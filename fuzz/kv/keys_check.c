/*
 * keys_check.c - an untrusted key (say, from an HTTP request path) against
 * the embedded KV_RO store.  The reference answer is computed the slow,
 * obvious way: uk_kv_key_check, then a linear scan of the table, and a
 * list() of a directory is compared with a scan for its children.  Any
 * disagreement, or (under the sanitizers) any access outside the table,
 * is a bug.
 */
#include <stdio.h>
#include <string.h>

#include <uk/kv_embedded.h>

#include "keys_check.h"

static const unsigned char f1[] = "one", f2[] = "twotwo", f3[] = "";

#define D(k) {k, NULL, 0, 0, UK_KV_DIR, {0}}
#define F(k, a) {k, a, sizeof a - 1, 0, UK_KV_FILE, {0}}
static const struct uk_kv_embedded_entry table[] = {
    D(""),      D("a"),       F("a b", f1), F("a-z", f2),    F("a.txt", f1),
    D("a/b"),   F("a/b.c", f2), F("a/b/c", f3), F("a/bb", f1), D("css"),
    F("css/site.css", f2), F("index.html", f1), F("\x7e\xff", f3),
};
#define N (sizeof table / sizeof table[0])

static const struct uk_kv_embedded_entry *slow_find(const char *key)
{
    size_t i;
    for (i = 0; i < N; i++)
        if (strcmp(table[i].key, key) == 0)
            return &table[i];
    return NULL;
}

/* The index'th child name of dir by a scan, or NULL. */
static const char *slow_child(const char *dir, size_t index)
{
    size_t i, dlen = strlen(dir), seen = 0;
    for (i = 1; i < N; i++) {
        const char *k = table[i].key, *name = k;
        if (dlen > 0) {
            if (strncmp(k, dir, dlen) != 0 || k[dlen] != '/')
                continue;
            name = k + dlen + 1;
        }
        if (strchr(name, '/') == NULL && seen++ == index)
            return name;
    }
    return NULL;
}

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "kv keys: %s fails for key \"%s\"\n", #cond,     \
                    key);                                                     \
            return -1;                                                        \
        }                                                                     \
    } while (0)

int kv_keys_check_one(const uint8_t *data, size_t n)
{
    static struct uk_kv_embedded kv;
    static struct uk_kv_embedded_state st;
    static struct uk_kv_ro obj;
    char key[UK_KV_KEY_MAX + 64];
    const struct uk_kv_embedded_entry *e;
    struct uk_kv_stat s;
    struct uk_kv_entry le;
    const void *p;
    size_t len, got, i;
    char buf[8];
    int valid, want, want_rw, rc;
    struct uk_kv_ro *ro =
        uk_kv_embedded_init(&kv, &obj, "fuzz", table, N, &st);
    for (i = 1; i < N; i++)
        if (strcmp(table[i - 1].key, table[i].key) >= 0) {
            fprintf(stderr, "kv keys: table not sorted at %zu\n", i);
            return -1;
        }
    if (n > sizeof key - 1)
        n = sizeof key - 1;
    memcpy(key, data, n);
    key[n] = '\0';
    valid = uk_kv_key_check(key);
    e = valid == 0 ? slow_find(key) : NULL;
    want = valid != 0 ? valid : e == NULL ? UK_ENOENT : 0;

    CHECK(uk_kv_ro_stat(ro, key, &s) == want);
    if (want == 0)
        CHECK(s.kind == e->kind && s.size == e->size);
    /* read and map: a directory is UK_EISDIR, else as stat */
    want_rw = want == 0 && e->kind == UK_KV_DIR ? UK_EISDIR : want;
    CHECK(uk_kv_ro_read(ro, key, 1, buf, sizeof buf, &got) == want_rw);
    if (want_rw == 0)
        CHECK(got == (e->size > 1 ? e->size - 1 : 0) &&
              memcmp(buf, e->data + 1, got) == 0);
    CHECK(uk_kv_ro_map(ro, key, 0, &p, &len) == want_rw);
    if (want_rw == 0)
        CHECK(p == e->data && len == e->size);
    for (i = 0; i < 8; i++) {
        const char *name = e != NULL && e->kind == UK_KV_DIR
                               ? slow_child(key, i)
                               : NULL;
        rc = uk_kv_ro_list(ro, key, i, &le);
        if (want != 0)
            CHECK(rc == want);
        else if (e->kind != UK_KV_DIR)
            CHECK(rc == UK_ENOTDIR);
        else if (name == NULL)
            CHECK(rc == UK_ENOENT);
        else
            CHECK(rc == 0 && strcmp(le.name, name) == 0);
    }
    return 0;
}
