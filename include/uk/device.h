/*
 * uk/device.h - DEVICE: what every component that owns resources has.
 *
 * Other interfaces include this list (e.g. UK_NETWORK_METHODS starts with
 * UK_DEVICE_METHODS), so every device gets uk_<iface>_id() and
 * uk_<iface>_disconnect().
 *
 *   const char *id(self)                                       required
 *       A short, stable, human-readable name ("tap0", "vif0", "unix-tcp"),
 *       for logs.  Never NULL; owned by the device.
 *
 *   void disconnect(self, uk_done_cb cb, void *arg)            required
 *       Releases the device's resources.  Asynchronous and cannot fail:
 *       operations still pending complete with UK_ECANCELED, then cb(arg)
 *       runs exactly once, never from inside this call; after it the caller
 *       may reuse the device's storage.  cb may be NULL.  Calling any other
 *       method after disconnect is a contract violation.
 */
#ifndef UK_DEVICE_H
#define UK_DEVICE_H

#include <uk/iface.h>

/* A completion with nothing to report. */
typedef void (*uk_done_cb)(void *arg);

#define UK_DEVICE_METHODS(T, M, V, O)                                         \
    M(T, const char *, id, (struct T * self), (self))                         \
    V(T, disconnect, (struct T * self, uk_done_cb cb, void *arg),             \
      (self, cb, arg))

UK_INTERFACE(uk_device, UK_DEVICE_METHODS);

#endif
