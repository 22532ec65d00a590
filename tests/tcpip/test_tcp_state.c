/*
 * test_tcp_state.c - the state machine, driven segment by segment through
 * a fake IPv4 (test_tcp_fake.h): passive and active open with option
 * negotiation, refused and timed-out connects, simultaneous open and
 * close, every close path through TIME_WAIT / LAST_ACK, RST validation and
 * challenge ACKs (RFC 5961), out-of-window and unsent-data ACKs, resets
 * for closed ports, SACK generation, zero window and persist probes,
 * back-pressure, retransmission back-off, keep-alive, SYN cookies and the
 * flow contract (callbacks once, never inside the call, ECANCELED on
 * close).
 */
#include "test_tcp_fake.h"

/* ---- a recording flow application ---- */

static struct uk_flow *flow;
static int accepts, connects, connect_status;
static int reads, last_read_status, writes, last_write_status, closes;
static size_t last_written, got_len;
static uint8_t got[300000];

static void on_accept(void *arg, struct uk_flow *f)
{
    UK_UNUSED(arg);
    accepts++;
    flow = f;
}

static void on_connect(void *arg, int status, struct uk_flow *f)
{
    UK_UNUSED(arg);
    connects++;
    connect_status = status;
    flow = f;
}

static void on_read(void *arg, int status, const void *d, size_t n)
{
    UK_UNUSED(arg);
    reads++;
    last_read_status = status;
    if (status == 0) {
        assert_true(got_len + n <= sizeof got);
        memcpy(got + got_len, d, n);
        got_len += n;
    }
}

static void on_write(void *arg, int status, size_t written)
{
    UK_UNUSED(arg);
    writes++;
    last_write_status = status;
    last_written = written;
}

static void on_close(void *arg)
{
    UK_UNUSED(arg);
    closes++;
}

static void reset_app(void)
{
    flow = NULL;
    accepts = connects = reads = writes = closes = 0;
    connect_status = last_read_status = last_write_status = 99;
    got_len = last_written = 0;
}

static void run(uint64_t ns)
{
    h_run_for(&env, ns);
}

/* ---- handshakes ---- */

static const uint32_t PISN = 1000000; /* the peer's ISN */
static uint32_t iss;                  /* ours */

/* Passive open on port 80 with every option; leaves `flow` accepted. */
static void open_passive(bool options)
{
    struct inj o = {1460, 7, true, true, 5000, 0, 0, {{0}}};
    const struct seg *s;
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, on_accept, NULL), 0);
    fip.nout = 0;
    inject(80, F_SYN, PISN, 0, 65535, options ? &o : NULL, NULL, 0);
    s = last();
    assert_int_equal(s->flags, F_SYN | F_ACK);
    assert_int_equal(s->ack, PISN + 1);
    assert_int_equal(s->mss, 1460); /* 1480 - 20 */
    if (options) {
        assert_true(s->ws >= 0);
        assert_true(s->sack_perm);
        assert_true(s->ts);
        assert_int_equal(s->tsecr, 5000);
    } else {
        assert_int_equal(s->ws, -1);
        assert_false(s->sack_perm);
        assert_false(s->ts);
    }
    iss = s->seq;
    o.tsval = 5001;
    o.tsecr = s->tsval;
    o.mss = o.ws = -1;
    o.sack_perm = false;
    inject(80, F_ACK, PISN + 1, iss + 1, 1000, options ? &o : NULL, NULL, 0);
    assert_int_equal(accepts, 0); /* from the loop, not the input */
    run(0);
    assert_int_equal(accepts, 1);
    assert_non_null(flow);
}

static struct inj ts_opt(uint32_t tsval)
{
    struct inj o = {-1, -1, false, true, 0, 0, 0, {{0}}};
    o.tsval = tsval;
    o.tsecr = last()->tsval;
    return o;
}

static void teardown_tcp(void)
{
    int done = 0;
    uk_tcpv4_disconnect(&tcp.base, (uk_done_cb)on_close, &done);
    run(UK_NS_PER_S);
    assert_int_equal(fip.pool.available, FI_BUFS);
    assert_int_equal(tacct.used, 0); /* every connection's memory back */
    assert_int_equal(tmem.stats.used, 0);
}

static void test_passive_open_data_close(void **state)
{
    struct inj o;
    uint8_t buf[100];
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(true);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 1);
    /* data from the peer with PSH: read delivers it; one segment is not
     * ACKed at once (PSH is no reason to), but by the delayed-ACK timer */
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), UK_EBUSY);
    assert_int_equal(reads, 0);
    o = ts_opt(5002);
    fip.nout = 0;
    inject(80, F_ACK | F_PSH, PISN + 1, iss + 1, 1000, &o, "hello", 5);
    assert_int_equal(fip.nout, 0);
    run(0);
    assert_int_equal(reads, 1);
    assert_int_equal(fip.nout, 0);
    run(50 * UK_NS_PER_MS); /* the default delayed-ACK time is 40 ms */
    assert_int_equal(fip.nout, 1);
    assert_int_equal(last()->ack, PISN + 6);
    assert_int_equal(last()->len, 0);
    assert_int_equal(got_len, 5);
    assert_memory_equal(got, "hello", 5);
    /* our data out; window 1000 (scale 7 => 128000) */
    memset(buf, 'x', sizeof buf);
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, buf, sizeof buf, on_write, NULL), 0);
    assert_int_equal(writes, 0);
    assert_int_equal(last()->len, 100);
    assert_int_equal(last()->seq, iss + 1);
    run(0);
    assert_int_equal(writes, 1);
    assert_int_equal(last_write_status, 0);
    assert_int_equal(last_written, 100);
    /* peer FIN (acking our data): EOF */
    o = ts_opt(5003);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    inject(80, F_ACK | F_FIN, PISN + 6, iss + 101, 1000, &o, NULL, 0);
    assert_int_equal(last()->ack, PISN + 7);
    run(0);
    assert_int_equal(last_read_status, UK_EOF);
    /* close: FIN, LAST_ACK; the ACK of our FIN frees the connection */
    fip.nout = 0;
    assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
    assert_int_equal(uk_flow_close(flow, on_close, NULL), UK_ECLOSED);
    assert_true(last()->flags & F_FIN);
    assert_int_equal(last()->seq, iss + 101);
    run(0);
    assert_int_equal(closes, 1);
    o = ts_opt(5004);
    inject(80, F_ACK, PISN + 7, iss + 102, 1000, &o, NULL, 0);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    assert_int_equal(tcp.tw_count, 0); /* passive close: no TIME_WAIT */
    teardown_tcp();
}

static void connect_to(uint16_t port)
{
    struct uk_ipv4_ep dst = {PEER, port};
    reset_app();
    fip.nout = 0;
    assert_int_equal(uk_tcpv4_connect(&tcp.base, &dst, on_connect, NULL), 0);
    assert_int_equal(connects, 0);
    assert_int_equal(last()->flags, F_SYN);
    assert_int_equal(last()->mss, 1460);
    assert_true(last()->ws >= 0 && last()->sack_perm && last()->ts);
    iss = last()->seq;
    peer_port = last()->dport;
}

static uint16_t active_lport;

/* Active open, answered by a SYN-ACK without options (so MSS 536). */
static void open_active(void)
{
    struct uk_ipv4_ep dst = {PEER, 8080};
    uint16_t lport;
    connect_to(8080);
    lport = last()->sport;
    active_lport = lport;
    assert_true(lport >= 49152);
    peer_port = 8080;
    inject(lport, F_SYN | F_ACK, PISN, iss + 1, 2000, NULL, NULL, 0);
    assert_int_equal(last()->flags, F_ACK);
    assert_int_equal(last()->ack, PISN + 1);
    assert_false(last()->ts); /* not negotiated */
    run(0);
    assert_int_equal(connects, 1);
    assert_int_equal(connect_status, 0);
    assert_non_null(flow);
    UK_UNUSED(dst);
}

static uint16_t lport_of_last(void)
{
    return last()->sport;
}

static void test_active_open_and_close(void **state)
{
    uint16_t lp;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_active();
    lp = lport_of_last();
    /* active close: FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT */
    fip.nout = 0;
    assert_int_equal(uk_flow_shutdown(flow), 0);
    assert_int_equal(last()->flags, F_FIN | F_ACK);
    assert_int_equal(uk_flow_write(flow, "x", 1, on_write, NULL), UK_EPIPE);
    inject(lp, F_ACK, PISN + 1, iss + 2, 2000, NULL, NULL, 0);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    inject(lp, F_ACK | F_FIN | F_PSH, PISN + 1, iss + 2, 2000, NULL, "bye",
           3);
    assert_int_equal(last()->ack, PISN + 5);
    run(0);
    assert_int_equal(got_len, 3);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    run(0);
    assert_int_equal(last_read_status, UK_EOF);
    assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
    run(0);
    assert_int_equal(closes, 1);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    assert_int_equal(tcp.tw_count, 1);
    /* TIME_WAIT answers a retransmitted FIN, ignores a reset */
    fip.nout = 0;
    inject(lp, F_ACK | F_FIN, PISN + 4, iss + 2, 2000, NULL, NULL, 0);
    assert_int_equal(fip.nout, 1);
    assert_int_equal(last()->ack, PISN + 5);
    inject(lp, F_RST, PISN + 5, 0, 0, NULL, NULL, 0);
    assert_int_equal(fip.nout, 1);
    assert_int_equal(tcp.tw_count, 1);
    run(61 * UK_NS_PER_S);
    assert_int_equal(tcp.tw_count, 0);
    /* after TIME_WAIT the port is closed: RST */
    inject(lp, F_ACK, PISN + 5, iss + 2, 2000, NULL, NULL, 0);
    assert_int_equal(last()->flags, F_RST);
    assert_int_equal(last()->seq, iss + 2);
    teardown_tcp();
}

static void test_connect_refused_and_timeout(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    unsigned syns = 0;
    size_t i;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.syn_retries = 3;
    fake_setup(&cfg);
    connect_to(81);
    inject(last()->sport, F_RST | F_ACK, 0, iss + 1, 0, NULL, NULL, 0);
    run(0);
    assert_int_equal(connects, 1);
    assert_int_equal(connect_status, UK_ECONNREFUSED);
    assert_null(flow);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    /* an RST whose ACK is wrong is ignored */
    connect_to(82);
    inject(last()->sport, F_RST | F_ACK, 0, iss + 7, 0, NULL, NULL, 0);
    run(0);
    assert_int_equal(connects, 0);
    /* unanswered: 1 + 3 SYNs with back-off, then ETIMEDOUT */
    run(60 * UK_NS_PER_S);
    for (i = 0; i < fip.nout; i++)
        if (fip.out[i].flags == F_SYN)
            syns++;
    assert_int_equal(syns, 4);
    assert_int_equal(connects, 1);
    assert_int_equal(connect_status, UK_ETIMEDOUT);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    teardown_tcp();
}

static void test_simultaneous_open_and_close(void **state)
{
    uint16_t lp;
    UK_UNUSED(state);
    fake_setup(NULL);
    connect_to(7000);
    lp = last()->sport;
    /* the peer's SYN crosses ours */
    inject(lp, F_SYN, PISN, 0, 3000, NULL, NULL, 0);
    assert_int_equal(last()->flags, F_SYN | F_ACK);
    assert_int_equal(last()->seq, iss);
    assert_int_equal(last()->ack, PISN + 1);
    inject(lp, F_SYN | F_ACK, PISN, iss + 1, 3000, NULL, NULL, 0);
    run(0);
    /* its SYN-ACK is a retransmitted SYN for us now: answered, still
     * SYN_RCVD until an ACK */
    inject(lp, F_ACK, PISN + 1, iss + 1, 3000, NULL, NULL, 0);
    run(0);
    assert_int_equal(connects, 1);
    assert_int_equal(connect_status, 0);
    /* simultaneous close: FIN_WAIT_1 -> CLOSING -> TIME_WAIT */
    assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
    assert_true(last()->flags & F_FIN);
    inject(lp, F_ACK | F_FIN, PISN + 1, iss + 1, 3000, NULL, NULL, 0);
    assert_int_equal(last()->ack, PISN + 2);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 1); /* CLOSING */
    inject(lp, F_ACK, PISN + 2, iss + 2, 3000, NULL, NULL, 0);
    run(0);
    assert_int_equal(closes, 1);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    assert_int_equal(tcp.tw_count, 1);
    teardown_tcp();
}

static void test_rst_and_challenge_acks(void **state)
{
    size_t n;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(false);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    /* RST in the window but not at rcv_nxt: challenge ACK only */
    fip.nout = 0;
    inject(80, F_RST, PISN + 100, 0, 0, NULL, NULL, 0);
    assert_int_equal(fip.nout, 1);
    assert_int_equal(last()->flags, F_ACK);
    assert_int_equal(last()->ack, PISN + 1);
    /* RST outside the window: silently dropped */
    inject(80, F_RST, PISN - 5000, 0, 0, NULL, NULL, 0);
    assert_int_equal(fip.nout, 1);
    /* SYN on an established connection: challenge ACK */
    inject(80, F_SYN, PISN + 7, 0, 0, NULL, NULL, 0);
    assert_int_equal(fip.nout, 2);
    assert_int_equal(last()->flags, F_ACK);
    /* an ACK for data never sent: ACK, ignored */
    inject(80, F_ACK, PISN + 1, iss + 1000, 1000, NULL, NULL, 0);
    assert_int_equal(fip.nout, 3);
    /* data outside the window: ACK, not delivered */
    inject(80, F_ACK, PISN + 200000, iss + 1, 1000, NULL, "zz", 2);
    assert_int_equal(fip.nout, 4);
    assert_int_equal(last()->ack, PISN + 1);
    run(0);
    assert_int_equal(reads, 0);
    /* challenge ACKs are rate limited */
    n = fip.nout;
    {
        int i;
        for (i = 0; i < 300; i++)
            inject(80, F_RST, PISN + 100, 0, 0, NULL, NULL, 0);
    }
    assert_true(fip.nout - n < 100);
    /* the exact RST resets: the pending read gets ECONNRESET */
    inject(80, F_RST, PISN + 1, 0, 0, NULL, NULL, 0);
    run(0);
    assert_int_equal(reads, 1);
    assert_int_equal(last_read_status, UK_ECONNRESET);
    /* writes fail the same way, through their callback */
    assert_int_equal(uk_flow_write(flow, "a", 1, on_write, NULL), 0);
    run(0);
    assert_int_equal(last_write_status, UK_ECONNRESET);
    assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
    run(0);
    assert_int_equal(closes, 1);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    teardown_tcp();
}

static void test_closed_port_resets(void **state)
{
    UK_UNUSED(state);
    fake_setup(NULL);
    fip.nout = 0;
    inject(99, F_SYN, 555, 0, 1000, NULL, NULL, 0);
    assert_int_equal(last()->flags, F_RST | F_ACK);
    assert_int_equal(last()->ack, 556);
    assert_int_equal(last()->seq, 0);
    inject(99, F_ACK, 555, 777, 1000, NULL, "abc", 3);
    assert_int_equal(last()->flags, F_RST);
    assert_int_equal(last()->seq, 777);
    inject(99, F_RST, 555, 0, 1000, NULL, NULL, 0);
    assert_int_equal(fip.nout, 2); /* never answer a reset */
    /* scanner probes to a closed port are reset, to an open one dropped
     * (FIN, NULL, Xmas, SYN+FIN), as Linux answers them */
    inject(99, F_FIN, 555, 0, 1000, NULL, NULL, 0);
    assert_int_equal(last()->flags, F_RST | F_ACK);
    inject(99, 0, 555, 0, 1000, NULL, NULL, 0);
    assert_int_equal(fip.nout, 4);
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 99, 0, on_accept, NULL), 0);
    inject(99, F_FIN, 555, 0, 1000, NULL, NULL, 0);
    inject(99, 0, 555, 0, 1000, NULL, NULL, 0);
    inject(99, F_FIN | F_PSH | 0x20, 555, 0, 1000, NULL, NULL, 0);
    inject(99, F_SYN | F_FIN, 555, 0, 1000, NULL, NULL, 0);
    inject(99, F_SYN | F_RST, 555, 0, 1000, NULL, NULL, 0);
    assert_int_equal(fip.nout, 4);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    teardown_tcp();
}

/* TS.Recent comes only from acceptable segments (RFC 7323 4.3, as Linux):
 * one whose ACK covers data never sent is dropped, and its timestamp must
 * not make PAWS refuse the peer's real data afterwards. */
static void test_ts_recent_only_from_acceptable(void **state)
{
    struct inj o;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(true);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    o = ts_opt(900000000u);
    fip.nout = 0;
    inject(80, F_ACK, PISN + 1, iss + 1 + 50000, 1000, &o, "bad", 3);
    assert_int_equal(fip.nout, 1); /* an ACK, the segment dropped */
    assert_int_equal(last()->ack, PISN + 1);
    assert_int_not_equal(last()->tsecr, 900000000u);
    o = ts_opt(5002);
    inject(80, F_ACK | F_PSH, PISN + 1, iss + 1, 1000, &o, "good", 4);
    run(0);
    assert_int_equal(tcp.stats.rx_paws, 0);
    assert_int_equal(reads, 1);
    assert_int_equal(got_len, 4);
    assert_memory_equal(got, "good", 4);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    teardown_tcp();
}

static void test_sack_generation_and_reassembly(void **state)
{
    static uint8_t d[3000];
    size_t i;
    UK_UNUSED(state);
    for (i = 0; i < sizeof d; i++)
        d[i] = (uint8_t)(i * 13);
    fake_setup(NULL);
    open_passive(true);
    {
        struct inj o = ts_opt(6000);
        fip.nout = 0;
        /* the second and third quarter arrive first */
        inject(80, F_ACK, PISN + 1 + 1000, iss + 1, 1000, &o, d + 1000, 500);
        assert_int_equal(last()->ack, PISN + 1);
        assert_int_equal(last()->nsack, 1);
        assert_int_equal(last()->sack[0][0], PISN + 1001);
        assert_int_equal(last()->sack[0][1], PISN + 1501);
        inject(80, F_ACK, PISN + 1 + 2000, iss + 1, 1000, &o, d + 2000, 1000);
        assert_int_equal(last()->nsack, 2);
        assert_int_equal(last()->sack[0][0], PISN + 2001); /* most recent */
        inject(80, F_ACK, PISN + 1 + 1500, iss + 1, 1000, &o, d + 1500, 500);
        assert_int_equal(last()->nsack, 1);
        assert_int_equal(last()->sack[0][1], PISN + 3001);
        inject(80, F_ACK, PISN + 1, iss + 1, 1000, &o, d, 1000);
        assert_int_equal(last()->ack, PISN + 3001);
        assert_int_equal(last()->nsack, 0);
    }
    while (got_len < sizeof d) {
        assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
        run(0);
    }
    assert_memory_equal(got, d, sizeof d);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    assert_true(last()->flags & F_RST);
    run(0);
    assert_int_equal(closes, 1);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    teardown_tcp();
}

static void test_zero_window_persist(void **state)
{
    static uint8_t buf[5000];
    size_t n0;
    unsigned probes = 0;
    size_t i;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_active();
    /* the peer closes its window */
    inject(active_lport, F_ACK, PISN + 1, iss + 1, 0, NULL, NULL, 0);
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, buf, sizeof buf, on_write, NULL), 0);
    assert_int_equal(fip.nout, 0); /* nothing may go out */
    run(0);
    assert_int_equal(writes, 1); /* but it was buffered */
    n0 = fip.nout;
    run(10 * UK_NS_PER_S);
    for (i = n0; i < fip.nout; i++) {
        assert_int_equal(fip.out[i].len, 0);
        assert_int_equal(fip.out[i].seq, iss); /* snd_una - 1 */
        probes++;
    }
    assert_true(probes >= 3 && probes <= 8); /* backing off */
    /* the window opens: data flows */
    fip.nout = 0;
    inject(active_lport, F_ACK, PISN + 1, iss + 1, 2000, NULL, NULL, 0);
    assert_true(fip.nout >= 1);
    assert_int_equal(fip.out[0].seq, iss + 1);
    assert_int_equal(fip.out[0].len, 536); /* no MSS option: 536 */
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* A window below one segment, nothing in flight, and its update lost:
 * sender SWS avoidance holds the data back, so a probe must ask for the
 * window again (the override timeout of RFC 9293 3.8.6.2.1), or the flow
 * stalls for good. */
static void test_small_window_probe(void **state)
{
    static uint8_t buf[5000];
    size_t n0, i;
    unsigned probes = 0;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_active();
    /* the peer had offered a large window, now only 100 bytes */
    inject(active_lport, F_ACK, PISN + 1, iss + 1, 65535, NULL, NULL, 0);
    inject(active_lport, F_ACK, PISN + 1, iss + 1, 100, NULL, NULL, 0);
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, buf, sizeof buf, on_write, NULL), 0);
    run(0);
    n0 = fip.nout;
    run(10 * UK_NS_PER_S);
    for (i = n0; i < fip.nout; i++)
        if (fip.out[i].seq == iss && fip.out[i].len == 0)
            probes++;
    assert_true(probes >= 1);
    /* the answer opens the window: data flows */
    fip.nout = 0;
    inject(active_lport, F_ACK, PISN + 1, iss + 1, 4000, NULL, NULL, 0);
    assert_true(fip.nout >= 1);
    assert_int_equal(fip.out[0].seq, iss + 1);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

static void test_backpressure(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    static uint8_t d[1000];
    uint32_t seq = PISN + 1;
    int i;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.rcvbuf = 8192;
    fake_setup(&cfg);
    open_passive(false);
    /* nobody reads: the window shrinks to 0 */
    for (i = 0; i < 9; i++) {
        inject(80, F_ACK | F_PSH, seq, iss + 1, 1000, NULL, d, sizeof d);
        seq += sizeof d;
    }
    assert_int_equal(last()->ack, PISN + 1 + 8192);
    assert_int_equal(last()->wnd, 0);
    /* more is not accepted */
    inject(80, F_ACK, seq - 808, iss + 1, 1000, NULL, d, sizeof d);
    assert_int_equal(last()->ack, PISN + 1 + 8192);
    /* the application reads: a window update goes out */
    fip.nout = 0;
    while (got_len < 8192) {
        assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
        run(0);
    }
    assert_true(fip.nout >= 1);
    assert_int_equal(last()->wnd, 8192);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

static void test_retransmit_backoff(void **state)
{
    uint64_t t[4];
    size_t i, k = 0;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_active();
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, "data", 4, on_write, NULL), 0);
    for (i = 0; i < 4; i++) {
        size_t before = fip.nout;
        uint64_t start = env.clock.mono_ns;
        while (fip.nout == before)
            run(UK_NS_PER_MS);
        t[k++] = env.clock.mono_ns - start;
        assert_int_equal(last()->len, 4);
        assert_int_equal(last()->seq, iss + 1);
    }
    /* each wait about doubles the previous */
    for (i = 2; i < 4; i++)
        assert_true(t[i] >= t[i - 1] * 3 / 2);
    assert_true(tcp.stats.rto >= 3);
    inject(last()->sport, F_ACK, PISN + 1, iss + 5, 2000, NULL, NULL, 0);
    fip.nout = 0;
    run(10 * UK_NS_PER_S);
    assert_int_equal(fip.nout, 0); /* acked: quiet */
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

static void test_keepalive(void **state)
{
    size_t i, probes = 0;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_active();
    assert_int_equal(uk_flow_set_option(flow, UK_FLOW_KEEPALIVE, -1),
                     UK_EINVAL);
    assert_int_equal(uk_flow_set_option(flow, UK_FLOW_KEEPALIVE, 10), 0);
    assert_int_equal(uk_flow_set_option(flow, UK_FLOW_NODELAY, 1), 0);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    fip.nout = 0;
    run(3600 * UK_NS_PER_S);
    for (i = 0; i < fip.nout; i++)
        if (fip.out[i].flags == F_ACK && fip.out[i].seq == iss)
            probes++;
    assert_int_equal(probes, 9);
    assert_true(last()->flags & F_RST);
    assert_int_equal(last_read_status, UK_ETIMEDOUT);
    assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
    run(0);
    assert_int_equal(closes, 1);
    teardown_tcp();
}

static void test_syn_cookies(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    struct inj o = {1460, 5, true, true, 777, 0, 0, {{0}}};
    uint32_t cookie;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.always_cookies = true;
    fake_setup(&cfg);
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, on_accept, NULL), 0);
    fip.nout = 0;
    inject(80, F_SYN, PISN, 0, 65535, &o, NULL, 0);
    assert_int_equal(last()->flags, F_SYN | F_ACK);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0); /* stateless */
    cookie = last()->seq;
    assert_int_equal(last()->mss, 1460);
    assert_true(last()->ts && last()->ws >= 0 && last()->sack_perm);
    /* a forged ACK is refused */
    o = ts_opt(778);
    inject(80, F_ACK, PISN + 1, cookie + 99, 1000, &o, NULL, 0);
    assert_int_equal(last()->flags, F_RST);
    assert_int_equal(tcp.stats.cookies_bad, 1);
    /* the right one makes the connection, with its options */
    o = ts_opt(779);
    o.tsecr = fip.out[0].tsval;
    inject(80, F_ACK | F_PSH, PISN + 1, cookie + 1, 1000, &o, "hi", 2);
    assert_int_equal(tcp.stats.cookies_ok, 1);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 1);
    run(0);
    assert_int_equal(accepts, 1);
    assert_true(tcp.live != NULL && tcp.live->ts_ok);
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    run(0);
    assert_int_equal(got_len, 2);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

static void test_close_cancels_pending(void **state)
{
    static uint8_t big[200000];
    UK_UNUSED(state);
    fake_setup(NULL);
    open_active();
    assert_int_equal(uk_flow_read(flow, on_read, NULL), 0);
    /* more than the send ring: accepted in part */
    assert_int_equal(uk_flow_write(flow, big, sizeof big, on_write, NULL), 0);
    assert_int_equal(uk_flow_write(flow, big, 1, on_write, NULL), UK_EBUSY);
    run(0);
    assert_int_equal(writes, 0);
    assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
    assert_int_equal(reads + writes + closes, 0); /* nothing inside */
    run(0);
    assert_int_equal(reads, 1);
    assert_int_equal(last_read_status, UK_ECANCELED);
    assert_int_equal(writes, 1);
    assert_int_equal(last_write_status, UK_ECANCELED);
    assert_true(last_written > 0 && last_written < sizeof big);
    assert_int_equal(closes, 1);
    teardown_tcp();
}

/* A flood of spoofed SYNs: half-open connections stay bounded, cookies
 * answer the rest, and a real client still gets in. */
static void test_syn_flood(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    struct inj o = {1460, -1, false, false, 0, 0, 0, {{0}}};
    uint32_t i, cookie;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.syn_queue = 4;
    fake_setup(&cfg);
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, on_accept, NULL), 0);
    for (i = 0; i < 20000; i++) {
        peer_addr = uk_ipv4(10, 9, (i >> 8) & 255, i & 255);
        peer_port = (uint16_t)(1024 + i % 60000);
        inject(80, F_SYN, i * 7919u, 0, 65535, &o, NULL, 0);
        assert_true(uk_tcpip_tcp_active(&tcp) <= 4);
        if (i % 1000 == 0)
            run(UK_NS_PER_MS);
    }
    print_message("cookies %lu half-open %u\n", (unsigned long)tcp.stats.cookies_sent, tcp.half_open);
    assert_true(tcp.stats.cookies_sent >= 20000 - 4 * 8);
    /* meanwhile a real client completes through a cookie */
    peer_addr = PEER;
    peer_port = 41000;
    fip.nout = 0;
    inject(80, F_SYN, PISN, 0, 65535, &o, NULL, 0);
    cookie = last()->seq;
    inject(80, F_ACK, PISN + 1, cookie + 1, 65535, NULL, NULL, 0);
    run(0);
    assert_int_equal(accepts, 1);
    /* the spoofed half-open connections give up and free their slots */
    run(200 * UK_NS_PER_S);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 1);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    teardown_tcp();
}

/* With the table full of half-open connections (spoofed SYNs that never
 * complete), handshakes that do complete through cookies still get in: a
 * completed handshake takes the place of the oldest half-open one. */
static struct uk_flow *kept[4];

static void keep_accepted(void *arg, struct uk_flow *f)
{
    UK_UNUSED(arg);
    assert_true(accepts < 4);
    kept[accepts++] = f;
}

static void test_completed_handshakes_beat_half_open(void **state)
{
    struct inj o = {1460, -1, false, false, 0, 0, 0, {{0}}};
    uint32_t i, cookie;
    UK_UNUSED(state);
    fake_setup(NULL);
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, keep_accepted, NULL),
                     0);
    for (i = 0; i < 100; i++) {
        peer_addr = uk_ipv4(10, 9, 0, (uint8_t)i);
        peer_port = (uint16_t)(1024 + i);
        inject(80, F_SYN, i * 7919u, 0, 65535, &o, NULL, 0);
    }
    /* three real clients, each completing through a cookie */
    peer_addr = PEER;
    for (i = 0; i < 3; i++) {
        peer_port = (uint16_t)(41000 + i);
        inject(80, F_SYN, PISN, 0, 65535, &o, NULL, 0);
        cookie = last()->seq;
        inject(80, F_ACK, PISN + 1, cookie + 1, 65535, NULL, NULL, 0);
        assert_int_equal(last()->flags & F_RST, 0);
        run(0);
    }
    print_message("accepted %d, half-open left %u, dropped %lu\n", accepts,
                  tcp.half_open, (unsigned long)tcp.stats.half_open_dropped);
    assert_int_equal(accepts, 3);
    assert_int_equal(tcp.stats.half_open_dropped, 2);
    assert_true(uk_tcpip_tcp_active(&tcp) <= 8);
    for (i = 0; i < 3; i++)
        assert_int_equal(uk_flow_abort(kept[i], NULL, NULL), 0);
    run(0);
    teardown_tcp();
}

static void ignore_write(void *arg, int status, size_t written)
{
    UK_UNUSED(arg);
    UK_UNUSED(status);
    UK_UNUSED(written);
}

/* A half-open connection forgotten to make room is not lost: its SYN-ACK
 * was a cookie, so the client's ACK completes the handshake with the
 * options of its SYN (window scale, SACK, timestamps that only grow). */
/* A duplicate of a handshake's ACK, delayed past the connection's end
 * (an abort: no TIME_WAIT), still carries a good cookie, since every
 * SYN-ACK is one.  With no handshake gone stateless lately (no cookie
 * beyond the SYN queue, no half-open connection forgotten) it is reset,
 * not accepted as a new connection nobody opened. */
static void test_stale_handshake_ack_refused(void **state)
{
    uint32_t synack_seq;
    UK_UNUSED(state);
    fake_setup(NULL);
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, keep_accepted, NULL),
                     0);
    peer_addr = PEER;
    peer_port = 42000;
    inject(80, F_SYN, PISN, 0, 65535, NULL, NULL, 0);
    synack_seq = last()->seq;
    inject(80, F_ACK, PISN + 1, synack_seq + 1, 65535, NULL, NULL, 0);
    run(0);
    assert_int_equal(accepts, 1);
    assert_int_equal(uk_flow_abort(kept[0], NULL, NULL), 0);
    run(0);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    inject(80, F_ACK, PISN + 1, synack_seq + 1, 65535, NULL, NULL, 0);
    assert_true(last()->flags & F_RST);
    run(0);
    assert_int_equal(accepts, 1);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    teardown_tcp();
}

static void test_forgotten_half_open_completes(void **state)
{
    struct inj o = {1460, -1, false, false, 0, 0, 0, {{0}}};
    struct inj a = {1460, 7, true, true, 1000, 0, 0, {{0}}};
    static const uint8_t data[3000];
    uint32_t i, cookie, synack_seq, synack_ts;
    size_t k, from, sent = 0;
    UK_UNUSED(state);
    fake_setup(NULL);
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, keep_accepted, NULL),
                     0);
    peer_addr = PEER; /* the client, first: it gets a slot */
    peer_port = 42000;
    inject(80, F_SYN, PISN, 0, 65535, &a, NULL, 0);
    synack_seq = last()->seq;
    synack_ts = last()->tsval;
    assert_int_equal(tcp.half_open, 1);
    for (i = 0; i < 100; i++) { /* spoofed SYNs fill the table */
        peer_addr = uk_ipv4(10, 9, 0, (uint8_t)i);
        peer_port = (uint16_t)(1024 + i);
        inject(80, F_SYN, i * 7919u, 0, 65535, &o, NULL, 0);
    }
    peer_addr = PEER; /* three handshakes complete: the oldest half-open
                       * connections, the client's first, are forgotten */
    for (i = 0; i < 3; i++) {
        peer_port = (uint16_t)(41000 + i);
        inject(80, F_SYN, PISN, 0, 65535, &o, NULL, 0);
        cookie = last()->seq;
        inject(80, F_ACK, PISN + 1, cookie + 1, 65535, NULL, NULL, 0);
        run(0);
    }
    assert_true(tcp.stats.half_open_dropped >= 1);
    assert_int_equal(accepts, 3);
    /* the client's ACK, a window of 100 << 7 */
    peer_port = 42000;
    a.tsval = 1001;
    a.tsecr = synack_ts;
    inject(80, F_ACK, PISN + 1, synack_seq + 1, 100, &a, NULL, 0);
    assert_int_equal(last()->flags & F_RST, 0);
    run(0);
    assert_int_equal(accepts, 4);
    from = fip.nout;
    assert_int_equal(uk_flow_set_option(kept[3], UK_FLOW_NODELAY, 1), 0);
    assert_int_equal(uk_flow_write(kept[3], data, sizeof data, ignore_write,
                                   NULL),
                     0);
    run(0);
    for (k = from; k < fip.nout; k++) {
        if (fip.out[k].dport != 42000)
            continue;
        sent += fip.out[k].len;
        assert_true(fip.out[k].ts);
        assert_true(fip.out[k].tsval - synack_ts < 0x80000000u);
    }
    assert_int_equal(sent, sizeof data); /* the window was scaled */
    for (i = 0; i < 4; i++)
        assert_int_equal(uk_flow_abort(kept[i], NULL, NULL), 0);
    run(0);
    teardown_tcp();
}

static struct uk_flow *held[9];
static int nheld;

static void hold_accepted(void *arg, struct uk_flow *f)
{
    UK_UNUSED(arg);
    assert_true(nheld < 9);
    held[nheld++] = f;
}

/* A good cookie's ACK that finds the table full while connections wait
 * in the accept queue is dropped, not reset (as Linux drops it when its
 * accept queue is full): the application may make room when it takes
 * them, and the client's next segment gets in. */
static void test_cookie_ack_waits_for_room(void **state)
{
    struct inj o = {1460, -1, false, false, 0, 0, 0, {{0}}};
    uint32_t cookie;
    size_t before, k;
    int i;
    UK_UNUSED(state);
    fake_setup(NULL);
    reset_app();
    nheld = 0;
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, hold_accepted, NULL),
                     0);
    peer_addr = PEER;
    for (i = 0; i < 8; i++) { /* the table's 8 slots, queued for accept */
        peer_port = (uint16_t)(43000 + i);
        inject(80, F_SYN, PISN, 0, 65535, &o, NULL, 0);
        cookie = last()->seq;
        inject(80, F_ACK, PISN + 1, cookie + 1, 65535, NULL, NULL, 0);
    }
    peer_port = 43100;
    inject(80, F_SYN, PISN, 0, 65535, &o, NULL, 0);
    cookie = last()->seq;
    before = fip.nout;
    inject(80, F_ACK, PISN + 1, cookie + 1, 65535, NULL, NULL, 0);
    assert_int_equal(fip.nout, before); /* no reset: the client retries */
    assert_int_equal(tcp.stats.mem_refused, 1);
    run(0);
    assert_int_equal(nheld, 8); /* the application takes them, */
    assert_int_equal(uk_flow_abort(held[0], NULL, NULL), 0); /* frees one */
    run(0);
    before = fip.nout;
    inject(80, F_ACK | F_PSH, PISN + 1, cookie + 1, 65535, NULL, "GET", 3);
    run(0);
    assert_int_equal(nheld, 9);
    for (k = before; k < fip.nout; k++)
        assert_int_equal(fip.out[k].flags & F_RST, 0);
    for (i = 1; i < 9; i++)
        assert_int_equal(uk_flow_abort(held[i], NULL, NULL), 0);
    run(0);
    teardown_tcp();
}

/* Which options we offer and accept follows the configuration
 * (table-driven): passive SYN-ACK and active SYN. */
static void test_option_negotiation(void **state)
{
    static const struct {
        bool no_sack, no_ts, no_ws;
    } rows[] = {{false, false, false}, {true, false, false},
                {false, true, false},  {false, false, true},
                {true, true, true}};
    size_t r;
    UK_UNUSED(state);
    for (r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        struct uk_tcpip_tcp_config cfg;
        struct inj o = {1200, 3, true, true, 42, 0, 0, {{0}}};
        struct uk_ipv4_ep dst = {PEER, 9};
        const struct seg *sa;
        memset(&cfg, 0, sizeof cfg);
        cfg.no_sack = rows[r].no_sack;
        cfg.no_timestamps = rows[r].no_ts;
        cfg.no_wscale = rows[r].no_ws;
        cfg.rcvbuf = 256 * 1024;
        cfg.sndbuf = 16384;
        fake_setup(&cfg);
        reset_app();
        peer_port = 40000;
        assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, on_accept, NULL),
                         0);
        inject(80, F_SYN, PISN, 0, 65535, &o, NULL, 0);
        sa = last();
        assert_int_equal(sa->mss, 1460);
        assert_int_equal(sa->sack_perm, !rows[r].no_sack);
        assert_int_equal(sa->ts, !rows[r].no_ts);
        assert_int_equal(sa->ws >= 0, !rows[r].no_ws);
        if (!rows[r].no_ws) /* 256 KiB needs a scale of 3 */
            assert_int_equal(sa->ws, 3);
        assert_int_equal(uk_tcpv4_connect(&tcp.base, &dst, on_connect, NULL),
                         0);
        sa = last();
        assert_int_equal(sa->flags, F_SYN);
        assert_int_equal(sa->sack_perm, !rows[r].no_sack);
        assert_int_equal(sa->ts, !rows[r].no_ts);
        assert_int_equal(sa->ws >= 0, !rows[r].no_ws);
        teardown_tcp();
    }
}

/* One small segment is ACKed after the delay, the second at once. */
static void test_delayed_ack(void **state)
{
    static uint8_t d[1440];
    size_t n;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(false);
    n = fip.nout;
    inject(80, F_ACK, PISN + 1, iss + 1, 1000, NULL, d, 100);
    assert_int_equal(fip.nout, n);
    run(30 * UK_NS_PER_MS);
    assert_int_equal(fip.nout, n);
    run(20 * UK_NS_PER_MS);
    assert_int_equal(fip.nout, n + 1);
    assert_int_equal(last()->ack, PISN + 101);
    inject(80, F_ACK, PISN + 101, iss + 1, 1000, NULL, d, sizeof d);
    assert_int_equal(fip.nout, n + 1);
    inject(80, F_ACK, PISN + 101 + 1440, iss + 1, 1000, NULL, d, sizeof d);
    assert_int_equal(fip.nout, n + 2); /* every second segment */
    assert_int_equal(last()->ack, PISN + 101 + 2880);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* Nagle holds a small segment while data is unacknowledged; NODELAY
 * does not. */
static void test_nagle_and_nodelay(void **state)
{
    size_t n;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_active();
    n = fip.nout;
    assert_int_equal(uk_flow_write(flow, "0123456789", 10, on_write, NULL), 0);
    assert_int_equal(fip.nout, n + 1); /* nothing in flight: goes */
    run(0);
    assert_int_equal(uk_flow_write(flow, "abcdefghij", 10, on_write, NULL), 0);
    assert_int_equal(fip.nout, n + 1); /* held */
    inject(active_lport, F_ACK, PISN + 1, iss + 11, 2000, NULL, NULL, 0);
    assert_int_equal(fip.nout, n + 2); /* released by the ACK */
    assert_int_equal(last()->seq, iss + 11);
    assert_memory_equal(last()->data, "abcdefghij", 10);
    run(0);
    assert_int_equal(uk_flow_set_option(flow, UK_FLOW_NODELAY, 1), 0);
    assert_int_equal(uk_flow_write(flow, "ABCDEFGHIJ", 10, on_write, NULL), 0);
    run(0);
    assert_int_equal(uk_flow_write(flow, "KLMNOPQRST", 10, on_write, NULL), 0);
    assert_int_equal(fip.nout, n + 4); /* both went at once */
    assert_int_equal(uk_flow_set_option(flow, UK_FLOW_NODELAY, 2), UK_EINVAL);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    assert_int_equal(writes, 4);
    teardown_tcp();
}

/* ---- table-driven: bring a passive connection to a state, then inject
 * one segment and check the answer and what is left ---- */

enum st { S_SYN_RCVD, S_EST, S_FW1, S_FW2, S_CLOSING, S_CW, S_LAST_ACK };
enum in_kind { I_RST_EXACT, I_RST_INWIN, I_SYN, I_OLD_DATA, I_FIN_ACK_ALL };

static uint32_t our_fin; /* sequence number of our FIN, once sent */

static void to_state(enum st st)
{
    const struct seg *s;
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, on_accept, NULL), 0);
    inject(80, F_SYN, PISN, 0, 65535, NULL, NULL, 0);
    iss = last()->seq;
    our_fin = iss + 1;
    if (st == S_SYN_RCVD)
        return;
    inject(80, F_ACK, PISN + 1, iss + 1, 1000, NULL, NULL, 0);
    run(0);
    assert_non_null(flow);
    switch (st) {
    case S_FW1:
    case S_FW2:
    case S_CLOSING:
        assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
        s = last();
        assert_true(s->flags & F_FIN);
        if (st == S_FW2)
            inject(80, F_ACK, PISN + 1, iss + 2, 1000, NULL, NULL, 0);
        if (st == S_CLOSING)
            inject(80, F_ACK | F_FIN, PISN + 1, iss + 1, 1000, NULL, NULL, 0);
        run(0);
        break;
    case S_CW:
    case S_LAST_ACK:
        inject(80, F_ACK | F_FIN, PISN + 1, iss + 1, 1000, NULL, NULL, 0);
        if (st == S_LAST_ACK) {
            assert_int_equal(uk_flow_close(flow, on_close, NULL), 0);
            assert_true(last()->flags & F_FIN);
        }
        run(0);
        break;
    default:
        break;
    }
}

static void test_state_table(void **state)
{
    static const struct {
        enum st st;
        enum in_kind in;
        int reply;    /* flags expected in the answer, -1: no answer */
        size_t left;  /* connections in use afterwards */
        size_t tw;    /* TIME_WAIT entries afterwards */
    } rows[] = {
        {S_SYN_RCVD, I_RST_EXACT, -1, 0, 0},
        {S_SYN_RCVD, I_RST_INWIN, F_ACK, 1, 0},
        {S_SYN_RCVD, I_SYN, F_SYN | F_ACK, 1, 0}, /* a repeated SYN */
        {S_EST, I_RST_EXACT, -1, 1, 0},           /* the app still holds */
        {S_EST, I_RST_INWIN, F_ACK, 1, 0},
        {S_EST, I_SYN, F_ACK, 1, 0},
        {S_EST, I_OLD_DATA, F_ACK, 1, 0},
        {S_FW1, I_RST_INWIN, F_ACK, 1, 0},
        {S_FW1, I_SYN, F_ACK, 1, 0},
        {S_FW1, I_FIN_ACK_ALL, F_ACK, 0, 1},      /* FIN_WAIT_1 -> TW */
        {S_FW1, I_RST_EXACT, -1, 0, 0},
        {S_FW2, I_FIN_ACK_ALL, F_ACK, 0, 1},
        {S_FW2, I_OLD_DATA, F_ACK, 1, 0},
        {S_FW2, I_RST_EXACT, -1, 0, 0},
        {S_CLOSING, I_FIN_ACK_ALL, -1, 0, 1},     /* its ACK: -> TW */
        {S_CLOSING, I_RST_EXACT, -1, 0, 0},
        {S_CW, I_OLD_DATA, F_ACK, 1, 0},
        {S_CW, I_SYN, F_ACK, 1, 0},
        {S_CW, I_RST_EXACT, -1, 1, 0},
        {S_LAST_ACK, I_FIN_ACK_ALL, -1, 0, 0},    /* LAST_ACK -> CLOSED */
        {S_LAST_ACK, I_RST_INWIN, F_ACK, 1, 0},
        {S_LAST_ACK, I_RST_EXACT, -1, 0, 0},
    };
    size_t r;
    UK_UNUSED(state);
    for (r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        uint32_t rn; /* the peer's next sequence number */
        size_t n;
        fake_setup(NULL);
        peer_port = (uint16_t)(30000 + r);
        to_state(rows[r].st);
        rn = PISN + 1 + (rows[r].st == S_CLOSING || rows[r].st == S_CW ||
                                 rows[r].st == S_LAST_ACK
                             ? 1
                             : 0);
        n = fip.nout;
        switch (rows[r].in) {
        case I_RST_EXACT:
            inject(80, F_RST, rn, 0, 0, NULL, NULL, 0);
            break;
        case I_RST_INWIN:
            inject(80, F_RST, rn + 10, 0, 0, NULL, NULL, 0);
            break;
        case I_SYN:
            inject(80, F_SYN, rows[r].st == S_SYN_RCVD ? PISN : rn + 5, 0,
                   1000, NULL, NULL, 0);
            break;
        case I_OLD_DATA:
            inject(80, F_ACK, rn - 1, iss + 1, 1000, NULL, "x", 1);
            break;
        case I_FIN_ACK_ALL:
            inject(80, F_ACK | (rows[r].st == S_FW1 || rows[r].st == S_FW2
                                    ? F_FIN
                                    : 0),
                   rn, iss + 2, 1000, NULL, NULL, 0);
            break;
        }
        if (rows[r].reply < 0) {
            assert_int_equal(fip.nout, n);
        } else {
            if (fip.nout != n + 1)
                print_error("row %zu: %zu answers\n", r, fip.nout - n);
            assert_int_equal(fip.nout, n + 1);
            assert_int_equal(last()->flags & ~F_PSH, rows[r].reply);
        }
        run(0);
        if (uk_tcpip_tcp_active(&tcp) != rows[r].left ||
            tcp.tw_count != rows[r].tw)
            print_error("row %zu: %zu left, %zu in TIME_WAIT\n", r,
                        uk_tcpip_tcp_active(&tcp), tcp.tw_count);
        assert_int_equal(uk_tcpip_tcp_active(&tcp), rows[r].left);
        assert_int_equal(tcp.tw_count, rows[r].tw);
        if (tcp.live != NULL && tcp.live->flow.ops != NULL &&
            uk_flow_abort(&tcp.live->flow, NULL, NULL) == 0)
            run(0); /* the application lets go of what it holds */
        teardown_tcp();
    }
    peer_port = 40000;
}

/* An orphan in FIN_WAIT_2 whose peer never closes gives up. */
static void test_fin_wait_2_timeout(void **state)
{
    UK_UNUSED(state);
    fake_setup(NULL);
    to_state(S_FW2);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 1);
    run(59 * UK_NS_PER_S);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 1);
    run(2 * UK_NS_PER_S);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    teardown_tcp();
}

/* SipHash-2-4 against the paper's test vector (key 00..0f, message
 * 00..0e) and the reference implementation's first vectors. */
uint64_t uk__tcp_siphash(const uint64_t key[2], const void *data, size_t n);
static void test_siphash_vectors(void **state)
{
    const uint64_t key[2] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
    uint8_t m[16];
    size_t i;
    UK_UNUSED(state);
    for (i = 0; i < sizeof m; i++)
        m[i] = (uint8_t)i;
    assert_true(uk__tcp_siphash(key, m, 15) == 0xa129ca6149be45e5ull);
    assert_true(uk__tcp_siphash(key, m, 0) == 0x726fdb47dd0e0e31ull);
    assert_true(uk__tcp_siphash(key, m, 1) == 0x74f839c593dc67fdull);
    assert_true(uk__tcp_siphash(key, m, 8) == 0x93f5f5799a932462ull);
}

/* A lost tail: a probe re-sends the last segment well before the RTO. */
static void test_tail_loss_probe(void **state)
{
    static uint8_t d[5000];
    struct inj o;
    size_t n;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(true); /* SACK and timestamps: an RTT sample */
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, d, sizeof d, on_write, NULL), 0);
    n = fip.nout;
    assert_true(n >= 2);
    /* the peer acknowledges the first segment only */
    o = ts_opt(5005);
    inject(80, F_ACK, PISN + 1, fip.out[0].seq + (uint32_t)fip.out[0].len,
           1000, &o, NULL, 0);
    n = fip.nout;
    /* the PTO is 2 SRTT (RFC 8985 7.2) with more than a segment out, no
     * slack: the SRTT here is next to nothing, so the first probe goes
     * within microseconds, and so do the next ones (each PTO doubled) */
    run(50 * UK_NS_PER_US);
    assert_true(fip.nout > n);
    run(100 * UK_NS_PER_MS);
    /* eight probes, well before the RTO: lost probes (or their lost ACKs)
     * do not cost a timeout */
    assert_int_equal(fip.nout, n + 8);
    assert_int_equal(tcp.stats.tlp, 8);
    assert_int_equal(tcp.stats.rto, 0);
    assert_int_equal(last()->seq + last()->len, iss + 1 + sizeof d);
    /* no answer either: then the RTO (and its back-off) */
    run(UK_NS_PER_S);
    assert_true(tcp.stats.rto >= 1);
    assert_int_equal(tcp.stats.tlp, 8); /* eight probes per flight */
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* A passive open without timestamps takes its first RTT sample from the
 * handshake (SYN-ACK to ACK), so the first RTO is not the initial 1 s. */
static void test_passive_open_rtt_sample(void **state)
{
    struct uk_tcpip_tcp_conn *c;
    UK_UNUSED(state);
    fake_setup(NULL);
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 0, on_accept, NULL), 0);
    inject(80, F_SYN, PISN, 0, 65535, NULL, NULL, 0);
    iss = last()->seq;
    run(30 * UK_NS_PER_MS);
    inject(80, F_ACK, PISN + 1, iss + 1, 1000, NULL, NULL, 0);
    run(0);
    assert_int_equal(accepts, 1);
    c = (struct uk_tcpip_tcp_conn *)(void *)flow;
    assert_true(c->srtt >= 29 * UK_NS_PER_MS && c->srtt <= 31 * UK_NS_PER_MS);
    assert_true(c->rto < UK_NS_PER_S);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* With SACK blocks to report, a full data segment still fits the MSS:
 * options and payload together never exceed it (RFC 6691), so nothing is
 * fragmented by IP. */
static void test_sack_options_fit_mss(void **state)
{
    static uint8_t d[20 * 1448];
    struct inj o;
    size_t i, n;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(true);
    o = ts_opt(5002);
    inject(80, F_ACK, PISN + 1 + 1000, iss + 1, 1000, &o, "x", 1);
    inject(80, F_ACK, PISN + 1 + 3000, iss + 1, 1000, &o, "y", 1);
    assert_int_equal(last()->nsack, 2);
    n = fip.nout;
    assert_int_equal(uk_flow_write(flow, d, sizeof d, on_write, NULL), 0);
    assert_true(fip.nout > n + 1);
    for (i = n; i < fip.nout; i++) {
        size_t opt = (fip.out[i].ts ? 12 : 0) +
                     (fip.out[i].nsack ? 4 + 8 * fip.out[i].nsack : 0);
        assert_true(fip.out[i].len + opt <= 1460);
    }
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* SACK recovery with two holes, the second with too little SACKed above
 * it to count as lost (RFC 6675 IsLost): the partial ACK that covers the
 * first hole's retransmission sends the second hole at once (RFC 6582
 * 3.2 step 3, RFC 6675 NextSeg), not after new data or at the RTO. */
static void test_partial_ack_sends_next_hole(void **state)
{
    static uint8_t d[40 * 1448];
    struct uk_tcpip_tcp_conn *c;
    struct inj o;
    uint32_t base, m;
    size_t n, i;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(true); /* SACK and timestamps */
    c = (struct uk_tcpip_tcp_conn *)(void *)flow;
    m = (uint32_t)c->mss - 12u; /* timestamps take 12 */
    base = iss + 1;
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, d, sizeof d, on_write, NULL), 0);
    assert_true(fip.nout >= 10); /* the initial window */
    /* segments 0 and 8 are lost: the peer SACKs 1..7, then 9 */
    o = ts_opt(5005);
    o.nsack = 1;
    o.sack[0][0] = base + m;
    o.sack[0][1] = base + 4 * m;
    inject(80, F_ACK, PISN + 1, base, 1000, &o, NULL, 0);
    o.sack[0][1] = base + 8 * m;
    inject(80, F_ACK, PISN + 1, base, 1000, &o, NULL, 0);
    assert_true(c->in_recovery);
    assert_int_equal(tcp.stats.fast_rexmit, 1);
    o.nsack = 2;
    o.sack[0][0] = base + 9 * m;
    o.sack[0][1] = base + 10 * m;
    o.sack[1][0] = base + m;
    o.sack[1][1] = base + 8 * m;
    inject(80, F_ACK, PISN + 1, base, 1000, &o, NULL, 0);
    for (i = 0; i < fip.nout; i++) /* segment 8 is not lost yet */
        assert_true(fip.out[i].seq != base + 8 * m || i < 10);
    /* the retransmitted segment 0 arrives: a partial ACK up to 8 */
    n = fip.nout;
    o.nsack = 1;
    inject(80, F_ACK, PISN + 1, base + 8 * m, 1000, &o, NULL, 0);
    assert_true(c->in_recovery);
    assert_true(fip.nout > n);
    assert_int_equal(fip.out[n].seq, base + 8 * m);
    assert_int_equal(fip.out[n].len, m);
    assert_int_equal(tcp.stats.rto, 0);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* A full segment's payload (timestamps on: they take 12 bytes). */
static uint32_t seg_size(void)
{
    struct uk_tcpip_tcp_conn *c = (struct uk_tcpip_tcp_conn *)(void *)flow;
    return (uint32_t)c->mss - 12u;
}

/* Sends n full segments of data; returns their size. */
static uint32_t send_segments(size_t n)
{
    static uint8_t d[10 * 1448];
    uint32_t m = seg_size();
    assert_true(n * m <= sizeof d);
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, d, n * m, on_write, NULL), 0);
    assert_int_equal(fip.nout, n);
    return m;
}

/* Opens a connection, sends n segments of which the peer gets all but the
 * first (it SACKs the rest); returns the first one's sequence number. */
static uint32_t lose_first_of(size_t n)
{
    struct inj o;
    uint32_t base, m;
    fake_setup(NULL);
    open_passive(true);
    base = iss + 1;
    m = send_segments(n);
    o = ts_opt(5005);
    o.nsack = 1;
    o.sack[0][0] = base + m;
    o.sack[0][1] = base + (uint32_t)n * m;
    inject(80, F_ACK, PISN + 1, base, 1000, &o, NULL, 0);
    return base;
}

/* How many times the segment at seq was sent. */
static unsigned sent_at(uint32_t seq)
{
    unsigned k = 0;
    size_t i;
    for (i = 0; i < fip.nout; i++)
        if (fip.out[i].seq == seq && fip.out[i].len > 0)
            k++;
    return k;
}

/* RACK (RFC 8985): a hole with less than three segments SACKed above it
 * is lost once the reordering window passes (250 us on this fast path),
 * not at the RTO (the window is too small for DupThresh). */
static void test_rack_small_window_hole(void **state)
{
    uint32_t base = lose_first_of(2);
    UK_UNUSED(state);
    assert_int_equal(sent_at(base), 1); /* reordering is still possible */
    run(200 * UK_NS_PER_US);
    assert_int_equal(sent_at(base), 1);
    run(200 * UK_NS_PER_US);
    assert_int_equal(sent_at(base), 2);
    assert_int_equal(tcp.stats.fast_rexmit, 1);
    assert_int_equal(tcp.stats.rack, 1);
    assert_int_equal(tcp.stats.rto, 0);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* RACK: a retransmission lost again, with nothing sent after it whose SACK
 * could tell, goes again about an RTT later (not under a millisecond
 * floor), not at the RTO. */
static void test_rack_lost_retransmission(void **state)
{
    uint32_t base = lose_first_of(5), m = seg_size();
    struct inj o = ts_opt(5006);
    UK_UNUSED(state);
    assert_int_equal(sent_at(base), 2); /* DupThresh: fast retransmit */
    assert_int_equal(tcp.stats.fast_rexmit, 1);
    /* ... which is lost too: it goes again after an RTT and the
     * reordering window, at least 500 us, on this fast path */
    run(UK_NS_PER_MS);
    assert_true(sent_at(base) >= 3);
    assert_true(tcp.stats.rack >= 1);
    assert_int_equal(tcp.stats.rto, 0);
    assert_int_equal(tcp.stats.fast_rexmit, 1); /* no second reduction */
    inject(80, F_ACK, PISN + 1, base + 5 * m, 1000, &o, NULL, 0);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* RACK: a partial ACK in recovery sends the hole now at snd_una (RFC 6582)
 * while SACKed data lies above it; when that retransmission is lost too,
 * it goes again about an RTT later, not at the RTO: the RACK timer is
 * armed by the retransmission itself, not only by the ACK before it.
 * (NewReno's halving leaves no room for the second hole at entry.) */
static void test_rack_after_partial_ack(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    struct inj o;
    uint32_t base, m;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.newreno = true;
    fake_setup(&cfg);
    open_passive(true);
    base = iss + 1;
    m = send_segments(10);
    o = ts_opt(5007);
    o.nsack = 2; /* 0 lost, 1..3 arrived, 4 lost, 5 arrived, 6.. flying */
    o.sack[0][0] = base + m;
    o.sack[0][1] = base + 4 * m;
    o.sack[1][0] = base + 5 * m;
    o.sack[1][1] = base + 6 * m;
    inject(80, F_ACK, PISN + 1, base, 1000, &o, NULL, 0);
    assert_int_equal(tcp.stats.fast_rexmit, 1);
    assert_int_equal(sent_at(base + 4 * m), 1); /* no room for 4 yet */
    o.nsack = 1; /* the retransmission of 0 arrives: a partial ACK */
    o.sack[0][0] = base + 5 * m;
    o.sack[0][1] = base + 6 * m;
    inject(80, F_ACK, PISN + 1, base + 4 * m, 1000, &o, NULL, 0);
    assert_int_equal(sent_at(base + 4 * m), 2); /* 4 goes at once */
    run(50 * UK_NS_PER_MS); /* ... and is lost again */
    assert_true(sent_at(base + 4 * m) >= 3);
    assert_int_equal(tcp.stats.rto, 0);
    inject(80, F_ACK, PISN + 1, base + 10 * m, 1000, &o, NULL, 0);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* A partial ACK that leaves nothing SACKed in recovery: the tail beyond it
 * may be lost with nothing to reveal it, so a probe goes before the RTO. */
static void test_probe_in_recovery(void **state)
{
    struct inj o;
    uint32_t base, m;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(true);
    base = iss + 1;
    m = send_segments(6);
    o = ts_opt(5005);
    o.nsack = 1;
    o.sack[0][0] = base + m; /* 0 lost, 1..3 arrived, 4 and 5 lost */
    o.sack[0][1] = base + 4 * m;
    inject(80, F_ACK, PISN + 1, base, 1000, &o, NULL, 0);
    assert_int_equal(tcp.stats.fast_rexmit, 1);
    o.nsack = 0; /* the retransmission arrives */
    inject(80, F_ACK, PISN + 1, base + 4 * m, 1000, &o, NULL, 0);
    run(50 * UK_NS_PER_MS);
    assert_true(tcp.stats.tlp >= 1);
    assert_int_equal(tcp.stats.rto, 0);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* A retransmission timeout that was spurious (the original was only
 * delayed: the ACK echoes its timestamp) has its window reduction undone
 * (RFC 3522 detection); one whose ACK echoes the retransmission keeps it. */
static void test_spurious_timeout_undo(void **state)
{
    static uint8_t d[4000];
    struct uk_tcpip_tcp_conn *c;
    struct inj o;
    uint32_t orig_ts, cwnd0, end;
    UK_UNUSED(state);
    fake_setup(NULL);
    open_passive(true); /* timestamps */
    c = (struct uk_tcpip_tcp_conn *)(void *)flow;
    cwnd0 = c->cwnd;
    run(10 * UK_NS_PER_MS); /* the retransmission gets a later timestamp */
    fip.nout = 0;
    assert_int_equal(uk_flow_write(flow, d, sizeof d, on_write, NULL), 0);
    assert_true(fip.nout >= 2);
    orig_ts = fip.out[0].tsval;
    end = c->snd_max; /* Nagle holds the last partial segment */
    /* no ACK: the tail probe, then the timeout cuts the window */
    run(UK_NS_PER_S);
    assert_true(tcp.stats.rto >= 1);
    assert_true(c->cwnd < cwnd0);
    assert_true((int32_t)(last()->tsval - orig_ts) > 0);
    /* the delayed ACK of the original arrives */
    o = ts_opt(6000);
    o.tsecr = orig_ts;
    inject(80, F_ACK, PISN + 1, end, 1000, &o, NULL, 0);
    assert_int_equal(tcp.stats.spurious_undo, 1);
    assert_true(c->cwnd >= cwnd0);
    /* again, but the ACK echoes the retransmission: a real loss */
    run(10 * UK_NS_PER_MS);
    assert_true(c->snd_max != end); /* the held-back tail went out */
    end = c->snd_max;
    run(10 * UK_NS_PER_S); /* the delayed ACK made the RTT sample long */
    assert_true(tcp.stats.rto >= 2);
    cwnd0 = c->cwnd;
    o = ts_opt(6001); /* echoes the last segment sent: a retransmission */
    inject(80, F_ACK, PISN + 1, end, 1000, &o, NULL, 0);
    assert_int_equal(tcp.stats.spurious_undo, 1);
    assert_true(c->cwnd <= cwnd0 + 2 * 1460);
    assert_int_equal(uk_flow_abort(flow, on_close, NULL), 0);
    run(0);
    teardown_tcp();
}

/* Beyond the listen backlog (connections not yet accepted) a handshake's
 * last ACK is dropped, as Linux does: no reset, the connection stays
 * half-open for the peer's retry; unlisten resets those still waiting. */
static void test_backlog(void **state)
{
    uint32_t isn2;
    UK_UNUSED(state);
    fake_setup(NULL);
    reset_app();
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 1, on_accept, NULL), 0);
    assert_int_equal(uk_tcpv4_listen(&tcp.base, 80, 1, on_accept, NULL),
                     UK_EADDRINUSE);
    peer_port = 40001;
    inject(80, F_SYN, PISN, 0, 65535, NULL, NULL, 0);
    iss = last()->seq;
    inject(80, F_ACK, PISN + 1, iss + 1, 1000, NULL, NULL, 0);
    peer_port = 40002;
    inject(80, F_SYN, PISN, 0, 65535, NULL, NULL, 0);
    isn2 = last()->seq;
    fip.nout = 0;
    inject(80, F_ACK, PISN + 1, isn2 + 1, 1000, NULL, NULL, 0);
    assert_int_equal(fip.nout, 0);
    assert_int_equal(tcp.stats.accept_full, 1);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 2);
    /* unlisten before the accept callback: it never runs */
    assert_int_equal(uk_tcpv4_unlisten(&tcp.base, 80), 0);
    assert_int_equal(uk_tcpv4_unlisten(&tcp.base, 80), UK_ENOENT);
    run(0);
    assert_int_equal(accepts, 0);
    assert_int_equal(uk_tcpip_tcp_active(&tcp), 0);
    peer_port = 40000;
    teardown_tcp();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passive_open_data_close),
        cmocka_unit_test(test_active_open_and_close),
        cmocka_unit_test(test_connect_refused_and_timeout),
        cmocka_unit_test(test_simultaneous_open_and_close),
        cmocka_unit_test(test_rst_and_challenge_acks),
        cmocka_unit_test(test_closed_port_resets),
        cmocka_unit_test(test_ts_recent_only_from_acceptable),
        cmocka_unit_test(test_sack_generation_and_reassembly),
        cmocka_unit_test(test_zero_window_persist),
        cmocka_unit_test(test_small_window_probe),
        cmocka_unit_test(test_backpressure),
        cmocka_unit_test(test_retransmit_backoff),
        cmocka_unit_test(test_keepalive),
        cmocka_unit_test(test_syn_cookies),
        cmocka_unit_test(test_completed_handshakes_beat_half_open),
        cmocka_unit_test(test_forgotten_half_open_completes),
        cmocka_unit_test(test_stale_handshake_ack_refused),
        cmocka_unit_test(test_cookie_ack_waits_for_room),
        cmocka_unit_test(test_close_cancels_pending),
        cmocka_unit_test(test_syn_flood),
        cmocka_unit_test(test_option_negotiation),
        cmocka_unit_test(test_delayed_ack),
        cmocka_unit_test(test_nagle_and_nodelay),
        cmocka_unit_test(test_state_table),
        cmocka_unit_test(test_fin_wait_2_timeout),
        cmocka_unit_test(test_siphash_vectors),
        cmocka_unit_test(test_tail_loss_probe),
        cmocka_unit_test(test_backlog),
        cmocka_unit_test(test_partial_ack_sends_next_hole),
        cmocka_unit_test(test_sack_options_fit_mss),
        cmocka_unit_test(test_passive_open_rtt_sample),
        cmocka_unit_test(test_spurious_timeout_undo),
        cmocka_unit_test(test_rack_small_window_hole),
        cmocka_unit_test(test_rack_lost_retransmission),
        cmocka_unit_test(test_rack_after_partial_ack),
        cmocka_unit_test(test_probe_in_recovery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
