/*
 * xenbus.c - the set-up steps front ends share (xenbus.h).
 */
#include <stdio.h>

#include <uk/err.h>

#include "xen.h"
#include "xenbus.h"
#include "xenstore.h"

int uk__xenbus_read(const char *base, const char *key, char *buf, size_t cap)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", base, key);
    return uk__xs_read(0, path, buf, cap, NULL);
}

int uk__xenbus_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (*s == '\0')
        return UK_EPROTO;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > (max - (unsigned long)(*s - '0')) / 10)
            return UK_EPROTO;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *out = v;
    return 0;
}

int uk__xenbus_read_uint(const char *base, const char *key, unsigned long max,
                         unsigned long *out)
{
    char buf[24];
    int rc = uk__xenbus_read(base, key, buf, sizeof buf);
    if (rc == UK_EMSGSIZE)
        return UK_EPROTO;
    return rc != 0 ? rc : uk__xenbus_uint(buf, max, out);
}

int uk__xenbus_state(const char *be)
{
    unsigned long v;
    if (uk__xenbus_read_uint(be, "state", 8, &v) != 0)
        return -1;
    return (int)v;
}

int uk__xenbus_wait(const char *be, int want, uint64_t deadline)
{
    int st;
    while ((st = uk__xenbus_state(be)) < want || st > UK_XEN_BUS_CONNECTED) {
        if (st > UK_XEN_BUS_CONNECTED)
            return UK_EIO; /* closing or closed */
        if (uk__xen_system_ns() >= deadline)
            return UK_ETIMEDOUT;
        uk__xs_wait(deadline);
    }
    return 0;
}

int uk__xenbus_backend(const char *fe, char *be, size_t cap,
                       uint16_t *be_id)
{
    char buf[16];
    unsigned long v;
    int rc;
    if ((rc = uk__xenbus_read(fe, "backend", be, cap)) != 0)
        return rc == UK_ENOENT ? UK_ENODEV : rc;
    if ((rc = uk__xenbus_read(fe, "backend-id", buf, sizeof buf)) != 0 ||
        (rc = uk__xenbus_uint(buf, 0x7fef, &v)) != 0)
        return rc == UK_EMSGSIZE ? UK_EPROTO : rc;
    *be_id = (uint16_t)v;
    return 0;
}

int uk__xenbus_channel(uint16_t be_id, uk__xen_evtchn_cb cb, void *arg,
                       uint32_t *port)
{
    struct uk_xen_evtchn_alloc_unbound ub;
    ub.dom = UK_XEN_DOMID_SELF;
    ub.remote_dom = be_id;
    ub.port = 0;
    if (uk__xen_evtchn_op(UK_XEN_EVTCHNOP_ALLOC_UNBOUND, &ub) != 0)
        return UK_EIO;
    *port = ub.port;
    return uk__xen_evtchn_bind(ub.port, cb, arg) != 0 ? UK_EIO : 0;
}

int uk__xenbus_publish(const char *base, const struct uk__xenbus_kv *kv,
                       size_t n)
{
    char path[160];
    int attempt, rc = 0;
    for (attempt = 0; attempt < 5; attempt++) {
        uint32_t tx;
        size_t k;
        if ((rc = uk__xs_tx_start(&tx)) != 0)
            return rc;
        for (k = 0; rc == 0 && k < n; k++) {
            snprintf(path, sizeof path, "%s/%s", base, kv[k].key);
            rc = uk__xs_write(tx, path, kv[k].value);
        }
        if (rc != 0) {
            (void)uk__xs_tx_end(tx, 0);
            return rc;
        }
        rc = uk__xs_tx_end(tx, 1);
        if (rc != UK_EAGAIN)
            return rc;
    }
    return rc;
}
