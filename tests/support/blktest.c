/*
 * blktest.c - a block device round trip that outlives the image:
 *   --write=SEED   fills the first sectors of block device "data" (and its
 *                  last sector) with a pattern derived from SEED, each
 *                  sector ending in a checksum, reads them back, exits 0
 *   --verify=SEED  reads them and exits 0 when every sector holds SEED's
 *                  pattern and checksum (1 otherwise)
 * tests/xen/boot_blk.sh runs both in two Xen guests on the same disk,
 * tests/support/blktest.sh in two processes on one file.  Written
 * against uk/target.h only, so it runs on every target (--block-data=PATH
 * on unix and tap).  The big request exercises requests in parts and
 * indirect segments; the one-sector ones run concurrently.
 */
#include <stdio.h>
#include <string.h>

#include <uk/prng.h>
#include <uk/target.h>

#define BIG 300 /* sectors in the big request (150 KiB at 512 bytes) */
#define SMALL 4 /* one-sector requests after it, the last at the end */
#define SECTOR_MAX 4096

static struct uk_console *con;
static struct uk_block *blk;
static struct uk_block_info info;
static unsigned long seed_w, seed_v;
static bool has_w, has_v;
static uint8_t big[BIG * SECTOR_MAX], small[SMALL][SECTOR_MAX];
static struct uk_block_req big_req, small_req[SMALL];
static unsigned pending, bad;
static bool verifying;

static const struct uk_opt opts[] = {
    {"write", UK_OPT_UINT, &seed_w, "write the pattern of SEED", 0,
     0xffffffffu, &has_w},
    {"verify", UK_OPT_UINT, &seed_v, "check the pattern of SEED", 0,
     0xffffffffu, &has_v},
    UK_OPT_END,
};

/* FNV-1a, 64 bits. */
static uint64_t fnv(const uint8_t *p, size_t n, uint64_t h)
{
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Sector `sector`'s content for seed: random bytes, then 8 bytes of
 * checksum over them and the sector number. */
static void pattern(uint8_t *out, uint64_t sector, unsigned long seed)
{
    struct uk_prng prng;
    uint64_t h;
    size_t n = info.sector_size - 8;
    uk_prng_init_u64(&prng, ((uint64_t)seed << 32) ^ sector);
    uk_prng_fill(&prng, out, n);
    h = fnv(out, n, 0xcbf29ce484222325ull ^ sector);
    memcpy(out + n, &h, 8);
}

static uint64_t small_sector(unsigned k)
{
    return k + 1 == SMALL ? info.sectors - 1 : BIG + 7 * k;
}

static void check(const uint8_t *got, uint64_t sector, unsigned long seed)
{
    static uint8_t want[SECTOR_MAX];
    uint64_t h;
    size_t n = info.sector_size - 8;
    memcpy(&h, got + n, 8);
    pattern(want, sector, seed);
    if (h != fnv(got, n, 0xcbf29ce484222325ull ^ sector) ||
        memcmp(got, want, info.sector_size) != 0) {
        if (bad++ < 4)
            uk_console_printf(con, "blktest: sector %llu: %s",
                              (unsigned long long)sector,
                              h == fnv(got, n, 0xcbf29ce484222325ull ^ sector)
                                  ? "another seed's pattern"
                                  : "bad checksum");
    }
}

static void read_all(void);

static void verified(void)
{
    unsigned k;
    unsigned long seed = has_v ? seed_v : seed_w;
    uint64_t s;
    for (s = 0; s < BIG; s++)
        check(big + s * info.sector_size, s, seed);
    for (k = 0; k < SMALL; k++)
        check(small[k], small_sector(k), seed);
    if (bad != 0) {
        uk_console_printf(con, "blktest: FAIL: %u of %u sectors wrong", bad,
                          BIG + SMALL);
        uk_exit(1);
        return;
    }
    uk_console_printf(con, "blktest: verified %u sectors of seed %lu",
                      BIG + SMALL, seed);
    uk_exit(0);
}

static void one_done(void *arg, int status)
{
    const char *what = arg;
    if (status != 0) {
        uk_console_printf(con, "blktest: FAIL: %s: %s", what,
                          uk_strerror(status));
        uk_exit(1);
        return;
    }
    if (--pending > 0)
        return;
    if (verifying) {
        verified();
        return;
    }
    uk_console_printf(con, "blktest: wrote %u sectors of seed %lu (durable)",
                      BIG + SMALL, seed_w);
    read_all();
}

/* One big request and SMALL one-sector ones, all at once. */
static void issue(bool write)
{
    unsigned k;
    int rc;
    pending = 1 + SMALL;
    rc = write ? uk_block_write(blk, &big_req, 0, big, BIG, one_done,
                                (void *)"big write")
               : uk_block_read(blk, &big_req, 0, big, BIG, one_done,
                               (void *)"big read");
    for (k = 0; rc == 0 && k < SMALL; k++)
        rc = write
                 ? uk_block_write(blk, &small_req[k], small_sector(k),
                                  small[k], 1, one_done, (void *)"small write")
                 : uk_block_read(blk, &small_req[k], small_sector(k), small[k],
                                 1, one_done, (void *)"small read");
    if (rc != 0) {
        uk_console_printf(con, "blktest: FAIL: submitting: %s",
                          uk_strerror(rc));
        uk_exit(1);
    }
}

static void read_all(void)
{
    verifying = true;
    memset(big, 0, sizeof big);
    memset(small, 0, sizeof small);
    issue(false);
}

int uk_main(int argc, char **argv)
{
    struct uk_block_req r = {0};
    unsigned k;
    uint64_t s;
    int rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    con = uk_default_console();
    if (has_w == has_v) {
        uk_console_printf(con, "blktest: give one of --write=SEED, "
                               "--verify=SEED");
        return 2;
    }
    if ((rc = uk_default_block("data", &blk)) != 0) {
        uk_console_printf(con, "blktest: FAIL: no block device: %s",
                          uk_strerror(rc));
        return 1;
    }
    uk_block_info(blk, &info);
    uk_console_printf(con, "blktest: %s: %llu sectors of %u bytes%s",
                      uk_block_id(blk), (unsigned long long)info.sectors,
                      (unsigned)info.sector_size,
                      info.read_only ? ", read-only" : "");
    if (info.sector_size > SECTOR_MAX || info.sectors < BIG + 7 * SMALL) {
        uk_console_printf(con, "blktest: FAIL: disk too small");
        return 1;
    }
    /* Out of range is refused at once. */
    if (uk_block_read(blk, &r, info.sectors, big, 1, one_done, NULL) !=
            UK_EINVAL ||
        uk_block_read(blk, &r, info.sectors - 1, big, 2, one_done, NULL) !=
            UK_EINVAL) {
        uk_console_printf(con, "blktest: FAIL: out-of-range read accepted");
        return 1;
    }
    if (has_v) {
        read_all();
        return UK_RUN;
    }
    for (s = 0; s < BIG; s++)
        pattern(big + s * info.sector_size, s, seed_w);
    for (k = 0; k < SMALL; k++)
        pattern(small[k], small_sector(k), seed_w);
    issue(true);
    return UK_RUN;
}
