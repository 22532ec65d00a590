/*
 * test_digest.c - the KV_RO content digest (uk/kv_digest.h): known answers
 * (the digest is an ETag: it must not change between runs, builds or
 * platforms without us meaning it to) and streaming in any split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/kv_digest.h>

static void test_known_answers(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        uint8_t want[UK_KV_DIGEST_LEN];
    } cases[] = {
        {"", 0, {0x1f, 0x17, 0x0b, 0x17, 0xb5, 0x36, 0xdb, 0xef,
                 0xbe, 0x33, 0xb5, 0x67, 0xe8, 0x0c, 0xc3, 0x7a}},
        {"a", 1, {0x3a, 0x96, 0xf1, 0xf9, 0x35, 0xee, 0x59, 0x53,
                  0xde, 0x1a, 0x45, 0x24, 0x0c, 0xbb, 0x2d, 0xbe}},
        {"abc", 3, {0x0c, 0xc4, 0xd0, 0xdb, 0xad, 0x4f, 0xae, 0x01,
                    0x60, 0x7e, 0x8b, 0x6e, 0xa0, 0x03, 0x3e, 0x53}},
        {"\0", 1, {0xde, 0xd0, 0x07, 0xa1, 0xf8, 0x97, 0x1d, 0xa4,
                   0xec, 0x4f, 0xcc, 0x92, 0xae, 0xb6, 0x83, 0x42}},
        {"\0\0\0\0\0\0\0\0", 8,
         {0xb8, 0xab, 0x43, 0x74, 0x3a, 0x44, 0x87, 0x13,
          0xf9, 0x4b, 0xe0, 0x69, 0x1b, 0x3b, 0xab, 0x5a}},
        {"The quick brown fox jumps over the lazy dog", 43,
         {0x77, 0xb3, 0x8d, 0xad, 0x78, 0x91, 0xd6, 0x24,
          0xde, 0x27, 0xb1, 0x8e, 0x28, 0x2f, 0xc8, 0x55}},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t d[UK_KV_DIGEST_LEN];
        uk_kv_digest_of(cases[i].in, cases[i].len, d);
        assert_memory_equal(d, cases[i].want, sizeof d);
    }
}

/* A small fixed PRNG (xorshift64), so the data is the same everywhere. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_any_split_same_digest(void **state)
{
    static uint8_t data[5000];
    uint8_t one[UK_KV_DIGEST_LEN], split[UK_KV_DIGEST_LEN];
    uint64_t seed = 12345;
    size_t i, round;
    (void)state;
    for (i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)next(&seed);
    for (round = 0; round < 200; round++) {
        size_t n = (size_t)(next(&seed) % sizeof data), off = 0;
        struct uk_kv_digest d;
        uk_kv_digest_of(data, n, one);
        uk_kv_digest_init(&d);
        while (off < n) {
            size_t k = (size_t)(next(&seed) % 20);
            if (k > n - off)
                k = n - off;
            uk_kv_digest_update(&d, data + off, k);
            off += k;
        }
        uk_kv_digest_final(&d, split);
        assert_memory_equal(one, split, sizeof one);
    }
}

static void test_small_changes_change_digest(void **state)
{
    static const struct {
        const char *s;
        size_t len;
    } in[] = {
        {"", 0},         {"\0", 1},        {"\0\0", 2},        {"a", 1},
        {"b", 1},        {"ab", 2},        {"ba", 2},          {"aaaaaaa", 7},
        {"aaaaaaaa", 8}, {"aaaaaaaab", 9}, {"\x80", 1},        {"\x80\0", 2},
        {"\0\0\0\0\0\0\0\0", 8}, {"\0\0\0\0\0\0\0\0\0", 9},
    };
    enum { N = sizeof in / sizeof in[0] };
    uint8_t d[N][UK_KV_DIGEST_LEN];
    size_t i, j;
    (void)state;
    for (i = 0; i < N; i++)
        uk_kv_digest_of(in[i].s, in[i].len, d[i]);
    for (i = 0; i < N; i++)
        for (j = i + 1; j < N; j++)
            assert_memory_not_equal(d[i], d[j], UK_KV_DIGEST_LEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_any_split_same_digest),
        cmocka_unit_test(test_small_changes_change_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
