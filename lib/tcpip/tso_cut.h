/*
 * tso_cut.h - a TCP/IPv4 super-segment (uk/network.h tso_max) seen as the
 * train of wire segments a segmenting device makes of it, and any run of
 * consecutive segments of that train rebuilt as one frame of its own: a
 * smaller super-segment (two segments or more), or a plain frame summed
 * whole (one segment).  The fault shim uses it to drop single wire
 * segments of an offloaded frame (internal).
 */
#ifndef UK_TCPIP_TSO_CUT_H
#define UK_TCPIP_TSO_CUT_H

#include <stddef.h>
#include <stdint.h>

struct uk__tso_train {
    const uint8_t *f; /* the super-segment, Ethernet header first */
    size_t ihl;       /* its IPv4 header length */
    size_t thl;       /* its TCP header length */
    size_t hl;        /* Ethernet + IPv4 + TCP header bytes */
    size_t pay;       /* TCP payload bytes */
    size_t mss;       /* payload bytes per segment (the last maybe fewer) */
    size_t nseg;      /* segments on the wire */
};

/*
 * Describes frame f (n bytes, BORROWED for as long as t is used) handed to
 * a device with tso_mss mss.  Returns 0, or UK_EINVAL when f is not one
 * TCP/IPv4 packet of n - 14 bytes (IP total length) with more than mss
 * payload bytes.
 */
int uk__tso_train(struct uk__tso_train *t, const uint8_t *f, size_t n,
                  size_t mss);

/* The length of the frame carrying segments [first, first + count) of t
 * (first < t->nseg; count is cut at the end of the train). */
size_t uk__tso_run_len(const struct uk__tso_train *t, size_t first,
                       size_t count);

/*
 * Writes segments [first, first + count) of t as one frame at out (room for
 * uk__tso_run_len bytes), as the stack would have built it: IPv4 total
 * length, identifier (the original's plus first) and header checksum of
 * its own; TCP sequence number of segment first; FIN and PSH only if the
 * run ends the train, CWR only if it starts it.  Returns the frame's
 * tso_mss: t->mss when it holds more than one segment (its TCP checksum
 * field then holds the pseudo-header sum over its TCP length), else 0 (a
 * plain frame with its full TCP checksum).
 */
uint16_t uk__tso_run(const struct uk__tso_train *t, size_t first,
                     size_t count, uint8_t *out);

#endif
