/*
 * uk/console.h - CONSOLE: a flow to the operator, plus line logging.
 *
 * Includes FLOW (uk/flow.h): reading gives operator input where the target
 * has any (stdin on unix; EOF at once where there is none); writes go to the
 * console device (stdout on unix, the console ring on Xen).
 *
 *   int log(self, const char *line, size_t len)                required
 *       Writes one line (a newline is appended) synchronously, bypassing
 *       any pending writev.  `line` is BORROWED.  Lines longer than the
 *       device's limit are truncated, never split.  Returns 0, or UK_EIO
 *       when the device failed; a full console drops the line and returns
 *       UK_EAGAIN rather than blocking the loop indefinitely.
 */
#ifndef UK_CONSOLE_H
#define UK_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <uk/flow.h>

#define UK_CONSOLE_METHODS(T, M, V, O)                                        \
    UK_FLOW_METHODS(T, M, V, O)                                               \
    M(T, int, log, (struct T * self, const char *line, size_t len),           \
      (self, line, len))

UK_INTERFACE(uk_console, UK_CONSOLE_METHODS);

/* Longest line uk_console_printf formats; the rest is cut. */
#define UK_CONSOLE_LINE_MAX 512

/* Formats a line with vsnprintf (part of the freestanding subset) and logs
 * it. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline int uk_console_printf(struct uk_console *con, const char *fmt,
                                    ...)
{
    char line[UK_CONSOLE_LINE_MAX];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return UK_EINVAL;
    if ((size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    return uk_console_log(con, line, (size_t)n);
}

#endif
