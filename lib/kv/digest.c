/*
 * digest.c - the KV_RO content digest (uk/kv_digest.h).
 *
 * Lane a: a ^= w; a *= P1; a ^= a >> 32 (an FNV-like xor-multiply chain
 * on whole words, with a shift so high bits feed back into low ones).
 * Lane b: b += w; b = rotl(b, 27) * P2 + a (an add-rotate-multiply chain
 * that also takes in lane a, so the lanes are not independent copies).
 * Final: the length and a 0x80 end marker go in as a last word, then each
 * output half is a 64-bit avalanche finaliser of both lanes.
 */

#include <uk/kv_digest.h>

#define P1 0x9fb21c651e98df25ull /* odd 64-bit multipliers */
#define P2 0xc2b2ae3d27d4eb4full

static uint64_t rotl(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

/* Bijective 64-bit avalanche: every input bit affects every output bit. */
static uint64_t avalanche(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 29;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 32;
    return x;
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t w = 0;
    unsigned i;
    for (i = 0; i < 8; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return w;
}

static void absorb(struct uk_kv_digest *d, uint64_t w)
{
    d->a ^= w;
    d->a *= P1;
    d->a ^= d->a >> 32;
    d->b += w;
    d->b = rotl(d->b, 27) * P2 + d->a;
}

void uk_kv_digest_init(struct uk_kv_digest *d)
{
    d->a = 0x243f6a8885a308d3ull; /* fractional digits of pi */
    d->b = 0x13198a2e03707344ull;
    d->len = 0;
    d->ntail = 0;
}

void uk_kv_digest_update(struct uk_kv_digest *d, const void *data, size_t n)
{
    const uint8_t *p = data;
    d->len += n;
    while (n > 0 && d->ntail > 0) {
        d->tail[d->ntail++] = *p++;
        n--;
        if (d->ntail == 8) {
            absorb(d, load_le64(d->tail));
            d->ntail = 0;
        }
    }
    for (; n >= 8; p += 8, n -= 8)
        absorb(d, load_le64(p));
    for (; n > 0; n--)
        d->tail[d->ntail++] = *p++;
}

void uk_kv_digest_final(struct uk_kv_digest *d,
                        uint8_t out[UK_KV_DIGEST_LEN])
{
    uint64_t h0, h1;
    unsigned i;
    /* The partial word, padded with an end marker, then the length: inputs
     * that differ only by trailing zero bytes digest differently. */
    d->tail[d->ntail++] = 0x80;
    while (d->ntail < 8)
        d->tail[d->ntail++] = 0;
    absorb(d, load_le64(d->tail));
    absorb(d, d->len);
    h0 = avalanche(d->a ^ rotl(d->b, 17));
    h1 = avalanche(d->b + h0);
    for (i = 0; i < 8; i++) {
        out[i] = (uint8_t)(h0 >> (8 * i));
        out[8 + i] = (uint8_t)(h1 >> (8 * i));
    }
    d->ntail = 0;
}

void uk_kv_digest_of(const void *data, size_t n,
                     uint8_t out[UK_KV_DIGEST_LEN])
{
    struct uk_kv_digest d;
    uk_kv_digest_init(&d);
    uk_kv_digest_update(&d, data, n);
    uk_kv_digest_final(&d, out);
}
