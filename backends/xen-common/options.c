/*
 * options.c - uk_parse_options for Xen targets: the application's table,
 * the network options, with the same names as the tap target (both run
 * the direct stack), and --block-NAME=VBD, parsed from the kernel command
 * line.
 */
#include <string.h>

#include <uk/target.h>

#include "options.h"
#include "xen.h"

struct uk__xen_net_opts uk__xen_net_opts;
static struct uk_opt_pair block_pairs[8];
struct uk_opt_named uk__xen_block_opts = {block_pairs, 8, 0};

static const struct uk_opt block_opts[] = {
    {"block-", UK_OPT_NAMED, &uk__xen_block_opts,
     "virtual disk (xvdb, or its number) behind block device NAME", 0, 0,
     NULL},
    UK_OPT_END,
};

static const struct uk_opt net_opts[] = {
    {"ipv4", UK_OPT_CIDR, &uk__xen_net_opts.ipv4,
     "static address and prefix (with --dhcp: the fallback address)", 0, 0,
     &uk__xen_net_opts.has_ipv4},
    {"gateway", UK_OPT_IPV4, &uk__xen_net_opts.gateway,
     "default gateway for the static address", 0, 0,
     &uk__xen_net_opts.has_gateway},
    {"dhcp", UK_OPT_FLAG, &uk__xen_net_opts.dhcp,
     "obtain the address by DHCP", 0, 0, NULL},
    {"mac", UK_OPT_MAC, &uk__xen_net_opts.mac,
     "our MAC address (default: the one xenstore gives)", 0, 0,
     &uk__xen_net_opts.has_mac},
    UK_OPT_END,
};

const struct uk_opt *uk__xen_net_options(void)
{
    return net_opts;
}

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
    tables[1] = net_opts;
    tables[2] = block_opts;
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
