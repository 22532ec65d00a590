/*
 * stream_fuzz.c - libFuzzer target of uk_stream's framing (uk/stream.h):
 * the input's first bytes choose max_frame, how the flow splits its reads
 * and the memory budget; the rest is the peer's byte stream, then end of
 * stream.  Lines and exact reads of sizes taken from the input are asked
 * for (and "whatever came", read_some) until a final status, each frame echoed through the write queue.
 * Checked: frames within max_frame, no "\n" inside a line, and every byte
 * of memory given back at the end.  tests/stream/test_stream_fuzz.c runs
 * the same function on pseudo-random inputs in CI.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/loop.h>
#include <uk/stream.h>

#include "fake_clock.h"
#include "pipe.h"
#include "../../tests/stream/test_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pipe_end a, b;
static size_t max_frame;
static int last_status;
static bool line_mode, delivered;
static uint8_t sink[4096];

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void on_frame(void *arg, int status, const void *frame, size_t len)
{
    struct uk_stream *s = arg;
    delivered = true;
    last_status = status;
    if (status != 0)
        return;
    check(len <= max_frame);
    check(!line_mode || len == 0 || memchr(frame, '\n', len) == NULL);
    (void)uk_stream_write(s, frame, len); /* UK_ENOBUFS is fine */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fake_clock clk;
    struct fake_poller poller;
    struct uk_loop loop;
    struct test_mem mem;
    struct uk_mem_account acct;
    struct uk_stream s;
    size_t i, turn;
    if (size < 3)
        return 0;
    max_frame = 1 + data[0] % 64;
    fake_clock_init(&clk, UK_NS_PER_S, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    pipe_init(&a, &b, &loop.time);
    a.chunk = 1 + data[1] % 32;
    test_mem_init(&mem, data[2] & 1 ? 96 : 1 << 20);
    uk_mem_account_init(&acct, &mem.mem, "fuzz", SIZE_MAX, SIZE_MAX);
    check(uk_stream_init(&s, &a.flow, &loop.time, &acct, max_frame, 256) == 0);
    if (size - 3 > PIPE_CAP)
        size = PIPE_CAP + 3;
    check(pipe_inject(&a, data + 3, size - 3));
    pipe_inject_eof(&a);
    last_status = 0;
    for (turn = 0; turn < size + 8 && last_status == 0; turn++) {
        uint8_t op = size > 3 ? data[3 + turn % (size - 3)] : data[2];
        int rc;
        line_mode = (op & 1) != 0;
        delivered = false;
        if (line_mode)
            rc = uk_stream_read_line(&s, on_frame, &s);
        else if ((op & 6) == 6)
            rc = uk_stream_read_some(&s, on_frame, &s);
        else
            rc = uk_stream_read_exact(&s, 1 + (op >> 3) % max_frame, on_frame,
                                      &s);
        if (rc != 0)
            break; /* a final status, already delivered once */
        check(!delivered); /* never inside the call */
        /* Until the frame comes (one flow read per turn or two): the
         * loop must never run dry before. */
        for (i = 0; i < 1000000 && !delivered && uk_loop_has_work(&loop); i++)
            uk_loop_run_once(&loop, false);
        check(delivered);
        while (pipe_take(&a, sink, sizeof sink) > 0)
            ; /* the peer reads the echoes */
    }
    for (i = 0; i < 64; i++)
        uk_loop_run_once(&loop, false);
    uk_stream_fini(&s);
    check(mem.used == 0);
    return 0;
}
