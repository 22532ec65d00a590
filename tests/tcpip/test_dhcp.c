/*
 * test_dhcp.c - the DHCP client's state machine, against a fake UDP layer
 * (records what is sent, injects replies), a fake IPv4 layer (records
 * set_config), the real event loop on a hand-set clock and a seeded
 * random generator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/bytes.h>
#include <uk/loop.h>
#include <uk/tcpip/dhcp.h>

#include "fake_clock.h"

#define S 1000000000ull
#define T0 (1000 * S)
#define MAX_SENT 64
#define MAX_LINES 16

/* ---- fakes ------------------------------------------------------------ */

struct sent {
    struct uk_ipv4_ep dst;
    uint16_t src_port;
    uint64_t at;
    size_t len;
    uint8_t data[600];
    struct uk_dhcp_msg msg;
};

static struct fake_clock clk;
static struct fake_poller poller;
static struct uk_loop loop;

static struct {
    struct uk_udpv4 udp;
    uk_udpv4_recv_cb cb;
    void *arg;
    uint16_t port;
    struct sent sent[MAX_SENT];
    unsigned nsent;
    int listen_rc;
} fu;

static struct {
    struct uk_ipv4 ip;
    struct uk_ipv4_config cfg;
    unsigned sets;
} fi;

static struct {
    struct uk_console con;
    char lines[MAX_LINES][UK_CONSOLE_LINE_MAX];
    unsigned n;
} fc;

static struct {
    struct uk_random rnd;
    uint64_t s;
} fr;

static struct {
    enum uk_dhcp_event ev[16];
    struct uk_dhcp_lease lease[16];
    unsigned n;
} events;

static struct uk_dhcp dhcp;
static const struct uk_mac our_mac = {{0x02, 0, 0, 0, 0, 0x42}};

static int fu_listen(struct uk_udpv4 *self, uint16_t port,
                     uk_udpv4_recv_cb cb, void *arg)
{
    UK_UNUSED(self);
    if (fu.listen_rc != 0)
        return fu.listen_rc;
    assert_null(fu.cb);
    fu.port = port;
    fu.cb = cb;
    fu.arg = arg;
    return 0;
}

static int fu_unlisten(struct uk_udpv4 *self, uint16_t port)
{
    UK_UNUSED(self);
    assert_int_equal(port, fu.port);
    fu.cb = NULL;
    return 0;
}

static int fu_send(struct uk_udpv4 *self, uint16_t src_port,
                   const struct uk_ipv4_ep *dst, const struct uk_iov *iov,
                   int iovcnt)
{
    struct sent *s;
    UK_UNUSED(self);
    assert_int_equal(iovcnt, 1);
    assert_true(fu.nsent < MAX_SENT);
    s = &fu.sent[fu.nsent++];
    s->dst = *dst;
    s->src_port = src_port;
    s->at = clk.mono_ns;
    assert_true(iov[0].len <= sizeof s->data);
    s->len = iov[0].len;
    memcpy(s->data, iov[0].base, iov[0].len);
    assert_int_equal(uk_dhcp_parse(s->data, s->len, &s->msg), 0);
    return 0;
}

static const struct uk_udpv4_ops fu_ops = {
    .listen = fu_listen, .unlisten = fu_unlisten, .send = fu_send};

static int fi_set_config(struct uk_ipv4 *self,
                         const struct uk_ipv4_config *cfg)
{
    UK_UNUSED(self);
    fi.cfg = *cfg;
    fi.sets++;
    return 0;
}

static void fi_config(struct uk_ipv4 *self, struct uk_ipv4_config *out)
{
    UK_UNUSED(self);
    *out = fi.cfg;
}

static const struct uk_ipv4_ops fi_ops = {.set_config = fi_set_config,
                                          .config = fi_config};

static int fc_log(struct uk_console *self, const char *line, size_t len)
{
    UK_UNUSED(self);
    if (fc.n < MAX_LINES) {
        assert_true(len < UK_CONSOLE_LINE_MAX);
        memcpy(fc.lines[fc.n], line, len);
        fc.lines[fc.n][len] = '\0';
        fc.n++;
    }
    return 0;
}

static const struct uk_console_ops fc_ops = {.log = fc_log};

static int fr_fill(struct uk_random *self, void *buf, size_t len)
{
    uint8_t *p = (uint8_t *)buf;
    size_t i;
    UK_UNUSED(self);
    for (i = 0; i < len; i++) {
        fr.s ^= fr.s << 13;
        fr.s ^= fr.s >> 7;
        fr.s ^= fr.s << 17;
        p[i] = (uint8_t)(fr.s >> 24);
    }
    return 0;
}

static const struct uk_random_ops fr_ops = {.fill = fr_fill};

static void on_event(void *arg, enum uk_dhcp_event ev,
                     const struct uk_dhcp_lease *lease)
{
    assert_ptr_equal(arg, &events);
    assert_true(events.n < 16);
    events.ev[events.n] = ev;
    if (lease != NULL)
        events.lease[events.n] = *lease;
    events.n++;
}

/* ---- helpers ---------------------------------------------------------- */

static const struct uk_ipv4_addr server = {0x0a000001};  /* 10.0.0.1 */
static const struct uk_ipv4_addr offered = {0x0a000032}; /* 10.0.0.50 */

static void setup_with(const struct uk_dhcp_config *cfg)
{
    memset(&fu, 0, sizeof fu);
    memset(&fi, 0, sizeof fi);
    memset(&fc, 0, sizeof fc);
    memset(&events, 0, sizeof events);
    fu.udp.ops = &fu_ops;
    fi.ip.ops = &fi_ops;
    fc.con.ops = &fc_ops;
    fr.rnd.ops = &fr_ops;
    fr.s = 0x9e3779b97f4a7c15ull;
    fake_clock_init(&clk, T0, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    uk_dhcp_init(&dhcp, &fu.udp, &fi.ip, &loop.time, &fr.rnd, &fc.con, cfg,
                 on_event, &events);
}

static int setup(void **state)
{
    struct uk_dhcp_config cfg;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.mac = our_mac;
    cfg.hostname = "uk-test";
    setup_with(&cfg);
    return 0;
}

static int teardown(void **state)
{
    UK_UNUSED(state);
    uk_dhcp_stop(&dhcp);
    assert_null(fu.cb);
    assert_false(uk_loop_has_work(&loop));
    return 0;
}

/* Runs every timer due up to absolute time t, then sets the clock to t. */
static void run_until(uint64_t t)
{
    for (;;) {
        uint64_t next = uk_loop_next_deadline(&loop);
        if (next > t)
            break;
        if (next > clk.mono_ns)
            fake_clock_set(&clk, next);
        uk_loop_run_once(&loop, false);
    }
    if (clk.mono_ns < t)
        fake_clock_set(&clk, t);
}

static struct sent *last_sent(void)
{
    assert_true(fu.nsent > 0);
    return &fu.sent[fu.nsent - 1];
}

/* Reply options beyond the message type. */
struct reply {
    uint8_t type;
    uint32_t xid;
    struct uk_mac mac;
    struct uk_ipv4_addr yiaddr;
    struct uk_ipv4_addr server_id; /* 0: omitted */
    uint32_t lease_s;              /* 0: omitted */
    uint32_t t1_s, t2_s;           /* 0: omitted */
    uint8_t op;                    /* 0: BOOTREPLY */
};

static void put_u32opt(uint8_t *p, size_t *pos, uint8_t code, uint32_t v)
{
    p[(*pos)++] = code;
    p[(*pos)++] = 4;
    uk_store_be32(p + *pos, v);
    *pos += 4;
}

static size_t build_reply(const struct reply *r, uint8_t *p)
{
    size_t pos = UK_DHCP_OPTIONS_OFF;
    memset(p, 0, 400);
    p[0] = r->op != 0 ? r->op : UK_BOOTREPLY;
    p[1] = 1;
    p[2] = 6;
    uk_store_be32(p + 4, r->xid);
    uk_store_be32(p + 16, r->yiaddr.v);
    memcpy(p + 28, r->mac.b, 6);
    uk_store_be32(p + 236, UK_DHCP_MAGIC);
    p[pos++] = UK_DHCPOPT_MSG_TYPE;
    p[pos++] = 1;
    p[pos++] = r->type;
    if (r->server_id.v != 0)
        put_u32opt(p, &pos, UK_DHCPOPT_SERVER_ID, r->server_id.v);
    if (r->lease_s != 0)
        put_u32opt(p, &pos, UK_DHCPOPT_LEASE_TIME, r->lease_s);
    if (r->t1_s != 0)
        put_u32opt(p, &pos, UK_DHCPOPT_T1, r->t1_s);
    if (r->t2_s != 0)
        put_u32opt(p, &pos, UK_DHCPOPT_T2, r->t2_s);
    put_u32opt(p, &pos, UK_DHCPOPT_SUBNET_MASK, 0xffffff00u);
    put_u32opt(p, &pos, UK_DHCPOPT_ROUTER, server.v);
    p[pos++] = UK_DHCPOPT_DNS;
    p[pos++] = 8;
    uk_store_be32(p + pos, 0x08080808u);
    uk_store_be32(p + pos + 4, 0x01010101u);
    pos += 8;
    p[pos++] = UK_DHCPOPT_END;
    return pos;
}

static void deliver(const struct reply *r)
{
    uint8_t p[400];
    size_t n = build_reply(r, p);
    struct uk_udpv4_info info;
    assert_non_null(fu.cb);
    info.src.addr = server;
    info.src.port = 67;
    info.dst.addr = uk_ipv4(255, 255, 255, 255);
    info.dst.port = 68;
    fu.cb(fu.arg, &info, p, n);
}

static struct reply reply_to(const struct sent *s, uint8_t type,
                             uint32_t lease)
{
    struct reply r;
    memset(&r, 0, sizeof r);
    r.type = type;
    r.xid = s->msg.xid;
    r.mac = our_mac;
    r.yiaddr = offered;
    r.server_id = server;
    r.lease_s = lease;
    return r;
}

/* Runs the exchange up to BOUND with a lease of `lease` seconds. */
static void get_lease(uint32_t lease)
{
    struct reply r;
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(clk.mono_ns);
    assert_int_equal(last_sent()->msg.type, UK_DHCPDISCOVER);
    r = reply_to(last_sent(), UK_DHCPOFFER, lease);
    deliver(&r);
    assert_int_equal(last_sent()->msg.type, UK_DHCPREQUEST);
    r = reply_to(last_sent(), UK_DHCPACK, lease);
    deliver(&r);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_BOUND_STATE);
}

/* ---- tests ------------------------------------------------------------ */

static void test_full_exchange(void **state)
{
    struct sent *d, *q;
    struct reply r;
    const struct uk_dhcp_lease *l;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    assert_int_equal(uk_dhcp_start(&dhcp), UK_EBUSY);
    /* Nothing is sent from inside start: the first DISCOVER is deferred. */
    assert_int_equal(fu.nsent, 0);
    assert_int_equal(fu.port, 68);
    run_until(T0);
    assert_int_equal(fu.nsent, 1);
    d = last_sent();
    assert_int_equal(d->msg.type, UK_DHCPDISCOVER);
    assert_int_equal(d->msg.op, UK_BOOTREQUEST);
    assert_int_equal(d->src_port, 68);
    assert_int_equal(d->dst.port, 67);
    assert_int_equal(d->dst.addr.v, 0xffffffffu);
    assert_true(d->msg.flags & UK_DHCP_FLAG_BROADCAST);
    assert_true(uk_mac_eq(&d->msg.chaddr, &our_mac));
    assert_true(d->len >= UK_DHCP_MIN_LEN && d->len <= UK_DHCP_MAX_LEN);
    assert_false(d->msg.has_requested);

    r = reply_to(d, UK_DHCPOFFER, 3600);
    deliver(&r);
    assert_int_equal(fu.nsent, 2);
    q = last_sent();
    assert_int_equal(q->msg.type, UK_DHCPREQUEST);
    assert_int_equal(q->msg.xid, d->msg.xid);
    assert_int_equal(q->dst.addr.v, 0xffffffffu);
    assert_true(q->msg.has_requested);
    assert_int_equal(q->msg.requested.v, offered.v);
    assert_true(q->msg.has_server_id);
    assert_int_equal(q->msg.server_id.v, server.v);
    assert_int_equal(q->msg.ciaddr.v, 0);
    assert_int_equal(fi.sets, 0);
    assert_int_equal(events.n, 0);

    r = reply_to(q, UK_DHCPACK, 3600);
    deliver(&r);
    assert_int_equal(fi.sets, 1);
    assert_int_equal(fi.cfg.addr.v, offered.v);
    assert_int_equal(fi.cfg.netmask.v, 0xffffff00u);
    assert_int_equal(fi.cfg.gateway.v, server.v);
    assert_int_equal(events.n, 1);
    assert_int_equal(events.ev[0], UK_DHCP_BOUND);
    l = uk_dhcp_lease(&dhcp);
    assert_non_null(l);
    assert_int_equal(l->addr.v, offered.v);
    assert_int_equal(l->ndns, 2);
    assert_int_equal(l->dns[0].v, 0x08080808u);
    assert_int_equal(l->dns[1].v, 0x01010101u);
    assert_int_equal(l->lease_s, 3600);
    assert_int_equal(l->t1_s, 1800);
    assert_int_equal(l->t2_s, 3150);
    assert_int_equal(events.lease[0].server.v, server.v);
    assert_int_equal(dhcp.stats.leases, 1);
    assert_true(fc.n >= 1);
    assert_non_null(strstr(fc.lines[fc.n - 1], "bound to 10.0.0.50/24"));
    /* Nothing more is sent while bound, until T1. */
    run_until(T0 + 1799 * S);
    assert_int_equal(fu.nsent, 2);
}

static void test_discover_backoff(void **state)
{
    static const unsigned expect_s[] = {4, 8, 16, 32, 64, 64, 64};
    unsigned i;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0 + 300 * S);
    assert_true(fu.nsent >= 8);
    for (i = 0; i < sizeof expect_s / sizeof expect_s[0]; i++) {
        uint64_t gap = fu.sent[i + 1].at - fu.sent[i].at;
        assert_true(gap >= (expect_s[i] - 1) * S);
        assert_true(gap <= (expect_s[i] + 1) * S);
        assert_int_equal(fu.sent[i + 1].msg.type, UK_DHCPDISCOVER);
        assert_int_equal(fu.sent[i + 1].msg.xid, fu.sent[0].msg.xid);
    }
    /* The secs field counts from the start of the exchange. */
    assert_true(fu.sent[3].msg.secs >= 25);
}

static void test_jitter_differs(void **state)
{
    uint64_t gaps[4];
    unsigned i;
    bool differ = false;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0 + 200 * S);
    for (i = 0; i < 4; i++)
        gaps[i] = (fu.sent[i + 1].at - fu.sent[i].at) >> i;
    for (i = 1; i < 4; i++)
        differ = differ || gaps[i] != gaps[0];
    assert_true(differ);
}

static void test_request_retransmit_then_restart(void **state)
{
    struct reply r;
    uint32_t xid;
    unsigned i, requests = 0;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0);
    xid = last_sent()->msg.xid;
    r = reply_to(last_sent(), UK_DHCPOFFER, 600);
    deliver(&r);
    run_until(T0 + 70 * S);
    for (i = 1; i < fu.nsent; i++) {
        if (fu.sent[i].msg.type == UK_DHCPREQUEST) {
            requests++;
            assert_int_equal(fu.sent[i].msg.xid, xid);
        }
    }
    assert_int_equal(requests, 4);
    assert_int_equal(last_sent()->msg.type, UK_DHCPDISCOVER);
    assert_int_not_equal(last_sent()->msg.xid, xid);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_SELECTING);
}

static void test_renew_at_t1(void **state)
{
    struct sent *q;
    struct reply r;
    uint32_t old_xid;
    UK_UNUSED(state);
    get_lease(1000);
    old_xid = last_sent()->msg.xid;
    assert_int_equal(fu.nsent, 2);
    run_until(T0 + 499 * S);
    assert_int_equal(fu.nsent, 2);
    run_until(T0 + 500 * S);
    assert_int_equal(fu.nsent, 3);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_RENEWING);
    q = last_sent();
    assert_int_equal(q->msg.type, UK_DHCPREQUEST);
    assert_int_equal(q->dst.addr.v, server.v); /* unicast to the server */
    assert_int_equal(q->msg.ciaddr.v, offered.v);
    assert_false(q->msg.has_requested);
    assert_false(q->msg.has_server_id);
    assert_false(q->msg.flags & UK_DHCP_FLAG_BROADCAST);
    assert_int_not_equal(q->msg.xid, old_xid);
    /* The old transaction's ACK is not accepted. */
    r = reply_to(q, UK_DHCPACK, 1000);
    r.xid = old_xid;
    deliver(&r);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_RENEWING);
    r.xid = q->msg.xid;
    deliver(&r);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_BOUND_STATE);
    assert_int_equal(events.n, 2);
    assert_int_equal(events.ev[1], UK_DHCP_RENEWED);
    assert_int_equal(fi.sets, 1); /* same address: not reconfigured */
    assert_int_equal(dhcp.stats.renewals, 1);
    assert_non_null(strstr(fc.lines[fc.n - 1], "renewed 10.0.0.50"));
    /* The new lease counts from the renewing request: T1 at 500 + 500. */
    run_until(T0 + 999 * S);
    assert_int_equal(fu.nsent, 3);
    run_until(T0 + 1000 * S);
    assert_int_equal(fu.nsent, 4);
}

static void test_rebind_at_t2(void **state)
{
    struct sent *q;
    struct reply r;
    unsigned i, unicast = 0;
    UK_UNUSED(state);
    get_lease(1000);
    run_until(T0 + 874 * S);
    for (i = 2; i < fu.nsent; i++) {
        assert_int_equal(fu.sent[i].dst.addr.v, server.v);
        unicast++;
    }
    /* T1 at 500 s, then half the time to T2 (187 s), then the 60 s
     * minimum: 500, 687 ... */
    assert_true(unicast >= 2);
    run_until(T0 + 875 * S);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_REBINDING);
    q = last_sent();
    assert_int_equal(q->at, T0 + 875 * S);
    assert_int_equal(q->dst.addr.v, 0xffffffffu);
    assert_int_equal(q->msg.type, UK_DHCPREQUEST);
    assert_int_equal(q->msg.ciaddr.v, offered.v);
    /* Any server may answer a rebinding request. */
    r = reply_to(q, UK_DHCPACK, 2000);
    r.server_id = uk_ipv4(10, 0, 0, 2);
    deliver(&r);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_BOUND_STATE);
    assert_int_equal(events.ev[events.n - 1], UK_DHCP_RENEWED);
    assert_int_equal(uk_dhcp_lease(&dhcp)->server.v, 0x0a000002u);
    assert_int_equal(uk_dhcp_lease(&dhcp)->lease_s, 2000);
}

static void test_expiry_removes_address(void **state)
{
    UK_UNUSED(state);
    get_lease(1000);
    run_until(T0 + 999 * S);
    assert_int_equal(fi.cfg.addr.v, offered.v);
    assert_int_equal(events.n, 1);
    run_until(T0 + 1000 * S);
    assert_int_equal(events.n, 2);
    assert_int_equal(events.ev[1], UK_DHCP_LOST);
    assert_int_equal(events.lease[1].addr.v, offered.v);
    assert_int_equal(fi.cfg.addr.v, 0);
    assert_int_equal(fi.cfg.netmask.v, 0);
    assert_int_equal(fi.cfg.gateway.v, 0);
    assert_null(uk_dhcp_lease(&dhcp));
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_SELECTING);
    assert_int_equal(last_sent()->msg.type, UK_DHCPDISCOVER);
    assert_int_equal(last_sent()->at, T0 + 1000 * S);
    assert_int_equal(dhcp.stats.expiries, 1);
}

static void test_nak_while_requesting_restarts(void **state)
{
    struct reply r;
    uint32_t xid;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0);
    r = reply_to(last_sent(), UK_DHCPOFFER, 600);
    deliver(&r);
    xid = last_sent()->msg.xid;
    r = reply_to(last_sent(), UK_DHCPNAK, 0);
    r.yiaddr = uk_ipv4_any();
    deliver(&r);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_INIT);
    assert_int_equal(fi.sets, 0);
    assert_int_equal(dhcp.stats.naks, 1);
    run_until(T0 + 3 * S);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_SELECTING);
    assert_int_equal(last_sent()->msg.type, UK_DHCPDISCOVER);
    assert_int_not_equal(last_sent()->msg.xid, xid);
    assert_int_equal(events.n, 0);
}

static void test_nak_while_renewing_loses(void **state)
{
    struct reply r;
    UK_UNUSED(state);
    get_lease(1000);
    run_until(T0 + 500 * S);
    r = reply_to(last_sent(), UK_DHCPNAK, 0);
    deliver(&r);
    assert_int_equal(events.n, 2);
    assert_int_equal(events.ev[1], UK_DHCP_LOST);
    assert_int_equal(fi.cfg.addr.v, 0);
    assert_int_equal(last_sent()->msg.type, UK_DHCPDISCOVER);
}

static void test_foreign_replies_ignored(void **state)
{
    struct reply r, good;
    uint8_t p[400];
    size_t n;
    struct uk_udpv4_info info;
    UK_UNUSED(state);
    memset(&info, 0, sizeof info);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0);
    good = reply_to(last_sent(), UK_DHCPOFFER, 600);
    r = good;
    r.xid ^= 1;
    deliver(&r);
    r = good;
    r.mac.b[5] ^= 1;
    deliver(&r);
    r = good;
    r.op = UK_BOOTREQUEST;
    deliver(&r);
    r = good;
    r.type = UK_DHCPACK; /* an ACK while selecting */
    deliver(&r);
    r = good;
    r.server_id = uk_ipv4_any(); /* no server identifier */
    deliver(&r);
    r = good;
    r.lease_s = 0; /* no lease time */
    deliver(&r);
    r = good;
    r.yiaddr = uk_ipv4(127, 0, 0, 1);
    deliver(&r);
    n = build_reply(&good, p);
    fu.cb(fu.arg, &info, p, n - 1); /* END cut off */
    fu.cb(fu.arg, &info, p, 100);   /* truncated header */
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_SELECTING);
    assert_int_equal(fu.nsent, 1);
    assert_int_equal(dhcp.stats.rejected, 9);
    deliver(&good);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_REQUESTING);
    /* Only the chosen server may answer the request. */
    r = reply_to(last_sent(), UK_DHCPACK, 600);
    r.server_id = uk_ipv4(10, 0, 0, 9);
    deliver(&r);
    r.type = UK_DHCPNAK;
    deliver(&r);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_REQUESTING);
    assert_int_equal(fi.sets, 0);
}

static void test_server_t1_t2(void **state)
{
    struct reply r;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0);
    r = reply_to(last_sent(), UK_DHCPOFFER, 1000);
    deliver(&r);
    r = reply_to(last_sent(), UK_DHCPACK, 1000);
    r.t1_s = 100;
    r.t2_s = 200;
    deliver(&r);
    assert_int_equal(uk_dhcp_lease(&dhcp)->t1_s, 100);
    assert_int_equal(uk_dhcp_lease(&dhcp)->t2_s, 200);
    run_until(T0 + 100 * S);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_RENEWING);
}

static void test_inconsistent_t1_t2_use_defaults(void **state)
{
    struct reply r;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0);
    r = reply_to(last_sent(), UK_DHCPOFFER, 1000);
    deliver(&r);
    r = reply_to(last_sent(), UK_DHCPACK, 1000);
    r.t1_s = 900;
    r.t2_s = 5000;
    deliver(&r);
    assert_int_equal(uk_dhcp_lease(&dhcp)->t1_s, 500);
    assert_int_equal(uk_dhcp_lease(&dhcp)->t2_s, 875);
}

static void test_infinite_lease(void **state)
{
    UK_UNUSED(state);
    get_lease(0xffffffffu);
    assert_false(uk_loop_has_work(&loop));
    run_until(T0 + 100000 * S);
    assert_int_equal(fu.nsent, 2);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_BOUND_STATE);
}

static void test_fallback_static(void **state)
{
    struct uk_dhcp_config cfg;
    unsigned sent;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.mac = our_mac;
    cfg.has_fallback = true;
    cfg.fallback.addr = uk_ipv4(192, 168, 7, 2);
    cfg.fallback.netmask = uk_ipv4_netmask(24);
    cfg.fallback.gateway = uk_ipv4(192, 168, 7, 1);
    cfg.fallback_after_ns = 20 * S;
    setup_with(&cfg);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0 + 19 * S);
    assert_int_equal(fi.sets, 0);
    run_until(T0 + 20 * S);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_FALLEN_BACK);
    assert_int_equal(fi.sets, 1);
    assert_int_equal(fi.cfg.addr.v, 0xc0a80702u);
    assert_int_equal(events.n, 1);
    assert_int_equal(events.ev[0], UK_DHCP_FALLBACK);
    assert_null(fu.cb);
    assert_non_null(strstr(fc.lines[fc.n - 1], "192.168.7.2/24"));
    sent = fu.nsent;
    run_until(T0 + 1000 * S);
    assert_int_equal(fu.nsent, sent);
    assert_false(uk_loop_has_work(&loop));
}

static void test_fallback_none_keeps_trying(void **state)
{
    unsigned sent;
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0 + 30 * S);
    assert_int_equal(fc.n, 1);
    assert_non_null(strstr(fc.lines[0], "no lease after 30 s"));
    assert_non_null(strstr(fc.lines[0], "still trying"));
    sent = fu.nsent;
    run_until(T0 + 300 * S);
    assert_true(fu.nsent > sent);
    assert_int_equal(fc.n, 1);
    assert_int_equal(fi.sets, 0);
}

static void test_no_fallback_once_bound(void **state)
{
    UK_UNUSED(state);
    get_lease(3600);
    run_until(T0 + 100 * S);
    assert_int_equal(events.n, 1);
    assert_int_equal(fc.n, 1); /* only the "bound" line */
}

static void test_fallback_after_lost_lease(void **state)
{
    struct uk_dhcp_config cfg;
    struct reply r;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.mac = our_mac;
    cfg.has_fallback = true;
    cfg.fallback.addr = uk_ipv4(192, 168, 7, 2);
    cfg.fallback.netmask = uk_ipv4_netmask(24);
    setup_with(&cfg);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    run_until(T0);
    r = reply_to(last_sent(), UK_DHCPOFFER, 100);
    deliver(&r);
    r = reply_to(last_sent(), UK_DHCPACK, 100);
    deliver(&r);
    /* Bound well past the fallback delay: no fallback. */
    run_until(T0 + 99 * S);
    assert_int_equal(events.n, 1);
    run_until(T0 + 100 * S); /* expiry, nobody answers */
    assert_int_equal(events.ev[1], UK_DHCP_LOST);
    run_until(T0 + 129 * S);
    assert_int_equal(events.n, 2);
    run_until(T0 + 130 * S);
    assert_int_equal(events.n, 3);
    assert_int_equal(events.ev[2], UK_DHCP_FALLBACK);
    assert_int_equal(fi.cfg.addr.v, 0xc0a80702u);
}

static void test_listen_error_returned(void **state)
{
    UK_UNUSED(state);
    fu.listen_rc = UK_EADDRINUSE;
    assert_int_equal(uk_dhcp_start(&dhcp), UK_EADDRINUSE);
    assert_int_equal(uk_dhcp_state(&dhcp), UK_DHCP_STOPPED);
    assert_false(uk_loop_has_work(&loop));
}

static void test_stop_silences(void **state)
{
    UK_UNUSED(state);
    assert_int_equal(uk_dhcp_start(&dhcp), 0);
    uk_dhcp_stop(&dhcp);
    assert_null(fu.cb);
    assert_false(uk_loop_has_work(&loop));
    run_until(T0 + 100 * S);
    assert_int_equal(fu.nsent, 0);
    assert_int_equal(events.n, 0);
    assert_string_equal(uk_dhcp_state_name(UK_DHCP_RENEWING), "renewing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_full_exchange),
        T(test_discover_backoff),
        T(test_jitter_differs),
        T(test_request_retransmit_then_restart),
        T(test_renew_at_t1),
        T(test_rebind_at_t2),
        T(test_expiry_removes_address),
        T(test_nak_while_requesting_restarts),
        T(test_nak_while_renewing_loses),
        T(test_foreign_replies_ignored),
        T(test_server_t1_t2),
        T(test_inconsistent_t1_t2_use_defaults),
        T(test_infinite_lease),
        T(test_fallback_static),
        T(test_fallback_none_keeps_trying),
        T(test_no_fallback_once_bound),
        T(test_fallback_after_lost_lease),
        T(test_listen_error_returned),
        T(test_stop_silences),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
