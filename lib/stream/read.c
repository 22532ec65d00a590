/*
 * read.c - the read side of uk_stream (uk/stream.h): framing lines and
 * exact reads out of the flow's reads, holding only the bytes past the
 * frame delivered.
 */
#include <string.h>

#include <uk/stream.h>

#include "internal.h"

enum { REQ_NONE, REQ_LINE, REQ_EXACT, REQ_SOME };
enum { NEED_MORE = 1 };

int uk_stream_init(struct uk_stream *s, struct uk_flow *flow,
                   struct uk_time *time, struct uk_mem_account *acct,
                   size_t max_frame, size_t wq_max)
{
    if (flow == NULL || time == NULL || acct == NULL || max_frame == 0 ||
        wq_max == 0 || max_frame > SIZE_MAX / 2)
        return UK_EINVAL;
    memset(s, 0, sizeof *s);
    s->flow = flow;
    s->time = time;
    s->acct = acct;
    s->max_frame = max_frame;
    s->wq_max = wq_max;
    return 0;
}

/* Finds the pending request's frame at the start of data[0..len): 0 with
 * *frame (bytes lent to the callback) and *used (bytes consumed), NEED_MORE,
 * or UK_EMSGSIZE. */
static int find_frame(const struct uk_stream *s, const uint8_t *data,
                      size_t len, size_t *frame, size_t *used)
{
    if (len == 0) /* (data may be NULL) */
        return NEED_MORE;
    if (s->rkind == REQ_SOME) {
        *frame = *used = len < s->max_frame ? len : s->max_frame;
        return 0;
    } else if (s->rkind == REQ_EXACT) {
        if (len < s->rwant)
            return NEED_MORE;
        *frame = *used = s->rwant;
        return 0;
    } else {
        size_t scan = len < s->max_frame + 2 ? len : s->max_frame + 2;
        const uint8_t *nl = memchr(data, '\n', scan);
        size_t n;
        if (nl == NULL)
            return len >= s->max_frame + 2 ? UK_EMSGSIZE : NEED_MORE;
        n = (size_t)(nl - data);
        *used = n + 1;
        if (n > 0 && data[n - 1] == '\r')
            n--;
        if (n > s->max_frame)
            return UK_EMSGSIZE;
        *frame = n;
        return 0;
    }
}

static void drop_held(struct uk_stream *s)
{
    uk_mem_account_free(s->acct, s->rbuf, s->rsize);
    s->rbuf = NULL;
    s->rsize = s->roff = s->rlen = 0;
}

/* Ends the pending request with cb(status, data, len). */
static void complete(struct uk_stream *s, int status, const void *data,
                     size_t len)
{
    uk_stream_read_cb cb = s->rcb;
    void *arg = s->rarg;
    s->rkind = REQ_NONE;
    s->rcb = NULL;
    if (status != 0) {
        s->rstatus = status;
        drop_held(s);
    }
    cb(arg, status, data, len);
}

/* Keeps data[0..len) as held bytes, after what is held already: in place
 * if the block has room, else in a new block sized for the pending frame
 * (an exact read's n; a line's doubling, up to max_frame + 2), so a frame
 * arriving in many small reads is not copied once per read; `tight`: in
 * a block of exactly the held size (what follows a frame already served).
 * 0 or UK_ENOMEM. */
static int hold(struct uk_stream *s, const uint8_t *data, size_t len,
                bool tight)
{
    size_t n = s->rlen + len, size = n;
    uint8_t *b;
    if (s->rbuf != NULL && s->roff + n <= s->rsize) {
        memcpy(s->rbuf + s->roff + s->rlen, data, len);
        s->rlen = n;
        return 0;
    }
    if (tight)
        ;
    else if (s->rkind == REQ_EXACT && s->rwant > size)
        size = s->rwant;
    else if (s->rkind == REQ_LINE && size < s->max_frame + 2) {
        size_t grow = 2 * s->rsize > 64 ? 2 * s->rsize : 64;
        size = grow < s->max_frame + 2 ? grow : s->max_frame + 2;
        if (size < n)
            size = n;
    }
    b = uk_mem_account_alloc(s->acct, size);
    if (b == NULL)
        return UK_ENOMEM;
    if (s->rlen > 0)
        memcpy(b, s->rbuf + s->roff, s->rlen);
    memcpy(b + s->rlen, data, len);
    drop_held(s);
    s->rbuf = b;
    s->rsize = size;
    s->rlen = n;
    return 0;
}

static void flow_read_done(void *arg, int status, const void *data,
                           size_t len);

/* Serves the pending request from the held bytes, or asks the flow for
 * more.  Runs from a callback (deferred or the flow's). */
static void serve(struct uk_stream *s)
{
    size_t frame = 0, used = 0;
    int rc;
    if (s->rkind == REQ_NONE)
        return;
    rc = find_frame(s, s->rbuf + s->roff, s->rlen, &frame, &used);
    if (rc == 0) {
        /* Consume first: the callback may ask for the next frame, which
         * is then served from what remains (deferred). */
        const uint8_t *p = s->rbuf + s->roff;
        uint8_t *block = s->rbuf;
        size_t bsize = s->rsize;
        s->roff += used;
        s->rlen -= used;
        if (s->rlen == 0) { /* give the block back after the callback */
            s->rbuf = NULL;
            s->rsize = s->roff = 0;
        }
        complete(s, 0, p, frame);
        if (block != s->rbuf)
            uk_mem_account_free(s->acct, block, bsize);
        return;
    }
    if (rc != NEED_MORE) {
        complete(s, rc, NULL, 0);
        return;
    }
    if (s->rstatus != 0) { /* the stream ended before this frame */
        complete(s, s->rstatus == UK_EOF && s->rlen > 0 ? UK_EPROTO
                                                         : s->rstatus,
                 NULL, 0);
        return;
    }
    if (!s->flow_reading) {
        rc = uk_flow_read(s->flow, flow_read_done, s);
        if (rc != 0)
            complete(s, rc, NULL, 0);
        else
            s->flow_reading = true;
    }
}

static void flow_read_done(void *arg, int status, const void *data,
                           size_t len)
{
    struct uk_stream *s = arg;
    size_t frame = 0, used = 0;
    int rc;
    s->flow_reading = false;
    if (s->rkind == REQ_NONE) { /* only after fini: nothing to serve */
        return;
    }
    if (status != 0) {
        s->rstatus = status;
        serve(s);
        return;
    }
    if (s->rlen == 0 &&
        find_frame(s, data, len, &frame, &used) == 0) {
        /* The frame is inside the flow's data: lend it from there, keep
         * only what follows it. */
        if (used < len && hold(s, (const uint8_t *)data + used,
                               len - used, true) != 0) {
            complete(s, UK_ENOMEM, NULL, 0);
            return;
        }
        complete(s, 0, data, frame);
        return;
    }
    rc = hold(s, data, len, false);
    if (rc != 0) {
        complete(s, rc, NULL, 0);
        return;
    }
    serve(s);
}

static void deferred_serve(void *arg)
{
    serve(arg);
}

static int request(struct uk_stream *s, int kind, size_t n,
                   uk_stream_read_cb cb, void *arg)
{
    if (cb == NULL)
        return UK_EINVAL;
    if (s->rkind != REQ_NONE)
        return UK_EBUSY;
    if (s->rstatus != 0 && s->rlen == 0)
        return s->rstatus;
    s->rkind = kind;
    s->rwant = n;
    s->rcb = cb;
    s->rarg = arg;
    if (s->flow_reading)
        return 0; /* the pending flow read will serve it */
    uk_time_defer(s->time, &s->rdefer, deferred_serve, s);
    return 0;
}

int uk_stream_read_line(struct uk_stream *s, uk_stream_read_cb cb, void *arg)
{
    return request(s, REQ_LINE, 0, cb, arg);
}

int uk_stream_read_exact(struct uk_stream *s, size_t n, uk_stream_read_cb cb,
                         void *arg)
{
    if (n == 0 || n > s->max_frame)
        return UK_EINVAL;
    return request(s, REQ_EXACT, n, cb, arg);
}

int uk_stream_read_some(struct uk_stream *s, uk_stream_read_cb cb, void *arg)
{
    return request(s, REQ_SOME, 0, cb, arg);
}

void uk__stream_read_fini(struct uk_stream *s)
{
    uk_time_cancel(s->time, &s->rdefer);
    drop_held(s);
    s->rkind = REQ_NONE;
    s->rcb = NULL;
}
