/*
 * netfront.c - NETWORK over a Xen virtual interface: the front end of
 * Linux's netback (io/netif.h), one TX and one RX ring, single queue,
 * rx-copy mode, no scatter-gather or offloads.
 *
 * Buffers: every TX and RX slot owns one page, granted to the backend once
 * at set-up.  alloc() hands out a TX page as a uk_buf, so send() posts it
 * without a copy; other buffers are copied into a free TX page.  A received
 * frame is delivered as a uk_buf over its RX page; freeing it re-posts the
 * page to the ring (recycling, no re-grant needed).
 *
 * Set-up and the backend's life cycle (the xenstore side) are
 * netfront_bus.c's; this file only resets and restarts the rings for it.
 *
 * Defensive: the backend writes ring indices, ids, offsets and lengths.
 * Each is checked (indices may run at most one ring ahead, ids must name a
 * slot we posted, offset + length must stay in the page); a bad response
 * is counted as dropped and never makes us touch memory outside our
 * buffers.
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

#include "netfront.h"
#include "pages.h"
#include "xen.h"
#include "xenstore.h"

#define PAGE UK_XEN_PAGE_SIZE
#define FRAME_MAX (UK_ETH_HLEN + 1500)
#define RING_MASK (UK_XEN_NETIF_RING - 1)

enum { FREE, ALLOCATED, IN_FLIGHT, DELIVERED };

/* The boot report (netfront.h, uk__netfront_boot_ns): Xen time of the
 * first frame received by any vif (0: none yet), and whether the line is
 * out. */
static uint64_t first_rx_ns;
static bool boot_reported;

/* After a transmit: the first one that follows received input logs the
 * boot line, once per image (only when the glue recorded its entry). */
static void boot_report_tx(void)
{
    if (boot_reported || first_rx_ns == 0 || &uk__netfront_boot_ns == NULL ||
        uk__netfront_boot_ns == 0)
        return;
    boot_reported = true;
    uk_console_printf(
        uk_default_console(),
        "uk: boot: first reply after %llu us (first frame in after %llu us)",
        (unsigned long long)((uk__xen_system_ns() - uk__netfront_boot_ns) /
                             1000),
        (unsigned long long)((first_rx_ns - uk__netfront_boot_ns) / 1000));
}


static struct uk__netfront *dev_of(struct uk_network *n)
{
    return UK_CONTAINER_OF(n, struct uk__netfront, net);
}

static void notify(struct uk__netfront *d)
{
    uk__xen_evtchn_notify(d->port);
}

/* ---- TX ---- */

static void tx_post(struct uk__netfront *d, unsigned i, size_t off,
                    size_t len)
{
    volatile struct uk_xen_netif_tx_req *r =
        &d->tx->ring[d->tx_prod & RING_MASK].req;
    r->gref = d->txs[i].gref;
    r->offset = (uint16_t)off;
    r->flags = 0;
    r->id = (uint16_t)i;
    r->size = (uint16_t)len;
    d->txs[i].state = IN_FLIGHT;
    d->tx_prod++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    d->tx->h.req_prod = d->tx_prod;
    d->st.tx_frames++;
    d->st.tx_bytes += len;
    notify(d);
    boot_report_tx();
}

static int tx_take(struct uk__netfront *d)
{
    return d->ntx_free == 0 ? -1 : d->tx_free[--d->ntx_free];
}

static void tx_put(struct uk__netfront *d, unsigned i)
{
    d->txs[i].state = FREE;
    d->tx_free[d->ntx_free++] = (uint16_t)i;
}

/* free_fn of TX buffers that were allocated but never sent. */
static void tx_buf_free(struct uk_buf *b)
{
    struct uk__netfront *d = b->owner;
    unsigned i = (unsigned)(UK_CONTAINER_OF(b, struct uk__nf_slot, buf) -
                            d->txs);
    if (d->txs[i].state == ALLOCATED)
        tx_put(d, i);
}

static void tx_complete(struct uk__netfront *d)
{
    for (;;) {
        uint32_t prod = d->tx->h.rsp_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod - d->tx_cons > d->tx_prod - d->tx_cons) {
            d->st.tx_dropped++; /* backend claims responses never asked */
            return;
        }
        while (d->tx_cons != prod) {
            struct uk_xen_netif_tx_rsp r =
                *(const struct uk_xen_netif_tx_rsp *)(const void *)&d->tx
                     ->ring[d->tx_cons & RING_MASK]
                     .rsp;
            d->tx_cons++;
            if (r.id >= UK__NF_TX || d->txs[r.id].state != IN_FLIGHT) {
                d->st.tx_dropped++;
                continue;
            }
            if (r.status != 0)
                d->st.tx_dropped++;
            tx_put(d, r.id);
        }
        d->tx->h.rsp_event = d->tx_cons + 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (d->tx->h.rsp_prod == prod)
            return;
    }
}

/* ---- RX ---- */

static void rx_post(struct uk__netfront *d, unsigned i)
{
    volatile struct uk_xen_netif_rx_req *r =
        &d->rx->ring[d->rx_prod & RING_MASK].req;
    r->id = (uint16_t)i;
    r->pad = 0;
    r->gref = d->rxs[i].gref;
    d->rxs[i].state = IN_FLIGHT;
    d->rx_prod++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    d->rx->h.req_prod = d->rx_prod;
}

/* free_fn of received frames: the page goes back to the ring. */
static void rx_buf_free(struct uk_buf *b)
{
    struct uk__netfront *d = b->owner;
    unsigned i = (unsigned)(UK_CONTAINER_OF(b, struct uk__nf_slot, buf) -
                            d->rxs);
    if (d->rxs[i].state != DELIVERED)
        return;
    if (!d->up) { /* posted again when the backend comes back */
        d->rxs[i].state = FREE;
        return;
    }
    rx_post(d, i);
    notify(d);
}

static void rx_one(struct uk__netfront *d, struct uk_xen_netif_rx_rsp r)
{
    struct uk__nf_slot *s;
    if (r.id >= UK__NF_RX || d->rxs[r.id].state != IN_FLIGHT) {
        d->st.rx_dropped++; /* not a slot we posted: ignore */
        return;
    }
    s = &d->rxs[r.id];
    if (r.status <= 0 || (size_t)r.offset + (size_t)r.status > PAGE ||
        (r.flags & (UK_XEN_NETRXF_MORE_DATA | UK_XEN_NETRXF_EXTRA_INFO)) ||
        d->cb == NULL) {
        d->st.rx_dropped++;
        rx_post(d, r.id);
        return;
    }
    s->state = DELIVERED;
    uk_buf_init(&s->buf, s->page, PAGE, r.offset);
    s->buf.len = (size_t)r.status;
    s->buf.free_fn = rx_buf_free;
    s->buf.owner = d;
    d->st.rx_frames++;
    d->st.rx_bytes += (size_t)r.status;
    if (first_rx_ns == 0) /* the boot report's "first frame in" */
        first_rx_ns = uk__xen_system_ns();
    d->cb(d->cb_arg, &s->buf);
}

static void rx_receive(struct uk__netfront *d)
{
    uint32_t posted_before = d->rx_prod;
    for (;;) {
        uint32_t prod = d->rx->h.rsp_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod - d->rx_cons > d->rx_prod - d->rx_cons) {
            d->st.rx_dropped++;
            break;
        }
        while (d->rx_cons != prod) {
            struct uk_xen_netif_rx_rsp r =
                *(const struct uk_xen_netif_rx_rsp *)(const void *)&d->rx
                     ->ring[d->rx_cons & RING_MASK]
                     .rsp;
            d->rx_cons++;
            rx_one(d, r);
        }
        d->rx->h.rsp_event = d->rx_cons + 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (d->rx->h.rsp_prod == prod)
            break;
    }
    if (d->rx_prod != posted_before)
        notify(d);
}

void uk__netfront_event(void *arg, uint32_t port)
{
    struct uk__netfront *d = arg;
    UK_UNUSED(port);
    if (!d->up)
        return;
    tx_complete(d);
    rx_receive(d);
}

/* ---- NETWORK methods ---- */

static const char *nf_id(struct uk_network *self)
{
    return dev_of(self)->id;
}

static void disconnect_done(void *arg)
{
    struct uk__netfront *d = arg;
    if (d->dcb != NULL)
        d->dcb(d->dcb_arg);
}

static void nf_disconnect(struct uk_network *self, uk_done_cb cb, void *arg)
{
    struct uk__netfront *d = dev_of(self);
    char path[64];
    /* Tell the backend we are going; it unmaps our pages when it reaches
     * Closed.  Our pages stay granted (the image is ending or the device
     * slot is retired). */
    if (d->open) {
        d->open = false;
        d->up = false;
        d->published = false;
        snprintf(path, sizeof path, "%s/state", d->fe);
        (void)uk__xs_write(0, path, "6");
        (void)uk__xs_unwatch(d->watch, d->id);
        uk__xen_sources_add(-1);
    }
    d->cb = NULL;
    d->dcb = cb;
    d->dcb_arg = arg;
    uk_time_defer(uk_default_time(), &d->done, disconnect_done, d);
}

static int nf_listen(struct uk_network *self, uk_network_rx_cb cb, void *arg)
{
    struct uk__netfront *d = dev_of(self);
    d->cb = cb;
    d->cb_arg = arg;
    return 0;
}

static int nf_alloc(struct uk_network *self, size_t headroom, size_t len,
                    struct uk_buf **out)
{
    struct uk__netfront *d = dev_of(self);
    int i;
    if (headroom > FRAME_MAX || len > FRAME_MAX - headroom)
        return UK_EMSGSIZE;
    if (!d->up)
        return UK_ESTALE;
    if ((i = tx_take(d)) < 0)
        return UK_ENOBUFS;
    d->txs[i].state = ALLOCATED;
    uk_buf_init(&d->txs[i].buf, d->txs[i].page, PAGE, headroom);
    d->txs[i].buf.free_fn = tx_buf_free;
    d->txs[i].buf.owner = d;
    *out = &d->txs[i].buf;
    return 0;
}

static bool ours(struct uk__netfront *d, const struct uk_buf *b)
{
    return b->free_fn == tx_buf_free && b->owner == d &&
           b >= &d->txs[0].buf && b <= &d->txs[UK__NF_TX - 1].buf;
}

static int nf_send(struct uk_network *self, struct uk_buf *frame)
{
    struct uk__netfront *d = dev_of(self);
    size_t len = frame->len;
    int i;
    if (!d->up) {
        uk_buf_free(frame);
        return UK_ESTALE;
    }
    if (len == 0 || len > FRAME_MAX) {
        d->st.tx_dropped++;
        uk_buf_free(frame);
        return UK_EMSGSIZE;
    }
    if (ours(d, frame)) {
        i = (int)(UK_CONTAINER_OF(frame, struct uk__nf_slot, buf) - d->txs);
        if (d->txs[i].state != ALLOCATED || frame->data < d->txs[i].page ||
            (size_t)(frame->data - d->txs[i].page) + len > PAGE)
            return UK_EINVAL; /* sent twice, or moved outside its page */
        tx_post(d, (unsigned)i, (size_t)(frame->data - d->txs[i].page), len);
        return 0;
    }
    if ((i = tx_take(d)) < 0) {
        d->st.tx_dropped++;
        uk_buf_free(frame);
        return UK_ENOBUFS;
    }
    memcpy(d->txs[i].page, frame->data, len);
    uk_buf_free(frame);
    tx_post(d, (unsigned)i, 0, len);
    return 0;
}

static int nf_sendv(struct uk_network *self, const struct uk_iov *iov,
                    int iovcnt)
{
    struct uk__netfront *d = dev_of(self);
    size_t len, off = 0;
    int i, k;
    if (iovcnt < 1 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    if (!d->up)
        return UK_ESTALE;
    len = uk_iov_total(iov, iovcnt);
    if (len == 0 || len > FRAME_MAX)
        return UK_EMSGSIZE;
    if ((i = tx_take(d)) < 0) {
        d->st.tx_dropped++;
        return UK_ENOBUFS;
    }
    for (k = 0; k < iovcnt; k++) {
        memcpy(d->txs[i].page + off, iov[k].base, iov[k].len);
        off += iov[k].len;
    }
    tx_post(d, (unsigned)i, 0, len);
    return 0;
}

static void nf_mac(struct uk_network *self, struct uk_mac *out)
{
    *out = dev_of(self)->mac;
}

static size_t nf_mtu(struct uk_network *self)
{
    UK_UNUSED(self);
    return 1500;
}

static void nf_stats(struct uk_network *self, struct uk_network_stats *out)
{
    *out = dev_of(self)->st;
}

static const struct uk_network_ops nf_ops = {
    .id = nf_id,
    .disconnect = nf_disconnect,
    .listen = nf_listen,
    .alloc = nf_alloc,
    .send = nf_send,
    .sendv = nf_sendv,
    .mac = nf_mac,
    .mtu = nf_mtu,
    .stats = nf_stats,
};

/* ---- set-up and the backend's life (with netfront_bus.c) ---- */

/* Places the rings and slot pages in pages[2 + UK__NF_TX + UK__NF_RX]. */
void uk__netfront_layout(struct uk__netfront *d, uint8_t *rings,
                         uint8_t *slots)
{
    unsigned i;
    d->tx = (volatile struct uk_xen_netif_tx_sring *)(void *)rings;
    d->rx = (volatile struct uk_xen_netif_rx_sring *)(void *)(rings + PAGE);
    for (i = 0; i < UK__NF_TX + UK__NF_RX; i++) {
        struct uk__nf_slot *s =
            i < UK__NF_TX ? &d->txs[i] : &d->rxs[i - UK__NF_TX];
        s->page = slots + i * PAGE;
        s->gref = i; /* replaced by the real grant */
        s->state = FREE;
    }
    for (i = 0; i < UK__NF_TX; i++)
        d->tx_free[i] = (uint16_t)(UK__NF_TX - 1 - i);
    d->ntx_free = UK__NF_TX;
}

/* Connected: post every RX page the listener does not hold and ask for
 * events. */
void uk__netfront_start(struct uk__netfront *d)
{
    unsigned i;
    d->up = true;
    for (i = 0; i < UK__NF_RX; i++)
        if (d->rxs[i].state == FREE)
            rx_post(d, i);
    d->rx->h.rsp_event = d->rx_cons + 1;
    d->tx->h.rsp_event = d->tx_cons + 1;
    notify(d);
}

void uk__netfront_init(struct uk__netfront *d)
{
    memset(d, 0, sizeof *d);
    d->net.ops = &nf_ops;
}

void uk__netfront_attach(struct uk__netfront *d, void *pages)
{
    uk__netfront_init(d);
    snprintf(d->id, sizeof d->id, "vift");
    uk__netfront_layout(d, pages, (uint8_t *)pages + 2 * PAGE);
    d->open = true;
    uk__xen_sources_add(1);
    uk__netfront_start(d);
}

void uk__netfront_poll(struct uk__netfront *d)
{
    uk__netfront_event(d, d->port);
}

/* ---- the backend going away and coming back ---- */

/* Empty rings (SHARED_RING_INIT) and indices, for a new backend. */
void uk__netfront_ring_reset(struct uk__netfront *d)
{
    memset((void *)d->tx, 0, PAGE);
    memset((void *)d->rx, 0, PAGE);
    d->tx->h.req_event = d->tx->h.rsp_event = 1;
    d->rx->h.req_event = d->rx->h.rsp_event = 1;
    d->tx_prod = d->tx_cons = d->rx_prod = d->rx_cons = 0;
}

/* Stops using the rings: what was in flight is lost (TCP resends), pages
 * the listener holds come back through their free_fn. */
void uk__netfront_backend_gone(struct uk__netfront *d)
{
    unsigned i;
    d->up = false;
    d->published = false;
    for (i = 0; i < UK__NF_TX; i++)
        if (d->txs[i].state == IN_FLIGHT) {
            d->st.tx_dropped++;
            tx_put(d, i);
        }
    for (i = 0; i < UK__NF_RX; i++)
        if (d->rxs[i].state == IN_FLIGHT)
            d->rxs[i].state = FREE;
}

void uk__netfront_backend_back(struct uk__netfront *d)
{
    uk__netfront_ring_reset(d);
    uk__netfront_start(d);
}

