/*
 * uk/random.h - RANDOM: a source of random bytes for protocol use (ISNs,
 * ports, DNS ids, nonces).
 *
 *   int fill(self, void *buf, size_t len)                      required
 *       Fills buf[0..len) (BORROWED) with random bytes.  The target default
 *       is cryptographically strong, seeded from the platform's entropy;
 *       tests pass a seeded deterministic generator so runs replay.
 *       Returns 0, or UK_EIO if the generator cannot produce output (never
 *       a short fill).
 */
#ifndef UK_RANDOM_H
#define UK_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include <uk/iface.h>

#define UK_RANDOM_METHODS(T, M, V, O)                                         \
    M(T, int, fill, (struct T * self, void *buf, size_t len),                 \
      (self, buf, len))

UK_INTERFACE(uk_random, UK_RANDOM_METHODS);

/* A random 32-bit value, or 0 if the generator failed. */
static inline uint32_t uk_random_u32(struct uk_random *r)
{
    uint8_t b[4] = {0, 0, 0, 0};
    if (uk_random_fill(r, b, sizeof b) != 0)
        return 0;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | b[3];
}

#endif
