/*
 * uk/flow.h - FLOW: a reliable, ordered, bidirectional byte stream.
 *
 * TCP connections (over any stack), the console and test pipes are flows;
 * HTTP, DNS-over-TCP and OpenFlow speak only to this interface.
 *
 * Rules common to every method (DESIGN.md section 4):
 *  - At most one read and one write may be pending at a time; a second one
 *    fails with UK_EBUSY.
 *  - A call that takes a callback and returns an error never runs the
 *    callback.  A call that returns 0 runs it exactly once, never from
 *    inside the call itself (so a callback may start the next operation).
 *  - After close, pending read and write complete with UK_ECANCELED (or the
 *    error that ended the flow) before the close callback.
 *
 * Methods:
 *
 *   int read(self, uk_flow_read_cb cb, void *arg)              required
 *       Asks for the next bytes (pull: nothing is read from the peer's
 *       stream until asked, so a slow reader applies back-pressure).
 *       cb(arg, status, data, len):
 *         status 0        0 < len <= UK_FLOW_READ_MAX bytes at data,
 *                         LENT until cb returns
 *         status UK_EOF   the peer shut down its write side; len 0
 *         status < 0      error: UK_ECONNRESET, UK_ETIMEDOUT,
 *                         UK_ECONNABORTED, UK_ECANCELED (flow closed),
 *                         UK_EIO
 *       Returns 0, UK_EBUSY (a read is pending), UK_ECLOSED.
 *
 *   int writev(self, const struct uk_iov *iov, int iovcnt,
 *              uk_flow_write_cb cb, void *arg)                 required
 *       Queues the bytes of iov[0..iovcnt) (1 <= iovcnt <= UK_IOV_MAX) in
 *       order.  The iov array is BORROWED (copied during the call); the
 *       bytes it points to are BORROWED UNTIL cb runs: the caller keeps them
 *       valid and unchanged until then (this lets backends send from the
 *       caller's memory without a copy).  cb(arg, status, written) runs when
 *       all the bytes are accepted by the flow's bounded send buffer (not
 *       when the peer acknowledged them); on error, `written` says how many
 *       leading bytes were accepted before it.  Errors: UK_EPIPE (after
 *       shutdown), UK_ECONNRESET, UK_ETIMEDOUT, UK_ECANCELED, UK_EIO.
 *       Returns 0, UK_EBUSY, UK_EINVAL (iovcnt out of range), UK_EPIPE,
 *       UK_ECLOSED, UK_ENOMEM (the image's memory cannot give the flow a
 *       send buffer now: nothing was queued; retry later or close).
 *
 *   int shutdown(self)                                         optional
 *       Shuts the write side down once queued writes are sent (TCP FIN).
 *       Reads continue.  Returns 0, UK_ENOTSUP, UK_ECLOSED.
 *
 *   int close(self, uk_done_cb cb, void *arg)                  required
 *       Ends the flow gracefully (queued data is still sent) and releases
 *       it.  cb(arg) runs once after every pending callback of the flow;
 *       after it the flow's storage is gone.  cb may be NULL.  Returns 0 or
 *       UK_ECLOSED (already closing).
 *
 *   int abort(self, uk_done_cb cb, void *arg)                  optional
 *       Like close, but drops queued data and resets the connection (TCP
 *       RST).  Returns 0, UK_ENOTSUP, UK_ECLOSED.
 *
 *   int set_option(self, enum uk_flow_option opt, int value)   optional
 *       UK_FLOW_NODELAY (0/1: disable Nagle), UK_FLOW_KEEPALIVE (seconds of
 *       idle before probing, 0 = off).  Returns 0, UK_ENOTSUP, UK_EINVAL.
 *
 *   int endpoints(self, struct uk_ipv4_ep *local,
 *                 struct uk_ipv4_ep *remote)                   optional
 *       The connection's addresses, for logs.  Returns 0 or UK_ENOTSUP.
 */
#ifndef UK_FLOW_H
#define UK_FLOW_H

#include <stddef.h>

#include <uk/buf.h>
#include <uk/device.h>
#include <uk/err.h>
#include <uk/iface.h>
#include <uk/ipaddr.h>

/* Most bytes one read callback delivers, so that readers that must copy
 * lent data can size their buffers. */
#define UK_FLOW_READ_MAX 65536u

typedef void (*uk_flow_read_cb)(void *arg, int status, const void *data,
                                size_t len);
typedef void (*uk_flow_write_cb)(void *arg, int status, size_t written);

enum uk_flow_option {
    UK_FLOW_NODELAY = 1,
    UK_FLOW_KEEPALIVE = 2
};

#define UK_FLOW_METHODS(T, M, V, O)                                           \
    M(T, int, read, (struct T * self, uk_flow_read_cb cb, void *arg),         \
      (self, cb, arg))                                                        \
    M(T, int, writev,                                                         \
      (struct T * self, const struct uk_iov *iov, int iovcnt,                 \
       uk_flow_write_cb cb, void *arg),                                       \
      (self, iov, iovcnt, cb, arg))                                           \
    O(T, int, shutdown, (struct T * self), (self), UK_ENOTSUP)                \
    M(T, int, close, (struct T * self, uk_done_cb cb, void *arg),             \
      (self, cb, arg))                                                        \
    O(T, int, abort, (struct T * self, uk_done_cb cb, void *arg),             \
      (self, cb, arg), UK_ENOTSUP)                                            \
    O(T, int, set_option,                                                     \
      (struct T * self, enum uk_flow_option opt, int value),                  \
      (self, opt, value), UK_ENOTSUP)                                         \
    O(T, int, endpoints,                                                      \
      (struct T * self, struct uk_ipv4_ep * local,                            \
       struct uk_ipv4_ep * remote),                                           \
      (self, local, remote), UK_ENOTSUP)

UK_INTERFACE(uk_flow, UK_FLOW_METHODS);

/* Writes one contiguous range: writev with a single element. */
static inline int uk_flow_write(struct uk_flow *f, const void *data,
                                size_t len, uk_flow_write_cb cb, void *arg)
{
    struct uk_iov iov;
    iov.base = data;
    iov.len = len;
    return uk_flow_writev(f, &iov, 1, cb, arg);
}

#endif
