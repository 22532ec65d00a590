/*
 * test_tcp_cc.c - congestion control (lib/tcpip/tcp_cc.c): CUBIC's
 * reduction (beta 0.7), fast convergence, its cubic climb back to W_max
 * in K seconds and the convex growth beyond, the Reno-friendly region on a
 * short RTT, NewReno when configured, and the undo of a reduction that
 * timestamps show spurious (RFC 3522).  White-box: a connection object
 * driven with ACKs in virtual time.  Then two stacks over the loopback
 * wire: byte-exact bulk transfers under loss and reordering with CUBIC,
 * NewReno and the BBR-style model (tcp_bbr.c, tested in test_tcp_bbr.c),
 * and no undo ever under pure loss (every retransmission
 * there is needed).
 */
#include "test_tcp_harness.h"

#include "../../lib/tcpip/tcp_internal.h"

#define MSS 1448u /* eff_mss: mss 1460 - 12 for timestamps */

static struct uk_tcpip_tcpv4 T;
static struct uk_tcpip_tcp_conn C;

static void cc_setup(bool newreno, bool ts, uint64_t srtt_ms)
{
    h_env_init(&env, 1);
    memset(&T, 0, sizeof T);
    memset(&C, 0, sizeof C);
    T.time = &env.loop.time;
    T.cfg.newreno = newreno;
    C.tcp = &T;
    C.ts_ok = ts;
    C.mss = ts ? 1460 : 1448; /* eff_mss 1448 either way */
    C.srtt = srtt_ms * UK_NS_PER_MS;
    C.snd_una = 1000;
    C.snd_max = C.snd_nxt = C.snd_una + 100 * MSS;
    C.cwnd = 100 * MSS;
    C.ssthresh = 50 * MSS; /* in congestion avoidance */
}

/* One RTT of ACKs: the whole window acknowledged a segment at a time,
 * the window kept full; the clock moves by srtt. */
static void one_rtt(void)
{
    uint32_t n = C.cwnd / MSS, i;
    for (i = 0; i < n; i++) {
        C.snd_una += MSS;
        C.snd_max = C.snd_nxt = C.snd_una + C.cwnd - MSS;
        uk__tcp_cc_ack(&C, MSS);
        C.snd_max = C.snd_nxt = C.snd_una + C.cwnd;
    }
    fake_clock_set(&env.clock, env.clock.mono_ns + C.srtt);
}

static void test_cubic_reduce(void **state)
{
    UK_UNUSED(state);
    cc_setup(false, true, 100);
    uk__tcp_cc_reduce(&C, false);
    /* beta = 0.7 of the flight; W_max the window at the loss */
    assert_in_range(C.ssthresh, 70 * MSS - 1448, 70 * MSS + 1448);
    assert_int_equal(C.cwnd, C.ssthresh);
    assert_int_equal(C.cc.cubic.w_max, 100 * MSS);
    /* a second loss below W_max: fast convergence, W_max = 0.85 cwnd */
    C.snd_max = C.snd_nxt = C.snd_una + C.cwnd;
    uk__tcp_cc_reduce(&C, false);
    assert_in_range(C.cc.cubic.w_max, (uint32_t)(0.84 * 70 * MSS),
                    (uint32_t)(0.86 * 70 * MSS));
    assert_in_range(C.ssthresh, 49 * MSS - 1448, 49 * MSS + 1448);
    /* a timeout: one segment */
    C.snd_max = C.snd_nxt = C.snd_una + C.cwnd;
    uk__tcp_cc_reduce(&C, true);
    assert_int_equal(C.cwnd, MSS);
}

static void test_newreno_reduce(void **state)
{
    UK_UNUSED(state);
    cc_setup(true, true, 100);
    uk__tcp_cc_reduce(&C, false);
    assert_int_equal(C.ssthresh, 50 * MSS);
    assert_int_equal(C.cwnd, 50 * MSS);
    /* congestion avoidance: one segment per RTT */
    one_rtt();
    assert_int_equal(C.cwnd, 51 * MSS);
    one_rtt();
    assert_int_equal(C.cwnd, 52 * MSS);
}

/* RTT 100 ms: the cubic curve governs (Reno's estimate grows only 0.53
 * segments per RTT).  From 70 segments after a loss at 100, W(t) = 100 +
 * 0.4 (t - K)^3 with K = cbrt(30 / 0.4) = 4.22 s: 87.9 at 1 s, 96.2 at
 * 2 s, the plateau at 100 around K, and convex growth beyond: 111.7 at
 * K + 3 s.  (The window aims at W(t + RTT) over each RTT, closing about
 * 63% of the gap per RTT, so after the RTT ending at t it is a little
 * below W(t) while it climbs.) */
static uint32_t cwnd_at(uint64_t t0, uint64_t ms)
{
    while ((env.clock.mono_ns - t0) / UK_NS_PER_MS < ms) {
        uint32_t before = C.cwnd;
        one_rtt();
        assert_true(C.cwnd >= before); /* never shrinks */
    }
    return C.cwnd;
}

static void test_cubic_curve(void **state)
{
    uint64_t t0;
    UK_UNUSED(state);
    cc_setup(false, true, 100);
    uk__tcp_cc_reduce(&C, false);
    C.snd_max = C.snd_nxt = C.snd_una + C.cwnd;
    t0 = env.clock.mono_ns;
    assert_in_range(cwnd_at(t0, 1000), 84 * MSS, 90 * MSS);
    assert_in_range(cwnd_at(t0, 2000), 93 * MSS, 98 * MSS);
    assert_in_range(cwnd_at(t0, 4200), 99 * MSS, 101 * MSS);
    assert_in_range(cwnd_at(t0, 5200), 99 * MSS, 102 * MSS);
    /* 111.7 by the curve; Reno's estimate, past W_max at 5.7 s and then
     * growing a segment per RTT, is 115 by now and takes over (4.3) */
    assert_in_range(cwnd_at(t0, 7200), 110 * MSS, 116 * MSS);
}

/* RTT 1 ms: Reno's rate beats the curve, and the window follows the
 * Reno-friendly estimate, about 0.53 segments per RTT. */
static void test_cubic_reno_friendly(void **state)
{
    int i;
    UK_UNUSED(state);
    cc_setup(false, true, 1);
    uk__tcp_cc_reduce(&C, false);
    C.snd_max = C.snd_nxt = C.snd_una + C.cwnd;
    for (i = 0; i < 40; i++)
        one_rtt();
    /* 70 + 40 * 0.53 = 91 segments; the curve alone would be near 70 */
    assert_in_range(C.cwnd, 88 * MSS, 94 * MSS);
}

/* An application-limited flow does not grow its window. */
static void test_app_limited(void **state)
{
    UK_UNUSED(state);
    cc_setup(false, true, 10);
    C.snd_max = C.snd_nxt = C.snd_una + 10 * MSS; /* only 10 in flight */
    C.snd_una += MSS;
    uk__tcp_cc_ack(&C, MSS);
    assert_int_equal(C.cwnd, 100 * MSS);
    C.ssthresh = 0xffffffffu; /* nor in slow start */
    C.snd_una += MSS;
    uk__tcp_cc_ack(&C, MSS);
    assert_int_equal(C.cwnd, 100 * MSS);
}

static void test_undo(void **state)
{
    struct tcp_seg s;
    uint32_t ts;
    UK_UNUSED(state);
    cc_setup(false, true, 10);
    fake_clock_set(&env.clock, env.clock.mono_ns + 5 * UK_NS_PER_MS);
    ts = tcp_ms(&T);
    uk__tcp_cc_reduce(&C, false);
    assert_true(C.cc.cubic.undo_ok);
    assert_true(C.cwnd < 100 * MSS);
    /* a second reduction in the same episode keeps the first's state */
    uk__tcp_cc_reduce(&C, true);
    assert_int_equal(C.cwnd, MSS);
    memset(&s, 0, sizeof s);
    s.has_ts = true;
    s.tsecr = ts - 3; /* echoes the original transmission */
    uk__tcp_cc_undo_check(&C, &s);
    assert_int_equal(T.stats.spurious_undo, 1);
    assert_int_equal(C.cwnd, 100 * MSS);
    assert_true(C.ssthresh >= 50 * MSS);
    assert_false(C.cc.cubic.undo_ok);
    /* only the first ACK decides */
    uk__tcp_cc_undo_check(&C, &s);
    assert_int_equal(T.stats.spurious_undo, 1);
    /* an ACK echoing the retransmission: the loss was real */
    uk__tcp_cc_reduce(&C, false);
    s.tsecr = ts;
    uk__tcp_cc_undo_check(&C, &s);
    assert_int_equal(T.stats.spurious_undo, 1);
    assert_true(C.cwnd < 100 * MSS);
    /* without a timestamp nothing is undone */
    C.cwnd = 100 * MSS;
    C.snd_max = C.snd_nxt = C.snd_una + C.cwnd;
    uk__tcp_cc_reduce(&C, false);
    s.has_ts = false;
    uk__tcp_cc_undo_check(&C, &s);
    assert_int_equal(T.stats.spurious_undo, 1);
    /* nor without timestamps on the connection, nor with cfg.no_undo */
    cc_setup(false, false, 10);
    uk__tcp_cc_reduce(&C, false);
    s.has_ts = true;
    s.tsecr = 1;
    uk__tcp_cc_undo_check(&C, &s);
    assert_int_equal(T.stats.spurious_undo, 0);
    assert_true(C.cwnd < 100 * MSS);
    cc_setup(false, true, 10);
    T.cfg.no_undo = true;
    fake_clock_set(&env.clock, env.clock.mono_ns + 5 * UK_NS_PER_MS);
    uk__tcp_cc_reduce(&C, false);
    uk__tcp_cc_undo_check(&C, &s);
    assert_int_equal(T.stats.spurious_undo, 0);
    assert_true(C.cwnd < 100 * MSS);
}

/* ---- two stacks over the wire ---- */

static struct tb_app srv, cli;

static bool cli_done(void)
{
    return cli.received == srv.to_send && srv.sent == srv.to_send;
}

/* A sends `bytes` to B through the fault spec; returns A's stats. */
static void wire_bulk(const char *spec, uint64_t seed, const char *cc,
                      uint64_t bytes)
{
    struct uk_faults_config fc;
    struct uk_tcpip_tcp_config cfg;
    struct uk_ipv4_ep dst = {A_IP, 80};
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    assert_int_equal(uk_tcpip_tcp_config_cc(&cfg, cc), 0);
    assert_int_equal(uk_faults_parse(spec, strlen(spec), &fc), 0);
    fc.seed = seed;
    tb_build(&cfg, 4, &fc, seed);
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.seed = cli.peer_seed = 31;
    cli.seed = srv.peer_seed = 32;
    srv.to_send = bytes;
    tb_start(&srv, &cli, &dst);
    assert_true(tb_run_until(cli_done, 3600 * UK_NS_PER_S));
    assert_false(cli.mismatch);
    assert_int_equal(cli.received, bytes);
    assert_true(na.tcp.stats.fast_rexmit + na.tcp.stats.rto > 0);
    assert_int_equal(uk_flow_abort(srv.f, tb_on_close, &srv), 0);
    srv.f = NULL;
    assert_int_equal(uk_flow_abort(cli.f, tb_on_close, &cli), 0);
    cli.f = NULL;
    tb_teardown();
}

static void test_wire_loss_cubic(void **state)
{
    UK_UNUSED(state);
    wire_bulk("drop=3%", 41, "cubic", 4u << 20);
    /* every retransmission under pure loss is needed: nothing undone */
    assert_int_equal(na.tcp.stats.spurious_undo, 0);
}

static void test_wire_loss_newreno(void **state)
{
    UK_UNUSED(state);
    wire_bulk("drop=3%", 42, "newreno", 4u << 20);
    assert_int_equal(na.tcp.stats.spurious_undo, 0);
}

static void test_wire_loss_bbr(void **state)
{
    UK_UNUSED(state);
    wire_bulk("drop=5%", 51, "bbr", 4u << 20);
    assert_true(na.tcp.stats.fast_rexmit > 0);
    assert_int_equal(na.tcp.stats.spurious_undo, 0);
}

static void test_wire_reorder_bbr(void **state)
{
    UK_UNUSED(state);
    wire_bulk("reorder=5%,delay=2%,delay_ms=300,drop=1%,dup=1%", 44, "bbr",
              4u << 20);
}

static void test_wire_reorder_cubic(void **state)
{
    UK_UNUSED(state);
    wire_bulk("reorder=5%,delay=2%,delay_ms=300", 43, "cubic", 4u << 20);
    print_message("reorder/delay: %lu fast retransmits, %lu timeouts, %lu "
                  "undone\n", (unsigned long)na.tcp.stats.fast_rexmit,
                  (unsigned long)na.tcp.stats.rto,
                  (unsigned long)na.tcp.stats.spurious_undo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cubic_reduce),
        cmocka_unit_test(test_newreno_reduce),
        cmocka_unit_test(test_cubic_curve),
        cmocka_unit_test(test_cubic_reno_friendly),
        cmocka_unit_test(test_app_limited),
        cmocka_unit_test(test_undo),
        cmocka_unit_test(test_wire_loss_cubic),
        cmocka_unit_test(test_wire_loss_newreno),
        cmocka_unit_test(test_wire_loss_bbr),
        cmocka_unit_test(test_wire_reorder_cubic),
        cmocka_unit_test(test_wire_reorder_bbr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
