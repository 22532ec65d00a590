/*
 * options.c - uk_parse_options for Xen targets: the application's table,
 * when the image has the stack the network options (net_opts.c), and when
 * it uses uk_default_block --block-NAME=VBD (blocks.c), parsed from the
 * kernel command line.
 */
#include <string.h>

#include <uk/target.h>

#include "options.h"
#include "xen.h"

/* The network options (net_opts.c), linked only with the stack that reads
 * them: an image without a network lists and accepts none. */
const struct uk_opt *uk__xen_net_options(void) __attribute__((weak));

/* --block-NAME, defined by blocks.c; NULL (no table) when the image never
 * calls uk_default_block, so that object is not linked. */
extern const struct uk_opt uk__xen_block_opts[] __attribute__((weak));

static void emit_line(void *arg, const char *line)
{
    uk_console_log((struct uk_console *)arg, line, strlen(line));
}

int uk_parse_options(const struct uk_opt *app, int argc, char **argv)
{
    const struct uk_opt *tables[3];
    char err[UK_OPT_ERR_MAX];
    struct uk_console *con = uk_default_console();
    int rc;
    tables[0] = app;
    tables[1] = uk__xen_net_options != NULL ? uk__xen_net_options() : NULL;
    tables[2] = uk__xen_block_opts;
    rc = uk_opt_parse(tables, 3, argc, argv, err);
    if (rc == UK_EOF) {
        uk_console_printf(con, "usage: extra='[options]' (target %s)",
                          uk_target_name());
        uk_opt_usage(tables, 3, emit_line, con);
        return 0;
    }
    if (rc != 0) {
        uk_console_printf(con, "%s", err);
        return 2;
    }
    return UK_RUN;
}
