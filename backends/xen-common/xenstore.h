/*
 * xenstore.h - a xenstore client over the shared ring (io/xs_wire.h).
 *
 * Requests are synchronous and bounded in time: the caller waits (the vCPU
 * sleeps in SCHEDOP_poll on the xenstore event channel) until the reply
 * arrives or UK_XS_TIMEOUT_NS pass.  They are meant for device set-up and
 * teardown, not for the data path.  Watch events are queued and handed to
 * the watch callback from the event loop, never inside a request.
 *
 * `tx` is a transaction id from uk__xs_tx_start, or 0 for none.  Paths and
 * values are BORROWED NUL-terminated strings.  Every function returns 0 or
 * a negative UK_E* code: UK_ENOENT, UK_EACCES, UK_EEXIST, UK_EINVAL,
 * UK_EAGAIN (a transaction conflicted: start again), UK_EMSGSIZE (the
 * reply did not fit in the caller's buffer), UK_ETIMEDOUT, UK_EPROTO
 * (xenstored broke the protocol: a bad index or length), UK_EIO.
 */
#ifndef UK_XEN_XENSTORE_H
#define UK_XEN_XENSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <uk/clock.h>

#define UK_XS_TIMEOUT_NS (5 * UK_NS_PER_S)

/* Finds the ring (HVM_PARAM_STORE_PFN/EVTCHN).  Idempotent. */
int uk__xs_init(void);

/* Reads path into buf[cap] as a NUL-terminated string; *len (may be NULL)
 * gets its length. */
int uk__xs_read(uint32_t tx, const char *path, char *buf, size_t cap,
                size_t *len);

/* Writes value at path, creating it. */
int uk__xs_write(uint32_t tx, const char *path, const char *value);

/* Removes path and everything under it. */
int uk__xs_rm(uint32_t tx, const char *path);

/* Lists the children of path into buf[cap]: names separated by NULs;
 * *count gets how many. */
int uk__xs_directory(uint32_t tx, const char *path, char *buf, size_t cap,
                     unsigned *count);

/* Transactions. */
int uk__xs_tx_start(uint32_t *tx);
int uk__xs_tx_end(uint32_t tx, int commit);

/*
 * Watches: xenstored fires one event at once, then one per change at or
 * under path.  Events carrying `token` (at most 31 bytes; one watch per
 * token) go to cb(arg, path, token) from the event loop, never inside a
 * request; cb may be NULL (a set-up step that only waits with
 * uk__xs_wait).  At most 8 watches: UK_ENOSPC beyond.
 */
typedef void (*uk__xs_watch_cb)(void *arg, const char *path,
                                const char *token);
int uk__xs_watch(const char *path, const char *token, uk__xs_watch_cb cb,
                 void *arg);
int uk__xs_unwatch(const char *path, const char *token);

/* Sleeps until xenstored signals anything (a reply or a watch event) or
 * the deadline (Xen system time) passes: how set-up code waits for a
 * watched key to change. */
void uk__xs_wait(uint64_t deadline);

#endif
