/*
 * test_tcp_bbr.c - the BBR-style congestion control (lib/tcpip/tcp_bbr.c,
 * cfg.bbr): startup doubling until the bandwidth stops growing, the
 * window then set from the model (2 x bandwidth x least RTT plus three
 * sends' worth), losses that leave the window alone where CUBIC's shrinks
 * it, a timeout's restart and regrowth, the bandwidth filter forgetting
 * an old peak, PROBE_RTT after 10 s, and the choice by name.  White-box:
 * a connection object driven with rounds of ACKs in virtual time.  (Its
 * byte-exact bulk transfer under 5% loss between two stacks is with the
 * other controllers' in test_tcp_cc.c.)
 */
#include "test_tcp_harness.h"

#include "../../lib/tcpip/tcp_internal.h"

#define MSS 1448u /* eff_mss: mss 1460 - 12 for timestamps */
#define RTT_NS (100 * UK_NS_PER_US)

static struct uk_tcpip_tcpv4 T;
static struct uk_tcpip_tcp_conn C;

static void bbr_setup(void)
{
    h_env_init(&env, 1);
    /* odd, so a round's start (stored with its low bit set, 0 meaning
     * "no round") is exact and the RTTs below come out whole */
    fake_clock_set(&env.clock, UK_NS_PER_S + 1);
    memset(&T, 0, sizeof T);
    memset(&C, 0, sizeof C);
    T.time = &env.loop.time;
    T.cfg.bbr = true;
    C.tcp = &T;
    C.ts_ok = true;
    C.sack_ok = true;
    C.mss = 1460;
    C.state = TCP_ESTABLISHED;
    C.snd_una = C.snd_nxt = C.snd_max = C.high_sack = 1000;
    C.cwnd = 10 * MSS;
    C.ssthresh = 0xffffffffu;
}

/* One round trip: `bytes` of new data go out at once (the round's marker
 * their last byte), and rtt_ns later the peer acknowledges them all. */
static void round_trip(uint32_t bytes, uint64_t rtt_ns)
{
    C.snd_max = C.snd_nxt = C.snd_max + bytes;
    uk__tcp_bbr_sent(&C);
    fake_clock_set(&env.clock, env.clock.mono_ns + rtt_ns);
    C.snd_una = C.high_sack = C.snd_max;
    uk__tcp_bbr_ack(&C, bytes);
}

/* The model's window for `bw` bytes per RTT_NS with no offload: twice the
 * product, plus three sends of at least two segments. */
static uint32_t model_window(uint32_t bw)
{
    return 2 * bw + 3 * 2 * MSS;
}

static void test_startup_doubles_then_model(void **state)
{
    unsigned i;
    UK_UNUSED(state);
    bbr_setup();
    /* an unlimited path: each round delivers the whole window, and the
     * window doubles as in slow start, losses or not */
    for (i = 0; i < 4; i++) {
        uint32_t before = C.cwnd;
        round_trip(C.cwnd, RTT_NS);
        assert_int_equal(C.cwnd, 2 * before);
        assert_int_equal(C.bbr_phase, 0);
    }
    /* a bottleneck of 64 segments per RTT: three rounds without 25%
     * more bandwidth end startup */
    for (i = 0; i < 3; i++) {
        assert_int_equal(C.bbr_phase, 0);
        round_trip(64 * MSS, RTT_NS);
    }
    assert_int_equal(C.bbr_phase, 1);
    assert_int_equal(C.cc.bbr.min_rtt_ns, RTT_NS);
    /* once the startup's peak left the filter, the window is the
     * model's */
    for (i = 0; i < 10; i++)
        round_trip(64 * MSS, RTT_NS);
    assert_int_equal(C.cc.bbr.bw_cur > C.cc.bbr.bw_prev ? C.cc.bbr.bw_cur
                                                        : C.cc.bbr.bw_prev,
                     (uint32_t)((uint64_t)64 * MSS * UK_NS_PER_MS / RTT_NS));
    assert_int_equal(C.cwnd, model_window(64 * MSS));
}

static void test_loss_keeps_window(void **state)
{
    unsigned i;
    uint32_t w;
    UK_UNUSED(state);
    bbr_setup();
    for (i = 0; i < 10; i++)
        round_trip(32 * MSS, RTT_NS);
    w = C.cwnd;
    assert_int_equal(w, model_window(32 * MSS));
    /* a loss found by SACK: no reduction; recovery's end (ssthresh)
     * restores the same window */
    C.snd_max = C.snd_nxt = C.snd_una + w;
    uk__tcp_cc_reduce(&C, false);
    assert_int_equal(C.cwnd, w);
    assert_int_equal(C.ssthresh, w);
    /* CUBIC, the default, would shrink it to 0.7 of the flight */
    {
        struct uk_tcpip_tcp_conn saved = C;
        T.cfg.bbr = false;
        uk__tcp_cc_reduce(&C, false);
        assert_true(C.cwnd < w * 3 / 4);
        T.cfg.bbr = true;
        C = saved;
    }
    /* a timeout restarts from one segment (four once ACKs come) and
     * regrows by what each ACK delivers, up to the model's window */
    uk__tcp_cc_reduce(&C, true);
    assert_int_equal(C.cwnd, MSS);
    C.snd_una += 2 * MSS;
    uk__tcp_bbr_ack(&C, 2 * MSS);
    assert_int_equal(C.cwnd, 4 * MSS);
    for (i = 0; i < 100; i++) {
        C.snd_una += 2 * MSS;
        uk__tcp_bbr_ack(&C, 2 * MSS);
    }
    assert_int_equal(C.cwnd, w);
    /* CUBIC's growth leaves the window alone: the model owns it */
    C.snd_max = C.snd_una + w;
    uk__tcp_cc_ack(&C, 10 * MSS);
    assert_int_equal(C.cwnd, w);
}

static void test_bandwidth_filter_forgets(void **state)
{
    unsigned i;
    UK_UNUSED(state);
    bbr_setup();
    for (i = 0; i < 10; i++)
        round_trip(64 * MSS, RTT_NS);
    assert_int_equal(C.cwnd, model_window(64 * MSS));
    /* the path now carries a quarter: within ten rounds the old peak is
     * gone and the window follows */
    for (i = 0; i < 10; i++)
        round_trip(16 * MSS, RTT_NS);
    round_trip(16 * MSS, RTT_NS);
    assert_int_equal(C.cwnd, model_window(16 * MSS));
}

static void test_probe_rtt_after_10s(void **state)
{
    unsigned i;
    UK_UNUSED(state);
    bbr_setup();
    for (i = 0; i < 10; i++)
        round_trip(32 * MSS, RTT_NS);
    /* 10 s of rounds twice as long (a queue of our own): the least RTT
     * gets old, a round at 4 segments drains the queue and its RTT is the
     * new estimate */
    for (i = 0; i < 60000 && C.bbr_phase != 2; i++)
        round_trip(32 * MSS, 2 * RTT_NS);
    assert_int_equal(C.bbr_phase, 2);
    assert_true(i >= 49000); /* 10 s of 200 us rounds */
    C.snd_max = C.snd_una + 10 * MSS;
    uk__tcp_bbr_ack(&C, 0);
    assert_int_equal(C.cwnd, 4 * MSS);
    C.snd_una = C.high_sack = C.snd_max;
    round_trip(4 * MSS, 3 * RTT_NS);
    assert_int_equal(C.bbr_phase, 1);
    assert_int_equal(C.cc.bbr.min_rtt_ns, 3 * RTT_NS);
}

static void test_config_by_name(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    assert_int_equal(uk_tcpip_tcp_config_cc(&cfg, "bbr"), 0);
    assert_true(cfg.bbr && !cfg.newreno);
    assert_int_equal(uk_tcpip_tcp_config_cc(&cfg, "newreno"), 0);
    assert_true(!cfg.bbr && cfg.newreno);
    assert_int_equal(uk_tcpip_tcp_config_cc(&cfg, "cubic"), 0);
    assert_true(!cfg.bbr && !cfg.newreno);
    assert_int_equal(uk_tcpip_tcp_config_cc(&cfg, "vegas"), UK_EINVAL);
    assert_int_equal(uk_tcpip_tcp_config_cc(&cfg, ""), UK_EINVAL);
    assert_true(!cfg.bbr && !cfg.newreno); /* left as it was */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_startup_doubles_then_model),
        cmocka_unit_test(test_loss_keeps_window),
        cmocka_unit_test(test_bandwidth_filter_forgets),
        cmocka_unit_test(test_probe_rtt_after_10s),
        cmocka_unit_test(test_config_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
