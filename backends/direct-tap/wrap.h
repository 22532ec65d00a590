/*
 * wrap.h - the optional wrappers around the tap target's device: the fault
 * shim (--faults) and the pcap writer (--pcap).
 */
#ifndef UK_DIRECT_TAP_WRAP_H
#define UK_DIRECT_TAP_WRAP_H

#include <uk/network.h>

/* Wraps *dev as the options ask, replacing *dev with the outermost
 * wrapper (the stack sees what the capture shows).  Returns 0 or an error
 * after logging it. */
int uk__tap_wrap(struct uk_network **dev);

#endif
