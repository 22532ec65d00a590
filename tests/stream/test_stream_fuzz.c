/*
 * test_stream_fuzz.c - runs fuzz/stream/stream_fuzz.c's target on
 * pseudo-random inputs (fixed xorshift seed, so a failure replays), in CI
 * without libFuzzer: byte streams rich in "\n" and "\r", every framing
 * choice, both memory budgets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fuzz_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void test_random_streams(void **state)
{
    static uint8_t in[2048];
    uint64_t x = 0x5eed5eedULL;
    int round;
    (void)state;
    for (round = 0; round < 3000; round++) {
        size_t n = 3 + fuzz_xorshift64(&x) % (sizeof in - 3), i;
        for (i = 0; i < n; i++) {
            uint64_t r = fuzz_xorshift64(&x);
            in[i] = (r & 7) == 0 ? '\n' : (r & 15) == 1 ? '\r' : (uint8_t)(r >> 8);
        }
        assert_int_equal(LLVMFuzzerTestOneInput(in, n), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
