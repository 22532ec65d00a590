/*
 * errorf.c - one-line error reports on stderr (uk_unix_errorf).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <uk/unix.h>

#include "internal.h"

static const char *progname = "uk";

void uk__unix_set_progname(const char *argv0)
{
    const char *slash;
    if (argv0 == NULL || argv0[0] == '\0')
        return;
    slash = strrchr(argv0, '/');
    progname = slash != NULL && slash[1] != '\0' ? slash + 1 : argv0;
}

const char *uk_unix_progname(void)
{
    return progname;
}

void uk_unix_errorf(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n, m;
    n = snprintf(line, sizeof line, "%s: ", progname);
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    n += m;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    while (write(2, line, (size_t)n) < 0 && errno == EINTR)
        ;
}
