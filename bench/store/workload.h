/*
 * workload.h - the store benchmark's workload, shared by the uk driver
 * (uk_bench.c) and the SQLite one (sqlite_bench.c) so both do exactly the
 * same operations: key names, values, and the order of reads.
 *
 *   phase "writes": count commits of one put each, keys 0..count-1;
 *   phase "batch":  count/batch commits of batch puts each (overwrites);
 *   phase "reads":  count reads of keys in a pseudo-random order.
 * Every commit is durable before the next starts (synchronous commits).
 */
#ifndef BENCH_STORE_WORKLOAD_H
#define BENCH_STORE_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_VALUE_MAX 4096

static inline void bench_key(unsigned long i, char *out, size_t n)
{
    snprintf(out, n, "key%08lu", i);
}

/* The value of key i written in phase p, len bytes. */
static inline void bench_value(unsigned long i, int p, uint8_t *out,
                               size_t len)
{
    uint32_t x = (uint32_t)(i * 2654435761u) ^ (uint32_t)p;
    size_t k;
    for (k = 0; k < len; k++) {
        x = x * 1103515245u + 12345u;
        out[k] = (uint8_t)(x >> 24);
    }
}

/* The r'th key read: a permutation-ish walk over 0..count-1. */
static inline unsigned long bench_read_key(unsigned long r,
                                           unsigned long count)
{
    return (unsigned long)((r * 7919ull + 13ull) % count);
}

#endif
