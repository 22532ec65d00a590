/*
 * tcp_fuzz.c - libFuzzer target: segments into the direct TCP (see
 * tcp_harness.h for the input format).
 *   build-fuzz/fuzz/tcpip/tcp_fuzz -max_total_time=60 fuzz/tcpip/corpus/tcp
 */
#include <stddef.h>
#include <stdint.h>

#include "tcp_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return tcp_fuzz_run(data, size);
}
