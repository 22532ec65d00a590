/*
 * test_zonefile_fuzz.c - runs the zone-file fuzz harness
 * (fuzz/dns/zonefile_fuzz.c) in CI: every seed of fuzz/dns/zonefile_corpus
 * and tests/dns/zones, then a few thousand pseudo-random mutations of them
 * (byte flips, syntax bytes inserted, ranges deleted or duplicated,
 * truncation) from a fixed seed, so a failure replays exactly.  The
 * harness aborts on any broken guarantee; the sanitizer build catches
 * memory errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define UK_ZONEFILE_FUZZ_NO_MAIN
#include "../../fuzz/dns/zonefile_fuzz.c"

#define MAX_SEEDS 64
#define MAX_INPUT (64 * 1024)

struct seed {
    uint8_t *data;
    size_t len;
};

static struct seed seeds[MAX_SEEDS];
static size_t nseeds;

static void add_seed(const void *data, size_t len)
{
    if (nseeds == MAX_SEEDS || len > MAX_INPUT)
        return;
    seeds[nseeds].data = malloc(len + 1);
    assert_non_null(seeds[nseeds].data);
    memcpy(seeds[nseeds].data, data, len);
    seeds[nseeds].len = len;
    nseeds++;
}

static void add_dir(const char *src, const char *sub)
{
    char path[4096];
    struct dirent *de;
    DIR *d;
    snprintf(path, sizeof(path), "%s/%s", src, sub);
    if ((d = opendir(path)) == NULL)
        fail_msg("cannot open %s", path);
    while ((de = readdir(d)) != NULL) {
        static uint8_t buf[MAX_INPUT];
        size_t n;
        FILE *f;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s/%s", src, sub, de->d_name);
        if ((f = fopen(path, "rb")) == NULL)
            continue;
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        add_seed(buf, n);
    }
    closedir(d);
}

static int load_seeds(void **state)
{
    static const char builtin[] = "$ORIGIN example.com.\n$TTL 1h\n"
                                  "@ SOA a b 1 2 3 4 5\na A 192.0.2.1\n";
    const char *src = getenv("UK_SOURCE_DIR");
    (void)state;
    add_seed(builtin, sizeof(builtin) - 1);
    if (src != NULL) {
        add_dir(src, "fuzz/dns/zonefile_corpus");
        add_dir(src, "tests/dns/zones");
    } else {
        print_message("UK_SOURCE_DIR unset: only the built-in seed\n");
    }
    return 0;
}

static int free_seeds(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < nseeds; i++)
        free(seeds[i].data);
    nseeds = 0;
    return 0;
}

static void test_seeds(void **state)
{
    size_t i, ok = 0;
    (void)state;
    for (i = 0; i < nseeds; i++)
        if (uk__zonefile_fuzz_one(seeds[i].data, seeds[i].len) == 0)
            ok++;
    print_message("%zu seeds, %zu parse\n", nseeds, ok);
    /* the valid seeds (built-in, types, example x2) parse */
    assert_true(ok >= (getenv("UK_SOURCE_DIR") != NULL ? 4u : 1u));
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* One mutation of buf (len bytes, capacity MAX_INPUT) in place. */
static size_t mutate(uint8_t *buf, size_t len)
{
    static const char syntax[] = "()\";\\\n\t $@.*#0123456789:ABx";
    size_t pos = len ? next_rand() % len : 0, n;
    switch (next_rand() % 6) {
    case 0: /* flip a byte */
        if (len)
            buf[pos] ^= (uint8_t)(1u << (next_rand() % 8));
        return len;
    case 1: /* random byte */
        if (len)
            buf[pos] = (uint8_t)next_rand();
        return len;
    case 2: /* insert a syntax byte */
        if (len + 1 >= MAX_INPUT)
            return len;
        memmove(buf + pos + 1, buf + pos, len - pos);
        buf[pos] = (uint8_t)syntax[next_rand() % (sizeof(syntax) - 1)];
        return len + 1;
    case 3: /* delete a range */
        n = next_rand() % 16;
        if (pos + n > len)
            n = len - pos;
        memmove(buf + pos, buf + pos + n, len - pos - n);
        return len - n;
    case 4: /* duplicate a range */
        n = next_rand() % 64;
        if (pos + n > len)
            n = len - pos;
        if (len + n >= MAX_INPUT)
            return len;
        memmove(buf + pos + n, buf + pos, len - pos);
        return len + n;
    default: /* truncate */
        return pos;
    }
}

static void test_mutations(void **state)
{
    static uint8_t buf[MAX_INPUT];
    unsigned iter, results[2] = {0, 0};
    (void)state;
    for (iter = 0; iter < 4000; iter++) {
        const struct seed *s = &seeds[next_rand() % nseeds];
        size_t len = s->len;
        unsigned k, muts = 1 + next_rand() % 8;
        memcpy(buf, s->data, len);
        for (k = 0; k < muts; k++)
            len = mutate(buf, len);
        /* a heap copy of the exact length, so reads past it are caught */
        {
            uint8_t *exact = malloc(len ? len : 1);
            assert_non_null(exact);
            memcpy(exact, buf, len);
            results[uk__zonefile_fuzz_one(exact, len) == 0]++;
            free(exact);
        }
    }
    /* both outcomes happen: the mutations reach past the first error */
    assert_true(results[0] > 0);
    assert_true(results[1] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, load_seeds, free_seeds);
}
