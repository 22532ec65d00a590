/*
 * block_default.c - uk_default_block (device NAME is the file given by
 * --block-NAME=PATH, "default" also by --block=PATH, opened on first use)
 * and those options themselves.  Its own object, so only an image that
 * calls uk_default_block links it, and only such an image's --help lists
 * --block and --block-NAME (options.c refers to the table weakly).
 */
#include <string.h>

#include <uk/target.h>
#include <uk/unix.h>

#include "internal.h"

#define BLOCKS 8 /* named block devices at most */

static const char *block_path;
static struct uk_opt_pair block_pairs[BLOCKS];
static struct uk_opt_named block_named = {block_pairs, BLOCKS, 0};

const struct uk_opt uk__unix_block_opts[] = {
    {"block", UK_OPT_STRING, &block_path,
     "file backing the block device \"default\"", 0, 0, NULL},
    {"block-", UK_OPT_NAMED, &block_named,
     "file backing the block device NAME", 0, 0, NULL},
    UK_OPT_END,
};

/* The file of device NAME, or NULL when no option gave one. */
static const char *block_file(const char *name)
{
    const char *p = uk_opt_named_get(&block_named, name);
    if (p == NULL && strcmp(name, "default") == 0)
        p = block_path;
    return p;
}

int uk_default_block(const char *name, struct uk_block **out)
{
    static struct uk_unix_block devs[BLOCKS];
    static char names[BLOCKS][64]; /* "" = free */
    const char *path = block_file(name);
    size_t i;
    int rc;
    if (path == NULL)
        return UK_ENODEV;
    for (i = 0; i < BLOCKS && names[i][0] != '\0'; i++)
        if (strcmp(names[i], name) == 0) {
            *out = &devs[i].blk;
            return 0;
        }
    if (i == BLOCKS) /* more names than options can give */
        return UK_ENODEV;
    if (strlen(name) >= sizeof names[i]) {
        uk_unix_errorf("block device name '%.40s...' too long", name);
        return UK_EINVAL;
    }
    rc = uk_unix_block_open(&devs[i], path, false);
    if (rc != 0) {
        uk_unix_errorf("block device '%s': cannot open '%s': %s", name, path,
                       uk_strerror(rc));
        return rc;
    }
    memcpy(names[i], name, strlen(name) + 1);
    *out = &devs[i].blk;
    return 0;
}
