/*
 * write.c - the write side of uk_stream (uk/stream.h): a FIFO of copied
 * chunks, up to UK_IOV_MAX of them handed to the flow in one writev.
 */
#include <string.h>

#include <uk/stream.h>

#include "internal.h"

struct uk__stream_chunk {
    struct uk__stream_chunk *next;
    size_t len;
    /* len bytes follow */
};

#define CHUNK_DATA(c) ((const uint8_t *)((c) + 1))

static void chunk_free(struct uk_stream *s, struct uk__stream_chunk *c)
{
    uk_mem_account_free(s->acct, c, sizeof *c + c->len);
}

/* Frees the first n chunks of the queue. */
static void pop(struct uk_stream *s, size_t n)
{
    while (n-- > 0 && s->whead != NULL) {
        struct uk__stream_chunk *c = s->whead;
        s->whead = c->next;
        s->wqueued -= c->len;
        chunk_free(s, c);
    }
    if (s->whead == NULL)
        s->wtail = NULL;
}

static void drained(struct uk_stream *s, int status)
{
    uk_stream_drain_cb cb = s->dcb;
    void *arg = s->darg;
    s->dcb = NULL;
    if (cb != NULL)
        cb(arg, status);
}

/* The write side failed with status: drop the queue, tell the drain
 * callback (if any, and if not inside a call: `notify`). */
static void fail(struct uk_stream *s, int status, bool notify)
{
    s->wstatus = status;
    s->wflight = 0;
    pop(s, SIZE_MAX);
    if (notify)
        drained(s, status);
}

static void flow_write_done(void *arg, int status, size_t written);

/* Hands the queue's head (up to UK_IOV_MAX chunks) to the flow. */
static int kick(struct uk_stream *s)
{
    struct uk_iov iov[UK_IOV_MAX];
    struct uk__stream_chunk *c;
    int n = 0, rc;
    for (c = s->whead; c != NULL && n < UK_IOV_MAX; c = c->next) {
        iov[n].base = CHUNK_DATA(c);
        iov[n].len = c->len;
        n++;
    }
    rc = uk_flow_writev(s->flow, iov, n, flow_write_done, s);
    if (rc == 0)
        s->wflight = n;
    return rc;
}

static void flow_write_done(void *arg, int status, size_t written)
{
    struct uk_stream *s = arg;
    (void)written;
    if (status != 0) {
        fail(s, status, true);
        return;
    }
    pop(s, (size_t)s->wflight);
    s->wflight = 0;
    if (s->whead != NULL) {
        int rc = kick(s);
        if (rc != 0)
            fail(s, rc, true);
        return;
    }
    drained(s, 0);
}

int uk_stream_write(struct uk_stream *s, const void *data, size_t len)
{
    struct uk__stream_chunk *c;
    int rc;
    if (s->wstatus != 0)
        return s->wstatus;
    if (len == 0)
        return 0;
    if (len > s->wq_max - s->wqueued)
        return UK_ENOBUFS;
    c = uk_mem_account_alloc(s->acct, sizeof *c + len);
    if (c == NULL)
        return UK_ENOMEM;
    c->next = NULL;
    c->len = len;
    memcpy(c + 1, data, len);
    if (s->wtail != NULL)
        s->wtail->next = c;
    else
        s->whead = c;
    s->wtail = c;
    s->wqueued += len;
    if (s->wflight > 0)
        return 0; /* sent after the writes in flight */
    rc = kick(s);
    if (rc != 0)
        fail(s, rc, false);
    return rc;
}

static void deferred_drain(void *arg)
{
    drained(arg, 0);
}

int uk_stream_on_drain(struct uk_stream *s, uk_stream_drain_cb cb, void *arg)
{
    if (s->wstatus != 0)
        return s->wstatus;
    s->dcb = cb;
    s->darg = arg;
    if (s->whead == NULL)
        uk_time_defer(s->time, &s->wdefer, deferred_drain, s);
    return 0;
}

size_t uk_stream_queued(const struct uk_stream *s)
{
    return s->wqueued;
}

void uk_stream_fini(struct uk_stream *s)
{
    uk__stream_read_fini(s);
    uk_time_cancel(s->time, &s->wdefer);
    s->dcb = NULL;
    s->wflight = 0;
    pop(s, SIZE_MAX);
}
