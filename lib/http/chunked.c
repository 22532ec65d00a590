/*
 * chunked.c - the decoder of the chunked transfer coding (RFC 9112
 * section 7.1) for request bodies: a byte-driven state machine fed pieces
 * of any size that hands back the data spans in place.  See uk/http.h.
 */
#include <uk/http.h>
#include <uk/ipaddr.h> /* uk__hexval */

enum state {
    C_SIZE,    /* hex digits of a chunk size (at least one) */
    C_EXT,     /* after the size: BWS, chunk extensions, up to CR */
    C_SIZE_LF, /* CR seen at the end of the size line */
    C_DATA,    /* left bytes of chunk data */
    C_DATA_CR, /* the CRLF after chunk data */
    C_DATA_LF, /*   its LF */
    C_TRAILER, /* start of a trailer line, or of the final CRLF */
    C_TR_LINE, /* inside a trailer line */
    C_TR_LF,   /* CR seen at the end of a trailer line */
    C_END_LF,  /* CR of the final blank line seen */
    C_DONE,
    C_ERROR
};

void uk_http_chunked_init(struct uk_http_chunked *d)
{
    d->state = C_SIZE;
    d->left = 0;
    d->digits = 0;
    d->line = 0;
    d->trailer = 0;
}

/* Extension and trailer bytes: field-vchar, SP, HTAB (obs-text too). */
static bool is_line_char(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* One byte outside chunk data; false when it is malformed. */
static bool step(struct uk_http_chunked *d, unsigned char c)
{
    int h;
    switch (d->state) {
    case C_SIZE:
        h = uk__hexval((char)c);
        if (h >= 0) {
            /* 15 digits: under 2^60, no overflow, larger than any body */
            if (++d->digits > 15)
                return false;
            d->left = d->left * 16 + (uint64_t)h;
            return true;
        }
        if (d->digits == 0)
            return false;
        d->state = C_EXT;
        /* fall through */
    case C_EXT:
        if (c == '\r') {
            d->state = C_SIZE_LF;
            return true;
        }
        if (!is_line_char(c) || ++d->line > UK_HTTP_CHUNK_LINE_MAX)
            return false;
        return true;
    case C_SIZE_LF:
        if (c != '\n')
            return false;
        d->digits = 0;
        d->line = 0;
        d->state = d->left > 0 ? C_DATA : C_TRAILER;
        return true;
    case C_DATA_CR:
        if (c != '\r')
            return false;
        d->state = C_DATA_LF;
        return true;
    case C_DATA_LF:
        if (c != '\n')
            return false;
        d->state = C_SIZE;
        return true;
    case C_TRAILER:
        if (c == '\r') {
            d->state = C_END_LF;
            return true;
        }
        d->state = C_TR_LINE;
        /* fall through */
    case C_TR_LINE:
        if (++d->trailer > UK_HTTP_TRAILER_MAX)
            return false;
        if (c == '\r') {
            d->state = C_TR_LF;
            return true;
        }
        return is_line_char(c);
    case C_TR_LF:
        if (c != '\n')
            return false;
        d->state = C_TRAILER;
        return true;
    case C_END_LF:
        if (c != '\n')
            return false;
        d->state = C_DONE;
        return true;
    default:
        return false;
    }
}

int uk_http_chunked_decode(struct uk_http_chunked *d, const void *in,
                           size_t len, size_t *used, const void **data,
                           size_t *dlen)
{
    const unsigned char *b = (const unsigned char *)in;
    size_t i = 0;
    *used = 0;
    *data = NULL;
    *dlen = 0;
    if (d->state == C_DONE)
        return UK_HTTP_DONE;
    if (d->state == C_ERROR)
        return UK_EPROTO;
    while (i < len) {
        if (d->state == C_DATA) {
            size_t n = len - i < d->left ? len - i : (size_t)d->left;
            *data = b + i;
            *dlen = n;
            d->left -= n;
            if (d->left == 0)
                d->state = C_DATA_CR;
            *used = i + n;
            return UK_HTTP_MORE;
        }
        if (!step(d, b[i++])) {
            d->state = C_ERROR;
            *used = i;
            return UK_EPROTO;
        }
        if (d->state == C_DONE) {
            *used = i;
            return UK_HTTP_DONE;
        }
    }
    *used = i;
    return UK_HTTP_MORE;
}
