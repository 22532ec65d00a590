/*
 * test_keys.c - untrusted keys against the embedded store, as CI runs the
 * fuzz target: the seeds of fuzz/kv/seeds, then a few thousand
 * pseudo-random keys built from the bytes that matter ('/', '.', '\\',
 * control and high bytes, and the table's own names), each checked against
 * a slow reference by fuzz/kv/keys_check.c.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keys_check.h"

static void test_seeds(void **state)
{
    const char *src = getenv("UK_SOURCE_DIR");
    char dir[4096], path[8192];
    struct dirent *de;
    size_t count = 0;
    DIR *d;
    (void)state;
    if (src == NULL)
        skip(); /* ctest sets UK_SOURCE_DIR */
    snprintf(dir, sizeof dir, "%s/fuzz/kv/seeds", src);
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        static uint8_t buf[4096];
        size_t n;
        FILE *f;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        f = fopen(path, "rb");
        assert_non_null(f);
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        if (kv_keys_check_one(buf, n) != 0)
            fail_msg("seed %s", de->d_name);
        count++;
    }
    closedir(d);
    assert_true(count >= 10);
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_random_keys(void **state)
{
    static const char *const parts[] = {
        "a", "b", "c", "/", "/", ".", "..", "-z", " b", ".txt", "\\",
        "\x01", "\x7f", "\x7e\xff", "css", "site.css", "index.html", "bb",
        ".c", "",
    };
    uint64_t seed = 0x5eedf00dull;
    size_t round;
    (void)state;
    for (round = 0; round < 5000; round++) {
        uint8_t key[64];
        size_t n = 0, k = (size_t)(next(&seed) % 7);
        while (k-- > 0) {
            const char *p = parts[next(&seed) % (sizeof parts / sizeof *parts)];
            size_t l = strlen(p);
            if (n + l > sizeof key)
                break;
            memcpy(key + n, p, l);
            n += l;
        }
        if (kv_keys_check_one(key, n) != 0)
            fail_msg("random key, round %zu", round);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_random_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
