/* libFuzzer target: untrusted keys against the embedded KV_RO store
 * (keys_check.c).  Run: ./fuzz_kv_keys <dir> fuzz/kv/seeds */
#include <stdint.h>
#include <stdlib.h>

#include "keys_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (kv_keys_check_one(data, n) != 0)
        abort();
    return 0;
}
