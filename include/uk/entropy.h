/*
 * uk/entropy.h - ENTROPY: raw entropy from the platform, used to seed
 * RANDOM generators.  Includes DEVICE.
 *
 *   int gather(self, void *buf, size_t len, size_t *got)       required
 *       Writes up to len bytes of entropy into buf (BORROWED) and stores
 *       the count in *got (may be less than len when the source is slow).
 *       Returns 0, UK_EAGAIN (nothing available now; try on a later loop
 *       turn), or UK_EIO.
 *
 *   const char *source(self)                                   required
 *       What the entropy is gathered from ("getrandom", "rdrand",
 *       "cntvct-jitter"), so an image can announce the quality of its seed.
 */
#ifndef UK_ENTROPY_H
#define UK_ENTROPY_H

#include <stddef.h>

#include <uk/device.h>

#define UK_ENTROPY_METHODS(T, M, V, O)                                        \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, gather, (struct T * self, void *buf, size_t len, size_t *got),  \
      (self, buf, len, got))                                                  \
    M(T, const char *, source, (struct T * self), (self))

UK_INTERFACE(uk_entropy, UK_ENTROPY_METHODS);

#endif
