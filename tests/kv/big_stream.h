/* big_stream.h - the byte stream of the large-file test (mkbig.c writes
 * it, test_big.c checks it): xorshift64, one byte per step. */
#ifndef BIG_STREAM_H
#define BIG_STREAM_H

#include <stddef.h>
#include <stdint.h>

struct big_stream {
    uint64_t s;
};

static inline void big_stream_init(struct big_stream *b)
{
    b->s = 0x9e3779b97f4a7c15ull;
}

static inline void big_stream_fill(struct big_stream *b, unsigned char *p,
                                   size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        b->s ^= b->s << 13;
        b->s ^= b->s >> 7;
        b->s ^= b->s << 17;
        p[i] = (unsigned char)(b->s >> 56);
    }
}

#endif
