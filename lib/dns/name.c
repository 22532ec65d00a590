/*
 * name.c - wire-format name operations: validation, case-insensitive
 * comparison, lowercasing, hashing, label offsets.  See uk/dns_name.h.
 */
#include <string.h>

#include <uk/dns_name.h>
#include <uk/err.h>

static inline uint8_t fold(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

int uk_dns_name_check(const uint8_t *name, size_t avail, size_t *out_len)
{
    size_t pos = 0;
    for (;;) {
        uint8_t l;
        if (pos >= avail)
            return UK_EPROTO;
        l = name[pos];
        if (l > UK_DNS_LABEL_MAX)
            return UK_EPROTO; /* pointer or reserved label type */
        if (pos + 1 + l > UK_DNS_NAME_MAX || pos + 1 + l > avail)
            return UK_EPROTO;
        pos += 1 + (size_t)l;
        if (l == 0)
            break;
    }
    *out_len = pos;
    return 0;
}

bool uk_dns_name_eq(const uint8_t *a, size_t alen, const uint8_t *b,
                    size_t blen)
{
    size_t i;
    if (alen != blen)
        return false;
    /* Length bytes are below 64 and so unaffected by folding. */
    for (i = 0; i < alen; i++)
        if (a[i] != b[i] && fold(a[i]) != fold(b[i]))
            return false;
    return true;
}

void uk_dns_name_lower(uint8_t *dst, const uint8_t *src, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        dst[i] = fold(src[i]);
}

uint32_t uk_dns_name_hash(const uint8_t *name, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= fold(name[i]);
        h *= 16777619u;
    }
    return h ^ (h >> 15);
}

int uk_dns_name_labels(const uint8_t *name, uint8_t offs[UK_DNS_LABELS_MAX])
{
    int n = 0;
    size_t pos = 0;
    for (;;) {
        offs[n++] = (uint8_t)pos;
        if (name[pos] == 0 || n == UK_DNS_LABELS_MAX)
            return n;
        pos += 1 + (size_t)name[pos];
    }
}

bool uk_dns_name_is_under(const uint8_t *name, size_t len, const uint8_t *zone,
                          size_t zlen)
{
    size_t pos = 0;
    if (zlen > len)
        return false;
    /* Walk label boundaries until the remaining suffix is zlen long. */
    while (len - pos > zlen)
        pos += 1 + (size_t)name[pos];
    return len - pos == zlen && uk_dns_name_eq(name + pos, zlen, zone, zlen);
}

/* Appends s[0..n) to out[*pos..cap - 1). */
static void put(char *out, size_t cap, size_t *pos, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n && *pos + 1 < cap; i++)
        out[(*pos)++] = s[i];
}

void uk_dns_name_format(const uint8_t *name, size_t len, char *out, size_t cap)
{
    size_t pos = 0, i = 0;
    if (cap == 0)
        return;
    if (len <= 1)
        put(out, cap, &pos, ".", 1);
    while (i < len && name[i] != 0) {
        size_t l = name[i++], j;
        for (j = 0; j < l && i < len; j++, i++) {
            uint8_t c = name[i];
            char esc[5];
            if (c == '.' || c == '\\' || c == '"') {
                esc[0] = '\\';
                esc[1] = (char)c;
                put(out, cap, &pos, esc, 2);
            } else if (c <= 0x20 || c >= 0x7f) {
                esc[0] = '\\';
                esc[1] = (char)('0' + c / 100);
                esc[2] = (char)('0' + c / 10 % 10);
                esc[3] = (char)('0' + c % 10);
                put(out, cap, &pos, esc, 4);
            } else {
                put(out, cap, &pos, (const char *)&c, 1);
            }
        }
        put(out, cap, &pos, ".", 1);
    }
    out[pos] = '\0';
}
