/*
 * blocks.c - uk_default_block on Xen targets: which virtual disk (vbd)
 * stands behind a block device name, and its blkfront, opened on first
 * use.
 *
 * A name maps to a vbd by, in this order: --block-NAME=VBD on the command
 * line (VBD is "xvdb" or a virtual-device number); the name itself when it
 * is one ("xvda"); otherwise the first vbd of the domain (in virtual-device
 * order) that is neither open under another name nor given to a name by
 * an option.  So an image with one disk finds it under any name, and one
 * with several names them in the order of the .xl disk= list.
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

#include "blkfront.h"
#include "options.h"
#include "xen.h"
#include "xenbus.h"
#include "xenstore.h"

#define MAX_VBDS 8
#define XVD_MAJOR 202u
#define EXT_FLAG (1u << 28) /* extended numbering: xvdaa and beyond */

static struct {
    struct uk__blkfront bf;
    char name[32]; /* the name it was asked for first ("" = free) */
} devs[MAX_VBDS];

/* --block-NAME=VBD: the virtual disk behind block device NAME, as "xvdb"
 * or a virtual-device number.  Here, with uk_default_block, so only an
 * image that calls it links (and lists) the option; options.c refers to
 * the table weakly. */
static struct uk_opt_pair block_pairs[MAX_VBDS];
static struct uk_opt_named block_named = {block_pairs, MAX_VBDS, 0};

const struct uk_opt uk__xen_block_opts[] = {
    {"block-", UK_OPT_NAMED, &block_named,
     "virtual disk (xvdb, or its number) behind block device NAME", 0, 0,
     NULL},
    UK_OPT_END,
};

/* "xvdX" (X = a..z, or two letters), or a decimal virtual-device number,
 * to the number.  Returns 0 or UK_EINVAL. */
static int vbd_parse(const char *s, uint32_t *out)
{
    unsigned long v;
    size_t n = strlen(s);
    if (uk__xenbus_uint(s, 0xffffffffu, &v) == 0) {
        *out = (uint32_t)v;
        return 0;
    }
    if (n < 4 || n > 5 || memcmp(s, "xvd", 3) != 0 || s[3] < 'a' ||
        s[3] > 'z' || (n == 5 && (s[4] < 'a' || s[4] > 'z')))
        return UK_EINVAL;
    v = (unsigned long)(s[3] - 'a');
    if (n == 5)
        v = (v + 1) * 26 + (unsigned long)(s[4] - 'a');
    *out = v < 16 ? (uint32_t)((XVD_MAJOR << 8) | (v << 4))
                  : (uint32_t)(EXT_FLAG | (v << 8));
    return 0;
}

/* The number's name for logs: "xvdb", or the number. */
static void vbd_name(uint32_t vdev, char *out, size_t cap)
{
    unsigned long disk = (unsigned long)-1;
    if ((vdev >> 8) == XVD_MAJOR && (vdev & 15) == 0)
        disk = (vdev >> 4) & 15;
    else if ((vdev & EXT_FLAG) && (vdev & 0xff) == 0)
        disk = (vdev >> 8) & 0xfffff;
    if (disk < 26)
        snprintf(out, cap, "xvd%c", (char)('a' + disk));
    else if (disk < 26 * 27)
        snprintf(out, cap, "xvd%c%c", (char)('a' + disk / 26 - 1),
                 (char)('a' + disk % 26));
    else
        snprintf(out, cap, "%lu", (unsigned long)vdev);
}

/* True when some --block-X option names vdev. */
static bool given_by_option(uint32_t vdev)
{
    char val[16];
    size_t i;
    uint32_t v;
    for (i = 0; i < block_named.n; i++) {
        snprintf(val, sizeof val, "%s", block_named.pairs[i].value);
        if (vbd_parse(val, &v) == 0 && v == vdev)
            return true;
    }
    return false;
}

static int open_index(uint32_t vdev)
{
    int i;
    for (i = 0; i < MAX_VBDS; i++)
        if (devs[i].name[0] != '\0' && devs[i].bf.vdev == vdev)
            return i;
    return -1;
}

/* The first vbd in virtual-device order that nothing claims. */
static int pick_free(uint32_t *out)
{
    char list[512];
    const char *p;
    unsigned count, k;
    uint32_t best = 0;
    bool found = false;
    int rc = uk__xs_directory(0, "device/vbd", list, sizeof list, &count);
    if (rc == UK_ENOENT)
        return UK_ENODEV;
    if (rc != 0)
        return rc;
    for (p = list, k = 0; k < count; k++, p += strlen(p) + 1) {
        unsigned long v;
        if (uk__xenbus_uint(p, 0xffffffffu, &v) != 0 ||
            open_index((uint32_t)v) >= 0 || given_by_option((uint32_t)v))
            continue;
        if (!found || v < best) {
            best = (uint32_t)v;
            found = true;
        }
    }
    if (!found)
        return UK_ENODEV;
    *out = best;
    return 0;
}

int uk_default_block(const char *name, struct uk_block **out)
{
    struct uk_console *con = uk_default_console();
    const char *opt = uk_opt_named_get(&block_named, name);
    char id[16];
    uint32_t vdev;
    int i, rc;
    for (i = 0; i < MAX_VBDS; i++)
        if (strcmp(devs[i].name, name) == 0) {
            *out = &devs[i].bf.blk;
            return 0;
        }
    if (opt != NULL) {
        if (vbd_parse(opt, &vdev) != 0) {
            uk_console_printf(con,
                              "--block-%s: '%s' is not a virtual "
                              "disk (xvdb, or its number)",
                              name, opt);
            return UK_EINVAL;
        }
    } else if (vbd_parse(name, &vdev) != 0 && (rc = pick_free(&vdev)) != 0) {
        uk_console_printf(con, "no virtual disk left for block device '%s'",
                          name);
        return rc;
    }
    if ((i = open_index(vdev)) >= 0) { /* one disk, two names */
        *out = &devs[i].bf.blk;
        return 0;
    }
    for (i = 0; i < MAX_VBDS && devs[i].name[0] != '\0'; i++)
        ;
    if (i == MAX_VBDS || strlen(name) >= sizeof devs[i].name)
        return UK_ENODEV;
    vbd_name(vdev, id, sizeof id);
    rc = uk__blkfront_open(&devs[i].bf, vdev, id);
    if (rc == UK_ENODEV)
        uk_console_printf(con, "block device '%s': no virtual disk %s", name,
                          id);
    if (rc != 0)
        return rc;
    snprintf(devs[i].name, sizeof devs[i].name, "%s", name);
    uk_console_printf(con, "xen: block device '%s' is %s", name, id);
    *out = &devs[i].bf.blk;
    return 0;
}
