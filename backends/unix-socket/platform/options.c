/*
 * options.c - uk_parse_options for the unix targets: the application's
 * table, the platform's (--memory=SIZE; one --kv-NAME=DIR per store the
 * image declares; --block=PATH and --block-NAME=PATH when the image uses
 * uk_default_block) and the stack archive's network options when it uses
 * the network.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uk/kv_decl.h>
#include <uk/target.h>
#include <uk/unix.h>

#include "internal.h"

static size_t memory_size;
static struct uk_opt *kv_opts;     /* one per declared store, then END */
static const char **kv_overrides;  /* parallel to uk__kv_decls */
static size_t kv_count;

/* The stack archive's network options (unix-socket, direct-tap: their
 * net_opts.c), linked only when the image uses the network. */
const struct uk_opt *uk__net_options(void) __attribute__((weak));

/* --block, defined by block_default.c; NULL (no table) when the image
 * never calls uk_default_block, so the object is not linked. */
extern const struct uk_opt uk__unix_block_opts[] __attribute__((weak));

/* The budget's bounds: room for a few buffers, and what a size_t and
 * the allocator's 2^32 blocks can address. */
#define MEMORY_MIN (64ul << 10)
#define MEMORY_MAX (sizeof(size_t) > 4 ? 64ul << 30 : 3ul << 30)

static const struct uk_opt platform_opts[] = {
    {"memory", UK_OPT_SIZE, &memory_size,
     "the image's memory budget (default: its declared MEMORY)", MEMORY_MIN,
     MEMORY_MAX, NULL},
    UK_OPT_END,
};

size_t uk__unix_memory_size(void)
{
    return memory_size;
}

const char *uk__unix_kv_override(const char *name)
{
    size_t i;
    for (i = 0; i < kv_count && kv_overrides != NULL; i++)
        if (strcmp(uk__kv_decls[i].name, name) == 0)
            return kv_overrides[i];
    return NULL;
}

/* Builds the --kv-NAME table once.  The memory lives until exit. */
static int build_kv_opts(void)
{
    size_t i;
    if (kv_opts != NULL)
        return 0;
    for (kv_count = 0; uk__kv_decls[kv_count].name != NULL; kv_count++)
        ;
    kv_opts = calloc(kv_count + 1, sizeof *kv_opts);
    kv_overrides = calloc(kv_count + 1, sizeof *kv_overrides);
    if (kv_opts == NULL || kv_overrides == NULL)
        return UK_ENOMEM;
    for (i = 0; i < kv_count; i++) {
        size_t n = strlen(uk__kv_decls[i].name) + 4;
        char *name = malloc(n);
        if (name == NULL)
            return UK_ENOMEM;
        snprintf(name, n, "kv-%s", uk__kv_decls[i].name);
        kv_opts[i].name = name;
        kv_opts[i].type = UK_OPT_STRING;
        kv_opts[i].dst = &kv_overrides[i];
        kv_opts[i].help = "directory to serve this store from";
    }
    return 0;
}

static void emit_line(void *arg, const char *line)
{
    uk_console_log((struct uk_console *)arg, line, strlen(line));
}

int uk_parse_options(const struct uk_opt *app, int argc, char **argv)
{
    const struct uk_opt *tables[5];
    char err[UK_OPT_ERR_MAX];
    int rc;
    if (argc > 0)
        uk__unix_set_progname(argv[0]);
    if (build_kv_opts() != 0) {
        uk_unix_errorf("out of memory");
        return 2;
    }
    tables[0] = app;
    tables[1] = platform_opts;
    tables[2] = uk__unix_block_opts;
    tables[3] = kv_opts;
    tables[4] = uk__net_options != NULL ? uk__net_options() : NULL;
    rc = uk_opt_parse(tables, 5, argc, argv, err);
    if (rc == UK_EOF) {
        struct uk_console *con = uk_default_console();
        char head[160];
        snprintf(head, sizeof head, "usage: %s [options]  (target %s)",
                 uk_unix_progname(), uk_target_name());
        uk_console_log(con, head, strlen(head));
        uk_opt_usage(tables, 5, emit_line, con);
        return 0;
    }
    if (rc != 0) {
        uk_unix_errorf("%s", err);
        return 2;
    }
    return UK_RUN;
}
