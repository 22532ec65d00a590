/*
 * test_icmpv4.c - ICMP over an assembled stack: echo (small, large and
 * fragmented), broadcast and malformed requests, replies to our own
 * requests, unreachable errors and their rate limit.
 */
#include "stack_fixture.h"

static uint8_t out[70000];
static uint8_t msg[70000];

static void test_echo_reply(void **state)
{
    uint8_t data[56];
    uint8_t proto;
    size_t n, i;
    UK_UNUSED(state);
    for (i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i + 1);
    n = h_icmp_echo(msg, 8, 0x1234, 7, data, sizeof data);
    inject_ip(ME, UK_IPPROTO_ICMP, msg, n);
    assert_int_equal(net.ntx, 1);
    assert_memory_equal(net.tx[0], h_mac_b.b, 6);
    assert_int_equal(collect_ip(0, out, &proto), n);
    assert_int_equal(proto, UK_IPPROTO_ICMP);
    assert_int_equal(out[0], 0);
    assert_int_equal(uk_inet_fold(uk_inet_sum(0, out, n)), 0);
    assert_memory_equal(out + 4, msg + 4, n - 4); /* id, seq, data */
    assert_int_equal(uk_load_be32(net.tx[0] + 14 + 16), PEER.v);
}

static void test_large_echo_fragmented(void **state)
{
    static uint8_t data[8000];
    uint8_t proto;
    size_t n, i;
    UK_UNUSED(state);
    for (i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 13);
    n = h_icmp_echo(msg, 8, 1, 2, data, sizeof data);
    inject_ip(ME, UK_IPPROTO_ICMP, msg, n);
    assert_int_equal(net.ntx, (n + 1479) / 1480);
    assert_int_equal(collect_ip(0, out, &proto), n);
    assert_int_equal(out[0], 0);
    assert_int_equal(uk_inet_fold(uk_inet_sum(0, out, n)), 0);
    assert_memory_equal(out + 8, data, sizeof data);
}

static void test_ignored(void **state)
{
    size_t n;
    UK_UNUSED(state);
    n = h_icmp_echo(msg, 8, 1, 1, "x", 1);
    inject_ip(uk_ipv4(255, 255, 255, 255), UK_IPPROTO_ICMP, msg, n);
    inject_ip(uk_ipv4(10, 0, 0, 255), UK_IPPROTO_ICMP, msg, n);
    msg[8] ^= 1; /* bad checksum */
    inject_ip(ME, UK_IPPROTO_ICMP, msg, n);
    inject_ip(ME, UK_IPPROTO_ICMP, msg, 7); /* runt */
    assert_int_equal(net.ntx, 0);
    assert_int_equal(stack.icmp.stats.rx_bad_checksum, 1);
    assert_int_equal(stack.icmp.stats.rx_malformed, 1);
}

static int echoes;
static uint16_t echo_seq;
static void on_echo(void *arg, struct uk_ipv4_addr src, uint16_t id,
                    uint16_t seq, const void *data, size_t len)
{
    UK_UNUSED(arg);
    assert_int_equal(src.v, PEER.v);
    assert_int_equal(id, 99);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "abc", 3);
    echo_seq = seq;
    echoes++;
}

static void test_send_echo(void **state)
{
    struct uk_icmpv4 *icmp = uk_tcpip_stackv4_icmpv4(&stack);
    uint8_t proto;
    size_t n;
    UK_UNUSED(state);
    assert_int_equal(uk_icmpv4_set_echo_handler(icmp, on_echo, NULL), 0);
    assert_int_equal(uk_icmpv4_send_echo(icmp, PEER, 99, 5, "abc", 3), 0);
    n = collect_ip(0, out, &proto);
    assert_int_equal(n, 11);
    assert_int_equal(out[0], 8);
    assert_int_equal(uk_inet_fold(uk_inet_sum(0, out, n)), 0);
    n = h_icmp_echo(msg, 0, 99, 5, "abc", 3);
    inject_ip(ME, UK_IPPROTO_ICMP, msg, n);
    assert_int_equal(echoes, 1);
    assert_int_equal(echo_seq, 5);
}

static void test_unreachable_rate_limit(void **state)
{
    struct uk_icmpv4 *icmp = uk_tcpip_stackv4_icmpv4(&stack);
    uint8_t hdr[20] = {0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0,
                       10, 0, 0, 2, 10, 0, 0, 1};
    uint8_t udp[8] = {0, 1, 0, 2, 0, 8, 0, 0};
    struct uk_ipv4_info info;
    uint8_t proto;
    int i;
    UK_UNUSED(state);
    info.src = PEER;
    info.dst = ME;
    info.proto = UK_IPPROTO_UDP;
    info.ttl = 64;
    info.tos = 0;
    info.header = hdr;
    info.header_len = 20;
    info.broadcast = false;
    for (i = 0; i < UK_TCPIP_ICMP_BURST; i++)
        assert_int_equal(uk_icmpv4_send_unreachable(icmp, 3, &info, udp, 8),
                         0);
    assert_int_equal(uk_icmpv4_send_unreachable(icmp, 3, &info, udp, 8),
                     UK_EAGAIN);
    assert_int_equal(collect_ip(net.ntx - 1, out, &proto), 8 + 20 + 8);
    assert_int_equal(out[0], 3);
    assert_int_equal(out[1], 3);
    assert_memory_equal(out + 8, hdr, 20);
    h_run_for(&env, UK_NS_PER_S);
    assert_int_equal(uk_icmpv4_send_unreachable(icmp, 3, &info, udp, 8), 0);
    /* Never about broadcasts (as IP reports them), or about ICMP errors. */
    info.dst = uk_ipv4(10, 0, 0, 255);
    info.broadcast = true;
    assert_int_equal(uk_icmpv4_send_unreachable(icmp, 3, &info, udp, 8),
                     UK_EINVAL);
    info.dst = ME;
    info.broadcast = false;
    info.proto = UK_IPPROTO_ICMP;
    udp[0] = 3;
    assert_int_equal(uk_icmpv4_send_unreachable(icmp, 3, &info, udp, 8),
                     UK_EINVAL);
    info.src = uk_ipv4_any();
    assert_int_equal(uk_icmpv4_send_unreachable(icmp, 3, &info, udp, 8),
                     UK_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_echo_reply, stack_setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_large_echo_fragmented,
                                        stack_setup, stack_teardown),
        cmocka_unit_test_setup_teardown(test_ignored, stack_setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_send_echo, stack_setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_unreachable_rate_limit,
                                        stack_setup, stack_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
