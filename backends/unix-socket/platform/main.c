/*
 * main.c - the process entry point of the unix targets: calls uk_main and
 * runs the event loop when it returns UK_RUN (uk/target.h).
 */
#include <signal.h>
#include <stdio.h>

#include <uk/target.h>
#include <uk/unix.h>

#include "internal.h"

int main(int argc, char **argv)
{
    int rc;
    /* Writes to a closed socket or pipe report EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    uk__unix_set_progname(argc > 0 ? argv[0] : NULL);
    if (uk__unix_signals_init() != 0)
        return 1;
    rc = uk_main(argc, argv);
    if (rc == UK_RUN)
        rc = uk_loop_run(uk_unix_loop());
    fflush(stdout);
    return rc & 255;
}
