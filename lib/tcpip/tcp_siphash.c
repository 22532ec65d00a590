/*
 * tcp_siphash.c - SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012), the keyed hash behind ISNs (RFC 6528) and SYN
 * cookies.  Written from the paper's description.
 */
#include "tcp_internal.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = ROTL(v[1], 13);
    v[1] ^= v[0];
    v[0] = ROTL(v[0], 32);
    v[2] += v[3];
    v[3] = ROTL(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = ROTL(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = ROTL(v[1], 17);
    v[1] ^= v[2];
    v[2] = ROTL(v[2], 32);
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t r = 0;
    int i;
    for (i = 7; i >= 0; i--)
        r = r << 8 | p[i];
    return r;
}

static void compress(uint64_t v[4], uint64_t m)
{
    v[3] ^= m;
    sip_round(v);
    sip_round(v);
    v[0] ^= m;
}

uint64_t uk__tcp_siphash(const uint64_t key[2], const void *data, size_t n)
{
    const uint8_t *p = (const uint8_t *)data;
    uint64_t v[4];
    uint64_t last = (uint64_t)(n & 255) << 56;
    size_t i, tail = n & 7;
    v[0] = key[0] ^ 0x736f6d6570736575ull;
    v[1] = key[1] ^ 0x646f72616e646f6dull;
    v[2] = key[0] ^ 0x6c7967656e657261ull;
    v[3] = key[1] ^ 0x7465646279746573ull;
    for (i = 0; i + 8 <= n; i += 8)
        compress(v, load_le64(p + i));
    for (i = 0; i < tail; i++)
        last |= (uint64_t)p[n - tail + i] << (8 * i);
    compress(v, last);
    v[2] ^= 0xff;
    sip_round(v);
    sip_round(v);
    sip_round(v);
    sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}
