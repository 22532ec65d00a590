/*
 * hcall.c - typed wrappers around the architecture's raw hypercall.
 */
#include "xen.h"

long uk__xen_hvm_get_param(uint32_t index, uint64_t *value)
{
    struct uk_xen_hvm_param p = {UK_XEN_DOMID_SELF, 0, index, 0};
    long rc = uk__xen_hypercall(UK_XEN_HC_HVM_OP, UK_XEN_HVMOP_GET_PARAM,
                                (unsigned long)&p, 0);
    if (rc == 0)
        *value = p.value;
    return rc;
}

long uk__xen_hvm_set_param(uint32_t index, uint64_t value)
{
    struct uk_xen_hvm_param p = {UK_XEN_DOMID_SELF, 0, index, value};
    return uk__xen_hypercall(UK_XEN_HC_HVM_OP, UK_XEN_HVMOP_SET_PARAM,
                             (unsigned long)&p, 0);
}

long uk__xen_sched_shutdown(uint32_t reason)
{
    struct uk_xen_sched_shutdown s = {reason};
    return uk__xen_hypercall(UK_XEN_HC_SCHED_OP, UK_XEN_SCHEDOP_SHUTDOWN,
                             (unsigned long)&s, 0);
}

long uk__xen_evtchn_op(unsigned cmd, void *arg)
{
    return uk__xen_hypercall(UK_XEN_HC_EVENT_CHANNEL_OP, cmd,
                             (unsigned long)arg, 0);
}

long uk__xen_vcpu_op(unsigned cmd, unsigned vcpu, void *arg)
{
    return uk__xen_hypercall(UK_XEN_HC_VCPU_OP, cmd, vcpu,
                             (unsigned long)arg);
}
