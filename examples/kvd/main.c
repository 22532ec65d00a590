/*
 * main.c - kvd's configuration: the store on the image's block device
 * "data" (--block-data=FILE on unix and tap, a Xen disk), its memory and
 * the connections' from the image's budget, then the network.
 *
 *   truncate -s 16M data.img      (an empty device is formatted at once)
 *   kvd --block-data=data.img --port=7000
 *   printf 'SET greeting hello\nGET greeting\nLOG 5\n' | nc 127.0.0.1 7000
 */
#include <uk/kvstore.h>
#include <uk/target.h>

#include "kvd.h"

static struct uk_kvstore store;
static struct kvd_config kcfg;
static const char *block_name = "data";

static void opened(void *arg, int status)
{
    struct uk_kv_commit head;
    (void)arg;
    if (status != 0) {
        uk_console_printf(kcfg.con, "kvd: cannot open the store on block "
                          "device '%s': %s", block_name, uk_strerror(status));
        uk_exit(1);
        return;
    }
    uk_kv_rw_head(&store.kv, &head);
    if (kvd_start(&kcfg) != 0) {
        uk_exit(1);
        return;
    }
    uk_console_printf(kcfg.con, "kvd: store on block device '%s' at commit "
                      "%llu; listening on TCP port %u", block_name,
                      (unsigned long long)head.id, (unsigned)kcfg.port);
}

int uk_main(int argc, char **argv)
{
    struct uk_kvstore_config cfg;
    struct uk_block *blk;
    struct uk_block_info info;
    size_t need;
    void *mem;
    int rc;
    const struct uk_opt opts[] = {
        {"port", UK_OPT_PORT, &kcfg.port, "TCP port (default 7000)", 0, 0,
         NULL},
        {"store", UK_OPT_STRING, &block_name,
         "block device holding the store (default \"data\")", 0, 0, NULL},
        {"verbose", UK_OPT_FLAG, &kcfg.verbose, "log a line per connection",
         0, 0, NULL},
        UK_OPT_END,
    };
    kcfg.port = 7000;
    rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    kcfg.con = uk_default_console();
    kcfg.time = uk_default_time();
    kcfg.clock = uk_default_clock();
    kcfg.mem = uk_default_mem();
    kcfg.max_conns = uk_image_capacity()->connections;
    if ((rc = uk_default_block(block_name, &blk)) != 0) {
        uk_console_printf(kcfg.con, "kvd: no block device '%s' (give "
                          "--block-%s=FILE on unix and tap, a disk on Xen): "
                          "%s", block_name, block_name, uk_strerror(rc));
        return 1;
    }
    if (uk_default_stackv4(&kcfg.net) != 0)
        return 1;
    uk_block_info(blk, &info);
    uk_kvstore_config_default(&cfg);
    need = uk_kvstore_mem_size(&cfg, info.sector_size);
    mem = uk_mem_alloc(kcfg.mem, need);
    if (mem == NULL) {
        uk_console_printf(kcfg.con, "kvd: the memory budget cannot hold the "
                          "store's %zu bytes (give more memory)", need);
        return 1;
    }
    kcfg.kv = &store.kv;
    rc = uk_kvstore_open(&store, blk, kcfg.time, &cfg, mem, need, opened,
                         NULL);
    if (rc != 0) {
        uk_console_printf(kcfg.con, "kvd: block device '%s' cannot hold a "
                          "store: %s", block_name, uk_strerror(rc));
        uk_mem_free(kcfg.mem, mem, need);
        return 1;
    }
    return UK_RUN;
}
