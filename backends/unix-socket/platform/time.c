/*
 * time.c - the image's event loop: uk_unix_loop, uk_default_time, uk_exit.
 */
#include <uk/target.h>
#include <uk/unix.h>

#include "internal.h"

static struct uk_loop loop;
static bool loop_ready;

struct uk_loop *uk_unix_loop(void)
{
    if (!loop_ready) {
        uk_loop_init(&loop, uk_default_clock(), uk__unix_poller());
        loop_ready = true;
    }
    return &loop;
}

struct uk_time *uk_default_time(void)
{
    return &uk_unix_loop()->time;
}

void uk_exit(int status)
{
    uk_loop_stop(uk_unix_loop(), status & 255);
}
