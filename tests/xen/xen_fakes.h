/*
 * xen_fakes.h - what the portable Xen front ends (netfront.c, blkfront.c)
 * link against, faked for host tests and fuzz targets (xen_fakes.c):
 * event-channel notifies and event sources are counted, Xen time is 0,
 * xenstore writes succeed, the console discards, and TIME is a loop over
 * a fake clock that the test runs by hand.
 */
#ifndef XEN_FAKES_H
#define XEN_FAKES_H

#include <uk/loop.h>

extern int xf_notifies, xf_sources;
extern struct uk_loop xf_loop;

/* Resets the counters and the loop. */
void xf_init(void);
/* Runs every deferred call and due timer (device completions). */
void xf_run(void);

#endif
