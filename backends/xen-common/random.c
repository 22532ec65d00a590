/*
 * random.c - ENTROPY and RANDOM for Xen guests.
 *
 * Entropy comes from the CPU's hardware generator when the architecture
 * has one (x86 RDRAND: source "rdrand"; arm RNDR: "rndr"); otherwise from
 * the jitter of the cycle counter around hypercalls (source
 * "counter-jitter"), which is weak and says so.  RANDOM is the ChaCha20
 * generator of lib/core, seeded once from 32 bytes of that entropy.
 */
#include <string.h>

#include <uk/prng.h>
#include <uk/target.h>

#include "xen.h"

static struct uk_timer ent_done;

static bool has_hw(void)
{
    static int known; /* 0 unknown, 1 yes, 2 no */
    uint64_t v;
    if (known == 0)
        known = uk__xen_arch_hw_random(&v) ? 1 : 2;
    return known == 1;
}

static const char *ent_source(struct uk_entropy *self)
{
    UK_UNUSED(self);
#if defined(__x86_64__)
    return has_hw() ? "rdrand" : "counter-jitter";
#else
    return has_hw() ? "rndr" : "counter-jitter"; /* arm: FEAT_RNG */
#endif
}

static void ent_disconnect(struct uk_entropy *self, uk_done_cb cb, void *arg)
{
    UK_UNUSED(self);
    if (cb != NULL)
        uk_time_defer(uk_default_time(), &ent_done, cb, arg);
}

/* 64 bits from the low bits of counter deltas around a cheap hypercall. */
static uint64_t jitter64(void)
{
    uint64_t acc = 0;
    int i;
    for (i = 0; i < 64; i++) {
        uint64_t t0 = uk__xen_arch_counter();
        (void)uk__xen_hypercall(UK_XEN_HC_XEN_VERSION, 0, 0, 0);
        acc = (acc << 1 | acc >> 63) ^ (uk__xen_arch_counter() - t0);
    }
    return acc;
}

static int ent_gather(struct uk_entropy *self, void *buf, size_t len,
                      size_t *got)
{
    unsigned char *p = buf;
    UK_UNUSED(self);
    *got = 0;
    while (*got < len) {
        uint64_t v;
        size_t n = len - *got < 8 ? len - *got : 8;
        if (!(has_hw() && uk__xen_arch_hw_random(&v)))
            v = jitter64();
        memcpy(p + *got, &v, n);
        *got += n;
    }
    return 0;
}

static const struct uk_entropy_ops entropy_ops = {
    .id = ent_source,
    .disconnect = ent_disconnect,
    .gather = ent_gather,
    .source = ent_source,
};

static struct uk_entropy the_entropy = {&entropy_ops};

struct uk_entropy *uk_default_entropy(void)
{
    return &the_entropy;
}

static struct uk_prng prng;
static bool seeded;

static int rnd_fill(struct uk_random *self, void *buf, size_t len)
{
    UK_UNUSED(self);
    if (!seeded) {
        uint8_t seed[32];
        size_t got = 0;
        if (ent_gather(&the_entropy, seed, sizeof seed, &got) != 0 ||
            got != sizeof seed)
            return UK_EIO;
        uk_prng_init(&prng, seed);
        memset(seed, 0, sizeof seed);
        seeded = true;
    }
    uk_prng_fill(&prng, buf, len);
    return 0;
}

static const struct uk_random_ops random_ops = {.fill = rnd_fill};

static struct uk_random the_random = {&random_ops};

struct uk_random *uk_default_random(void)
{
    return &the_random;
}
