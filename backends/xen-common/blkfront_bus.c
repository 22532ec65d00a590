/*
 * blkfront_bus.c - blkfront's control side: the XenbusState handshake with
 * blkback through xenstore (backend path and id; grants; event channel;
 * ring reference, protocol and features in one transaction; then the
 * disk's geometry and features from the backend), and the watch that
 * fails requests once the backend leaves Connected (blkfront.h).  The
 * ring is blkfront.c's.
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

#include "blkfront.h"
#include "grant.h"
#include "pages.h"
#include "xen.h"
#include "xenbus.h"
#include "xenstore.h"

#define SETUP_NS (30 * UK_NS_PER_S) /* dom0 under emulation is slow */

static int fail(struct uk__blkfront *d, const char *what, int rc)
{
    uk_console_printf(uk_default_console(), "xen: %s: %s: %s", d->id, what,
                      uk_strerror(rc));
    return rc;
}

static int grant_pages(struct uk__blkfront *d)
{
    uint8_t *pages = uk__xen_pages_alloc(UK__BF_PAGES);
    unsigned i;
    int rc;
    if (pages == NULL)
        return UK_ENOMEM;
    uk__blkfront_layout(d, pages);
    if ((rc = uk__gnt_grant(d->be_id, (uintptr_t)pages >> 12, false,
                            &d->ring_ref)) != 0)
        return rc;
    for (i = 0; i < UK__BF_DATA && rc == 0; i++)
        rc = uk__gnt_grant(d->be_id, ((uintptr_t)d->data >> 12) + i, false,
                           &d->data_gref[i]);
    /* Writable although the backend only reads them: with persistent
     * grants blkback maps every page read-write. */
    for (i = 0; i < UK__BF_SLOTS && rc == 0; i++)
        rc = uk__gnt_grant(d->be_id, ((uintptr_t)d->ind >> 12) + i, false,
                           &d->ind_gref[i]);
    return rc;
}

/* Watch on the backend's node: leaving Connected (or the node going)
 * fails what is pending; there is no reconnection. */
static void on_watch(void *arg, const char *path, const char *token)
{
    struct uk__blkfront *d = arg;
    char buf[16];
    int st;
    UK_UNUSED(path);
    UK_UNUSED(token);
    if (!d->open || !d->up)
        return;
    st = uk__xenbus_state(d->be);
    /* Unreadable is not gone: only a removed node or another state. */
    if (st < 0 &&
        uk__xenbus_read(d->be, "state", buf, sizeof buf) != UK_ENOENT)
        return;
    if (st == UK_XEN_BUS_CONNECTED)
        return;
    uk__blkfront_backend_gone(d);
    uk_console_printf(uk_default_console(),
                      "xen: %s: backend %s; requests fail from now on", d->id,
                      st < 0 ? "removed" : "closed");
}

/* Our ring, event channel and features, and state Initialised. */
static int publish(struct uk__blkfront *d)
{
    char ring[12], ev[12];
    const struct uk__xenbus_kv kv[] = {{"ring-ref", ring},
                                       {"event-channel", ev},
                                       {"protocol", UK_XEN_BLKIF_PROTOCOL},
                                       /* Our data pages never change: the
                                        * backend may keep them mapped. */
                                       {"feature-persistent", "1"},
                                       {"state", "3"}};
    snprintf(ring, sizeof ring, "%u", (unsigned)d->ring_ref);
    snprintf(ev, sizeof ev, "%u", (unsigned)d->port);
    return uk__xenbus_publish(d->fe, kv, sizeof kv / sizeof kv[0]);
}

/* A key of the backend's that may be absent (then def). */
static int be_uint(struct uk__blkfront *d, const char *key, unsigned long max,
                   unsigned long def, unsigned long *out)
{
    int rc = uk__xenbus_read_uint(d->be, key, max, out);
    if (rc == UK_ENOENT) {
        *out = def;
        return 0;
    }
    return rc;
}

/* The disk, once the backend is Connected. */
static int read_disk(struct uk__blkfront *d)
{
    char buf[24];
    unsigned long ss, info, ind, fl, bar, lo;
    uint64_t sectors = 0;
    const char *p;
    int rc;
    /* sectors may exceed unsigned long on arm32: parse as 64 bits. */
    if ((rc = uk__xenbus_read(d->be, "sectors", buf, sizeof buf)) != 0)
        return rc == UK_EMSGSIZE ? UK_EPROTO : rc;
    for (p = buf; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || sectors > (UINT64_MAX - 9) / 10)
            return UK_EPROTO;
        sectors = sectors * 10 + (uint64_t)(*p - '0');
    }
    if (p == buf)
        return UK_EPROTO;
    if ((rc = be_uint(d, "sector-size", 1ul << 20, 512, &ss)) != 0 ||
        (rc = be_uint(d, "info", 0xfffffffful, 0, &info)) != 0 ||
        (rc = be_uint(d, "feature-max-indirect-segments", 0xfffffffful, 0,
                      &ind)) != 0 ||
        (rc = be_uint(d, "feature-flush-cache", 1, 0, &fl)) != 0 ||
        (rc = be_uint(d, "feature-barrier", 1, 0, &bar)) != 0)
        return rc;
    if ((rc = uk__blkfront_geometry(d, sectors, ss, info, ind)) != 0)
        return rc;
    d->flush = fl != 0;
    d->barrier = bar != 0;
    lo = (unsigned long)(d->info.sectors * d->info.sector_size >> 20);
    uk_console_printf(uk_default_console(),
                      "xen: %s: %lu MiB, %u-byte sectors, %s, %s, %u "
                      "segments per request",
                      d->id, lo, (unsigned)d->info.sector_size,
                      d->info.read_only ? "read-only" : "read-write",
                      d->flush     ? "flush"
                      : d->barrier ? "barrier"
                                   : "no cache flush",
                      d->seg_max);
    return 0;
}

int uk__blkfront_open(struct uk__blkfront *d, uint32_t vdev, const char *id)
{
    char path[64];
    int rc;
    uk__blkfront_init(d);
    snprintf(d->id, sizeof d->id, "%s", id);
    snprintf(d->fe, sizeof d->fe, "device/vbd/%lu", (unsigned long)vdev);
    d->vdev = vdev;
    if ((rc = uk__xs_init()) != 0)
        return fail(d, "xenstore", rc);
    if ((rc = uk__xenbus_backend(d->fe, d->be, sizeof d->be, &d->be_id)) !=
        0)
        return rc == UK_ENODEV ? rc : fail(d, "backend", rc);
    if ((rc = uk__gnt_init(4)) != 0 || (rc = grant_pages(d)) != 0)
        return fail(d, "granting buffers", rc);
    if ((rc = uk__xenbus_channel(d->be_id, uk__blkfront_event, d, &d->port)) != 0)
        return fail(d, "event channel", rc);
    snprintf(d->watch, sizeof d->watch, "%s", d->be);
    if ((rc = uk__xs_watch(d->watch, d->id, on_watch, d)) != 0)
        return fail(d, "watching the backend", rc);
    rc = uk__xenbus_wait(d->be, UK_XEN_BUS_INIT_WAIT,
                         uk__xen_system_ns() + SETUP_NS);
    if (rc == 0)
        rc = publish(d);
    if (rc == 0)
        rc = uk__xenbus_wait(d->be, UK_XEN_BUS_CONNECTED,
                             uk__xen_system_ns() + SETUP_NS);
    if (rc == 0 && (rc = read_disk(d)) != 0) {
        (void)uk__xs_unwatch(d->watch, d->id);
        return fail(d, "reading the disk's size and features", rc);
    }
    snprintf(path, sizeof path, "%s/state", d->fe);
    if (rc == 0)
        rc = uk__xs_write(0, path, "4"); /* Connected */
    if (rc != 0) {
        (void)uk__xs_unwatch(d->watch, d->id);
        return fail(d, "connecting to the backend", rc);
    }
    d->open = true;
    uk__blkfront_start(d);
    return 0;
}
