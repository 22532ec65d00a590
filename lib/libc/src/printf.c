/*
 * printf.c - snprintf/vsnprintf of uk's freestanding libc: formatting into
 * memory only.
 *
 * Conversions: d i u x X o c s p %; flags '-' '0' '+' ' ' '#'; width and
 * precision as numbers or '*'; length modifiers hh h l ll z j t.  No
 * floating point.  Output beyond n-1 bytes is counted but not written, and
 * the result is always NUL-terminated when n > 0 (C99 semantics).
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
    char *buf;
    size_t n, len; /* capacity, bytes produced so far */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->n)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int count)
{
    while (count-- > 0)
        put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

/* Writes a number: sign/prefix, precision zeros, width padding. */
static void number(struct out *o, uintmax_t v, bool neg, unsigned base,
                   bool upper, int flags, int width, int prec)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    const char *prefix = "";
    int nd = 0, zeros, plen, total;
    while (v != 0) {
        tmp[nd++] = digits[v % base];
        v /= base;
    }
    if (prec < 0)
        prec = 1;
    else
        flags &= ~F_ZERO;
    zeros = prec > nd ? prec - nd : 0;
    if (neg)
        prefix = "-";
    else if (flags & F_PLUS)
        prefix = "+";
    else if (flags & F_SPACE)
        prefix = " ";
    if ((flags & F_ALT) && base == 16 && nd > 0)
        prefix = upper ? "0X" : "0x";
    if ((flags & F_ALT) && base == 8 && zeros == 0)
        zeros = 1;
    plen = (int)strlen(prefix);
    total = plen + zeros + nd;
    if (!(flags & (F_LEFT | F_ZERO)))
        pad(o, ' ', width - total);
    while (*prefix != '\0')
        put(o, *prefix++);
    if (flags & F_ZERO)
        pad(o, '0', width - total);
    pad(o, '0', zeros);
    while (nd > 0)
        put(o, tmp[--nd]);
    if (flags & F_LEFT)
        pad(o, ' ', width - total);
}

static void string(struct out *o, const char *s, int flags, int width,
                   int prec)
{
    int len;
    if (s == NULL)
        s = "(null)";
    len = (int)(prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
    if (!(flags & F_LEFT))
        pad(o, ' ', width - len);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (flags & F_LEFT)
        pad(o, ' ', width - len);
}

enum len { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF };

static intmax_t get_signed(va_list *ap, enum len l)
{
    switch (l) {
    case L_CHAR: return (signed char)va_arg(*ap, int);
    case L_SHORT: return (short)va_arg(*ap, int);
    case L_LONG: return va_arg(*ap, long);
    case L_LLONG: return va_arg(*ap, long long);
    case L_SIZE: return (intmax_t)va_arg(*ap, size_t);
    case L_MAX: return va_arg(*ap, intmax_t);
    case L_PTRDIFF: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static uintmax_t get_unsigned(va_list *ap, enum len l)
{
    switch (l) {
    case L_CHAR: return (unsigned char)va_arg(*ap, unsigned);
    case L_SHORT: return (unsigned short)va_arg(*ap, unsigned);
    case L_LONG: return va_arg(*ap, unsigned long);
    case L_LLONG: return va_arg(*ap, unsigned long long);
    case L_SIZE: return va_arg(*ap, size_t);
    case L_MAX: return va_arg(*ap, uintmax_t);
    case L_PTRDIFF: return (uintmax_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Parses flags, width, precision and length at *fp; advances it. */
static void spec(const char **fp, va_list *ap, int *flags, int *width,
                 int *prec, enum len *l)
{
    const char *f = *fp;
    *flags = 0;
    *width = 0;
    *prec = -1;
    for (;; f++) {
        if (*f == '-') *flags |= F_LEFT;
        else if (*f == '0') *flags |= F_ZERO;
        else if (*f == '+') *flags |= F_PLUS;
        else if (*f == ' ') *flags |= F_SPACE;
        else if (*f == '#') *flags |= F_ALT;
        else break;
    }
    if (*f == '*') {
        *width = va_arg(*ap, int);
        if (*width < 0) {
            *flags |= F_LEFT;
            *width = *width == INT_MIN ? INT_MAX : -*width;
        }
        f++;
    } else {
        while (*f >= '0' && *f <= '9' && *width < INT_MAX / 10)
            *width = *width * 10 + (*f++ - '0');
    }
    if (*f == '.') {
        f++;
        *prec = 0;
        if (*f == '*') {
            *prec = va_arg(*ap, int);
            if (*prec < 0)
                *prec = -1;
            f++;
        } else {
            while (*f >= '0' && *f <= '9' && *prec < INT_MAX / 10)
                *prec = *prec * 10 + (*f++ - '0');
        }
    }
    if (*flags & F_LEFT)
        *flags &= ~F_ZERO;
    *l = L_INT;
    if (f[0] == 'h' && f[1] == 'h') { *l = L_CHAR; f += 2; }
    else if (f[0] == 'h') { *l = L_SHORT; f++; }
    else if (f[0] == 'l' && f[1] == 'l') { *l = L_LLONG; f += 2; }
    else if (f[0] == 'l') { *l = L_LONG; f++; }
    else if (f[0] == 'z') { *l = L_SIZE; f++; }
    else if (f[0] == 'j') { *l = L_MAX; f++; }
    else if (f[0] == 't') { *l = L_PTRDIFF; f++; }
    *fp = f;
}

int vsnprintf(char *restrict buf, size_t n, const char *restrict format,
              va_list ap_in)
{
    struct out o = {buf, n, 0};
    const char *fmt = format;
    va_list ap;
    va_copy(ap, ap_in);
    while (*fmt != '\0') {
        int flags, width, prec;
        enum len l;
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        spec(&fmt, &ap, &flags, &width, &prec, &l);
        switch (*fmt) {
        case 'd':
        case 'i': {
            intmax_t v = get_signed(&ap, l);
            uintmax_t u = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
            number(&o, u, v < 0, 10, false, flags, width, prec);
            break;
        }
        case 'u':
            number(&o, get_unsigned(&ap, l), false, 10, false,
                   flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        case 'x':
        case 'X':
            number(&o, get_unsigned(&ap, l), false, 16, *fmt == 'X',
                   flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        case 'o':
            number(&o, get_unsigned(&ap, l), false, 8, false,
                   flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        case 'p':
            number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false,
                   F_ALT | (flags & F_LEFT), width, prec);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!(flags & F_LEFT))
                pad(&o, ' ', width - 1);
            put(&o, c);
            if (flags & F_LEFT)
                pad(&o, ' ', width - 1);
            break;
        }
        case 's':
            string(&o, va_arg(ap, const char *), flags, width, prec);
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--; /* a lone '%' at the end: stop */
            break;
        default: /* unknown conversion: print it as written */
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
        fmt++;
    }
    va_end(ap);
    if (n > 0)
        buf[o.len < n ? o.len : n - 1] = '\0';
    return o.len > INT_MAX ? -1 : (int)o.len;
}

int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
