/*
 * uk/tcpip/wire.h - a loopback Ethernet wire: two NETWORK endpoints in one
 * process, joined through the event loop.  For tests (two stacks talking)
 * and any target's self-tests; portable.
 *
 * A frame sent on one end is delivered to the other end's listener on a
 * later loop turn (uk_time_defer), never inside send, in the order sent.
 * Each end has a pool of UK_WIRE_FRAMES buffers of UK_WIRE_FRAME_SIZE
 * bytes, in the struct: alloc takes from it, and a frame in flight (or
 * being handled by the receiver) holds one until the receiver frees it, so
 * a test can check that every buffer came back
 * (uk_wire_end_available(w, i) == UK_WIRE_FRAMES).  Frames sent in other
 * buffers are copied into the pool.  With no listener on the far end the
 * frame is dropped (the far end's rx_dropped).  MTU is UK_WIRE_MTU.
 */
#ifndef UK_TCPIP_WIRE_H
#define UK_TCPIP_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/buf.h>
#include <uk/network.h>
#include <uk/time.h>

#ifndef UK_WIRE_FRAMES
#define UK_WIRE_FRAMES 64
#endif
#define UK_WIRE_MTU 1500
#define UK_WIRE_FRAME_SIZE 1536 /* >= UK_WIRE_MTU + UK_ETH_HLEN */

struct uk_wire;

struct uk_wire_end {
    struct uk_network base; /* implements NETWORK: pass &end->base */
    struct uk_wire *wire;
    struct uk_wire_end *peer;
    struct uk_mac mac;
    char name[8];
    uk_network_rx_cb cb;
    void *cb_arg;
    bool connected;
    struct uk_bufq inflight; /* sent by this end, not yet delivered */
    struct uk_timer deliver_timer;
    struct uk_timer done_timer;
    struct uk_network_stats stats;
    struct uk_bufpool pool;
    struct uk_buf descs[UK_WIRE_FRAMES];
    uint8_t mem[UK_WIRE_FRAMES][UK_WIRE_FRAME_SIZE];
};

struct uk_wire {
    struct uk_wire_end end[2];
    struct uk_time *time;
};

/* Initialises w: end 0 ("wire0") has MAC mac0, end 1 ("wire1") mac1 (both
 * BORROWED: copied).  time (BORROWED) schedules delivery. */
void uk_wire_init(struct uk_wire *w, struct uk_time *time,
                  const struct uk_mac *mac0, const struct uk_mac *mac1);

/* End i (0 or 1) as a NETWORK; owned by w. */
static inline struct uk_network *uk_wire_network(struct uk_wire *w, int i)
{
    return &w->end[i].base;
}

/* Free buffers in end i's pool. */
static inline size_t uk_wire_end_available(const struct uk_wire *w, int i)
{
    return w->end[i].pool.available;
}

#endif
