/*
 * internal.h - shared-internal declarations of the unix platform archive.
 */
#ifndef UK_UNIX_INTERNAL_H
#define UK_UNIX_INTERNAL_H

#include <uk/loop.h>
#include <uk/opt.h>

/* The epoll poller singleton (poller.c). */
struct uk_loop_poller *uk__unix_poller(void);

/* Makes SIGINT and SIGTERM stop the event loop with status 128 + signal
 * (poller.c).  Returns 0 or a UK_E* code. */
int uk__unix_signals_init(void);

/* Sets the program name from argv[0] (errorf.c). */
void uk__unix_set_progname(const char *argv0);

/* Options of the platform (options.c): the --kv-NAME overrides, or NULL
 * when not given. */
const char *uk__unix_kv_override(const char *name);
/* The --memory=SIZE option in bytes, or 0 when not given (options.c). */
size_t uk__unix_memory_size(void);

/* Network options, defined by the stack archive linked with the platform
 * (unix-socket or direct-tap). */
const struct uk_opt *uk__net_options(void);

/* --block and --block-NAME (block_default.c, with uk_default_block;
 * options.c refers to the table weakly). */
extern const struct uk_opt uk__unix_block_opts[];

#endif
