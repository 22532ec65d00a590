/*
 * of_switch.h - the OpenFlow 1.0 switch appliance: a datapath over N raw
 * network devices (ports 1..N) with one flow table (priorities,
 * wildcards, idle/hard timeouts, counters), table misses sent to the
 * controller with the packet buffered, every action of OpenFlow 1.0, the
 * stats a controller asks for, and fail-standalone MAC learning while no
 * controller is connected.  Portable: NETWORK, TCPV4, TIME, CONSOLE only;
 * no allocation (everything is in struct ofs, caller-owned).
 */
#ifndef OF_SWITCH_H
#define OF_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/network.h>
#include <uk/openflow_conn.h>
#include <uk/openflow_match.h>
#include <uk/tcpv4.h>
#include <uk/time.h>

#define OFS_MAX_PORTS 8
#define OFS_FLOWS 1024         /* flow table entries */
#define OFS_ACTIONS_MAX 128    /* bytes of actions per flow */
#define OFS_BUFFERS 128        /* packets held for the controller */
#define OFS_FRAME_MAX 1522     /* largest frame: 1500 + 14 + a VLAN tag */
#define OFS_MACS 256           /* standalone learning table */
#define OFS_MGMT 2             /* management connections (--listen) */

struct ofs_config {
    struct uk_ipv4_ep controller; /* port 0: no controller (standalone) */
    uint64_t datapath_id;         /* 0: from the first port's MAC */
    uint64_t echo_interval_ns;    /* 0: the library's default */
    uint16_t listen_port;         /* management connections (ovs-ofctl),
                                     0: none */
};

struct ofs_flow {
    bool used;
    struct uk_of_match match; /* normalized */
    uint16_t priority, idle_timeout, hard_timeout, flags;
    uint64_t cookie, packets, bytes;
    uint64_t created_ns, used_ns;
    uint8_t actions[OFS_ACTIONS_MAX]; /* wire form, validated */
    uint16_t actions_len;
};

struct ofs;

struct ofs_port {
    struct ofs *sw;
    struct uk_network *dev;
    uint16_t no;
    struct uk_mac mac;
    char name[UK_OFP_PORT_NAME_LEN + 1];
    uint32_t config; /* UK_OFPPC_* set by port-mod */
    uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped;
};

struct ofs_buffer {
    uint32_t id; /* (generation << 8) | index; 0 when free */
    uint16_t in_port;
    size_t len;
    uint8_t frame[OFS_FRAME_MAX];
};

struct ofs_mac {
    struct uk_mac mac;
    uint16_t port;
    uint64_t seen_ns;
};

/* A management connection: requests are answered on it, but packet-ins
 * and flow-removed go to the controller only. */
struct ofs_mgmt {
    struct uk_of_conn conn;
    struct ofs *sw;
    bool used;
};

struct ofs {
    struct uk_console *con;
    struct uk_time *time;
    struct uk_tcpv4 *tcp; /* NULL: standalone only */
    struct ofs_config cfg;
    struct ofs_port ports[OFS_MAX_PORTS];
    unsigned nports;
    struct ofs_flow flows[OFS_FLOWS];
    struct ofs_buffer buffers[OFS_BUFFERS];
    uint32_t buffer_gen;
    unsigned next_buffer;
    struct ofs_mac macs[OFS_MACS];
    uint16_t miss_send_len, config_flags;
    uint64_t lookups, matched;
    /* the controller connection */
    struct uk_of_conn conn;
    bool connecting, connected, conn_live;
    uint64_t backoff_ns;
    struct uk_timer reconnect, expiry;
    struct ofs_mgmt mgmt[OFS_MGMT];
    uint8_t scratch[OFS_FRAME_MAX + 4]; /* the frame actions work on */
    uint8_t msgbuf[UK_OFP_MAX_MSG];     /* replies being built */
};

/*
 * ofs_start(sw, con, time, tcp, devs, n, cfg): takes the n devices
 * (BORROWED for sw's lifetime) as ports 1..n, listens on them, starts the
 * flow expiry timer and, when cfg->controller.port is not 0, connects to
 * the controller over tcp (reconnecting with backoff); with
 * cfg->listen_port, accepts up to OFS_MGMT management connections there
 * (ovs-ofctl and the like).  Returns 0, UK_EINVAL (n out of
 * 1..OFS_MAX_PORTS) or the listen error.
 */
int ofs_start(struct ofs *sw, struct uk_console *con, struct uk_time *time,
              struct uk_tcpv4 *tcp, struct uk_network *const *devs,
              unsigned n, const struct ofs_config *cfg);

/* Serves a controller on an already connected flow (CONSUMED); what
 * ofs_start's connect does, and what tests use with in-process flows. */
void ofs_attach(struct ofs *sw, struct uk_flow *flow);

/* Internal, between the switch's files. */
void uk__ofs_rx(struct ofs *sw, struct ofs_port *in, const uint8_t *frame,
                size_t len);
int uk__ofs_apply(struct ofs *sw, uint16_t in_port, const uint8_t *frame,
                  size_t len, const uint8_t *actions, size_t alen,
                  bool from_table);
void uk__ofs_message(struct ofs *sw, struct uk_of_conn *from,
                     const struct uk_of_msg *m, const uint8_t *raw,
                     size_t len);
void uk__ofs_stats(struct ofs *sw, struct uk_of_conn *from,
                   const struct uk_of_msg *m, const uint8_t *raw, size_t len);
int uk__ofs_flow_mod(struct ofs *sw, const struct uk_of_flow_mod *fm,
                     struct uk_of_err *err);
struct ofs_flow *uk__ofs_lookup(struct ofs *sw, const struct uk_of_match *pkt);
void uk__ofs_expire(void *arg);
void uk__ofs_packet_in(struct ofs *sw, uint16_t in_port, const uint8_t *frame,
                       size_t len, uint8_t reason, uint16_t max_len);
void uk__ofs_standalone(struct ofs *sw, uint16_t in_port,
                        const uint8_t *frame, size_t len);
int uk__ofs_check_actions(const struct ofs *sw, const struct uk_of_actions *a,
                          struct uk_of_err *err);
void uk__ofs_send(struct ofs *sw, const struct uk_of_msg *m);

#endif
