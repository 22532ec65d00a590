/*
 * mkbig.c OUT SIZE - writes SIZE bytes of a fixed xorshift64 stream to OUT:
 * the large file test_big.c embeds and checks (the same stream, so the test
 * needs no copy of it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "big_stream.h"

int main(int argc, char **argv)
{
    static unsigned char buf[1 << 16];
    struct big_stream s;
    unsigned long long left;
    FILE *f;
    if (argc != 3)
        return 2;
    left = strtoull(argv[2], NULL, 10);
    f = fopen(argv[1], "wb");
    if (f == NULL)
        return 1;
    big_stream_init(&s);
    while (left > 0) {
        size_t n = left < sizeof buf ? (size_t)left : sizeof buf;
        big_stream_fill(&s, buf, n);
        if (fwrite(buf, 1, n, f) != n)
            return 1;
        left -= n;
    }
    return fclose(f) != 0;
}
