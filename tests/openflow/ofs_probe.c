/*
 * ofs_probe.c - the of-switch example's portable part as a unix-target
 * image whose two ports are in-process fake devices with a simulated host
 * on each (A on port 1, B on port 2), and whose controller connection is
 * a real kernel TCP socket (--controller=IP:PORT): lets tests put a real
 * controller (ovs-testcontroller) in charge of our switch.
 *
 * Every 100 ms A sends B a UDP frame and B answers each frame it got;
 * the probe succeeds (exit 0) when, within 15 s, B received 20 frames
 * from A and A received 20 answers, the controller installed at least two
 * flows, and frames were forwarded by flows without the controller.
 * It prints one summary line either way.  With --listen=PORT it accepts
 * management connections (ovs-ofctl) and, after success, stays up with
 * the hosts quiet until it is stopped.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/target.h>

#include "fake_net.h"
#include "of_switch.h"

static struct ofs sw;
static struct fake_net n1, n2;
static struct uk_timer tick;
static unsigned ticks, a_got, b_got;
static uint16_t listen_port;
static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 0xa};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 0xb};

static size_t frame(uint8_t *f, const uint8_t *src, const uint8_t *dst,
                    unsigned seq)
{
    static const uint8_t ip_udp[28] = {0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17};
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    uk_store_be16(f + 12, 0x0800);
    memcpy(f + 14, ip_udp, sizeof ip_udp);
    f[14 + 12] = 10, f[14 + 15] = src[5];
    f[14 + 16] = 10, f[14 + 19] = dst[5];
    uk_store_be16(f + 34, 1000);
    uk_store_be16(f + 36, 2000);
    uk_store_be16(f + 38, 8);
    uk_store_be32(f + 42, seq);
    return 60;
}

/* Frames that reached a host and were meant for it. */
static unsigned collect(struct fake_net *n, const uint8_t *me)
{
    unsigned got = 0;
    int i;
    for (i = 0; i < n->nsent; i++)
        if (memcmp(n->sent[i], me, 6) == 0)
            got++;
    n->nsent = 0;
    return got;
}

static unsigned flows(void)
{
    unsigned i, k = 0;
    for (i = 0; i < OFS_FLOWS; i++)
        k += sw.flows[i].used;
    return k;
}

static void on_tick(void *arg)
{
    uint8_t f[64];
    unsigned k, got_b;
    bool done;
    (void)arg;
    ticks++;
    got_b = collect(&n2, mac_b);
    b_got += got_b;
    a_got += collect(&n1, mac_a);
    if (sw.connected) {
        for (k = 0; k < got_b; k++)
            fake_net_rx(&n2, f, frame(f, mac_b, mac_a, ticks));
        fake_net_rx(&n1, f, frame(f, mac_a, mac_b, ticks));
    }
    done = b_got >= 20 && a_got >= 20 && flows() >= 2 && sw.matched > 0;
    if (done || ticks >= 150) {
        for (k = 0; k < OFS_FLOWS; k++)
            if (sw.flows[k].used)
                uk_console_printf(uk_default_console(),
                                  "ofs_probe: flow wildcards %#x priority %u",
                                  (unsigned)sw.flows[k].match.wildcards,
                                  (unsigned)sw.flows[k].priority);
        uk_console_printf(uk_default_console(),
                          "ofs_probe: %s: B got %u, A got %u, %u flows, "
                          "%lu table hits of %lu lookups",
                          done ? "ok" : "FAILED", b_got, a_got, flows(),
                          (unsigned long)sw.matched,
                          (unsigned long)sw.lookups);
        /* With --listen the image stays up, quiet, for ovs-ofctl. */
        if (!done || listen_port == 0)
            uk_exit(done ? 0 : 1);
        return;
    }
    uk_time_after(uk_default_time(), &tick, 100 * UK_NS_PER_MS, on_tick,
                  NULL);
}

int uk_main(int argc, char **argv)
{
    struct uk_ipv4_ep controller = {{0}, 0};
    struct uk_network *devs[2] = {&n1.net, &n2.net};
    struct ofs_config cfg;
    struct uk_tcpv4 *tcp;
    const struct uk_opt opts[] = {
        {"controller", UK_OPT_EP, &controller, "controller A.B.C.D:PORT", 0,
         0, NULL},
        {"listen", UK_OPT_PORT, &listen_port,
         "management port; stay up after success", 0, 0, NULL},
        UK_OPT_END,
    };
    int rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    if (controller.port == 0 || uk_default_tcpv4(&tcp) != 0)
        return 2;
    fake_net_init(&n1, 1);
    fake_net_init(&n2, 2);
    memset(&cfg, 0, sizeof cfg);
    cfg.controller = controller;
    cfg.listen_port = listen_port;
    if (ofs_start(&sw, uk_default_console(), uk_default_time(), tcp, devs, 2,
                  &cfg) != 0)
        return 1;
    uk_time_after(uk_default_time(), &tick, 100 * UK_NS_PER_MS, on_tick,
                  NULL);
    return UK_RUN;
}
