/*
 * image_check.h - the store's on-disk format against untrusted bytes: the
 * check shared by the libFuzzer target (fuzz_store_image.c) and the cmocka
 * replay (tests/store/test_image_fuzz.c).
 *
 * store_image_check(data, n): makes a device image of IMAGE_SECTORS
 * 512-byte sectors from data (cut or zero-padded).  If a byte follows the
 * image (data[IMAGE_BYTES]) and it is odd, the checksums are first made
 * right (superblocks, and the chain of records
 * from the start of each zone), so that mutations reach the parsers behind
 * them.  Then it opens a uk_kvstore on the image and, if that works, lists
 * and reads every key, walks the history, reads at the parent, commits and
 * compacts.  Returns 0, or -1 if the store broke a promise (a read longer
 * than asked, stat and read disagreeing, a commit lost across a reopen).
 * Crashes, hangs and sanitizer reports are the fuzzer's to find.
 */
#ifndef UK_FUZZ_STORE_IMAGE_CHECK_H
#define UK_FUZZ_STORE_IMAGE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_SS 512u
#define IMAGE_ZONE 16u
#define IMAGE_SECTORS (2u + 2u * IMAGE_ZONE)
#define IMAGE_BYTES (IMAGE_SECTORS * IMAGE_SS)
#define IMAGE_RECORD_MAX 4096u

int store_image_check(const uint8_t *data, size_t n);

/* How many checked images opened (so a replay can tell it got past the
 * superblocks). */
extern unsigned long store_image_opened;

/* Writes a valid image (a few commits, one compaction) into
 * out[IMAGE_BYTES], for seeds.  variant 0..2 picks the content. */
void store_image_make(uint8_t *out, int variant);

#endif
