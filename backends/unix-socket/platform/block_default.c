/*
 * block_default.c - uk_default_block ("default" is the file given by
 * --block=PATH) and the --block option itself.  Its own object, so only an
 * image that calls uk_default_block links it, and only such an image's
 * --help lists --block (options.c refers to the table weakly).
 */
#include <stdbool.h>
#include <string.h>

#include <uk/target.h>
#include <uk/unix.h>

#include "internal.h"

static const char *block_path;

const struct uk_opt uk__unix_block_opts[] = {
    {"block", UK_OPT_STRING, &block_path,
     "file backing the block device \"default\"", 0, 0, NULL},
    UK_OPT_END,
};

int uk_default_block(const char *name, struct uk_block **out)
{
    static struct uk_unix_block dflt;
    static bool opened;
    const char *path = block_path;
    int rc;
    if (strcmp(name, "default") != 0 || path == NULL)
        return UK_ENODEV;
    if (!opened) {
        rc = uk_unix_block_open(&dflt, path, false);
        if (rc != 0) {
            uk_unix_errorf("--block: cannot open '%s': %s", path,
                           uk_strerror(rc));
            return rc;
        }
        opened = true;
    }
    *out = &dflt.blk;
    return 0;
}
