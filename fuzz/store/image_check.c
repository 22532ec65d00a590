/*
 * image_check.c - a uk_kvstore on untrusted device images (image_check.h).
 */
#include <string.h>

#include <uk/blockmem.h>
#include <uk/kvstore.h>
#include <uk/loop.h>

#include "format.h"
#include "image_check.h"

static uint8_t image[IMAGE_BYTES];
static uint8_t mem[3 * IMAGE_RECORD_MAX + 64 * 1024];
static uint8_t val[IMAGE_RECORD_MAX];

struct ctx {
    struct uk_clock clock;
    uint64_t now;
    struct uk_loop loop;
    struct uk_block_mem dev;
    struct uk_kvstore st;
    struct uk_kvstore_config cfg;
    int status, calls;
};
static struct ctx C;
unsigned long store_image_opened;

static uint64_t mono(struct uk_clock *self)
{
    UK_UNUSED(self);
    return ++C.now;
}

static int64_t wall(struct uk_clock *self)
{
    UK_UNUSED(self);
    return 0;
}

static const struct uk_clock_ops clock_ops = {.monotonic_ns = mono,
                                              .wall_ns = wall};

static void done(void *arg, int status)
{
    UK_UNUSED(arg);
    C.status = status;
    C.calls++;
}

/* Runs the loop dry; the status of the one callback, or the call's. */
static int wait(int rc)
{
    if (rc != 0)
        return rc;
    C.calls = 0;
    (void)uk_loop_run(&C.loop);
    return C.calls == 1 ? C.status : -1000;
}

static void setup(void)
{
    memset(&C, 0, sizeof C);
    C.clock.ops = &clock_ops;
    uk_loop_init(&C.loop, &C.clock, NULL);
    uk_block_mem_init(&C.dev, &C.loop.time, image, IMAGE_SS, IMAGE_SECTORS);
    uk_kvstore_config_default(&C.cfg);
    C.cfg.record_max = IMAGE_RECORD_MAX;
    C.cfg.max_keys = 64;
    C.cfg.key_bytes = 4096;
}

static int open_store(bool create)
{
    C.cfg.create = create;
    C.calls = 0;
    return wait(uk_kvstore_open(&C.st, &C.dev.blk, &C.loop.time, &C.cfg, mem,
                                sizeof mem, done, NULL));
}

static void close_store(void)
{
    uk_kv_rw_disconnect(&C.st.kv, NULL, NULL);
    (void)uk_loop_run(&C.loop);
}

static int commit_put(const char *key, const char *v)
{
    static uint8_t tb[512];
    static struct uk_kv_rw_req req;
    struct uk_kv_txn t;
    uk_kv_txn_init(&t, tb, sizeof tb);
    uk_kv_txn_info(&t, 7, "fuzz");
    (void)uk_kv_txn_put(&t, key, v, strlen(v));
    return wait(uk_kv_rw_commit(&C.st.kv, &req, &t, NULL, done, NULL));
}

static int read_key(const struct uk_kv_commit *at, const char *key,
                    size_t *got)
{
    static struct uk_kv_rw_req req;
    int rc = at != NULL ? uk_kv_rw_read_at(&C.st.kv, &req, at, key, 0, val,
                                           sizeof val, done, NULL)
                        : uk_kv_rw_read(&C.st.kv, &req, key, 0, val,
                                        sizeof val, done, NULL);
    rc = wait(rc);
    *got = req.got;
    return rc;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Makes the checksums (and the records' chaining) right. */
static void fix_up(void)
{
    unsigned z, i;
    for (i = 0; i < 2; i++) {
        uint8_t *sb = image + i * IMAGE_SS;
        if (memcmp(sb, "ukstore1", 8) == 0)
            put32(sb + 60, kvs_crc32c(0, sb, 60));
    }
    for (z = 0; z < 2; z++) {
        uint8_t *zone = image + (2 + z * IMAGE_ZONE) * IMAGE_SS;
        uint64_t pos = 0, prev = KVS_NONE;
        uint32_t crc = 0, body;
        while (pos < IMAGE_ZONE * IMAGE_SS &&
               memcmp(zone + pos, "ukrc", 4) == 0) {
            uint8_t *r = zone + pos;
            uint64_t size;
            body = (uint32_t)r[48] | (uint32_t)r[49] << 8 |
                   (uint32_t)r[50] << 16 | (uint32_t)r[51] << 24;
            size = kvs_record_size(body, IMAGE_SS);
            if (body > IMAGE_RECORD_MAX - KVS_HDR_LEN ||
                size > IMAGE_ZONE * IMAGE_SS - pos)
                break;
            put32(r + 32, (uint32_t)prev);
            put32(r + 36, (uint32_t)(prev >> 32));
            put32(r + 56, crc);
            crc = kvs_record_crc(r, r + KVS_HDR_LEN, body);
            put32(r + 60, crc);
            prev = pos;
            pos += size;
        }
    }
}

/* Reads every key under dir (depth-bounded); remembers one in first. */
static int walk(const char *dir, int depth, char *first)
{
    struct uk_kv_entry e;
    struct uk_kv_stat sb;
    char key[UK_KV_KEY_MAX + 1];
    size_t i, got, dlen = strlen(dir);
    for (i = 0; i < 64 && uk_kv_rw_list(&C.st.kv, dir, i, &e) == 0; i++) {
        size_t nlen = strlen(e.name);
        if (dlen + 1 + nlen > UK_KV_KEY_MAX)
            return -1;
        memcpy(key, dir, dlen);
        key[dlen] = '/';
        memcpy(key + (dlen ? dlen + 1 : 0), e.name, nlen + 1);
        if (uk_kv_rw_stat(&C.st.kv, key, &sb) != 0)
            return -1; /* list named it */
        if (e.kind == UK_KV_DIR) {
            if (depth < 8 && walk(key, depth + 1, first) != 0)
                return -1;
            continue;
        }
        if (read_key(NULL, key, &got) != 0 ||
            got != (sb.size < sizeof val ? sb.size : sizeof val))
            return -1;
        if (first[0] == '\0')
            memcpy(first, key, strlen(key) + 1);
    }
    return 0;
}

int store_image_check(const uint8_t *data, size_t n)
{
    static struct uk_kv_rw_req req;
    struct uk_kv_commit c;
    char first[UK_KV_KEY_MAX + 1] = "";
    size_t got;
    int i, rc;
    memset(image, 0, sizeof image);
    memcpy(image, data, n < sizeof image ? n : sizeof image);
    if (n > IMAGE_BYTES && (data[IMAGE_BYTES] & 1))
        fix_up();
    setup();
    if (open_store(false) != 0)
        return 0;
    store_image_opened++;
    if (walk("", 0, first) != 0)
        return -1;
    uk_kv_rw_head(&C.st.kv, &c);
    for (i = 0; i < 64; i++) {
        if (first[0] != '\0') {
            rc = read_key(&c, first, &got);
            if (got > sizeof val || (rc != 0 && rc != UK_ENOENT))
                return -1;
        }
        if (wait(uk_kv_rw_parent(&C.st.kv, &req, &c, done, NULL)) != 0)
            break;
    }
    rc = commit_put("fuzz/x", "y");
    if (rc == 0) {
        close_store();
        if (open_store(false) != 0 || read_key(NULL, "fuzz/x", &got) != 0 ||
            got != 1 || val[0] != 'y')
            return -1;
        rc = wait(uk_kv_rw_compact(&C.st.kv, &req, done, NULL));
        if (rc == 0) {
            close_store();
            if (open_store(false) != 0 ||
                read_key(NULL, "fuzz/x", &got) != 0 || got != 1)
                return -1;
        }
    }
    close_store();
    return 0;
}

void store_image_make(uint8_t *out, int variant)
{
    static struct uk_kv_rw_req req;
    char key[32], v[64];
    int i;
    memset(image, 0, sizeof image);
    setup();
    (void)open_store(true);
    for (i = 0; i < 6 + variant * 3; i++) {
        memcpy(key, "dir/", 4);
        key[4] = (char)('a' + i % 5);
        key[5] = variant == 2 ? '/' : '\0';
        key[6] = 'z';
        key[7] = '\0';
        memset(v, 'a' + i, sizeof v);
        v[10 + i] = '\0';
        (void)commit_put(i % 2 ? key : "top", v);
        if (variant == 1 && i == 4)
            (void)wait(uk_kv_rw_compact(&C.st.kv, &req, done, NULL));
    }
    close_store();
    memcpy(out, image, sizeof image);
}
