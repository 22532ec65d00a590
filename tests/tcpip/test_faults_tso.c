/*
 * test_faults_tso.c - the fault shim over a device with segmentation
 * offload (uk/tcpip/faults.h): it offers the device's tso_max, a
 * super-segment none of whose wire segments is dropped reaches the device
 * whole, and under drop the device gets exactly the surviving segments as
 * runs (smaller super-segments and plain frames) that cut as a kernel's
 * GSO would (test_gso.h) into the same bytes the original would have
 * given; with other faults configured every segment travels alone.
 */
#include "tcpip_harness.h"
#include "test_gso.h"

#include <uk/tcpip/faults.h>

#define MSS 1448
#define REC_MAX 64

/* A device offering TSO that records what it is handed. */
struct rec_dev {
    struct uk_network base;
    struct fake_net fn; /* its buffers and listener */
    bool hold; /* keep the buffers sent (as a device with a queue) */
    size_t n, nheld;
    struct uk_buf *held[REC_MAX];
    size_t len[REC_MAX];
    uint16_t tso[REC_MAX];
    uint8_t f[REC_MAX][GSO_FRAME_MAX];
};

static struct rec_dev rd;
static struct h_env env;
static struct uk_faults sh;

static struct rec_dev *rd_of(struct uk_network *n)
{
    return UK_CONTAINER_OF(n, struct rec_dev, base);
}

static const char *rd_id(struct uk_network *self)
{
    UK_UNUSED(self);
    return "rec";
}

static void rd_disconnect(struct uk_network *self, uk_done_cb cb, void *arg)
{
    UK_UNUSED(self);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
}

static int rd_listen(struct uk_network *self, uk_network_rx_cb cb, void *arg)
{
    return uk_network_listen(&rd_of(self)->fn.base, cb, arg);
}

static int rd_alloc(struct uk_network *self, size_t headroom, size_t len,
                    struct uk_buf **out)
{
    return uk_network_alloc(&rd_of(self)->fn.base, headroom, len, out);
}

static void rd_record(struct rec_dev *d, const uint8_t *p, size_t n,
                      uint16_t tso)
{
    assert_true(d->n < REC_MAX && n <= GSO_FRAME_MAX);
    memcpy(d->f[d->n], p, n);
    d->len[d->n] = n;
    d->tso[d->n] = tso;
    d->n++;
}

static int rd_send(struct uk_network *self, struct uk_buf *b)
{
    struct rec_dev *d = rd_of(self);
    rd_record(d, b->data, b->len, b->tso_mss);
    if (d->hold)
        d->held[d->nheld++] = b;
    else
        uk_buf_free(b);
    return 0;
}

static int rd_sendv(struct uk_network *self, const struct uk_iov *iov,
                    int cnt)
{
    static uint8_t tmp[GSO_FRAME_MAX];
    size_t n = uk_iov_total(iov, cnt), off = 0;
    int i;
    assert_true(n <= sizeof tmp);
    for (i = 0; i < cnt; i++) {
        memcpy(tmp + off, iov[i].base, iov[i].len);
        off += iov[i].len;
    }
    rd_record(rd_of(self), tmp, n, 0);
    return 0;
}

static void rd_mac(struct uk_network *self, struct uk_mac *out)
{
    uk_network_mac(&rd_of(self)->fn.base, out);
}

static size_t rd_mtu(struct uk_network *self)
{
    UK_UNUSED(self);
    return 1500;
}

static void rd_stats(struct uk_network *self, struct uk_network_stats *out)
{
    UK_UNUSED(self);
    memset(out, 0, sizeof *out);
}

static size_t rd_tso_max(struct uk_network *self)
{
    UK_UNUSED(self);
    return GSO_FRAME_MAX;
}

static const struct uk_network_ops rd_ops = {
    .id = rd_id,
    .disconnect = rd_disconnect,
    .listen = rd_listen,
    .alloc = rd_alloc,
    .send = rd_send,
    .sendv = rd_sendv,
    .mac = rd_mac,
    .mtu = rd_mtu,
    .stats = rd_stats,
    .tso_max = rd_tso_max,
};

static void setup(const char *spec, uint64_t seed)
{
    struct uk_faults_config fc;
    memset(&rd, 0, offsetof(struct rec_dev, f));
    rd.base.ops = &rd_ops;
    fake_net_init(&rd.fn, &h_mac_b);
    h_env_init(&env, seed);
    assert_int_equal(uk_faults_parse(spec, strlen(spec), &fc), 0);
    fc.seed = seed;
    assert_int_equal(uk_faults_init(&sh, &rd.base, &env.loop.time, &fc), 0);
}

static uint8_t super[GSO_FRAME_MAX];

/* Builds at super a super-segment of pay payload bytes (20-byte IP header,
 * 32-byte TCP header with timestamps) with TCP flags fl; its length. */
static size_t build_super(size_t pay, uint8_t fl)
{
    struct uk_ipv4_addr src = uk_ipv4(10, 1, 0, 2), dst = uk_ipv4(10, 1, 0, 1);
    uint8_t *ip = super + UK_ETH_HLEN, *th = ip + 20;
    size_t i, n = UK_ETH_HLEN + 20 + 32 + pay;
    memset(super, 0, UK_ETH_HLEN + 52);
    memcpy(super, h_mac_a.b, 6);
    memcpy(super + 6, h_mac_b.b, 6);
    uk_store_be16(super + 12, UK_ETHERTYPE_IPV4);
    ip[0] = 0x45;
    uk_store_be16(ip + 2, (uint16_t)(n - UK_ETH_HLEN));
    uk_store_be16(ip + 4, 0xfff0); /* the identifiers wrap inside */
    uk_store_be16(ip + 6, 0x4000);
    ip[8] = 64;
    ip[9] = UK_IPPROTO_TCP;
    uk_store_be32(ip + 12, src.v);
    uk_store_be32(ip + 16, dst.v);
    uk_store_be16(ip + 10, uk_inet_fold(uk_inet_sum(0, ip, 20)));
    uk_store_be16(th, 80);
    uk_store_be16(th + 2, 40000);
    uk_store_be32(th + 4, 0xffff0000u); /* so do the sequence numbers */
    uk_store_be32(th + 8, 12345);
    th[12] = 8 << 4;
    th[13] = fl;
    uk_store_be16(th + 14, 1000);
    th[20] = 1;
    th[21] = 1;
    th[22] = 8;
    th[23] = 10;
    uk_store_be32(th + 24, 777);
    uk_store_be32(th + 28, 888);
    for (i = 0; i < pay; i++)
        super[UK_ETH_HLEN + 52 + i] = (uint8_t)(i * 7 + i / 251);
    uk_store_be16(th + 16, (uint16_t)~uk_inet_fold(uk_ipv4_pseudo_sum(
                               src, dst, UK_IPPROTO_TCP, 32 + pay)));
    return n;
}

/* Hands the shim the super-segment at super (n bytes). */
static void send_super(size_t n)
{
    static struct uk_buf b;
    uk_buf_init(&b, super, sizeof super, 0);
    uk_buf_put(&b, n);
    b.tso_mss = MSS;
    assert_int_equal(uk_network_send(&sh.base, &b), 0);
}

#define FLAGS 0x80 | 0x10 | 0x08 | 0x01 /* CWR ACK PSH FIN */

static void test_offers_tso_max(void **state)
{
    UK_UNUSED(state);
    setup("drop=5%", 1);
    assert_int_equal(uk_network_tso_max(&sh.base), GSO_FRAME_MAX);
}

/* Nothing dropped: the super-segment passes whole, counted as its wire
 * frames. */
static void test_clean_passes_whole(void **state)
{
    size_t n = build_super(30 * MSS + 100, FLAGS);
    UK_UNUSED(state);
    setup("drop=0", 1);
    send_super(n);
    assert_int_equal(rd.n, 1);
    assert_int_equal(rd.len[0], n);
    assert_int_equal(rd.tso[0], MSS);
    assert_memory_equal(rd.f[0], super, n);
    assert_int_equal(sh.stats.frames[0], 31);
    assert_int_equal(sh.stats.dropped[0], 0);
}

static uint8_t want[64][1600], got[1600];

/* Under drop the device gets maximal runs of the surviving segments: cut
 * as the kernel would, they are byte for byte the original's segments,
 * in order, as many as survived. */
static void check_runs(size_t n, size_t nseg, bool maximal)
{
    size_t i, k, next = 0, survived = 0, wlen[64];
    for (k = 0; k < nseg; k++)
        wlen[k] = gso_cut(super, n, MSS, k, want[k]);
    for (i = 0; i < rd.n; i++) {
        const uint8_t *f = rd.f[i];
        size_t n = rd.len[i], segs = 1, first;
        uint32_t seq = uk_load_be32(f + UK_ETH_HLEN + 24);
        first = (size_t)(seq - 0xffff0000u) / MSS;
        assert_true(first >= next && first < nseg);
        if (i > 0 && maximal)
            assert_true(first > next); /* a dropped segment between */
        if (rd.tso[i] != 0) {
            assert_int_equal(rd.tso[i], MSS);
            segs = gso_check(f, n, MSS);
            assert_true(segs >= 2);
        } else {
            seg_check(f, n);
        }
        for (k = 0; k < segs; k++) {
            size_t m = rd.tso[i] != 0 ? gso_cut(f, n, MSS, k, got) : n;
            const uint8_t *s = rd.tso[i] != 0 ? got : f;
            assert_int_equal(m, wlen[first + k]);
            assert_memory_equal(s, want[first + k], m);
        }
        next = first + segs;
        survived += segs;
    }
    assert_int_equal(survived, nseg - sh.stats.dropped[0]);
    assert_int_equal(sh.stats.frames[0], nseg);
}

static void test_drop_sends_surviving_runs(void **state)
{
    uint64_t seed;
    size_t pay = 40 * MSS + 333, n, nseg = 41, runs = 0, plain = 0;
    UK_UNUSED(state);
    for (seed = 1; seed <= 20; seed++) {
        size_t i;
        setup("drop=15%", seed);
        n = build_super(pay, FLAGS);
        send_super(n);
        check_runs(n, nseg, true); /* against the original (super is intact) */
        for (i = 0; i < rd.n; i++) {
            runs += rd.tso[i] != 0;
            plain += rd.tso[i] == 0;
        }
    }
    /* the seeds gave both kinds of run */
    assert_true(runs > 0);
    assert_true(plain > 0);
}

/* While the device holds the shim's run buffer, further runs go down as
 * plain frames. */
static void test_runs_while_buffer_held(void **state)
{
    uint64_t seed;
    size_t n = build_super(40 * MSS + 333, FLAGS);
    UK_UNUSED(state);
    for (seed = 1; seed <= 20; seed++) {
        size_t i, big = 0;
        setup("drop=15%", seed);
        rd.hold = true;
        send_super(n);
        check_runs(n, 41, false);
        for (i = 0; i < rd.n; i++)
            big += rd.tso[i] != 0;
        assert_true(big <= 1); /* one buffer, lent */
        for (i = 0; i < rd.nheld; i++)
            uk_buf_free(rd.held[i]);
        assert_false(sh.run_busy);
        fn_assert_no_leak(&rd.fn);
    }
}

/* Any other fault: every segment travels alone and meets the faults on
 * its own (here every one is duplicated). */
static void test_other_faults_cut_every_segment(void **state)
{
    size_t n = build_super(10 * MSS + 1, FLAGS), i;
    UK_UNUSED(state);
    setup("dup=100%", 3);
    send_super(n);
    h_run_for(&env, UK_NS_PER_MS);
    assert_int_equal(sh.stats.frames[0], 11);
    assert_int_equal(sh.stats.duplicated[0], 11);
    assert_int_equal(rd.n, 22);
    for (i = 0; i < rd.n; i++) {
        size_t k = i < 11 ? i : i - 11, m = gso_cut(super, n, MSS, k, got);
        assert_int_equal(rd.tso[i], 0);
        seg_check(rd.f[i], rd.len[i]);
        assert_int_equal(rd.len[i], m);
        assert_memory_equal(rd.f[i], got, m);
    }
    assert_int_equal(uk_faults_busy(&sh), 0);
    fn_assert_no_leak(&rd.fn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offers_tso_max),
        cmocka_unit_test(test_clean_passes_whole),
        cmocka_unit_test(test_drop_sends_surviving_runs),
        cmocka_unit_test(test_runs_while_buffer_held),
        cmocka_unit_test(test_other_faults_cut_every_segment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
