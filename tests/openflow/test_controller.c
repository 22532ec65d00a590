/*
 * test_controller.c - the of-controller example's logic against a fake
 * switch (our own connection layer on the other end of an in-process
 * flow): the handshake it starts, flooding of unknown destinations,
 * learning and flow installation with the buffered packet, unbuffered
 * packet-ins, drops, broadcast, port-down forgetting, keep-alive, the
 * bounded switch table, and the connect/disconnect log lines.
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
#include "of_controller.h"
#include "pipe.h"

/* A console that keeps the lines logged. */
struct rec_console {
    struct uk_console con;
    char lines[32][256];
    int n;
};

static int c_read(struct uk_console *c, uk_flow_read_cb cb, void *arg)
{
    (void)c, (void)cb, (void)arg;
    return UK_ENOTSUP;
}
static int c_writev(struct uk_console *c, const struct uk_iov *iov, int n,
                    uk_flow_write_cb cb, void *arg)
{
    (void)c, (void)iov, (void)n, (void)cb, (void)arg;
    return UK_ENOTSUP;
}
static int c_close(struct uk_console *c, uk_done_cb cb, void *arg)
{
    (void)c, (void)cb, (void)arg;
    return UK_ENOTSUP;
}
static int c_log(struct uk_console *c, const char *line, size_t len)
{
    struct rec_console *r = UK_CONTAINER_OF(c, struct rec_console, con);
    if (r->n < 32) {
        size_t k = len < 255 ? len : 255;
        memcpy(r->lines[r->n], line, k);
        r->lines[r->n][k] = '\0';
        r->n++;
    }
    return 0;
}
static const struct uk_console_ops rec_ops = {
    .read = c_read, .writev = c_writev, .close = c_close, .log = c_log};

static bool logged(const struct rec_console *r, const char *what)
{
    int i;
    for (i = 0; i < r->n; i++)
        if (strstr(r->lines[i], what) != NULL)
            return true;
    return false;
}

/* What the fake switch received, one record per message. */
struct rec {
    uint8_t type;
    uint16_t command, idle, out_port, in_port;
    uint32_t buffer_id, wildcards;
    struct uk_of_match match;
    size_t nactions, data_len;
    uint16_t action_port; /* of the first output action */
    uint16_t miss_send_len;
};

static struct fake_clock clk;
static struct fake_poller poller;
static struct uk_loop loop;
static struct pipe_end a, b;
static struct rec_console con;
static struct ofc ctl;
static struct uk_of_conn sw;
static struct rec recs[64];
static int nrecs, sw_closed;

static const struct uk_mac mac_a = {{2, 0, 0, 0, 0, 0xa}};
static const struct uk_mac mac_b = {{2, 0, 0, 0, 0, 0xb}};
static const struct uk_mac mac_c = {{2, 0, 0, 0, 0, 0xc}};
static const struct uk_mac bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static void sw_ready(void *arg, struct uk_of_conn *c)
{
    (void)arg, (void)c;
}

static void features_reply(struct uk_of_conn *c, uint32_t xid)
{
    struct uk_of_port ports[3];
    struct uk_of_msg m;
    int i;
    memset(ports, 0, sizeof ports);
    for (i = 0; i < 3; i++) {
        ports[i].port_no = (uint16_t)(i + 1);
        snprintf(ports[i].name, sizeof ports[i].name, "p%d", i + 1);
    }
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FEATURES_REPLY;
    m.hdr.xid = xid;
    m.u.features.datapath_id = 0x42;
    m.u.features.n_buffers = 256;
    m.u.features.n_tables = 1;
    m.u.features.ports.list = ports;
    m.u.features.ports.count = 3;
    assert_int_equal(uk_of_conn_send(c, &m), 0);
}

static void sw_message(void *arg, struct uk_of_conn *c,
                       const struct uk_of_msg *m, const uint8_t *raw,
                       size_t len)
{
    struct rec *r = &recs[nrecs < 63 ? nrecs++ : 63];
    const struct uk_of_actions *acts = NULL;
    (void)arg, (void)raw, (void)len;
    memset(r, 0, sizeof *r);
    r->type = m->hdr.type;
    switch (m->hdr.type) {
    case UK_OFPT_FEATURES_REQUEST:
        features_reply(c, m->hdr.xid);
        break;
    case UK_OFPT_SET_CONFIG:
        r->miss_send_len = m->u.config.miss_send_len;
        break;
    case UK_OFPT_FLOW_MOD:
        r->command = m->u.flow_mod.command;
        r->idle = m->u.flow_mod.idle_timeout;
        r->out_port = m->u.flow_mod.out_port;
        r->buffer_id = m->u.flow_mod.buffer_id;
        r->match = m->u.flow_mod.match;
        r->wildcards = m->u.flow_mod.match.wildcards;
        acts = &m->u.flow_mod.actions;
        break;
    case UK_OFPT_PACKET_OUT:
        r->buffer_id = m->u.packet_out.buffer_id;
        r->in_port = m->u.packet_out.in_port;
        r->data_len = m->u.packet_out.data_len;
        acts = &m->u.packet_out.actions;
        break;
    default:
        break;
    }
    if (acts != NULL) {
        struct uk_of_action act;
        size_t pos = 0;
        r->nactions = acts->count;
        if (uk_of_action_next(acts, &pos, &act) &&
            act.type == UK_OFPAT_OUTPUT)
            r->action_port = act.u.output.port;
    }
}

static void sw_on_closed(void *arg, struct uk_of_conn *c, int reason)
{
    (void)arg, (void)c, (void)reason;
    sw_closed++;
}

static const struct uk_of_conn_handlers sw_handlers = {sw_ready, sw_message,
                                                       sw_on_closed};

static void settle(void)
{
    int i;
    for (i = 0; i < 300; i++)
        uk_loop_run_once(&loop, false);
}

static int setup(void **state)
{
    struct ofc_config cfg;
    (void)state;
    fake_clock_init(&clk, 1000 * UK_NS_PER_S, 0);
    fake_poller_init(&poller, &clk);
    uk_loop_init(&loop, &clk.clock, &poller.poller);
    pipe_init(&a, &b, &loop.time);
    memset(&con, 0, sizeof con);
    con.con.ops = &rec_ops;
    nrecs = sw_closed = 0;
    memset(&cfg, 0, sizeof cfg);
    cfg.port = 6633;
    cfg.idle_timeout = 30;
    cfg.echo_interval_ns = 5 * UK_NS_PER_S;
    ofc_init(&ctl, &con.con, &loop.time, &cfg);
    ofc_attach(&ctl, &a.flow);
    assert_int_equal(
        uk_of_conn_init(&sw, &b.flow, &loop.time, NULL, &sw_handlers, NULL), 0);
    settle();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (sw_closed == 0) {
        uk_of_conn_close(&sw);
        settle();
    }
    fake_clock_advance(&clk, 2 * UK_NS_PER_S);
    settle();
    assert_int_equal(sw_closed, 1);
    assert_true(logged(&con, "disconnected"));
    assert_null(ofc_find(&ctl, 0x42));
    return 0;
}

/* A packet-in of an Ethernet frame src -> dst on in_port. */
static void packet_in(const struct uk_mac *src, const struct uk_mac *dst,
                      uint16_t in_port, uint32_t buffer_id)
{
    uint8_t frame[60];
    struct uk_of_msg m;
    memset(frame, 0, sizeof frame);
    memcpy(frame, dst->b, 6);
    memcpy(frame + 6, src->b, 6);
    uk_store_be16(frame + 12, 0x0800);
    frame[14] = 0x45;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_PACKET_IN;
    m.hdr.xid = 0;
    m.u.packet_in.buffer_id = buffer_id;
    m.u.packet_in.total_len = sizeof frame;
    m.u.packet_in.in_port = in_port;
    m.u.packet_in.reason = UK_OFPR_NO_MATCH;
    m.u.packet_in.data = frame;
    m.u.packet_in.data_len = buffer_id == UK_OFP_NO_BUFFER ? sizeof frame : 20;
    nrecs = 0;
    assert_int_equal(uk_of_conn_send(&sw, &m), 0);
    settle();
}

static void test_handshake(void **state)
{
    (void)state;
    /* features request, set-config, delete-all flows */
    assert_int_equal(nrecs, 3);
    assert_int_equal(recs[0].type, UK_OFPT_FEATURES_REQUEST);
    assert_int_equal(recs[1].type, UK_OFPT_SET_CONFIG);
    assert_int_equal(recs[1].miss_send_len, 128);
    assert_int_equal(recs[2].type, UK_OFPT_FLOW_MOD);
    assert_int_equal(recs[2].command, UK_OFPFC_DELETE);
    assert_int_equal(recs[2].wildcards, UK_OFPFW_ALL);
    assert_int_equal(recs[2].out_port, UK_OFPP_NONE);
    assert_true(logged(&con, "switch 0000000000000042 connected from "
                             "127.0.0.2:40000 (3 ports)"));
    assert_non_null(ofc_find(&ctl, 0x42));
}

static void test_learning(void **state)
{
    struct ofc_switch *s;
    const uint32_t want_wc =
        UK_OFPFW_ALL & ~(UK_OFPFW_IN_PORT | UK_OFPFW_DL_SRC | UK_OFPFW_DL_DST);
    (void)state;
    s = ofc_find(&ctl, 0x42);
    assert_non_null(s);
    /* A -> B, B unknown: flood the buffered packet */
    packet_in(&mac_a, &mac_b, 1, 0x10);
    assert_int_equal(nrecs, 1);
    assert_int_equal(recs[0].type, UK_OFPT_PACKET_OUT);
    assert_int_equal(recs[0].buffer_id, 0x10);
    assert_int_equal(recs[0].in_port, 1);
    assert_int_equal(recs[0].action_port, UK_OFPP_FLOOD);
    assert_int_equal(recs[0].data_len, 0);
    assert_int_equal(ofc_lookup(s, &mac_a), 1);
    /* B -> A on port 2: A known, a flow with the buffer */
    packet_in(&mac_b, &mac_a, 2, 0x11);
    assert_int_equal(nrecs, 1);
    assert_int_equal(recs[0].type, UK_OFPT_FLOW_MOD);
    assert_int_equal(recs[0].command, UK_OFPFC_ADD);
    assert_int_equal(recs[0].buffer_id, 0x11);
    assert_int_equal(recs[0].idle, 30);
    assert_int_equal(recs[0].wildcards & ~(UK_OFPFW_NW_SRC_MASK |
                                           UK_OFPFW_NW_DST_MASK),
                     want_wc & ~(UK_OFPFW_NW_SRC_MASK | UK_OFPFW_NW_DST_MASK));
    assert_int_equal(recs[0].match.in_port, 2);
    assert_memory_equal(recs[0].match.dl_src.b, mac_b.b, 6);
    assert_memory_equal(recs[0].match.dl_dst.b, mac_a.b, 6);
    assert_int_equal(recs[0].nactions, 1);
    assert_int_equal(recs[0].action_port, 1);
    assert_int_equal(ofc_lookup(s, &mac_b), 2);
    /* A -> B unbuffered: the flow, then the packet itself */
    packet_in(&mac_a, &mac_b, 1, UK_OFP_NO_BUFFER);
    assert_int_equal(nrecs, 2);
    assert_int_equal(recs[0].type, UK_OFPT_FLOW_MOD);
    assert_int_equal(recs[0].buffer_id, UK_OFP_NO_BUFFER);
    assert_int_equal(recs[0].action_port, 2);
    assert_int_equal(recs[1].type, UK_OFPT_PACKET_OUT);
    assert_int_equal(recs[1].action_port, 2);
    assert_int_equal(recs[1].data_len, 60);
    /* C on port 1 to A (also on port 1): dropped, buffer released */
    packet_in(&mac_c, &mac_a, 1, 0x12);
    assert_int_equal(nrecs, 1);
    assert_int_equal(recs[0].type, UK_OFPT_PACKET_OUT);
    assert_int_equal(recs[0].buffer_id, 0x12);
    assert_int_equal(recs[0].nactions, 0);
    /* broadcast: flooded even though nothing is unknown */
    packet_in(&mac_b, &bcast, 2, 0x13);
    assert_int_equal(nrecs, 1);
    assert_int_equal(recs[0].action_port, UK_OFPP_FLOOD);
    /* a runt packet-in: ignored */
    {
        struct uk_of_msg m;
        uint8_t tiny[4] = {0};
        memset(&m, 0, sizeof m);
        m.hdr.type = UK_OFPT_PACKET_IN;
        m.u.packet_in.buffer_id = UK_OFP_NO_BUFFER;
        m.u.packet_in.data = tiny;
        m.u.packet_in.data_len = sizeof tiny;
        nrecs = 0;
        assert_int_equal(uk_of_conn_send(&sw, &m), 0);
        settle();
        assert_int_equal(nrecs, 0);
    }
}

static void test_port_down(void **state)
{
    struct uk_of_msg m;
    struct ofc_switch *s = ofc_find(&ctl, 0x42);
    (void)state;
    packet_in(&mac_a, &mac_b, 1, 0x10);
    packet_in(&mac_b, &mac_a, 2, 0x11);
    assert_int_equal(ofc_lookup(s, &mac_b), 2);
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_PORT_STATUS;
    m.u.port_status.reason = UK_OFPPR_MODIFY;
    m.u.port_status.desc.port_no = 2;
    m.u.port_status.desc.state = UK_OFPPS_LINK_DOWN;
    nrecs = 0;
    assert_int_equal(uk_of_conn_send(&sw, &m), 0);
    settle();
    assert_int_equal(ofc_lookup(s, &mac_b), -1);
    assert_int_equal(ofc_lookup(s, &mac_a), 1);
    /* the flows out of port 2, then those coming in there */
    assert_int_equal(nrecs, 2);
    assert_int_equal(recs[0].type, UK_OFPT_FLOW_MOD);
    assert_int_equal(recs[0].command, UK_OFPFC_DELETE);
    assert_int_equal(recs[0].out_port, 2);
    assert_int_equal(recs[0].wildcards, UK_OFPFW_ALL);
    assert_int_equal(recs[1].type, UK_OFPT_FLOW_MOD);
    assert_int_equal(recs[1].command, UK_OFPFC_DELETE);
    assert_int_equal(recs[1].out_port, UK_OFPP_NONE);
    assert_int_equal(recs[1].wildcards, UK_OFPFW_ALL & ~UK_OFPFW_IN_PORT);
    assert_int_equal(recs[1].match.in_port, 2);
    /* B is unknown again: flooded */
    packet_in(&mac_a, &mac_b, 1, 0x14);
    assert_int_equal(recs[0].action_port, UK_OFPP_FLOOD);
    /* a port that merely changed (still up) forgets nothing */
    m.u.port_status.desc.port_no = 1;
    m.u.port_status.desc.state = 0;
    nrecs = 0;
    assert_int_equal(uk_of_conn_send(&sw, &m), 0);
    settle();
    assert_int_equal(nrecs, 0);
    assert_int_equal(ofc_lookup(s, &mac_a), 1);
}

/* Long silence is bridged by echo requests both ways. */
static void test_keepalive(void **state)
{
    int i;
    (void)state;
    for (i = 0; i < 10; i++) {
        fake_clock_advance(&clk, 3 * UK_NS_PER_S);
        settle();
    }
    assert_non_null(ofc_find(&ctl, 0x42));
    assert_int_equal(sw_closed, 0);
    assert_true(sw.stats.echo_sent > 0);
}

static void test_table_full(void **state)
{
    static struct pipe_end x, y;
    int i, used = 0;
    (void)state;
    for (i = 0; i < OFC_MAX_SWITCHES; i++)
        if (!ctl.sw[i].used) {
            ctl.sw[i].used = true; /* pretend taken */
            used |= 1;
        }
    pipe_init(&x, &y, &loop.time);
    ofc_attach(&ctl, &x.flow);
    settle();
    assert_true(x.closed);
    assert_true(y.eof_in);
    assert_int_equal(ctl.refused, 1);
    assert_true(logged(&con, "switch table full"));
    for (i = 1; i < OFC_MAX_SWITCHES; i++)
        ctl.sw[i].used = false;
    (void)used;
}

/* The switch goes away: the slot is free and the line logged. */
static void test_disconnect(void **state)
{
    (void)state;
    pipe_inject_eof(&a);
    settle();
    assert_true(logged(&con, "disconnected: closed by the switch"));
    assert_null(ofc_find(&ctl, 0x42));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_handshake), T(test_learning), T(test_port_down),
        T(test_keepalive), T(test_table_full), T(test_disconnect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
