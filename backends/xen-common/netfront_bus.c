/*
 * netfront_bus.c - netfront's control side: the XenbusState handshake with
 * the backend through xenstore (backend path, id and MAC; grants; event
 * channel; ring references and features in one transaction), and the
 * watch that follows the backend afterwards: leaving Connected tears the
 * rings down, a backend in InitWait again gets them re-offered
 * (netfront.h).  The rings themselves are netfront.c's.
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

#include "grant.h"
#include "netfront.h"
#include "pages.h"
#include "xen.h"
#include "xenbus.h"
#include "xenstore.h"

#define SETUP_NS (10 * UK_NS_PER_S)

static int fail(struct uk__netfront *d, const char *what, int rc)
{
    uk_console_printf(uk_default_console(), "xen: %s: %s: %s", d->id, what,
                      uk_strerror(rc));
    return rc;
}

/* The backend's state, or -1 when unreadable. */
static int be_state(struct uk__netfront *d)
{
    return uk__xenbus_state(d->be);
}

/* Waits until the backend reaches at least `want` (watch on its state). */
static int wait_backend(struct uk__netfront *d, int want)
{
    return uk__xenbus_wait(d->be, want, uk__xen_system_ns() + SETUP_NS);
}

/* The rings (two pages) and the slots (a power of two of pages, so the
 * budget's buddy blocks fit them exactly) come from the memory budget and
 * stay the device's. */
static int grant_pages(struct uk__netfront *d)
{
    uint8_t *rings = uk__xen_pages_alloc(2);
    uint8_t *slots = uk__xen_pages_alloc(UK__NF_TX + UK__NF_RX);
    unsigned i;
    int rc;
    if (rings == NULL || slots == NULL) {
        uk__xen_pages_free(rings, 2);
        uk__xen_pages_free(slots, UK__NF_TX + UK__NF_RX);
        return UK_ENOMEM;
    }
    uk__netfront_layout(d, rings, slots);
    if ((rc = uk__gnt_grant(d->be_id, (uintptr_t)d->tx >> 12, false,
                            &d->tx_ref)) != 0 ||
        (rc = uk__gnt_grant(d->be_id, (uintptr_t)d->rx >> 12, false,
                            &d->rx_ref)) != 0)
        return rc;
    for (i = 0; i < UK__NF_TX + UK__NF_RX; i++) {
        bool is_tx = i < UK__NF_TX;
        struct uk__nf_slot *s = is_tx ? &d->txs[i] : &d->rxs[i - UK__NF_TX];
        rc = uk__gnt_grant(d->be_id, (uintptr_t)s->page >> 12, is_tx,
                           &s->gref);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The backend left Connected: tear down, and say Closed unless the
 * toolstack already removed our node (writing would re-create it). */
static void teardown(struct uk__netfront *d, int st)
{
    char buf[8], path[64];
    uk__netfront_backend_gone(d);
    if (uk__xenbus_read(d->fe, "backend-id", buf, sizeof buf) == 0) {
        snprintf(path, sizeof path, "%s/state", d->fe);
        (void)uk__xs_write(0, path, "6");
    }
    uk_console_printf(uk_default_console(),
                      "xen: %s: backend %s; waiting for it to come back",
                      d->id, st < 0 ? "removed" : "closed");
}

static int publish(struct uk__netfront *d);
static void on_watch(void *arg, const char *path, const char *token);

/* A backend for our vif is in InitWait again: offer fresh rings. */
static void reconnect(struct uk__netfront *d)
{
    char be[sizeof d->be], buf[16], path[64];
    unsigned long id;
    int rc;
    if (uk__xenbus_read(d->fe, "backend", be, sizeof be) != 0)
        return;
    if (strcmp(be, d->be) != 0) {
        /* Moved: follow the new node (its watch fires at once). */
        (void)uk__xs_unwatch(d->watch, d->id);
        memcpy(d->be, be, sizeof be);
        snprintf(d->watch, sizeof d->watch, "%s", d->be);
        if (uk__xs_watch(d->watch, d->id, on_watch, d) != 0)
            uk_console_printf(uk_default_console(),
                              "xen: %s: cannot watch %s", d->id, d->be);
        return;
    }
    if (uk__xenbus_read(d->fe, "backend-id", buf, sizeof buf) != 0 ||
        uk__xenbus_uint(buf, 0x7fef, &id) != 0)
        return;
    if (id != d->be_id) {
        uk_console_printf(uk_default_console(),
                          "xen: %s: backend moved to domain %s; our pages "
                          "are granted to %u: not reconnecting",
                          d->id, buf, (unsigned)d->be_id);
        return;
    }
    uk__netfront_ring_reset(d);
    snprintf(path, sizeof path, "%s/state", d->fe);
    if ((rc = publish(d)) != 0 || (rc = uk__xs_write(0, path, "4")) != 0) {
        uk_console_printf(uk_default_console(), "xen: %s: reconnecting: %s",
                          d->id, uk_strerror(rc));
        return;
    }
    d->published = true;
}

/* Watch on the backend's node: every change of its state comes here. */
static void on_watch(void *arg, const char *path, const char *token)
{
    struct uk__netfront *d = arg;
    char buf[16];
    int st;
    UK_UNUSED(path);
    UK_UNUSED(token);
    if (!d->open)
        return;
    st = be_state(d);
    if (d->up) {
        /* Unreadable is not gone: only a removed node or a state other
         * than Connected tears down. */
        if (st < 0 && uk__xenbus_read(d->be, "state", buf, sizeof buf) != UK_ENOENT)
            return;
        if (st != UK_XEN_BUS_CONNECTED)
            teardown(d, st);
    } else if (d->published) {
        if (st == UK_XEN_BUS_CONNECTED) {
            d->published = false;
            uk__netfront_start(d);
            uk_console_printf(uk_default_console(),
                              "xen: %s: backend back, reconnected", d->id);
        } else if (st < 0 || st >= UK_XEN_BUS_CLOSING) {
            d->published = false;
        }
    } else if (st == UK_XEN_BUS_INIT_WAIT) {
        reconnect(d);
    }
}

/* Writes our ring references and features in one transaction. */
static int publish(struct uk__netfront *d)
{
    char tx[12], rx[12], ev[12];
    const struct uk__xenbus_kv kv[] = {
        {"tx-ring-ref", tx},          {"rx-ring-ref", rx},
        {"event-channel", ev},        {"request-rx-copy", "1"},
        {"feature-rx-notify", "1"},   {"feature-sg", "0"},
        {"feature-gso-tcpv4", "0"},   {"feature-no-csum-offload", "1"}};
    snprintf(tx, sizeof tx, "%u", (unsigned)d->tx_ref);
    snprintf(rx, sizeof rx, "%u", (unsigned)d->rx_ref);
    snprintf(ev, sizeof ev, "%u", (unsigned)d->port);
    return uk__xenbus_publish(d->fe, kv, sizeof kv / sizeof kv[0]);
}

int uk__netfront_open(struct uk__netfront *d, unsigned index)
{
    char buf[96], path[64];
    int rc;
    memset(d, 0, sizeof *d);
    uk__netfront_init(d);
    snprintf(d->id, sizeof d->id, "vif%u", index % 1000);
    snprintf(d->fe, sizeof d->fe, "device/vif/%u", index);
    if ((rc = uk__xs_init()) != 0)
        return fail(d, "xenstore", rc);
    if ((rc = uk__xenbus_backend(d->fe, d->be, sizeof d->be, &d->be_id)) !=
        0)
        return rc == UK_ENODEV ? rc : fail(d, "backend", rc);
    if ((rc = uk__xenbus_read(d->fe, "mac", buf, sizeof buf)) != 0 ||
        (rc = uk_mac_parse(buf, strlen(buf), &d->mac)) != 0)
        return fail(d, "mac", rc == UK_EINVAL ? UK_EPROTO : rc);
    if ((rc = uk__gnt_init(4)) != 0 || (rc = grant_pages(d)) != 0)
        return fail(d, "granting buffers", rc);
    if ((rc = uk__xenbus_channel(d->be_id, uk__netfront_event, d, &d->port)) != 0)
        return fail(d, "event channel", rc);
    /* The backend's whole node: its state, and its removal. */
    snprintf(d->watch, sizeof d->watch, "%s", d->be);
    if ((rc = uk__xs_watch(d->watch, d->id, on_watch, d)) != 0)
        return fail(d, "watching the backend", rc);
    rc = wait_backend(d, UK_XEN_BUS_INIT_WAIT);
    if (rc == 0)
        rc = publish(d);
    snprintf(path, sizeof path, "%s/state", d->fe);
    if (rc == 0)
        rc = uk__xs_write(0, path, "4"); /* Connected */
    if (rc == 0)
        rc = wait_backend(d, UK_XEN_BUS_CONNECTED);
    if (rc != 0) {
        (void)uk__xs_unwatch(d->watch, d->id);
        return fail(d, "connecting to the backend", rc);
    }
    d->open = true;
    uk__xen_sources_add(1);
    uk__netfront_start(d);
    return 0;
}
