/*
 * main.c - start-up and shutdown of a Xen guest: the kernel command line
 * becomes argv, uk_main runs, then the loop; the exit status leaves the
 * guest as a console line "uk: exit N" followed by SCHEDOP_shutdown
 * (poweroff).  Xen's shutdown reason carries no code, so the host tool
 * (tools/xen/xen-run.sh) reads N from that line.
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

#include "xen.h"

#define CMDLINE_MAX 1024
#define ARGS_MAX 64

static char args_buf[CMDLINE_MAX];
static char *argv_buf[ARGS_MAX + 1];
static char argv0[] = "uk";

/* Splits s (copied) at blanks; '...' and "..." group words.  Returns argc;
 * arguments past ARGS_MAX or bytes past CMDLINE_MAX are dropped with a
 * warning. */
static int split_args(const char *s)
{
    int argc = 0;
    size_t o = 0;
    argv_buf[argc++] = argv0;
    while (s != NULL && *s != '\0') {
        char quote = 0;
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        if (*s == '\0')
            break;
        if (argc == ARGS_MAX || o >= sizeof args_buf - 1) {
            uk__xen_console_line("uk: command line too long, truncated", 36);
            break;
        }
        argv_buf[argc++] = &args_buf[o];
        while (*s != '\0' && o < sizeof args_buf - 1) {
            if (quote == 0 && (*s == ' ' || *s == '\t' || *s == '\n'))
                break;
            if (quote == 0 && (*s == '\'' || *s == '"'))
                quote = *s;
            else if (quote != 0 && *s == quote)
                quote = 0;
            else
                args_buf[o++] = *s;
            s++;
        }
        args_buf[o++] = '\0';
    }
    argv_buf[argc] = NULL;
    return argc;
}

void uk__xen_start(const char *cmdline)
{
    int argc, rc;
    if (uk__xen_console_init() != 0)
        uk__xen_console_line("uk: no console ring, using the debug port",
                             41);
    argc = split_args(cmdline);
    (void)uk__xen_loop();
    uk__xen_control_init();
    rc = uk_main(argc, argv_buf);
    if (rc == UK_RUN)
        rc = uk_loop_run(uk__xen_loop());
    uk__xen_exit(rc);
}

void uk__xen_exit(int status)
{
    char line[32];
    int n = snprintf(line, sizeof line, "uk: exit %d", status & 255);
    uk__xen_console_line(line, (size_t)n);
    uk__xen_sched_shutdown(UK_XEN_SHUTDOWN_POWEROFF);
    for (;;)
        uk__xen_sched_shutdown(UK_XEN_SHUTDOWN_CRASH);
}

void uk__xen_panic(const char *msg)
{
    char line[256];
    int n = snprintf(line, sizeof line, "uk: fatal: %s", msg);
    if (n < 0 || (size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    uk__xen_arch_debug_write(line, (size_t)n);
    uk__xen_arch_debug_write("\n", 1);
    if (uk__xen_console_has_ring()) /* else the line went out just now */
        uk__xen_console_line(line, (size_t)n);
    for (;;)
        uk__xen_sched_shutdown(UK_XEN_SHUTDOWN_CRASH);
}

/* The libc's assert() failure hook (lib/libc/include/assert.h). */
void uk_libc_assert_fail(const char *expr, const char *file, int line)
{
    char msg[200];
    snprintf(msg, sizeof msg, "assertion failed: %s (%s:%d)", expr, file,
             line);
    uk__xen_panic(msg);
}

const char *uk_target_name(void)
{
    return uk__xen_target_name;
}
