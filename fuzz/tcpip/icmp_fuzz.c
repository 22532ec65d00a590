/*
 * icmp_fuzz.c - libFuzzer target: ICMP input paths of the direct stack,
 * through a whole stack (fuzz/tcpip/harness.h describes the input).
 * Seeds: fuzz/tcpip/corpus/icmp/.
 */
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return tcpip_fuzz_run(TCPIP_FUZZ_ICMP, data, size);
}
