/*
 * fdt.h - a small, bounds-checked reader of the flattened device tree Xen
 * hands an ARM guest at boot (the DTB, devicetree specification v0.3
 * chapter 5): nodes by path or compatible string, their properties, and
 * "reg"/"interrupts" cells.  Read-only; the blob is borrowed and must stay
 * valid while in use.  Every offset and length in the blob is checked: a
 * malformed blob gives errors (negative UK_E*), never a read outside it.
 */
#ifndef UK_ARM_XEN_FDT_H
#define UK_ARM_XEN_FDT_H

#include <stddef.h>
#include <stdint.h>

struct uk__fdt {
    const uint8_t *blob;
    size_t size;          /* totalsize, checked against the caller's max */
    uint32_t off_struct;  /* structure block */
    uint32_t size_struct;
    uint32_t off_strings; /* strings block */
    uint32_t size_strings;
};

/* A node: its offset in the structure block (after its name), and the
 * #address-cells/#size-cells that apply to its own "reg" (the parent's). */
struct uk__fdt_node {
    uint32_t props; /* offset of the node's first token after its name */
    uint32_t addr_cells, size_cells;
};

/* Checks the header of the blob at p (at most max bytes readable) and
 * fills *f.  UK_EINVAL for a bad magic, version or block bounds. */
int uk__fdt_open(struct uk__fdt *f, const void *p, size_t max);

/* Finds the node at an absolute path ("/chosen", "/" for the root); unit
 * addresses may be left out ("/memory" matches "memory@40000000").
 * 0 and *out, UK_ENOENT, or UK_EPROTO for a malformed blob. */
int uk__fdt_path(const struct uk__fdt *f, const char *path,
                 struct uk__fdt_node *out);

/* Finds the first node whose "compatible" list holds compat. */
int uk__fdt_compatible(const struct uk__fdt *f, const char *compat,
                       struct uk__fdt_node *out);

/* Finds the first node whose device_type is type, e.g. "memory". */
int uk__fdt_device_type(const struct uk__fdt *f, const char *type,
                        struct uk__fdt_node *out);

/* The value of property name of node n (borrowed from the blob) and its
 * length; NULL if absent or the blob is malformed. */
const void *uk__fdt_prop(const struct uk__fdt *f,
                         const struct uk__fdt_node *n, const char *name,
                         size_t *len);

/* Reads a big-endian number of `cells` 32-bit cells (1 or 2) at p. */
uint64_t uk__fdt_cells(const void *p, uint32_t cells);

/* Entry i of node n's "reg": 0 and *addr, *size; or UK_ENOENT. */
int uk__fdt_reg(const struct uk__fdt *f, const struct uk__fdt_node *n,
                unsigned i, uint64_t *addr, uint64_t *size);

/* Entry i of node n's "interrupts" as a GIC interrupt ID (3-cell GIC
 * binding: type 0 = SPI (ID = n + 32), 1 = PPI (ID = n + 16)).
 * 0 and *id, or UK_ENOENT. */
int uk__fdt_irq(const struct uk__fdt *f, const struct uk__fdt_node *n,
                unsigned i, uint32_t *id);

#endif
