/*
 * uk/prng.h - a deterministic random generator: the ChaCha20 keystream
 * (RFC 8439) under a 32-byte seed, implementing RANDOM (uk/random.h).
 *
 * The same seed always gives the same byte stream, on every target, so a
 * test or a fault shim that draws from it replays exactly.  Seeded from
 * real entropy (uk/entropy.h) it is also a sound cryptographic generator;
 * this file does not seed itself.
 *
 * The stream is ChaCha20 with key = seed, a 64-bit block counter starting
 * at 0 in state words 12..13 and zero nonce words 14..15: for counters
 * below 2^32 it equals RFC 8439's keystream for nonce 0.
 */
#ifndef UK_PRNG_H
#define UK_PRNG_H

#include <stddef.h>
#include <stdint.h>

#include <uk/random.h>

struct uk_prng {
    struct uk_random random; /* implements RANDOM: pass &p->random */
    uint32_t key[8];
    uint64_t counter;  /* next block to generate */
    uint8_t block[64]; /* keystream block being consumed */
    size_t pos;        /* bytes of block already used; 64: none left */
};

/* Seeds p with seed[0..32) (BORROWED: copied). */
void uk_prng_init(struct uk_prng *p, const uint8_t seed[32]);

/* Seeds p with a 64-bit number: the seed is its 8 little-endian bytes
 * followed by 24 zero bytes.  A convenience for tests ("seed 42"). */
void uk_prng_init_u64(struct uk_prng *p, uint64_t seed);

/* Fills buf[0..len) with the next bytes of the stream; never fails.
 * Equivalent to uk_random_fill(&p->random, buf, len). */
void uk_prng_fill(struct uk_prng *p, void *buf, size_t len);

/* A value uniformly distributed in [0, bound) (bound > 0), without modulo
 * bias; for tests choosing among cases. */
uint32_t uk_prng_below(struct uk_prng *p, uint32_t bound);

/*
 * The ChaCha20 block function of RFC 8439 section 2.3: writes the 64-byte
 * keystream block for key (32 bytes), block counter and nonce (12 bytes)
 * to out.
 */
void uk_chacha20_block(uint8_t out[64], const uint8_t key[32],
                       uint32_t counter, const uint8_t nonce[12]);

#endif
