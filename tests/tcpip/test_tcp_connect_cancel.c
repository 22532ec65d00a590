/*
 * test_tcp_connect_cancel.c - cancelling a pending connect (RFC 9293
 * 3.10.4, CLOSE in SYN-SENT) between two stacks on the loopback wire, with
 * B's frames captured: the connection is deleted at once, the SYN-ACK that
 * still arrives gets a RST alone (never an ACK), the connect callback never
 * runs, and the listener's half-open connection goes away.  Also: a
 * handshake completed unnoticed is reset, and a connect whose callback ran
 * is no longer cancellable.
 */
#include "test_tcp_harness.h"

#include <uk/tcpip/pcap.h>

/* A TCP segment of a captured frame. */
struct cseg {
    bool from_b;
    uint32_t seq, ack;
    uint8_t flags;
};

#define CAP_MAX 256
static struct uk_pcap pcap;
static struct cseg caps[CAP_MAX];
static size_t ncaps;
/* the sink's reassembly of one record: header, then frame bytes */
static uint8_t rec[UK_PCAP_REC_HLEN + 2048];
static size_t rec_have, rec_want, file_hdr_left = UK_PCAP_FILE_HLEN;

static void cap_frame(const uint8_t *f, size_t n)
{
    size_t ihl;
    const uint8_t *tcp;
    if (n < 14 + 20 || uk_load_be16(f + 12) != 0x0800)
        return;
    ihl = (size_t)(f[14] & 15) * 4;
    if (f[14 + 9] != 6 || n < 14 + ihl + 20)
        return;
    tcp = f + 14 + ihl;
    assert_true(ncaps < CAP_MAX);
    caps[ncaps].from_b = uk_load_be32(f + 14 + 12) == B_IP.v;
    caps[ncaps].seq = uk_load_be32(tcp + 4);
    caps[ncaps].ack = uk_load_be32(tcp + 8);
    caps[ncaps].flags = tcp[13];
    ncaps++;
}

static int sink(void *arg, const void *data, size_t len)
{
    const uint8_t *d = (const uint8_t *)data;
    UK_UNUSED(arg);
    while (len > 0) {
        size_t take;
        if (file_hdr_left > 0) {
            take = len < file_hdr_left ? len : file_hdr_left;
            file_hdr_left -= take;
        } else {
            size_t want = rec_have < UK_PCAP_REC_HLEN ? UK_PCAP_REC_HLEN
                                                      : rec_want;
            take = want - rec_have < len ? want - rec_have : len;
            memcpy(rec + rec_have, d, take);
            rec_have += take;
            if (rec_have == UK_PCAP_REC_HLEN) {
                rec_want = UK_PCAP_REC_HLEN + ((uint32_t)rec[8] | (uint32_t)rec[9] << 8 |
                                               (uint32_t)rec[10] << 16 |
                                               (uint32_t)rec[11] << 24);
                assert_true(rec_want <= sizeof rec);
            }
            if (rec_have > UK_PCAP_REC_HLEN && rec_have == rec_want) {
                cap_frame(rec + UK_PCAP_REC_HLEN,
                          rec_want - UK_PCAP_REC_HLEN);
                rec_have = 0;
            }
        }
        d += take;
        len -= take;
    }
    return 0;
}

static struct uk_network *wrap_pcap(struct uk_network *lower)
{
    ncaps = rec_have = 0;
    file_hdr_left = UK_PCAP_FILE_HLEN;
    assert_int_equal(uk_pcap_init(&pcap, lower, &env.clock.clock, sink, NULL,
                                  0),
                     0);
    return &pcap.base;
}

static struct tb_app srv, cli;

static void build(void)
{
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.shutdown_after = cli.shutdown_after = true;
    srv.close_on_eof = cli.close_on_eof = true;
    tb_server_app = &srv;
    tb_accepts = tb_connects = 0;
    tb_wrap_b = wrap_pcap;
    tb_build(NULL, 8, NULL, 3);
    assert_int_equal(uk_tcpv4_listen(&na.tcp.base, 80, 0, tb_on_accept, NULL),
                     0);
}

/* B connects to A:80 with (tb_on_connect, &cli). */
static void start_connect(void)
{
    struct uk_ipv4_ep dst = {A_IP, 80};
    assert_int_equal(uk_tcpv4_connect(&nb.tcp.base, &dst, tb_on_connect,
                                      &cli),
                     0);
}

static void finish(void)
{
    assert_int_equal(uk_tcpv4_unlisten(&na.tcp.base, 80), 0);
    tb_teardown();
    tb_wrap_b = NULL;
}

static bool a_answered(void)
{
    return na.tcp.half_open == 1;
}

static bool a_idle(void)
{
    return uk_tcpip_tcp_active(&na.tcp) == 0;
}

static bool b_established(void)
{
    return nb.tcp.stats.connected == 1;
}

static bool both_closed(void)
{
    return srv.closed && cli.closed;
}

/* Frames of B (from_b) or to B carrying exactly flags. */
static unsigned count(bool from_b, uint8_t flags)
{
    unsigned n = 0;
    size_t i;
    for (i = 0; i < ncaps; i++)
        if (caps[i].from_b == from_b && caps[i].flags == flags)
            n++;
    return n;
}

static void test_cancel_in_syn_sent(void **state)
{
    const struct cseg *synack = NULL;
    size_t i;
    UK_UNUSED(state);
    build();
    assert_int_equal(uk_tcpv4_connect_cancel(&nb.tcp.base, tb_on_connect,
                                             &cli),
                     UK_ENOENT);
    start_connect();
    /* A has answered the SYN; B has not seen the SYN-ACK yet */
    assert_true(tb_run_until(a_answered, UK_NS_PER_S));
    assert_int_equal(count(false, 0x12), 0);
    assert_int_equal(uk_tcpv4_connect_cancel(&nb.tcp.base, tb_on_connect,
                                             &cli),
                     0);
    assert_int_equal(uk_tcpip_tcp_active(&nb.tcp), 0); /* deleted at once */
    assert_int_equal(uk_tcpv4_connect_cancel(&nb.tcp.base, tb_on_connect,
                                             &cli),
                     UK_ENOENT);
    /* the SYN-ACK arrives, is reset, and A forgets the half-open one */
    assert_true(tb_run_until(a_idle, 5 * UK_NS_PER_S));
    h_run_for(&env, 5 * UK_NS_PER_S);
    for (i = 0; i < ncaps; i++)
        if (!caps[i].from_b && caps[i].flags == 0x12)
            synack = &caps[i];
    assert_non_null(synack);
    /* B sent its SYN and one bare RST at the SYN-ACK's ACK: no ACK ever */
    for (i = 0; i < ncaps; i++)
        if (caps[i].from_b)
            assert_true(caps[i].flags == 0x02 || caps[i].flags == 0x04);
    assert_int_equal(count(true, 0x02), 1);
    assert_int_equal(count(true, 0x04), 1);
    for (i = 0; i < ncaps; i++)
        if (caps[i].from_b && caps[i].flags == 0x04)
            assert_int_equal(caps[i].seq, synack->ack);
    assert_int_equal(tb_connects, 0);
    assert_int_equal(tb_accepts, 0);
    assert_int_equal(uk_tcpip_tcp_active(&na.tcp), 0);
    finish();
}

static void test_cancel_after_handshake(void **state)
{
    UK_UNUSED(state);
    build();
    start_connect();
    /* B completed the handshake; its callback is still deferred */
    assert_true(tb_run_until(b_established, UK_NS_PER_S));
    assert_int_equal(tb_connects, 0);
    assert_int_equal(uk_tcpv4_connect_cancel(&nb.tcp.base, tb_on_connect,
                                             &cli),
                     0);
    assert_int_equal(count(true, 0x14), 1); /* RST|ACK */
    h_run_for(&env, 5 * UK_NS_PER_S);
    assert_int_equal(tb_connects, 0);
    assert_int_equal(uk_tcpip_tcp_active(&nb.tcp), 0);
    /* A's side was reset: an accepted flow sees it; close it */
    if (tb_accepts == 1) {
        assert_int_equal(srv.read_err, UK_ECONNRESET);
        if (srv.f != NULL) {
            srv.write_busy = srv.reading = false;
            tb_app_close(&srv);
        }
        h_run_for(&env, UK_NS_PER_S);
    }
    assert_int_equal(uk_tcpip_tcp_active(&na.tcp), 0);
    finish();
}

static void test_cancel_after_callback(void **state)
{
    UK_UNUSED(state);
    build();
    start_connect();
    assert_true(tb_run_until(both_closed, 10 * UK_NS_PER_S));
    assert_int_equal(tb_connects, 1);
    assert_int_equal(tb_connect_status, 0);
    assert_int_equal(uk_tcpv4_connect_cancel(&nb.tcp.base, tb_on_connect,
                                             &cli),
                     UK_ENOENT);
    finish();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancel_in_syn_sent),
        cmocka_unit_test(test_cancel_after_handshake),
        cmocka_unit_test(test_cancel_after_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
