/*
 * main.c - hello's configuration: the target's console and time.
 */
#include <uk/target.h>

#include "hello.h"

int uk_main(int argc, char **argv)
{
    int rc = uk_parse_options(NULL, argc, argv);
    if (rc != UK_RUN)
        return rc;
    hello_start(uk_default_console(), uk_default_time(), uk_target_name(), 4);
    return UK_RUN;
}
