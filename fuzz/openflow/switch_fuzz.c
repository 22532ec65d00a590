/*
 * switch_fuzz.c - libFuzzer target for the of-switch example's handling
 * of what it does not control: controller messages and received frames.
 * The input starts with OpenFlow messages (framed as on the wire), each
 * handed to the switch as from its controller and followed by a few
 * fixed frames (UDP, TCP, ICMP, ARP, VLAN-tagged, runt) on both ports, so
 * installed flows and packet-outs run their actions over real headers;
 * what follows the messages is a list of frames (1-byte length, bytes)
 * received on alternate ports.  Time advances between steps so flows
 * expire.  Replies go nowhere (the connection never opens).  Also
 * replayed by tests/openflow/test_fuzz_replay.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/loop.h>

#include "fake_clock.h"
#include "fake_net.h"
#include "of_switch.h"

int of_fuzz_switch(const uint8_t *data, size_t size);

static const uint8_t fixed[][64] = {
    /* UDP */
    {2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 8, 0, 0x45, 0, 0, 28, 0, 1, 0,
     0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 3, 232, 7, 208, 0, 8, 0, 0},
    /* TCP */
    {2, 0, 0, 0, 0, 0xa, 2, 0, 0, 0, 0, 0xb, 8, 0, 0x45, 0, 0, 40, 0, 1, 0,
     0, 64, 6, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1, 0, 80, 4, 0, 0, 0, 0, 1, 0,
     0, 0, 0, 0x50, 2, 0xff, 0xff, 0, 0, 0, 0},
    /* ICMP, VLAN-tagged */
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0xa, 0x81, 0, 0xa0,
     7, 8, 0, 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0,
     2, 8, 0, 0, 0, 0, 0, 0, 0},
    /* ARP */
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0xb, 8, 6, 0, 1, 8, 0,
     6, 4, 0, 1, 2, 0, 0, 0, 0, 0xb, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 10, 0, 0,
     1},
};
static const size_t fixed_len[] = {42, 54, 46, 42};

/* A flow that accepts writes and never delivers input. */
static int s_read(struct uk_flow *f, uk_flow_read_cb cb, void *arg)
{
    (void)f, (void)cb, (void)arg;
    return 0;
}
static int s_writev(struct uk_flow *f, const struct uk_iov *iov, int n,
                    uk_flow_write_cb cb, void *arg)
{
    (void)f, (void)iov, (void)n, (void)cb, (void)arg;
    return 0;
}
static int s_close(struct uk_flow *f, uk_done_cb cb, void *arg)
{
    (void)f, (void)cb, (void)arg;
    return 0;
}
static const struct uk_flow_ops sink_ops = {
    .read = s_read, .writev = s_writev, .close = s_close};

static int q_log(struct uk_console *c, const char *l, size_t n)
{
    (void)c, (void)l, (void)n;
    return 0;
}
static int q_read(struct uk_console *c, uk_flow_read_cb cb, void *a)
{
    (void)c, (void)cb, (void)a;
    return UK_ENOTSUP;
}
static int q_writev(struct uk_console *c, const struct uk_iov *iov, int n,
                    uk_flow_write_cb cb, void *a)
{
    (void)c, (void)iov, (void)n, (void)cb, (void)a;
    return UK_ENOTSUP;
}
static int q_close(struct uk_console *c, uk_done_cb cb, void *a)
{
    (void)c, (void)cb, (void)a;
    return UK_ENOTSUP;
}
static const struct uk_console_ops q_ops = {
    .read = q_read, .writev = q_writev, .close = q_close, .log = q_log};

static void frames(struct fake_net *n1, struct fake_net *n2)
{
    size_t i;
    for (i = 0; i < sizeof fixed_len / sizeof fixed_len[0]; i++) {
        fake_net_rx(i % 2 ? n2 : n1, fixed[i], fixed_len[i]);
        n1->nsent = n2->nsent = 0;
    }
    fake_net_rx(n1, fixed[0], 13); /* runt */
}

int of_fuzz_switch(const uint8_t *data, size_t size)
{
    static struct ofs sw;
    static struct fake_net n1, n2;
    static struct uk_console quiet = {&q_ops};
    struct uk_flow sink = {&sink_ops};
    struct uk_network *devs[2] = {&n1.net, &n2.net};
    struct ofs_config cfg;
    struct fake_clock clk;
    struct fake_poller poller;
    struct uk_loop loop;
    size_t off = 0, n;
    unsigned port = 0;
    fake_clock_init(&clk, UK_NS_PER_S, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    fake_net_init(&n1, 1);
    fake_net_init(&n2, 2);
    memset(&cfg, 0, sizeof cfg);
    if (ofs_start(&sw, &quiet, &loop.time, NULL, devs, 2, &cfg) != 0)
        abort();
    ofs_attach(&sw, &sink);
    sw.connected = true; /* table lookups and packet-ins, as if open */
    while (off < size && uk_of_frame(data + off, size - off, &n) == 0) {
        struct uk_of_msg m;
        if (uk_of_decode(data + off, n, &m, NULL) == 0)
            uk__ofs_message(&sw, &sw.conn, &m, data + off, n);
        frames(&n1, &n2);
        fake_clock_advance(&clk, UK_NS_PER_S);
        uk_loop_run_once(&loop, false);
        off += n;
    }
    while (off < size) {
        size_t len = data[off++];
        if (len > size - off)
            len = size - off;
        fake_net_rx(port++ % 2 ? &n2 : &n1, data + off, len);
        n1.nsent = n2.nsent = 0;
        off += len;
    }
    return 0;
}

#ifndef OF_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return of_fuzz_switch(data, size);
}
#endif
