/*
 * defaults.c - the device defaults of uk/target.h on Xen targets.
 *
 * KV_RO stores are the ones compiled into the image; raw network devices
 * are netfront vifs (the stack over vif 0 is stack.c); block devices are
 * blkfront vbds (blocks.c).
 */
#include <string.h>

#include <uk/kv_decl.h>
#include <uk/target.h>

#include "netfront.h"
#include "xen.h"

#define MAX_VIFS 4

int uk_default_network(unsigned index, struct uk_network **out)
{
    static struct uk__netfront vifs[MAX_VIFS];
    static bool opened[MAX_VIFS];
    int rc;
    if (index >= MAX_VIFS)
        return UK_ENODEV;
    if (!opened[index]) {
        rc = uk__netfront_open(&vifs[index], index);
        if (rc != 0)
            return rc;
        opened[index] = true;
    }
    *out = &vifs[index].net;
    return 0;
}

int uk_default_kv_ro(const char *name, struct uk_kv_ro **out)
{
    size_t i;
    for (i = 0; uk__kv_decls[i].name != NULL; i++) {
        if (strcmp(uk__kv_decls[i].name, name) != 0)
            continue;
        if (uk__kv_decls[i].embedded == NULL)
            break;
        *out = uk__kv_decls[i].embedded;
        return 0;
    }
    uk_console_printf(uk_default_console(),
                      "no embedded KV_RO store named '%s' in this image",
                      name);
    return UK_ENOENT;
}
