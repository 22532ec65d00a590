/*
 * xenbus.h - what every split-driver front end (netfront, blkfront) does
 * with xenstore during set-up (xenbus.c): read a key of a device node,
 * parse a number the other side wrote, follow the backend's XenbusState,
 * and publish a set of keys in one transaction.  Built on xenstore.h;
 * synchronous and bounded in time like it.
 */
#ifndef UK_XEN_XENBUS_H
#define UK_XEN_XENBUS_H

#include <stddef.h>
#include <stdint.h>

#include "xen.h"

/* Reads base/key into buf[cap] (NUL-terminated).  Returns 0 or
 * xenstore.h's errors (UK_ENOENT when absent). */
int uk__xenbus_read(const char *base, const char *key, char *buf, size_t cap);

/* Parses s as a decimal number in [0, max].  Returns 0 or UK_EPROTO
 * (empty, not digits, or too large). */
int uk__xenbus_uint(const char *s, unsigned long max, unsigned long *out);

/* Reads base/key as a decimal number in [0, max]; UK_ENOENT when absent
 * (callers that have a default use it), UK_EPROTO when malformed. */
int uk__xenbus_read_uint(const char *base, const char *key, unsigned long max,
                         unsigned long *out);

/* The XenbusState at be/state, or -1 when unreadable. */
int uk__xenbus_state(const char *be);

/* Waits (at most until deadline, Xen system time) until the backend at be
 * reaches at least `want`.  Returns 0, UK_ETIMEDOUT, or UK_EIO when it is
 * Closing or Closed instead.  Needs a watch on be to wake up early. */
int uk__xenbus_wait(const char *be, int want, uint64_t deadline);

/* The backend of the device node fe: its path into be[cap] and its
 * domain.  Returns 0, UK_ENODEV (no such device), UK_EPROTO or
 * xenstore.h's errors. */
int uk__xenbus_backend(const char *fe, char *be, size_t cap,
                       uint16_t *be_id);

/* A new event channel to domain be_id, bound to cb(arg) (xen.h); its port
 * in *port.  Returns 0 or UK_EIO. */
int uk__xenbus_channel(uint16_t be_id, uk__xen_evtchn_cb cb, void *arg,
                       uint32_t *port);

/* One key to publish: base/key = value (BORROWED strings). */
struct uk__xenbus_kv {
    const char *key;
    const char *value;
};

/* Writes every pair under base in one transaction, retried while it
 * conflicts.  Returns 0 or xenstore.h's errors. */
int uk__xenbus_publish(const char *base, const struct uk__xenbus_kv *kv,
                       size_t n);

#endif
