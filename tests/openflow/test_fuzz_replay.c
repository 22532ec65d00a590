/*
 * test_fuzz_replay.c - runs the OpenFlow fuzz harnesses (fuzz/openflow:
 * the decoder, the connection layer, the of-switch example's message and
 * frame handling) over the seed corpus, seeded
 * mutations of it, and pseudo-random messages with valid headers, so CI
 * exercises what the fuzzers check without libFuzzer.
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

#include <uk/bytes.h>

int of_fuzz_decode(const uint8_t *data, size_t size);
int of_fuzz_conn(const uint8_t *data, size_t size);
int of_fuzz_switch(const uint8_t *data, size_t size);

#define MAX_SEEDS 256
#define SEED_MAX 4096

static uint8_t seeds[MAX_SEEDS][SEED_MAX];
static size_t seed_len[MAX_SEEDS];
static size_t nseeds;
static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t next(void)
{
    return fuzz_xorshift64(&rng);
}

static void load_seeds(void)
{
    if (nseeds > 0)
        return;
    nseeds = fuzz_load_seeds(OF_FUZZ_SEEDS, &seeds[0][0], SEED_MAX, seed_len,
                             MAX_SEEDS);
    assert_true(nseeds >= 50);
}

static void test_seeds(void **state)
{
    size_t i;
    (void)state;
    load_seeds();
    for (i = 0; i < nseeds; i++) {
        assert_int_equal(of_fuzz_decode(seeds[i], seed_len[i]), 0);
        assert_int_equal(of_fuzz_conn(seeds[i], seed_len[i]), 0);
        assert_int_equal(of_fuzz_switch(seeds[i], seed_len[i]), 0);
    }
}

/* Mutates buf[0..len) in place (bounded by cap); returns the new len. */
static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
    size_t k, edits = 1 + next() % 6;
    for (k = 0; k < edits && len > 0; k++) {
        size_t pos = next() % len;
        switch (next() % 6) {
        case 0:
            buf[pos] = (uint8_t)next();
            break;
        case 1: /* lengths and counts: small and extreme values */
            if (pos + 1 < len)
                uk_store_be16(buf + pos, (uint16_t)(next() % 3 == 0
                                                        ? 0xffff
                                                        : next() % 200));
            break;
        case 2: {
            size_t t = next() % nseeds;
            if (len + seed_len[t] <= cap) {
                memcpy(buf + len, seeds[t], seed_len[t]);
                len += seed_len[t];
            }
            break;
        }
        case 3:
            buf[pos] ^= (uint8_t)(1u << (next() % 8));
            break;
        case 4:
            len = pos;
            break;
        default:
            if (len < cap) {
                memmove(buf + pos + 1, buf + pos, len - pos);
                buf[pos] = (uint8_t)next();
                len++;
            }
        }
    }
    return len;
}

static void test_mutations(void **state)
{
    static uint8_t buf[SEED_MAX * 4];
    int iter;
    (void)state;
    load_seeds();
    for (iter = 0; iter < 6000; iter++) {
        size_t s = next() % nseeds, len = seed_len[s];
        memcpy(buf, seeds[s], len);
        len = mutate(buf, len, sizeof buf);
        assert_int_equal(of_fuzz_decode(buf, len), 0);
        if (iter % 4 == 0)
            assert_int_equal(of_fuzz_conn(buf, len), 0);
        if (iter % 4 == 1)
            assert_int_equal(of_fuzz_switch(buf, len), 0);
    }
}

/* Messages with a valid header (version 1, any type, the right length)
 * and random bodies: past the framing, into every body decoder. */
static void test_random_messages(void **state)
{
    static uint8_t buf[8192];
    int iter;
    (void)state;
    for (iter = 0; iter < 6000; iter++) {
        size_t len = 0, msgs = 1 + next() % 4, i, k;
        for (i = 0; i < msgs; i++) {
            size_t n = 8 + next() % (i == 0 ? 1200 : 200);
            uint8_t *p = buf + len;
            if (len + n > sizeof buf)
                break;
            for (k = 0; k < n; k++)
                p[k] = (uint8_t)(next() % 4 == 0 ? 0 : next());
            p[0] = next() % 16 == 0 ? (uint8_t)next() : 1;
            p[1] = (uint8_t)(next() % 23);
            uk_store_be16(p + 2, (uint16_t)n);
            if (p[1] == 16 || p[1] == 17) /* stats: a known type mostly */
                uk_store_be16(p + 8, (uint16_t)(next() % 7));
            len += n;
        }
        assert_int_equal(of_fuzz_decode(buf, len), 0);
        if (iter % 4 == 0)
            assert_int_equal(of_fuzz_conn(buf, len), 0);
        if (iter % 4 == 1)
            assert_int_equal(of_fuzz_switch(buf, len), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_random_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
