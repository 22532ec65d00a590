/*
 * evtchn.c - event channels, 2-level ABI: binding ports to callbacks,
 * notification, and the scan of shared_info's pending bits.
 *
 * Events are handled only in the event loop's poller, never in interrupt
 * context: the architecture's upcall merely wakes the vCPU (it clears
 * evtchn_upcall_pending), and uk__xen_evtchn_dispatch then reads and clears
 * evtchn_pending_sel and the pending words and calls the bound callbacks.
 */
#include <uk/err.h>

#include "xen.h"

/* Ports we route; Xen hands out small numbers first, so this is plenty
 * for the console, xenstore, the timer and a few network devices. */
#define MAX_PORTS 256

static struct {
    uk__xen_evtchn_cb cb;
    void *arg;
} handlers[MAX_PORTS];

int uk__xen_evtchn_bind(uint32_t port, uk__xen_evtchn_cb cb, void *arg)
{
    struct uk_xen_evtchn_port u = {port};
    if (port == 0 || port >= MAX_PORTS)
        return UK_EINVAL;
    handlers[port].cb = cb;
    handlers[port].arg = arg;
    if (uk__xen_evtchn_op(UK_XEN_EVTCHNOP_UNMASK, &u) != 0)
        return UK_EIO;
    return 0;
}

int uk__xen_evtchn_bind_virq(uint32_t virq, uint32_t *port)
{
    struct uk_xen_evtchn_bind_virq b = {virq, 0, 0};
    if (uk__xen_evtchn_op(UK_XEN_EVTCHNOP_BIND_VIRQ, &b) != 0)
        return UK_EIO;
    *port = b.port;
    return 0;
}

void uk__xen_evtchn_notify(uint32_t port)
{
    struct uk_xen_evtchn_port s = {port};
    (void)uk__xen_evtchn_op(UK_XEN_EVTCHNOP_SEND, &s);
}

int uk__xen_evtchn_dispatch(void)
{
    struct uk_xen_vcpu_info *v = &uk__xen_shared->vcpu_info[0];
    uint64_t sel;
    int fired = 0;
    sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_ACQ_REL);
    while (sel != 0) {
        unsigned w = (unsigned)__builtin_ctzll(sel);
        uint64_t bits;
        sel &= sel - 1;
        bits = __atomic_load_n(&uk__xen_shared->evtchn_pending[w],
                               __ATOMIC_ACQUIRE) &
               ~__atomic_load_n(&uk__xen_shared->evtchn_mask[w],
                                __ATOMIC_RELAXED);
        while (bits != 0) {
            unsigned b = (unsigned)__builtin_ctzll(bits);
            uint32_t port = w * 64 + b;
            bits &= bits - 1;
            __atomic_and_fetch(&uk__xen_shared->evtchn_pending[w],
                               ~(1ull << b), __ATOMIC_ACQ_REL);
            fired++;
            if (port < MAX_PORTS && handlers[port].cb != NULL)
                handlers[port].cb(handlers[port].arg, port);
        }
    }
    return fired;
}
