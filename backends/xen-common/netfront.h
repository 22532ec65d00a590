/*
 * netfront.h - the Xen network front end (netfront.c): a uk_network over
 * one vif, negotiated with the backend through xenstore.
 */
#ifndef UK_XEN_NETFRONT_H
#define UK_XEN_NETFRONT_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/network.h>
#include <uk/time.h>

#include "xen_abi.h"

#define UK__NF_TX 64 /* TX pages (of the ring's 256 slots) */
#define UK__NF_RX 64 /* RX pages posted to the backend */

struct uk__nf_slot {
    uint8_t *page;    /* one page, granted to the backend */
    uint32_t gref;
    int state;        /* FREE, ALLOCATED, IN_FLIGHT, DELIVERED */
    struct uk_buf buf; /* the buffer handed out over this page */
};

struct uk__netfront {
    struct uk_network net; /* implements NETWORK: pass &nf->net */
    char id[8];            /* "vif0" */
    char fe[32];           /* "device/vif/0" (relative to our domain) */
    char be[96];           /* backend path (and the watch on it) */
    uint16_t be_id;
    struct uk_mac mac;
    volatile struct uk_xen_netif_tx_sring *tx;
    volatile struct uk_xen_netif_rx_sring *rx;
    uint32_t tx_ref, rx_ref, port;
    uint32_t tx_prod, tx_cons, rx_prod, rx_cons;
    struct uk__nf_slot txs[UK__NF_TX], rxs[UK__NF_RX];
    uint16_t tx_free[UK__NF_TX];
    unsigned ntx_free;
    uk_network_rx_cb cb;
    void *cb_arg;
    uk_done_cb dcb;
    void *dcb_arg;
    struct uk_timer done;
    struct uk_network_stats st;
    bool up;        /* rings connected: frames flow */
    bool open;      /* between open and disconnect (counts as a source) */
    bool published; /* reconnecting: rings offered, backend not yet up */
    char watch[96];        /* the watched path: be */
};

/*
 * Xen system time (ns) at guest entry, defined and written by the
 * architecture's start-up code (x86: pvh.c); a weak reference, so glue
 * without it links and gets no report, and images without netfront do not
 * pull netfront in.  When set, the first frame netfront transmits after
 * having received one logs, once per image,
 * "uk: boot: first reply after N us (first frame in after M us)"
 * (tools/xen/size-report.sh): M is when the first frame arrived, so N - M
 * is the guest's own answer time and M the wait for a peer.
 */
extern uint64_t uk__netfront_boot_ns __attribute__((weak));

/*
 * The backend's life after the handshake: netfront watches its state.
 * When it leaves Connected (Closing, Closed, or its node removed, e.g.
 * `xl network-detach`), the device tears down: frames in flight are
 * dropped, sends fail with UK_ESTALE, our state goes to Closed and one
 * line is logged.  The pages stay granted.  When a backend for the same
 * vif reaches InitWait again (`xl network-attach`, or netback
 * restarting), the rings are re-initialised and offered again and, once it
 * is Connected, frames flow: the uk_network object and its listener stay
 * the same throughout.
 *
 * Connects vif `index` (device/vif/<index> in xenstore): reads the backend
 * and MAC, grants the rings and buffers, runs the XenbusState handshake
 * (waiting at most 10 s for the backend) and posts the receive buffers.
 * nf is caller-owned storage that must outlive the device.  Returns 0,
 * UK_ENODEV (no such vif), UK_ENOMEM, UK_ETIMEDOUT (the backend never
 * connected), UK_EPROTO (bad xenstore data) or UK_EIO.  Logs why on
 * failure.
 */
int uk__netfront_open(struct uk__netfront *nf, unsigned index);

/* Between netfront.c (the rings, the NETWORK methods) and netfront_bus.c
 * (the xenstore handshake and the backend watch): */
/* Clears nf and makes it a NETWORK object. */
void uk__netfront_init(struct uk__netfront *nf);
/* Places the TX and RX rings in rings[0..2) and the slots in
 * slots[0..UK__NF_TX + UK__NF_RX) (pages, page-aligned, BORROWED for the
 * device's life) and marks every slot free. */
void uk__netfront_layout(struct uk__netfront *nf, uint8_t *rings,
                         uint8_t *slots);
/* Empties the rings and indices (SHARED_RING_INIT), for a new backend. */
void uk__netfront_ring_reset(struct uk__netfront *nf);
/* Connected: posts every RX page the listener does not hold, asks for
 * events, notifies the backend. */
void uk__netfront_start(struct uk__netfront *nf);
/* The event-channel callback: TX completions and received frames. */
void uk__netfront_event(void *arg, uint32_t port);

/*
 * For tests of the ring code on a host (a fake backend): sets nf up over
 * pages (2 + UK__NF_TX + UK__NF_RX page-aligned pages: TX ring, RX ring,
 * then the slots) as if the handshake had succeeded, with grant references
 * equal to slot numbers, and posts the RX pages.  uk__netfront_poll then
 * processes whatever responses the fake backend wrote, as the event-channel
 * callback does.
 */
void uk__netfront_attach(struct uk__netfront *nf, void *pages);
void uk__netfront_poll(struct uk__netfront *nf);
/* For the same tests: the backend went away (teardown as above), and it
 * came back (rings re-initialised, RX pages not held by the listener
 * posted again, as on reconnection). */
void uk__netfront_backend_gone(struct uk__netfront *nf);
void uk__netfront_backend_back(struct uk__netfront *nf);

#endif
