/*
 * sqlite_bench.c - the store benchmark's reference side: the workload of
 * workload.h on SQLite, in a table (k TEXT PRIMARY KEY, v BLOB) WITHOUT
 * ROWID, WAL journal with synchronous=FULL (each commit is fsynced before
 * it returns: the same durability as the uk store's commits).
 *
 *   sqlite_bench FILE COUNT VALUE_SIZE BATCH
 * prints "sqlite PHASE OPERATIONS SECONDS" for writes, batch and reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "workload.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "sqlite_bench: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
}

static void put(sqlite3 *db, sqlite3_stmt *ins, unsigned long i, int phase,
                size_t vlen)
{
    static uint8_t val[BENCH_VALUE_MAX];
    char key[32];
    bench_key(i, key, sizeof key);
    bench_value(i, phase, val, vlen);
    sqlite3_bind_text(ins, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 2, val, (int)vlen, SQLITE_STATIC);
    check(db, sqlite3_step(ins), "insert");
    sqlite3_reset(ins);
}

int main(int argc, char **argv)
{
    sqlite3 *db;
    sqlite3_stmt *ins, *sel;
    unsigned long count, batch, i, j;
    size_t vlen;
    double t;
    static uint8_t want[BENCH_VALUE_MAX];
    if (argc != 5) {
        fprintf(stderr, "usage: sqlite_bench FILE COUNT VALUE_SIZE BATCH\n");
        return 2;
    }
    count = strtoul(argv[2], NULL, 10);
    vlen = strtoul(argv[3], NULL, 10);
    batch = strtoul(argv[4], NULL, 10);
    if (count == 0 || batch == 0 || vlen > BENCH_VALUE_MAX) {
        fprintf(stderr, "sqlite_bench: bad arguments\n");
        return 2;
    }
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "sqlite_bench: %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=FULL");
    exec(db, "CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
    check(db, sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO kv VALUES (?, ?)",
                                 -1, &ins, NULL), "prepare");
    check(db, sqlite3_prepare_v2(db, "SELECT v FROM kv WHERE k = ?", -1, &sel,
                                 NULL), "prepare");

    t = now();
    for (i = 0; i < count; i++)
        put(db, ins, i, 1, vlen);
    printf("sqlite writes %lu %.6f\n", count, now() - t);

    t = now();
    for (i = 0; i < count / batch; i++) {
        exec(db, "BEGIN");
        for (j = 0; j < batch; j++)
            put(db, ins, i * batch + j, 2, vlen);
        exec(db, "COMMIT");
    }
    printf("sqlite batch %lu %.6f\n", count / batch * batch, now() - t);

    t = now();
    for (i = 0; i < count; i++) {
        unsigned long k = bench_read_key(i, count);
        char key[32];
        bench_key(k, key, sizeof key);
        sqlite3_bind_text(sel, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(sel) != SQLITE_ROW ||
            (size_t)sqlite3_column_bytes(sel, 0) != vlen) {
            fprintf(stderr, "sqlite_bench: %s missing\n", key);
            return 1;
        }
        bench_value(k, k < count / batch * batch ? 2 : 1, want, vlen);
        if (memcmp(sqlite3_column_blob(sel, 0), want, vlen) != 0) {
            fprintf(stderr, "sqlite_bench: %s wrong\n", key);
            return 1;
        }
        sqlite3_reset(sel);
    }
    printf("sqlite reads %lu %.6f\n", count, now() - t);
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    sqlite3_close(db);
    return 0;
}
