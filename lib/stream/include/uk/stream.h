/*
 * uk/stream.h - buffered framing over a FLOW (uk/flow.h): read a line or
 * exactly n bytes, write through a queue.  For line- and length-framed
 * protocols (text commands, OpenFlow's and DNS-over-TCP's length fields)
 * so that an application neither keeps its own copy of the flow's reads
 * (up to UK_FLOW_READ_MAX bytes each) nor holds every reply's bytes until
 * its write completes.  Portable.
 *
 * Memory: every buffer is drawn from the account given to uk_stream_init
 * when needed and given back as soon as it is empty; an idle stream holds
 * none.
 *   read side   the bytes a flow read delivered past the frame asked for
 *               (and a frame split across reads), in one block sized for
 *               them and the frame being read: under max_frame + 2 +
 *               UK_FLOW_READ_MAX bytes.  A
 *               frame wholly inside one flow read is lent from the flow's
 *               own data, not copied.
 *   write side  the queued bytes the flow has not accepted yet, at most
 *               wq_max (plus a small header per write).
 *
 * Calls (one read and any number of writes may be pending; callbacks never
 * run inside the call that started them, as for flows):
 *
 *   int uk_stream_init(s, flow, time, acct, max_frame, wq_max)
 *       Sets up s (caller-owned) over flow, time (for deferred callbacks)
 *       and acct, all BORROWED for s's life.  max_frame: the longest line
 *       (without its "\n") or exact read, >= 1; wq_max: most bytes queued
 *       for writing, >= 1.  Returns 0 or UK_EINVAL.
 *
 *   int uk_stream_read_line(s, cb, arg)
 *       The next line: the bytes before the next "\n", without it and
 *       without a "\r" just before it.  cb(arg, status, data, len):
 *         0             the line, len <= max_frame (may be 0), data LENT
 *                       until cb returns
 *         UK_EOF        the peer ended the stream between frames; len 0
 *         UK_EPROTO     the stream ended inside a frame
 *         UK_EMSGSIZE   no "\n" within max_frame + 2 bytes
 *         UK_ENOMEM     the account refused the read buffer
 *         < 0           the flow's read errors (uk/flow.h)
 *       A status other than 0 is final: later reads return it at once.
 *       Returns 0, UK_EBUSY (a read is pending), or the final status.
 *
 *   int uk_stream_read_exact(s, n, cb, arg)
 *       The next n bytes (1 <= n <= max_frame; else UK_EINVAL), as above.
 *
 *   int uk_stream_read_some(s, cb, arg)
 *       The next bytes, however many arrived, at most max_frame (for byte
 *       streams, e.g. an echo: with the write queue, no buffer of the
 *       application's own).  As above; UK_EOF when the stream ended.
 *
 *   int uk_stream_write(s, data, len)
 *       Queues a copy of data[0..len) (data BORROWED for the call only) and
 *       sends it in order after what was queued before.  Returns 0,
 *       UK_ENOBUFS (it would exceed wq_max: nothing queued; wait for the
 *       drain callback), UK_ENOMEM (the account refused; nothing queued),
 *       or the write side's final error (below).
 *
 *   int uk_stream_on_drain(s, cb, arg)
 *       Runs cb(arg, status) once, when the write queue is empty (status
 *       0; deferred if it is empty now) or when the write side failed
 *       (status: the flow's write error, e.g. UK_EPIPE, UK_ECONNRESET,
 *       UK_ECANCELED, final: later writes return it and the queue is
 *       dropped).  One drain callback at a time (replaces the previous).
 *       Returns 0 or the final error.
 *
 *   size_t uk_stream_queued(s)
 *       Bytes queued and not yet accepted by the flow.
 *
 *   void uk_stream_fini(s)
 *       Gives every buffer back and cancels s's deferred callbacks.  Call
 *       it once the flow has no pending operation (e.g. from the flow's
 *       close callback, which runs after them), never from inside one of
 *       s's callbacks.  The flow stays the caller's.
 */
#ifndef UK_STREAM_H
#define UK_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/flow.h>
#include <uk/mem.h>
#include <uk/time.h>

typedef void (*uk_stream_read_cb)(void *arg, int status, const void *data,
                                  size_t len);
typedef void (*uk_stream_drain_cb)(void *arg, int status);

struct uk__stream_chunk; /* a queued write (stream.c) */

/* Fields are private to stream.c; the struct is public so callers can
 * allocate it. */
struct uk_stream {
    struct uk_flow *flow;
    struct uk_time *time;
    struct uk_mem_account *acct;
    size_t max_frame, wq_max;
    /* read side: held bytes rbuf[roff, roff + rlen) of a block of rsize */
    uint8_t *rbuf;
    size_t rsize, roff, rlen;
    int rstatus;       /* final read status, 0 while readable */
    int rkind;         /* the pending request (read.c) */
    size_t rwant;      /* exact: bytes wanted */
    uk_stream_read_cb rcb;
    void *rarg;
    bool flow_reading; /* a uk_flow_read is pending */
    struct uk_timer rdefer;
    /* write side: a FIFO of chunks; the first `wflight` are the flow's */
    struct uk__stream_chunk *whead, *wtail;
    size_t wqueued;
    int wflight;
    int wstatus; /* final write error, 0 while writable */
    uk_stream_drain_cb dcb;
    void *darg;
    struct uk_timer wdefer;
};

int uk_stream_init(struct uk_stream *s, struct uk_flow *flow,
                   struct uk_time *time, struct uk_mem_account *acct,
                   size_t max_frame, size_t wq_max);
int uk_stream_read_line(struct uk_stream *s, uk_stream_read_cb cb, void *arg);
int uk_stream_read_exact(struct uk_stream *s, size_t n, uk_stream_read_cb cb,
                         void *arg);
int uk_stream_read_some(struct uk_stream *s, uk_stream_read_cb cb, void *arg);
int uk_stream_write(struct uk_stream *s, const void *data, size_t len);
int uk_stream_on_drain(struct uk_stream *s, uk_stream_drain_cb cb, void *arg);
size_t uk_stream_queued(const struct uk_stream *s);
void uk_stream_fini(struct uk_stream *s);

#endif
