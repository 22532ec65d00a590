/* libFuzzer target: a uk_kvstore opened on untrusted device images
 * (image_check.c).  Run: ./fuzz_store_image <dir> fuzz/store/seeds */
#include <stdint.h>
#include <stdlib.h>

#include "image_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (store_image_check(data, n) != 0)
        abort();
    return 0;
}
