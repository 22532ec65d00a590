/*
 * xen_libc_test.c - the freestanding libc of bare-metal targets
 * (lib/libc/src), compiled under renamed symbols (ukc_*), checked against
 * the host's C library: snprintf conversions, flags, widths, precision and
 * truncation; the string functions on pseudo-random buffers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/prng.h>

int ukc_snprintf(char *buf, size_t n, const char *fmt, ...);
void *ukc_memcpy(void *dst, const void *src, size_t n);
void *ukc_memmove(void *dst, const void *src, size_t n);
void *ukc_memset(void *dst, int c, size_t n);
int ukc_memcmp(const void *a, const void *b, size_t n);
void *ukc_memchr(const void *s, int c, size_t n);
size_t ukc_strlen(const char *s);
size_t ukc_strnlen(const char *s, size_t max);
int ukc_strcmp(const char *a, const char *b);
int ukc_strncmp(const char *a, const char *b, size_t n);
char *ukc_strchr(const char *s, int c);
char *ukc_strrchr(const char *s, int c);

/* Formats with both implementations and compares text and result. */
#define SAME(...)                                                             \
    do {                                                                      \
        char a_[128], b_[128];                                                \
        int ra_ = ukc_snprintf(a_, sizeof a_, __VA_ARGS__);                   \
        int rb_ = snprintf(b_, sizeof b_, __VA_ARGS__);                       \
        assert_string_equal(a_, b_);                                          \
        assert_int_equal(ra_, rb_);                                           \
    } while (0)

static void test_integers(void **state)
{
    (void)state;
    SAME("%d %i %u", 42, -42, 42u);
    SAME("%d %d", 0, -2147483647 - 1);
    SAME("%x %X %o", 0xbeefu, 0xbeefu, 8u);
    SAME("%ld %lu %lld %llu", -1L, 123456789UL, -9223372036854775807LL - 1,
         18446744073709551615ULL);
    SAME("%zu %zx", (size_t)77, (size_t)0xabc);
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    SAME("[%.3d] [%8.3d] [%-8.3d]", 7, 7, 7);
    SAME("[%.0d] [%.0x] [%#x] [%#X] [%#o]", 0, 0u, 255u, 255u, 8u);
    SAME("[%*d] [%-*d] [%.*d] [%*d]", 6, 1, 6, 1, 4, 1, -6, 1);
    SAME("[%hhd] [%hd] [%hhu]", 300, 70000, 511);
    SAME("[%016llx]", 0x1234ULL);
}

static void test_strings(void **state)
{
    (void)state;
    SAME("%s|%10s|%-10s|%.2s|%.*s|", "abc", "abc", "abc", "abc", 1, "xyz");
    SAME("%c%c%3c%-3c|", 'a', 'b', 'c', 'd');
    SAME("100%% %s", "done");
    SAME("%p", (void *)(uintptr_t)0x1234);
    SAME("%s", "");
}

static void test_truncation(void **state)
{
    char buf[8];
    (void)state;
    memset(buf, 'x', sizeof buf);
    assert_int_equal(ukc_snprintf(buf, 4, "%s", "abcdef"), 6);
    assert_string_equal(buf, "abc");
    assert_int_equal(buf[4], 'x');
    assert_int_equal(ukc_snprintf(buf, 0, "%d", 12345), 5);
    assert_int_equal(buf[0], 'a');
    assert_int_equal(ukc_snprintf(buf, 1, "%d", 12345), 5);
    assert_string_equal(buf, "");
    assert_int_equal(ukc_snprintf(NULL, 0, "%5s", "a"), 5);
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_memory(void **state)
{
    struct uk_prng rng;
    unsigned char a[256], b[256], c[256], d[256];
    int i;
    (void)state;
    uk_prng_init_u64(&rng, 7);
    for (i = 0; i < 4000; i++) {
        size_t off = uk_prng_below(&rng, 64), n = uk_prng_below(&rng, 128);
        size_t off2 = uk_prng_below(&rng, 64);
        int ch = (int)uk_prng_below(&rng, 4);
        uk_prng_fill(&rng, a, sizeof a);
        memcpy(b, a, sizeof a);
        /* small alphabet so comparisons and searches hit */
        for (size_t k = 0; k < sizeof a; k++) {
            a[k] &= 3;
            b[k] &= 3;
        }
        memcpy(c, a, sizeof a);
        memcpy(d, a, sizeof a);
        ukc_memmove(c + off2, c + off, n);
        memmove(d + off2, d + off, n);
        assert_memory_equal(c, d, sizeof c);
        ukc_memcpy(c, a + off, n);
        memcpy(d, a + off, n);
        assert_memory_equal(c, d, sizeof c);
        ukc_memset(c + off, ch, n);
        memset(d + off, ch, n);
        assert_memory_equal(c, d, sizeof c);
        assert_int_equal(sign(ukc_memcmp(a + off, b + off2, n)),
                         sign(memcmp(a + off, b + off2, n)));
        assert_ptr_equal(ukc_memchr(a + off, ch, n), memchr(a + off, ch, n));
    }
}

static void test_strings_fns(void **state)
{
    struct uk_prng rng;
    char a[64], b[64];
    int i;
    (void)state;
    uk_prng_init_u64(&rng, 9);
    for (i = 0; i < 4000; i++) {
        size_t la = uk_prng_below(&rng, 63), lb = uk_prng_below(&rng, 63);
        size_t k, n = uk_prng_below(&rng, 70);
        int ch = 'a' + (int)uk_prng_below(&rng, 3);
        for (k = 0; k < la; k++)
            a[k] = (char)('a' + uk_prng_below(&rng, 3));
        a[la] = '\0';
        for (k = 0; k < lb; k++)
            b[k] = (char)('a' + uk_prng_below(&rng, 3));
        b[lb] = '\0';
        if (uk_prng_below(&rng, 4) == 0)
            memcpy(b, a, la + 1);
        assert_int_equal(ukc_strlen(a), strlen(a));
        assert_int_equal(ukc_strnlen(a, n), strnlen(a, n));
        assert_int_equal(sign(ukc_strcmp(a, b)), sign(strcmp(a, b)));
        assert_int_equal(sign(ukc_strncmp(a, b, n)), sign(strncmp(a, b, n)));
        assert_ptr_equal(ukc_strchr(a, ch), strchr(a, ch));
        assert_ptr_equal(ukc_strrchr(a, ch), strrchr(a, ch));
        assert_ptr_equal(ukc_strchr(a, 0), strchr(a, 0));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_strings_fns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
