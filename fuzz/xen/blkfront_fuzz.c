/*
 * blkfront_fuzz.c - libFuzzer target: the input is a sequence of guest
 * reads and writes and backend actions (taking requests, answering them
 * with any status and in any order, forging responses with arbitrary ids
 * and operations, publishing runaway indices, going away), played against
 * blkfront.c on the host by tests/xen/blkfront_harness.c, which aborts on
 * a malformed request, a slot or page lost or freed twice, or a request
 * completed twice or never.  The first byte picks the geometry.  Seeds:
 * fuzz/xen/seeds/blk_*.
 */
#include <stddef.h>
#include <stdint.h>

#include "blkfront_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t g = size > 0 ? data[0] : 0;
    if (bfh_setup(g & 1 ? 4096 : 512, g & 2 ? 32 : 0, (g & 4) != 0, false) !=
        0)
        return 0;
    if (size > 0)
        bfh_run_bytes(data + 1, size - 1);
    bfh_teardown();
    return 0;
}
