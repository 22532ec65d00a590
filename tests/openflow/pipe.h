/*
 * pipe.h - an in-process byte-stream pair for the OpenFlow tests: two
 * uk_flow ends over one event loop; what one end writes, the other reads.
 * Every completion runs from a deferred call, never inside the call that
 * started it (uk/flow.h).  Bounded: each end buffers PIPE_CAP bytes, a
 * writer waits while its peer's buffer is full.  Closing an end cancels
 * its pending operations and gives the peer end of stream once it has
 * read what was sent before.
 */
#ifndef UK_TEST_OF_PIPE_H
#define UK_TEST_OF_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/flow.h>
#include <uk/time.h>

#define PIPE_CAP (256u * 1024u)

struct pipe_end {
    struct uk_flow flow; /* pass &end->flow */
    struct pipe_end *peer;
    struct uk_time *time;
    uint8_t in[PIPE_CAP]; /* bytes the peer wrote, not yet read here */
    size_t in_len;
    size_t chunk;         /* most bytes per read callback (0: no limit) */
    bool eof_in;          /* the peer closed */
    bool closed, close_done;
    bool rpending;
    uk_flow_read_cb rcb;
    void *rarg;
    bool wpending;
    struct uk_iov wiov[UK_IOV_MAX];
    int wcnt, wi;
    size_t woff, wtotal;
    uk_flow_write_cb wcb;
    void *warg;
    uk_done_cb ccb;
    void *carg;
    struct uk_timer t;
    unsigned long reads, writes;
};

/* Joins a and b (caller-owned) over time. */
void pipe_init(struct pipe_end *a, struct pipe_end *b, struct uk_time *time);

/* For tests playing the peer of e by hand: bytes arrive at e as if its
 * peer had written them (copied; false if they do not fit), the peer
 * shuts down, and what e wrote is taken out of its peer's buffer. */
bool pipe_inject(struct pipe_end *e, const void *data, size_t len);
void pipe_inject_eof(struct pipe_end *e);
size_t pipe_take(struct pipe_end *e, void *out, size_t cap);

#endif
