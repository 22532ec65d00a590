/*
 * uk/clock.h - CLOCK: monotonic and wall-clock time, and calendar dates.
 *
 *   uint64_t monotonic_ns(self)                                required
 *       Nanoseconds since an arbitrary origin (typically boot); never goes
 *       backwards.  The time base of every timer and deadline.
 *
 *   int64_t wall_ns(self)                                      required
 *       Nanoseconds since 1970-01-01T00:00:00Z (UTC, POSIX: no leap
 *       seconds).  May jump when the host's clock is set.
 *
 * The calendar helpers below convert POSIX seconds to and from a UTC date,
 * for every date in years 1..9999; they need no clock object.
 */
#ifndef UK_CLOCK_H
#define UK_CLOCK_H

#include <stdint.h>

#include <uk/iface.h>

#define UK_NS_PER_US 1000ull
#define UK_NS_PER_MS 1000000ull
#define UK_NS_PER_S 1000000000ull

#define UK_CLOCK_METHODS(T, M, V, O)                                          \
    M(T, uint64_t, monotonic_ns, (struct T * self), (self))                   \
    M(T, int64_t, wall_ns, (struct T * self), (self))

UK_INTERFACE(uk_clock, UK_CLOCK_METHODS);

/* A UTC calendar date and time of day. */
struct uk_date {
    int year;    /* e.g. 2026 */
    int month;   /* 1..12 */
    int day;     /* 1..31 */
    int hour;    /* 0..23 */
    int minute;  /* 0..59 */
    int second;  /* 0..59 */
    int weekday; /* 0 = Sunday .. 6 = Saturday */
};

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static inline int64_t uk_days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* POSIX seconds -> UTC date. */
static inline void uk_date_from_posix(int64_t secs, struct uk_date *out)
{
    int64_t days = secs / 86400, rem = secs % 86400;
    int64_t z, era, doe, yoe, y, doy, mp;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    out->hour = (int)(rem / 3600);
    out->minute = (int)(rem / 60 % 60);
    out->second = (int)(rem % 60);
    out->weekday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was Thursday */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = (int)(y + (out->month <= 2));
}

/* UTC date -> POSIX seconds (weekday is ignored; fields are not range
 * checked: callers validate what they parsed). */
static inline int64_t uk_date_to_posix(const struct uk_date *d)
{
    return uk_days_from_civil(d->year, d->month, d->day) * 86400 +
           (int64_t)d->hour * 3600 + (int64_t)d->minute * 60 + d->second;
}

#endif
