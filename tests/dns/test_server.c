/*
 * test_server.c - the DNS server (uk/dns_server.h) over fake UDP and TCP
 * layers and a real event loop on a fake clock: UDP replies go back to
 * the sender from our port; TCP frames split across reads or several in
 * one read are answered in order, one write at a time; EOF, the idle
 * timeout, an oversized frame and a full connection pool close
 * connections; stop closes everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <uk/dns_server.h>
#include <uk/loop.h>

#include "test_dns_support.h"
#include "test_mem.h"

/* ---- fake clock and loop */

static uint64_t now_ns;
static uint64_t fc_mono(struct uk_clock *self)
{
    (void)self;
    return now_ns;
}
static int64_t fc_wall(struct uk_clock *self)
{
    (void)self;
    return 0;
}
static const struct uk_clock_ops fc_ops = {fc_mono, fc_wall};
static struct uk_clock fclock = {&fc_ops};
static struct uk_loop loop;

static void spin(void)
{
    int i;
    for (i = 0; i < 50; i++)
        (void)uk_loop_run_once(&loop, false);
}

/* ---- fake UDP */

struct fudp {
    struct uk_udpv4 udp;
    uint16_t port;
    uk_udpv4_recv_cb cb;
    void *arg;
    int sent;
    uint16_t sent_from;
    struct uk_ipv4_ep sent_to;
    uint8_t last[4096];
    size_t last_len;
};

static const char *fu_id(struct uk_udpv4 *self)
{
    (void)self;
    return "fake-udp";
}
static void fu_disc(struct uk_udpv4 *self, uk_done_cb cb, void *arg)
{
    (void)self;
    (void)cb;
    (void)arg;
}
static int fu_listen(struct uk_udpv4 *self, uint16_t port, uk_udpv4_recv_cb cb,
                     void *arg)
{
    struct fudp *u = (struct fudp *)self;
    u->port = port;
    u->cb = cb;
    u->arg = arg;
    return 0;
}
static int fu_unlisten(struct uk_udpv4 *self, uint16_t port)
{
    struct fudp *u = (struct fudp *)self;
    (void)port;
    u->cb = NULL;
    return 0;
}
static int fu_send(struct uk_udpv4 *self, uint16_t src_port,
                   const struct uk_ipv4_ep *dst, const struct uk_iov *iov,
                   int iovcnt)
{
    struct fudp *u = (struct fudp *)self;
    size_t n = 0;
    int i;
    for (i = 0; i < iovcnt; i++) {
        memcpy(u->last + n, iov[i].base, iov[i].len);
        n += iov[i].len;
    }
    u->last_len = n;
    u->sent++;
    u->sent_from = src_port;
    u->sent_to = *dst;
    return 0;
}
static const struct uk_udpv4_ops fu_ops = {fu_id, fu_disc, fu_listen,
                                           fu_unlisten, fu_send};

/* ---- fake TCP and flows */

struct fflow {
    struct uk_flow flow;
    uk_flow_read_cb rcb;
    void *rarg;
    uk_flow_write_cb wcb;
    void *warg;
    size_t wpending;
    uk_done_cb ccb;
    void *carg;
    bool closed, auto_write;
    struct uk_timer t;
    uint8_t out[70000];
    size_t outlen;
};

static int ff_read(struct uk_flow *self, uk_flow_read_cb cb, void *arg)
{
    struct fflow *f = (struct fflow *)self;
    if (f->closed)
        return UK_ECLOSED;
    if (f->rcb != NULL)
        return UK_EBUSY;
    f->rcb = cb;
    f->rarg = arg;
    return 0;
}
static void ff_complete_write(void *arg)
{
    struct fflow *f = arg;
    uk_flow_write_cb cb = f->wcb;
    size_t n = f->wpending;
    f->wcb = NULL;
    if (cb != NULL)
        cb(f->warg, 0, n);
}
static int ff_writev(struct uk_flow *self, const struct uk_iov *iov,
                     int iovcnt, uk_flow_write_cb cb, void *arg)
{
    struct fflow *f = (struct fflow *)self;
    int i;
    if (f->closed)
        return UK_ECLOSED;
    if (f->wcb != NULL)
        return UK_EBUSY;
    f->wpending = 0;
    for (i = 0; i < iovcnt; i++) {
        memcpy(f->out + f->outlen, iov[i].base, iov[i].len);
        f->outlen += iov[i].len;
        f->wpending += iov[i].len;
    }
    f->wcb = cb;
    f->warg = arg;
    if (f->auto_write)
        uk_time_defer(&loop.time, &f->t, ff_complete_write, f);
    return 0;
}
static void ff_finish_close(void *arg)
{
    struct fflow *f = arg;
    if (f->rcb != NULL) {
        uk_flow_read_cb cb = f->rcb;
        f->rcb = NULL;
        cb(f->rarg, UK_ECANCELED, NULL, 0);
    }
    if (f->wcb != NULL) {
        uk_flow_write_cb cb = f->wcb;
        f->wcb = NULL;
        cb(f->warg, UK_ECANCELED, 0);
    }
    if (f->ccb != NULL)
        f->ccb(f->carg);
}
static int ff_close(struct uk_flow *self, uk_done_cb cb, void *arg)
{
    struct fflow *f = (struct fflow *)self;
    if (f->closed)
        return UK_ECLOSED;
    f->closed = true;
    f->ccb = cb;
    f->carg = arg;
    uk_time_defer(&loop.time, &f->t, ff_finish_close, f);
    return 0;
}
static const struct uk_flow_ops ff_ops = {ff_read, ff_writev, NULL, ff_close,
                                          NULL,    NULL,      NULL};

/* Delivers bytes to the flow's pending read (from the test, as the loop
 * would). */
static void feed(struct fflow *f, const void *data, size_t len)
{
    uk_flow_read_cb cb = f->rcb;
    assert_non_null(cb);
    f->rcb = NULL;
    cb(f->rarg, 0, data, len);
}

static void feed_eof(struct fflow *f)
{
    uk_flow_read_cb cb = f->rcb;
    assert_non_null(cb);
    f->rcb = NULL;
    cb(f->rarg, UK_EOF, NULL, 0);
}

struct ftcp {
    struct uk_tcpv4 tcp;
    uk_tcpv4_accept_cb cb;
    void *arg;
};
static const char *ft_id(struct uk_tcpv4 *self)
{
    (void)self;
    return "fake-tcp";
}
static void ft_disc(struct uk_tcpv4 *self, uk_done_cb cb, void *arg)
{
    (void)self;
    (void)cb;
    (void)arg;
}
static int ft_listen(struct uk_tcpv4 *self, uint16_t port, int backlog,
                     uk_tcpv4_accept_cb cb, void *arg)
{
    struct ftcp *t = (struct ftcp *)self;
    (void)port;
    (void)backlog;
    t->cb = cb;
    t->arg = arg;
    return 0;
}
static int ft_unlisten(struct uk_tcpv4 *self, uint16_t port)
{
    (void)port;
    ((struct ftcp *)self)->cb = NULL;
    return 0;
}
static int ft_connect(struct uk_tcpv4 *self, const struct uk_ipv4_ep *dst,
                      uk_tcpv4_connect_cb cb, void *arg)
{
    (void)self;
    (void)dst;
    (void)cb;
    (void)arg;
    return UK_ENOTSUP;
}
static const struct uk_tcpv4_ops ft_ops = {ft_id, ft_disc, ft_listen,
                                           ft_unlisten, ft_connect};

/* ---- fixtures */

static uint8_t arena_mem[1 << 18];
static struct uk_arena arena;
static struct uk_dns_db db;
static struct fudp fudp;
static struct ftcp ftcp;
static struct uk_dns_server srv;
static struct test_mem tmem;
static struct fflow flows[4];

static void small_cfg(struct uk_dns_server_cfg *cfg)
{
    uk_dns_server_config_default(cfg);
    cfg->port = 5300;
    cfg->edns_size = 1232;
    cfg->tcp_idle_ns = 5 * UK_NS_PER_S;
    cfg->tcp_max_conns = 2;
}

static int setup(void **state)
{
    struct uk_dns_server_cfg cfg;
    size_t i;
    (void)state;
    now_ns = 1000;
    uk_loop_init(&loop, &fclock, NULL);
    uk_arena_init(&arena, arena_mem, sizeof arena_mem);
    uk_dns_db_init(&db, &arena);
    if (td_load_file(&db, "example.com.", "example.zone") != 0)
        return -1;
    memset(&fudp, 0, sizeof fudp);
    fudp.udp.ops = &fu_ops;
    memset(&ftcp, 0, sizeof ftcp);
    ftcp.tcp.ops = &ft_ops;
    for (i = 0; i < 4; i++) {
        memset(&flows[i], 0, sizeof flows[i]);
        flows[i].flow.ops = &ff_ops;
        flows[i].auto_write = true;
    }
    small_cfg(&cfg);
    test_mem_init(&tmem, 1u << 20);
    if (uk_dns_server_init(&srv, &db, &fudp.udp, &ftcp.tcp, &loop.time, &cfg,
                           &tmem.mem) != 0)
        return -1;
    return uk_dns_server_start(&srv);
}

static int teardown(void **state)
{
    (void)state;
    uk_dns_server_stop(&srv);
    spin();
    /* every connection closed, every byte back in the budget */
    return uk_dns_server_active(&srv) == 0 && tmem.stats.used == 0 ? 0 : -1;
}

static void test_init_errors(void **state)
{
    struct uk_dns_server s;
    struct uk_dns_server_cfg cfg;
    (void)state;
    small_cfg(&cfg);
    cfg.port = 0;
    assert_int_equal(
        uk_dns_server_init(&s, &db, &fudp.udp, NULL, &loop.time, &cfg, NULL),
        UK_EINVAL);
    cfg.port = 53;
    cfg.edns_size = 100;
    assert_int_equal(
        uk_dns_server_init(&s, &db, &fudp.udp, NULL, &loop.time, &cfg, NULL),
        UK_EINVAL);
    cfg.edns_size = 1232;
    /* TCP needs a budget and a connection limit */
    assert_int_equal(
        uk_dns_server_init(&s, &db, NULL, &ftcp.tcp, &loop.time, &cfg, NULL),
        UK_EINVAL);
    cfg.tcp_max_conns = 0;
    assert_int_equal(uk_dns_server_init(&s, &db, NULL, &ftcp.tcp, &loop.time,
                                        &cfg, &tmem.mem),
                     UK_EINVAL);
    assert_int_equal(
        uk_dns_server_init(&s, &db, NULL, NULL, &loop.time, &cfg, NULL),
        UK_EINVAL);
}

static void test_udp(void **state)
{
    uint8_t q[300];
    size_t qlen = td_query(q, "www.example.com.", UK_DNS_A, NULL);
    struct uk_udpv4_info info;
    struct td_reply r;
    (void)state;
    assert_non_null(fudp.cb);
    assert_int_equal(fudp.port, 5300);
    info.src.addr = uk_ipv4(127, 0, 0, 1);
    info.src.port = 40000;
    info.dst.addr = uk_ipv4(127, 0, 0, 1);
    info.dst.port = 5300;
    fudp.cb(fudp.arg, &info, q, qlen);
    assert_int_equal(fudp.sent, 1);
    assert_int_equal(fudp.sent_from, 5300);
    assert_int_equal(fudp.sent_to.port, 40000);
    assert_int_equal(td_decode(fudp.last, fudp.last_len, &r), 0);
    assert_int_equal(r.an, 2);
    /* garbage and responses get nothing */
    fudp.cb(fudp.arg, &info, "\1\2\3", 3);
    q[2] |= 0x80;
    fudp.cb(fudp.arg, &info, q, qlen);
    assert_int_equal(fudp.sent, 1);
    assert_int_equal(srv.stats.udp_dropped, 2);
}

/* Splits the reply stream of a flow into frames and decodes frame i. */
static int frame(const struct fflow *f, int i, struct td_reply *r)
{
    size_t pos = 0;
    int k;
    for (k = 0; pos + 2 <= f->outlen; k++) {
        size_t n = uk_load_be16(f->out + pos);
        if (pos + 2 + n > f->outlen)
            return -1;
        if (k == i)
            return td_decode(f->out + pos + 2, n, r);
        pos += 2 + n;
    }
    return -1;
}

static size_t frame_query(uint8_t *out, const char *name, uint16_t type,
                          uint16_t id)
{
    struct td_q o = {id, 0, 0, 0, 0};
    size_t n = td_query(out + 2, name, type, &o);
    uk_store_be16(out, (uint16_t)n);
    return n + 2;
}

static void test_tcp_pipelined(void **state)
{
    static struct td_reply r;
    uint8_t buf[1024];
    size_t n = 0;
    struct fflow *f = &flows[0];
    (void)state;
    ftcp.cb(ftcp.arg, &f->flow);
    assert_non_null(f->rcb); /* reading at once */
    n += frame_query(buf + n, "www.example.com.", UK_DNS_A, 1);
    n += frame_query(buf + n, "alias2.example.com.", UK_DNS_A, 2);
    n += frame_query(buf + n, "x.www.example.com.", UK_DNS_A, 3);
    /* two whole queries and half of the third in one read */
    feed(f, buf, n - 10);
    assert_null(f->rcb); /* writing the first reply: not reading */
    spin();
    assert_non_null(f->rcb);
    feed(f, buf + n - 10, 10);
    spin();
    assert_int_equal(frame(f, 0, &r), 0);
    assert_int_equal(r.id, 1);
    assert_int_equal(r.an, 2);
    assert_int_equal(frame(f, 1, &r), 0);
    assert_int_equal(r.id, 2);
    assert_int_equal(r.an, 4);
    assert_int_equal(frame(f, 2, &r), 0);
    assert_int_equal(r.id, 3);
    assert_int_equal(r.rcode, UK_DNS_NXDOMAIN);
    assert_int_equal(srv.stats.tcp_queries, 3);
    /* a byte at a time */
    f->outlen = 0;
    n = frame_query(buf, "www.example.com.", UK_DNS_AAAA, 4);
    {
        size_t i;
        for (i = 0; i < n; i++) {
            feed(f, buf + i, 1);
            spin();
        }
    }
    assert_int_equal(frame(f, 0, &r), 0);
    assert_int_equal(r.id, 4);
    /* EOF closes once the replies are written */
    feed_eof(f);
    spin();
    assert_true(f->closed);
    assert_int_equal(uk_dns_server_active(&srv), 0);
}

/* At the limit (2 here) a new connection takes the place of the oldest
 * idle one; with both answering, it is refused. */
static void test_tcp_idle_and_pool(void **state)
{
    uint8_t buf[600];
    size_t n;
    (void)state;
    ftcp.cb(ftcp.arg, &flows[0].flow);
    ftcp.cb(ftcp.arg, &flows[1].flow);
    ftcp.cb(ftcp.arg, &flows[2].flow); /* full: the oldest idle goes */
    spin();
    assert_true(flows[0].closed);
    assert_false(flows[1].closed || flows[2].closed);
    assert_int_equal(srv.stats.tcp_reclaimed, 1);
    assert_int_equal(srv.stats.tcp_refused, 0);
    assert_int_equal(uk_dns_server_active(&srv), 2);
    /* activity on flow 1 keeps it open past flow 2's timeout */
    now_ns += 3 * UK_NS_PER_S;
    n = frame_query(buf, "www.example.com.", UK_DNS_A, 9);
    feed(&flows[1], buf, n);
    spin();
    now_ns += 2 * UK_NS_PER_S + 1;
    spin();
    assert_true(flows[2].closed);
    assert_false(flows[1].closed);
    now_ns += 3 * UK_NS_PER_S;
    spin();
    assert_true(flows[1].closed);
    assert_int_equal(srv.stats.tcp_closed_idle, 2);
    assert_int_equal(uk_dns_server_active(&srv), 0);
    /* two connections whose replies are not taken: nothing to reclaim */
    memset(flows, 0, sizeof flows);
    for (n = 0; n < 3; n++) {
        flows[n].flow.ops = &ff_ops;
        ftcp.cb(ftcp.arg, &flows[n].flow);
        if (n < 2) {
            size_t q = frame_query(buf, "www.example.com.", UK_DNS_A, 1);
            feed(&flows[n], buf, q);
        }
    }
    assert_true(flows[2].closed);
    assert_int_equal(srv.stats.tcp_refused, 1);
}

/* With every connection part-way through a query, the one that started
 * longest ago makes room; a client trickling a byte a second is cut by
 * the minimum rate after the 2 s grace, before any idle timeout. */
static void test_tcp_slow_senders(void **state)
{
    uint8_t q[600];
    size_t n = frame_query(q, "www.example.com.", UK_DNS_A, 7);
    struct td_reply r;
    int s;
    (void)state;
    ftcp.cb(ftcp.arg, &flows[0].flow);
    feed(&flows[0], q, 1);
    spin();
    now_ns += UK_NS_PER_S / 2;
    ftcp.cb(ftcp.arg, &flows[1].flow);
    feed(&flows[1], q, 1);
    spin();
    ftcp.cb(ftcp.arg, &flows[2].flow); /* full of partial frames */
    spin();
    assert_true(flows[0].closed);
    assert_int_equal(srv.stats.tcp_reclaimed, 1);
    feed(&flows[2], q, n);
    spin();
    assert_int_equal(frame(&flows[2], 0, &r), 0);
    assert_int_equal(r.id, 7);
    /* flows[1] keeps trickling: cut at 2 s, not at the 5 s idle timeout */
    for (s = 1; s < 4 && !flows[1].closed; s++) {
        feed(&flows[1], q + s, 1);
        now_ns += UK_NS_PER_S;
        spin();
    }
    assert_true(flows[1].closed);
    assert_int_equal(srv.stats.tcp_closed_slow, 1);
    assert_int_equal(srv.stats.tcp_closed_idle, 0);
}

/* 240 queries in one read are all answered, in a few batched writes; a
 * second client's query is answered between two of the batches. */
static void test_tcp_burst(void **state)
{
    enum { Q = 240 };
    static uint8_t burst[Q * 64];
    static struct td_reply r;
    uint8_t q[600];
    struct fflow *a = &flows[0], *b = &flows[1];
    size_t n = 0;
    int i, writes = 0;
    (void)state;
    for (i = 0; i < Q; i++)
        n += frame_query(burst + n,
                         i % 2 ? "www.example.com." : "alias2.example.com.",
                         UK_DNS_A, (uint16_t)i);
    ftcp.cb(ftcp.arg, &a->flow);
    ftcp.cb(ftcp.arg, &b->flow);
    a->auto_write = false;
    feed(a, burst, n);
    spin();
    assert_false(a->closed);
    assert_non_null(a->wcb); /* the first batch */
    writes++;
    assert_true(srv.stats.tcp_queries < Q);
    feed(b, q, frame_query(q, "www.example.com.", UK_DNS_A, 999));
    spin();
    assert_int_equal(frame(b, 0, &r), 0);
    assert_int_equal(r.id, 999);
    while (a->wcb != NULL && writes < Q) {
        ff_complete_write(a);
        spin();
        if (a->wcb != NULL)
            writes++;
    }
    assert_true(writes >= 2);
    assert_int_equal(srv.stats.tcp_queries, Q + 1);
    for (i = 0; i < Q; i++) {
        assert_int_equal(frame(a, i, &r), 0);
        assert_int_equal(r.id, i);
    }
    assert_non_null(a->rcb); /* reading again */
    assert_false(a->closed);
}

/* A 16 KiB budget and room for 100 connections: 60 clients part-way
 * through a query would need more; under pressure the oldest make room,
 * the budget is never passed, and a new client's query is answered. */
static void test_tcp_small_budget(void **state)
{
    enum { N = 60 };
    struct fflow *f = calloc(N + 1, sizeof *f);
    struct uk_dns_server s;
    struct uk_dns_server_cfg cfg;
    struct test_mem m;
    struct td_reply r;
    uint8_t q[600];
    size_t n = frame_query(q, "www.example.com.", UK_DNS_A, 5);
    int i;
    (void)state;
    assert_non_null(f);
    small_cfg(&cfg);
    cfg.tcp_max_conns = 100;
    test_mem_init(&m, 16384);
    assert_int_equal(
        uk_dns_server_init(&s, &db, NULL, &ftcp.tcp, &loop.time, &cfg, &m.mem),
        0);
    assert_int_equal(uk_dns_server_start(&s), 0);
    for (i = 0; i <= N; i++) {
        f[i].flow.ops = &ff_ops;
        f[i].auto_write = true;
        ftcp.cb(ftcp.arg, &f[i].flow);
        feed(&f[i], q, i < N ? 3 : n);
        spin();
    }
    assert_true(s.stats.tcp_reclaimed > 0);
    assert_int_equal(s.stats.tcp_no_memory, 0);
    assert_int_equal(s.stats.tcp_refused, 0);
    assert_true(m.stats.peak <= 16384);
    assert_int_equal(frame(&f[N], 0, &r), 0);
    assert_int_equal(r.id, 5);
    uk_dns_server_stop(&s);
    spin();
    assert_int_equal(uk_dns_server_active(&s), 0);
    assert_int_equal(m.stats.used, 0);
    free(f);
}

/* A client reading its replies slowly is not idle: each reply taken
 * restarts the idle timer (5 s here); silence after the last one closes. */
static void test_tcp_slow_reader(void **state)
{
    static uint8_t q[600];
    struct fflow *f = &flows[0];
    size_t n;
    int i;
    (void)state;
    ftcp.cb(ftcp.arg, &f->flow);
    f->auto_write = false;
    for (i = 0; i < 3; i++) {
        n = frame_query(q, "www.example.com.", UK_DNS_A, (uint16_t)i);
        feed(f, q, n);
        spin();
        now_ns += 4 * UK_NS_PER_S; /* less than the idle timeout */
        spin();
        assert_false(f->closed);
        assert_non_null(f->wcb); /* reply i still being written */
        ff_complete_write(f);
        spin();
    }
    assert_int_equal(srv.stats.tcp_queries, 3);
    assert_int_equal(srv.stats.tcp_closed_idle, 0);
    now_ns += 5 * UK_NS_PER_S + 1;
    spin();
    assert_true(f->closed);
    assert_int_equal(srv.stats.tcp_closed_idle, 1);
}

static void test_tcp_oversized(void **state)
{
    uint8_t buf[4];
    (void)state;
    ftcp.cb(ftcp.arg, &flows[0].flow);
    uk_store_be16(buf, 65000); /* longer than any query we accept */
    feed(&flows[0], buf, 2);
    spin();
    assert_true(flows[0].closed);
    assert_int_equal(srv.stats.tcp_closed_overflow, 1);
    /* a client whose reply cannot be written: no more reading
     * (back-pressure) until stop closes it and cancels the write */
    ftcp.cb(ftcp.arg, &flows[1].flow);
    flows[1].auto_write = false;
    {
        static uint8_t q[600];
        size_t n = frame_query(q, "www.example.com.", UK_DNS_A, 1);
        n += frame_query(q + n, "www.example.com.", UK_DNS_A, 2);
        feed(&flows[1], q, n); /* both replies written, never complete */
        spin();
        assert_null(flows[1].rcb);
        assert_int_equal(srv.stats.tcp_queries, 2);
    }
    uk_dns_server_stop(&srv);
    spin();
    assert_true(flows[1].closed);
    assert_int_equal(uk_dns_server_active(&srv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_udp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_pipelined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_idle_and_pool, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tcp_slow_senders, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tcp_burst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_small_budget, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tcp_slow_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_oversized, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
