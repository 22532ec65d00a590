/*
 * test_malformed.c - malformed OpenFlow 1.0 input: framing errors (short
 * header, length below 8, length beyond the bytes given) and every kind of
 * bad length, count, type, version and action argument, each with the
 * OFPT_ERROR type/code the decoder must name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/bytes.h>
#include <uk/openflow.h>

#include "of_test_util.h"

struct bad {
    const char *name;
    const char *hex;
    bool fixlen; /* patch the length field to the vector's size */
    int rc;      /* UK_EPROTO (answer with type/code) or UK_EMSGSIZE */
    uint16_t type, code;
};

#define HDR(t) "01 " t " 0000 00000009 "
#define FM HDR("0e") OF_M_ALL_HEX "0000000000000000 0000 0000 0000 8000 ffffffff ffff 0000 "
#define PO HDR("0d") "ffffffff 0001 "
#define SREQ(t) HDR("10") t " 0000 "
#define SREP(t) HDR("11") t " 0000 "
#define REQ UK_OFPET_BAD_REQUEST
#define ACT UK_OFPET_BAD_ACTION
#define E(n, h, t, c) {n, h, true, UK_EPROTO, t, c}

/* A flow stats entry header (88 bytes) of total length LEN (4 hex). */
#define FSE(len) len " 00 00 " OF_M_ALL_HEX "00000000 00000000 8000 0000 0000 000000000000 0000000000000000 0000000000000000 0000000000000000 "

static const struct bad bads[] = {
    /* framing */
    {"short header", "01 00 00", false, UK_EMSGSIZE, 0, 0},
    {"empty", "", false, UK_EMSGSIZE, 0, 0},
    {"length 4", "01 00 0004 00000001", false, UK_EMSGSIZE, 0, 0},
    {"length 0", "01 02 0000 00000001", false, UK_EMSGSIZE, 0, 0},
    {"length beyond buffer", "01 00 0010 00000001", false, UK_EMSGSIZE, 0, 0},
    {"length beyond buffer by one", "01 02 000b 00000001 0000", false,
     UK_EMSGSIZE, 0, 0},
    /* header */
    E("bad version", "02 05 0008 00000009", REQ, UK_OFPBRC_BAD_VERSION),
    E("version 0", "00 0e 0008 00000009", REQ, UK_OFPBRC_BAD_VERSION),
    E("unknown type 22", HDR("16"), REQ, UK_OFPBRC_BAD_TYPE),
    E("unknown type 255", HDR("ff"), REQ, UK_OFPBRC_BAD_TYPE),
    /* fixed lengths */
    E("features_request with body", HDR("05") "00000000", REQ, UK_OFPBRC_BAD_LEN),
    E("get_config_request with body", HDR("07") "00", REQ, UK_OFPBRC_BAD_LEN),
    E("barrier_request with body", HDR("12") "00000000", REQ, UK_OFPBRC_BAD_LEN),
    E("barrier_reply with body", HDR("13") "00", REQ, UK_OFPBRC_BAD_LEN),
    E("error too short", HDR("01") "0001", REQ, UK_OFPBRC_BAD_LEN),
    E("vendor too short", HDR("04") "0000", REQ, UK_OFPBRC_BAD_LEN),
    E("get_config_reply short", HDR("08") "0000", REQ, UK_OFPBRC_BAD_LEN),
    E("set_config long", HDR("09") "0000 0080 00", REQ, UK_OFPBRC_BAD_LEN),
    E("features_reply short", HDR("06") "0000000000000001 00000000", REQ,
      UK_OFPBRC_BAD_LEN),
    E("features_reply partial port",
      HDR("06") "0000000000000001 00000100 01 000000 00000000 00000000 "
                "0001 020000000001",
      REQ, UK_OFPBRC_BAD_LEN),
    E("packet_in short", HDR("0a") "00000100 003c 0003 00", REQ,
      UK_OFPBRC_BAD_LEN),
    E("flow_removed short", HDR("0b") OF_M_ALL_HEX "0000000000000000 0000 00 00",
      REQ, UK_OFPBRC_BAD_LEN),
    E("port_status short", HDR("0c") "02 00000000000000 " "0001 020000000001",
      REQ, UK_OFPBRC_BAD_LEN),
    E("port_mod short", HDR("0f") "0001 020000000001 00000001 00000001", REQ,
      UK_OFPBRC_BAD_LEN),
    E("flow_mod short", HDR("0e") OF_M_ALL_HEX "0000000000000000", REQ,
      UK_OFPBRC_BAD_LEN),
    E("packet_out short", HDR("0d") "ffffffff 0001", REQ, UK_OFPBRC_BAD_LEN),
    E("queue_get_config_request short", HDR("14"), REQ, UK_OFPBRC_BAD_LEN),
    E("queue_get_config_reply short", HDR("15") "0001", REQ, UK_OFPBRC_BAD_LEN),
    E("queue_get_config_reply queue overrun",
      HDR("15") "0001 000000000000 00000001 0010 0000", REQ, UK_OFPBRC_BAD_LEN),
    E("queue_get_config_reply queue len 4",
      HDR("15") "0001 000000000000 00000001 0004 0000", REQ, UK_OFPBRC_BAD_LEN),
    /* action lists */
    E("packet_out actions_len overruns", PO "0010 0000 0008 0002 0000", REQ,
      UK_OFPBRC_BAD_LEN),
    E("packet_out actions_len not a multiple of 8",
      PO "000c 0000 000c 0002 0000 00000000", ACT, UK_OFPBAC_BAD_LEN),
    E("packet_out action shorter than its header", PO "0004 0000 0008", ACT,
      UK_OFPBAC_BAD_LEN),
    E("action len 0", FM "0000 0000 0002 0000", ACT, UK_OFPBAC_BAD_LEN),
    E("action len 4", FM "0000 0004 0002 0000", ACT, UK_OFPBAC_BAD_LEN),
    E("action len 12", FM "0000 000c 0002 0000 00000000", ACT, UK_OFPBAC_BAD_LEN),
    E("action overruns the list", FM "0000 0010 0002 0000", ACT,
      UK_OFPBAC_BAD_LEN),
    E("trailing bytes after actions", FM "0000 0008 0002 0000 00000000", ACT,
      UK_OFPBAC_BAD_LEN),
    E("output len 16", FM "0000 0010 0002 0000 0000000000000000", ACT,
      UK_OFPBAC_BAD_LEN),
    E("set_dl_src len 8", FM "0004 0008 020000000001", ACT, UK_OFPBAC_BAD_LEN),
    E("enqueue len 8", FM "000b 0008 0003 0000", ACT, UK_OFPBAC_BAD_LEN),
    E("unknown action 12", FM "000c 0008 00000000", ACT, UK_OFPBAC_BAD_TYPE),
    E("unknown action 0x1234", FM "1234 0008 00000000", ACT, UK_OFPBAC_BAD_TYPE),
    E("vendor action", FM "ffff 0008 00002320", ACT, UK_OFPBAC_BAD_VENDOR),
    E("output to port 0", FM "0000 0008 0000 0000", ACT, UK_OFPBAC_BAD_OUT_PORT),
    E("output to port 0xff00", FM "0000 0008 ff00 0000", ACT,
      UK_OFPBAC_BAD_OUT_PORT),
    E("output to port 0xfff7", FM "0000 0008 fff7 0000", ACT,
      UK_OFPBAC_BAD_OUT_PORT),
    E("enqueue to LOCAL", FM "000b 0010 fffe 000000000000 00000001", ACT,
      UK_OFPBAC_BAD_OUT_PORT),
    E("vlan vid 0x1000", FM "0001 0008 1000 0000", ACT, UK_OFPBAC_BAD_ARGUMENT),
    E("vlan pcp 8", FM "0002 0008 08 000000", ACT, UK_OFPBAC_BAD_ARGUMENT),
    E("nw tos with ECN bits", FM "0008 0008 29 000000", ACT,
      UK_OFPBAC_BAD_ARGUMENT),
    E("bad action after a good one", FM "0000 0008 0002 0000 0000 0000 0002 0000",
      ACT, UK_OFPBAC_BAD_LEN),
    /* flow_mod */
    {"flow_mod command 5",
     HDR("0e") OF_M_ALL_HEX "0000000000000000 0005 0000 0000 8000 ffffffff ffff 0000",
     true, UK_EPROTO, UK_OFPET_FLOW_MOD_FAILED, UK_OFPFMFC_BAD_COMMAND},
    /* stats */
    E("stats_request short", HDR("10") "0000", REQ, UK_OFPBRC_BAD_LEN),
    E("stats_reply short", HDR("11") "0000", REQ, UK_OFPBRC_BAD_LEN),
    E("stats_request type 6", SREQ("0006"), REQ, UK_OFPBRC_BAD_STAT),
    E("stats_request type 0x8000", SREQ("8000"), REQ, UK_OFPBRC_BAD_STAT),
    E("stats_request vendor", SREQ("ffff") "00002320", REQ, UK_OFPBRC_BAD_VENDOR),
    E("stats_request vendor short", SREQ("ffff") "0000", REQ, UK_OFPBRC_BAD_LEN),
    E("desc request with body", SREQ("0000") "00", REQ, UK_OFPBRC_BAD_LEN),
    E("table request with body", SREQ("0003") "00000000", REQ, UK_OFPBRC_BAD_LEN),
    E("flow request short", SREQ("0001") OF_M_ALL_HEX, REQ, UK_OFPBRC_BAD_LEN),
    E("aggregate request long", SREQ("0002") OF_M_ALL_HEX "ff 00 ffff 00000000",
      REQ, UK_OFPBRC_BAD_LEN),
    E("port request short", SREQ("0004") "ffff", REQ, UK_OFPBRC_BAD_LEN),
    E("queue request short", SREQ("0005") "0001 0000", REQ, UK_OFPBRC_BAD_LEN),
    E("stats_reply type 9", SREP("0009"), REQ, UK_OFPBRC_BAD_STAT),
    E("desc reply short", SREP("0000") "00", REQ, UK_OFPBRC_BAD_LEN),
    E("aggregate reply short", SREP("0002") "0000000000000007", REQ,
      UK_OFPBRC_BAD_LEN),
    E("table reply partial entry", SREP("0003") "00000000", REQ, UK_OFPBRC_BAD_LEN),
    E("port reply 100 bytes",
      SREP("0004") "0001000000000000 0000000000000000 0000000000000000 "
      "0000000000000000 0000000000000000 0000000000000000 0000000000000000 "
      "0000000000000000 0000000000000000 0000000000000000 0000000000000000 "
      "0000000000000000 00000000",
      REQ, UK_OFPBRC_BAD_LEN),
    E("queue reply partial", SREP("0005") "0001 0000 00000002", REQ,
      UK_OFPBRC_BAD_LEN),
    E("flow reply entry shorter than 88", SREP("0001") FSE("0050"), REQ,
      UK_OFPBRC_BAD_LEN),
    E("flow reply entry overruns", SREP("0001") FSE("0068") "0000 0008 0002 0000",
      REQ, UK_OFPBRC_BAD_LEN),
    E("flow reply partial second entry",
      SREP("0001") FSE("0058") "0058 00 00 00000000", REQ, UK_OFPBRC_BAD_LEN),
    E("flow reply entry with a bad action",
      SREP("0001") FSE("0060") "0000 0008 0000 0000", ACT, UK_OFPBAC_BAD_OUT_PORT),
    E("flow reply entry with action len 4",
      SREP("0001") FSE("0060") "0000 0004 0002 0000", ACT, UK_OFPBAC_BAD_LEN),
};


/* With OF_SEED_DIR=DIR in the environment, each case's bytes are also
 * written to DIR/<name>.bin: how fuzz/openflow/seeds was made. */
static void write_seed(const char *name, const uint8_t *b, size_t n)
{
    const char *dir = getenv("OF_SEED_DIR");
    char path[512], *p;
    FILE *f;
    if (dir == NULL)
        return;
    snprintf(path, sizeof path, "%s/%s%s.bin", dir, "bad_", name);
    for (p = path + strlen(dir) + 1; *p != '\0'; p++)
        if (*p == ' ')
            *p = '_';
    if ((f = fopen(path, "wb")) == NULL)
        return;
    fwrite(b, 1, n, f);
    fclose(f);
}

static void test_bad_inputs(void **state)
{
    static uint8_t buf[4096];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const struct bad *b = &bads[i];
        struct uk_of_msg m;
        struct uk_of_err err = {0xeeee, 0xeeee};
        size_t n = of_hex(b->hex, buf, sizeof buf), fl;
        int rc;
        print_message("case %s\n", b->name);
        assert_true(n != (size_t)-1);
        if (b->fixlen)
            uk_store_be16(buf + 2, (uint16_t)n);
        write_seed(b->name, buf, n);
        rc = uk_of_decode(buf, n, &m, &err);
        assert_int_equal(rc, b->rc);
        if (rc == UK_EPROTO) {
            assert_int_equal(err.type, b->type);
            assert_int_equal(err.code, b->code);
            assert_int_equal(m.hdr.xid, 9);
            assert_int_equal(uk_of_frame(buf, n, &fl), 0);
            assert_int_equal(fl, n);
        }
        /* Every prefix of a message is refused or incomplete, never read
         * beyond (ASan watches the copy). */
        {
            static uint8_t cut[4096];
            size_t k;
            for (k = 0; k < n; k++) {
                memcpy(cut, buf, k);
                rc = uk_of_decode(cut, k, &m, NULL);
                assert_true(rc == UK_EMSGSIZE || rc == UK_EPROTO ||
                            (rc == 0 && k >= 8));
            }
        }
    }
}

static void test_frame(void **state)
{
    uint8_t b[32];
    size_t n, fl;
    (void)state;
    n = of_hex("01 00 0008 00000001 01 00", b, sizeof b);
    assert_int_equal(uk_of_frame(b, n, &fl), 0);
    assert_int_equal(fl, 8);
    assert_int_equal(uk_of_frame(b, 7, &fl), UK_EAGAIN);
    assert_int_equal(uk_of_frame(b + 8, 2, &fl), UK_EAGAIN);
    n = of_hex("01 00 0007 00000001", b, sizeof b);
    assert_int_equal(uk_of_frame(b, n, &fl), UK_EPROTO);
    n = of_hex("01 00 ffff 00000001", b, sizeof b);
    assert_int_equal(uk_of_frame(b, n, &fl), UK_EAGAIN);
}

/* Errors received are decoded whatever their version (a peer refusing
 * our hello answers with its own). */
static void test_error_any_version(void **state)
{
    uint8_t b[32];
    struct uk_of_msg m;
    size_t n = of_hex("04 01 000c 00000000 0000 0000", b, sizeof b);
    (void)state;
    assert_int_equal(uk_of_decode(b, n, &m, NULL), 0);
    assert_int_equal(m.u.error.type, UK_OFPET_HELLO_FAILED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_error_any_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
