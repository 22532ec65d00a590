/*
 * test_prng.c - the ChaCha20 generator (uk/prng.h): RFC 8439 vectors,
 * determinism per seed, chunking independence, the uk_random interface,
 * and uk_prng_below's range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/prng.h>

static void hex(const char *s, uint8_t *out, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

/* RFC 8439 section 2.3.2: the block function test vector. */
static void test_rfc8439_block(void **state)
{
    uint8_t key[32], nonce[12], want[64], out[64];
    size_t i;
    (void)state;
    for (i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    hex("000000090000004a00000000", nonce, 12);
    hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
        want, 64);
    uk_chacha20_block(out, key, 1, nonce);
    assert_memory_equal(out, want, 64);
}

/* RFC 8439 appendix A.1, test vectors 1 and 2: all-zero key and nonce,
 * counters 0 and 1.  That is the generator's stream for a zero seed. */
static const char zero_stream[] =
    "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
    "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"
    "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
    "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f";

static void test_rfc8439_zero_seed_stream(void **state)
{
    uint8_t seed[32], want[128], out[128], nonce[12];
    struct uk_prng p;
    (void)state;
    memset(seed, 0, sizeof seed);
    memset(nonce, 0, sizeof nonce);
    hex(zero_stream, want, sizeof want);
    uk_chacha20_block(out, seed, 0, nonce);
    uk_chacha20_block(out + 64, seed, 1, nonce);
    assert_memory_equal(out, want, sizeof want);

    uk_prng_init(&p, seed);
    memset(out, 0, sizeof out);
    uk_prng_fill(&p, out, sizeof out);
    assert_memory_equal(out, want, sizeof want);
    /* uk_prng_init_u64(0) is the same zero seed. */
    uk_prng_init_u64(&p, 0);
    memset(out, 0, sizeof out);
    assert_int_equal(uk_random_fill(&p.random, out, sizeof out), 0);
    assert_memory_equal(out, want, sizeof want);
}

static void test_u64_seed_layout(void **state)
{
    /* Seed 42: key 2a 00 .. 00, checked against an independent ChaCha20
     * implementation (Python cryptography) when the test was written. */
    uint8_t want[16], out[16];
    struct uk_prng p;
    (void)state;
    hex("1f76e526510ae36a625c8b5c597febb4", want, 16);
    uk_prng_init_u64(&p, 42);
    uk_prng_fill(&p, out, sizeof out);
    assert_memory_equal(out, want, sizeof want);
}

static void test_determinism(void **state)
{
    static uint8_t a[5000], b[5000], c[5000];
    struct uk_prng p, q, r;
    size_t off, n;
    (void)state;
    uk_prng_init_u64(&p, 12345);
    uk_prng_init_u64(&q, 12345);
    uk_prng_init_u64(&r, 12346);
    uk_prng_fill(&p, a, sizeof a);
    /* The same stream however the reads are cut. */
    for (off = 0, n = 1; off < sizeof b; off += n, n = n * 3 % 97 + 1) {
        if (n > sizeof b - off)
            n = sizeof b - off;
        uk_prng_fill(&q, b + off, n);
    }
    assert_memory_equal(a, b, sizeof a);
    uk_prng_fill(&r, c, sizeof c);
    assert_memory_not_equal(a, c, sizeof a);
    /* Zero-length fills take nothing. */
    uk_prng_init_u64(&p, 12345);
    uk_prng_fill(&p, NULL, 0);
    uk_prng_fill(&p, b, 10);
    assert_memory_equal(a, b, 10);
}

static void test_blocks_differ(void **state)
{
    static uint8_t s[64 * 64];
    struct uk_prng p;
    size_t i, j;
    (void)state;
    uk_prng_init_u64(&p, 7);
    uk_prng_fill(&p, s, sizeof s);
    for (i = 0; i < 64; i++)
        for (j = 0; j < i; j++)
            assert_memory_not_equal(s + 64 * i, s + 64 * j, 64);
}

static void test_below(void **state)
{
    static const uint32_t bounds[] = {1, 2, 3, 7, 10, 1000, 0x80000001u,
                                      UINT32_MAX};
    unsigned hits[10];
    struct uk_prng p;
    size_t k;
    int i;
    (void)state;
    uk_prng_init_u64(&p, 99);
    for (k = 0; k < sizeof bounds / sizeof bounds[0]; k++)
        for (i = 0; i < 1000; i++)
            assert_true(uk_prng_below(&p, bounds[k]) < bounds[k]);
    /* Every value of a small range comes up. */
    memset(hits, 0, sizeof hits);
    for (i = 0; i < 1000; i++)
        hits[uk_prng_below(&p, 10)]++;
    for (i = 0; i < 10; i++)
        assert_true(hits[i] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8439_block),
        cmocka_unit_test(test_rfc8439_zero_seed_stream),
        cmocka_unit_test(test_u64_seed_layout),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_blocks_differ),
        cmocka_unit_test(test_below),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
