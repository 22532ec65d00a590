/*
 * fake.h - in-process fakes for the HTTP server tests: a flow whose peer is
 * the test (it injects bytes, collects what the server wrote), a
 * hand-advanced clock, and an in-memory uk_kv_ro with or without map().
 */
#ifndef UK_TEST_HTTP_FAKE_H
#define UK_TEST_HTTP_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/clock.h>
#include <uk/flow.h>
#include <uk/kv_ro.h>
#include <uk/loop.h>

struct fake_clock {
    struct uk_clock clock;
    uint64_t mono;
    int64_t wall;
};
void fake_clock_init(struct fake_clock *c);

struct fake_flow {
    struct uk_flow flow;
    struct uk_time *time;
    uint8_t *rx; /* bytes the peer sent, not yet read */
    size_t rx_len, rx_off, rx_cap;
    size_t rx_chunk; /* most bytes per read callback (0: all) */
    bool rx_eof;     /* peer shut down after rx */
    bool read_pending, write_pending, closing, closed;
    bool aborted;     /* closed with abort (a reset), not close */
    int enomem_writes; /* this many writev calls fail with UK_ENOMEM */
    uk_flow_read_cb rcb;
    void *rarg;
    uk_flow_write_cb wcb;
    void *warg;
    struct uk_iov wiov[UK_IOV_MAX];
    int wcnt;
    bool hold_writes; /* writes complete only on fake_flow_release */
    bool shut_ok;     /* shutdown is supported (else UK_ENOTSUP) */
    bool shut;        /* the server shut its write side down */
    struct uk_timer rtimer, wtimer, ctimer;
    uk_done_cb ccb;
    void *carg;
    uint8_t *tx; /* everything the server wrote, in order */
    size_t tx_len, tx_cap;
    int writevs; /* writev calls */
};

void fake_flow_init(struct fake_flow *f, struct uk_time *time);
/* The peer sends bytes (copied). */
void fake_flow_push(struct fake_flow *f, const void *data, size_t len);
void fake_flow_push_str(struct fake_flow *f, const char *s);
/* The peer shuts down its side after what was pushed. */
void fake_flow_eof(struct fake_flow *f);
/* Completes a held write. */
void fake_flow_release(struct fake_flow *f);
/* Frees the fake's buffers (after the flow is closed). */
void fake_flow_free(struct fake_flow *f);

struct fake_file {
    const char *key;
    const uint8_t *data; /* NULL for a directory */
    size_t size;
};

struct fake_kv {
    struct uk_kv_ro kv;
    const struct fake_file *files;
    size_t nfiles;
    int reads, maps;
};
void fake_kv_init(struct fake_kv *kv, const struct fake_file *files, size_t n,
                  bool with_map);

/* Runs deferred calls until none is left. */
void fake_drain(struct uk_loop *loop);
/* Advances the clock by ns and runs what became due. */
void fake_advance(struct uk_loop *loop, struct fake_clock *c, uint64_t ns);

#endif
