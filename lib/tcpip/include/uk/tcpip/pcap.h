/*
 * uk/tcpip/pcap.h - a capture shim: a NETWORK wrapping another NETWORK
 * that records every frame sent and received, in the classic libpcap file
 * format (LINKTYPE_ETHERNET, microsecond timestamps from the wall clock,
 * little-endian), through a caller-supplied sink (no files here: the target
 * writes to a file, a test to memory).
 *
 * The sink is called with consecutive pieces of the capture: first the
 * 24-byte file header (at init), then for each frame a 16-byte record
 * header followed by the frame's first `snaplen` bytes (maybe in several
 * pieces).  A sink error is counted (errors) and capture goes on; frames
 * always pass through unchanged.
 *
 * Everything else (alloc, mac, mtu, stats) is the lower device's.  The
 * shim offers no segmentation offload (tso_max) even over a device that
 * has it, so the capture shows the frames of the wire, each summed.
 * Disconnecting the shim disconnects the lower device: it stands in for it.
 */
#ifndef UK_TCPIP_PCAP_H
#define UK_TCPIP_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include <uk/clock.h>
#include <uk/network.h>

#define UK_PCAP_MAGIC 0xa1b2c3d4u
#define UK_PCAP_LINKTYPE_ETHERNET 1
#define UK_PCAP_FILE_HLEN 24
#define UK_PCAP_REC_HLEN 16

/* Writes data[0..len) (BORROWED) to the capture; 0 or a UK_E* code. */
typedef int (*uk_pcap_sink_fn)(void *arg, const void *data, size_t len);

struct uk_pcap {
    struct uk_network base; /* implements NETWORK: pass &p->base */
    struct uk_network *lower;
    struct uk_clock *clock;
    uk_pcap_sink_fn sink;
    void *sink_arg;
    uint32_t snaplen;
    uk_network_rx_cb cb;
    void *cb_arg;
    uint64_t records; /* frames captured */
    uint64_t errors;  /* sink failures */
};

/*
 * Initialises p over lower (BORROWED; p becomes its listener), timestamping
 * with clock's wall time (BORROWED), writing through sink(sink_arg, ...).
 * snaplen 0 means 65535.  Writes the file header; returns 0, the sink's
 * error (p is still usable), or the error of uk_network_listen.
 */
int uk_pcap_init(struct uk_pcap *p, struct uk_network *lower,
                 struct uk_clock *clock, uk_pcap_sink_fn sink,
                 void *sink_arg, uint32_t snaplen);

#endif
