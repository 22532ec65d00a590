/*
 * test_fuzz_replay.c - runs the HTTP fuzz target (fuzz/http/fuzz_parse.c)
 * over its seed corpus and a few thousand seeded mutations of it, so that
 * CI exercises the parser's properties without libFuzzer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEEDS 64
#define SEED_MAX 4096

static uint8_t seeds[MAX_SEEDS][SEED_MAX];
static size_t seed_len[MAX_SEEDS];
static size_t nseeds;

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    return fuzz_xorshift64(&rng);
}

static void load_seeds(void)
{
    nseeds = fuzz_load_seeds(UK_FUZZ_SEEDS, &seeds[0][0], SEED_MAX, seed_len,
                             MAX_SEEDS);
    assert_true(nseeds >= 5);
}

static void test_seeds(void **state)
{
    size_t i;
    (void)state;
    load_seeds();
    for (i = 0; i < nseeds; i++)
        assert_int_equal(LLVMFuzzerTestOneInput(seeds[i], seed_len[i]), 0);
}

/* Mutations: byte changes, insertions of interesting bytes, cuts. */
static void test_mutations(void **state)
{
    static const uint8_t interesting[] = {'\r', '\n', ' ',  ':',  '%',  '/',
                                          '.',  0,    0x7f, 0xff, '\t', ','};
    static uint8_t buf[SEED_MAX * 8];
    int iter;
    (void)state;
    for (iter = 0; iter < 5000; iter++) {
        size_t s = next() % nseeds, len = seed_len[s], k, edits;
        memcpy(buf, seeds[s], len);
        edits = 1 + next() % 8;
        for (k = 0; k < edits && len > 0; k++) {
            size_t pos = next() % len;
            switch (next() % 5) {
            case 0:
                buf[pos] = (uint8_t)next();
                break;
            case 1:
                buf[pos] = interesting[next() % sizeof interesting];
                break;
            case 2:
                if (len < sizeof buf) {
                    memmove(buf + pos + 1, buf + pos, len - pos);
                    buf[pos] = interesting[next() % sizeof interesting];
                    len++;
                }
                break;
            case 3: { /* grow past the parser's limits */
                size_t t = next() % nseeds;
                if (len + seed_len[t] <= sizeof buf) {
                    memcpy(buf + len, seeds[t], seed_len[t]);
                    len += seed_len[t];
                }
                break;
            }
            default:
                len = pos;
            }
        }
        assert_int_equal(LLVMFuzzerTestOneInput(buf, len), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
