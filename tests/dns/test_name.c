/*
 * test_name.c - wire-name operations (uk/dns_name.h): validation,
 * case-insensitive equality and hashing, label offsets, ancestry,
 * presentation format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/dns_name.h>
#include <uk/err.h>

#define N(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static void test_check(void **state)
{
    uint8_t long_label[80], long_name[300];
    size_t n = 0, i;
    (void)state;
    assert_int_equal(uk_dns_name_check(N("\3www\7example\3com\0"), &n), 0);
    assert_int_equal(n, 17);
    assert_int_equal(uk_dns_name_check(N("\0"), &n), 0);
    assert_int_equal(n, 1);
    /* runs past the buffer */
    assert_int_equal(uk_dns_name_check((const uint8_t *)"\3www\7exa", 8, &n),
                     UK_EPROTO);
    /* pointer and reserved label types */
    assert_int_equal(uk_dns_name_check(N("\3www\xc0\x0c"), &n), UK_EPROTO);
    assert_int_equal(uk_dns_name_check(N("\x41"
                                         "a\0"),
                                       &n),
                     UK_EPROTO);
    /* a 64-byte label */
    memset(long_label, 'a', sizeof long_label);
    long_label[0] = 64;
    long_label[65] = 0;
    assert_int_equal(uk_dns_name_check(long_label, sizeof long_label, &n),
                     UK_EPROTO);
    /* three labels of 63 and one of 61 and the root: 255 bytes, fine;
     * a last label of 62 makes 256: too long */
    memset(long_name, 'b', sizeof long_name);
    for (i = 0; i < 3; i++)
        long_name[i * 64] = 63;
    long_name[192] = 61;
    long_name[254] = 0;
    assert_int_equal(uk_dns_name_check(long_name, sizeof long_name, &n), 0);
    assert_int_equal(n, 255);
    long_name[192] = 62;
    long_name[254] = 'b';
    long_name[255] = 0;
    assert_int_equal(uk_dns_name_check(long_name, sizeof long_name, &n),
                     UK_EPROTO);
}

static void test_eq_hash_lower(void **state)
{
    uint8_t low[32];
    (void)state;
    assert_true(uk_dns_name_eq(N("\3WwW\7ExAmPlE\0"), N("\3www\7example\0")));
    assert_false(uk_dns_name_eq(N("\3www\7example\0"), N("\3wwx\7example\0")));
    assert_false(uk_dns_name_eq(N("\3www\0"), N("\4wwww\0")));
    /* only ASCII letters fold: '@' (0x40) and '`' (0x60) differ */
    assert_false(uk_dns_name_eq(N("\1@\0"), N("\1`\0")));
    assert_int_equal(uk_dns_name_hash(N("\3WWW\0")),
                     uk_dns_name_hash(N("\3www\0")));
    assert_int_not_equal(uk_dns_name_hash(N("\3www\0")),
                         uk_dns_name_hash(N("\3wwx\0")));
    uk_dns_name_lower(low, N("\3WwW\2Z9\0"));
    assert_memory_equal(low, "\3www\2z9\0", 8);
}

static void test_labels_under(void **state)
{
    uint8_t offs[UK_DNS_LABELS_MAX];
    (void)state;
    assert_int_equal(
        uk_dns_name_labels((const uint8_t *)"\3www\7example\0", offs), 3);
    assert_int_equal(offs[1], 4);
    assert_int_equal(offs[2], 12);
    assert_int_equal(uk_dns_name_labels((const uint8_t *)"\0", offs), 1);
    assert_true(uk_dns_name_is_under(N("\3www\7Example\3com\0"),
                                     N("\7example\3com\0")));
    assert_true(uk_dns_name_is_under(N("\3com\0"), N("\0")));
    assert_true(uk_dns_name_is_under(N("\3com\0"), N("\3COM\0")));
    /* suffix bytes match but not at a label boundary */
    assert_false(uk_dns_name_is_under(N("\4xcom\0"), N("\3com\0")));
    assert_false(uk_dns_name_is_under(N("\3com\0"), N("\3www\3com\0")));
    assert_true(uk_dns_name_is_wild((const uint8_t *)"\1*\3com\0"));
    assert_false(uk_dns_name_is_wild((const uint8_t *)"\2*a\3com\0"));
}

static void test_format(void **state)
{
    char out[64];
    (void)state;
    uk_dns_name_format(N("\3www\7example\0"), out, sizeof out);
    assert_string_equal(out, "www.example.");
    uk_dns_name_format(N("\0"), out, sizeof out);
    assert_string_equal(out, ".");
    uk_dns_name_format(N("\3a.b\2\x01\\\0"), out, sizeof out);
    assert_string_equal(out, "a\\.b.\\001\\\\.");
    uk_dns_name_format(N("\3www\7example\0"), out, 5);
    assert_string_equal(out, "www.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_eq_hash_lower),
        cmocka_unit_test(test_labels_under),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
