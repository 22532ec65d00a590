/*
 * fuzz_replay.h - shared pieces of the cmocka tests that replay a fuzz
 * target's seed corpus (and mutations of it) in CI without libFuzzer:
 * tests/http/test_fuzz_replay.c, tests/openflow/test_fuzz_replay.c,
 * tests/dns/test_query_fuzz.c.  Header-only; include after <cmocka.h>.
 *
 * fuzz_load_seeds(dir, store, each, lens, max): reads the regular files of
 * dir (names starting with '.' skipped, readdir order) into the caller's
 * table store[max][each] (passed as &store[0][0]), at most `each` bytes of
 * each (longer files are cut), their lengths into lens[]; returns how many
 * were read (at most max).  A directory or file that cannot be opened
 * fails the test with its path.  Everything is caller-owned.
 *
 * fuzz_xorshift64(&state): the next value of a xorshift64 generator
 * (13, 7, 17), so a failing input replays exactly from its fixed seed;
 * state must start non-zero.  The area decides how to mutate: each test
 * keeps its own mutator, shaped for its format.
 */
#ifndef UK_TESTS_FUZZ_REPLAY_H
#define UK_TESTS_FUZZ_REPLAY_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

static inline size_t fuzz_load_seeds(const char *dir, uint8_t *store,
                                     size_t each, size_t *lens, size_t max)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    if (d == NULL)
        fail_msg("cannot open seed directory %s", dir);
    while (n < max && (e = readdir(d)) != NULL) {
        char path[4096 + 512];
        FILE *f;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if ((f = fopen(path, "rb")) == NULL) {
            closedir(d);
            fail_msg("cannot open seed %s", path);
        }
        lens[n] = fread(store + n * each, 1, each, f);
        fclose(f);
        n++;
    }
    closedir(d);
    return n;
}

static inline uint64_t fuzz_xorshift64(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

#endif
