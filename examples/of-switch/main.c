/*
 * main.c - of-switch's configuration: its ports are the target's raw
 * network devices 1..N (device 0 carries the target's own stack, over
 * which the switch reaches its controller): --ports=N, or by default
 * every device the target has after 0 (on tap, one per --tap name after
 * the first; on Xen, the vifs after vif0).  The switch's state (flow
 * table, packet buffers) comes from the memory budget, not .bss.
 */
#include <uk/target.h>

#include "of_switch.h"

int uk_main(int argc, char **argv)
{
    struct uk_ipv4_ep controller = {{0}, 0};
    unsigned long nports = 0;
    bool has_nports = false;
    uint16_t listen = 0;
    unsigned long echo = 5;
    struct uk_network *devs[OFS_MAX_PORTS];
    struct ofs_config cfg;
    struct uk_tcpv4 *tcp = NULL;
    struct ofs *sw;
    unsigned i;
    const struct uk_opt opts[] = {
        {"controller", UK_OPT_EP, &controller,
         "controller A.B.C.D:PORT (none: standalone learning switch)", 0, 0,
         NULL},
        {"listen", UK_OPT_PORT, &listen,
         "accept management connections (ovs-ofctl) on this TCP port", 0, 0,
         NULL},
        {"echo-interval", UK_OPT_UINT, &echo,
         "seconds of silence from the controller before an echo request "
         "(default 5; it is dropped after 3 unanswered)", 1, 3600, NULL},
        {"ports", UK_OPT_UINT, &nports,
         "switch ports: network devices 1..N (default: every device after "
         "0)", 1, OFS_MAX_PORTS, &has_nports},
        UK_OPT_END,
    };
    int rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    for (i = 0; i < (has_nports ? nports : OFS_MAX_PORTS); i++) {
        rc = uk_default_network(i + 1, &devs[i]);
        if (rc == UK_ENODEV && !has_nports && i > 0)
            break; /* every device there is */
        if (rc != 0) {
            uk_console_printf(uk_default_console(),
                              "of-switch: no network device %u for port %u "
                              "(%s target): %s", i + 1, i + 1,
                              uk_target_name(), uk_strerror(rc));
            return 1;
        }
    }
    nports = i;
    sw = uk_mem_alloc(uk_default_mem(), sizeof *sw);
    if (sw == NULL) {
        uk_console_printf(uk_default_console(),
                          "of-switch: no memory for the switch (%zu bytes)",
                          sizeof *sw);
        return 1;
    }
    if ((controller.port != 0 || listen != 0) && uk_default_tcpv4(&tcp) != 0)
        return 1;
    cfg.controller = controller;
    cfg.datapath_id = 0;
    cfg.echo_interval_ns = (uint64_t)echo * UK_NS_PER_S;
    cfg.listen_port = listen;
    if (ofs_start(sw, uk_default_console(), uk_default_time(), tcp, devs,
                  (unsigned)nports, &cfg) != 0)
        return 1;
    uk_console_printf(uk_default_console(),
                      "of-switch: %lu ports, controller %s", nports,
                      controller.port != 0 ? "configured" : "none");
    return UK_RUN;
}
