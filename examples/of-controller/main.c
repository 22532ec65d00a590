/*
 * main.c - of-controller's configuration: options, then the target's TCP.
 * The controller's state (its switch table, each slot with its connection
 * buffers) comes from the memory budget, not .bss.
 */
#include <uk/target.h>

#include "of_controller.h"

int uk_main(int argc, char **argv)
{
    uint16_t port = UK_OFP_TCP_PORT;
    unsigned long idle = 30, hard = 0, echo = 5;
    bool verbose = false;
    struct ofc_config cfg;
    struct uk_tcpv4 *tcp;
    struct ofc *controller;
    const struct uk_opt opts[] = {
        {"port", UK_OPT_PORT, &port,
         "TCP port switches connect to (default 6633)", 0, 0, NULL},
        {"idle-timeout", UK_OPT_UINT, &idle,
         "idle timeout of installed flows, seconds (default 30; 0: none)", 0,
         65535, NULL},
        {"hard-timeout", UK_OPT_UINT, &hard,
         "hard timeout of installed flows, seconds (default 0: none)", 0,
         65535, NULL},
        {"echo-interval", UK_OPT_UINT, &echo,
         "seconds of silence before an echo request (default 5)", 1, 3600,
         NULL},
        {"verbose", UK_OPT_FLAG, &verbose, "log a line per installed flow", 0,
         0, NULL},
        UK_OPT_END,
    };
    int rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    if (uk_default_tcpv4(&tcp) != 0)
        return 1;
    controller = uk_mem_alloc(uk_default_mem(), sizeof *controller);
    if (controller == NULL) {
        uk_console_printf(uk_default_console(),
                          "of-controller: no memory for the switch table "
                          "(%zu bytes)", sizeof *controller);
        return 1;
    }
    cfg.port = port;
    cfg.idle_timeout = (uint16_t)idle;
    cfg.hard_timeout = (uint16_t)hard;
    cfg.echo_interval_ns = (uint64_t)echo * UK_NS_PER_S;
    cfg.verbose = verbose;
    ofc_init(controller, uk_default_console(), uk_default_time(), &cfg);
    if (ofc_listen(controller, tcp) != 0)
        return 1;
    return UK_RUN;
}
