/*
 * zone_dir_unix.c - --zone-dir on the unix target: a host directory as
 * the zone store.
 */
#include <uk/unix.h>

#include "dns.h"

int dns_zone_dir(struct uk_console *con, const char *path,
                 struct uk_kv_ro **out)
{
    static struct uk_unix_kv_dir dir;
    int rc = uk_unix_kv_dir_open(&dir, path);
    if (rc != 0) {
        uk_console_printf(con, "dns: --zone-dir=%s: %s", path,
                          uk_strerror(rc));
        return rc;
    }
    *out = &dir.kv;
    return 0;
}
