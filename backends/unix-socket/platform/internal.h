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

/* Options of the platform (options.c): the --kv-NAME overrides and the
 * file of block device name (--block-NAME=PATH; --block=PATH is
 * "default"), or NULL when not given. */
#define UK__UNIX_BLOCKS 8 /* named block devices at most */
const char *uk__unix_kv_override(const char *name);
const char *uk__unix_block_path(const char *name);
/* The --memory=SIZE option in bytes, or 0 when not given (options.c). */
size_t uk__unix_memory_size(void);

/* Network options, defined by the stack archive linked with the platform
 * (unix-socket or direct-tap). */
const struct uk_opt *uk__net_options(void);

#endif
