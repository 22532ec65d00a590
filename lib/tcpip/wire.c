/*
 * wire.c - the loopback wire (uk/tcpip/wire.h).
 */
#include <string.h>

#include <uk/tcpip/wire.h>

#include "util.h"

static struct uk_wire_end *from_base(struct uk_network *self)
{
    return UK_CONTAINER_OF(self, struct uk_wire_end, base);
}

static const char *end_id(struct uk_network *self)
{
    return from_base(self)->name;
}

static void end_disconnect(struct uk_network *self, uk_done_cb cb, void *arg)
{
    struct uk_wire_end *e = from_base(self);
    e->connected = false;
    e->cb = NULL;
    uk_time_cancel(e->wire->time, &e->deliver_timer);
    uk_bufq_clear(&e->inflight);
    uk__defer_done(e->wire->time, &e->done_timer, cb, arg);
}

static int end_listen(struct uk_network *self, uk_network_rx_cb cb, void *arg)
{
    struct uk_wire_end *e = from_base(self);
    e->cb = cb;
    e->cb_arg = arg;
    return 0;
}

static int end_alloc(struct uk_network *self, size_t headroom, size_t len,
                     struct uk_buf **out)
{
    struct uk_wire_end *e = from_base(self);
    struct uk_buf *b;
    if (headroom + len > UK_WIRE_MTU + UK_ETH_HLEN)
        return UK_EMSGSIZE;
    if ((b = uk_bufpool_get(&e->pool, headroom)) == NULL)
        return UK_ENOBUFS;
    *out = b;
    return 0;
}

/* Delivers the frames that were in flight when this turn began. */
static void deliver(void *arg)
{
    struct uk_wire_end *e = (struct uk_wire_end *)arg;
    struct uk_wire_end *p = e->peer;
    size_t n = e->inflight.count;
    while (n-- > 0) {
        struct uk_buf *b = uk_bufq_pop(&e->inflight);
        if (b == NULL)
            break;
        if (!p->connected || p->cb == NULL) {
            p->stats.rx_dropped++;
            uk_buf_free(b);
            continue;
        }
        p->stats.rx_frames++;
        p->stats.rx_bytes += b->len;
        p->cb(p->cb_arg, b);
    }
    if (!uk_bufq_is_empty(&e->inflight))
        uk_time_defer(e->wire->time, &e->deliver_timer, deliver, e);
}

static int end_send(struct uk_network *self, struct uk_buf *frame)
{
    struct uk_wire_end *e = from_base(self);
    struct uk_buf *b = frame;
    if (!e->connected) {
        uk_buf_free(frame);
        return UK_ESTALE;
    }
    if (frame->len > UK_WIRE_MTU + UK_ETH_HLEN) {
        e->stats.tx_dropped++;
        uk_buf_free(frame);
        return UK_EMSGSIZE;
    }
    if (frame->owner != &e->pool) {
        b = uk_bufpool_get(&e->pool, 0);
        if (b != NULL)
            memcpy(uk_buf_put(b, frame->len), frame->data, frame->len);
        uk_buf_free(frame);
        if (b == NULL) {
            e->stats.tx_dropped++;
            return UK_ENOBUFS;
        }
    }
    e->stats.tx_frames++;
    e->stats.tx_bytes += b->len;
    uk_bufq_push(&e->inflight, b);
    if (!uk_timer_is_armed(&e->deliver_timer))
        uk_time_defer(e->wire->time, &e->deliver_timer, deliver, e);
    return 0;
}

static int end_sendv(struct uk_network *self, const struct uk_iov *iov,
                     int iovcnt)
{
    struct uk_wire_end *e = from_base(self);
    struct uk_buf *b;
    size_t len;
    int rc;
    if (iovcnt < 0 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    len = uk_iov_total(iov, iovcnt);
    if ((rc = end_alloc(self, 0, len, &b)) != 0) {
        e->stats.tx_dropped++;
        return rc;
    }
    uk__iov_copy(uk_buf_put(b, len), iov, iovcnt);
    return end_send(self, b);
}

static void end_mac(struct uk_network *self, struct uk_mac *out)
{
    *out = from_base(self)->mac;
}

static size_t end_mtu(struct uk_network *self)
{
    UK_UNUSED(self);
    return UK_WIRE_MTU;
}

static void end_stats(struct uk_network *self, struct uk_network_stats *out)
{
    *out = from_base(self)->stats;
}

static const struct uk_network_ops end_ops = {
    .id = end_id,
    .disconnect = end_disconnect,
    .listen = end_listen,
    .alloc = end_alloc,
    .send = end_send,
    .sendv = end_sendv,
    .mac = end_mac,
    .mtu = end_mtu,
    .stats = end_stats,
};

static void end_init(struct uk_wire *w, int i, const struct uk_mac *mac)
{
    struct uk_wire_end *e = &w->end[i];
    memset(e, 0, offsetof(struct uk_wire_end, pool));
    e->base.ops = &end_ops;
    e->wire = w;
    e->peer = &w->end[1 - i];
    e->mac = *mac;
    memcpy(e->name, i == 0 ? "wire0" : "wire1", 6);
    e->connected = true;
    uk_bufq_init(&e->inflight);
    uk_bufpool_init(&e->pool, e->descs, e->mem, UK_WIRE_FRAMES,
                    UK_WIRE_FRAME_SIZE);
}

void uk_wire_init(struct uk_wire *w, struct uk_time *time,
                  const struct uk_mac *mac0, const struct uk_mac *mac1)
{
    w->time = time;
    end_init(w, 0, mac0);
    end_init(w, 1, mac1);
}
