/*
 * netfront_fuzz.c - libFuzzer target: the input is a sequence of backend
 * writes (RX/TX responses with arbitrary ids, offsets, lengths, flags and
 * ring indices) and guest sends, played against netfront.c on the host by
 * tests/xen/netfront_harness.c, which aborts on a frame outside the RX
 * pages or a lost/double-freed slot.  Seeds: fuzz/xen/seeds.
 */
#include <stddef.h>
#include <stdint.h>

#include "netfront_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nfh_setup();
    nfh_run_bytes(data, size);
    nfh_teardown();
    return 0;
}
