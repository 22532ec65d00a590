/*
 * of_controller.h - the OpenFlow 1.0 learning-switch controller: accepts
 * switches (a bounded table), learns MAC -> port per switch from
 * packet-ins, installs flows matching in_port + dl_src + dl_dst with an
 * idle timeout (releasing the buffered packet through the flow-mod's
 * buffer_id), floods unknown and multicast destinations with packet-out,
 * and forgets the MACs of ports that go down.  Portable: FLOW, TCPV4,
 * TIME and CONSOLE only, no allocation.
 */
#ifndef OF_CONTROLLER_H
#define OF_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/openflow_conn.h>
#include <uk/tcpv4.h>
#include <uk/time.h>

#define OFC_MAX_SWITCHES 16 /* more connections are closed on arrival */
#define OFC_MAC_ENTRIES 256 /* learned MACs per switch (oldest replaced) */
#define OFC_PRIORITY 0x8000 /* of the flows installed */

struct ofc_config {
    uint16_t port;             /* TCP port to listen on */
    uint16_t idle_timeout;     /* seconds, of installed flows (0: none) */
    uint16_t hard_timeout;     /* seconds (0: none) */
    uint64_t echo_interval_ns; /* keep-alive (0: the library's default) */
    bool verbose;              /* a line per installed flow */
};

struct ofc_mac {
    struct uk_mac mac;
    uint16_t port;
    bool used;
    uint64_t seen_ns;
};

struct ofc;

struct ofc_switch {
    struct uk_of_conn conn;
    struct ofc *ctl;
    bool used, known;  /* slot taken; features reply seen */
    uint64_t dpid;
    unsigned nports;
    char peer[UK_IPV4_EP_STRLEN];
    struct ofc_mac macs[OFC_MAC_ENTRIES];
    unsigned long packet_ins, flows, floods;
};

struct ofc {
    struct uk_console *con;
    struct uk_time *time;
    struct ofc_config cfg;
    struct ofc_switch sw[OFC_MAX_SWITCHES];
    unsigned long accepted, refused;
};

/* Prepares c (caller-owned storage); con, time and cfg are BORROWED for
 * c's lifetime (cfg is copied). */
void ofc_init(struct ofc *c, struct uk_console *con, struct uk_time *time,
              const struct ofc_config *cfg);

/* Listens on cfg->port of tcp.  Returns 0 or the listen error (logged). */
int ofc_listen(struct ofc *c, struct uk_tcpv4 *tcp);

/* Serves a connected switch on flow (CONSUMED: closed when the switch goes
 * away, or at once when the table is full).  Used by ofc_listen's accept
 * callback, and by tests over in-process flows. */
void ofc_attach(struct ofc *c, struct uk_flow *flow);

/* The switch with datapath id dpid, or NULL (for tests and logs). */
struct ofc_switch *ofc_find(struct ofc *c, uint64_t dpid);

/* The port learned for mac on sw, or -1. */
int ofc_lookup(const struct ofc_switch *sw, const struct uk_mac *mac);

#endif
