/*
 * test_two_stacks.c - two assembled stacks joined by the loopback wire:
 * ARP both ways, pings that fragment, UDP request/response, the same under
 * the fault shim (10% loss and more) by retry, and a pcap of it all.  Every
 * buffer must be back in its pool at the end.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tcpip_harness.h"

#include <uk/tcpip/faults.h>
#include <uk/tcpip/pcap.h>
#include <uk/tcpip/stackv4.h>
#include <uk/tcpip/wire.h>

#define A_IP uk_ipv4(192, 168, 7, 1)
#define B_IP uk_ipv4(192, 168, 7, 2)

static struct h_env env;
static struct uk_wire wire;
static struct uk_faults faults_a, faults_b;
static struct uk_pcap pcap;
static struct uk_tcpip_stackv4 a, b;

/* The capture of wire end 0: counted, and written to the file
 * $UK_TCPIP_TEST_PCAP.<n> when that is set (n: the test's build number), so
 * a run can be inspected with tshark or wireshark. */
static size_t cap_bytes, cap_calls;
static FILE *cap_file;
static int builds;

static int sink(void *arg, const void *d, size_t n)
{
    UK_UNUSED(arg);
    cap_bytes += n;
    cap_calls++;
    if (cap_file != NULL && fwrite(d, 1, n, cap_file) != n)
        return UK_EIO;
    return 0;
}

static void open_capture(void)
{
    const char *base = getenv("UK_TCPIP_TEST_PCAP");
    char path[512];
    if (cap_file != NULL)
        fclose(cap_file);
    cap_file = NULL;
    builds++;
    if (base == NULL || base[0] == '\0')
        return;
    snprintf(path, sizeof path, "%s.%d", base, builds);
    cap_file = fopen(path, "wb");
    assert_non_null(cap_file);
}

/* Builds A over [faults over] pcap over wire end 0, B over [faults over]
 * wire end 1. */
static void build_faults(const struct uk_faults_config *fc, bool both)
{
    struct uk_ipv4_config ca = {A_IP, {0xffffff00u}, {0}};
    struct uk_ipv4_config cb = {B_IP, {0xffffff00u}, {0}};
    struct uk_network *na, *nb;
    h_env_init(&env, 6);
    uk_wire_init(&wire, &env.loop.time, &h_mac_a, &h_mac_b);
    cap_bytes = cap_calls = 0;
    open_capture();
    assert_int_equal(uk_pcap_init(&pcap, uk_wire_network(&wire, 0),
                                  &env.clock.clock, sink, NULL, 0),
                     0);
    na = &pcap.base;
    nb = uk_wire_network(&wire, 1);
    if (fc != NULL) {
        struct uk_faults_config c2 = *fc;
        c2.seed = fc->seed + 1;
        if (!both)
            c2.drop = c2.corrupt = c2.duplicate = c2.delay = c2.reorder = 0;
        assert_int_equal(uk_faults_init(&faults_a, na, &env.loop.time, fc), 0);
        assert_int_equal(uk_faults_init(&faults_b, nb, &env.loop.time, &c2),
                         0);
        na = &faults_a.base;
        nb = &faults_b.base;
    }
    assert_int_equal(uk_tcpip_stackv4_init(&a, na, &env.loop.time,
                                           &env.prng.random, &ca, NULL),
                     0);
    assert_int_equal(uk_tcpip_stackv4_init(&b, nb, &env.loop.time,
                                           &env.prng.random, &cb, NULL),
                     0);
}

static void build(const struct uk_faults_config *fc)
{
    build_faults(fc, true);
}

static int done;
static void on_done(void *arg)
{
    UK_UNUSED(arg);
    done++;
}

static void teardown_stacks(bool faulty)
{
    done = 0;
    uk_stackv4_disconnect(&a.base, on_done, NULL);
    uk_stackv4_disconnect(&b.base, on_done, NULL);
    h_run_for(&env, 200 * UK_NS_PER_S);
    assert_int_equal(done, 2);
    if (faulty) {
        assert_int_equal(uk_faults_busy(&faults_a), 0);
        assert_int_equal(uk_faults_busy(&faults_b), 0);
    }
    assert_int_equal(uk_wire_end_available(&wire, 0), UK_WIRE_FRAMES);
    assert_int_equal(uk_wire_end_available(&wire, 1), UK_WIRE_FRAMES);
    assert_int_equal(a.ip.big.available, a.ip.big.count);
    assert_int_equal(b.ip.big.available, b.ip.big.count);
    if (cap_file != NULL) {
        fclose(cap_file);
        cap_file = NULL;
    }
}

/* ---- ping ---- */

static int pongs;
static size_t pong_len;
static uint16_t pong_seq;
static uint8_t pong_data[70000];

static void on_pong(void *arg, struct uk_ipv4_addr src, uint16_t id,
                    uint16_t seq, const void *data, size_t len)
{
    UK_UNUSED(arg);
    assert_int_equal(src.v, B_IP.v);
    assert_int_equal(id, 77);
    pongs++;
    pong_seq = seq;
    pong_len = len;
    memcpy(pong_data, data, len);
}

static void ping(uint16_t seq, size_t len)
{
    static uint8_t data[70000];
    size_t i;
    int before = pongs;
    for (i = 0; i < len; i++)
        data[i] = (uint8_t)(i * 31 + seq);
    assert_int_equal(uk_icmpv4_send_echo(uk_tcpip_stackv4_icmpv4(&a), B_IP,
                                         77, seq, data, len),
                     0);
    h_run_for(&env, UK_NS_PER_S);
    assert_int_equal(pongs, before + 1);
    assert_int_equal(pong_seq, seq);
    assert_int_equal(pong_len, len);
    assert_memory_equal(pong_data, data, len);
}

static void test_arp_and_ping(void **state)
{
    struct uk_mac m;
    UK_UNUSED(state);
    build(NULL);
    pongs = 0;
    uk_icmpv4_set_echo_handler(uk_tcpip_stackv4_icmpv4(&a), on_pong, NULL);
    ping(1, 56);
    /* ARP both ways: A resolved B, and B learned A from A's request. */
    assert_int_equal(uk_arpv4_query(uk_tcpip_stackv4_arpv4(&a), B_IP, &m), 0);
    assert_true(uk_mac_eq(&m, &h_mac_b));
    assert_int_equal(uk_arpv4_query(uk_tcpip_stackv4_arpv4(&b), A_IP, &m), 0);
    assert_true(uk_mac_eq(&m, &h_mac_a));
    assert_int_equal(a.arp.stats.tx_requests, 2); /* gratuitous + who-has */
    assert_int_equal(b.arp.stats.tx_requests, 1); /* gratuitous */
    ping(2, 4000);  /* 3 fragments each way */
    ping(3, 30000); /* 21 fragments each way */
    ping(4, 65507); /* the largest echo */
    assert_int_equal(b.ip.stats.reass_ok, 3);
    assert_int_equal(a.ip.stats.reass_ok, 3);
    assert_true(pcap.records > 2 * (3 + 21 + 45));
    assert_int_equal(pcap.errors, 0);
    teardown_stacks(false);
}

/* ---- UDP echo: B answers on port 7 ---- */

static void on_echo_server(void *arg, const struct uk_udpv4_info *info,
                           const void *data, size_t len)
{
    struct uk_udpv4 *u = (struct uk_udpv4 *)arg;
    uk_udpv4_sendto(u, info->dst.port, &info->src, data, len);
}

static int answers[64];
static void on_answer(void *arg, const struct uk_udpv4_info *info,
                      const void *data, size_t len)
{
    unsigned idx;
    UK_UNUSED(arg);
    assert_int_equal(info->src.addr.v, B_IP.v);
    assert_int_equal(info->src.port, 7);
    assert_true(len >= 4);
    idx = uk_load_be32(data);
    assert_true(idx < 64);
    answers[idx]++;
}

/* Sends request idx (len bytes) until answered, at most tries times, one
 * second apart.  Returns the number of sends. */
static int request(unsigned idx, size_t len, int tries)
{
    static uint8_t q[20000];
    struct uk_ipv4_ep dst = {B_IP, 7};
    int n = 0;
    memset(q, (int)idx, len);
    uk_store_be32(q, idx);
    while (answers[idx] == 0 && n < tries) {
        int rc = uk_udpv4_sendto(uk_stackv4_udpv4(&a.base), 5000, &dst, q,
                                 len);
        assert_true(rc == 0 || rc == UK_EHOSTUNREACH || rc == UK_ENOBUFS);
        n++;
        h_run_for(&env, UK_NS_PER_S);
    }
    if (answers[idx] == 0)
        print_error("request %u unanswered: A ip tx_err %lu arp fail %lu "
                    "B rx %lu udp rx %lu deliv %lu, a rx udp %lu\n", idx,
                    (unsigned long)a.ip.stats.tx_errors,
                    (unsigned long)a.arp.stats.resolve_failed,
                    (unsigned long)b.ip.stats.rx_packets,
                    (unsigned long)b.udp.stats.rx_datagrams,
                    (unsigned long)b.udp.stats.rx_delivered,
                    (unsigned long)a.udp.stats.rx_datagrams);
    assert_true(answers[idx] > 0);
    return n;
}

static void start_udp(void)
{
    memset(answers, 0, sizeof answers);
    assert_int_equal(uk_stackv4_listen_udp(&b.base, 7, on_echo_server,
                                           uk_stackv4_udpv4(&b.base)),
                     0);
    assert_int_equal(uk_stackv4_listen_udp(&a.base, 5000, on_answer, NULL),
                     0);
}

static void test_udp_request_response(void **state)
{
    unsigned i;
    UK_UNUSED(state);
    build(NULL);
    start_udp();
    for (i = 0; i < 16; i++)
        assert_int_equal(request(i, 4 + i * 700, 1), 1);
    /* A closed port: ICMP port unreachable comes back to A. */
    {
        struct uk_ipv4_ep dst = {B_IP, 9};
        assert_int_equal(uk_udpv4_sendto(uk_stackv4_udpv4(&a.base), 5000,
                                         &dst, "x", 1),
                         0);
        h_run_for(&env, UK_NS_PER_S);
        assert_int_equal(a.icmp.stats.rx_errors, 1);
    }
    teardown_stacks(false);
}

static void test_udp_under_faults(void **state)
{
    struct uk_faults_config fc;
    unsigned i;
    int sends = 0;
    UK_UNUSED(state);
    memset(&fc, 0, sizeof fc);
    fc.drop = 100000; /* 10% */
    fc.duplicate = 20000;
    fc.reorder = 20000;
    fc.delay = 20000;
    fc.corrupt = 5000;
    fc.seed = 2026;
    build(&fc);
    start_udp();
    for (i = 0; i < 64; i++)
        sends += request(i, 4 + (i % 8) * 500, 30);
    /* Loss happened and was overcome by retrying. */
    assert_true(sends > 64);
    assert_true(faults_a.stats.dropped[0] + faults_a.stats.dropped[1] +
                    faults_b.stats.dropped[0] + faults_b.stats.dropped[1] >
                0);
    teardown_stacks(true);
}

static void test_udp_large_under_loss(void **state)
{
    struct uk_faults_config fc;
    unsigned i;
    UK_UNUSED(state);
    memset(&fc, 0, sizeof fc);
    fc.drop = 100000; /* 10% of the frames A sends or receives */
    fc.seed = 7;
    build_faults(&fc, false);
    start_udp();
    for (i = 0; i < 8; i++) /* 5 fragments each way */
        request(i, 7000, 60);
    assert_true(b.ip.stats.reass_evicted + b.ip.stats.reass_timeout +
                    a.ip.stats.reass_evicted + a.ip.stats.reass_timeout >
                0);
    teardown_stacks(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arp_and_ping),
        cmocka_unit_test(test_udp_request_response),
        cmocka_unit_test(test_udp_under_faults),
        cmocka_unit_test(test_udp_large_under_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
