/*
 * zonefile.c - the master-file parser's driver: entries (owner, TTL, class,
 * type, RDATA), the $ORIGIN/$TTL/$INCLUDE directives, the include stack
 * kept in the caller's scratch, and the public entry points declared in
 * uk/dns_zonefile.h.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <uk/err.h>

#include "zonefile_priv.h"

#define TTL_MAX 2147483647u /* RFC 2181 §8 */

/* The state must fit the documented minimum, with room to align it. */
typedef char zf_scratch_fits[sizeof(struct zf) + 16 <= UK_DNS_ZONEFILE_SCRATCH
                                 ? 1
                                 : -1];

/* Reads what must be the end of the entry. */
static int expect_end(struct zf *st)
{
    struct zf_tok t;
    int rc = uk__zf_next(st, &t);
    if (rc == 0 && t.kind != ZF_EOL && t.kind != ZF_EOF)
        rc = uk__zf_fail(st, &t, UK_EPROTO, "unexpected '%.*s'",
                         (int)(t.n > 40 ? 40 : t.n), t.p);
    return rc;
}

/* Parses the name in t relative to the current origin into out. */
static int name_field(struct zf *st, const struct zf_tok *t, const char *what,
                      uint8_t *out, size_t *out_len)
{
    struct zf_frame *fr = uk__zf_top(st);
    const char *why = "";
    int rc;
    if (t->kind != ZF_WORD)
        return uk__zf_fail(st, t, UK_EPROTO, "%s must not be quoted", what);
    rc = uk__dns_name_parse(t->p, t->n, fr->origin, fr->origin_len, out,
                            out_len, &why);
    if (rc != 0)
        return uk__zf_fail(st, t, rc, "%s: %s", what, why);
    return 0;
}

/* The text of key: mapped by the store, or read into the scratch area. */
static int read_text(struct zf *st, const struct zf_tok *at, const char *key,
                     const char **text, size_t *len)
{
    struct uk_kv_stat ks;
    const void *data;
    size_t got = 0, left = st->area_len - st->area_used;
    int rc = uk_kv_ro_stat(st->store, key, &ks);
    if (rc == 0 && ks.kind == UK_KV_DIR)
        rc = UK_EISDIR;
    if (rc != 0)
        return uk__zf_fail(st, at, rc, "cannot read '%s': %s", key,
                           uk_strerror(rc));
    rc = uk_kv_ro_map(st->store, key, 0, &data, len);
    if (rc == 0) {
        *text = (const char *)data;
        return 0;
    }
    if (ks.size > (uint64_t)left)
        return uk__zf_fail(st, at, UK_ENOSPC,
                           "'%s' is %llu bytes, only %lu of scratch left", key,
                           (unsigned long long)ks.size, (unsigned long)left);
    rc = uk_kv_ro_read(st->store, key, 0, st->area + st->area_used,
                       (size_t)ks.size, &got);
    if (rc != 0)
        return uk__zf_fail(st, at, rc, "cannot read '%s': %s", key,
                           uk_strerror(rc));
    *text = (const char *)(st->area + st->area_used);
    *len = got;
    st->area_used += got;
    return 0;
}

/* Pushes a frame for text; origin NULL inherits the current one. */
static void push(struct zf *st, const char *file, const char *text, size_t len,
                 const uint8_t *origin, size_t origin_len, size_t mark)
{
    struct zf_frame *fr = &st->frames[st->depth + 1];
    struct zf_frame *up = &st->frames[st->depth];
    size_t n = strlen(file);
    memcpy(fr->file, file, n + 1);
    fr->text = text;
    fr->len = len;
    fr->pos = 0;
    fr->line = 1;
    fr->line_start = 0;
    fr->paren = false;
    memcpy(fr->origin, origin, origin_len);
    fr->origin_len = origin_len;
    memcpy(fr->owner, up->owner, up->owner_len);
    fr->owner_len = up->owner_len;
    fr->mark = mark;
    st->depth++;
}

/* Builds the store key of an $INCLUDE path: the including file's
 * directory + path, refusing anything that could leave it. */
static int include_key(struct zf *st, const struct zf_tok *t, char *key)
{
    const char *cur = uk__zf_top(st)->file, *slash = strrchr(cur, '/');
    size_t dir = slash != NULL ? (size_t)(slash - cur) + 1 : 0, n, i;
    const char *why = "";
    uint8_t path[UK_KV_KEY_MAX];
    int rc = uk__dns_unescape(t->p, t->n, path, sizeof(path), &n, &why);
    if (rc != 0)
        return uk__zf_fail(st, t, UK_ENAMETOOLONG, "$INCLUDE path: %s", why);
    if (memchr(path, '\0', n) != NULL)
        return uk__zf_fail(st, t, UK_EINVAL, "NUL byte in $INCLUDE path");
    if (n == 0 || path[0] == '/')
        return uk__zf_fail(st, t, UK_EACCES,
                           "$INCLUDE path must be relative to the zone's "
                           "directory");
    for (i = 0; i + 1 < n; i++)
        if (path[i] == '.' && path[i + 1] == '.' &&
            (i == 0 || path[i - 1] == '/') &&
            (i + 2 == n || path[i + 2] == '/'))
            return uk__zf_fail(st, t, UK_EACCES,
                               "'..' in $INCLUDE path: includes stay in the "
                               "zone's directory");
    if (dir + n > UK_KV_KEY_MAX)
        return uk__zf_fail(st, t, UK_ENAMETOOLONG, "$INCLUDE path too long");
    memcpy(key, cur, dir);
    memcpy(key + dir, path, n);
    key[dir + n] = '\0';
    if ((rc = uk_kv_key_check(key)) != 0)
        return uk__zf_fail(st, t, rc, "invalid $INCLUDE path '%s'", key);
    return 0;
}

static int dir_include(struct zf *st, const struct zf_tok *dt)
{
    char key[UK_KV_KEY_MAX + 1];
    uint8_t origin[UK_DNS_NAME_MAX];
    struct zf_frame *fr = uk__zf_top(st);
    struct zf_tok pt, ot;
    size_t olen = fr->origin_len, mark = st->area_used, len;
    const char *text;
    int rc = uk__zf_need(st, &pt, "$INCLUDE file", false);
    if (rc != 0 || (rc = uk__zf_next(st, &ot)) != 0)
        return rc;
    memcpy(origin, fr->origin, olen);
    if (ot.kind == ZF_WORD || ot.kind == ZF_QUOTED) {
        if ((rc = name_field(st, &ot, "$INCLUDE origin", origin, &olen)) !=
                0 ||
            (rc = expect_end(st)) != 0)
            return rc;
    }
    if (st->store == NULL)
        return uk__zf_fail(st, dt, UK_ENOTSUP,
                           "$INCLUDE needs a store to read files from");
    if (st->depth >= UK_DNS_ZONEFILE_DEPTH)
        return uk__zf_fail(st, dt, UK_ELIMIT,
                           "$INCLUDE nested more than %d deep",
                           UK_DNS_ZONEFILE_DEPTH);
    if (++st->includes > UK_DNS_ZONEFILE_INCLUDES)
        return uk__zf_fail(st, dt, UK_ELIMIT, "more than %d $INCLUDEs",
                           UK_DNS_ZONEFILE_INCLUDES);
    if ((rc = include_key(st, &pt, key)) != 0 ||
        (rc = read_text(st, &pt, key, &text, &len)) != 0)
        return rc;
    push(st, key, text, len, origin, olen, mark);
    return 0;
}

static int directive(struct zf *st, const struct zf_tok *dt)
{
    struct zf_frame *fr = uk__zf_top(st);
    struct zf_tok t;
    const char *why = "";
    int rc;
    if (dt->n == 7 && memcmp(dt->p, "$ORIGIN", 7) == 0) {
        uint8_t origin[UK_DNS_NAME_MAX];
        size_t olen;
        if ((rc = uk__zf_need(st, &t, "$ORIGIN name", true)) != 0 ||
            (rc = name_field(st, &t, "$ORIGIN", origin, &olen)) != 0)
            return rc;
        memcpy(fr->origin, origin, olen);
        fr->origin_len = olen;
        return expect_end(st);
    }
    if (dt->n == 4 && memcmp(dt->p, "$TTL", 4) == 0) {
        if ((rc = uk__zf_need(st, &t, "$TTL value", true)) != 0)
            return rc;
        if ((rc = uk__dns_ttl_parse(t.p, t.n, TTL_MAX, &st->ttl_default,
                                    &why)) != 0)
            return uk__zf_fail(st, &t, rc, "$TTL: %s", why);
        st->ttl_directive = true;
        return expect_end(st);
    }
    if (dt->n == 8 && memcmp(dt->p, "$INCLUDE", 8) == 0)
        return dir_include(st, dt);
    return uk__zf_fail(st, dt, UK_ENOTSUP, "unsupported directive '%.*s'",
                       (int)(dt->n > 20 ? 20 : dt->n), dt->p);
}

/* 1: class IN, -1: another class, 0: not a class. */
static int class_of(const struct zf_tok *t)
{
    static const char *const others[] = {"CH", "HS", "CS", "NONE", "ANY"};
    char up[8];
    size_t i;
    if (t->kind != ZF_WORD || t->n >= sizeof(up))
        return 0;
    for (i = 0; i < t->n; i++)
        up[i] =
            (char)(t->p[i] >= 'a' && t->p[i] <= 'z' ? t->p[i] - 32 : t->p[i]);
    up[i] = '\0';
    if (strcmp(up, "IN") == 0 || strcmp(up, "CLASS1") == 0)
        return 1;
    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        if (strcmp(up, others[i]) == 0)
            return -1;
    return strncmp(up, "CLASS", 5) == 0 && t->n > 5 ? -1 : 0;
}

/* Reads [TTL] [class] in either order, then the type, starting at t. */
static int ttl_class_type(struct zf *st, struct zf_tok *t, uint32_t *ttl,
                          bool *has_ttl, uint16_t *type)
{
    bool has_class = false;
    const char *why = "";
    int rc, k;
    for (;;) {
        if (t->kind == ZF_QUOTED)
            return uk__zf_fail(st, t, UK_EPROTO,
                               "expected a type, found a "
                               "quoted string");
        if (t->p[0] >= '0' && t->p[0] <= '9' && !*has_ttl) {
            if ((rc = uk__dns_ttl_parse(t->p, t->n, TTL_MAX, ttl, &why)))
                return uk__zf_fail(st, t, rc, "TTL: %s", why);
            *has_ttl = true;
        } else if ((k = class_of(t)) != 0 && !has_class) {
            if (k < 0)
                return uk__zf_fail(st, t, UK_ENOTSUP,
                                   "class '%.*s' not supported: only IN",
                                   (int)t->n, t->p);
            has_class = true;
        } else {
            break;
        }
        if ((rc = uk__zf_need(st, t, "type", true)) != 0)
            return rc;
    }
    if (!uk__dns_type_from_text(t->p, t->n, type))
        return uk__zf_fail(st, t, UK_EPROTO, "unknown type '%.*s'",
                           (int)(t->n > 40 ? 40 : t->n), t->p);
    if (*type == 0 || *type == UK_DNS_OPT || (*type >= 128 && *type <= 255))
        return uk__zf_fail(st, t, UK_ENOTSUP, "TYPE%u cannot appear in a zone",
                           (unsigned)*type);
    return 0;
}

/* One entry starting with t (not EOL/EOF). */
static int entry(struct zf *st, struct zf_tok *t)
{
    struct zf_frame *fr = uk__zf_top(st);
    struct uk_dns_rr rr;
    struct zf_tok at = *t;
    uint32_t ttl = 0;
    bool has_ttl = false;
    uint16_t type;
    size_t rdlen;
    int rc;
    if (t->col == 1) {
        if (t->kind == ZF_WORD && t->p[0] == '$')
            return directive(st, t);
        if ((rc = name_field(st, t, "owner", fr->owner, &fr->owner_len)) ||
            (rc = uk__zf_need(st, t, "type", true)))
            return rc;
    } else if (fr->owner_len == 0) {
        return uk__zf_fail(st, t, UK_EPROTO,
                           "no owner name: the first record must have one");
    }
    if ((rc = ttl_class_type(st, t, &ttl, &has_ttl, &type)) != 0 ||
        (rc = uk__zf_rdata(st, type, &rdlen)) != 0)
        return rc;
    if (has_ttl && !st->ttl_directive)
        st->ttl_default = ttl; /* RFC 1035 §5.1: the last stated TTL */
    rr.owner = fr->owner;
    rr.owner_len = fr->owner_len;
    rr.type = type;
    rr.rclass = UK_DNS_IN;
    rr.ttl = has_ttl ? ttl : st->ttl_default;
    rr.rdata = st->rdata;
    rr.rdlen = (uint16_t)rdlen;
    if ((rc = st->cb(st->arg, &rr)) != 0)
        return uk__zf_fail(st, &at, rc, "record refused: %s", uk_strerror(rc));
    return 0;
}

static int run(struct zf *st)
{
    struct zf_tok t;
    int rc;
    for (;;) {
        if ((rc = uk__zf_next(st, &t)) != 0)
            return rc;
        if (t.kind == ZF_EOL)
            continue;
        if (t.kind == ZF_EOF) {
            if (st->depth == 0)
                return 0;
            st->area_used = uk__zf_top(st)->mark;
            st->depth--;
            continue;
        }
        if ((rc = entry(st, &t)) != 0)
            return rc;
    }
}

/* Sets up the state in scratch; frame 0 is named file with no text yet. */
static int setup(struct zf **out, const char *file, struct uk_kv_ro *store,
                 const uint8_t *origin, uint32_t default_ttl, void *scratch,
                 size_t scratch_len, uk_dns_rr_cb cb, void *arg,
                 struct uk_dns_zonefile_error *err)
{
    uintptr_t a = (uintptr_t)scratch, pad = (16 - a % 16) % 16;
    struct zf *st;
    size_t n = strlen(file), olen = 0;
    assert(err != NULL && cb != NULL && file != NULL);
    memset(err, 0, sizeof(*err));
    memcpy(err->file, file, n < sizeof(err->file) ? n : sizeof(err->file) - 1);
    if (scratch_len < UK_DNS_ZONEFILE_SCRATCH) {
        snprintf(err->message, sizeof err->message,
                 "scratch smaller than UK_DNS_ZONEFILE_SCRATCH");
        return UK_EINVAL;
    }
    if (n > UK_KV_KEY_MAX) {
        snprintf(err->message, sizeof err->message,
                 "file name too long");
        return UK_ENAMETOOLONG;
    }
    if (origin != NULL &&
        (olen = uk__dns_name_wire_len(origin, UK_DNS_NAME_MAX)) == 0) {
        snprintf(err->message, sizeof err->message,
                 "origin is not a valid wire-format name");
        return UK_EINVAL;
    }
    st = (struct zf *)(void *)((uint8_t *)scratch + pad);
    memset(st, 0, sizeof(*st) - sizeof(st->rdata));
    st->store = store;
    st->cb = cb;
    st->arg = arg;
    st->err = err;
    st->ttl_default = default_ttl;
    st->area = (uint8_t *)st + sizeof(*st);
    st->area_len = scratch_len - pad - sizeof(*st);
    memcpy(st->frames[0].file, file, n + 1);
    if (olen > 0)
        memcpy(st->frames[0].origin, origin, olen);
    st->frames[0].origin_len = olen;
    st->frames[0].line = 1;
    *out = st;
    return 0;
}

int uk_dns_zonefile_parse(const char *file, const char *text, size_t len,
                          struct uk_kv_ro *store, const uint8_t *origin,
                          uint32_t default_ttl, void *scratch,
                          size_t scratch_len, uk_dns_rr_cb cb, void *arg,
                          struct uk_dns_zonefile_error *err)
{
    struct zf *st;
    int rc = setup(&st, file, store, origin, default_ttl, scratch, scratch_len,
                   cb, arg, err);
    if (rc != 0)
        return rc;
    st->frames[0].text = text;
    st->frames[0].len = len;
    return run(st);
}

int uk_dns_zonefile_load(struct uk_kv_ro *store, const char *key,
                         const uint8_t *origin, uint32_t default_ttl,
                         void *scratch, size_t scratch_len, uk_dns_rr_cb cb,
                         void *arg, struct uk_dns_zonefile_error *err)
{
    struct zf *st;
    int rc = setup(&st, key, store, origin, default_ttl, scratch, scratch_len,
                   cb, arg, err);
    if (rc != 0)
        return rc;
    if ((rc = uk_kv_key_check(key)) != 0)
        return uk__zf_fail(st, NULL, rc, "invalid key '%s'", key);
    rc = read_text(st, NULL, key, &st->frames[0].text, &st->frames[0].len);
    if (rc != 0)
        return rc;
    return run(st);
}
