/*
 * test_err.c - error codes (uk/err.h): distinct names and messages, the
 * out-of-range answers, and UK_EOF.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/err.h>

static const int codes[] = {
#define CODE(name, msg) UK_##name,
    UK_ERRORS(CODE)
#undef CODE
};
static const char *const names[] = {
#define NAME(name, msg) "UK_" #name,
    UK_ERRORS(NAME)
#undef NAME
};
static const char *const msgs[] = {
#define MSG(name, msg) msg,
    UK_ERRORS(MSG)
#undef MSG
};
#define NCODES (sizeof codes / sizeof codes[0])

static void test_values(void **state)
{
    size_t i;
    (void)state;
    assert_int_equal(UK_OK, 0);
    assert_int_equal(UK_EOF, 1);
    assert_int_equal(UK_EAGAIN, -1); /* ABI: list order from -1 */
    for (i = 0; i < NCODES; i++)
        assert_int_equal(codes[i], -(int)(i + 1));
    assert_int_equal(UK__ERR_LAST, -(int)(NCODES + 1));
}

static void test_names_and_messages(void **state)
{
    size_t i, j;
    (void)state;
    for (i = 0; i < NCODES; i++) {
        const char *m = uk_strerror(codes[i]);
        const char *n = uk_errname(codes[i]);
        assert_string_equal(n, names[i]);
        assert_string_equal(m, msgs[i]);
        assert_true(strlen(m) > 0);
        assert_null(strchr(m, '\n'));
        assert_string_not_equal(m, "unknown error");
        assert_string_not_equal(m, "success");
        for (j = 0; j < i; j++) {
            assert_string_not_equal(m, uk_strerror(codes[j]));
            assert_string_not_equal(n, uk_errname(codes[j]));
        }
    }
    assert_string_equal(uk_errname(UK_ENOMEM), "UK_ENOMEM");
    assert_string_equal(uk_strerror(UK_ETIMEDOUT), "timed out");
}

static void test_ok_and_eof(void **state)
{
    (void)state;
    assert_string_equal(uk_strerror(UK_OK), "success");
    assert_string_equal(uk_errname(UK_OK), "UK_OK");
    assert_string_equal(uk_strerror(UK_EOF), "end of stream");
    assert_string_equal(uk_errname(UK_EOF), "UK_EOF");
}

static void test_out_of_range(void **state)
{
    static const int bad[] = {2, 3, 100, INT32_MAX, -1000, INT32_MIN};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_string_equal(uk_strerror(bad[i]), "unknown error");
        assert_string_equal(uk_errname(bad[i]), "UK_E?");
    }
    assert_string_equal(uk_strerror(UK__ERR_LAST), "unknown error");
    assert_string_equal(uk_errname(UK__ERR_LAST), "UK_E?");
    assert_string_equal(uk_strerror(UK__ERR_LAST + 1),
                        msgs[NCODES - 1]); /* the last real code */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_names_and_messages),
        cmocka_unit_test(test_ok_and_eof),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
