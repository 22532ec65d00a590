/*
 * fdt_fuzz.c - libFuzzer target of the arm-xen device-tree reader
 * (backends/arm-xen/fdt.c): every lookup the start-up code makes, on
 * arbitrary bytes.  Seeds: seeds/ (QEMU's virt device trees, as Xen's own
 * is derived from them).  Run: ./arm_xen_fdt_fuzz <dir> fuzz/arm-xen/seeds
 */
#include <stddef.h>
#include <stdint.h>

#include "fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"/", "/chosen", "/memory",
                                        "/soc/dev", "/a/b/c"};
    struct uk__fdt f;
    struct uk__fdt_node n;
    uint64_t a, s;
    uint32_t id;
    size_t i, len;
    if (uk__fdt_open(&f, data, size) != 0)
        return 0;
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (uk__fdt_path(&f, paths[i], &n) == 0) {
            (void)uk__fdt_prop(&f, &n, "bootargs", &len);
            (void)uk__fdt_reg(&f, &n, 1, &a, &s);
        }
    if (uk__fdt_compatible(&f, "arm,gic-v3", &n) == 0)
        (void)uk__fdt_reg(&f, &n, 1, &a, &s);
    if (uk__fdt_compatible(&f, "arm,armv8-timer", &n) == 0)
        (void)uk__fdt_irq(&f, &n, 2, &id);
    if (uk__fdt_device_type(&f, "memory", &n) == 0)
        (void)uk__fdt_reg(&f, &n, 0, &a, &s);
    return 0;
}
