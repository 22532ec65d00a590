/*
 * zonefile_fuzz.c - libFuzzer target for the zone-file parser.  The input
 * is the text of "z/main.zone", origin example.com.; $INCLUDE reaches a
 * fake store holding "z/self.zone" (the input itself again, so includes
 * recurse to the depth limit), "z/sub/a.zone" (a small fixed zone) and a
 * directory "z/sub".  Every record handed over is checked for the
 * parser's guarantees; a failed check aborts.
 *
 * tests/dns/test_zonefile_fuzz.c includes this file and calls
 * uk__zonefile_fuzz_one() on the seeds and on mutations, so CI runs it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/dns_zonefile.h>
#include <uk/kv_ro.h>

struct zf_fuzz_kv {
    struct uk_kv_ro kv;
    const uint8_t *self;
    size_t self_len;
};

static const char zf_fuzz_sub[] = "@ 60 IN A 192.0.2.1\n"
                                  "  MX 10 mail\n"
                                  "x TXT \"in sub\" (\n more )\n";

/* The value of key (NULL for the directory), or not found. */
static int zf_fuzz_find(struct uk_kv_ro *self, const char *key,
                        const uint8_t **data, size_t *len)
{
    struct zf_fuzz_kv *f = UK_CONTAINER_OF(self, struct zf_fuzz_kv, kv);
    int rc = uk_kv_key_check(key);
    if (rc != 0)
        return rc;
    if (strcmp(key, "z/self.zone") == 0) {
        *data = f->self;
        *len = f->self_len;
    } else if (strcmp(key, "z/sub/a.zone") == 0) {
        *data = (const uint8_t *)zf_fuzz_sub;
        *len = sizeof(zf_fuzz_sub) - 1;
    } else if (strcmp(key, "z/sub") == 0) {
        *data = NULL;
        *len = 0;
    } else {
        return UK_ENOENT;
    }
    return 0;
}

static const char *zf_fuzz_id(struct uk_kv_ro *self)
{
    (void)self;
    return "fuzz-kv";
}

static void zf_fuzz_disconnect(struct uk_kv_ro *self, uk_done_cb cb, void *arg)
{
    (void)self;
    (void)cb;
    (void)arg;
}

static int zf_fuzz_stat(struct uk_kv_ro *self, const char *key,
                        struct uk_kv_stat *out)
{
    const uint8_t *data;
    size_t len;
    int rc = zf_fuzz_find(self, key, &data, &len);
    if (rc != 0)
        return rc;
    memset(out, 0, sizeof(*out));
    out->kind = strcmp(key, "z/sub") == 0 ? UK_KV_DIR : UK_KV_FILE;
    out->size = len;
    return 0;
}

static int zf_fuzz_read(struct uk_kv_ro *self, const char *key,
                        uint64_t offset, void *buf, size_t len, size_t *got)
{
    const uint8_t *data;
    size_t n;
    int rc = zf_fuzz_find(self, key, &data, &n);
    if (rc != 0)
        return rc;
    if (strcmp(key, "z/sub") == 0)
        return UK_EISDIR;
    *got = 0;
    if (offset < n) {
        *got = n - (size_t)offset < len ? n - (size_t)offset : len;
        memcpy(buf, data + offset, *got);
    }
    return 0;
}

static int zf_fuzz_list(struct uk_kv_ro *self, const char *dir, size_t index,
                        struct uk_kv_entry *out)
{
    (void)self;
    (void)dir;
    (void)index;
    (void)out;
    return UK_ENOENT;
}

static const struct uk_kv_ro_ops zf_fuzz_ops = {
    .id = zf_fuzz_id,
    .disconnect = zf_fuzz_disconnect,
    .stat = zf_fuzz_stat,
    .read = zf_fuzz_read,
    .list = zf_fuzz_list,
};

/* Checks what the parser promises about each record. */
static int zf_fuzz_check(void *arg, const struct uk_dns_rr *rr)
{
    size_t i = 0;
    unsigned *count = (unsigned *)arg;
    if (rr->owner_len == 0 || rr->owner_len > UK_DNS_NAME_MAX)
        abort();
    while (rr->owner[i] != 0) { /* a valid name ending exactly at the end */
        if (rr->owner[i] > UK_DNS_LABEL_MAX ||
            i + 1 + rr->owner[i] >= rr->owner_len)
            abort();
        i += 1u + rr->owner[i];
    }
    if (i + 1 != rr->owner_len || rr->rclass != UK_DNS_IN ||
        rr->ttl > 2147483647u || (rr->rdlen > 0 && rr->rdata == NULL))
        abort();
    if ((rr->type == UK_DNS_A && rr->rdlen != 4) ||
        (rr->type == UK_DNS_AAAA && rr->rdlen != 16))
        abort();
    (*count)++;
    return *count == 5000 ? UK_ELIMIT : 0; /* exercise the callback stop */
}

/* Scratch with room for a few included copies of the input. */
static uint8_t zf_fuzz_scratch[UK_DNS_ZONEFILE_SCRATCH + 256 * 1024];

int uk__zonefile_fuzz_one(const uint8_t *data, size_t size);
int uk__zonefile_fuzz_one(const uint8_t *data, size_t size)
{
    static const uint8_t origin[] = "\7example\3com";
    struct zf_fuzz_kv kv;
    struct uk_dns_zonefile_error err;
    unsigned count = 0;
    int rc;
    kv.kv.ops = &zf_fuzz_ops;
    kv.self = data;
    kv.self_len = size;
    rc = uk_dns_zonefile_parse(
        "z/main.zone", (const char *)data, size, &kv.kv, origin, 3600,
        zf_fuzz_scratch, sizeof(zf_fuzz_scratch), zf_fuzz_check, &count, &err);
    if (rc > 0 || memchr(err.message, '\0', sizeof(err.message)) == NULL ||
        memchr(err.file, '\0', sizeof(err.file)) == NULL ||
        (rc != 0 && err.message[0] == '\0'))
        abort();
    return rc;
}

#ifndef UK_ZONEFILE_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uk__zonefile_fuzz_one(data, size);
    return 0;
}
#endif
