/*
 * test_switch.c - the of-switch example's datapath and control side, in
 * process: two fake network devices as ports, and as controller either
 * our of-controller (learning end to end) or the test itself over the
 * connection layer (features, config, barrier, every stats type, queue
 * refusal, flow-mod errors, unknown buffers, header-rewriting actions
 * with checksums, idle expiry with flow-removed, port-mod); and
 * fail-standalone learning with no controller.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/bytes.h>
#include <uk/ipv4.h>
#include <uk/loop.h>

#include "fake_clock.h"
#include "fake_net.h"
#include "of_controller.h"
#include "of_switch.h"
#include "pipe.h"

/* A console that drops lines. */
static int q_read(struct uk_console *c, uk_flow_read_cb cb, void *a)
{
    (void)c, (void)cb, (void)a;
    return UK_ENOTSUP;
}
static int q_writev(struct uk_console *c, const struct uk_iov *iov, int n,
                    uk_flow_write_cb cb, void *a)
{
    (void)c, (void)iov, (void)n, (void)cb, (void)a;
    return UK_ENOTSUP;
}
static int q_close(struct uk_console *c, uk_done_cb cb, void *a)
{
    (void)c, (void)cb, (void)a;
    return UK_ENOTSUP;
}
static int q_log(struct uk_console *c, const char *l, size_t n)
{
    (void)c, (void)l, (void)n;
    return 0;
}
static const struct uk_console_ops q_ops = {
    .read = q_read, .writev = q_writev, .close = q_close, .log = q_log};
static struct uk_console quiet = {&q_ops};

static struct fake_clock clk;
static struct fake_poller poller;
static struct uk_loop loop;
static struct pipe_end a, b;
static struct fake_net n1, n2;
static struct ofs sw;
static struct ofc ctl;

/* The test as controller: the messages it received. */
static struct uk_of_conn tc;
static uint8_t got[32][4096];
static size_t got_len[32];
static int ngot, tc_closed;

static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 0xa};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 0xb};

static void settle(void)
{
    int i;
    for (i = 0; i < 300; i++)
        uk_loop_run_once(&loop, false);
}

static void tc_ready(void *arg, struct uk_of_conn *c)
{
    (void)arg, (void)c;
}
static void tc_message(void *arg, struct uk_of_conn *c,
                       const struct uk_of_msg *m, const uint8_t *raw,
                       size_t len)
{
    (void)arg, (void)c, (void)m;
    if (ngot < 32 && len <= sizeof got[0]) {
        memcpy(got[ngot], raw, len);
        got_len[ngot++] = len;
    }
}
static void tc_on_closed(void *arg, struct uk_of_conn *c, int reason)
{
    (void)arg, (void)c, (void)reason;
    tc_closed++;
}
static const struct uk_of_conn_handlers tc_handlers = {tc_ready, tc_message,
                                                       tc_on_closed};

static void start_switch(void)
{
    struct uk_network *devs[2] = {&n1.net, &n2.net};
    struct ofs_config cfg;
    fake_clock_init(&clk, 1000 * UK_NS_PER_S, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    fake_net_init(&n1, 1);
    fake_net_init(&n2, 2);
    memset(&cfg, 0, sizeof cfg);
    assert_int_equal(ofs_start(&sw, &quiet, &loop.time, NULL, devs, 2, &cfg),
                     0);
    ngot = tc_closed = 0;
}

/* An IPv4/UDP frame src -> dst (MACs), 10.0.0.1:1000 -> 10.0.0.2:2000,
 * with valid checksums. */
static size_t frame(uint8_t *f, const uint8_t *src, const uint8_t *dst)
{
    static const uint8_t ip_udp[] = {
        0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0, 0,
        10,   0,    0,    1,    10,   0,    0,    2,    0x03, 0xe8, 0x07,
        0xd0, 0x00, 0x0c, 0,    0,    'p',  'i',  'n',  'g'};
    uint32_t s;
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    uk_store_be16(f + 12, 0x0800);
    memcpy(f + 14, ip_udp, sizeof ip_udp);
    uk_store_be16(f + 24, uk_inet_fold(uk_inet_sum(0, f + 14, 20)));
    s = uk_ipv4_pseudo_sum(uk_ipv4(10, 0, 0, 1), uk_ipv4(10, 0, 0, 2), 17,
                           12);
    uk_store_be16(f + 40, uk_inet_fold(uk_inet_sum(s, f + 34, 12)));
    return 14 + sizeof ip_udp;
}

/* Whether the IPv4 and UDP checksums of a frame are right. */
static bool checksums_ok(const uint8_t *f)
{
    size_t ip = uk_load_be16(f + 12) == 0x8100 ? 18 : 14;
    struct uk_ipv4_addr s, d;
    uint32_t sum;
    s.v = uk_load_be32(f + ip + 12);
    d.v = uk_load_be32(f + ip + 16);
    if (uk_inet_fold(uk_inet_sum(0, f + ip, 20)) != 0)
        return false;
    sum = uk_ipv4_pseudo_sum(s, d, 17, 12);
    return uk_inet_fold(uk_inet_sum(sum, f + ip + 20, 12)) == 0;
}

/* --- with our of-controller --- */

static void test_with_of_controller(void **state)
{
    struct ofc_config cc;
    uint8_t f[64];
    size_t len;
    struct ofc_switch *s;
    unsigned long pins;
    (void)state;
    start_switch();
    memset(&cc, 0, sizeof cc);
    cc.idle_timeout = 30;
    ofc_init(&ctl, &quiet, &loop.time, &cc);
    pipe_init(&a, &b, &loop.time);
    ofc_attach(&ctl, &a.flow);
    ofs_attach(&sw, &b.flow);
    settle();
    assert_true(sw.connected);
    s = ofc_find(&ctl, sw.cfg.datapath_id);
    assert_non_null(s);
    assert_int_equal(s->nports, 2);
    /* A -> B: unknown, flooded through the switch's buffer */
    len = frame(f, mac_a, mac_b);
    fake_net_rx(&n1, f, len);
    settle();
    assert_int_equal(n2.nsent, 1);
    assert_int_equal(n1.nsent, 0);
    assert_memory_equal(n2.sent[0], f, len);
    /* B -> A: learned; flow installed, the buffered packet released */
    len = frame(f, mac_b, mac_a);
    fake_net_rx(&n2, f, len);
    settle();
    assert_int_equal(n1.nsent, 1);
    assert_memory_equal(n1.sent[0], f, len);
    /* A -> B: now both known */
    len = frame(f, mac_a, mac_b);
    fake_net_rx(&n1, f, len);
    settle();
    assert_int_equal(n2.nsent, 2);
    pins = s->packet_ins;
    /* and from now on the flows forward without the controller */
    fake_net_rx(&n1, f, len);
    len = frame(f, mac_b, mac_a);
    fake_net_rx(&n2, f, len);
    settle();
    assert_int_equal(n2.nsent, 3);
    assert_int_equal(n1.nsent, 2);
    assert_int_equal(s->packet_ins, pins);
    assert_true(sw.matched >= 2);
    uk_of_conn_close(&sw.conn);
    settle();
    assert_false(sw.connected);
    assert_null(ofc_find(&ctl, sw.cfg.datapath_id));
}

/* --- the test as controller --- */

static void connect_test_controller(void)
{
    start_switch();
    pipe_init(&a, &b, &loop.time);
    assert_int_equal(
        uk_of_conn_init(&tc, &a.flow, &loop.time, NULL, &tc_handlers, NULL),
        0);
    ofs_attach(&sw, &b.flow);
    settle();
    assert_true(sw.connected);
}

static void send_msg(struct uk_of_msg *m)
{
    ngot = 0;
    assert_int_equal(uk_of_conn_send(&tc, m), 0);
    settle();
}

static void decode_got(int i, struct uk_of_msg *m)
{
    assert_true(i < ngot);
    assert_int_equal(uk_of_decode(got[i], got_len[i], m, NULL), 0);
}

static void test_requests(void **state)
{
    struct uk_of_msg m, r;
    struct uk_of_port p;
    (void)state;
    connect_test_controller();
    memset(&m, 0, sizeof m);
    m.hdr.xid = 5;
    m.hdr.type = UK_OFPT_FEATURES_REQUEST;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.hdr.type, UK_OFPT_FEATURES_REPLY);
    assert_int_equal(r.hdr.xid, 5);
    assert_int_equal(r.u.features.datapath_id, 0x02000000ee01ull);
    assert_int_equal(r.u.features.n_buffers, OFS_BUFFERS);
    assert_int_equal(r.u.features.ports.count, 2);
    uk_of_ports_get(&r.u.features.ports, 1, &p);
    assert_int_equal(p.port_no, 2);
    assert_string_equal(p.name, "fake2");
    m.hdr.type = UK_OFPT_SET_CONFIG;
    m.u.config.miss_send_len = 200;
    send_msg(&m);
    assert_int_equal(ngot, 0);
    m.hdr.type = UK_OFPT_GET_CONFIG_REQUEST;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.u.config.miss_send_len, 200);
    m.hdr.type = UK_OFPT_BARRIER_REQUEST;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.hdr.type, UK_OFPT_BARRIER_REPLY);
    m.hdr.type = UK_OFPT_QUEUE_GET_CONFIG_REQUEST;
    m.u.queue_config.port = 1;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.hdr.type, UK_OFPT_QUEUE_GET_CONFIG_REPLY);
    /* a switch-to-controller message sent to the switch */
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FLOW_REMOVED;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.u.error.code, UK_OFPBRC_BAD_TYPE);
}

static void flow_add(uint16_t in_port, const struct uk_of_action *acts,
                     size_t n, uint16_t idle, uint16_t flags)
{
    struct uk_of_msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FLOW_MOD;
    m.u.flow_mod.match.wildcards = UK_OFPFW_ALL & ~UK_OFPFW_IN_PORT;
    m.u.flow_mod.match.in_port = in_port;
    m.u.flow_mod.command = UK_OFPFC_ADD;
    m.u.flow_mod.priority = 100;
    m.u.flow_mod.idle_timeout = idle;
    m.u.flow_mod.flags = flags;
    m.u.flow_mod.buffer_id = UK_OFP_NO_BUFFER;
    m.u.flow_mod.out_port = UK_OFPP_NONE;
    m.u.flow_mod.actions.list = acts;
    m.u.flow_mod.actions.count = n;
    send_msg(&m);
}

static void test_actions_and_stats(void **state)
{
    struct uk_of_action acts[6];
    struct uk_of_msg m, r;
    uint8_t f[80];
    size_t len, pos = 0;
    struct uk_of_flow_stats fs;
    struct uk_of_port_stats ps;
    struct uk_of_table_stats ts;
    (void)state;
    connect_test_controller();
    memset(acts, 0, sizeof acts);
    acts[0].type = UK_OFPAT_SET_NW_SRC, acts[0].u.nw_addr = 0xc0a80001;
    acts[1].type = UK_OFPAT_SET_TP_DST, acts[1].u.tp_port = 4242;
    acts[2].type = UK_OFPAT_SET_NW_TOS, acts[2].u.nw_tos = 0x28;
    acts[3].type = UK_OFPAT_SET_VLAN_VID, acts[3].u.vlan_vid = 7;
    acts[4].type = UK_OFPAT_SET_DL_DST;
    memcpy(acts[4].u.dl_addr.b, mac_b, 6);
    acts[5].type = UK_OFPAT_OUTPUT, acts[5].u.output.port = 2;
    flow_add(1, acts, 6, 5, UK_OFPFF_SEND_FLOW_REM);
    assert_int_equal(ngot, 0); /* accepted */
    len = frame(f, mac_a, mac_a);
    fake_net_rx(&n1, f, len);
    settle();
    assert_int_equal(n2.nsent, 1);
    assert_int_equal(n2.sent_len[0], len + 4);
    {
        const uint8_t *o = n2.sent[0];
        assert_memory_equal(o, mac_b, 6);
        assert_int_equal(uk_load_be16(o + 12), 0x8100);
        assert_int_equal(uk_load_be16(o + 14) & 0xfff, 7);
        assert_int_equal(o[18 + 1], 0x28);
        assert_int_equal(uk_load_be32(o + 18 + 12), 0xc0a80001);
        assert_int_equal(uk_load_be16(o + 18 + 22), 4242);
        assert_true(checksums_ok(o));
    }
    /* stats: flow, aggregate, table, port, desc; queue refused */
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_STATS_REQUEST;
    m.u.stats_request.type = UK_OFPST_FLOW;
    m.u.stats_request.u.flow.match.wildcards = UK_OFPFW_ALL;
    m.u.stats_request.u.flow.table_id = 0xff;
    m.u.stats_request.u.flow.out_port = UK_OFPP_NONE;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.u.stats_reply.u.entries.count, 1);
    assert_true(uk_of_flow_stats_next(&r.u.stats_reply.u.entries, &pos, &fs));
    assert_int_equal(fs.packet_count, 1);
    assert_int_equal(fs.byte_count, len);
    assert_int_equal(fs.actions.count, 6);
    m.u.stats_request.u.flow.out_port = 1; /* no flow outputs to 1 */
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.u.stats_reply.u.entries.count, 0);
    m.u.stats_request.type = UK_OFPST_AGGREGATE;
    m.u.stats_request.u.flow.out_port = UK_OFPP_NONE;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.u.stats_reply.u.aggregate.flow_count, 1);
    assert_int_equal(r.u.stats_reply.u.aggregate.packet_count, 1);
    m.u.stats_request.type = UK_OFPST_TABLE;
    send_msg(&m);
    decode_got(0, &r);
    uk_of_table_stats_get(&r.u.stats_reply.u.entries, 0, &ts);
    assert_int_equal(ts.active_count, 1);
    assert_int_equal(ts.matched_count, 1);
    m.u.stats_request.type = UK_OFPST_PORT;
    m.u.stats_request.u.port_no = 2;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.u.stats_reply.u.entries.count, 1);
    uk_of_port_stats_get(&r.u.stats_reply.u.entries, 0, &ps);
    assert_int_equal(ps.port_no, 2);
    assert_int_equal(ps.tx_packets, 1);
    m.u.stats_request.type = UK_OFPST_DESC;
    send_msg(&m);
    decode_got(0, &r);
    assert_string_equal(r.u.stats_reply.u.desc.hw_desc, "uk of-switch");
    m.u.stats_request.type = UK_OFPST_QUEUE;
    m.u.stats_request.u.queue.port_no = 1;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.hdr.type, UK_OFPT_ERROR);
    assert_int_equal(r.u.error.type, UK_OFPET_QUEUE_OP_FAILED);
    /* idle expiry: flow-removed with the counters */
    ngot = 0;
    fake_clock_advance(&clk, 6 * UK_NS_PER_S);
    settle();
    decode_got(0, &r);
    assert_int_equal(r.hdr.type, UK_OFPT_FLOW_REMOVED);
    assert_int_equal(r.u.flow_removed.reason, UK_OFPRR_IDLE_TIMEOUT);
    assert_int_equal(r.u.flow_removed.packet_count, 1);
    /* the table is empty again: a miss goes to the controller */
    ngot = 0;
    fake_net_rx(&n1, f, len);
    settle();
    decode_got(0, &r);
    assert_int_equal(r.hdr.type, UK_OFPT_PACKET_IN);
    assert_int_equal(r.u.packet_in.in_port, 1);
    assert_int_equal(r.u.packet_in.total_len, len);
    assert_int_equal(r.u.packet_in.data_len, len < 128 ? len : 128);
    /* packet-out of that buffer: sent; the buffer is then gone */
    {
        uint32_t id = r.u.packet_in.buffer_id;
        memset(&m, 0, sizeof m);
        m.hdr.type = UK_OFPT_PACKET_OUT;
        m.u.packet_out.buffer_id = id;
        m.u.packet_out.in_port = 1;
        acts[0].type = UK_OFPAT_OUTPUT;
        acts[0].u.output.port = UK_OFPP_ALL;
        m.u.packet_out.actions.list = acts;
        m.u.packet_out.actions.count = 1;
        send_msg(&m);
        assert_int_equal(n2.nsent, 2);
        assert_int_equal(n1.nsent, 0); /* never back out of in_port */
        assert_memory_equal(n2.sent[1], f, len);
        send_msg(&m);
        decode_got(0, &r);
        assert_int_equal(r.u.error.code, UK_OFPBRC_BUFFER_UNKNOWN);
    }
}

static void test_errors_and_port_mod(void **state)
{
    struct uk_of_action act;
    struct uk_of_msg m, r;
    uint8_t f[80];
    size_t len;
    int i;
    (void)state;
    connect_test_controller();
    memset(&act, 0, sizeof act);
    act.type = UK_OFPAT_OUTPUT;
    act.u.output.port = 9; /* no such port */
    flow_add(1, &act, 1, 0, 0);
    decode_got(0, &r);
    assert_int_equal(r.u.error.type, UK_OFPET_BAD_ACTION);
    assert_int_equal(r.u.error.code, UK_OFPBAC_BAD_OUT_PORT);
    act.type = UK_OFPAT_ENQUEUE;
    act.u.enqueue.port = 1;
    flow_add(1, &act, 1, 0, 0);
    decode_got(0, &r);
    assert_int_equal(r.u.error.code, UK_OFPBAC_BAD_QUEUE);
    /* a full table */
    act.type = UK_OFPAT_OUTPUT;
    act.u.output.port = 2;
    for (i = 0; i < OFS_FLOWS; i++) {
        sw.flows[i].used = true;
        sw.flows[i].match.wildcards = UK_OFPFW_ALL;
        sw.flows[i].priority = 1;
        sw.flows[i].match.dl_vlan = (uint16_t)i;
    }
    flow_add(1, &act, 1, 0, 0);
    decode_got(0, &r);
    assert_int_equal(r.u.error.type, UK_OFPET_FLOW_MOD_FAILED);
    assert_int_equal(r.u.error.code, UK_OFPFMFC_ALL_TABLES_FULL);
    /* delete them all (non-strict, all wildcards) */
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FLOW_MOD;
    m.u.flow_mod.match.wildcards = UK_OFPFW_ALL;
    m.u.flow_mod.command = UK_OFPFC_DELETE;
    m.u.flow_mod.out_port = UK_OFPP_NONE;
    m.u.flow_mod.buffer_id = UK_OFP_NO_BUFFER;
    send_msg(&m);
    for (i = 0; i < OFS_FLOWS; i++)
        assert_false(sw.flows[i].used);
    /* port-mod: a wrong MAC, then NO_FLOOD on port 2 */
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_PORT_MOD;
    m.u.port_mod.port_no = 2;
    m.u.port_mod.config = UK_OFPPC_NO_FLOOD;
    m.u.port_mod.mask = UK_OFPPC_NO_FLOOD;
    send_msg(&m);
    decode_got(0, &r);
    assert_int_equal(r.u.error.code, UK_OFPPMFC_BAD_HW_ADDR);
    m.u.port_mod.hw_addr = n2.mac;
    ngot = 0;
    send_msg(&m);
    /* the change is announced to the controller; the same again is not */
    assert_int_equal(ngot, 1);
    decode_got(0, &r);
    assert_int_equal(r.hdr.type, UK_OFPT_PORT_STATUS);
    assert_int_equal(r.u.port_status.reason, UK_OFPPR_MODIFY);
    assert_int_equal(r.u.port_status.desc.port_no, 2);
    assert_int_equal(r.u.port_status.desc.config, UK_OFPPC_NO_FLOOD);
    assert_memory_equal(r.u.port_status.desc.hw_addr.b, n2.mac.b, 6);
    ngot = 0;
    send_msg(&m);
    assert_int_equal(ngot, 0);
    act.u.output.port = UK_OFPP_FLOOD;
    flow_add(1, &act, 1, 0, 0);
    len = frame(f, mac_a, mac_b);
    fake_net_rx(&n1, f, len);
    settle();
    assert_int_equal(n2.nsent, 0); /* port 2 does not flood */
    assert_int_equal(sw.ports[1].config, UK_OFPPC_NO_FLOOD);
}

/* No controller: a learning bridge. */
static void test_standalone(void **state)
{
    uint8_t f[80];
    size_t len;
    (void)state;
    start_switch();
    len = frame(f, mac_a, mac_b);
    fake_net_rx(&n1, f, len);
    assert_int_equal(n2.nsent, 1); /* unknown: flooded */
    assert_int_equal(n1.nsent, 0);
    len = frame(f, mac_b, mac_a);
    fake_net_rx(&n2, f, len);
    assert_int_equal(n1.nsent, 1); /* learned: port 1 only */
    assert_int_equal(n2.nsent, 1);
    fake_net_rx(&n1, f, 10); /* runt: dropped */
    assert_int_equal(sw.ports[0].rx_dropped, 1);
}

static int teardown(void **state)
{
    (void)state;
    if (sw.conn_live) {
        uk_of_conn_close(&sw.conn);
        settle();
        fake_clock_advance(&clk, 2 * UK_NS_PER_S);
        settle();
    }
    assert_false(sw.conn_live);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_with_of_controller, teardown),
        cmocka_unit_test_teardown(test_requests, teardown),
        cmocka_unit_test_teardown(test_actions_and_stats, teardown),
        cmocka_unit_test_teardown(test_errors_and_port_mod, teardown),
        cmocka_unit_test_teardown(test_standalone, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
