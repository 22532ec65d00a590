/*
 * test_conn.c - the OpenFlow connection layer over an in-process flow,
 * with the test playing the peer byte by byte: hello negotiation (and its
 * failures), automatic echo/vendor/error answers with the offending
 * message's first 64 bytes, framing errors, keep-alive and hello timeouts,
 * split and batched input, the largest message, end of stream, close with
 * flush, and a full transmit buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/bytes.h>
#include <uk/loop.h>
#include <uk/openflow_conn.h>

#include "fake_clock.h"
#include "of_test_util.h"
#include "pipe.h"

static struct fake_clock clk;
static struct fake_poller poller;
static struct uk_loop loop;
static struct pipe_end a, b; /* a: the connection's flow; b: the peer */
static struct uk_of_conn conn;

static int readies, closes, close_reason, msgs;
static uint8_t last_type;
static uint32_t last_xid;
static size_t last_len;
static bool close_in_handler, send_in_ready;

static void on_ready(void *arg, struct uk_of_conn *c)
{
    (void)arg;
    readies++;
    assert_int_equal(uk_of_conn_version(c), 1);
    assert_true(uk_of_conn_is_open(c));
    if (send_in_ready) {
        struct uk_of_msg m;
        memset(&m, 0, sizeof m);
        m.hdr.type = UK_OFPT_FEATURES_REQUEST;
        m.hdr.xid = 0x77;
        assert_int_equal(uk_of_conn_send(c, &m), 0);
    }
}

static void on_message(void *arg, struct uk_of_conn *c,
                       const struct uk_of_msg *m, const uint8_t *raw,
                       size_t len)
{
    (void)arg;
    msgs++;
    last_type = m->hdr.type;
    last_xid = m->hdr.xid;
    last_len = len;
    assert_int_equal(uk_load_be16(raw + 2), len);
    if (close_in_handler)
        uk_of_conn_close(c);
}

static void on_closed(void *arg, struct uk_of_conn *c, int reason)
{
    (void)arg;
    (void)c;
    closes++;
    close_reason = reason;
}

static const struct uk_of_conn_handlers handlers = {on_ready, on_message,
                                                    on_closed};

/* Runs loop turns without letting time pass. */
static void settle(void)
{
    int i;
    for (i = 0; i < 300; i++)
        uk_loop_run_once(&loop, false);
}

static void advance(uint64_t ns)
{
    fake_clock_advance(&clk, ns);
    settle();
}

static void inject_hex(const char *hex)
{
    uint8_t buf[1024];
    size_t n = of_hex(hex, buf, sizeof buf);
    assert_true(n != (size_t)-1);
    assert_true(pipe_inject(&a, buf, n));
}

/* Takes exactly one message written by the connection; returns its len. */
static size_t take_msg(uint8_t *out, size_t cap)
{
    size_t n = pipe_take(&a, out, 8), len;
    assert_int_equal(n, 8);
    len = uk_load_be16(out + 2);
    assert_true(len >= 8 && len <= cap);
    assert_int_equal(pipe_take(&a, out + 8, len - 8), len - 8);
    return len;
}

static size_t pending_out(void) { return b.in_len; }

static int setup(void **state)
{
    struct uk_of_conn_config cfg;
    (void)state;
    fake_clock_init(&clk, 1000 * UK_NS_PER_S, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    pipe_init(&a, &b, &loop.time);
    readies = closes = msgs = 0;
    close_reason = 0;
    close_in_handler = send_in_ready = false;
    cfg.echo_interval_ns = 2 * UK_NS_PER_S;
    cfg.echo_max_missed = 2;
    assert_int_equal(
        uk_of_conn_init(&conn, &a.flow, &loop.time, &cfg, &handlers, NULL), 0);
    settle();
    return 0;
}

/* Our hello, then the peer's. */
static void open_conn(void)
{
    uint8_t m[64];
    size_t n = take_msg(m, sizeof m);
    assert_int_equal(n, 8);
    assert_int_equal(m[0], 1);
    assert_int_equal(m[1], UK_OFPT_HELLO);
    inject_hex("01 00 0008 00000001");
    settle();
    assert_int_equal(readies, 1);
}

static void test_hello(void **state)
{
    struct uk_of_msg m;
    (void)state;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_BARRIER_REQUEST;
    assert_int_equal(uk_of_conn_send(&conn, &m), UK_ENOTCONN);
    open_conn();
    assert_int_equal(uk_of_conn_send(&conn, &m), 0);
    settle();
    assert_int_equal(pending_out(), 8);
    assert_int_equal(closes, 0);
}

static void test_hello_newer_version(void **state)
{
    uint8_t m[64];
    (void)state;
    take_msg(m, sizeof m);
    /* OpenFlow 1.3 hello offering 1.0 and 1.3 in its bitmap */
    inject_hex("04 00 0010 00000001 0001 0008 00000012");
    settle();
    assert_int_equal(readies, 1);
    assert_int_equal(uk_of_conn_version(&conn), 1);
}

/* Refusals: an OFPT_ERROR HELLO_FAILED/INCOMPATIBLE, then the close. */
static void expect_refusal(const char *hex)
{
    uint8_t m[128], in[128];
    size_t n, inn = of_hex(hex, in, sizeof in);
    take_msg(m, sizeof m);
    inject_hex(hex);
    settle();
    assert_int_equal(readies, 0);
    n = take_msg(m, sizeof m);
    assert_int_equal(m[1], UK_OFPT_ERROR);
    assert_int_equal(uk_load_be16(m + 8), UK_OFPET_HELLO_FAILED);
    assert_int_equal(uk_load_be16(m + 10), UK_OFPHFC_INCOMPATIBLE);
    assert_int_equal(n, 12 + inn);
    assert_memory_equal(m + 12, in, inn);
    assert_int_equal(closes, 1);
    assert_int_equal(close_reason, UK_EPROTO);
}

static void test_hello_bitmap_without_v1(void **state)
{
    (void)state;
    expect_refusal("04 00 0010 00000001 0001 0008 00000010");
}

static void test_hello_version_0(void **state)
{
    (void)state;
    expect_refusal("00 00 0008 00000001");
}

static void test_first_message_not_hello(void **state)
{
    (void)state;
    expect_refusal("01 05 0008 00000001");
}

static void test_echo(void **state)
{
    uint8_t m[64];
    size_t n;
    (void)state;
    open_conn();
    inject_hex("01 02 000c 0000abcd 01020304");
    settle();
    n = take_msg(m, sizeof m);
    assert_int_equal(n, 12);
    assert_int_equal(m[1], UK_OFPT_ECHO_REPLY);
    assert_int_equal(uk_load_be32(m + 4), 0xabcd);
    assert_int_equal(uk_load_be32(m + 8), 0x01020304);
    assert_int_equal(msgs, 0); /* answered by the layer */
}

static void test_vendor_and_malformed(void **state)
{
    uint8_t m[256], in[256];
    size_t n, inn;
    int i;
    (void)state;
    open_conn();
    inject_hex("01 04 0010 00000005 00002320 01020304");
    settle();
    n = take_msg(m, sizeof m);
    assert_int_equal(m[1], UK_OFPT_ERROR);
    assert_int_equal(uk_load_be32(m + 4), 5);
    assert_int_equal(uk_load_be16(m + 8), UK_OFPET_BAD_REQUEST);
    assert_int_equal(uk_load_be16(m + 10), UK_OFPBRC_BAD_VENDOR);
    assert_int_equal(n, 12 + 16);
    /* a flow-mod with a bad action: BAD_ACTION/BAD_LEN, data = 64 bytes */
    inn = of_hex("01 0e 0050 00000006 " OF_M_ALL_HEX
                 "0000000000000000 0000 0000 0000 8000 ffffffff ffff 0000 "
                 "0000 000c 0002 0000",
                 in, sizeof in);
    assert_true(pipe_inject(&a, in, inn));
    settle();
    n = take_msg(m, sizeof m);
    assert_int_equal(uk_load_be32(m + 4), 6);
    assert_int_equal(uk_load_be16(m + 8), UK_OFPET_BAD_ACTION);
    assert_int_equal(uk_load_be16(m + 10), UK_OFPBAC_BAD_LEN);
    assert_int_equal(n, 12 + 64);
    assert_memory_equal(m + 12, in, 64);
    /* an unknown type and a bad version */
    inject_hex("01 63 0008 00000007");
    inject_hex("03 12 0008 00000008");
    settle();
    take_msg(m, sizeof m);
    assert_int_equal(uk_load_be16(m + 10), UK_OFPBRC_BAD_TYPE);
    take_msg(m, sizeof m);
    assert_int_equal(uk_load_be16(m + 10), UK_OFPBRC_BAD_VERSION);
    /* a malformed error is not answered */
    inject_hex("01 01 0008 00000009");
    settle();
    assert_int_equal(pending_out(), 0);
    /* still open: good messages reach the handler */
    for (i = 0; i < 3; i++)
        inject_hex("01 12 0008 00000010");
    settle();
    assert_int_equal(msgs, 3);
    assert_int_equal(last_type, UK_OFPT_BARRIER_REQUEST);
    assert_int_equal(closes, 0);
    assert_int_equal(conn.stats.errors_sent, 4);
}

static void test_framing_error(void **state)
{
    (void)state;
    open_conn();
    inject_hex("01 12 0004 00000001");
    settle();
    assert_int_equal(closes, 1);
    assert_int_equal(close_reason, UK_EPROTO);
}

static void test_keepalive(void **state)
{
    uint8_t m[64];
    (void)state;
    open_conn();
    advance(2 * UK_NS_PER_S);
    take_msg(m, sizeof m);
    assert_int_equal(m[1], UK_OFPT_ECHO_REQUEST);
    /* the peer answers: the connection lives on */
    m[1] = UK_OFPT_ECHO_REPLY;
    assert_true(pipe_inject(&a, m, 8));
    settle();
    advance(UK_NS_PER_S);
    assert_int_equal(pending_out(), 0);
    advance(UK_NS_PER_S);
    take_msg(m, sizeof m);
    assert_int_equal(m[1], UK_OFPT_ECHO_REQUEST);
    /* then silence: a second echo, then the close */
    advance(2 * UK_NS_PER_S);
    take_msg(m, sizeof m);
    assert_int_equal(m[1], UK_OFPT_ECHO_REQUEST);
    assert_int_equal(closes, 0);
    advance(2 * UK_NS_PER_S);
    assert_int_equal(closes, 1);
    assert_int_equal(close_reason, UK_ETIMEDOUT);
}

static void test_hello_timeout(void **state)
{
    (void)state;
    advance(UK_NS_PER_S);
    assert_int_equal(closes, 0);
    advance(UK_NS_PER_S);
    assert_int_equal(closes, 1);
    assert_int_equal(close_reason, UK_ETIMEDOUT);
    assert_int_equal(readies, 0);
}

static void test_split_and_batched(void **state)
{
    uint8_t all[8 * 50];
    size_t i;
    (void)state;
    open_conn();
    for (i = 0; i < 50; i++)
        of_hex("01 12 0008 00000000", all + 8 * i, 8), all[7] = (uint8_t)i;
    for (i = 0; i < 50; i++)
        uk_store_be32(all + 8 * i + 4, (uint32_t)i);
    a.chunk = 3; /* odd pieces: messages straddle reads */
    assert_true(pipe_inject(&a, all, sizeof all));
    settle();
    assert_int_equal(msgs, 50);
    assert_int_equal(last_xid, 49);
    a.chunk = 0; /* and all in one read */
    assert_true(pipe_inject(&a, all, sizeof all));
    settle();
    assert_int_equal(msgs, 100);
}

static void test_largest_message(void **state)
{
    static uint8_t big[UK_OFP_MAX_MSG], back[UK_OFP_MAX_MSG];
    size_t i, n;
    (void)state;
    open_conn();
    for (i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)i;
    big[0] = 1, big[1] = UK_OFPT_ECHO_REQUEST;
    uk_store_be16(big + 2, UK_OFP_MAX_MSG);
    uk_store_be32(big + 4, 42);
    a.chunk = 40000;
    assert_true(pipe_inject(&a, big, sizeof big));
    settle();
    n = take_msg(back, sizeof back);
    assert_int_equal(n, UK_OFP_MAX_MSG);
    assert_int_equal(back[1], UK_OFPT_ECHO_REPLY);
    assert_memory_equal(back + 4, big + 4, n - 4);
    assert_int_equal(closes, 0);
}

static void test_peer_eof(void **state)
{
    (void)state;
    open_conn();
    pipe_inject_eof(&a);
    settle();
    assert_int_equal(closes, 1);
    assert_int_equal(close_reason, UK_EOF);
}

static void test_close_flushes(void **state)
{
    uint8_t m[64];
    (void)state;
    send_in_ready = true;
    open_conn();
    close_in_handler = true;
    inject_hex("01 12 0008 00000010 01 12 0008 00000011");
    settle();
    assert_int_equal(msgs, 1); /* nothing handled after the close */
    assert_int_equal(closes, 1);
    assert_int_equal(close_reason, UK_ECANCELED);
    take_msg(m, sizeof m); /* queued in ready: still delivered */
    assert_int_equal(m[1], UK_OFPT_FEATURES_REQUEST);
    assert_int_equal(uk_load_be32(m + 4), 0x77);
}

/* The peer stops reading: sends eventually fail with UK_ENOBUFS, then the
 * connection drains when the peer reads again. */
static void test_backpressure(void **state)
{
    static uint8_t payload[60000], sink[PIPE_CAP];
    struct uk_of_msg m;
    int i, rc = 0;
    (void)state;
    open_conn();
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_ECHO_REQUEST;
    m.u.echo.data = payload;
    m.u.echo.len = sizeof payload;
    for (i = 0; i < 20 && rc == 0; i++) {
        rc = uk_of_conn_send(&conn, &m);
        settle();
    }
    assert_int_equal(rc, UK_ENOBUFS);
    assert_true(conn.stats.tx_dropped >= 1);
    while (pipe_take(&a, sink, sizeof sink) > 0)
        settle();
    assert_int_equal(uk_of_conn_send(&conn, &m), 0);
    assert_int_equal(closes, 0);
}

static int teardown(void **state)
{
    (void)state;
    if (closes == 0) {
        uk_of_conn_close(&conn);
        settle();
        advance(2 * UK_NS_PER_S);
    }
    assert_int_equal(closes, 1);
    /* nothing left armed that could reach the storage after closed() */
    assert_false(uk_timer_is_armed(&conn.timer));
    assert_false(uk_timer_is_armed(&conn.close_timer));
    return 0;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_hello),
        T(test_hello_newer_version),
        T(test_hello_bitmap_without_v1),
        T(test_hello_version_0),
        T(test_first_message_not_hello),
        T(test_echo),
        T(test_vendor_and_malformed),
        T(test_framing_error),
        T(test_keepalive),
        T(test_hello_timeout),
        T(test_split_and_batched),
        T(test_largest_message),
        T(test_peer_eof),
        T(test_close_flushes),
        T(test_backpressure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
