/*
 * uk/kv_digest.h - the 128-bit content digest of KV_RO stores (the
 * `digest` of struct uk_kv_stat, used for HTTP ETags).
 *
 * Our own small hash: two 64-bit lanes, each a multiply-xorshift chain over
 * the input read as little-endian 64-bit words, cross-mixed and finalised
 * with the length.  It is fast, streaming, and gives the same value on every
 * platform and in every run.  It is NOT cryptographic: it detects change,
 * it does not resist someone crafting collisions (a store's contents are
 * chosen by whoever builds the image anyway).
 *
 * uk-embed computes it at build time; stores that read files at run time
 * may use it too.  Changing the algorithm changes every ETag, which is
 * harmless (caches refetch once).
 */
#ifndef UK_KV_DIGEST_H
#define UK_KV_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include <uk/kv_ro.h>

/* Streaming state; caller-owned, no allocation. */
struct uk_kv_digest {
    uint64_t a, b;   /* the two lanes */
    uint64_t len;    /* bytes absorbed so far */
    uint8_t tail[8]; /* bytes waiting for a whole word */
    unsigned ntail;
};

/* Starts a digest. */
void uk_kv_digest_init(struct uk_kv_digest *d);

/* Absorbs n bytes of data (BORROWED); any split of the input into updates
 * gives the same digest. */
void uk_kv_digest_update(struct uk_kv_digest *d, const void *data, size_t n);

/* Writes the digest of everything absorbed to out. */
void uk_kv_digest_final(struct uk_kv_digest *d,
                        uint8_t out[UK_KV_DIGEST_LEN]);

/* One-shot form: the digest of n bytes at data. */
void uk_kv_digest_of(const void *data, size_t n,
                     uint8_t out[UK_KV_DIGEST_LEN]);

#endif
