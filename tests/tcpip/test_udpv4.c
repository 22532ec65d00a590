/*
 * test_udpv4.c - UDP over an assembled stack: listeners, checksums,
 * malformed input, port unreachable, sending (ports, checksum, sizes,
 * fragmentation).
 */
#include "stack_fixture.h"

static uint8_t seg[70000];
static uint8_t out[70000];

static int recvd;
static struct uk_udpv4_info rinfo;
static size_t rlen;
static uint8_t rdata[70000];

static void on_recv(void *arg, const struct uk_udpv4_info *info,
                    const void *data, size_t len)
{
    assert_ptr_equal(arg, &stack);
    recvd++;
    rinfo = *info;
    rlen = len;
    memcpy(rdata, data, len);
}

static struct uk_udpv4 *udp(void)
{
    return uk_stackv4_udpv4(&stack.base);
}

static void test_listen_table(void **state)
{
    int i;
    UK_UNUSED(state);
    assert_int_equal(uk_udpv4_listen(udp(), 0, on_recv, &stack), UK_EINVAL);
    assert_int_equal(uk_udpv4_listen(udp(), 53, on_recv, &stack), 0);
    assert_int_equal(uk_udpv4_listen(udp(), 53, on_recv, &stack),
                     UK_EADDRINUSE);
    for (i = 1; i < UK_TCPIP_UDP_LISTENERS; i++)
        assert_int_equal(uk_udpv4_listen(udp(), (uint16_t)(1000 + i), on_recv,
                                         &stack),
                         0);
    assert_int_equal(uk_udpv4_listen(udp(), 2000, on_recv, &stack), UK_ELIMIT);
    assert_int_equal(uk_udpv4_unlisten(udp(), 53), 0);
    assert_int_equal(uk_udpv4_unlisten(udp(), 53), UK_ENOENT);
    assert_int_equal(uk_stackv4_listen_udp(&stack.base, 2000, on_recv, &stack),
                     0);
}

static void test_receive(void **state)
{
    size_t n;
    UK_UNUSED(state);
    assert_int_equal(uk_udpv4_listen(udp(), 53, on_recv, &stack), 0);
    n = h_udp(seg, PEER, ME, 4444, 53, "query", 5);
    inject_ip(ME, UK_IPPROTO_UDP, seg, n);
    assert_int_equal(recvd, 1);
    assert_int_equal(rlen, 5);
    assert_memory_equal(rdata, "query", 5);
    assert_int_equal(rinfo.src.addr.v, PEER.v);
    assert_int_equal(rinfo.src.port, 4444);
    assert_int_equal(rinfo.dst.addr.v, ME.v);
    assert_int_equal(rinfo.dst.port, 53);
    /* Checksum 0: none, accepted. */
    uk_store_be16(seg + 6, 0);
    inject_ip(ME, UK_IPPROTO_UDP, seg, n);
    assert_int_equal(recvd, 2);
    /* Bad checksum, bad length fields: dropped. */
    n = h_udp(seg, PEER, ME, 4444, 53, "query", 5);
    seg[8] ^= 0x20;
    inject_ip(ME, UK_IPPROTO_UDP, seg, n);
    seg[8] ^= 0x20;
    uk_store_be16(seg + 4, 200);
    inject_ip(ME, UK_IPPROTO_UDP, seg, n);
    uk_store_be16(seg + 4, 7);
    inject_ip(ME, UK_IPPROTO_UDP, seg, n);
    inject_ip(ME, UK_IPPROTO_UDP, seg, 7);
    assert_int_equal(recvd, 2);
    assert_int_equal(stack.udp.stats.rx_bad_checksum, 1);
    assert_int_equal(stack.udp.stats.rx_malformed, 3);
    /* Large datagram, arriving in fragments. */
    {
        static uint8_t big[20000];
        size_t i;
        for (i = 0; i < sizeof big; i++)
            big[i] = (uint8_t)(i * 5 + 1);
        n = h_udp(seg, PEER, ME, 4444, 53, big, sizeof big);
        inject_ip(ME, UK_IPPROTO_UDP, seg, n);
        assert_int_equal(recvd, 3);
        assert_int_equal(rlen, sizeof big);
        assert_memory_equal(rdata, big, sizeof big);
    }
    assert_int_equal(net.ntx, 0);
}

static void test_port_unreachable(void **state)
{
    uint8_t proto;
    size_t n;
    UK_UNUSED(state);
    n = h_udp(seg, PEER, ME, 4444, 9999, "hi", 2);
    inject_ip(ME, UK_IPPROTO_UDP, seg, n);
    assert_int_equal(net.ntx, 1);
    assert_int_equal(collect_ip(0, out, &proto), 8 + 20 + 8);
    assert_int_equal(proto, UK_IPPROTO_ICMP);
    assert_int_equal(out[0], UK_ICMP_DEST_UNREACH);
    assert_int_equal(out[1], UK_ICMP_PORT_UNREACH);
    assert_int_equal(uk_load_be32(out + 8 + 12), PEER.v); /* quoted header */
    assert_int_equal(uk_load_be16(out + 28 + 2), 9999);   /* quoted UDP */
    /* Not for broadcasts. */
    n = h_udp(seg, PEER, uk_ipv4(255, 255, 255, 255), 68, 9999, "hi", 2);
    inject_ip(uk_ipv4(255, 255, 255, 255), UK_IPPROTO_UDP, seg, n);
    assert_int_equal(net.ntx, 1);
    assert_int_equal(stack.udp.stats.rx_no_port, 2);
}

static void test_send(void **state)
{
    struct uk_ipv4_ep dst;
    struct uk_iov iov[2];
    uint8_t proto;
    size_t n;
    UK_UNUSED(state);
    dst.addr = PEER;
    dst.port = 53;
    iov[0].base = "hel";
    iov[0].len = 3;
    iov[1].base = "lo";
    iov[1].len = 2;
    assert_int_equal(uk_udpv4_send(udp(), 1234, &dst, iov, 2), 0);
    n = collect_ip(0, out, &proto);
    assert_int_equal(n, 13);
    assert_int_equal(proto, UK_IPPROTO_UDP);
    assert_int_equal(uk_load_be16(out), 1234);
    assert_int_equal(uk_load_be16(out + 2), 53);
    assert_int_equal(uk_load_be16(out + 4), 13);
    assert_memory_equal(out + 8, "hello", 5);
    assert_int_equal(uk_inet_fold(uk_inet_sum(
                         uk_ipv4_pseudo_sum(ME, PEER, 17, n), out, n)),
                     0);
    /* Ephemeral ports. */
    net.ntx = 0;
    assert_int_equal(uk_udpv4_sendto(udp(), 0, &dst, "x", 1), 0);
    collect_ip(0, out, &proto);
    assert_true(uk_load_be16(out) >= 49152);
    /* Errors. */
    assert_int_equal(uk_udpv4_send(udp(), 1, &dst, iov, -1), UK_EINVAL);
    assert_int_equal(uk_udpv4_send(udp(), 1, &dst, iov, UK_IOV_MAX + 1),
                     UK_EINVAL);
    {
        static uint8_t huge[UK_UDPV4_MAX_PAYLOAD + 1];
        assert_int_equal(uk_udpv4_sendto(udp(), 1, &dst, huge, sizeof huge),
                         UK_EMSGSIZE);
        /* The largest datagram: fragmented into 45 frames. */
        net.ntx = 0;
        assert_int_equal(uk_udpv4_sendto(udp(), 1, &dst, huge,
                                         UK_UDPV4_MAX_PAYLOAD),
                         0);
        assert_int_equal(net.ntx, (65515 + 1479) / 1480);
        assert_int_equal(collect_ip(0, out, &proto), 65515);
    }
    dst.addr = uk_ipv4(8, 8, 8, 8);
    {
        struct uk_ipv4_config c = {ME, {0xffffff00u}, {0}};
        assert_int_equal(uk_ipv4_set_config(uk_tcpip_stackv4_ipv4(&stack), &c),
                         0);
    }
    assert_int_equal(uk_udpv4_sendto(udp(), 1, &dst, "x", 1), UK_ENETUNREACH);
}

static void test_stack_object(void **state)
{
    struct uk_ipv4_config c;
    struct uk_tcpv4 *tcp;
    UK_UNUSED(state);
    uk_stackv4_config(&stack.base, &c);
    assert_int_equal(c.addr.v, ME.v);
    assert_int_equal(c.gateway.v, GW.v);
    tcp = uk_stackv4_tcpv4(&stack.base);
    assert_non_null(tcp);
    assert_int_equal(uk_tcpv4_listen(tcp, 80, 0, NULL, NULL), UK_ENOTSUP);
    assert_int_equal(uk_tcpv4_connect(tcp, NULL, NULL, NULL), UK_ENOTSUP);
    assert_string_equal(uk_stackv4_id(&stack.base), "tcpip-stackv4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_listen_table, stack_setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_receive, stack_setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_port_unreachable, stack_setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_send, stack_setup,
                                        stack_teardown),
        cmocka_unit_test_setup_teardown(test_stack_object, stack_setup,
                                        stack_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
