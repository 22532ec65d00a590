/*
 * proto.c - kvd's command parser (proto.h).  Untrusted bytes: every
 * length is checked before use; fuzzed by fuzz/kvd.
 */
#include <string.h>

#include <uk/err.h>

#include "proto.h"

struct cursor {
    const uint8_t *p, *end;
};

static void skip_spaces(struct cursor *c)
{
    while (c->p < c->end && *c->p == ' ')
        c->p++;
}

/* The next word (up to a space or the end); empty at the end. */
static size_t next_word(struct cursor *c, const uint8_t **word)
{
    const uint8_t *w;
    skip_spaces(c);
    w = c->p;
    while (c->p < c->end && *c->p != ' ')
        c->p++;
    *word = w;
    return (size_t)(c->p - w);
}

static int word_is(const uint8_t *w, size_t n, const char *name)
{
    size_t i;
    if (n != strlen(name))
        return 0;
    for (i = 0; i < n; i++) {
        uint8_t ch = w[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (uint8_t)(ch - 'a' + 'A');
        if (ch != (uint8_t)name[i])
            return 0;
    }
    return 1;
}

/* A key into out; with is_dir, a directory: may be empty (the root), and
 * one leading and one trailing "/" are dropped ("/", "/a/" name "", "a"). */
static int parse_key(struct cursor *c, char *out, int is_dir,
                     const char **why)
{
    const uint8_t *w;
    size_t n = next_word(c, &w);
    int allow_empty = is_dir;
    if (is_dir && n > 0 && w[0] == '/') {
        w++;
        n--;
    }
    if (is_dir && n > 0 && w[n - 1] == '/')
        n--;
    if (n == 0 && !allow_empty) {
        *why = "missing key";
        return UK_EINVAL;
    }
    if (n > UK_KV_KEY_MAX) {
        *why = "key too long";
        return UK_EINVAL;
    }
    if (memchr(w, '\0', n) != NULL) {
        *why = "invalid key";
        return UK_EINVAL;
    }
    memcpy(out, w, n);
    out[n] = '\0';
    if (n > 0 && uk_kv_key_check(out) != 0) {
        *why = "invalid key";
        return UK_EINVAL;
    }
    return 0;
}

/* A decimal number up to max; an empty word is "absent" (1). */
static int parse_num(struct cursor *c, uint64_t max, uint64_t *out,
                     const char **why)
{
    const uint8_t *w;
    size_t n = next_word(c, &w), i;
    uint64_t v = 0;
    if (n == 0)
        return 1;
    for (i = 0; i < n; i++) {
        if (w[i] < '0' || w[i] > '9' || v > (max - (w[i] - '0')) / 10) {
            *why = "bad number";
            return UK_EINVAL;
        }
        v = v * 10 + (uint64_t)(w[i] - '0');
    }
    *out = v;
    return 0;
}

static int at_end(struct cursor *c, const char **why)
{
    skip_spaces(c);
    if (c->p != c->end) {
        *why = "too many arguments";
        return UK_EINVAL;
    }
    return 0;
}

int kvd_parse(const void *line, size_t len, struct kvd_cmd *out,
              const char **why)
{
    struct cursor c;
    const uint8_t *w;
    size_t n;
    int rc;
    c.p = (const uint8_t *)line;
    c.end = c.p + len;
    out->key[0] = '\0';
    out->val = NULL;
    out->val_len = 0;
    out->n = 0;
    n = next_word(&c, &w);
    if (n == 0) {
        *why = "empty command (try HELP)";
        return UK_EINVAL;
    }
    if (word_is(w, n, "SET")) {
        out->op = KVD_SET;
        if ((rc = parse_key(&c, out->key, 0, why)) != 0)
            return rc;
        if (c.p == c.end) {
            *why = "missing value (SET key value)";
            return UK_EINVAL;
        }
        out->val = c.p + 1; /* past the one space after the key */
        out->val_len = (size_t)(c.end - out->val);
        return 0;
    }
    if (word_is(w, n, "DEL") || word_is(w, n, "GET")) {
        out->op = word_is(w, n, "DEL") ? KVD_DEL : KVD_GET;
        if ((rc = parse_key(&c, out->key, 0, why)) != 0)
            return rc;
        return at_end(&c, why);
    }
    if (word_is(w, n, "GETAT")) {
        out->op = KVD_GETAT;
        rc = parse_num(&c, UINT64_MAX, &out->n, why);
        if (rc == 1) {
            *why = "missing commit (GETAT commit key)";
            return UK_EINVAL;
        }
        if (rc != 0)
            return rc;
        if ((rc = parse_key(&c, out->key, 0, why)) != 0)
            return rc;
        return at_end(&c, why);
    }
    if (word_is(w, n, "LOG")) {
        out->op = KVD_LOG;
        out->n = 10;
        rc = parse_num(&c, KVD_LOG_MAX, &out->n, why);
        if (rc == UK_EINVAL)
            *why = "LOG wants a count of at most 1000";
        if (rc < 0)
            return rc;
        return at_end(&c, why);
    }
    if (word_is(w, n, "LIST")) {
        out->op = KVD_LIST;
        if ((rc = parse_key(&c, out->key, 1, why)) != 0)
            return rc;
        return at_end(&c, why);
    }
    if (word_is(w, n, "HELP") || word_is(w, n, "QUIT")) {
        out->op = word_is(w, n, "HELP") ? KVD_HELP : KVD_QUIT;
        return at_end(&c, why);
    }
    *why = "unknown command (try HELP)";
    return UK_EINVAL;
}
