/*
 * test_zonefile_support.h - helpers for the zone-file parser tests: a fake
 * read-only store over an in-memory table of files (with or without the
 * optional map method), a record collector, and hex helpers.
 */
#ifndef TEST_ZONEFILE_SUPPORT_H
#define TEST_ZONEFILE_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/dns_zonefile.h>
#include <uk/kv_ro.h>

/* A file of the fake store: NULL key ends the table; NULL text is a dir. */
struct fake_file {
    const char *key;
    const char *text;
};

struct fake_kv {
    struct uk_kv_ro kv;
    const struct fake_file *files;
    unsigned reads, maps;
};

static inline const struct fake_file *fake_find(struct uk_kv_ro *self,
                                                const char *key)
{
    struct fake_kv *f = UK_CONTAINER_OF(self, struct fake_kv, kv);
    const struct fake_file *e;
    for (e = f->files; e->key != NULL; e++)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static inline const char *fake_id(struct uk_kv_ro *self)
{
    (void)self;
    return "fake-kv";
}

static inline void fake_disconnect(struct uk_kv_ro *self, uk_done_cb cb,
                                   void *arg)
{
    (void)self;
    (void)cb;
    (void)arg;
}

static inline int fake_stat(struct uk_kv_ro *self, const char *key,
                            struct uk_kv_stat *out)
{
    const struct fake_file *e;
    int rc = uk_kv_key_check(key);
    if (rc != 0)
        return rc;
    if ((e = fake_find(self, key)) == NULL)
        return UK_ENOENT;
    memset(out, 0, sizeof(*out));
    out->kind = e->text != NULL ? UK_KV_FILE : UK_KV_DIR;
    out->size = e->text != NULL ? strlen(e->text) : 0;
    return 0;
}

static inline int fake_read(struct uk_kv_ro *self, const char *key,
                            uint64_t offset, void *buf, size_t len,
                            size_t *got)
{
    struct fake_kv *f = UK_CONTAINER_OF(self, struct fake_kv, kv);
    struct uk_kv_stat st;
    const struct fake_file *e;
    int rc = fake_stat(self, key, &st);
    if (rc != 0)
        return rc;
    e = fake_find(self, key);
    if (e->text == NULL)
        return UK_EISDIR;
    f->reads++;
    *got = 0;
    if (offset < st.size) {
        size_t n = (size_t)(st.size - offset);
        *got = n < len ? n : len;
        memcpy(buf, e->text + offset, *got);
    }
    return 0;
}

static inline int fake_list(struct uk_kv_ro *self, const char *dir,
                            size_t index, struct uk_kv_entry *out)
{
    (void)self;
    (void)dir;
    (void)index;
    (void)out;
    return UK_ENOENT;
}

static inline int fake_map(struct uk_kv_ro *self, const char *key,
                           uint64_t offset, const void **data, size_t *len)
{
    struct fake_kv *f = UK_CONTAINER_OF(self, struct fake_kv, kv);
    struct uk_kv_stat st;
    int rc = fake_stat(self, key, &st);
    if (rc != 0)
        return rc;
    if (st.kind == UK_KV_DIR)
        return UK_EISDIR;
    f->maps++;
    *data = fake_find(self, key)->text + offset;
    *len = (size_t)(st.size - offset);
    return 0;
}

static inline void fake_kv_init(struct fake_kv *f,
                                const struct fake_file *files, bool can_map)
{
    static const struct uk_kv_ro_ops fake_ops = {.id = fake_id,
                                                 .disconnect = fake_disconnect,
                                                 .stat = fake_stat,
                                                 .read = fake_read,
                                                 .list = fake_list,
                                                 .map = NULL};
    static const struct uk_kv_ro_ops fake_map_ops = {.id = fake_id,
                                                     .disconnect =
                                                         fake_disconnect,
                                                     .stat = fake_stat,
                                                     .read = fake_read,
                                                     .list = fake_list,
                                                     .map = fake_map};
    memset(f, 0, sizeof(*f));
    f->kv.ops = can_map ? &fake_map_ops : &fake_ops;
    f->files = files;
}

/* A copied record. */
struct rec {
    uint8_t owner[UK_DNS_NAME_MAX];
    size_t owner_len;
    uint16_t type, rclass;
    uint32_t ttl;
    uint8_t rdata[1024];
    uint16_t rdlen;
};

struct recs {
    struct rec *r;
    size_t n, cap;
    size_t fail_at; /* 1-based record to refuse with UK_ENOSPC; 0: none */
};

static inline int collect(void *arg, const struct uk_dns_rr *rr)
{
    struct recs *rs = (struct recs *)arg;
    struct rec *r;
    if (rs->fail_at != 0 && rs->n + 1 == rs->fail_at)
        return UK_ENOSPC;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 16;
        rs->r = (struct rec *)realloc(rs->r, rs->cap * sizeof(*rs->r));
        if (rs->r == NULL)
            abort();
    }
    r = &rs->r[rs->n++];
    memset(r, 0, sizeof(*r));
    memcpy(r->owner, rr->owner, rr->owner_len);
    r->owner_len = rr->owner_len;
    r->type = rr->type;
    r->rclass = rr->rclass;
    r->ttl = rr->ttl;
    r->rdlen = rr->rdlen;
    memcpy(r->rdata, rr->rdata, rr->rdlen < 1024 ? rr->rdlen : 1024);
    return 0;
}

/* Decodes hex (blanks ignored) into out; returns the byte count. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex != '\0'; hex++) {
        int v;
        if (*hex == ' ')
            continue;
        v = (*hex >= '0' && *hex <= '9')   ? *hex - '0'
            : (*hex >= 'a' && *hex <= 'f') ? *hex - 'a' + 10
                                           : *hex - 'A' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            if (n < cap)
                out[n] = (uint8_t)(hi << 4 | v);
            n++;
            hi = -1;
        }
    }
    return n;
}

/* A wire name from an absolute presentation name (test input is valid). */
static inline size_t wire(const char *text, uint8_t out[UK_DNS_NAME_MAX])
{
    size_t n = 0;
    if (uk_dns_name_from_text(text, strlen(text), NULL, out, &n) != 0)
        abort();
    return n;
}

/* Scratch for tests: minimum plus room for includes. */
#define TEST_SCRATCH (UK_DNS_ZONEFILE_SCRATCH + 64 * 1024)

#endif
