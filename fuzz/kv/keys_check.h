/* keys_check.h - one untrusted key against the embedded store (see
 * keys_check.c); shared by the libFuzzer target and tests/kv. */
#ifndef KV_KEYS_CHECK_H
#define KV_KEYS_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* Runs data[0..n) as a key (up to the first NUL) through stat, read, list
 * and map of a small embedded store and checks every answer against a
 * reference; returns 0, or -1 after printing what disagreed. */
int kv_keys_check_one(const uint8_t *data, size_t n);

#endif
