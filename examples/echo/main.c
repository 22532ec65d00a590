/*
 * main.c - echo's configuration: options, then the target's stack.
 */
#include <uk/target.h>

#include "echo.h"

int uk_main(int argc, char **argv)
{
    uint16_t port = 7;
    bool verbose = false;
    struct uk_stackv4 *net;
    const struct uk_opt opts[] = {
        {"port", UK_OPT_PORT, &port, "TCP and UDP port to echo on (default 7)",
         0, 0, NULL},
        {"verbose", UK_OPT_FLAG, &verbose, "log a line per connection", 0, 0,
         NULL},
        UK_OPT_END,
    };
    int rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    if (uk_default_stackv4(&net) != 0)
        return 1;
    echo_start(uk_default_console(), net, uk_default_mem(),
               uk_image_capacity()->connections, port, verbose);
    return UK_RUN;
}
