/*
 * test_codec.c - known-answer vectors for every OpenFlow 1.0 message type,
 * every action and every match field: each vector's structure encodes to
 * bytes written out by hand from the specification's layouts, and the
 * bytes decode to values that encode back to the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/openflow.h>

#include "of_test_util.h"

typedef void (*build_fn)(struct uk_of_msg *m);

struct vector {
    const char *name;
    build_fn build;
    const char *hex;
};

static void hdr(struct uk_of_msg *m, uint8_t type, uint32_t xid)
{
    memset(m, 0, sizeof *m);
    m->hdr.type = type;
    m->hdr.xid = xid;
}

static struct uk_of_action act_output(uint16_t port, uint16_t max_len)
{
    struct uk_of_action a;
    memset(&a, 0, sizeof a);
    a.type = UK_OFPAT_OUTPUT;
    a.u.output.port = port;
    a.u.output.max_len = max_len;
    return a;
}

/* Every action type once (the flow-mod vector). */
static struct uk_of_action all_actions[12];

static void fill_all_actions(void)
{
    struct uk_of_action *a = all_actions;
    memset(all_actions, 0, sizeof all_actions);
    a[0] = act_output(UK_OFPP_CONTROLLER, 128);
    a[1].type = UK_OFPAT_SET_VLAN_VID, a[1].u.vlan_vid = 0x123;
    a[2].type = UK_OFPAT_SET_VLAN_PCP, a[2].u.vlan_pcp = 5;
    a[3].type = UK_OFPAT_STRIP_VLAN;
    a[4].type = UK_OFPAT_SET_DL_SRC;
    a[4].u.dl_addr.b[0] = 2, a[4].u.dl_addr.b[5] = 0x0a;
    a[5].type = UK_OFPAT_SET_DL_DST;
    a[5].u.dl_addr.b[0] = 2, a[5].u.dl_addr.b[5] = 0x0b;
    a[6].type = UK_OFPAT_SET_NW_SRC, a[6].u.nw_addr = 0xc0a80001;
    a[7].type = UK_OFPAT_SET_NW_DST, a[7].u.nw_addr = 0xc0a80002;
    a[8].type = UK_OFPAT_SET_NW_TOS, a[8].u.nw_tos = 0x28;
    a[9].type = UK_OFPAT_SET_TP_SRC, a[9].u.tp_port = 1000;
    a[10].type = UK_OFPAT_SET_TP_DST, a[10].u.tp_port = 2000;
    a[11].type = UK_OFPAT_ENQUEUE;
    a[11].u.enqueue.port = 3, a[11].u.enqueue.queue_id = 7;
}

#define ALL_ACTIONS_HEX                                                       \
    "0000 0008 fffd 0080 "                                                    \
    "0001 0008 0123 0000 "                                                    \
    "0002 0008 05 000000 "                                                    \
    "0003 0008 00000000 "                                                     \
    "0004 0010 02000000000a 000000000000 "                                    \
    "0005 0010 02000000000b 000000000000 "                                    \
    "0006 0008 c0a80001 "                                                     \
    "0007 0008 c0a80002 "                                                     \
    "0008 0008 28 000000 "                                                    \
    "0009 0008 03e8 0000 "                                                    \
    "000a 0008 07d0 0000 "                                                    \
    "000b 0010 0003 000000000000 00000007 "

static const uint8_t two_bytes[] = {0xab, 0xcd};
static const uint8_t hi[] = {'h', 'i'};
static const uint8_t four[] = {1, 2, 3, 4};
static const uint8_t beef[] = {0xde, 0xad, 0xbe, 0xef};
static const uint8_t aabb[] = {0xaa, 0xbb};
static struct uk_of_port sample_port;
static struct uk_of_action out2, special[7];
static struct uk_of_flow_stats fstats;
static struct uk_of_table_stats tstats;
static struct uk_of_port_stats pstats;
static struct uk_of_queue_stats qstats;

static void b_hello(struct uk_of_msg *m) { hdr(m, UK_OFPT_HELLO, 1); }
static void b_error(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_ERROR, 2);
    m->u.error.type = UK_OFPET_BAD_REQUEST;
    m->u.error.code = UK_OFPBRC_BAD_LEN;
    m->u.error.data = two_bytes;
    m->u.error.data_len = 2;
}
static void b_echo_req(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_ECHO_REQUEST, 3);
    m->u.echo.data = hi;
    m->u.echo.len = 2;
}
static void b_echo_rep(struct uk_of_msg *m) { hdr(m, UK_OFPT_ECHO_REPLY, 3); }
static void b_vendor(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_VENDOR, 4);
    m->u.vendor.vendor = 0x2320;
    m->u.vendor.data = four;
    m->u.vendor.len = 4;
}
static void b_feat_req(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_FEATURES_REQUEST, 5);
}
static void b_feat_rep(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_FEATURES_REPLY, 6);
    m->u.features.datapath_id = 0x0102030405060708ull;
    m->u.features.n_buffers = 256;
    m->u.features.n_tables = 1;
    m->u.features.capabilities = 0x87;
    m->u.features.actions = UK_OFP_ACTIONS_ALL;
    m->u.features.ports.list = &sample_port;
    m->u.features.ports.count = 1;
}
static void b_getcfg(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_GET_CONFIG_REQUEST, 7);
}
static void b_getcfg_rep(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_GET_CONFIG_REPLY, 8);
    m->u.config.flags = UK_OFPC_FRAG_DROP;
    m->u.config.miss_send_len = 128;
}
static void b_setcfg(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_SET_CONFIG, 9);
    m->u.config.miss_send_len = 0xffff;
}
static void b_packet_in(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_PACKET_IN, 10);
    m->u.packet_in.buffer_id = 0x100;
    m->u.packet_in.total_len = 60;
    m->u.packet_in.in_port = 3;
    m->u.packet_in.reason = UK_OFPR_NO_MATCH;
    m->u.packet_in.data = beef;
    m->u.packet_in.data_len = 4;
}
static void b_flow_removed(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_FLOW_REMOVED, 11);
    m->u.flow_removed.match = of_sample_match();
    m->u.flow_removed.cookie = 0x1122334455667788ull;
    m->u.flow_removed.priority = 0x8000;
    m->u.flow_removed.reason = UK_OFPRR_DELETE;
    m->u.flow_removed.duration_sec = 5;
    m->u.flow_removed.duration_nsec = 6;
    m->u.flow_removed.idle_timeout = 30;
    m->u.flow_removed.packet_count = 7;
    m->u.flow_removed.byte_count = 8;
}
static void b_port_status(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_PORT_STATUS, 12);
    m->u.port_status.reason = UK_OFPPR_MODIFY;
    m->u.port_status.desc = sample_port;
}
static void b_packet_out(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_PACKET_OUT, 13);
    m->u.packet_out.buffer_id = UK_OFP_NO_BUFFER;
    m->u.packet_out.in_port = 1;
    m->u.packet_out.actions.list = &out2;
    m->u.packet_out.actions.count = 1;
    m->u.packet_out.data = aabb;
    m->u.packet_out.data_len = 2;
}
static void b_packet_out_special(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_PACKET_OUT, 32);
    m->u.packet_out.buffer_id = 0x300;
    m->u.packet_out.in_port = 4;
    m->u.packet_out.actions.list = special;
    m->u.packet_out.actions.count = 7;
}
static void b_flow_mod(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_FLOW_MOD, 14);
    m->u.flow_mod.match = of_sample_match();
    m->u.flow_mod.cookie = 0x0102030405060708ull;
    m->u.flow_mod.command = UK_OFPFC_ADD;
    m->u.flow_mod.idle_timeout = 10;
    m->u.flow_mod.hard_timeout = 20;
    m->u.flow_mod.priority = 0x8000;
    m->u.flow_mod.buffer_id = 0x200;
    m->u.flow_mod.out_port = UK_OFPP_NONE;
    m->u.flow_mod.flags = UK_OFPFF_SEND_FLOW_REM;
    m->u.flow_mod.actions.list = all_actions;
    m->u.flow_mod.actions.count = 12;
}
static void b_port_mod(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_PORT_MOD, 15);
    m->u.port_mod.port_no = 1;
    m->u.port_mod.hw_addr = sample_port.hw_addr;
    m->u.port_mod.config = UK_OFPPC_PORT_DOWN;
    m->u.port_mod.mask = UK_OFPPC_PORT_DOWN;
    m->u.port_mod.advertise = UK_OFPPF_1GB_FD;
}
static void b_sreq_desc(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REQUEST, 16);
    m->u.stats_request.type = UK_OFPST_DESC;
}
static void b_sreq_flow(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REQUEST, 17);
    m->u.stats_request.type = UK_OFPST_FLOW;
    m->u.stats_request.u.flow.match.wildcards = UK_OFPFW_ALL;
    m->u.stats_request.u.flow.table_id = 0xff;
    m->u.stats_request.u.flow.out_port = UK_OFPP_NONE;
}
static void b_sreq_aggr(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REQUEST, 18);
    m->u.stats_request.type = UK_OFPST_AGGREGATE;
    m->u.stats_request.u.flow.match = of_sample_match();
    m->u.stats_request.u.flow.table_id = 0;
    m->u.stats_request.u.flow.out_port = 2;
}
static void b_sreq_table(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REQUEST, 19);
    m->u.stats_request.type = UK_OFPST_TABLE;
}
static void b_sreq_port(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REQUEST, 20);
    m->u.stats_request.type = UK_OFPST_PORT;
    m->u.stats_request.u.port_no = UK_OFPP_NONE;
}
static void b_sreq_queue(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REQUEST, 21);
    m->u.stats_request.type = UK_OFPST_QUEUE;
    m->u.stats_request.u.queue.port_no = 1;
    m->u.stats_request.u.queue.queue_id = UK_OFPQ_ALL;
}
static void b_srep_flow(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REPLY, 23);
    m->u.stats_reply.type = UK_OFPST_FLOW;
    m->u.stats_reply.flags = UK_OFPSF_REPLY_MORE;
    m->u.stats_reply.u.entries.list = &fstats;
    m->u.stats_reply.u.entries.count = 1;
}
static void b_srep_aggr(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REPLY, 24);
    m->u.stats_reply.type = UK_OFPST_AGGREGATE;
    m->u.stats_reply.u.aggregate.packet_count = 7;
    m->u.stats_reply.u.aggregate.byte_count = 8;
    m->u.stats_reply.u.aggregate.flow_count = 2;
}
static void b_srep_table(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REPLY, 25);
    m->u.stats_reply.type = UK_OFPST_TABLE;
    m->u.stats_reply.u.entries.list = &tstats;
    m->u.stats_reply.u.entries.count = 1;
}
static void b_srep_port(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REPLY, 26);
    m->u.stats_reply.type = UK_OFPST_PORT;
    m->u.stats_reply.u.entries.list = &pstats;
    m->u.stats_reply.u.entries.count = 1;
}
static void b_srep_queue(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_STATS_REPLY, 27);
    m->u.stats_reply.type = UK_OFPST_QUEUE;
    m->u.stats_reply.u.entries.list = &qstats;
    m->u.stats_reply.u.entries.count = 1;
}
static void b_barrier_req(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_BARRIER_REQUEST, 28);
}
static void b_barrier_rep(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_BARRIER_REPLY, 29);
}
static void b_qcfg_req(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_QUEUE_GET_CONFIG_REQUEST, 30);
    m->u.queue_config.port = 1;
}
static void b_qcfg_rep(struct uk_of_msg *m)
{
    hdr(m, UK_OFPT_QUEUE_GET_CONFIG_REPLY, 31);
    m->u.queue_config.port = 1;
}

static const struct vector vectors[] = {
    {"hello", b_hello, "01 00 0008 00000001"},
    {"error", b_error, "01 01 000e 00000002 0001 0006 abcd"},
    {"echo_request", b_echo_req, "01 02 000a 00000003 6869"},
    {"echo_reply", b_echo_rep, "01 03 0008 00000003"},
    {"vendor", b_vendor, "01 04 0010 00000004 00002320 01020304"},
    {"features_request", b_feat_req, "01 05 0008 00000005"},
    {"features_reply", b_feat_rep,
     "01 06 0050 00000006 0102030405060708 00000100 01 000000 00000087 "
     "00000fff " OF_PORT_HEX},
    {"get_config_request", b_getcfg, "01 07 0008 00000007"},
    {"get_config_reply", b_getcfg_rep, "01 08 000c 00000008 0001 0080"},
    {"set_config", b_setcfg, "01 09 000c 00000009 0000 ffff"},
    {"packet_in", b_packet_in,
     "01 0a 0016 0000000a 00000100 003c 0003 00 00 deadbeef"},
    {"flow_removed", b_flow_removed,
     "01 0b 0058 0000000b " OF_M1_HEX "1122334455667788 8000 02 00 00000005 "
     "00000006 001e 0000 0000000000000007 0000000000000008"},
    {"port_status", b_port_status,
     "01 0c 0040 0000000c 02 00000000000000 " OF_PORT_HEX},
    {"packet_out", b_packet_out,
     "01 0d 001a 0000000d ffffffff 0001 0008 0000 0008 0002 0000 aabb"},
    {"packet_out_special_ports", b_packet_out_special,
     "01 0d 0048 00000020 00000300 0004 0038 0000 0008 fffb 0000 "
     "0000 0008 fffc 0000 0000 0008 fff8 0000 0000 0008 fffe 0000 "
     "0000 0008 fff9 0000 0000 0008 ffff 0000 0000 0008 fffa 0000"},
    {"flow_mod_every_action", b_flow_mod,
     "01 0e 00c0 0000000e " OF_M1_HEX "0102030405060708 0000 000a 0014 8000 "
     "00000200 ffff 0001 " ALL_ACTIONS_HEX},
    {"port_mod", b_port_mod,
     "01 0f 0020 0000000f 0001 020000000001 00000001 00000001 00000020 "
     "00000000"},
    {"stats_request_desc", b_sreq_desc, "01 10 000c 00000010 0000 0000"},
    {"stats_request_flow", b_sreq_flow,
     "01 10 0038 00000011 0001 0000 " OF_M_ALL_HEX "ff 00 ffff"},
    {"stats_request_aggregate", b_sreq_aggr,
     "01 10 0038 00000012 0002 0000 " OF_M1_HEX "00 00 0002"},
    {"stats_request_table", b_sreq_table, "01 10 000c 00000013 0003 0000"},
    {"stats_request_port", b_sreq_port,
     "01 10 0014 00000014 0004 0000 ffff 000000000000"},
    {"stats_request_queue", b_sreq_queue,
     "01 10 0014 00000015 0005 0000 0001 0000 ffffffff"},
    {"stats_reply_flow", b_srep_flow,
     "01 11 006c 00000017 0001 0001 0060 00 00 " OF_M1_HEX
     "00000005 00000006 8000 000a 0014 000000000000 0102030405060708 "
     "0000000000000007 0000000000000008 0000 0008 0002 0000"},
    {"stats_reply_aggregate", b_srep_aggr,
     "01 11 0024 00000018 0002 0000 0000000000000007 0000000000000008 "
     "00000002 00000000"},
    {"stats_reply_table", b_srep_table,
     "01 11 004c 00000019 0003 0000 00 000000 636c6173736966696572 "
     "00000000000000000000000000000000000000000000 003fffff 000f4240 "
     "00000002 0000000000000009 0000000000000004"},
    {"stats_reply_port", b_srep_port,
     "01 11 0074 0000001a 0004 0000 0001 000000000000 "
     "0000000000000001 0000000000000002 0000000000000003 0000000000000004 "
     "0000000000000005 0000000000000006 0000000000000007 0000000000000008 "
     "0000000000000009 000000000000000a 000000000000000b 000000000000000c"},
    {"stats_reply_queue", b_srep_queue,
     "01 11 002c 0000001b 0005 0000 0001 0000 00000002 0000000000000003 "
     "0000000000000004 0000000000000005"},
    {"barrier_request", b_barrier_req, "01 12 0008 0000001c"},
    {"barrier_reply", b_barrier_rep, "01 13 0008 0000001d"},
    {"queue_get_config_request", b_qcfg_req, "01 14 000c 0000001e 0001 0000"},
    {"queue_get_config_reply", b_qcfg_rep,
     "01 15 0010 0000001f 0001 000000000000"},
};

static void fill_samples(void)
{
    static const uint16_t ports[7] = {UK_OFPP_FLOOD, UK_OFPP_ALL,
                                      UK_OFPP_IN_PORT, UK_OFPP_LOCAL,
                                      UK_OFPP_TABLE, UK_OFPP_NONE,
                                      UK_OFPP_NORMAL};
    int i;
    fill_all_actions();
    sample_port = of_sample_port();
    out2 = act_output(2, 0);
    for (i = 0; i < 7; i++)
        special[i] = act_output(ports[i], 0);
    memset(&fstats, 0, sizeof fstats);
    fstats.match = of_sample_match();
    fstats.duration_sec = 5;
    fstats.duration_nsec = 6;
    fstats.priority = 0x8000;
    fstats.idle_timeout = 10;
    fstats.hard_timeout = 20;
    fstats.cookie = 0x0102030405060708ull;
    fstats.packet_count = 7;
    fstats.byte_count = 8;
    fstats.actions.list = &out2;
    fstats.actions.count = 1;
    memset(&tstats, 0, sizeof tstats);
    memcpy(tstats.name, "classifier", 11);
    tstats.wildcards = UK_OFPFW_ALL;
    tstats.max_entries = 1000000;
    tstats.active_count = 2;
    tstats.lookup_count = 9;
    tstats.matched_count = 4;
    memset(&pstats, 0, sizeof pstats);
    pstats.port_no = 1;
    pstats.rx_packets = 1, pstats.tx_packets = 2, pstats.rx_bytes = 3;
    pstats.tx_bytes = 4, pstats.rx_dropped = 5, pstats.tx_dropped = 6;
    pstats.rx_errors = 7, pstats.tx_errors = 8, pstats.rx_frame_err = 9;
    pstats.rx_over_err = 10, pstats.rx_crc_err = 11, pstats.collisions = 12;
    memset(&qstats, 0, sizeof qstats);
    qstats.port_no = 1, qstats.queue_id = 2, qstats.tx_bytes = 3;
    qstats.tx_packets = 4, qstats.tx_errors = 5;
}

/* With OF_DUMP_VECTORS=FILE in the environment, every vector's bytes are
 * also appended to FILE, for test_ovs_decode.sh to check with OVS's own
 * decoder. */
static void dump_vector(const uint8_t *b, size_t n)
{
    const char *path = getenv("OF_DUMP_VECTORS");
    FILE *f;
    if (path == NULL || (f = fopen(path, "ab")) == NULL)
        return;
    fwrite(b, 1, n, f);
    fclose(f);
}


/* With OF_SEED_DIR=DIR in the environment, each case's bytes are also
 * written to DIR/<name>.bin: how fuzz/openflow/seeds was made. */
static void write_seed(const char *name, const uint8_t *b, size_t n)
{
    const char *dir = getenv("OF_SEED_DIR");
    char path[512], *p;
    FILE *f;
    if (dir == NULL)
        return;
    snprintf(path, sizeof path, "%s/%s%s.bin", dir, "", name);
    for (p = path + strlen(dir) + 1; *p != '\0'; p++)
        if (*p == ' ')
            *p = '_';
    if ((f = fopen(path, "wb")) == NULL)
        return;
    fwrite(b, 1, n, f);
    fclose(f);
}

static void check_vector(const struct vector *v)
{
    static uint8_t want[4096], got[4096], again[4096];
    struct uk_of_msg m, d;
    struct uk_of_err err;
    size_t wn = of_hex(v->hex, want, sizeof want), n, n2;
    print_message("vector %s\n", v->name);
    assert_true(wn != (size_t)-1);
    dump_vector(want, wn);
    write_seed(v->name, want, wn);
    v->build(&m);
    /* structure -> known bytes */
    assert_int_equal(uk_of_encode(&m, got, sizeof got, &n), 0);
    assert_int_equal(n, wn);
    assert_memory_equal(got, want, wn);
    /* known bytes -> structure -> the same bytes */
    assert_int_equal(uk_of_decode(want, wn, &d, &err), 0);
    assert_int_equal(d.hdr.type, m.hdr.type);
    assert_int_equal(d.hdr.xid, m.hdr.xid);
    assert_int_equal(d.hdr.length, wn);
    assert_int_equal(uk_of_encode(&d, again, sizeof again, &n2), 0);
    assert_int_equal(n2, wn);
    assert_memory_equal(again, want, wn);
    /* too small a buffer: UK_ENOSPC, for every cut */
    assert_int_equal(uk_of_encode(&m, got, wn - 1, &n), UK_ENOSPC);
}

static void test_vectors(void **state)
{
    size_t i;
    (void)state;
    fill_samples();
    for (i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        check_vector(&vectors[i]);
}

static void assert_match_equal(const struct uk_of_match *a,
                               const struct uk_of_match *b)
{
    assert_int_equal(a->wildcards, b->wildcards);
    assert_int_equal(a->in_port, b->in_port);
    assert_memory_equal(a->dl_src.b, b->dl_src.b, 6);
    assert_memory_equal(a->dl_dst.b, b->dl_dst.b, 6);
    assert_int_equal(a->dl_vlan, b->dl_vlan);
    assert_int_equal(a->dl_vlan_pcp, b->dl_vlan_pcp);
    assert_int_equal(a->dl_type, b->dl_type);
    assert_int_equal(a->nw_tos, b->nw_tos);
    assert_int_equal(a->nw_proto, b->nw_proto);
    assert_int_equal(a->nw_src, b->nw_src);
    assert_int_equal(a->nw_dst, b->nw_dst);
    assert_int_equal(a->tp_src, b->tp_src);
    assert_int_equal(a->tp_dst, b->tp_dst);
}

/* Decoded fields, one by one, for the structured types. */
static void test_decoded_fields(void **state)
{
    static uint8_t buf[4096];
    struct uk_of_msg m, d;
    struct uk_of_action a;
    struct uk_of_port p;
    struct uk_of_flow_stats fs;
    struct uk_of_match want = of_sample_match();
    size_t n, pos = 0, i = 0;
    (void)state;
    fill_samples();

    b_flow_mod(&m);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(uk_of_decode(buf, n, &d, NULL), 0);
    assert_match_equal(&d.u.flow_mod.match, &want);
    assert_int_equal(d.u.flow_mod.cookie, 0x0102030405060708ull);
    assert_int_equal(d.u.flow_mod.idle_timeout, 10);
    assert_int_equal(d.u.flow_mod.hard_timeout, 20);
    assert_int_equal(d.u.flow_mod.priority, 0x8000);
    assert_int_equal(d.u.flow_mod.buffer_id, 0x200);
    assert_int_equal(d.u.flow_mod.out_port, UK_OFPP_NONE);
    assert_int_equal(d.u.flow_mod.flags, UK_OFPFF_SEND_FLOW_REM);
    assert_int_equal(d.u.flow_mod.actions.count, 12);
    while (uk_of_action_next(&d.u.flow_mod.actions, &pos, &a)) {
        assert_true(i < 12);
        assert_memory_equal(&a, &all_actions[i], sizeof a);
        i++;
    }
    assert_int_equal(i, 12);

    b_feat_rep(&m);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(uk_of_decode(buf, n, &d, NULL), 0);
    assert_int_equal(d.u.features.datapath_id, 0x0102030405060708ull);
    assert_int_equal(d.u.features.n_buffers, 256);
    assert_int_equal(d.u.features.n_tables, 1);
    assert_int_equal(d.u.features.ports.count, 1);
    uk_of_ports_get(&d.u.features.ports, 0, &p);
    assert_int_equal(p.port_no, 1);
    assert_memory_equal(p.hw_addr.b, sample_port.hw_addr.b, 6);
    assert_string_equal(p.name, "eth1");
    assert_int_equal(p.config, sample_port.config);
    assert_int_equal(p.state, sample_port.state);
    assert_int_equal(p.curr, sample_port.curr);
    assert_int_equal(p.advertised, sample_port.advertised);
    assert_int_equal(p.supported, sample_port.supported);
    assert_int_equal(p.peer, sample_port.peer);

    b_srep_flow(&m);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(uk_of_decode(buf, n, &d, NULL), 0);
    assert_int_equal(d.u.stats_reply.flags, UK_OFPSF_REPLY_MORE);
    pos = 0;
    assert_true(uk_of_flow_stats_next(&d.u.stats_reply.u.entries, &pos, &fs));
    assert_match_equal(&fs.match, &want);
    assert_int_equal(fs.cookie, 0x0102030405060708ull);
    assert_int_equal(fs.packet_count, 7);
    assert_int_equal(fs.byte_count, 8);
    assert_int_equal(fs.actions.count, 1);
    assert_false(uk_of_flow_stats_next(&d.u.stats_reply.u.entries, &pos, &fs));

    b_srep_port(&m);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(uk_of_decode(buf, n, &d, NULL), 0);
    {
        struct uk_of_port_stats ps;
        uk_of_port_stats_get(&d.u.stats_reply.u.entries, 0, &ps);
        assert_int_equal(ps.port_no, 1);
        assert_int_equal(ps.rx_packets, 1);
        assert_int_equal(ps.rx_crc_err, 11);
        assert_int_equal(ps.collisions, 12);
    }
    b_srep_table(&m);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(uk_of_decode(buf, n, &d, NULL), 0);
    {
        struct uk_of_table_stats ts;
        uk_of_table_stats_get(&d.u.stats_reply.u.entries, 0, &ts);
        assert_string_equal(ts.name, "classifier");
        assert_int_equal(ts.max_entries, 1000000);
        assert_int_equal(ts.matched_count, 4);
    }
    b_srep_queue(&m);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(uk_of_decode(buf, n, &d, NULL), 0);
    {
        struct uk_of_queue_stats qs;
        uk_of_queue_stats_get(&d.u.stats_reply.u.entries, 0, &qs);
        assert_int_equal(qs.port_no, 1);
        assert_int_equal(qs.queue_id, 2);
        assert_int_equal(qs.tx_bytes, 3);
        assert_int_equal(qs.tx_packets, 4);
        assert_int_equal(qs.tx_errors, 5);
    }
}

/* The description reply: five NUL-padded strings (1056 bytes). */
static void test_desc_reply(void **state)
{
    static uint8_t buf[2048], want[12 + 1056];
    struct uk_of_msg m, d;
    size_t n;
    (void)state;
    hdr(&m, UK_OFPT_STATS_REPLY, 22);
    m.u.stats_reply.type = UK_OFPST_DESC;
    strcpy(m.u.stats_reply.u.desc.mfr_desc, "uk");
    strcpy(m.u.stats_reply.u.desc.hw_desc, "hw");
    strcpy(m.u.stats_reply.u.desc.sw_desc, "sw 1.0");
    strcpy(m.u.stats_reply.u.desc.serial_num, "42");
    strcpy(m.u.stats_reply.u.desc.dp_desc, "of-switch");
    memset(want, 0, sizeof want);
    assert_int_equal(of_hex("01 11 042c 00000016 0000 0000", want, 12), 12);
    memcpy(want + 12, "uk", 2);
    memcpy(want + 12 + 256, "hw", 2);
    memcpy(want + 12 + 512, "sw 1.0", 6);
    memcpy(want + 12 + 768, "42", 2);
    memcpy(want + 12 + 800, "of-switch", 9);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(n, sizeof want);
    assert_memory_equal(buf, want, n);
    assert_int_equal(uk_of_decode(want, sizeof want, &d, NULL), 0);
    assert_string_equal(d.u.stats_reply.u.desc.sw_desc, "sw 1.0");
    assert_string_equal(d.u.stats_reply.u.desc.dp_desc, "of-switch");
    assert_string_equal(d.u.stats_reply.u.desc.serial_num, "42");
}

/* A later version's hello with a version bitmap (1 and 4 offered). */
static void test_hello_bitmap(void **state)
{
    uint8_t b[64];
    struct uk_of_msg d;
    size_t n = of_hex("04 00 0010 00000001 0001 0008 00000012", b, sizeof b);
    (void)state;
    assert_int_equal(uk_of_decode(b, n, &d, NULL), 0);
    assert_int_equal(d.hdr.version, 4);
    assert_true(d.u.hello.has_bitmap);
    assert_int_equal(d.u.hello.bitmap, 0x12);
}

/* Each match field alone changes exactly its own bytes. */
static void test_match_fields(void **state)
{
    static const struct {
        size_t off, len;
    } fields[] = {{0, 4},  {4, 2},  {6, 6},  {12, 6}, {18, 2},
                  {20, 1}, {22, 2}, {24, 1}, {25, 1}, {28, 4},
                  {32, 4}, {36, 2}, {38, 2}};
    uint8_t base[256], one[256];
    struct uk_of_msg m;
    size_t n, i, k;
    (void)state;
    for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        struct uk_of_match *x;
        hdr(&m, UK_OFPT_FLOW_MOD, 1);
        assert_int_equal(uk_of_encode(&m, base, sizeof base, &n), 0);
        x = &m.u.flow_mod.match;
        switch (i) {
        case 0: x->wildcards = 0xffffffffu; break;
        case 1: x->in_port = 0xffff; break;
        case 2: memset(x->dl_src.b, 0xff, 6); break;
        case 3: memset(x->dl_dst.b, 0xff, 6); break;
        case 4: x->dl_vlan = 0xffff; break;
        case 5: x->dl_vlan_pcp = 0xff; break;
        case 6: x->dl_type = 0xffff; break;
        case 7: x->nw_tos = 0xff; break;
        case 8: x->nw_proto = 0xff; break;
        case 9: x->nw_src = 0xffffffffu; break;
        case 10: x->nw_dst = 0xffffffffu; break;
        case 11: x->tp_src = 0xffff; break;
        default: x->tp_dst = 0xffff; break;
        }
        assert_int_equal(uk_of_encode(&m, one, sizeof one, &n), 0);
        for (k = 0; k < n; k++) {
            bool in = k >= 8 + fields[i].off &&
                      k < 8 + fields[i].off + fields[i].len;
            assert_int_equal(one[k], in ? 0xff : base[k]);
        }
    }
}

static void test_error_helper(void **state)
{
    uint8_t off[100], buf[128];
    struct uk_of_msg d;
    size_t n, i;
    (void)state;
    for (i = 0; i < sizeof off; i++)
        off[i] = (uint8_t)i;
    assert_int_equal(uk_of_encode_error(buf, sizeof buf, &n, 77,
                                        UK_OFPET_BAD_ACTION,
                                        UK_OFPBAC_BAD_LEN, off, sizeof off),
                     0);
    assert_int_equal(n, 12 + 64);
    assert_int_equal(uk_of_decode(buf, n, &d, NULL), 0);
    assert_int_equal(d.hdr.xid, 77);
    assert_int_equal(d.u.error.type, UK_OFPET_BAD_ACTION);
    assert_int_equal(d.u.error.code, UK_OFPBAC_BAD_LEN);
    assert_int_equal(d.u.error.data_len, 64);
    assert_memory_equal(d.u.error.data, off, 64);
    assert_string_equal(uk_of_type_name(UK_OFPT_FLOW_MOD), "FLOW_MOD");
    assert_string_equal(uk_of_type_name(200), "UNKNOWN");
}

/* Encoding limits: more than 65535 bytes, and unknown types. */
static void test_encode_limits(void **state)
{
    static uint8_t big[70000], buf[80000];
    struct uk_of_msg m;
    size_t n;
    (void)state;
    hdr(&m, UK_OFPT_ECHO_REQUEST, 1);
    m.u.echo.data = big;
    m.u.echo.len = UK_OFP_MAX_MSG - 8;
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), 0);
    assert_int_equal(n, UK_OFP_MAX_MSG);
    m.u.echo.len++;
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), UK_EMSGSIZE);
    hdr(&m, 99, 1);
    assert_int_equal(uk_of_encode(&m, buf, sizeof buf, &n), UK_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_decoded_fields),
        cmocka_unit_test(test_desc_reply),
        cmocka_unit_test(test_hello_bitmap),
        cmocka_unit_test(test_match_fields),
        cmocka_unit_test(test_error_helper),
        cmocka_unit_test(test_encode_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
