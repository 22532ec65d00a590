/*
 * uk_bench.c - the store benchmark's uk side: the workload of workload.h
 * on a uk_kvstore over the target's block device (unix: the file given by
 * --block=FILE; every commit is a pwrite and an fdatasync).
 *
 *   uk_store_bench --block=FILE --count=N --value-size=B --batch=K
 * prints "uk PHASE OPERATIONS SECONDS" for writes, batch and reads.
 */
#include <string.h>

#include <uk/kvstore.h>
#include <uk/target.h>

#include "workload.h"

#define MAX_COUNT 150000ul

static struct {
    unsigned long count, vlen, batch, i;
    uint64_t t0;
    struct uk_kvstore st;
    struct uk_kv_rw_req req;
    struct uk_kv_txn txn;
    uint8_t val[BENCH_VALUE_MAX], got[BENCH_VALUE_MAX];
    char key[32];
} B;
static uint8_t txn_buf[1 << 20];
static uint8_t mem[2 * 64 * 1024 + 4096 + MAX_COUNT * 48 + MAX_COUNT * 12];

static void report(const char *phase, unsigned long ops)
{
    uint64_t ns = uk_clock_monotonic_ns(uk_default_clock()) - B.t0;
    uk_console_printf(uk_default_console(), "uk %s %lu %.6f", phase, ops,
                      (double)ns / 1e9);
}

static void start_clock(void)
{
    B.t0 = uk_clock_monotonic_ns(uk_default_clock());
}

static void die(const char *what, int rc)
{
    uk_console_printf(uk_default_console(), "uk_store_bench: %s: %s", what,
                      uk_strerror(rc));
    uk_exit(1);
}

static void read_next(void *arg, int status);

static void read_one(void)
{
    int rc;
    bench_key(bench_read_key(B.i, B.count), B.key, sizeof B.key);
    rc = uk_kv_rw_read(&B.st.kv, &B.req, B.key, 0, B.got, sizeof B.got,
                       read_next, NULL);
    if (rc != 0)
        die("read", rc);
}

static void read_next(void *arg, int status)
{
    unsigned long k = bench_read_key(B.i, B.count);
    (void)arg;
    if (status != 0)
        die(B.key, status);
    bench_value(k, k < B.count / B.batch * B.batch ? 2 : 1, B.val, B.vlen);
    if (B.req.got != B.vlen || memcmp(B.got, B.val, B.vlen) != 0)
        die(B.key, UK_EIO);
    if (++B.i < B.count) {
        read_one();
        return;
    }
    report("reads", B.count);
    uk_kv_rw_disconnect(&B.st.kv, NULL, NULL);
    uk_exit(0);
}

/* Commits puts of keys first..first+n-1 in phase p, then next. */
static void commit_puts(unsigned long first, unsigned long n, int p,
                        uk_kv_rw_cb next)
{
    unsigned long j;
    int rc;
    uk_kv_txn_init(&B.txn, txn_buf, sizeof txn_buf);
    for (j = 0; j < n; j++) {
        bench_key(first + j, B.key, sizeof B.key);
        bench_value(first + j, p, B.val, B.vlen);
        (void)uk_kv_txn_put(&B.txn, B.key, B.val, B.vlen);
    }
    rc = uk_kv_rw_commit(&B.st.kv, &B.req, &B.txn, NULL, next, NULL);
    if (rc != 0)
        die("commit", rc);
}

static void batch_next(void *arg, int status)
{
    (void)arg;
    if (status != 0)
        die("batch commit", status);
    if (++B.i < B.count / B.batch) {
        commit_puts(B.i * B.batch, B.batch, 2, batch_next);
        return;
    }
    report("batch", B.count / B.batch * B.batch);
    B.i = 0;
    start_clock();
    read_one();
}

static void write_next(void *arg, int status)
{
    (void)arg;
    if (status != 0)
        die("commit", status);
    if (++B.i < B.count) {
        commit_puts(B.i, 1, 1, write_next);
        return;
    }
    report("writes", B.count);
    B.i = 0;
    start_clock();
    commit_puts(0, B.batch, 2, batch_next);
}

static void opened(void *arg, int status)
{
    (void)arg;
    if (status != 0)
        die("open", status);
    B.i = 0;
    start_clock();
    commit_puts(0, 1, 1, write_next);
}

int uk_main(int argc, char **argv)
{
    struct uk_kvstore_config cfg;
    struct uk_block *blk;
    int rc;
    const struct uk_opt opts[] = {
        {"count", UK_OPT_UINT, &B.count, "keys (default 10000)", 1, MAX_COUNT,
         NULL},
        {"value-size", UK_OPT_UINT, &B.vlen, "bytes per value (default 100)",
         0, BENCH_VALUE_MAX, NULL},
        {"batch", UK_OPT_UINT, &B.batch, "puts per batch commit (default 100)",
         1, 10000, NULL},
        UK_OPT_END,
    };
    B.count = 10000;
    B.vlen = 100;
    B.batch = 100;
    if ((rc = uk_parse_options(opts, argc, argv)) != UK_RUN)
        return rc;
    if (B.batch > B.count)
        B.batch = B.count;
    if ((rc = uk_default_block("default", &blk)) != 0)
        die("--block", rc);
    uk_kvstore_config_default(&cfg);
    cfg.max_keys = B.count;
    cfg.key_bytes = B.count * 12;
    if (uk_kvstore_mem_size(&cfg, 512) > sizeof mem)
        die("memory", UK_ENOMEM);
    rc = uk_kvstore_open(&B.st, blk, uk_default_time(), &cfg, mem, sizeof mem,
                         opened, NULL);
    if (rc != 0)
        die("open", rc);
    return UK_RUN;
}
