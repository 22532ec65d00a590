/*
 * defaults.c - the device defaults of uk/target.h on Xen targets.
 *
 * KV_RO stores are the ones compiled into the image; raw network devices
 * are netfront vifs (the stack over vif 0 is stack.c), as many as the
 * image declares DEVICES (uk_image_capacity()), their state taken from the
 * memory budget when first opened; block devices are blkfront vbds
 * (blocks.c).
 */
#include <string.h>

#include <uk/kv_decl.h>
#include <uk/target.h>

#include "netfront.h"
#include "xen.h"


int uk_default_network(unsigned index, struct uk_network **out)
{
    static struct uk__netfront **vifs; /* DEVICES entries, NULL: not open */
    unsigned n = uk_image_capacity()->devices;
    struct uk__netfront *nf;
    int rc;
    if (index >= n)
        return UK_ENODEV;
    if (vifs == NULL) {
        vifs = uk_mem_alloc(uk_default_mem(), n * sizeof *vifs);
        if (vifs == NULL)
            return UK_ENOMEM;
        memset(vifs, 0, n * sizeof *vifs);
    }
    if (vifs[index] == NULL) {
        nf = uk_mem_alloc(uk_default_mem(), sizeof *nf);
        if (nf == NULL)
            return UK_ENOMEM;
        rc = uk__netfront_open(nf, index);
        if (rc != 0) {
            uk_mem_free(uk_default_mem(), nf, sizeof *nf);
            return rc;
        }
        vifs[index] = nf;
    }
    *out = &vifs[index]->net;
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
