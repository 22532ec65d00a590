/*
 * kvd.h - the kvd appliance: a persistent key/value server over TCP,
 * written against STACKV4, FLOW, KV_RW and MEM only.  The line protocol is
 * proto.h's; each SET and DEL is one atomic, durable commit of the store
 * (its OK is sent once the commit is on the device), and the store's
 * history answers LOG and GETAT.
 */
#ifndef KVD_H
#define KVD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/clock.h>
#include <uk/console.h>
#include <uk/kv_rw.h>
#include <uk/mem.h>
#include <uk/stackv4.h>
#include <uk/time.h>

struct kvd_config {
    struct uk_console *con;
    struct uk_stackv4 *net;
    struct uk_time *time;
    struct uk_clock *clock; /* commit times */
    struct uk_mem *mem;     /* connections and their stream buffers */
    struct uk_kv_rw *kv;    /* an open store */
    size_t max_conns;       /* clients served at once; more are closed */
    uint16_t port;
    bool verbose; /* a line per connection */
};

/*
 * Listens on cfg->port.  Everything cfg points to is BORROWED for the
 * appliance's life.  Each connection takes kvd_conn_size() bytes of
 * cfg->mem while it lives, and its stream's buffers (uk/stream.h: a line
 * of at most KVD_LINE_MAX bytes being read, replies not yet sent) on
 * demand; a connection the budget cannot hold is closed.  Returns 0 or the
 * listen error (logged on cfg->con).
 */
int kvd_start(const struct kvd_config *cfg);

/* Bytes of the budget one connection holds besides its stream's. */
size_t kvd_conn_size(void);

#endif
