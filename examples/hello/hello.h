/* hello.h - the hello appliance: greets on the console, then exits. */
#ifndef HELLO_H
#define HELLO_H

#include <uk/console.h>
#include <uk/time.h>

/* Logs "hello from uk on <target> (i/count)" count times, a second apart,
 * starting on the next loop turn; nothing else stays armed afterwards, so
 * the loop drains and the image exits 0. */
void hello_start(struct uk_console *con, struct uk_time *time,
                 const char *target, int count);

#endif
