/*
 * date.c - HTTP-date (RFC 9110 section 5.6.7): formatting as IMF-fixdate,
 * parsing all three accepted forms.  See uk/http.h.
 */
#include <string.h>

#include <uk/clock.h>
#include <uk/http.h>

static const char wdays[7][4] = {"Sun", "Mon", "Tue", "Wed",
                                 "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

void uk_http_date_format(int64_t secs, char *out)
{
    struct uk_date d;
    uk_date_from_posix(secs, &d);
    if (d.year < 0 || d.year > 9999) /* outside HTTP-date: clamp */
        uk_date_from_posix(0, &d);
    memcpy(out, wdays[d.weekday], 3);
    out[3] = ',';
    out[4] = ' ';
    put2(out + 5, d.day);
    out[7] = ' ';
    memcpy(out + 8, months[d.month - 1], 3);
    out[11] = ' ';
    put2(out + 12, d.year / 100);
    put2(out + 14, d.year % 100);
    out[16] = ' ';
    put2(out + 17, d.hour);
    out[19] = ':';
    put2(out + 20, d.minute);
    out[22] = ':';
    put2(out + 23, d.second);
    memcpy(out + 25, " GMT", 5); /* with the NUL */
}

/* n decimal digits at *s; advances *s.  -1 if not digits. */
static int digits(const char **s, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *s += n;
    return v;
}

static bool lit(const char **s, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(*s, w, n) != 0)
        return false;
    *s += n;
    return true;
}

static int month(const char **s)
{
    int i;
    for (i = 0; i < 12; i++)
        if (strncmp(*s, months[i], 3) == 0) {
            *s += 3;
            return i + 1;
        }
    return -1;
}

/* "HH:MM:SS" into d. */
static bool time_of_day(const char **s, struct uk_date *d)
{
    d->hour = digits(s, 2);
    if (d->hour < 0 || !lit(s, ":"))
        return false;
    d->minute = digits(s, 2);
    if (d->minute < 0 || !lit(s, ":"))
        return false;
    d->second = digits(s, 2);
    return d->second >= 0;
}

static bool valid(const struct uk_date *d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    return d->month >= 1 && d->month <= 12 && d->day >= 1 &&
           d->day <= mdays[d->month - 1] && d->hour <= 23 && d->minute <= 59 &&
           d->second <= 60;
}

int uk_http_date_parse(const char *s, int64_t *secs)
{
    struct uk_date d;
    const char *p = s;
    memset(&d, 0, sizeof d);
    while (*p >= 'A' && *p <= 'z' && p - s < 10)
        p++; /* the day name; not cross-checked, as RFC 9110 allows */
    if (lit(&p, ", ")) {
        d.day = digits(&p, 2);
        if (d.day < 0)
            return UK_EINVAL;
        if (lit(&p, " ")) { /* IMF-fixdate */
            if ((d.month = month(&p)) < 0 || !lit(&p, " ") ||
                (d.year = digits(&p, 4)) < 0)
                return UK_EINVAL;
        } else if (lit(&p, "-")) { /* RFC 850 */
            if ((d.month = month(&p)) < 0 || !lit(&p, "-") ||
                (d.year = digits(&p, 2)) < 0)
                return UK_EINVAL;
            d.year += d.year < 70 ? 2000 : 1900;
        } else {
            return UK_EINVAL;
        }
        if (!lit(&p, " ") || !time_of_day(&p, &d) || !lit(&p, " GMT"))
            return UK_EINVAL;
    } else if (lit(&p, " ")) { /* asctime: "Sun Nov  6 08:49:37 1994" */
        if ((d.month = month(&p)) < 0 || !lit(&p, " "))
            return UK_EINVAL;
        if (*p == ' ')
            p++, d.day = digits(&p, 1);
        else
            d.day = digits(&p, 2);
        if (d.day < 0 || !lit(&p, " ") || !time_of_day(&p, &d) ||
            !lit(&p, " ") || (d.year = digits(&p, 4)) < 0)
            return UK_EINVAL;
    } else {
        return UK_EINVAL;
    }
    if (*p != '\0' || !valid(&d))
        return UK_EINVAL;
    *secs = uk_date_to_posix(&d);
    return 0;
}
