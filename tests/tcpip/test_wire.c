/*
 * test_wire.c - the loopback wire, the fault shim and the pcap writer on
 * their own.
 */
#include "tcpip_harness.h"

#include <uk/tcpip/faults.h>
#include <uk/tcpip/pcap.h>
#include <uk/tcpip/wire.h>

static struct h_env env;
static struct uk_wire wire;

static int rx_count[2];
static uint8_t rx_last[2][64];

static void on_rx(void *arg, struct uk_buf *b)
{
    int i = (int)(intptr_t)arg;
    rx_count[i]++;
    memcpy(rx_last[i], b->data, b->len < 64 ? b->len : 64);
    uk_buf_free(b);
}

static int setup(void **state)
{
    UK_UNUSED(state);
    h_env_init(&env, 5);
    uk_wire_init(&wire, &env.loop.time, &h_mac_a, &h_mac_b);
    rx_count[0] = rx_count[1] = 0;
    return 0;
}

static int teardown(void **state)
{
    UK_UNUSED(state);
    h_run_for(&env, UK_NS_PER_S);
    assert_int_equal(uk_wire_end_available(&wire, 0), UK_WIRE_FRAMES);
    assert_int_equal(uk_wire_end_available(&wire, 1), UK_WIRE_FRAMES);
    return 0;
}

static void send_bytes(struct uk_network *n, uint8_t tag, size_t len)
{
    struct uk_buf *b = NULL;
    assert_int_equal(uk_network_alloc(n, 0, len, &b), 0);
    memset(uk_buf_put(b, len), tag, len);
    assert_int_equal(uk_network_send(n, b), 0);
}

static void test_wire_deferred_in_order(void **state)
{
    struct uk_network *a = uk_wire_network(&wire, 0);
    struct uk_network *b = uk_wire_network(&wire, 1);
    struct uk_network_stats st;
    struct uk_iov iov = {"vvvvvvvvvvvvvvvv", 16};
    uint8_t mem[40];
    struct uk_buf foreign;
    struct uk_mac m;
    UK_UNUSED(state);
    uk_network_listen(b, on_rx, (void *)1);
    send_bytes(a, 1, 60);
    send_bytes(a, 2, 60);
    assert_int_equal(uk_network_sendv(a, &iov, 1), 0);
    uk_buf_init(&foreign, mem, sizeof mem, 0);
    memset(uk_buf_put(&foreign, 40), 3, 40);
    assert_int_equal(uk_network_send(a, &foreign), 0); /* copied */
    assert_int_equal(rx_count[1], 0); /* never inside send */
    h_run_now(&env);
    assert_int_equal(rx_count[1], 4);
    assert_int_equal(rx_last[1][0], 3);
    uk_network_stats(b, &st);
    assert_int_equal(st.rx_frames, 4);
    uk_network_stats(a, &st);
    assert_int_equal(st.tx_frames, 4);
    /* No listener on end 0: dropped and counted. */
    send_bytes(b, 4, 60);
    h_run_now(&env);
    uk_network_stats(a, &st);
    assert_int_equal(st.rx_dropped, 1);
    uk_network_mac(a, &m);
    assert_true(uk_mac_eq(&m, &h_mac_a));
    assert_int_equal(uk_network_mtu(a), 1500);
    {
        struct uk_buf *x = NULL;
        assert_int_equal(uk_network_alloc(a, 14, 1501, &x), UK_EMSGSIZE);
    }
}

static void test_faults_each(void **state)
{
    static struct uk_faults f;
    struct uk_faults_config c;
    UK_UNUSED(state);
    memset(&c, 0, sizeof c);
    c.drop = UK_FAULTS_ONE;
    assert_int_equal(uk_faults_init(&f, uk_wire_network(&wire, 0),
                                    &env.loop.time, &c),
                     0);
    uk_network_listen(uk_wire_network(&wire, 1), on_rx, (void *)1);
    send_bytes(&f.base, 1, 60);
    h_run_now(&env);
    assert_int_equal(rx_count[1], 0);
    assert_int_equal(f.stats.dropped[0], 1);
    /* Duplicate: the copy follows. */
    f.cfg.drop = 0;
    f.cfg.duplicate = UK_FAULTS_ONE;
    send_bytes(&f.base, 2, 60);
    h_run_for(&env, UK_NS_PER_MS);
    assert_int_equal(rx_count[1], 2);
    /* Corrupt: exactly one bit differs. */
    f.cfg.duplicate = 0;
    f.cfg.corrupt = UK_FAULTS_ONE;
    send_bytes(&f.base, 0, 60);
    h_run_now(&env);
    {
        int i, bits = 0;
        for (i = 0; i < 60; i++)
            bits += __builtin_popcount(rx_last[1][i]);
        assert_int_equal(bits, 1);
    }
    /* Reorder: the held frame is overtaken. */
    f.cfg.corrupt = 0;
    f.cfg.reorder = UK_FAULTS_ONE;
    send_bytes(&f.base, 5, 60);
    f.cfg.reorder = 0;
    send_bytes(&f.base, 6, 60);
    h_run_now(&env);
    assert_int_equal(rx_last[1][0], 6);
    h_run_for(&env, 2 * UK_NS_PER_MS);
    assert_int_equal(rx_last[1][0], 5);
    /* Delay, and the receive direction. */
    f.cfg.delay = UK_FAULTS_ONE;
    uk_network_listen(&f.base, on_rx, (void *)0);
    send_bytes(uk_wire_network(&wire, 1), 7, 60);
    h_run_for(&env, f.cfg.delay_ns + 1);
    assert_int_equal(rx_count[0], 1);
    assert_int_equal(f.stats.delayed[1], 1);
    assert_int_equal(uk_faults_busy(&f), 0);
}

static void test_faults_parse(void **state)
{
    const char *spec = "drop=10%,dup=1,reorder=0.5%,delay=2.25,delay_ms=20,"
                       "corrupt=0.0001%,seed=42";
    struct uk_faults_config c;
    UK_UNUSED(state);
    assert_int_equal(uk_faults_parse(spec, strlen(spec), &c), 0);
    assert_int_equal(c.drop, 100000);
    assert_int_equal(c.duplicate, 10000);
    assert_int_equal(c.reorder, 5000);
    assert_int_equal(c.delay, 22500);
    assert_int_equal(c.corrupt, 1);
    assert_int_equal(c.delay_ns, 20 * UK_NS_PER_MS);
    assert_int_equal(c.seed, 42);
    assert_int_equal(uk_faults_parse("", 0, &c), 0);
    assert_int_equal(c.drop, 0);
    assert_int_equal(uk_faults_parse("drop=101%", 9, &c), UK_EINVAL);
    assert_int_equal(uk_faults_parse("drop=1,drop=2", 13, &c), UK_EINVAL);
    assert_int_equal(uk_faults_parse("loss=1", 6, &c), UK_EINVAL);
    assert_int_equal(uk_faults_parse("drop=", 5, &c), UK_EINVAL);
    assert_int_equal(uk_faults_parse("drop=1,", 7, &c), UK_EINVAL);
    assert_int_equal(uk_faults_parse("drop=.5", 7, &c), UK_EINVAL);
    assert_int_equal(uk_faults_parse("seed=x", 6, &c), UK_EINVAL);
}

static uint8_t cap[4096];
static size_t cap_len;
static int sink(void *arg, const void *d, size_t n)
{
    UK_UNUSED(arg);
    if (cap_len + n > sizeof cap)
        return UK_ENOSPC;
    memcpy(cap + cap_len, d, n);
    cap_len += n;
    return 0;
}

static void test_pcap(void **state)
{
    static struct uk_pcap p;
    UK_UNUSED(state);
    cap_len = 0;
    assert_int_equal(uk_pcap_init(&p, uk_wire_network(&wire, 0),
                                  &env.clock.clock, sink, NULL, 50),
                     0);
    uk_network_listen(&p.base, on_rx, (void *)0);
    assert_int_equal(cap_len, 24);
    assert_int_equal(uk_load_be32(cap), 0xd4c3b2a1u); /* little-endian */
    assert_int_equal(cap[20], 1);                     /* LINKTYPE_ETHERNET */
    assert_int_equal(cap[16], 50);                    /* snaplen */
    send_bytes(&p.base, 9, 60);
    send_bytes(uk_wire_network(&wire, 1), 8, 30);
    h_run_now(&env);
    assert_int_equal(rx_count[0], 1);
    assert_int_equal(p.records, 2);
    assert_int_equal(cap_len, 24 + 16 + 50 + 16 + 30);
    assert_int_equal(cap[24 + 8], 50);  /* incl_len */
    assert_int_equal(cap[24 + 12], 60); /* orig_len */
    assert_int_equal(cap[24 + 16], 9);
    assert_int_equal(cap[24 + 16 + 50 + 16], 8);
    assert_int_equal(cap[24] | cap[25] << 8 | cap[26] << 16 | cap[27] << 24,
                     1700000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wire_deferred_in_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_faults_each, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pcap, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
