/*
 * test_crash.c - power loss at every write of a 1,000-commit workload.
 *
 * The workload (fixed seed) makes 1,000 commits of 1 to 4 puts and deletes
 * over 48 keys, with values from 0 to 3,000 bytes, on a device small enough
 * that the store compacts about a dozen times.  It runs once to count its
 * device writes W; then, for every cut point N in 1..W, it runs again from
 * an empty device through the fault wrapper (uk/blockfault.h), which cuts
 * power at the Nth write and lets a seeded choice of the unflushed sectors
 * survive, torn and reordered.  The store is then reopened on the bare
 * device, as after a reboot, and must hold exactly the last acknowledged
 * commit, or the one in flight, whole: every key and value as a model
 * says, and nothing else.  Finally one more commit must go through and
 * survive a clean reopen (the torn tail is overwritten correctly).
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
#define ZONE 256u /* sectors: 128 KiB */
#define SECTORS (2u + 2u * ZONE)
#define COMMITS 1000u
#define NKEYS 48
#define VMAX 3000u

static uint8_t disk[SECTORS * SS];
static uint8_t mem[128 * 1024];
static uint8_t cache[256 * 1024];
static struct uk_block_mem dev;
static struct uk_block_fault fault;
static struct uk_kvstore st;
static struct uk_kvstore_config cfg;
static uint8_t tbuf[16384];

/* The model: what each key holds after a given commit. */
struct slot {
    bool present;
    size_t len;
    uint8_t data[VMAX];
};
static struct slot model[NKEYS];

static void key_name(int k, char *out, size_t n)
{
    if (k < 32)
        snprintf(out, n, "k%02d", k);
    else
        snprintf(out, n, "d/a%02d", k - 32);
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Builds commit c's transaction (a pure function of c) and applies it to
 * the model when apply is set. */
static void make_txn(unsigned c, struct uk_kv_txn *t, bool apply)
{
    uint64_t s = 0x9e3779b97f4a7c15ull * (c + 1);
    unsigned nops = 1 + (unsigned)(rnd(&s) % 4), i;
    char key[16], msg[32];
    static uint8_t val[VMAX];
    uk_kv_txn_init(t, tbuf, sizeof tbuf);
    snprintf(msg, sizeof msg, "commit %u", c);
    uk_kv_txn_info(t, (int64_t)c, msg);
    for (i = 0; i < nops; i++) {
        int k = (int)(rnd(&s) % NKEYS);
        uint64_t r = rnd(&s);
        size_t len, j;
        key_name(k, key, sizeof key);
        if (r % 5 == 0) {
            assert_int_equal(uk_kv_txn_del(t, key), 0);
            if (apply)
                model[k].present = false;
            continue;
        }
        len = (r >> 8) % 16 == 0 ? (size_t)((r >> 16) % VMAX)
                                  : (size_t)((r >> 16) % 600);
        for (j = 0; j < len; j++)
            val[j] = (uint8_t)(c * 31 + j * 7 + i);
        assert_int_equal(uk_kv_txn_put(t, key, val, len), 0);
        if (apply) {
            model[k].present = true;
            model[k].len = len;
            memcpy(model[k].data, val, len);
        }
    }
}

static void model_at(unsigned c)
{
    struct uk_kv_txn t;
    unsigned i;
    memset(model, 0, sizeof model);
    for (i = 1; i <= c; i++)
        make_txn(i, &t, true);
}

/* Counts the entries of dir. */
static size_t count_dir(const char *dir)
{
    struct uk_kv_entry e;
    size_t n = 0;
    while (uk_kv_rw_list(&st.kv, dir, n, &e) == 0)
        n++;
    return n;
}

/* The store open in st holds exactly the model. */
static void check_model(void)
{
    static uint8_t buf[VMAX];
    char key[16];
    size_t got, files = 0, dfiles = 0;
    int k;
    for (k = 0; k < NKEYS; k++) {
        int rc;
        key_name(k, key, sizeof key);
        rc = env_read(&st.kv, key, 0, buf, sizeof buf, &got);
        if (!model[k].present) {
            assert_int_equal(rc, UK_ENOENT);
            continue;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(got, model[k].len);
        assert_memory_equal(buf, model[k].data, got);
        if (k < 32)
            files++;
        else
            dfiles++;
    }
    assert_int_equal(count_dir(""), files + (dfiles > 0));
    if (dfiles > 0)
        assert_int_equal(count_dir("d"), dfiles);
}

struct run {
    unsigned acked;    /* last commit reported durable */
    bool in_flight;    /* commit acked + 1 was started and failed */
    bool opened;       /* the store opened (formatted) */
};

/* Runs the workload over blk until it ends or the device dies. */
static void workload(struct uk_block *blk, struct run *r)
{
    struct uk_kv_txn t;
    unsigned c;
    r->acked = 0;
    r->in_flight = false;
    r->opened = env_open(&st, blk, &cfg, mem, sizeof mem) == 0;
    if (!r->opened)
        return;
    for (c = 1; c <= COMMITS; c++) {
        int rc;
        make_txn(c, &t, false);
        rc = env_commit(&st.kv, &t, NULL);
        if (rc != 0) {
            assert_int_equal(rc, UK_EIO);
            r->in_flight = true;
            break;
        }
        r->acked = c;
    }
    env_close(&st.kv);
}

static void fresh_device(void)
{
    memset(disk, 0, sizeof disk);
    uk_block_mem_init(&dev, &E.loop.time, disk, SS, SECTORS);
}

static unsigned long landed; /* cuts after which the in-flight commit
                               * was found whole */

/* After a cut: reopen on the bare device and compare. */
static void check_after_cut(const struct run *r, unsigned long cut)
{
    struct uk_kv_commit head, c;
    struct uk_kv_txn t;
    int rc = env_open(&st, &dev.blk, &cfg, mem, sizeof mem);
    if (rc != 0)
        fail_msg("cut %lu: reopen failed: %s", cut, uk_errname(rc));
    uk_kv_rw_head(&st.kv, &head);
    if (!(head.id == r->acked || (r->in_flight && head.id == r->acked + 1)))
        fail_msg("cut %lu: head %llu, acknowledged %u%s", cut,
                 (unsigned long long)head.id, r->acked,
                 r->in_flight ? " (+1 in flight)" : "");
    landed += head.id == r->acked + 1;
    model_at((unsigned)head.id);
    check_model();
    /* The chain is intact one step back. */
    c = head;
    rc = env_parent(&st.kv, &c);
    assert_true(rc == 0 || rc == UK_ENOENT);
    if (rc == 0)
        assert_true(c.id == head.id - 1);
    /* Life goes on: one more commit, durable across a clean reopen. */
    uk_kv_txn_init(&t, tbuf, sizeof tbuf);
    assert_int_equal(uk_kv_txn_put(&t, "k00", "after", 5), 0);
    assert_int_equal(env_commit(&st.kv, &t, NULL), 0);
    env_close(&st.kv);
    assert_int_equal(env_open(&st, &dev.blk, &cfg, mem, sizeof mem), 0);
    uk_kv_rw_head(&st.kv, &c);
    assert_true(c.id == head.id + 1);
    model[0].present = true;
    model[0].len = 5;
    memcpy(model[0].data, "after", 5);
    check_model();
    env_close(&st.kv);
}

static void test_every_cut(void **state)
{
    struct uk_block_fault_config fc = {0, 0};
    struct run r;
    unsigned long writes, cut, in_flight = 0, compactions;
    (void)state;
    env_init();
    uk_kvstore_config_default(&cfg);
    cfg.record_max = 8192;
    cfg.max_keys = NKEYS;
    cfg.key_bytes = 512;
    /* The whole workload, no cut: its writes are the cut points. */
    fresh_device();
    uk_block_fault_init(&fault, &dev.blk, &E.loop.time, &fc, cache,
                        sizeof cache);
    workload(&fault.blk, &r);
    assert_true(r.opened && r.acked == COMMITS);
    writes = (unsigned long)fault.writes;
    compactions = (unsigned long)(st.gen - 1);
    assert_true(compactions >= 5);
    assert_int_equal(env_open(&st, &dev.blk, &cfg, mem, sizeof mem), 0);
    model_at(COMMITS);
    check_model();
    env_close(&st.kv);
    for (cut = 1; cut <= writes; cut++) {
        fresh_device();
        fc.cut_after = cut;
        fc.seed = cut;
        uk_block_fault_init(&fault, &dev.blk, &E.loop.time, &fc, cache,
                            sizeof cache);
        workload(&fault.blk, &r);
        assert_true(fault.dead && fault.settled);
        in_flight += r.in_flight;
        check_after_cut(&r, cut);
    }
    printf("crash: %u commits, %lu compactions, %lu writes; every one of "
           "the %lu cut points reopened to the acknowledged commit or the "
           "one in flight, whole (a commit was in flight at %lu cuts; it "
           "landed whole at %lu, was absent at the others)\n",
           COMMITS, compactions, writes, writes, in_flight, landed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
