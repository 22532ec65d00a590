/*
 * test_image_fuzz.c - the store's on-disk format: known answers for the
 * checksum and the decoders, then the fuzz target's check
 * (fuzz/store/image_check.c) over its seeds and seeded mutations of valid
 * images, with and without the checksums made right.
 *
 * UK_STORE_WRITE_SEEDS=DIR writes the generated images to DIR (how
 * fuzz/store/seeds was made).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/err.h>
#include <uk/kv_rw.h>

#include "format.h"
#include "fuzz_replay.h"
#include "image_check.h"

static void test_crc32c(void **state)
{
    (void)state;
    /* The standard check value of CRC-32C. */
    assert_int_equal(kvs_crc32c(0, "123456789", 9), 0xe3069283u);
    assert_int_equal(kvs_crc32c(kvs_crc32c(0, "1234", 4), "56789", 5),
                     0xe3069283u);
    assert_int_equal(kvs_crc32c(0, "", 0), 0);
}

static void test_decoders(void **state)
{
    uint8_t b[KVS_HDR_LEN];
    struct kvs_sb sb = {512, 3, 100, 1, 4096}, out;
    struct kvs_hdr h, d;
    uint8_t ops[32];
    struct kvs_op op;
    size_t off = 0;
    (void)state;
    kvs_sb_encode(b, &sb);
    assert_int_equal(kvs_sb_decode(b, sizeof b, &out), 0);
    assert_true(out.generation == 3 && out.zone == 1 &&
                out.zone_sectors == 100 && out.record_max == 4096);
    b[20] ^= 1;
    assert_int_equal(kvs_sb_decode(b, sizeof b, &out), UK_EPROTO);
    sb.zone = 2; /* valid crc, bad field */
    kvs_sb_encode(b, &sb);
    assert_int_equal(kvs_sb_decode(b, sizeof b, &out), UK_EPROTO);
    assert_int_equal(kvs_sb_decode(b, 10, &out), UK_EPROTO);

    memset(&h, 0, sizeof h);
    h.kind = KVS_KIND_COMMIT;
    h.body_len = 100;
    h.msg_len = 5;
    kvs_hdr_encode(b, &h);
    assert_int_equal(kvs_hdr_decode(b, sizeof b, 4096, &d), 0);
    assert_int_equal(kvs_hdr_decode(b, sizeof b, 100, &d), UK_EPROTO);
    h.msg_len = UK_KV_MSG_MAX + 1;
    kvs_hdr_encode(b, &h);
    assert_int_equal(kvs_hdr_decode(b, sizeof b, 4096, &d), UK_EPROTO);
    h.msg_len = 0;
    h.flags = KVS_FLAG_LAST; /* only snapshots are "last" */
    kvs_hdr_encode(b, &h);
    assert_int_equal(kvs_hdr_decode(b, sizeof b, 4096, &d), UK_EPROTO);

    /* Operations: one put, then a truncated one, a bad key, a bad kind. */
    memcpy(ops, "\1\0\1\0\2\0\0\0kvv", 11);
    assert_int_equal(kvs_op_next(ops, 11, &off, &op), 1);
    assert_true(op.kind == UK_KV_OP_PUT && op.key_len == 1 &&
                op.val_len == 2 && op.val_off == 9);
    assert_int_equal(kvs_op_next(ops, 11, &off, &op), 0);
    off = 0;
    assert_int_equal(kvs_op_next(ops, 10, &off, &op), UK_EPROTO);
    assert_int_equal(kvs_ops_check(ops, 11, 2), UK_EPROTO);
    memcpy(ops, "\1\0\2\0\0\0\0\0..", 10);
    off = 0;
    assert_int_equal(kvs_op_next(ops, 10, &off, &op), UK_EPROTO);
    memcpy(ops, "\3\0\1\0\0\0\0\0k", 9);
    off = 0;
    assert_int_equal(kvs_op_next(ops, 9, &off, &op), UK_EPROTO);
    memcpy(ops, "\2\0\1\0\1\0\0\0kv", 10); /* a delete with a value */
    off = 0;
    assert_int_equal(kvs_op_next(ops, 10, &off, &op), UK_EPROTO);
}

static uint8_t img[IMAGE_BYTES + 1];
static uint8_t seeds[8][IMAGE_BYTES];
static size_t lens[8];

static void write_seeds(void)
{
    const char *dir = getenv("UK_STORE_WRITE_SEEDS");
    char path[4096];
    int v;
    for (v = 0; dir != NULL && v < 3; v++) {
        FILE *f;
        snprintf(path, sizeof path, "%s/image%d", dir, v);
        store_image_make(img, v);
        assert_non_null(f = fopen(path, "wb"));
        assert_int_equal(fwrite(img, 1, IMAGE_BYTES, f), IMAGE_BYTES);
        fclose(f);
    }
}

static void test_valid_images(void **state)
{
    int v;
    (void)state;
    write_seeds();
    for (v = 0; v < 3; v++) {
        store_image_make(img, v);
        assert_int_equal(store_image_check(img, IMAGE_BYTES), 0);
        img[IMAGE_BYTES] = 1; /* fix-up mode on an image that needs none */
        assert_int_equal(store_image_check(img, IMAGE_BYTES + 1), 0);
    }
}

static void test_seeds_and_mutations(void **state)
{
    char dir[4096];
    const char *src = getenv("UK_SOURCE_DIR");
    uint64_t rng = 0x5eed5707e;
    size_t n, i, k;
    int round;
    (void)state;
    snprintf(dir, sizeof dir, "%s/fuzz/store/seeds",
             src != NULL ? src : ".");
    store_image_opened = 0;
    n = fuzz_load_seeds(dir, &seeds[0][0], IMAGE_BYTES, lens, 8);
    assert_true(n >= 3);
    for (i = 0; i < n; i++)
        assert_int_equal(store_image_check(seeds[i], lens[i]), 0);
    /* Byte flips over the interesting part (superblocks and the first
     * records of each zone), half of them with checksums fixed up. */
    for (round = 0; round < 20000; round++) {
        const uint8_t *s = seeds[round % n];
        size_t len = lens[round % n], flips = 1 + fuzz_xorshift64(&rng) % 8;
        memcpy(img, s, len);
        for (k = 0; k < flips; k++) {
            uint64_t r = fuzz_xorshift64(&rng);
            size_t zone = (r >> 40) % 3, at;
            at = zone == 0 ? (size_t)(r % (2 * IMAGE_SS))
                           : (2 + (zone - 1) * IMAGE_ZONE) * IMAGE_SS +
                                 (size_t)(r % (3 * IMAGE_SS));
            img[at] ^= (uint8_t)(1u << ((r >> 32) % 8));
        }
        img[len] = (uint8_t)(round & 1);
        if (store_image_check(img, len + 1) != 0)
            fail_msg("mutation round %d broke a promise", round);
    }
    printf("image fuzz: %lu of 20000 mutated images opened\n",
           store_image_opened);
    assert_true(store_image_opened > 10000);
    /* Short and empty inputs. */
    assert_int_equal(store_image_check(img, 0), 0);
    assert_int_equal(store_image_check(seeds[0], 700), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c),
        cmocka_unit_test(test_decoders),
        cmocka_unit_test(test_valid_images),
        cmocka_unit_test(test_seeds_and_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
