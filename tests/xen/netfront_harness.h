/*
 * netfront_harness.h - netfront.c on the host against a fake backend
 * (netfront_harness.c), shared by xen_netfront_test and the fuzz target.
 */
#ifndef NETFRONT_HARNESS_H
#define NETFRONT_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "netfront.h"
#include "xen_fakes.h"

#define HOLD_MAX UK__NF_RX

extern struct uk__netfront nf;      /* the device under test */
extern struct uk_buf *held[HOLD_MAX]; /* frames the listener kept */
extern int nheld, delivered;
extern bool hold_frames;            /* keep frames instead of freeing */

/* Attaches nf to fresh pages with the checking listener. */
void nfh_setup(void);
/* Frees held frames and the pages. */
void nfh_teardown(void);
/* Writes the RX response at ring index idx, as a backend would. */
void nfh_rx_respond(uint32_t idx, uint16_t id, uint16_t off, uint16_t flags,
                    int16_t status);
/* RX slots currently posted to the backend. */
unsigned nfh_rx_in_flight(void);
/* Plays bytes as a sequence of backend writes and guest sends (the fuzz
 * input format); aborts if netfront breaks an invariant. */
#include <stddef.h>
void nfh_run_bytes(const uint8_t *data, size_t size);

#endif
