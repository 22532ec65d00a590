/*
 * uk/openflow.h - OpenFlow 1.0 (wire protocol 0x01) messages: constants,
 * decoded message structures, and the decoder and encoder.
 *
 * The wire layouts are those of the OpenFlow Switch Specification 1.0.0;
 * the C structures here are our own host-order views of them (the library
 * never casts wire bytes to structs).
 *
 * No allocation.  uk_of_decode() fills a caller-provided struct uk_of_msg
 * whose variable parts (frame data, action lists, port lists, stats
 * entries) are VIEWS into the decoded bytes: they are LENT, valid as long
 * as the caller keeps those bytes unchanged.  Variable lists are validated
 * completely by the decoder, so walking them afterwards cannot fail.
 *
 * The same structures drive the encoder: for a list, either `list`/`count`
 * (structures, encoded one by one) or `wire`/`wire_len` (bytes already in
 * wire form, e.g. a decoded list forwarded as is) is given.
 */
#ifndef UK_OPENFLOW_H
#define UK_OPENFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/err.h>
#include <uk/ipaddr.h>

#define UK_OFP_VERSION 0x01
#define UK_OFP_HEADER_LEN 8
#define UK_OFP_MAX_MSG 65535u /* the length field is 16 bits */
#define UK_OFP_TCP_PORT 6633
#define UK_OFP_ERROR_DATA_MAX 64 /* bytes of an offending message echoed */
#define UK_OFP_NO_BUFFER 0xffffffffu

/* Message types (ofp_type). */
enum uk_ofp_type {
    UK_OFPT_HELLO = 0,
    UK_OFPT_ERROR = 1,
    UK_OFPT_ECHO_REQUEST = 2,
    UK_OFPT_ECHO_REPLY = 3,
    UK_OFPT_VENDOR = 4,
    UK_OFPT_FEATURES_REQUEST = 5,
    UK_OFPT_FEATURES_REPLY = 6,
    UK_OFPT_GET_CONFIG_REQUEST = 7,
    UK_OFPT_GET_CONFIG_REPLY = 8,
    UK_OFPT_SET_CONFIG = 9,
    UK_OFPT_PACKET_IN = 10,
    UK_OFPT_FLOW_REMOVED = 11,
    UK_OFPT_PORT_STATUS = 12,
    UK_OFPT_PACKET_OUT = 13,
    UK_OFPT_FLOW_MOD = 14,
    UK_OFPT_PORT_MOD = 15,
    UK_OFPT_STATS_REQUEST = 16,
    UK_OFPT_STATS_REPLY = 17,
    UK_OFPT_BARRIER_REQUEST = 18,
    UK_OFPT_BARRIER_REPLY = 19,
    UK_OFPT_QUEUE_GET_CONFIG_REQUEST = 20,
    UK_OFPT_QUEUE_GET_CONFIG_REPLY = 21,
    UK_OFPT__COUNT = 22
};

/* Error types (ofp_error_type) and their codes. */
enum uk_ofp_error_type {
    UK_OFPET_HELLO_FAILED = 0,
    UK_OFPET_BAD_REQUEST = 1,
    UK_OFPET_BAD_ACTION = 2,
    UK_OFPET_FLOW_MOD_FAILED = 3,
    UK_OFPET_PORT_MOD_FAILED = 4,
    UK_OFPET_QUEUE_OP_FAILED = 5
};
enum { UK_OFPHFC_INCOMPATIBLE = 0, UK_OFPHFC_EPERM = 1 };
enum {
    UK_OFPBRC_BAD_VERSION = 0,
    UK_OFPBRC_BAD_TYPE = 1,
    UK_OFPBRC_BAD_STAT = 2,
    UK_OFPBRC_BAD_VENDOR = 3,
    UK_OFPBRC_BAD_SUBTYPE = 4,
    UK_OFPBRC_EPERM = 5,
    UK_OFPBRC_BAD_LEN = 6,
    UK_OFPBRC_BUFFER_EMPTY = 7,
    UK_OFPBRC_BUFFER_UNKNOWN = 8
};
enum {
    UK_OFPBAC_BAD_TYPE = 0,
    UK_OFPBAC_BAD_LEN = 1,
    UK_OFPBAC_BAD_VENDOR = 2,
    UK_OFPBAC_BAD_VENDOR_TYPE = 3,
    UK_OFPBAC_BAD_OUT_PORT = 4,
    UK_OFPBAC_BAD_ARGUMENT = 5,
    UK_OFPBAC_EPERM = 6,
    UK_OFPBAC_TOO_MANY = 7,
    UK_OFPBAC_BAD_QUEUE = 8
};
enum {
    UK_OFPFMFC_ALL_TABLES_FULL = 0,
    UK_OFPFMFC_OVERLAP = 1,
    UK_OFPFMFC_EPERM = 2,
    UK_OFPFMFC_BAD_EMERG_TIMEOUT = 3,
    UK_OFPFMFC_BAD_COMMAND = 4,
    UK_OFPFMFC_UNSUPPORTED = 5
};
enum { UK_OFPPMFC_BAD_PORT = 0, UK_OFPPMFC_BAD_HW_ADDR = 1 };
enum {
    UK_OFPQOFC_BAD_PORT = 0,
    UK_OFPQOFC_BAD_QUEUE = 1,
    UK_OFPQOFC_EPERM = 2
};

/* Port numbers (ofp_port): physical ports are 1..UK_OFPP_MAX-1. */
enum {
    UK_OFPP_MAX = 0xff00,
    UK_OFPP_IN_PORT = 0xfff8,
    UK_OFPP_TABLE = 0xfff9,
    UK_OFPP_NORMAL = 0xfffa,
    UK_OFPP_FLOOD = 0xfffb,
    UK_OFPP_ALL = 0xfffc,
    UK_OFPP_CONTROLLER = 0xfffd,
    UK_OFPP_LOCAL = 0xfffe,
    UK_OFPP_NONE = 0xffff
};

/* Match wildcards (ofp_flow_wildcards). */
#define UK_OFPFW_IN_PORT (1u << 0)
#define UK_OFPFW_DL_VLAN (1u << 1)
#define UK_OFPFW_DL_SRC (1u << 2)
#define UK_OFPFW_DL_DST (1u << 3)
#define UK_OFPFW_DL_TYPE (1u << 4)
#define UK_OFPFW_NW_PROTO (1u << 5)
#define UK_OFPFW_TP_SRC (1u << 6)
#define UK_OFPFW_TP_DST (1u << 7)
#define UK_OFPFW_NW_SRC_SHIFT 8
#define UK_OFPFW_NW_SRC_MASK (0x3fu << UK_OFPFW_NW_SRC_SHIFT)
#define UK_OFPFW_NW_SRC_ALL (32u << UK_OFPFW_NW_SRC_SHIFT)
#define UK_OFPFW_NW_DST_SHIFT 14
#define UK_OFPFW_NW_DST_MASK (0x3fu << UK_OFPFW_NW_DST_SHIFT)
#define UK_OFPFW_NW_DST_ALL (32u << UK_OFPFW_NW_DST_SHIFT)
#define UK_OFPFW_DL_VLAN_PCP (1u << 20)
#define UK_OFPFW_NW_TOS (1u << 21)
#define UK_OFPFW_ALL ((1u << 22) - 1u)

#define UK_OFP_VLAN_NONE 0xffff        /* dl_vlan of untagged frames */
#define UK_OFP_DL_TYPE_NOT_ETH 0x05ff  /* dl_type of 802.3 without SNAP */

/* Action types (ofp_action_type). */
enum uk_ofp_action_type {
    UK_OFPAT_OUTPUT = 0,
    UK_OFPAT_SET_VLAN_VID = 1,
    UK_OFPAT_SET_VLAN_PCP = 2,
    UK_OFPAT_STRIP_VLAN = 3,
    UK_OFPAT_SET_DL_SRC = 4,
    UK_OFPAT_SET_DL_DST = 5,
    UK_OFPAT_SET_NW_SRC = 6,
    UK_OFPAT_SET_NW_DST = 7,
    UK_OFPAT_SET_NW_TOS = 8,
    UK_OFPAT_SET_TP_SRC = 9,
    UK_OFPAT_SET_TP_DST = 10,
    UK_OFPAT_ENQUEUE = 11,
    UK_OFPAT_VENDOR = 0xffff
};
/* Bit of each supported action type, for features_reply.actions. */
#define UK_OFP_ACTIONS_ALL ((1u << 12) - 1u)

/* Capabilities (ofp_capabilities). */
enum {
    UK_OFPC_FLOW_STATS = 1 << 0,
    UK_OFPC_TABLE_STATS = 1 << 1,
    UK_OFPC_PORT_STATS = 1 << 2,
    UK_OFPC_STP = 1 << 3,
    UK_OFPC_IP_REASM = 1 << 5,
    UK_OFPC_QUEUE_STATS = 1 << 6,
    UK_OFPC_ARP_MATCH_IP = 1 << 7
};

/* Port config, state and features bits. */
enum {
    UK_OFPPC_PORT_DOWN = 1 << 0,
    UK_OFPPC_NO_STP = 1 << 1,
    UK_OFPPC_NO_RECV = 1 << 2,
    UK_OFPPC_NO_RECV_STP = 1 << 3,
    UK_OFPPC_NO_FLOOD = 1 << 4,
    UK_OFPPC_NO_FWD = 1 << 5,
    UK_OFPPC_NO_PACKET_IN = 1 << 6
};
enum {
    UK_OFPPS_LINK_DOWN = 1 << 0,
    UK_OFPPS_STP_LISTEN = 0 << 8,
    UK_OFPPS_STP_LEARN = 1 << 8,
    UK_OFPPS_STP_FORWARD = 2 << 8,
    UK_OFPPS_STP_BLOCK = 3 << 8,
    UK_OFPPS_STP_MASK = 3 << 8
};
enum {
    UK_OFPPF_10MB_HD = 1 << 0,
    UK_OFPPF_10MB_FD = 1 << 1,
    UK_OFPPF_100MB_HD = 1 << 2,
    UK_OFPPF_100MB_FD = 1 << 3,
    UK_OFPPF_1GB_HD = 1 << 4,
    UK_OFPPF_1GB_FD = 1 << 5,
    UK_OFPPF_10GB_FD = 1 << 6,
    UK_OFPPF_COPPER = 1 << 7,
    UK_OFPPF_FIBER = 1 << 8,
    UK_OFPPF_AUTONEG = 1 << 9,
    UK_OFPPF_PAUSE = 1 << 10,
    UK_OFPPF_PAUSE_ASYM = 1 << 11
};

/* switch_config flags. */
enum {
    UK_OFPC_FRAG_NORMAL = 0,
    UK_OFPC_FRAG_DROP = 1,
    UK_OFPC_FRAG_REASM = 2,
    UK_OFPC_FRAG_MASK = 3
};

/* Reasons. */
enum { UK_OFPR_NO_MATCH = 0, UK_OFPR_ACTION = 1 };
enum {
    UK_OFPRR_IDLE_TIMEOUT = 0,
    UK_OFPRR_HARD_TIMEOUT = 1,
    UK_OFPRR_DELETE = 2
};
enum { UK_OFPPR_ADD = 0, UK_OFPPR_DELETE = 1, UK_OFPPR_MODIFY = 2 };

/* flow_mod commands and flags. */
enum {
    UK_OFPFC_ADD = 0,
    UK_OFPFC_MODIFY = 1,
    UK_OFPFC_MODIFY_STRICT = 2,
    UK_OFPFC_DELETE = 3,
    UK_OFPFC_DELETE_STRICT = 4
};
enum {
    UK_OFPFF_SEND_FLOW_REM = 1 << 0,
    UK_OFPFF_CHECK_OVERLAP = 1 << 1,
    UK_OFPFF_EMERG = 1 << 2
};

/* Stats types and flags. */
enum uk_ofp_stats_type {
    UK_OFPST_DESC = 0,
    UK_OFPST_FLOW = 1,
    UK_OFPST_AGGREGATE = 2,
    UK_OFPST_TABLE = 3,
    UK_OFPST_PORT = 4,
    UK_OFPST_QUEUE = 5,
    UK_OFPST_VENDOR = 0xffff
};
#define UK_OFPSF_REPLY_MORE 1u
#define UK_OFPQ_ALL 0xffffffffu

/* Fixed wire sizes. */
#define UK_OFP_MATCH_LEN 40
#define UK_OFP_PHY_PORT_LEN 48
#define UK_OFP_FLOW_STATS_LEN 88 /* without actions */
#define UK_OFP_TABLE_STATS_LEN 64
#define UK_OFP_PORT_STATS_LEN 104
#define UK_OFP_QUEUE_STATS_LEN 32
#define UK_OFP_DESC_LEN 256
#define UK_OFP_SERIAL_LEN 32
#define UK_OFP_PORT_NAME_LEN 16
#define UK_OFP_TABLE_NAME_LEN 32

/* The common header. */
struct uk_of_header {
    uint8_t version; /* encode: 0 means UK_OFP_VERSION */
    uint8_t type;    /* enum uk_ofp_type */
    uint16_t length; /* decode: from the wire; encode: computed */
    uint32_t xid;
};

/* The 12-tuple match.  Addresses are in host order (10.0.0.1 is
 * 0x0a000001); a field whose wildcard bit is set is ignored. */
struct uk_of_match {
    uint32_t wildcards;
    uint16_t in_port;
    struct uk_mac dl_src, dl_dst;
    uint16_t dl_vlan;
    uint8_t dl_vlan_pcp;
    uint16_t dl_type;
    uint8_t nw_tos;
    uint8_t nw_proto;
    uint32_t nw_src, nw_dst;
    uint16_t tp_src, tp_dst;
};

/* One action; which union member is meaningful depends on type. */
struct uk_of_action {
    uint16_t type; /* enum uk_ofp_action_type (never VENDOR: refused) */
    union {
        struct {
            uint16_t port;
            uint16_t max_len; /* for UK_OFPP_CONTROLLER */
        } output;
        uint16_t vlan_vid;       /* 0..0xfff */
        uint8_t vlan_pcp;        /* 0..7 */
        struct uk_mac dl_addr;   /* SET_DL_SRC / SET_DL_DST */
        uint32_t nw_addr;        /* SET_NW_SRC / SET_NW_DST, host order */
        uint8_t nw_tos;          /* low two bits zero */
        uint16_t tp_port;        /* SET_TP_SRC / SET_TP_DST */
        struct {
            uint16_t port;
            uint32_t queue_id;
        } enqueue;
    } u;
};

/* An action list: decoded, `wire` (LENT) and `count`; to encode, give
 * `list[count]`, or `wire[wire_len]` already in wire form (list NULL). */
struct uk_of_actions {
    const uint8_t *wire;
    size_t wire_len;
    const struct uk_of_action *list;
    size_t count;
};

/* A physical port (ofp_phy_port). */
struct uk_of_port {
    uint16_t port_no;
    struct uk_mac hw_addr;
    char name[UK_OFP_PORT_NAME_LEN + 1]; /* always NUL-terminated */
    uint32_t config, state, curr, advertised, supported, peer;
};

/* A port list (features reply): decoded, `wire` (LENT) + `count`; to
 * encode, `list[count]` or `wire` (count entries). */
struct uk_of_ports {
    const uint8_t *wire;
    const struct uk_of_port *list;
    size_t count;
};

struct uk_of_hello {
    const uint8_t *body; /* elements after the header (LENT), may be empty */
    size_t body_len;
    bool has_bitmap;     /* a version-bitmap element was present */
    uint32_t bitmap;     /* its first word: bit v set = version v offered */
};

struct uk_of_error_msg {
    uint16_t type, code;
    const uint8_t *data; /* LENT */
    size_t data_len;
};

struct uk_of_data {
    const uint8_t *data; /* LENT */
    size_t len;
};

struct uk_of_vendor {
    uint32_t vendor;
    const uint8_t *data; /* LENT */
    size_t len;
};

struct uk_of_features {
    uint64_t datapath_id;
    uint32_t n_buffers;
    uint8_t n_tables;
    uint32_t capabilities;
    uint32_t actions; /* bitmap of supported action types */
    struct uk_of_ports ports;
};

struct uk_of_switch_config {
    uint16_t flags;
    uint16_t miss_send_len;
};

struct uk_of_packet_in {
    uint32_t buffer_id;
    uint16_t total_len;
    uint16_t in_port;
    uint8_t reason;
    const uint8_t *data; /* LENT: the frame (maybe truncated) */
    size_t data_len;
};

struct uk_of_flow_removed {
    struct uk_of_match match;
    uint64_t cookie;
    uint16_t priority;
    uint8_t reason;
    uint32_t duration_sec, duration_nsec;
    uint16_t idle_timeout;
    uint64_t packet_count, byte_count;
};

struct uk_of_port_status {
    uint8_t reason;
    struct uk_of_port desc;
};

struct uk_of_packet_out {
    uint32_t buffer_id;
    uint16_t in_port;
    struct uk_of_actions actions;
    const uint8_t *data; /* LENT: the frame, when buffer_id is NO_BUFFER */
    size_t data_len;
};

struct uk_of_flow_mod {
    struct uk_of_match match;
    uint64_t cookie;
    uint16_t command;
    uint16_t idle_timeout, hard_timeout;
    uint16_t priority;
    uint32_t buffer_id;
    uint16_t out_port;
    uint16_t flags;
    struct uk_of_actions actions;
};

struct uk_of_port_mod {
    uint16_t port_no;
    struct uk_mac hw_addr;
    uint32_t config, mask, advertise;
};

/* Body of flow and aggregate stats requests. */
struct uk_of_flow_stats_request {
    struct uk_of_match match;
    uint8_t table_id; /* 0xff: all tables */
    uint16_t out_port;
};

struct uk_of_stats_request {
    uint16_t type; /* enum uk_ofp_stats_type */
    uint16_t flags;
    union {
        struct uk_of_flow_stats_request flow; /* FLOW, AGGREGATE */
        uint16_t port_no;                     /* PORT */
        struct {
            uint16_t port_no;
            uint32_t queue_id;
        } queue; /* QUEUE */
        struct uk_of_vendor vendor; /* VENDOR */
    } u;
};

struct uk_of_desc_stats {
    char mfr_desc[UK_OFP_DESC_LEN]; /* each NUL-terminated */
    char hw_desc[UK_OFP_DESC_LEN];
    char sw_desc[UK_OFP_DESC_LEN];
    char serial_num[UK_OFP_SERIAL_LEN];
    char dp_desc[UK_OFP_DESC_LEN];
};

struct uk_of_flow_stats {
    uint8_t table_id;
    struct uk_of_match match;
    uint32_t duration_sec, duration_nsec;
    uint16_t priority, idle_timeout, hard_timeout;
    uint64_t cookie, packet_count, byte_count;
    struct uk_of_actions actions;
};

struct uk_of_aggregate_stats {
    uint64_t packet_count, byte_count;
    uint32_t flow_count;
};

struct uk_of_table_stats {
    uint8_t table_id;
    char name[UK_OFP_TABLE_NAME_LEN + 1];
    uint32_t wildcards, max_entries, active_count;
    uint64_t lookup_count, matched_count;
};

struct uk_of_port_stats {
    uint16_t port_no;
    uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped,
        tx_dropped, rx_errors, tx_errors, rx_frame_err, rx_over_err,
        rx_crc_err, collisions;
};

struct uk_of_queue_stats {
    uint16_t port_no;
    uint32_t queue_id;
    uint64_t tx_bytes, tx_packets, tx_errors;
};

/* An array of stats entries: decoded, `wire` (LENT) with `count` entries
 * (flow stats: `wire_len` bytes of variable-length entries); to encode,
 * `list` (of the type matching the reply) with `count`, or `wire`. */
struct uk_of_stats_list {
    const uint8_t *wire;
    size_t wire_len;
    const void *list;
    size_t count;
};

struct uk_of_stats_reply {
    uint16_t type;
    uint16_t flags; /* UK_OFPSF_REPLY_MORE */
    union {
        struct uk_of_desc_stats desc;
        struct uk_of_aggregate_stats aggregate;
        struct uk_of_stats_list entries; /* FLOW, TABLE, PORT, QUEUE */
        struct uk_of_vendor vendor;
    } u;
};

struct uk_of_queue_config {
    uint16_t port;
    const uint8_t *queues; /* reply only: ofp_packet_queue entries, LENT */
    size_t queues_len;
};

/* A decoded (or to-be-encoded) message: hdr.type says which member of u. */
struct uk_of_msg {
    struct uk_of_header hdr;
    union {
        struct uk_of_hello hello;
        struct uk_of_error_msg error;
        struct uk_of_data echo; /* ECHO_REQUEST, ECHO_REPLY */
        struct uk_of_vendor vendor;
        struct uk_of_features features; /* FEATURES_REPLY */
        struct uk_of_switch_config config; /* GET_CONFIG_REPLY, SET_CONFIG */
        struct uk_of_packet_in packet_in;
        struct uk_of_flow_removed flow_removed;
        struct uk_of_port_status port_status;
        struct uk_of_packet_out packet_out;
        struct uk_of_flow_mod flow_mod;
        struct uk_of_port_mod port_mod;
        struct uk_of_stats_request stats_request;
        struct uk_of_stats_reply stats_reply;
        struct uk_of_queue_config queue_config;
    } u;
};

/* What to answer a malformed message with (an OFPT_ERROR type/code). */
struct uk_of_err {
    uint16_t type, code;
};

/*
 * uk_of_frame(buf, len, msg_len): whether buf[0..len) starts with a whole
 * message.  Returns 0 with *msg_len its length; UK_EAGAIN when more bytes
 * are needed; UK_EPROTO when the length field is below 8 (a framing error:
 * the connection cannot be resynchronised and must be closed).
 */
int uk_of_frame(const uint8_t *buf, size_t len, size_t *msg_len);

/*
 * uk_of_decode(buf, len, out, err): decodes the message at the start of
 * buf[0..len) (BORROWED; out's views point into it, so they are LENT for as
 * long as the caller keeps buf).  Bytes past the header's length are not
 * looked at.  Returns:
 *   0            out is filled.
 *   UK_EPROTO    the message is malformed: out->hdr is filled, *err holds
 *                the error to answer (an OFPT_ERROR with that type/code and
 *                the first 64 bytes of the message as data; never answer
 *                an OFPT_ERROR itself).  Covers a bad version (every type
 *                but HELLO and ERROR must be version 1), unknown types,
 *                lengths that disagree with the type, action lists and
 *                entry counts that overrun, bad action arguments, unknown
 *                stats types, vendor extensions (BAD_VENDOR).
 *   UK_EMSGSIZE  framing error: len < 8, length field < 8 or > len.
 * err may be NULL.
 */
int uk_of_decode(const uint8_t *buf, size_t len, struct uk_of_msg *out,
                 struct uk_of_err *err);

/*
 * uk_of_encode(m, buf, cap, out_len): writes m in wire form to buf[0..cap)
 * (BORROWED), with the length computed (m->hdr.length is ignored) and
 * version UK_OFP_VERSION when m->hdr.version is 0.  Pad bytes are zero.
 * Returns 0 with *out_len set; UK_ENOSPC when cap is too small;
 * UK_EMSGSIZE when the message would exceed 65535 bytes; UK_EINVAL for an
 * unknown type or an action/entry the encoder cannot write.
 */
int uk_of_encode(const struct uk_of_msg *m, uint8_t *buf, size_t cap,
                 size_t *out_len);

/*
 * uk_of_encode_error(buf, cap, out_len, xid, type, code, offending, n):
 * an OFPT_ERROR answering a message: data is the first
 * min(n, UK_OFP_ERROR_DATA_MAX) bytes of offending (BORROWED).  Returns as
 * uk_of_encode.
 */
int uk_of_encode_error(uint8_t *buf, size_t cap, size_t *out_len,
                       uint32_t xid, uint16_t type, uint16_t code,
                       const uint8_t *offending, size_t n);

/*
 * Walking decoded (or to-be-encoded) lists.  Each returns false when the
 * list is exhausted.  *pos starts at 0 and belongs to the walk.  Decoded
 * lists were validated by uk_of_decode, so the walk never fails on them.
 */
bool uk_of_action_next(const struct uk_of_actions *a, size_t *pos,
                       struct uk_of_action *out);
bool uk_of_flow_stats_next(const struct uk_of_stats_list *l, size_t *pos,
                           struct uk_of_flow_stats *out);

/* Entry i (< count) of a port list or of a table/port/queue stats list. */
void uk_of_ports_get(const struct uk_of_ports *p, size_t i,
                     struct uk_of_port *out);
void uk_of_table_stats_get(const struct uk_of_stats_list *l, size_t i,
                           struct uk_of_table_stats *out);
void uk_of_port_stats_get(const struct uk_of_stats_list *l, size_t i,
                          struct uk_of_port_stats *out);
void uk_of_queue_stats_get(const struct uk_of_stats_list *l, size_t i,
                           struct uk_of_queue_stats *out);

/* The name of a message type ("FLOW_MOD"), for logs; never NULL. */
const char *uk_of_type_name(unsigned type);

#endif
