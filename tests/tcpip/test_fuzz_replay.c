/*
 * test_fuzz_replay.c - runs the direct stack's fuzz harness (fuzz/tcpip)
 * over every seed of its corpora, mutations of them, and pseudo-random
 * inputs, so CI exercises what the fuzzers do.  The harness aborts on a
 * leak or a stuck timer; sanitizers catch the rest.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "tcpip_harness.h"

#include "harness.h"

#define MAX_SEED 70000

static uint8_t buf[MAX_SEED + 3];
static struct uk_prng rnd;

/* Reads dir/name into buf; its length, or 0. */
static size_t read_seed(const char *dir, const char *name)
{
    char path[1024];
    FILE *f;
    size_t n;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "rb")) == NULL)
        return 0;
    n = fread(buf, 1, MAX_SEED, f);
    fclose(f);
    return n;
}

/* Flips, overwrites or truncates a few bytes of buf[0..n). */
static size_t mutate(size_t n)
{
    unsigned k, edits = 1 + uk_prng_below(&rnd, 8);
    for (k = 0; k < edits && n > 0; k++) {
        size_t at = uk_prng_below(&rnd, (uint32_t)n);
        switch (uk_prng_below(&rnd, 4)) {
        case 0:
            buf[at] ^= (uint8_t)(1u << uk_prng_below(&rnd, 8));
            break;
        case 1:
            buf[at] = (uint8_t)uk_prng_below(&rnd, 256);
            break;
        case 2:
            n = at + 1;
            break;
        default:
            buf[at] = (uint8_t)(uk_prng_below(&rnd, 2) ? 0xff : 0);
            break;
        }
    }
    return n;
}

static void replay_kind(enum tcpip_fuzz_kind kind)
{
    char dir[900];
    DIR *d;
    struct dirent *e;
    unsigned seeds = 0, i;
    snprintf(dir, sizeof dir, "%s/%s", TCPIP_SEEDS_DIR, tcpip_fuzz_name(kind));
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n;
        unsigned m;
        if (e->d_name[0] == '.')
            continue;
        n = read_seed(dir, e->d_name);
        assert_true(n > 0);
        assert_int_equal(tcpip_fuzz_run(kind, buf, n), 0);
        seeds++;
        for (m = 0; m < 200; m++) {
            n = read_seed(dir, e->d_name);
            n = mutate(n);
            assert_int_equal(tcpip_fuzz_run(kind, buf, n), 0);
        }
    }
    closedir(d);
    assert_true(seeds >= 4);
    /* Pseudo-random records. */
    for (i = 0; i < 1000; i++) {
        size_t n = uk_prng_below(&rnd, 1600);
        uk_prng_fill(&rnd, buf, n);
        if (n >= 3 && (i & 1)) { /* mostly one well-formed record */
            buf[0] |= 1;
            uk_store_be16(buf + 1, (uint16_t)(n - 3));
        }
        assert_int_equal(tcpip_fuzz_run(kind, buf, n), 0);
    }
}

static void test_eth(void **state)
{
    UK_UNUSED(state);
    replay_kind(TCPIP_FUZZ_ETH);
}

static void test_arp(void **state)
{
    UK_UNUSED(state);
    replay_kind(TCPIP_FUZZ_ARP);
}

static void test_ipv4(void **state)
{
    UK_UNUSED(state);
    replay_kind(TCPIP_FUZZ_IPV4);
}

static void test_icmp(void **state)
{
    UK_UNUSED(state);
    replay_kind(TCPIP_FUZZ_ICMP);
}

static void test_udp(void **state)
{
    UK_UNUSED(state);
    replay_kind(TCPIP_FUZZ_UDP);
}

static int setup(void **state)
{
    UK_UNUSED(state);
    uk_prng_init_u64(&rnd, 20261127);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth),  cmocka_unit_test(test_arp),
        cmocka_unit_test(test_ipv4), cmocka_unit_test(test_icmp),
        cmocka_unit_test(test_udp),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
