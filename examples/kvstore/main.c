/*
 * main.c - the kvstore example's configuration: a store on the target's
 * block device, in static memory.
 *
 *   kvstore --block=disk.img --set=greeting --value=hello --msg="first"
 *   kvstore --block=disk.img --get=greeting --list=/ --log=10
 *
 * (make the file first: truncate -s 8M disk.img; an empty device is
 * formatted on first use.)  --store=NAME picks another block device.
 */
#include <uk/kvstore.h>
#include <uk/target.h>

#include "kvstore.h"

static struct kvstore_actions act;
static const char *store_name = "default";
static struct uk_kvstore st;
static uint8_t mem[(256 + 16) * 1024];

static void finished(int status)
{
    uk_kv_rw_disconnect(&st.kv, NULL, NULL);
    uk_exit(status == 0 ? 0 : 1);
}

static void opened(void *arg, int status)
{
    (void)arg;
    if (status != 0) {
        uk_console_printf(uk_default_console(), "kvstore: cannot open the "
                          "store on block device '%s': %s", store_name,
                          uk_strerror(status));
        uk_exit(1);
        return;
    }
    kvstore_run(uk_default_console(), &st.kv, &act, finished);
}

int uk_main(int argc, char **argv)
{
    struct uk_kvstore_config cfg;
    struct uk_block *blk;
    struct uk_block_info info;
    const struct uk_opt opts[] = {
        {"store", UK_OPT_STRING, &store_name,
         "block device holding the store (default \"default\")", 0, 0, NULL},
        {"set", UK_OPT_STRING, &act.set, "key to write (with --value)", 0, 0,
         NULL},
        {"value", UK_OPT_STRING, &act.value, "value for --set", 0, 0, NULL},
        {"del", UK_OPT_STRING, &act.del, "key to delete", 0, 0, NULL},
        {"msg", UK_OPT_STRING, &act.msg, "commit message", 0, 0, NULL},
        {"get", UK_OPT_STRING, &act.get, "key to print", 0, 0, NULL},
        {"list", UK_OPT_STRING, &act.list, "directory to list (/ the root)",
         0, 0, NULL},
        {"log", UK_OPT_UINT, &act.log, "commits of history to print", 0,
         1000000, NULL},
        UK_OPT_END,
    };
    int rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    if ((rc = uk_default_block(store_name, &blk)) != 0) {
        uk_console_printf(uk_default_console(), "kvstore: no block device "
                          "'%s' (give --block=FILE): %s", store_name,
                          uk_strerror(rc));
        return 1;
    }
    uk_block_info(blk, &info);
    uk_kvstore_config_default(&cfg);
    if (uk_kvstore_mem_size(&cfg, info.sector_size) > sizeof mem) {
        uk_console_printf(uk_default_console(), "kvstore: sector size %u "
                          "too large", (unsigned)info.sector_size);
        return 1;
    }
    if (act.list != NULL && act.list[0] == '/' && act.list[1] == '\0')
        act.list = "";
    act.time_s = uk_clock_wall_ns(uk_default_clock()) / 1000000000;
    rc = uk_kvstore_open(&st, blk, uk_default_time(), &cfg, mem, sizeof mem,
                         opened, NULL);
    if (rc != 0) {
        uk_console_printf(uk_default_console(), "kvstore: block device '%s' "
                          "cannot hold a store: %s", store_name,
                          uk_strerror(rc));
        return 1;
    }
    return UK_RUN;
}
