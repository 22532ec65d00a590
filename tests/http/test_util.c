/*
 * test_util.c - the HTTP helpers: target to key (hostile paths included),
 * HTTP dates, byte ranges, entity tags, content types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/http.h>
#include <uk/kv_ro.h>

static void key_ok(const char *target, const char *want, bool want_dir)
{
    char key[UK_KV_KEY_MAX + 1];
    bool dir = !want_dir;
    int r = uk_http_target_to_key(target, key, sizeof key, &dir);
    if (r != 0)
        fail_msg("%s: %s", target, uk_errname(r));
    assert_string_equal(key, want);
    assert_int_equal(dir, want_dir);
    assert_int_equal(uk_kv_key_check(key), 0);
}

static void key_bad(const char *target, int want)
{
    char key[UK_KV_KEY_MAX + 1];
    bool dir;
    int r = uk_http_target_to_key(target, key, sizeof key, &dir);
    if (r != want)
        fail_msg("%s: got %s want %s", target, uk_errname(r),
                 uk_errname(want));
}

static void test_target_to_key(void **state)
{
    static char longp[3000];
    (void)state;
    key_ok("/", "", true);
    key_ok("/index.html", "index.html", false);
    key_ok("/a/b/", "a/b", true);
    key_ok("/a//b/./c", "a/b/c", false);
    key_ok("/a/b/../c", "a/c", false);
    key_ok("/a/..", "", true);
    key_ok("/a/%2e%2e/b", "b", false);
    key_ok("/%7Euser/x%20y.txt?q=/../..#f", "~user/x y.txt", false);
    key_ok("http://example.com/a?x", "a", false);
    key_ok("HTTPS://example.com", "", true);
    key_ok("/%252e%252e/x", "%2e%2e/x", false); /* double-encoded: literal */
    key_ok("/%C3%A9t%C3%A9", "\xc3\xa9t\xc3\xa9", false);
    key_bad("/..", UK_EINVAL);
    key_bad("/../etc/passwd", UK_EINVAL);
    key_bad("/a/../../etc/passwd", UK_EINVAL);
    key_bad("/%2e%2e/secret", UK_EINVAL);
    key_bad("/%2E%2E%2Fsecret", UK_EINVAL);
    key_bad("/a%2fb", UK_EINVAL);
    key_bad("/a%00b", UK_EINVAL);
    key_bad("/a%0ab", UK_EINVAL);
    key_bad("/a\\b", UK_EINVAL);
    key_bad("/a%5cb", UK_EINVAL);
    key_bad("/..%5c..%5csecret", UK_EINVAL);
    key_bad("/a%", UK_EINVAL);
    key_bad("/a%4", UK_EINVAL);
    key_bad("/a%zz", UK_EINVAL);
    key_bad("*", UK_EINVAL);
    key_bad("example.com:80", UK_EINVAL);
    memset(longp, 'a', sizeof longp - 1);
    longp[0] = '/';
    key_bad(longp, UK_ENAMETOOLONG);
    {
        char small[8];
        bool dir;
        assert_int_equal(
            uk_http_target_to_key("/abcdefgh", small, sizeof small, &dir),
            UK_ENAMETOOLONG);
        assert_int_equal(
            uk_http_target_to_key("/abc/defg", small, sizeof small, &dir),
            UK_ENAMETOOLONG);
        assert_int_equal(
            uk_http_target_to_key("/abc/def", small, sizeof small, &dir), 0);
        assert_string_equal(small, "abc/def");
    }
}

static void test_dates(void **state)
{
    char buf[UK_HTTP_DATE_LEN + 1];
    int64_t t;
    (void)state;
    uk_http_date_format(784111777, buf);
    assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    uk_http_date_format(0, buf);
    assert_string_equal(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_int_equal(strlen(buf), UK_HTTP_DATE_LEN);
    assert_int_equal(uk_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t),
                     0);
    assert_int_equal(t, 784111777);
    assert_int_equal(uk_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t),
                     0);
    assert_int_equal(t, 784111777);
    assert_int_equal(uk_http_date_parse("Sun Nov  6 08:49:37 1994", &t), 0);
    assert_int_equal(t, 784111777);
    assert_int_equal(uk_http_date_parse("Sat, 29 Feb 2020 23:59:59 GMT", &t),
                     0);
    assert_int_equal(t, 1583020799);
    assert_int_equal(uk_http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", &t),
                     UK_EINVAL);
    assert_int_equal(uk_http_date_parse("Sun, 32 Nov 1994 08:49:37 GMT", &t),
                     UK_EINVAL);
    assert_int_equal(uk_http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT", &t),
                     UK_EINVAL);
    assert_int_equal(uk_http_date_parse("Sun, 06 Nov 1994 24:49:37 GMT", &t),
                     UK_EINVAL);
    assert_int_equal(uk_http_date_parse("", &t), UK_EINVAL);
    assert_int_equal(uk_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMTx", &t),
                     UK_EINVAL);
    /* round trip over a range of dates */
    for (t = 0; t < 4102444800; t += 86400 * 37 + 3607) {
        int64_t back;
        uk_http_date_format(t, buf);
        assert_int_equal(uk_http_date_parse(buf, &back), 0);
        assert_int_equal(back, t);
    }
}

static void test_ranges(void **state)
{
    uint64_t a, b;
    (void)state;
    assert_int_equal(uk_http_range_parse("bytes=0-99", 1000, &a, &b), 0);
    assert_int_equal(a, 0);
    assert_int_equal(b, 99);
    assert_int_equal(uk_http_range_parse("bytes=990-", 1000, &a, &b), 0);
    assert_int_equal(a, 990);
    assert_int_equal(b, 999);
    assert_int_equal(uk_http_range_parse("bytes=-10", 1000, &a, &b), 0);
    assert_int_equal(a, 990);
    assert_int_equal(b, 999);
    assert_int_equal(uk_http_range_parse("bytes=-5000", 1000, &a, &b), 0);
    assert_int_equal(a, 0);
    assert_int_equal(uk_http_range_parse("bytes=500-5000", 1000, &a, &b), 0);
    assert_int_equal(b, 999);
    assert_int_equal(uk_http_range_parse("bytes=1000-", 1000, &a, &b),
                     UK_ERANGE);
    assert_int_equal(uk_http_range_parse("bytes=-0", 1000, &a, &b), UK_ERANGE);
    assert_int_equal(uk_http_range_parse("bytes=0-0", 0, &a, &b), UK_ERANGE);
    assert_int_equal(uk_http_range_parse("bytes=5-1", 1000, &a, &b),
                     UK_EINVAL);
    assert_int_equal(uk_http_range_parse("bytes=0-1,3-4", 1000, &a, &b),
                     UK_EINVAL);
    assert_int_equal(uk_http_range_parse("items=0-1", 1000, &a, &b),
                     UK_EINVAL);
    assert_int_equal(uk_http_range_parse("bytes=", 1000, &a, &b), UK_EINVAL);
    assert_int_equal(uk_http_range_parse("bytes=-", 1000, &a, &b), UK_EINVAL);
    assert_int_equal(
        uk_http_range_parse("bytes=99999999999999999999999-", 1000, &a, &b),
        UK_EINVAL);
}

static void test_etags_and_types(void **state)
{
    (void)state;
    assert_true(uk_http_etag_match("\"abc\"", "\"abc\""));
    assert_true(uk_http_etag_match("W/\"abc\"", "\"abc\""));
    assert_true(uk_http_etag_match("\"x\", \"abc\"", "\"abc\""));
    assert_true(uk_http_etag_match(" *", "\"abc\""));
    assert_false(uk_http_etag_match("\"abcd\"", "\"abc\""));
    assert_false(uk_http_etag_match("abc", "\"abc\""));
    assert_false(uk_http_etag_match("\"abc", "\"abc\""));
    assert_true(uk_http_etag_strong_eq("\"abc\"", "\"abc\""));
    assert_false(uk_http_etag_strong_eq("W/\"abc\"", "\"abc\""));
    assert_string_equal(uk_http_content_type("index.html"),
                        "text/html; charset=utf-8");
    assert_string_equal(uk_http_content_type("a/B.PNG"), "image/png");
    assert_string_equal(uk_http_content_type("css/site.css"),
                        "text/css; charset=utf-8");
    assert_string_equal(uk_http_content_type("a.d/noext"),
                        "application/octet-stream");
    assert_string_equal(uk_http_content_type("x.unknown"),
                        "application/octet-stream");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_to_key),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_etags_and_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
