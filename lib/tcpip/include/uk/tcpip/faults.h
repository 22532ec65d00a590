/*
 * uk/tcpip/faults.h - a fault-injection shim: a NETWORK wrapping another
 * NETWORK, dropping, duplicating, reordering, delaying and corrupting
 * frames in both directions (what the upper layer sends, and what the
 * lower device receives), from a seeded generator so a run replays exactly.
 *
 * Each fault is a probability in parts per million, drawn per frame in this
 * order: drop (the frame vanishes; send still returns 0, as on a wire);
 * corrupt (one random bit of the frame flipped); duplicate (a copy follows
 * the frame on a later loop turn); delay (the frame is held for a random
 * time up to delay_ns); reorder (the frame is held for reorder_ns, so the
 * frames sent meanwhile overtake it).  Held copies live in
 * UK_FAULTS_SLOTS slots of UK_FAULTS_FRAME_SIZE bytes in the struct; when
 * none is free (or the frame is larger) the frame passes unharmed and
 * no_slot counts it.
 *
 * Segmentation offload: the shim offers the lower device's tso_max (up to
 * UK_FAULTS_RUN_SIZE), and rolls the faults per wire segment of a
 * super-segment, as on the wire of a segmenting NIC.  With drop the only
 * fault configured, a super-segment none of whose segments is dropped
 * passes whole; otherwise each run of surviving segments goes on as a
 * frame of its own (a smaller super-segment, or a plain frame for a run of
 * one).  With any other fault configured every segment becomes a plain
 * frame of its own and meets the faults alone.  The stats count wire
 * frames (segments), not super-segments.
 *
 * Everything else (alloc, mac, mtu, stats) is the lower device's.
 * Disconnecting the shim releases held frames and then disconnects the
 * lower device: the shim stands in for it.
 */
#ifndef UK_TCPIP_FAULTS_H
#define UK_TCPIP_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/buf.h>
#include <uk/network.h>
#include <uk/prng.h>
#include <uk/time.h>

#ifndef UK_FAULTS_SLOTS
#define UK_FAULTS_SLOTS 32
#endif
#define UK_FAULTS_FRAME_SIZE 1536
#define UK_FAULTS_ONE 1000000u /* probability 1, in parts per million */
#define UK_FAULTS_RUN_SIZE (UK_ETH_HLEN + 65535) /* largest run frame */

struct uk_faults_config {
    uint32_t drop, corrupt, duplicate, delay, reorder; /* per million */
    uint64_t delay_ns;   /* longest delay (default 10 ms when 0) */
    uint64_t reorder_ns; /* how long a reordered frame waits (1 ms if 0) */
    uint64_t seed;
};

/*
 * Parses a fault specification such as
 *   "drop=10%,dup=1%,reorder=2%,delay=5%,delay_ms=20,corrupt=0.5%,seed=7"
 * (s, n BORROWED; keys in any order, each at most once; percentages with
 * up to 4 decimals; missing keys are 0) into out.  Returns 0, or
 * UK_EINVAL for anything else (out untouched).
 */
int uk_faults_parse(const char *s, size_t n, struct uk_faults_config *out);

struct uk_faults_stats {
    uint64_t frames[2]; /* [0]: sent by the upper layer, [1]: received */
    uint64_t dropped[2], corrupted[2], duplicated[2], delayed[2];
    uint64_t reordered[2], no_slot[2];
};

struct uk_faults;

struct uk_faults_slot {
    struct uk_faults *f;
    int dir; /* 0 transmit, 1 receive */
    bool busy;
    struct uk_buf buf;
    struct uk_timer timer;
    uint8_t data[UK_FAULTS_FRAME_SIZE];
};

struct uk_faults {
    struct uk_network base; /* implements NETWORK: pass &f->base */
    struct uk_network *lower;
    struct uk_time *time;
    struct uk_prng prng;
    struct uk_faults_config cfg;
    uk_network_rx_cb cb;
    void *cb_arg;
    struct uk_faults_stats stats;
    struct uk_faults_slot slots[UK_FAULTS_SLOTS];
    bool run_busy; /* run_buf lent to the lower device */
    struct uk_buf run_buf;
    uint8_t run[UK_FAULTS_RUN_SIZE]; /* a run of surviving segments */
};

/*
 * Initialises f over lower (BORROWED; f becomes its listener) with cfg
 * (BORROWED: copied).  time (BORROWED) schedules held frames.  Returns 0,
 * or the error of uk_network_listen.
 */
int uk_faults_init(struct uk_faults *f, struct uk_network *lower,
                   struct uk_time *time, const struct uk_faults_config *cfg);

/* Slots currently holding a frame (0 once everything was delivered). */
size_t uk_faults_busy(const struct uk_faults *f);

#endif
