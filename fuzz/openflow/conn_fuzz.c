/*
 * conn_fuzz.c - libFuzzer target for the OpenFlow connection layer: the
 * input is what the peer sends, delivered in reads of a size its last byte
 * chooses, after a valid hello unless that byte is odd; the
 * handler answers some messages, the clock advances between reads so
 * keep-alive runs, then the peer ends the stream.  The connection must
 * close exactly once, and never crash or read out of bounds.  Also
 * replayed by tests/openflow/test_fuzz_replay.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/loop.h>
#include <uk/openflow_conn.h>

#include "fake_clock.h"

int of_fuzz_conn(const uint8_t *data, size_t size);

struct in_flow {
    struct uk_flow flow;
    struct uk_time *time;
    const uint8_t *data;
    size_t len, off, chunk;
    bool eof_sent, closed, rpending, wpending;
    uk_flow_read_cb rcb;
    void *rarg;
    uk_flow_write_cb wcb;
    void *warg;
    size_t wlen;
    struct uk_iov wiov[UK_IOV_MAX];
    int wcnt;
    uk_done_cb ccb;
    void *carg;
    struct uk_timer rt, wt, ct;
};

static void deliver(void *arg)
{
    struct in_flow *f = arg;
    size_t n = f->len - f->off;
    if (!f->rpending)
        return;
    f->rpending = false;
    if (f->closed) {
        f->rcb(f->rarg, UK_ECANCELED, NULL, 0);
        return;
    }
    if (n == 0) {
        f->eof_sent = true;
        f->rcb(f->rarg, UK_EOF, NULL, 0);
        return;
    }
    if (n > f->chunk)
        n = f->chunk;
    f->off += n;
    f->rcb(f->rarg, 0, f->data + f->off - n, n);
}

static void wdone(void *arg)
{
    struct in_flow *f = arg;
    static uint8_t sink[UK_OFP_MAX_MSG * 2];
    int i;
    if (!f->wpending)
        return;
    /* The bytes are borrowed until now: read them all (ASan checks), and
     * each message written must be whole and framed. */
    for (i = 0; i < f->wcnt && !f->closed; i++) {
        size_t off = 0, n;
        if (f->wiov[i].len > sizeof sink)
            abort();
        memcpy(sink, f->wiov[i].base, f->wiov[i].len);
        while (off < f->wiov[i].len) {
            if (uk_of_frame(sink + off, f->wiov[i].len - off, &n) != 0)
                abort();
            off += n;
        }
    }
    f->wpending = false;
    f->wcb(f->warg, f->closed ? UK_ECANCELED : 0, f->closed ? 0 : f->wlen);
}

static void cdone(void *arg)
{
    struct in_flow *f = arg;
    deliver(f);
    wdone(f);
    if (f->ccb != NULL)
        f->ccb(f->carg);
}

static int f_read(struct uk_flow *fl, uk_flow_read_cb cb, void *arg)
{
    struct in_flow *f = UK_CONTAINER_OF(fl, struct in_flow, flow);
    if (f->closed)
        return UK_ECLOSED;
    if (f->rpending || f->eof_sent)
        return f->rpending ? UK_EBUSY : UK_ECLOSED;
    f->rpending = true;
    f->rcb = cb;
    f->rarg = arg;
    uk_time_after(f->time, &f->rt, UK_NS_PER_MS * 300, deliver, f);
    return 0;
}

static int f_writev(struct uk_flow *fl, const struct uk_iov *iov, int cnt,
                    uk_flow_write_cb cb, void *arg)
{
    struct in_flow *f = UK_CONTAINER_OF(fl, struct in_flow, flow);
    if (f->closed)
        return UK_ECLOSED;
    if (f->wpending)
        return UK_EBUSY;
    if (cnt < 1 || cnt > UK_IOV_MAX)
        return UK_EINVAL;
    memcpy(f->wiov, iov, sizeof *iov * (size_t)cnt);
    f->wcnt = cnt;
    f->wpending = true;
    f->wcb = cb;
    f->warg = arg;
    f->wlen = uk_iov_total(iov, cnt);
    uk_time_defer(f->time, &f->wt, wdone, f);
    return 0;
}

static int f_close(struct uk_flow *fl, uk_done_cb cb, void *arg)
{
    struct in_flow *f = UK_CONTAINER_OF(fl, struct in_flow, flow);
    if (f->closed)
        return UK_ECLOSED;
    f->closed = true;
    f->ccb = cb;
    f->carg = arg;
    uk_time_cancel(f->time, &f->rt);
    uk_time_cancel(f->time, &f->wt);
    uk_time_defer(f->time, &f->ct, cdone, f);
    return 0;
}

static const struct uk_flow_ops in_ops = {
    .read = f_read, .writev = f_writev, .close = f_close};

static int closes;

static void h_ready(void *arg, struct uk_of_conn *c)
{
    (void)arg, (void)c;
}

static void h_message(void *arg, struct uk_of_conn *c,
                      const struct uk_of_msg *m, const uint8_t *raw,
                      size_t len)
{
    struct uk_of_msg r;
    (void)arg;
    memset(&r, 0, sizeof r);
    r.hdr.xid = m->hdr.xid;
    switch (m->hdr.type) {
    case UK_OFPT_FEATURES_REQUEST:
        r.hdr.type = UK_OFPT_FEATURES_REPLY;
        uk_of_conn_send(c, &r);
        break;
    case UK_OFPT_BARRIER_REQUEST:
        r.hdr.type = UK_OFPT_BARRIER_REPLY;
        uk_of_conn_send(c, &r);
        break;
    case UK_OFPT_PACKET_OUT:
        uk_of_conn_send_error(c, UK_OFPET_BAD_REQUEST,
                              UK_OFPBRC_BUFFER_UNKNOWN, raw, len);
        break;
    case UK_OFPT_PORT_MOD:
        uk_of_conn_close(c);
        break;
    default:
        break;
    }
}

static void h_closed(void *arg, struct uk_of_conn *c, int reason)
{
    (void)arg, (void)c, (void)reason;
    closes++;
}

static const struct uk_of_conn_handlers handlers = {h_ready, h_message,
                                                    h_closed};

int of_fuzz_conn(const uint8_t *data, size_t size)
{
    static uint8_t input[70000];
    static struct uk_of_conn conn;
    static const uint8_t hello[8] = {1, 0, 0, 8, 0, 0, 0, 0};
    struct fake_clock clk;
    struct fake_poller poller;
    struct uk_loop loop;
    struct in_flow f;
    size_t n = 0;
    int turns;
    uint8_t control;
    if (size < 1 || size > sizeof input - 8)
        return 0;
    control = data[size - 1];
    if ((control & 1) == 0) {
        memcpy(input, hello, 8);
        n = 8;
    }
    memcpy(input + n, data, size);
    n += size;
    fake_clock_init(&clk, UK_NS_PER_S, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    memset(&f, 0, sizeof f);
    f.flow.ops = &in_ops;
    f.time = &loop.time;
    f.data = input;
    f.len = n;
    f.chunk = (size_t)(control >> 1) * 67 + 1;
    closes = 0;
    if (uk_of_conn_init(&conn, &f.flow, &loop.time, NULL, &handlers, NULL) !=
        0)
        abort();
    /* The fake poller jumps the clock to each deadline: reads arrive
     * 300 ms apart, keep-alive and flush timers run for real. */
    for (turns = 0; turns < 100000 && closes == 0; turns++)
        uk_loop_run_once(&loop, true);
    if (closes != 1 || uk_loop_has_work(&loop))
        abort();
    return 0;
}

#ifndef OF_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return of_fuzz_conn(data, size);
}
#endif
