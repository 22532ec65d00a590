/*
 * test_clock.c - the calendar helpers of uk/clock.h against known dates,
 * both directions, with weekdays; and the fake clock of tests/support.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <uk/clock.h>

#include "fake_clock.h"

struct date_case {
    int64_t secs;
    struct uk_date d; /* year, month, day, hour, minute, second, weekday */
};

static const struct date_case cases[] = {
    {0, {1970, 1, 1, 0, 0, 0, 4}},
    {-1, {1969, 12, 31, 23, 59, 59, 3}},
    {-86400, {1969, 12, 31, 0, 0, 0, 3}},
    {-86401, {1969, 12, 30, 23, 59, 59, 2}},
    {86399, {1970, 1, 1, 23, 59, 59, 4}},
    {951782400, {2000, 2, 29, 0, 0, 0, 2}},
    {951868799, {2000, 2, 29, 23, 59, 59, 2}},
    {951868800, {2000, 3, 1, 0, 0, 0, 3}},
    {2147483647, {2038, 1, 19, 3, 14, 7, 2}},
    {2147483648LL, {2038, 1, 19, 3, 14, 8, 2}},
    {4107542400LL, {2100, 3, 1, 0, 0, 0, 1}}, /* 2100 is not leap */
    {4107456000LL, {2100, 2, 28, 0, 0, 0, 0}},
    {-2208988800LL, {1900, 1, 1, 0, 0, 0, 1}},
    {-2203891200LL, {1900, 3, 1, 0, 0, 0, 4}}, /* 1900 is not leap */
    {253402300799LL, {9999, 12, 31, 23, 59, 59, 5}},
    {-62135596800LL, {1, 1, 1, 0, 0, 0, 1}},
    {1700000000, {2023, 11, 14, 22, 13, 20, 2}},
};

static void test_known_dates(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct date_case *c = &cases[i];
        struct uk_date d;
        uk_date_from_posix(c->secs, &d);
        if (d.year != c->d.year || d.month != c->d.month ||
            d.day != c->d.day || d.hour != c->d.hour ||
            d.minute != c->d.minute || d.second != c->d.second ||
            d.weekday != c->d.weekday)
            fail_msg("%lld gave %d-%02d-%02dT%02d:%02d:%02d wd %d",
                     (long long)c->secs, d.year, d.month, d.day, d.hour,
                     d.minute, d.second, d.weekday);
        assert_true(uk_date_to_posix(&c->d) == c->secs);
    }
}

/* Every day from year 1 to 9999 round-trips, and consecutive days have
 * consecutive weekdays and valid fields. */
static void test_every_day(void **state)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
    int64_t days = uk_days_from_civil(1, 1, 1);
    int y, m, d, wd = 1; /* 0001-01-01 was a Monday */
    (void)state;
    for (y = 1; y <= 9999; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (m = 1; m <= 12; m++) {
            int n = mdays[m - 1] + (m == 2 && leap);
            for (d = 1; d <= n; d++) {
                struct uk_date out;
                if (uk_days_from_civil(y, m, d) != days)
                    fail_msg("days_from_civil %d-%d-%d", y, m, d);
                uk_date_from_posix(days * 86400 + 43200, &out);
                if (out.year != y || out.month != m || out.day != d ||
                    out.weekday != wd || out.hour != 12)
                    fail_msg("date_from_posix %d-%d-%d", y, m, d);
                days++;
                wd = (wd + 1) % 7;
            }
        }
    }
    assert_true(days == uk_days_from_civil(10000, 1, 1));
}

static void test_fake_clock(void **state)
{
    struct fake_clock c;
    (void)state;
    fake_clock_init(&c, 5, 1000);
    assert_true(uk_clock_monotonic_ns(&c.clock) == 5);
    assert_true(uk_clock_wall_ns(&c.clock) == 1000);
    fake_clock_advance(&c, 10);
    assert_true(uk_clock_monotonic_ns(&c.clock) == 15);
    assert_true(uk_clock_wall_ns(&c.clock) == 1010);
    fake_clock_set(&c, 100);
    assert_true(uk_clock_monotonic_ns(&c.clock) == 100);
    assert_true(uk_clock_wall_ns(&c.clock) == 1095);
    c.wall_ns = -5; /* the wall clock may jump on its own */
    assert_true(uk_clock_wall_ns(&c.clock) == -5);
    assert_true(uk_clock_monotonic_ns(&c.clock) == 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_dates),
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_fake_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
