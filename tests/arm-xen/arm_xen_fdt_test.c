/*
 * arm_xen_fdt_test.c - the arm-xen device-tree reader (backends/arm-xen/
 * fdt.c) on the host: lookups on a tree shaped like the one Xen gives a
 * domU, and malformed blobs (every truncation, random corruptions) that
 * must give errors, never reads outside the blob (run it under ASan); and
 * the seed corpus of fuzz/arm-xen (QEMU's virt device trees) replayed.
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

#include "fdt.h"

/* ---- a tiny DTB writer ---- */

struct dtb {
    uint8_t st[4096];
    size_t n;
    char str[1024];
    size_t ns;
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void tok(struct dtb *d, uint32_t t)
{
    put32(d->st + d->n, t);
    d->n += 4;
}

static void bytes(struct dtb *d, const void *p, size_t len)
{
    memcpy(d->st + d->n, p, len);
    d->n += len;
    while (d->n % 4 != 0)
        d->st[d->n++] = 0;
}

static void begin(struct dtb *d, const char *name)
{
    tok(d, 1);
    bytes(d, name, strlen(name) + 1);
}

static void end(struct dtb *d)
{
    tok(d, 2);
}

static void prop(struct dtb *d, const char *name, const void *val,
                 size_t len)
{
    size_t off = d->ns;
    memcpy(d->str + d->ns, name, strlen(name) + 1);
    d->ns += strlen(name) + 1;
    tok(d, 3);
    tok(d, (uint32_t)len);
    tok(d, (uint32_t)off);
    bytes(d, val, len);
}

static void cells(struct dtb *d, const char *name, int n, ...)
{
    uint8_t buf[64];
    va_list ap;
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++)
        put32(buf + 4 * i, va_arg(ap, uint32_t));
    va_end(ap);
    prop(d, name, buf, 4 * (size_t)n);
}

static void str(struct dtb *d, const char *name, const char *s, size_t len)
{
    prop(d, name, s, len);
}

/* Writes the blob (header, empty reservation map, blocks); returns its
 * size. */
static size_t finish(struct dtb *d, uint8_t *out)
{
    size_t off_st = 40 + 16, off_str = off_st + d->n,
           total = off_str + d->ns;
    memset(out, 0, total);
    put32(out, 0xd00dfeed);
    put32(out + 4, (uint32_t)total);
    put32(out + 8, (uint32_t)off_st);
    put32(out + 12, (uint32_t)off_str);
    put32(out + 16, 40);
    put32(out + 20, 17);
    put32(out + 24, 16);
    put32(out + 32, (uint32_t)d->ns);
    put32(out + 36, (uint32_t)d->n);
    memcpy(out + off_st, d->st, d->n);
    memcpy(out + off_str, d->str, d->ns);
    return total;
}

/* A tree shaped like a Xen domU's. */
static size_t xen_like(uint8_t *out)
{
    static struct dtb d;
    memset(&d, 0, sizeof d);
    begin(&d, "");
    cells(&d, "#address-cells", 1, 2u);
    cells(&d, "#size-cells", 1, 2u);
    begin(&d, "chosen");
    str(&d, "bootargs", "--ipv4=10.0.0.2/24 --x", 23);
    end(&d);
    begin(&d, "memory@40000000");
    str(&d, "device_type", "memory", 7);
    cells(&d, "reg", 4, 0u, 0x40000000u, 0u, 0x10000000u);
    end(&d);
    begin(&d, "interrupt-controller@3001000");
    str(&d, "compatible", "arm,gic-v3", 11);
    cells(&d, "reg", 8, 0u, 0x3001000u, 0u, 0x10000u, 0u, 0x3020000u, 0u,
          0x1000000u);
    end(&d);
    begin(&d, "timer");
    str(&d, "compatible", "arm,armv8-timer", 16);
    cells(&d, "interrupts", 12, 1u, 13u, 0xf08u, 1u, 14u, 0xf08u, 1u, 11u,
          0xf08u, 1u, 10u, 0xf08u);
    end(&d);
    begin(&d, "hypervisor");
    str(&d, "compatible", "xen,xen-4.17\0xen,xen", 21);
    cells(&d, "reg", 4, 0u, 0x38000000u, 0u, 0x1000000u);
    cells(&d, "interrupts", 3, 1u, 15u, 0xf08u);
    end(&d);
    begin(&d, "soc");
    cells(&d, "#address-cells", 1, 1u);
    cells(&d, "#size-cells", 1, 1u);
    tok(&d, 4); /* a NOP */
    begin(&d, "dev@1000");
    cells(&d, "reg", 2, 0x1000u, 0x100u);
    end(&d);
    end(&d);
    end(&d);
    tok(&d, 9);
    return finish(&d, out);
}

static uint8_t blob[8192];

static void lookups(void **state)
{
    struct uk__fdt f;
    struct uk__fdt_node n;
    uint64_t a, s;
    uint32_t id;
    size_t len;
    const char *p;
    size_t total = xen_like(blob);
    (void)state;
    assert_int_equal(uk__fdt_open(&f, blob, total), 0);
    assert_int_equal(uk__fdt_path(&f, "/chosen", &n), 0);
    p = uk__fdt_prop(&f, &n, "bootargs", &len);
    assert_non_null(p);
    assert_int_equal(len, 23);
    assert_string_equal(p, "--ipv4=10.0.0.2/24 --x");
    assert_null(uk__fdt_prop(&f, &n, "nothing", &len));

    assert_int_equal(uk__fdt_path(&f, "/memory", &n), 0);
    assert_int_equal(uk__fdt_reg(&f, &n, 0, &a, &s), 0);
    assert_true(a == 0x40000000u && s == 0x10000000u);
    assert_int_equal(uk__fdt_reg(&f, &n, 1, &a, &s), UK_ENOENT);
    assert_int_equal(uk__fdt_device_type(&f, "memory", &n), 0);
    assert_int_equal(uk__fdt_path(&f, "/memory@40000000", &n), 0);
    assert_int_equal(uk__fdt_path(&f, "/memory@5", &n), UK_ENOENT);
    assert_int_equal(uk__fdt_path(&f, "/nope", &n), UK_ENOENT);
    assert_int_equal(uk__fdt_path(&f, "/", &n), 0);

    assert_int_equal(uk__fdt_compatible(&f, "arm,gic-v3", &n), 0);
    assert_int_equal(uk__fdt_reg(&f, &n, 1, &a, &s), 0);
    assert_true(a == 0x3020000u && s == 0x1000000u);
    assert_int_equal(uk__fdt_compatible(&f, "arm,gic-v", &n), UK_ENOENT);

    assert_int_equal(uk__fdt_compatible(&f, "arm,armv8-timer", &n), 0);
    assert_int_equal(uk__fdt_irq(&f, &n, 2, &id), 0);
    assert_int_equal(id, 27);
    assert_int_equal(uk__fdt_irq(&f, &n, 4, &id), UK_ENOENT);

    assert_int_equal(uk__fdt_compatible(&f, "xen,xen", &n), 0);
    assert_int_equal(uk__fdt_irq(&f, &n, 0, &id), 0);
    assert_int_equal(id, 31);
    assert_int_equal(uk__fdt_reg(&f, &n, 0, &a, &s), 0);
    assert_true(a == 0x38000000u && s == 0x1000000u);

    /* Cells come from the parent: soc says 1 and 1. */
    assert_int_equal(uk__fdt_path(&f, "/soc/dev", &n), 0);
    assert_int_equal(uk__fdt_reg(&f, &n, 0, &a, &s), 0);
    assert_true(a == 0x1000u && s == 0x100u);
    assert_int_equal(uk__fdt_path(&f, "/dev", &n), UK_ENOENT);
}

static void bad_headers(void **state)
{
    struct uk__fdt f;
    size_t total = xen_like(blob);
    (void)state;
    assert_int_equal(uk__fdt_open(&f, NULL, total), UK_EINVAL);
    assert_int_equal(uk__fdt_open(&f, blob, total - 1), UK_EINVAL);
    assert_int_equal(uk__fdt_open(&f, blob, 39), UK_EINVAL);
    blob[0] ^= 1; /* magic */
    assert_int_equal(uk__fdt_open(&f, blob, total), UK_EINVAL);
    blob[0] ^= 1;
    put32(blob + 36, (uint32_t)total); /* struct block past the end */
    assert_int_equal(uk__fdt_open(&f, blob, total), UK_EINVAL);
    xen_like(blob);
    put32(blob + 12, 0xfffffff0u); /* strings block */
    assert_int_equal(uk__fdt_open(&f, blob, total), UK_EINVAL);
}

/* Runs every lookup; only memory safety and termination matter. */
static void exercise(const uint8_t *p, size_t len)
{
    static const char *const paths[] = {"/", "/chosen", "/memory",
                                        "/soc/dev", "/a/b/c"};
    struct uk__fdt f;
    struct uk__fdt_node n;
    uint64_t a, s;
    uint32_t id;
    size_t i, plen;
    if (uk__fdt_open(&f, p, len) != 0)
        return;
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (uk__fdt_path(&f, paths[i], &n) == 0) {
            (void)uk__fdt_prop(&f, &n, "bootargs", &plen);
            (void)uk__fdt_reg(&f, &n, 0, &a, &s);
        }
    if (uk__fdt_compatible(&f, "xen,xen", &n) == 0) {
        (void)uk__fdt_irq(&f, &n, 0, &id);
        (void)uk__fdt_reg(&f, &n, 0, &a, &s);
    }
    if (uk__fdt_device_type(&f, "memory", &n) == 0)
        (void)uk__fdt_reg(&f, &n, 0, &a, &s);
}

static void truncations(void **state)
{
    size_t total = xen_like(blob), len;
    (void)state;
    for (len = 0; len <= total; len++) {
        uint8_t *p = malloc(len + 1); /* exact size: ASan sees overreads */
        assert_non_null(p);
        memcpy(p, blob, len);
        if (len >= 8)
            put32(p + 4, (uint32_t)len); /* totalsize agrees */
        exercise(p, len);
        free(p);
    }
}

static void corruptions(void **state)
{
    size_t total = xen_like(blob);
    uint32_t seed = 12345;
    int iter;
    (void)state;
    for (iter = 0; iter < 5000; iter++) {
        uint8_t *p = malloc(total);
        int k, flips;
        assert_non_null(p);
        memcpy(p, blob, total);
        seed = seed * 1103515245u + 12345u;
        flips = 1 + (int)(seed >> 28) % 4;
        for (k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            /* Mostly the blocks (past the header), sometimes anywhere. */
            p[(seed >> 8) % total] ^= (uint8_t)(1u << (seed % 8));
        }
        exercise(p, total);
        free(p);
    }
}

/* Reads fuzz/arm-xen/seeds/NAME (UK_SOURCE_DIR is set by ctest). */
static uint8_t *seed(const char *name, size_t *len)
{
    char path[1024];
    const char *src = getenv("UK_SOURCE_DIR");
    FILE *fp;
    uint8_t *p;
    long n;
    snprintf(path, sizeof path, "%s/fuzz/arm-xen/seeds/%s",
             src != NULL ? src : ".", name);
    fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    p = malloc(n > 0 ? (size_t)n : 1);
    if (p != NULL && fread(p, 1, (size_t)n, fp) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(fp);
    *len = (size_t)n;
    return p;
}

static void seeds(void **state)
{
    static const char *const names[] = {"qemu-virt-arm64.dtb",
                                        "qemu-virt-arm32.dtb"};
    size_t i;
    (void)state;
    for (i = 0; i < 2; i++) {
        struct uk__fdt f;
        struct uk__fdt_node n;
        uint32_t id;
        uint64_t a, s;
        size_t len, cut;
        uint8_t *p = seed(names[i], &len);
        if (p == NULL)
            fail_msg("cannot read seed %s (UK_SOURCE_DIR)", names[i]);
        assert_int_equal(uk__fdt_open(&f, p, len), 0);
        /* QEMU's virt machine: the virtual timer is PPI 11 = ID 27. */
        assert_true(uk__fdt_compatible(&f, "arm,armv8-timer", &n) == 0 ||
                    uk__fdt_compatible(&f, "arm,armv7-timer", &n) == 0);
        assert_int_equal(uk__fdt_irq(&f, &n, 2, &id), 0);
        assert_int_equal(id, 27);
        assert_int_equal(uk__fdt_device_type(&f, "memory", &n), 0);
        assert_int_equal(uk__fdt_reg(&f, &n, 0, &a, &s), 0);
        assert_true(a == 0x40000000u && s >= (1u << 30));
        assert_int_equal(uk__fdt_path(&f, "/chosen", &n), 0);
        for (cut = 0; cut < len; cut += 7) {
            uint8_t *q = malloc(cut + 1);
            assert_non_null(q);
            memcpy(q, p, cut);
            if (cut >= 8)
                put32(q + 4, (uint32_t)cut);
            exercise(q, cut);
            free(q);
        }
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookups),
        cmocka_unit_test(bad_headers),
        cmocka_unit_test(truncations),
        cmocka_unit_test(corruptions),
        cmocka_unit_test(seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
