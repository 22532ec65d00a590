/*
 * prng.c - the ChaCha20 block function (RFC 8439 section 2.3) and the
 * deterministic generator built on it.  See uk/prng.h.
 */
#include <string.h>

#include <uk/prng.h>

static uint32_t load_le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

static void store_le32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

static uint32_t rotl(uint32_t v, int n)
{
    return (v << n) | (v >> (32 - n));
}

/* The quarter round of RFC 8439 section 2.1, on four words of x. */
static void quarter(uint32_t *x, int a, int b, int c, int d)
{
    x[a] += x[b];
    x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d];
    x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b];
    x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d];
    x[b] = rotl(x[b] ^ x[c], 7);
}

/* 20 rounds over `in` (constants, key, counter, nonce), added back to the
 * input and serialised little-endian into out. */
static void chacha20_core(uint8_t out[64], const uint32_t in[16])
{
    uint32_t x[16];
    int i;
    memcpy(x, in, sizeof x);
    for (i = 0; i < 10; i++) {
        quarter(x, 0, 4, 8, 12); /* columns */
        quarter(x, 1, 5, 9, 13);
        quarter(x, 2, 6, 10, 14);
        quarter(x, 3, 7, 11, 15);
        quarter(x, 0, 5, 10, 15); /* diagonals */
        quarter(x, 1, 6, 11, 12);
        quarter(x, 2, 7, 8, 13);
        quarter(x, 3, 4, 9, 14);
    }
    for (i = 0; i < 16; i++)
        store_le32(out + 4 * i, x[i] + in[i]);
}

/* "expand 32-byte k" as four little-endian words. */
static void set_constants(uint32_t s[4])
{
    s[0] = 0x61707865u;
    s[1] = 0x3320646eu;
    s[2] = 0x79622d32u;
    s[3] = 0x6b206574u;
}

void uk_chacha20_block(uint8_t out[64], const uint8_t key[32],
                       uint32_t counter, const uint8_t nonce[12])
{
    uint32_t s[16];
    int i;
    set_constants(s);
    for (i = 0; i < 8; i++)
        s[4 + i] = load_le32(key + 4 * i);
    s[12] = counter;
    for (i = 0; i < 3; i++)
        s[13 + i] = load_le32(nonce + 4 * i);
    chacha20_core(out, s);
}

static void refill(struct uk_prng *p)
{
    uint32_t s[16];
    set_constants(s);
    memcpy(s + 4, p->key, sizeof p->key);
    s[12] = (uint32_t)p->counter;
    s[13] = (uint32_t)(p->counter >> 32);
    s[14] = 0;
    s[15] = 0;
    chacha20_core(p->block, s);
    p->counter++;
    p->pos = 0;
}

void uk_prng_fill(struct uk_prng *p, void *buf, size_t len)
{
    uint8_t *out = (uint8_t *)buf;
    while (len > 0) {
        size_t n;
        if (p->pos == sizeof p->block)
            refill(p);
        n = sizeof p->block - p->pos;
        if (n > len)
            n = len;
        memcpy(out, p->block + p->pos, n);
        p->pos += n;
        out += n;
        len -= n;
    }
}

uint32_t uk_prng_below(struct uk_prng *p, uint32_t bound)
{
    /* Reject the values of the last, incomplete run of `bound`. */
    uint32_t limit = UINT32_MAX - (uint32_t)(((uint64_t)UINT32_MAX + 1) % bound);
    for (;;) {
        uint8_t b[4];
        uint32_t v;
        uk_prng_fill(p, b, sizeof b);
        v = load_le32(b);
        if (v <= limit)
            return v % bound;
    }
}

static int prng_fill(struct uk_random *self, void *buf, size_t len)
{
    uk_prng_fill(UK_CONTAINER_OF(self, struct uk_prng, random), buf, len);
    return 0;
}

static const struct uk_random_ops prng_ops = {
    .fill = prng_fill,
};

void uk_prng_init(struct uk_prng *p, const uint8_t seed[32])
{
    int i;
    p->random.ops = &prng_ops;
    for (i = 0; i < 8; i++)
        p->key[i] = load_le32(seed + 4 * i);
    p->counter = 0;
    memset(p->block, 0, sizeof p->block);
    p->pos = sizeof p->block;
}

void uk_prng_init_u64(struct uk_prng *p, uint64_t seed)
{
    uint8_t s[32];
    int i;
    memset(s, 0, sizeof s);
    for (i = 0; i < 8; i++)
        s[i] = (uint8_t)(seed >> (8 * i));
    uk_prng_init(p, s);
}
