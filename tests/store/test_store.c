/*
 * test_store.c - uk_kvstore over an in-memory device: commits, reads,
 * directories, history, reopening, compaction, limits and errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/blockfault.h>
#include <uk/blockmem.h>
#include <uk/kvstore.h>

#include "store_env.h"

#define SS 512u
#define SECTORS 2050u /* 2 superblocks + 2 zones of 1024 sectors */

static uint8_t disk[SECTORS * SS];
static uint8_t mem[1 << 20];
static struct uk_block_mem dev;
static struct uk_kvstore st;
static struct uk_kvstore_config cfg;
static uint8_t tbuf[16384];

static int setup(void **state)
{
    (void)state;
    memset(disk, 0, sizeof disk);
    env_init();
    uk_block_mem_init(&dev, &E.loop.time, disk, SS, SECTORS);
    uk_kvstore_config_default(&cfg);
    cfg.record_max = 8192;
    cfg.max_keys = 64;
    cfg.key_bytes = 2048;
    return 0;
}

static struct uk_kv_rw *open_store(void)
{
    assert_int_equal(env_open(&st, &dev.blk, &cfg, mem, sizeof mem), 0);
    return &st.kv;
}

static void put(struct uk_kv_rw *kv, const char *key, const char *val,
                const char *msg)
{
    struct uk_kv_txn t;
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    uk_kv_txn_info(&t, 100, msg);
    assert_int_equal(uk_kv_txn_put(&t, key, val, strlen(val)), 0);
    assert_int_equal(env_commit(kv, &t, NULL), 0);
}

static void expect(struct uk_kv_rw *kv, const char *key, const char *val)
{
    char buf[256];
    assert_int_equal(env_get_str(kv, key, buf, sizeof buf), 0);
    assert_string_equal(buf, val);
}

static void test_empty(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_commit c;
    struct uk_kv_stat sb;
    struct uk_kv_entry ent;
    char buf[8];
    (void)state;
    cfg.create = false;
    assert_int_equal(env_open(&st, &dev.blk, &cfg, mem, sizeof mem),
                     UK_ENOENT);
    cfg.create = true;
    kv = open_store();
    uk_kv_rw_head(kv, &c);
    assert_true(c.id == 0 && c.parent == 0);
    assert_int_equal(uk_kv_rw_stat(kv, "", &sb), 0);
    assert_int_equal(sb.kind, UK_KV_DIR);
    assert_int_equal(uk_kv_rw_list(kv, "", 0, &ent), UK_ENOENT);
    assert_int_equal(env_get_str(kv, "a", buf, sizeof buf), UK_ENOENT);
    assert_int_equal(env_parent(kv, &c), UK_ENOENT);
    env_close(kv);
}

static void test_commit_read_list(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_txn t;
    struct uk_kv_commit c;
    struct uk_kv_stat sb;
    struct uk_kv_entry ent;
    char buf[64];
    size_t got;
    (void)state;
    kv = open_store();
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    uk_kv_txn_info(&t, 1234, "first");
    assert_int_equal(uk_kv_txn_put(&t, "a.txt", "alpha", 5), 0);
    assert_int_equal(uk_kv_txn_put(&t, "a/x", "ax", 2), 0);
    assert_int_equal(uk_kv_txn_put(&t, "a/y/z", "deep", 4), 0);
    assert_int_equal(uk_kv_txn_put(&t, "empty", "", 0), 0);
    assert_int_equal(uk_kv_txn_put(&t, "gone", "soon", 4), 0);
    assert_int_equal(uk_kv_txn_del(&t, "gone"), 0);
    assert_int_equal(env_commit(kv, &t, &c), 0);
    assert_true(c.id == 1 && c.parent == 0 && c.time_s == 1234);
    assert_string_equal(c.msg, "first");
    expect(kv, "a.txt", "alpha");
    expect(kv, "a/x", "ax");
    expect(kv, "a/y/z", "deep");
    expect(kv, "empty", "");
    assert_int_equal(env_get_str(kv, "gone", buf, sizeof buf), UK_ENOENT);
    /* Ranges. */
    assert_int_equal(env_read(kv, "a.txt", 2, buf, 2, &got), 0);
    assert_int_equal(got, 2);
    assert_memory_equal(buf, "ph", 2);
    assert_int_equal(env_read(kv, "a.txt", 9, buf, 2, &got), 0);
    assert_int_equal(got, 0);
    /* stat and list, as KV_RO has them: sorted by name, dirs implied. */
    assert_int_equal(uk_kv_rw_stat(kv, "a.txt", &sb), 0);
    assert_true(sb.kind == UK_KV_FILE && sb.size == 5 && sb.mtime_s == 1234);
    assert_int_equal(uk_kv_rw_stat(kv, "a", &sb), 0);
    assert_int_equal(sb.kind, UK_KV_DIR);
    assert_int_equal(uk_kv_rw_stat(kv, "a/q", &sb), UK_ENOENT);
    assert_int_equal(uk_kv_rw_stat(kv, "../x", &sb), UK_EINVAL);
    assert_int_equal(uk_kv_rw_list(kv, "", 0, &ent), 0);
    assert_string_equal(ent.name, "a");
    assert_int_equal(ent.kind, UK_KV_DIR);
    assert_int_equal(uk_kv_rw_list(kv, "", 1, &ent), 0);
    assert_string_equal(ent.name, "a.txt");
    assert_int_equal(ent.kind, UK_KV_FILE);
    assert_int_equal(uk_kv_rw_list(kv, "", 2, &ent), 0);
    assert_string_equal(ent.name, "empty");
    assert_int_equal(uk_kv_rw_list(kv, "", 3, &ent), UK_ENOENT);
    assert_int_equal(uk_kv_rw_list(kv, "a", 0, &ent), 0);
    assert_string_equal(ent.name, "x");
    assert_int_equal(uk_kv_rw_list(kv, "a", 1, &ent), 0);
    assert_string_equal(ent.name, "y");
    assert_int_equal(ent.kind, UK_KV_DIR);
    assert_int_equal(uk_kv_rw_list(kv, "a", 2, &ent), UK_ENOENT);
    assert_int_equal(uk_kv_rw_list(kv, "a.txt", 0, &ent), UK_ENOTDIR);
    assert_int_equal(uk_kv_rw_list(kv, "nope", 0, &ent), UK_ENOENT);
    env_close(kv);
}

static void test_history_and_reopen(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_txn t;
    struct uk_kv_commit c, ids[8];
    char buf[32], want[32];
    size_t got;
    int i;
    (void)state;
    kv = open_store();
    for (i = 1; i <= 5; i++) {
        snprintf(want, sizeof want, "v%d", i);
        snprintf(buf, sizeof buf, "commit %d", i);
        put(kv, "k", want, buf);
        if (i == 3)
            put(kv, "other", "o", "side");
    }
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_del(&t, "k"), 0);
    assert_int_equal(env_commit(kv, &t, NULL), 0);
    for (int pass = 0; pass < 2; pass++) {
        /* Walk the history from the head: 7 commits and the root. */
        uk_kv_rw_head(kv, &c);
        assert_true(c.id == 7);
        for (i = 7; i >= 0; i--) {
            assert_true(c.id == (uint64_t)i);
            if (i < 8)
                ids[i < 8 ? i : 0] = c;
            if (i > 0)
                assert_int_equal(env_parent(kv, &c), 0);
        }
        assert_int_equal(env_parent(kv, &c), UK_ENOENT);
        assert_string_equal(ids[4].msg, "side");
        assert_string_equal(ids[5].msg, "commit 4");
        /* Every version of k. */
        assert_int_equal(env_read_at(kv, &ids[1], "k", buf, sizeof buf, &got),
                         0);
        assert_memory_equal(buf, "v1", 2);
        assert_int_equal(env_read_at(kv, &ids[4], "k", buf, sizeof buf, &got),
                         0);
        assert_memory_equal(buf, "v3", 2);
        assert_int_equal(env_read_at(kv, &ids[6], "k", buf, sizeof buf, &got),
                         0);
        assert_memory_equal(buf, "v5", 2);
        assert_int_equal(env_read_at(kv, &ids[7], "k", buf, sizeof buf, &got),
                         UK_ENOENT);
        assert_int_equal(env_read_at(kv, &ids[0], "k", buf, sizeof buf, &got),
                         UK_ENOENT);
        assert_int_equal(env_read_at(kv, &ids[3], "other", buf, sizeof buf,
                                     &got),
                         UK_ENOENT);
        assert_int_equal(env_read_at(kv, &ids[4], "other", buf, sizeof buf,
                                     &got),
                         0);
        /* A commit known only by its id is found by walking back. */
        c = ids[2];
        c.where[0] = 0;
        assert_int_equal(env_read_at(kv, &c, "k", buf, sizeof buf, &got), 0);
        assert_memory_equal(buf, "v2", 2);
        expect(kv, "other", "o");
        env_close(kv);
        kv = open_store(); /* and again after reopening */
    }
    env_close(kv);
}

static void test_compaction(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_commit c, old;
    char key[16], val[600];
    size_t got;
    uint64_t gen;
    int i;
    (void)state;
    kv = open_store();
    put(kv, "keep", "forever", "k");
    uk_kv_rw_head(kv, &old);
    gen = st.gen;
    /* Overwrite 20 keys many times: far more than a zone holds. */
    for (i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "d/%d", i % 20);
        memset(val, 'a' + i % 26, sizeof val - 1);
        snprintf(val, 12, "%11d", i);
        val[11] = '-';
        val[sizeof val - 1] = '\0';
        put(kv, key, val, "overwrite");
    }
    assert_true(st.gen > gen + 2); /* compacted several times */
    for (i = 1980; i < 2000; i++) {
        snprintf(key, sizeof key, "d/%d", i % 20);
        assert_int_equal(env_get_str(kv, key, (char *)tbuf, sizeof val), 0);
        assert_int_equal(atoi((char *)tbuf), i);
    }
    expect(kv, "keep", "forever");
    /* History before the last compaction is gone. */
    assert_int_equal(env_read_at(kv, &old, "keep", val, sizeof val, &got),
                     UK_ENOENT);
    /* An explicit compaction; then the head is the snapshot. */
    assert_int_equal(env_compact(kv), 0);
    uk_kv_rw_head(kv, &c);
    assert_true(c.id == 2001);
    assert_string_equal(c.msg, "overwrite");
    assert_int_equal(env_parent(kv, &c), UK_ENOENT);
    put(kv, "after", "x", "after");
    env_close(kv);
    kv = open_store();
    uk_kv_rw_head(kv, &c);
    assert_true(c.id == 2002);
    assert_int_equal(env_parent(kv, &c), 0);
    assert_true(c.id == 2001);
    assert_int_equal(env_read_at(kv, &c, "keep", val, sizeof val, &got), 0);
    assert_memory_equal(val, "forever", 7);
    assert_int_equal(env_get_str(kv, "d/19", (char *)tbuf, sizeof val), 0);
    assert_int_equal(atoi((char *)tbuf), 1999);
    env_close(kv);
}

static void test_limits(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_txn t;
    struct uk_kv_rw_req req = {0};
    struct env_result r = {0, 0};
    static char big[8192];
    char key[16];
    int i, rc = 0;
    (void)state;
    cfg.max_keys = 4;
    kv = open_store();
    for (i = 0; i < 4; i++) {
        snprintf(key, sizeof key, "k%d", i);
        put(kv, key, "v", "fill");
    }
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_put(&t, "k0", "new", 3), 0);
    assert_int_equal(uk_kv_txn_put(&t, "k9", "v", 1), 0);
    assert_int_equal(env_commit(kv, &t, NULL), UK_ELIMIT);
    expect(kv, "k0", "v"); /* nothing of it applied */
    /* Too large for a record; bad txns are refused at the call. */
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_put(&t, "k0", big, sizeof big), 0);
    assert_int_equal(env_commit(kv, &t, NULL), UK_EMSGSIZE);
    uk_kv_txn_init(&t, tbuf, 10);
    assert_int_equal(uk_kv_txn_put(&t, "k0", "0123", 4), UK_ENOSPC);
    assert_int_equal(uk_kv_txn_put(&t, "k", "", 0), UK_ENOSPC); /* sticky */
    assert_int_equal(env_commit(kv, &t, NULL), UK_ENOSPC);
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_put(&t, "/abs", "", 0), UK_EINVAL);
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_put(&t, "", "", 0), UK_EINVAL);
    /* A busy request. */
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_put(&t, "k1", "w", 1), 0);
    assert_int_equal(uk_kv_rw_commit(kv, &req, &t, NULL, env_cb, &r), 0);
    assert_int_equal(uk_kv_rw_commit(kv, &req, &t, NULL, env_cb, &r),
                     UK_EBUSY);
    assert_int_equal(uk_kv_rw_read(kv, &req, "k1", 0, big, 1, env_cb, &r),
                     UK_EBUSY);
    assert_int_equal(r.calls, 0); /* never inside the call */
    assert_int_equal(env_wait(rc, &r), 0);
    expect(kv, "k1", "w");
    env_close(kv);
}

/* Live data larger than a zone: UK_ENOSPC, and the store goes on. */
static void test_full(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_txn t;
    static char val[7000];
    char key[16];
    int i, rc = 0;
    (void)state;
    memset(val, 'v', sizeof val);
    cfg.max_keys = 200;
    kv = open_store();
    for (i = 0; i < 200 && rc == 0; i++) {
        snprintf(key, sizeof key, "big%d", i);
        uk_kv_txn_init(&t, tbuf, sizeof tbuf);
        assert_int_equal(uk_kv_txn_put(&t, key, val, sizeof val), 0);
        rc = env_commit(kv, &t, NULL);
    }
    assert_int_equal(rc, UK_ENOSPC);
    assert_true(i > 40 && i < 100);
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_del(&t, "big0"), 0);
    assert_int_equal(uk_kv_txn_del(&t, "big1"), 0);
    assert_int_equal(env_commit(kv, &t, NULL), 0);
    put(kv, "small", "ok", "after");
    expect(kv, "small", "ok");
    env_close(kv);
    kv = open_store();
    expect(kv, "small", "ok");
    assert_int_equal(env_get_str(kv, "big0", (char *)tbuf, 8), UK_ENOENT);
    env_close(kv);
}

/* A device that fails a write: the store reports UK_EIO from then on, and
 * reopening recovers the last commit. */
static void test_io_failure(void **state)
{
    struct uk_block_fault f;
    struct uk_block_fault_config fc = {0, 7};
    static uint8_t cache[64 * 1024];
    struct uk_kv_stat sb;
    struct uk_kv_txn t;
    (void)state;
    put(open_store(), "a", "1", "before");
    env_close(&st.kv);
    uk_block_fault_init(&f, &dev.blk, &E.loop.time, &fc, cache, sizeof cache);
    f.cut_after = 1;
    assert_int_equal(env_open(&st, &f.blk, &cfg, mem, sizeof mem), 0);
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_put(&t, "b", "2", 1), 0);
    assert_int_equal(env_commit(&st.kv, &t, NULL), UK_EIO);
    assert_true(f.dead && f.settled);
    assert_int_equal(env_commit(&st.kv, &t, NULL), UK_EIO);
    assert_int_equal(uk_kv_rw_stat(&st.kv, "a", &sb), UK_EIO);
    env_close(&st.kv);
    open_store();
    expect(&st.kv, "a", "1");
    env_close(&st.kv);
}

/* Superblocks: a corrupt one is ignored, a wrong geometry is refused. */
static void test_superblocks(void **state)
{
    struct uk_kv_rw *kv;
    (void)state;
    kv = open_store();
    put(kv, "a", "1", "one");
    assert_int_equal(env_compact(kv), 0); /* generation 2, in sector 0 */
    put(kv, "a", "2", "two");
    env_close(kv);
    disk[10] ^= 1; /* generation 2's superblock (sector 0) breaks */
    cfg.create = false;
    kv = open_store();
    expect(kv, "a", "1");
    env_close(kv);
    disk[SS + 10] ^= 1; /* and now no superblock at all */
    assert_int_equal(env_open(&st, &dev.blk, &cfg, mem, sizeof mem),
                     UK_ENOENT);
    disk[SS + 10] ^= 1;
    cfg.record_max = 4096; /* written with larger records */
    assert_int_equal(env_open(&st, &dev.blk, &cfg, mem, sizeof mem),
                     UK_EPROTO);
    assert_int_equal(uk_kvstore_open(&st, &dev.blk, &E.loop.time, &cfg, mem,
                                     100, env_cb, NULL),
                     UK_ENOMEM);
    cfg.record_max = 1000;
    assert_int_equal(uk_kvstore_open(&st, &dev.blk, &E.loop.time, &cfg, mem,
                                     sizeof mem, env_cb, NULL),
                     UK_EINVAL);
}

/* Formatting over an old store whose superblocks were wiped starts empty:
 * the old commits after the new empty snapshot must not chain to it. */
static void test_reformat(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_commit c;
    char buf[8];
    (void)state;
    kv = open_store();
    put(kv, "a", "1", "old");
    put(kv, "b", "2", "old");
    env_close(kv);
    memset(disk, 0, 2 * SS);
    kv = open_store();
    uk_kv_rw_head(kv, &c);
    assert_true(c.id == 0);
    env_close(kv);
    kv = open_store(); /* and after reopening the fresh store */
    uk_kv_rw_head(kv, &c);
    assert_true(c.id == 0);
    assert_int_equal(env_get_str(kv, "a", buf, sizeof buf), UK_ENOENT);
    env_close(kv);
}

static int order_n;
static char order[8];

static void note_cb(void *arg, int status)
{
    order[order_n++] = status == 0 ? *(const char *)arg
                       : status == UK_ECANCELED ? 'C' : '?';
}

static void note_done(void *arg)
{
    order[order_n++] = *(const char *)arg;
}

/* disconnect: the running request finishes, queued ones are cancelled,
 * then the callback runs; never inside the call. */
static void test_disconnect(void **state)
{
    struct uk_kv_rw *kv;
    struct uk_kv_rw_req r1 = {0}, r2 = {0};
    char b1[4], b2[4];
    (void)state;
    kv = open_store();
    put(kv, "a", "1", "one");
    order_n = 0;
    assert_int_equal(uk_kv_rw_read(kv, &r1, "a", 0, b1, 1, note_cb, "r"), 0);
    assert_int_equal(uk_kv_rw_read(kv, &r2, "a", 0, b2, 1, note_cb, "s"), 0);
    uk_kv_rw_disconnect(kv, note_done, "D");
    assert_int_equal(order_n, 0);
    (void)uk_loop_run(&E.loop);
    order[order_n] = '\0';
    assert_string_equal(order, "rCD");
}

/* A read-only device opens an existing store and refuses commits. */
static void test_read_only(void **state)
{
    struct uk_kv_txn t;
    struct uk_kv_rw_req req = {0};
    (void)state;
    put(open_store(), "a", "1", "one");
    env_close(&st.kv);
    dev.info.read_only = true;
    open_store();
    expect(&st.kv, "a", "1");
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_rw_commit(&st.kv, &req, &t, NULL, env_cb, NULL),
                     UK_EROFS);
    assert_int_equal(uk_kv_rw_compact(&st.kv, &req, env_cb, NULL), UK_EROFS);
    env_close(&st.kv);
    memset(disk, 0, sizeof disk);
    assert_int_equal(env_open(&st, &dev.blk, &cfg, mem, sizeof mem),
                     UK_ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_commit_read_list, setup),
        cmocka_unit_test_setup(test_history_and_reopen, setup),
        cmocka_unit_test_setup(test_compaction, setup),
        cmocka_unit_test_setup(test_limits, setup),
        cmocka_unit_test_setup(test_full, setup),
        cmocka_unit_test_setup(test_io_failure, setup),
        cmocka_unit_test_setup(test_superblocks, setup),
        cmocka_unit_test_setup(test_reformat, setup),
        cmocka_unit_test_setup(test_disconnect, setup),
        cmocka_unit_test_setup(test_read_only, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
