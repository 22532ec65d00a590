/*
 * test_query_fuzz.c - runs the query fuzz harness (fuzz/dns/query_fuzz.c)
 * in CI: every seed of fuzz/dns/query_corpus, then pseudo-random inputs
 * from fixed seeds so a failure replays exactly: 1 KiB of random bytes,
 * random bytes behind a plausible header, and mutations of the seeds (bit
 * flips, truncation, bytes inserted).  The harness aborts on any broken
 * guarantee (a reply over the size allowed, a malformed reply, a query
 * dropped that deserved a reply); the sanitizer build catches memory
 * errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz_replay.h"

#include "../../fuzz/dns/query_fuzz.c"

#define MAX_SEEDS 64
#define MAX_INPUT 2048

static uint8_t seeds[MAX_SEEDS][MAX_INPUT];
static size_t seed_len[MAX_SEEDS];
static size_t nseeds;

/* xorshift64*: deterministic, seeded per test. */
static uint64_t rng;
static uint32_t next_u32(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

static void test_seeds(void **state)
{
    char path[4096];
    const char *src = getenv("UK_SOURCE_DIR");
    size_t i;
    (void)state;
    snprintf(path, sizeof path, "%s/fuzz/dns/query_corpus",
             src != NULL ? src : ".");
    nseeds = fuzz_load_seeds(path, &seeds[0][0], MAX_INPUT, seed_len,
                             MAX_SEEDS);
    for (i = 0; i < nseeds; i++)
        LLVMFuzzerTestOneInput(seeds[i], seed_len[i]);
    assert_true(nseeds >= 20);
}

static void test_random_bytes(void **state)
{
    uint8_t buf[1024];
    int i;
    size_t j;
    (void)state;
    rng = 0x9e3779b97f4a7c15ull;
    for (i = 0; i < 3000; i++) {
        for (j = 0; j < sizeof buf; j++)
            buf[j] = (uint8_t)next_u32();
        LLVMFuzzerTestOneInput(buf, 1 + next_u32() % sizeof buf);
    }
}

/* Random bytes behind a header that passes the first checks. */
static void test_plausible(void **state)
{
    uint8_t buf[600];
    int i;
    size_t j, len;
    (void)state;
    rng = 12345;
    for (i = 0; i < 3000; i++) {
        len = 12 + next_u32() % (sizeof buf - 12);
        for (j = 0; j < len; j++)
            buf[j] = (uint8_t)next_u32();
        buf[2] &= 0x07; /* QR 0, opcode QUERY */
        buf[4] = 0;
        buf[5] = 1;
        buf[6] = buf[7] = buf[8] = buf[9] = 0;
        buf[10] = 0;
        buf[11] &= 3;
        LLVMFuzzerTestOneInput(buf, len);
    }
}

static void test_mutations(void **state)
{
    uint8_t buf[MAX_INPUT + 16];
    int i, k;
    (void)state;
    assert_true(nseeds > 0);
    rng = 42;
    for (i = 0; i < 6000; i++) {
        size_t s = next_u32() % nseeds, len = seed_len[s];
        memcpy(buf, seeds[s], len);
        for (k = 0; k < 1 + (int)(next_u32() % 4); k++) {
            uint32_t r = next_u32();
            switch (r % 4) {
            case 0: /* flip a bit */
                if (len > 0)
                    buf[next_u32() % len] ^= (uint8_t)(1u << (r >> 8) % 8);
                break;
            case 1: /* truncate */
                if (len > 0)
                    len = next_u32() % len;
                break;
            case 2: /* a pointer or a big count byte */
                if (len > 0)
                    buf[next_u32() % len] = (r >> 8) & 1 ? 0xc0 : 0xff;
                break;
            default: /* append a byte */
                if (len < sizeof buf)
                    buf[len++] = (uint8_t)(r >> 8);
                break;
            }
        }
        LLVMFuzzerTestOneInput(buf, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_plausible),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
