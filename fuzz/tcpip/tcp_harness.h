/*
 * tcp_harness.h - the direct TCP's fuzz harness, shared by the libFuzzer
 * target (tcp_fuzz.c) and the cmocka replay test (tests/tcpip/
 * test_tcp_fuzz.c, which includes tcp_harness.c).
 *
 * Each input runs against a fresh TCP layer (10.0.0.1) over a fake IPv4
 * that discards what it sends, with a listener on port 80 whose accepted
 * flows echo and sometimes close or abort, and one connection opening to
 * 10.0.0.2:81 from an ephemeral port.  The input is a sequence of records:
 *
 *   ctl (1 byte)   bit 0: fix the checksum up; bit 1: destination port 80;
 *                  bit 2: from port 81 to the connecting flow's port;
 *                  bit 3: answer the last segment we sent (ports swapped,
 *                  seq = its ack, ack = its end); bits 4-5: source
 *                  address (0: 10.0.0.2, else 10.0.0.2+n); bits 6-7:
 *                  virtual time after the record (0, 10 ms, 300 ms, 5 s)
 *   length (2 bytes, big-endian; clipped to what is left)
 *   bytes          the TCP segment (header and payload)
 *
 * Afterwards the layer is disconnected and the loop drained; the harness
 * aborts on a leaked buffer, a callback run twice or a connection left.
 */
#ifndef TCP_FUZZ_HARNESS_H
#define TCP_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input (BORROWED); returns 0 (problems abort). */
int tcp_fuzz_run(const uint8_t *data, size_t size);

#endif
