/*
 * zone_dir_none.c - --zone-dir on targets without a host file system.
 */
#include "dns.h"

int dns_zone_dir(struct uk_console *con, const char *path,
                 struct uk_kv_ro **out)
{
    (void)out;
    uk_console_printf(con,
                      "dns: --zone-dir=%s: not available on this "
                      "target (zones are embedded: KV_RO zones)",
                      path);
    return UK_ENOTSUP;
}
