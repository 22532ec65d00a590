/*
 * harness.h - the direct stack's fuzz harness, shared by the libFuzzer
 * targets (NAME_fuzz.c) and the cmocka replay test (tests/tcpip).
 *
 * Each input is run through a freshly built stack (10.0.0.1/24 on MAC
 * 02:00:00:00:00:0a, a UDP echo listener on port 53, peer 10.0.0.2 at
 * 02:00:00:00:00:0b already in its ARP cache) over a fake network that
 * discards what the stack sends.  The input is a sequence of records:
 *
 *   flags (1 byte)  bit 0: fix the checksums up, so the bytes get past
 *                   them to the deeper parsers; bits 4-7: milliseconds of
 *                   virtual time to let pass after the record, times 64
 *   length (2 bytes, big-endian; clipped to what is left)
 *   bytes
 *
 * which `kind` wraps into a frame: TCPIP_FUZZ_ETH takes the bytes as a
 * whole Ethernet frame; ARP and IPV4 add an Ethernet header to us; ICMP and
 * UDP add Ethernet and IPv4 headers (fragmenting long payloads).  After the
 * last record the stack is disconnected and the loop drained; the harness
 * aborts if any frame buffer was not returned (a leak) or state is left
 * behind, so leaks are findings.
 */
#ifndef TCPIP_FUZZ_HARNESS_H
#define TCPIP_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

enum tcpip_fuzz_kind {
    TCPIP_FUZZ_ETH,
    TCPIP_FUZZ_ARP,
    TCPIP_FUZZ_IPV4,
    TCPIP_FUZZ_ICMP,
    TCPIP_FUZZ_UDP,
    TCPIP_FUZZ_KINDS
};

/* Runs one input (BORROWED); returns 0 (problems abort). */
int tcpip_fuzz_run(enum tcpip_fuzz_kind kind, const uint8_t *data,
                   size_t size);

/* The corpus directory name of a kind ("eth", "arp", ...). */
const char *tcpip_fuzz_name(enum tcpip_fuzz_kind kind);

#endif
