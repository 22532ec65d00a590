/*
 * test_tcp_tso.c - TCP segmentation offload: node B's stack sits on a
 * fake device that offers it (tso_max).  The device checks every
 * super-segment it is handed (IP header of the whole packet, tso_mss the
 * connection's MSS, the TCP checksum field holding the pseudo-header sum
 * of the whole length) and cuts it in software, as the Linux TAP driver
 * does, into MSS frames summed whole, which cross the loopback wire (and
 * the fault shim, per segment as on a real wire) to node A, whose device
 * has no offload.  Bulk transfers both ways must arrive byte-exact, with
 * B's data in super-segments and A's in MSS frames; under loss the
 * retransmissions (one MSS in recovery) repair holes inside them.
 */
#include "test_tcp_harness.h"

#include <stdio.h>

#include <uk/bytes.h>

#define BULK (4u << 20)
#define TSO_FRAME_MAX (UK_ETH_HLEN + 65535)
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

/* Segment k of super-segment f (n bytes; IP at 14, TCP at 34, thl bytes
 * of TCP header, pay bytes of payload) built at out; its length. */
static size_t cut(const uint8_t *f, size_t thl, size_t pay, size_t mss,
                  size_t k, uint8_t *out)
{
    size_t off = k * mss, len = pay - off < mss ? pay - off : mss;
    size_t hl = UK_ETH_HLEN + 20 + thl;
    bool last = off + len == pay;
    uint8_t *ip = out + UK_ETH_HLEN, *th = ip + 20;
    struct uk_ipv4_addr src = {uk_load_be32(f + 26)};
    struct uk_ipv4_addr dst = {uk_load_be32(f + 30)};
    memcpy(out, f, hl);
    memcpy(out + hl, f + hl + off, len);
    uk_store_be16(ip + 2, (uint16_t)(20 + thl + len));
    uk_store_be16(ip + 4, (uint16_t)(uk_load_be16(f + 18) + k));
    uk_store_be16(ip + 10, 0);
    uk_store_be16(ip + 10, uk_inet_fold(uk_inet_sum(0, ip, 20)));
    uk_store_be32(th + 4, uk_load_be32(f + 38) + (uint32_t)off);
    if (!last)
        th[13] &= (uint8_t)~0x09; /* FIN and PSH: the last segment's */
    if (k > 0)
        th[13] &= (uint8_t)~0x80; /* CWR: the first's */
    uk_store_be16(th + 16, 0);
    uk_store_be16(th + 16,
                  uk_inet_fold(uk_inet_sum(
                      uk_ipv4_pseudo_sum(src, dst, UK_IPPROTO_TCP,
                                         thl + len),
                      th, thl + len)));
    return hl + len;
}

/* Checks super-segment b as uk/network.h describes it and sends its
 * segments down; consumes b. */
static int td_send_super(struct tso_dev *t, struct uk_buf *b)
{
    const uint8_t *f = b->data, *ip = f + UK_ETH_HLEN, *th = ip + 20;
    size_t n = b->len, thl, pay, k, segs;
    struct uk_ipv4_addr src, dst;
    uint8_t seg[1600];
    uint32_t ps;
    assert_true(n > 1514 && n <= TSO_FRAME_MAX);
    assert_int_equal(uk_load_be16(f + 12), UK_ETHERTYPE_IPV4);
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(ip[9], UK_IPPROTO_TCP);
    assert_int_equal(uk_load_be16(ip + 2), n - UK_ETH_HLEN);
    assert_int_equal(uk_load_be16(ip + 6) & 0x3fff, 0); /* not a fragment */
    assert_int_equal(uk_inet_fold(uk_inet_sum(0, ip, 20)), 0);
    thl = (size_t)(th[12] >> 4) * 4;
    assert_int_equal(thl, 32); /* timestamps, no SACK blocks */
    pay = n - UK_ETH_HLEN - 20 - thl;
    assert_int_equal(b->tso_mss, EFF_MSS);
    assert_true(pay > b->tso_mss);
    src.v = uk_load_be32(ip + 12);
    dst.v = uk_load_be32(ip + 16);
    ps = uk_ipv4_pseudo_sum(src, dst, UK_IPPROTO_TCP, n - UK_ETH_HLEN - 20);
    assert_int_equal(uk_load_be16(th + 16), (uint16_t)~uk_inet_fold(ps));
    segs = (pay + b->tso_mss - 1) / b->tso_mss;
    for (k = 0; k < segs; k++) {
        struct uk_iov v;
        v.base = seg;
        v.len = cut(f, thl, pay, b->tso_mss, k, seg);
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

static struct tb_app srv, cli;

static bool both_closed(void)
{
    return srv.closed && cli.closed;
}

static bool tcp_idle(void)
{
    return uk_tcpip_tcp_active(&na.tcp) == 0 &&
           uk_tcpip_tcp_active(&nb.tcp) == 0;
}

/* BULK bytes each way between A (server) and B (client, on tso). */
static void run(const char *spec, uint64_t seed)
{
    struct uk_faults_config fc;
    struct uk_tcpip_tcp_config cfg;
    struct uk_ipv4_ep dst = {A_IP, 80};
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    if (spec != NULL) {
        assert_int_equal(uk_faults_parse(spec, strlen(spec), &fc), 0);
        fc.seed = seed;
    }
    tb_wrap_b = tso_wrap;
    tb_build(&cfg, 4, spec != NULL ? &fc : NULL, seed);
    assert_int_equal(nb.tcp.tso_max, 65535 - 20);
    assert_int_equal(na.tcp.tso_max, 0);
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.seed = cli.peer_seed = seed * 3 + 1;
    cli.seed = srv.peer_seed = seed * 5 + 2;
    srv.to_send = cli.to_send = BULK;
    srv.chunk = cli.chunk = 65536;
    srv.shutdown_after = cli.shutdown_after = true;
    srv.close_on_eof = cli.close_on_eof = true;
    tb_start(&srv, &cli, &dst);
    if (!tb_run_until(both_closed, 3600 * UK_NS_PER_S)) {
        tb_dump("A", &na);
        tb_dump("B", &nb);
    }
    assert_true(both_closed());
    assert_false(srv.mismatch);
    assert_false(cli.mismatch);
    assert_int_equal(srv.received, BULK);
    assert_int_equal(cli.received, BULK);
    assert_int_equal(srv.eofs, 1);
    assert_int_equal(cli.eofs, 1);
    assert_true(tb_run_until(tcp_idle, 120 * UK_NS_PER_S));
    printf("  %-10s seed %lu: B sent %lu super-segments (%lu segments, "
           "largest %lu bytes) and %lu frames; rexmit A %lu B %lu\n",
           spec ? spec : "clean", (unsigned long)seed,
           (unsigned long)tso.supers, (unsigned long)tso.segs,
           (unsigned long)tso.largest, (unsigned long)tso.plain,
           (unsigned long)na.tcp.stats.tx_rexmit,
           (unsigned long)nb.tcp.stats.tx_rexmit);
    /* B's data went mostly in super-segments of many segments */
    assert_true(tso.supers > 0);
    assert_true(tso.segs * EFF_MSS >= BULK / 2);
    assert_true(tso.largest >= 8 * EFF_MSS);
    assert_int_equal(tso.oversized, 0);
    tb_teardown();
    tb_wrap_b = NULL;
}

static void test_clean(void **state)
{
    UK_UNUSED(state);
    run(NULL, 1);
}

/* The fault shim sits below the fake device: faults hit single segments
 * of a super-segment, as on a wire. */
static void test_loss(void **state)
{
    uint64_t seed;
    UK_UNUSED(state);
    for (seed = 1; seed <= 3; seed++) {
        run("drop=3%", seed);
        assert_true(nb.tcp.stats.tx_rexmit > 0);
    }
}

static void test_mix(void **state)
{
    uint64_t seed;
    UK_UNUSED(state);
    for (seed = 1; seed <= 2; seed++)
        run("drop=2%,reorder=2%,dup=2%,corrupt=2%", seed);
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
