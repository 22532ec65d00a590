/*
 * faults_parse.c - the text form of a fault configuration, for options
 * such as the tap backend's --faults= (uk/tcpip/faults.h).
 */
#include <string.h>

#include <uk/tcpip/faults.h>

/* "12", "12.5", "0.0001" followed by an optional '%': parts per million. */
static bool parse_percent(const char *s, size_t n, uint32_t *out)
{
    uint64_t whole = 0, frac = 0;
    size_t i = 0, digits = 0, fdigits = 0;
    if (n > 0 && s[n - 1] == '%')
        n--;
    for (; i < n && s[i] >= '0' && s[i] <= '9' && digits < 4; i++, digits++)
        whole = whole * 10 + (uint64_t)(s[i] - '0');
    if (digits == 0)
        return false;
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9' && fdigits < 4; i++)
            frac = frac * 10 + (uint64_t)(s[i] - '0'), fdigits++;
        if (fdigits == 0)
            return false;
    }
    if (i != n)
        return false;
    while (fdigits++ < 4)
        frac *= 10;
    whole = whole * 10000 + frac; /* in 1/10000 of a percent = ppm */
    if (whole > UK_FAULTS_ONE)
        return false;
    *out = (uint32_t)whole;
    return true;
}

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;
    if (n == 0 || n > 19)
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

static bool key_is(const char *k, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(k, name, n) == 0;
}

/* Applies one "key=value"; seen is a bit set of keys already given. */
static bool parse_item(const char *k, size_t kn, const char *v, size_t vn,
                       struct uk_faults_config *c, unsigned *seen)
{
    static const char *const keys[] = {"drop",     "corrupt",    "dup",
                                       "delay",    "reorder",    "delay_ms",
                                       "reorder_ms", "seed"};
    uint32_t *pct[5];
    uint64_t ms;
    unsigned i;
    pct[0] = &c->drop;
    pct[1] = &c->corrupt;
    pct[2] = &c->duplicate;
    pct[3] = &c->delay;
    pct[4] = &c->reorder;
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (key_is(k, kn, keys[i]))
            break;
    if (i == sizeof keys / sizeof keys[0] || (*seen & 1u << i))
        return false;
    *seen |= 1u << i;
    if (i < 5)
        return parse_percent(v, vn, pct[i]);
    if (i == 7)
        return parse_u64(v, vn, &c->seed);
    if (!parse_u64(v, vn, &ms) || ms > 3600000)
        return false;
    if (i == 5)
        c->delay_ns = ms * UK_NS_PER_MS;
    else
        c->reorder_ns = ms * UK_NS_PER_MS;
    return true;
}

int uk_faults_parse(const char *s, size_t n, struct uk_faults_config *out)
{
    struct uk_faults_config c;
    unsigned seen = 0;
    size_t pos = 0;
    memset(&c, 0, sizeof c);
    while (pos < n) {
        size_t end = pos, eq;
        while (end < n && s[end] != ',')
            end++;
        for (eq = pos; eq < end && s[eq] != '='; eq++)
            ;
        if (eq == end || !parse_item(s + pos, eq - pos, s + eq + 1,
                                     end - eq - 1, &c, &seen))
            return UK_EINVAL;
        pos = end + 1;
        if (end + 1 == n) /* trailing comma */
            return UK_EINVAL;
    }
    *out = c;
    return 0;
}
