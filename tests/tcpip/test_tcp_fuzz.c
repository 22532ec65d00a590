/*
 * test_tcp_fuzz.c - the TCP fuzz harness (fuzz/tcpip/tcp_harness.c, which
 * aborts on a leak, a lost or doubled callback, or a livelock) replayed
 * over its seed corpus and over pseudo-random segment sequences: mostly
 * plausible ones (checksums fixed, answering what the stack sent, random
 * flags, options and payloads) so that they reach every state, plus raw
 * noise.
 */
#include <dirent.h>
#include <stdio.h>

#include "tcpip_harness.h"

#include "../../fuzz/tcpip/tcp_harness.c"

#ifndef TCP_SEEDS_DIR
#define TCP_SEEDS_DIR "fuzz/tcpip/corpus/tcp"
#endif

static void test_seeds(void **state)
{
    char path[512];
    const char *src = getenv("UK_SOURCE_DIR");
    static uint8_t buf[1 << 16];
    struct dirent *de;
    DIR *d;
    int n = 0;
    UK_UNUSED(state);
    snprintf(path, sizeof path, "%s/%s", src != NULL ? src : ".",
             TCP_SEEDS_DIR);
    d = opendir(path);
    if (d == NULL) {
        print_message("no seed directory %s: skipping the seeds\n", path);
        return;
    }
    while ((de = readdir(d)) != NULL) {
        char f[1024];
        FILE *fp;
        size_t len;
        if (de->d_name[0] == '.')
            continue;
        snprintf(f, sizeof f, "%s/%s", path, de->d_name);
        fp = fopen(f, "rb");
        assert_non_null(fp);
        len = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        assert_int_equal(tcp_fuzz_run(buf, len), 0);
        n++;
    }
    closedir(d);
    assert_true(n >= 5);
}

static struct uk_prng rng;

static uint32_t r32(void)
{
    return uk_random_u32(&rng.random);
}

/* Appends one plausible record at p; returns its length. */
static size_t plausible(uint8_t *p)
{
    static const uint8_t flag_set[] = {0x02, 0x10, 0x18, 0x11, 0x04, 0x14,
                                       0x12, 0x19, 0x01, 0x3f, 0x00, 0x10};
    uint8_t *s = p + 3;
    size_t ol = 0, len = r32() % 4 == 0 ? r32() % 1500 : r32() % 64, i;
    uint8_t ctl = 1;
    uint32_t r = r32();
    ctl |= (r & 1) ? 8 : 0;
    ctl |= (r & 2) ? 2 : 4;
    ctl |= (r32() % 8 == 0) ? 0x10 : 0;
    ctl |= (uint8_t)((r32() % 4 == 0 ? r32() % 4 : 0) << 6);
    memset(s, 0, 20);
    uk_store_be16(s, 40000);
    uk_store_be32(s + 4, r32() % 3 == 0 ? r32() : 1000);
    uk_store_be32(s + 8, r32());
    s[13] = flag_set[r32() % sizeof flag_set];
    uk_store_be16(s + 14, (uint16_t)(r32() % 3 == 0 ? 0 : r32()));
    if (r32() % 2) { /* options, sometimes broken */
        static const uint8_t opts[] = {2, 4, 5, 180, 1, 3, 3, 9, 4, 2,
                                       8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
                                       5, 10, 0, 0, 3, 232, 0, 0, 7, 208};
        ol = (r32() % 8) * 4;
        memcpy(s + 20, opts, ol);
        if (r32() % 4 == 0 && ol > 0)
            s[20 + r32() % ol] = (uint8_t)r32();
    }
    s[12] = (uint8_t)(((20 + ol) / 4) << 4);
    for (i = 0; i < len; i++)
        s[20 + ol + i] = (uint8_t)(r32() % 16 == 0 ? 'Q' : r32());
    len += 20 + ol;
    p[0] = ctl;
    uk_store_be16(p + 1, (uint16_t)len);
    return 3 + len;
}

static void test_random_sequences(void **state)
{
    static uint8_t in[40000];
    uint64_t accepted = 0, connected = 0, data = 0, resets = 0;
    int k;
    UK_UNUSED(state);
    uk_prng_init_u64(&rng, 2026);
    for (k = 0; k < 3000; k++) {
        size_t n = 0;
        int recs = 1 + (int)(r32() % 20);
        while (recs-- > 0 && n + 1600 < sizeof in)
            n += plausible(in + n);
        if (k % 10 == 0) { /* raw noise */
            n = r32() % 2000;
            uk_prng_fill(&rng, in, n);
        }
        assert_int_equal(tcp_fuzz_run(in, n), 0);
        accepted += F.tcp.stats.accepted + F.tcp.stats.cookies_ok;
        connected += F.tcp.stats.connected;
        data += F.tcp.stats.tx_data;
        resets += F.tcp.stats.reset;
    }
    print_message("accepted %lu connected %lu data out %lu resets %lu\n",
                  (unsigned long)accepted, (unsigned long)connected,
                  (unsigned long)data, (unsigned long)resets);
    /* the sequences get deep: connections made, data echoed, resets */
    assert_true(accepted > 100 && connected > 100 && data > 10000);
    assert_true(resets > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_random_sequences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
