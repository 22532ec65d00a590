/*
 * hello.c - the hello appliance, written against CONSOLE and TIME only.
 */
#include "hello.h"

static struct {
    struct uk_console *con;
    struct uk_time *time;
    const char *target;
    int count, done;
    struct uk_timer timer;
} hello;

static void tick(void *arg)
{
    (void)arg;
    hello.done++;
    uk_console_printf(hello.con, "hello from uk on %s (%d/%d)", hello.target,
                      hello.done, hello.count);
    if (hello.done < hello.count)
        uk_time_after(hello.time, &hello.timer, UK_NS_PER_S, tick, NULL);
}

void hello_start(struct uk_console *con, struct uk_time *time,
                 const char *target, int count)
{
    hello.con = con;
    hello.time = time;
    hello.target = target;
    hello.count = count;
    hello.done = 0;
    if (count > 0)
        uk_time_defer(time, &hello.timer, tick, NULL);
}
