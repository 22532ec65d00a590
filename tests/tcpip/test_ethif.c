/*
 * test_ethif.c - the Ethernet layer: demultiplexing, drops, output.
 */
#include "tcpip_harness.h"

#include <uk/tcpip/ethif.h>

static struct h_env env;
static struct fake_net net;
static struct uk_tcpip_ethif eth;

static int delivered;
static size_t last_len;
static struct uk_mac last_src;

static void on_ipv4(void *arg, const struct uk_mac *src, struct uk_buf *p)
{
    assert_ptr_equal(arg, &eth);
    delivered++;
    last_len = p->len;
    last_src = *src;
    uk_buf_free(p);
}

static int setup(void **state)
{
    UK_UNUSED(state);
    h_env_init(&env, 1);
    fake_net_init(&net, &h_mac_a);
    assert_int_equal(uk_tcpip_ethif_init(&eth, &net.base, &env.loop.time), 0);
    assert_int_equal(uk_ethif_set_handler(&eth.base, UK_ETHERTYPE_IPV4,
                                          on_ipv4, &eth),
                     0);
    delivered = 0;
    return 0;
}

static int teardown(void **state)
{
    UK_UNUSED(state);
    fn_assert_no_leak(&net);
    return 0;
}

static void test_demux(void **state)
{
    uint8_t f[100];
    UK_UNUSED(state);
    memset(f, 0x5a, sizeof f);
    h_eth(f, &h_mac_a, &h_mac_b, UK_ETHERTYPE_IPV4);
    assert_true(fn_inject(&net, f, 60));
    assert_int_equal(delivered, 1);
    assert_int_equal(last_len, 60 - 14);
    assert_true(uk_mac_eq(&last_src, &h_mac_b));
    h_eth(f, &h_mac_bcast, &h_mac_b, UK_ETHERTYPE_IPV4);
    fn_inject(&net, f, 60);
    assert_int_equal(delivered, 2);
    assert_int_equal(eth.stats.rx_delivered, 2);
}

static void test_drops(void **state)
{
    uint8_t f[100];
    UK_UNUSED(state);
    memset(f, 0, sizeof f);
    h_eth(f, &h_mac_c, &h_mac_b, UK_ETHERTYPE_IPV4); /* other MAC */
    fn_inject(&net, f, 60);
    h_eth(f, &h_mac_a, &h_mac_b, UK_ETHERTYPE_VLAN);
    fn_inject(&net, f, 64);
    h_eth(f, &h_mac_a, &h_mac_b, UK_ETHERTYPE_IPV6); /* no handler */
    fn_inject(&net, f, 60);
    fn_inject(&net, f, 13); /* runt */
    fn_inject(&net, f, 0);
    assert_int_equal(delivered, 0);
    assert_int_equal(eth.stats.rx_other_mac, 1);
    assert_int_equal(eth.stats.rx_vlan, 1);
    assert_int_equal(eth.stats.rx_unknown_type, 1);
    assert_int_equal(eth.stats.rx_runt, 2);
    /* A removed handler no longer gets frames. */
    assert_int_equal(uk_ethif_set_handler(&eth.base, UK_ETHERTYPE_IPV4, NULL,
                                          NULL),
                     0);
    h_eth(f, &h_mac_a, &h_mac_b, UK_ETHERTYPE_IPV4);
    fn_inject(&net, f, 60);
    assert_int_equal(delivered, 0);
}

static void test_output(void **state)
{
    struct uk_buf *b = NULL, stackbuf;
    uint8_t mem[32];
    const uint8_t *f;
    size_t len;
    UK_UNUSED(state);
    assert_int_equal(uk_ethif_alloc(&eth.base, 0, 10, &b), 0);
    memset(uk_buf_put(b, 10), 7, 10);
    assert_int_equal(uk_ethif_output(&eth.base, &h_mac_b, 0x0800, b), 0);
    f = fn_last(&net, &len);
    assert_int_equal(len, 24);
    assert_memory_equal(f, h_mac_b.b, 6);
    assert_memory_equal(f + 6, h_mac_a.b, 6);
    assert_int_equal(uk_load_be16(f + 12), 0x0800);
    /* No headroom: copied into a device buffer. */
    uk_buf_init(&stackbuf, mem, sizeof mem, 0);
    memset(uk_buf_put(&stackbuf, 5), 9, 5);
    assert_int_equal(uk_ethif_output(&eth.base, &h_mac_b, 0x0806, &stackbuf),
                     0);
    f = fn_last(&net, &len);
    assert_int_equal(len, 19);
    assert_int_equal(f[18], 9);
    assert_int_equal(eth.stats.tx_copied, 1);
    assert_int_equal(uk_ethif_alloc(&eth.base, 0, 1501, &b), UK_EMSGSIZE);
    assert_int_equal(uk_ethif_mtu(&eth.base), 1500);
}

static void test_handler_limit(void **state)
{
    int i;
    UK_UNUSED(state);
    for (i = 1; i < UK_TCPIP_ETHIF_HANDLERS; i++)
        assert_int_equal(uk_ethif_set_handler(&eth.base, (uint16_t)(0x9000 + i),
                                              on_ipv4, &eth),
                         0);
    assert_int_equal(uk_ethif_set_handler(&eth.base, 0x9999, on_ipv4, &eth),
                     UK_ELIMIT);
    /* Replacing an existing route needs no new slot. */
    assert_int_equal(uk_ethif_set_handler(&eth.base, UK_ETHERTYPE_IPV4,
                                          on_ipv4, &eth),
                     0);
}

static int done_calls;
static void on_done(void *arg)
{
    UK_UNUSED(arg);
    done_calls++;
}

static void test_disconnect(void **state)
{
    uint8_t f[60];
    UK_UNUSED(state);
    done_calls = 0;
    uk_ethif_disconnect(&eth.base, on_done, NULL);
    assert_int_equal(done_calls, 0); /* never inside the call */
    h_run_now(&env);
    assert_int_equal(done_calls, 1);
    memset(f, 0, sizeof f);
    h_eth(f, &h_mac_a, &h_mac_b, UK_ETHERTYPE_IPV4);
    fn_inject(&net, f, sizeof f);
    assert_int_equal(delivered, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handler_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disconnect, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
