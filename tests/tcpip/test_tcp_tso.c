/*
 * test_tcp_tso.c - TCP segmentation offload: node B's stack sits on a
 * fake device that offers it (tso_max), through B's fault shim when
 * faults are on (the shim offers the device's tso_max and rolls faults
 * per wire segment, uk/tcpip/faults.h).  The device checks every
 * super-segment it is handed as test_gso.h does (IP header of the whole
 * packet, tso_mss the connection's MSS, the TCP checksum field holding the
 * pseudo-header sum of the whole length) and cuts it in software, as the
 * Linux TAP driver does, into MSS frames summed whole, which cross the
 * loopback wire to node A, whose device has no offload.  Bulk transfers
 * both ways must arrive byte-exact, with B's data in super-segments and
 * A's in MSS frames; under loss the shim passes the surviving runs of a
 * super-segment and the retransmissions repair the holes.
 */
#include "test_gso.h"
#include "test_tcp_harness.h"

#include <stdio.h>

#include <uk/bytes.h>

#define BULK (4u << 20)
#define TSO_FRAME_MAX GSO_FRAME_MAX
#define EFF_MSS 1448 /* 1500 - IP - TCP - timestamps */

struct tso_dev {
    struct uk_network base;
    struct uk_network *lower;
    uint64_t supers, segs, largest, plain, oversized;
};

static struct tso_dev tso;

static struct tso_dev *td(struct uk_network *n)
{
    return UK_CONTAINER_OF(n, struct tso_dev, base);
}

static const char *td_id(struct uk_network *self)
{
    UK_UNUSED(self);
    return "tso-fake";
}

static void td_disconnect(struct uk_network *self, uk_done_cb cb, void *arg)
{
    uk_network_disconnect(td(self)->lower, cb, arg);
}

static int td_listen(struct uk_network *self, uk_network_rx_cb cb, void *arg)
{
    return uk_network_listen(td(self)->lower, cb, arg);
}

static int td_alloc(struct uk_network *self, size_t headroom, size_t len,
                    struct uk_buf **out)
{
    return uk_network_alloc(td(self)->lower, headroom, len, out);
}

/* Checks super-segment b as uk/network.h describes it and sends its
 * segments down; consumes b. */
static int td_send_super(struct tso_dev *t, struct uk_buf *b)
{
    size_t n = b->len, pay, k, segs;
    uint8_t seg[1600];
    assert_int_equal(gso_thl(b->data), 32); /* timestamps, no SACK blocks */
    assert_int_equal(b->tso_mss, EFF_MSS);
    segs = gso_check(b->data, n, b->tso_mss);
    pay = gso_pay(b->data, n);
    /* at most half the window (two segments at least), so the receiver
     * acknowledges a window twice or more */
    assert_non_null(nb.tcp.live);
    assert_true(pay <= 2 * EFF_MSS || pay <= nb.tcp.live->cwnd / 2);
    for (k = 0; k < segs; k++) {
        struct uk_iov v;
        v.base = seg;
        v.len = gso_cut(b->data, n, b->tso_mss, k, seg);
        (void)uk_network_sendv(t->lower, &v, 1); /* a full wire drops */
    }
    t->supers++;
    t->segs += segs;
    if (pay > t->largest)
        t->largest = pay;
    uk_buf_free(b);
    return 0;
}

static int td_send(struct uk_network *self, struct uk_buf *frame)
{
    struct tso_dev *t = td(self);
    if (frame->tso_mss != 0)
        return td_send_super(t, frame);
    if (frame->len > 1514)
        t->oversized++;
    t->plain++;
    return uk_network_send(t->lower, frame);
}

static int td_sendv(struct uk_network *self, const struct uk_iov *iov,
                    int cnt)
{
    return uk_network_sendv(td(self)->lower, iov, cnt);
}

static void td_mac(struct uk_network *self, struct uk_mac *out)
{
    uk_network_mac(td(self)->lower, out);
}

static size_t td_mtu(struct uk_network *self)
{
    return uk_network_mtu(td(self)->lower);
}

static void td_stats(struct uk_network *self, struct uk_network_stats *out)
{
    uk_network_stats(td(self)->lower, out);
}

static size_t td_tso_max(struct uk_network *self)
{
    UK_UNUSED(self);
    return TSO_FRAME_MAX;
}

static const struct uk_network_ops td_ops = {
    .id = td_id,
    .disconnect = td_disconnect,
    .listen = td_listen,
    .alloc = td_alloc,
    .send = td_send,
    .sendv = td_sendv,
    .mac = td_mac,
    .mtu = td_mtu,
    .stats = td_stats,
    .tso_max = td_tso_max,
};

static struct uk_network *tso_wrap(struct uk_network *lower)
{
    memset(&tso, 0, sizeof tso);
    tso.base.ops = &td_ops;
    tso.lower = lower;
    return &tso.base;
}

/* BULK bytes each way between A (server) and B (client, on tso). */
static void run(const char *spec, uint64_t seed)
{
    tb_under_faults_b = tso_wrap;
    tb_bulk(spec, seed, BULK, 65536, 65536, 3600 * UK_NS_PER_S);
    assert_int_equal(nb.tcp.tso_max, 65535 - 20);
    assert_int_equal(na.tcp.tso_max, 0);
    printf("  %-10s seed %lu: B sent %lu super-segments (%lu segments, "
           "largest %lu bytes) and %lu frames; rexmit A %lu B %lu\n",
           spec ? spec : "clean", (unsigned long)seed,
           (unsigned long)tso.supers, (unsigned long)tso.segs,
           (unsigned long)tso.largest, (unsigned long)tso.plain,
           (unsigned long)na.tcp.stats.tx_rexmit,
           (unsigned long)nb.tcp.stats.tx_rexmit);
    assert_int_equal(tso.oversized, 0);
    tb_teardown();
    tb_under_faults_b = NULL;
}

/* B's data went mostly in super-segments, one at least of `segs`
 * segments (under loss the window, and so the super-segments, are
 * smaller). */
static void assert_offloaded(size_t segs)
{
    assert_true(tso.supers > 0);
    assert_true(tso.segs * EFF_MSS >= BULK / 2);
    assert_true(tso.largest >= segs * EFF_MSS);
}

static void test_clean(void **state)
{
    UK_UNUSED(state);
    run(NULL, 1);
    assert_offloaded(8);
}

/* Drops hit single wire segments of a super-segment: the rest of it
 * still reaches the device offloaded. */
static void test_loss(void **state)
{
    uint64_t seed;
    UK_UNUSED(state);
    for (seed = 1; seed <= 3; seed++) {
        run("drop=3%", seed);
        assert_offloaded(4);
        assert_true(nb.tcp.stats.tx_rexmit > 0);
    }
}

static void test_mix(void **state)
{
    uint64_t seed;
    UK_UNUSED(state);
    for (seed = 1; seed <= 2; seed++) {
        /* the stack offloads; the shim cuts every segment alone */
        run("drop=2%,reorder=2%,dup=2%,corrupt=2%", seed);
        assert_int_equal(tso.supers, 0);
        assert_true(tso.plain * EFF_MSS >= BULK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_loss),
        cmocka_unit_test(test_mix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
