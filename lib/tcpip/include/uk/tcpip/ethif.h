/*
 * uk/tcpip/ethif.h - the direct stack's Ethernet layer: implements ETHIF
 * (uk/ethif.h) over one NETWORK.
 *
 * Input: frames shorter than the Ethernet header (runts), frames for
 * another unicast MAC, VLAN-tagged frames (0x8100) and ethertypes without
 * a handler are dropped (freed) and counted.  Broadcast and multicast
 * frames are accepted.  The layer never holds a frame: each one is either
 * handed to a handler (which consumes it) or freed before input returns.
 */
#ifndef UK_TCPIP_ETHIF_H
#define UK_TCPIP_ETHIF_H

#include <stdint.h>

#include <uk/ethif.h>
#include <uk/network.h>
#include <uk/time.h>

/* Ethertypes one ethif can route (ARP, IPv4, and spares). */
#ifndef UK_TCPIP_ETHIF_HANDLERS
#define UK_TCPIP_ETHIF_HANDLERS 4
#endif

struct uk_tcpip_ethif_stats {
    uint64_t rx_frames;       /* frames received from the network */
    uint64_t rx_delivered;    /* handed to a handler */
    uint64_t rx_runt;         /* shorter than 14 bytes */
    uint64_t rx_other_mac;    /* unicast for another MAC */
    uint64_t rx_vlan;         /* 802.1Q tagged */
    uint64_t rx_unknown_type; /* no handler for the ethertype */
    uint64_t tx_frames;       /* accepted by the network */
    uint64_t tx_errors;       /* network send (or copy) failed */
    uint64_t tx_copied;       /* payload lacked headroom: copied */
};

struct uk_tcpip_ethif_handler {
    uint16_t ethertype;
    uk_ethif_rx_cb cb; /* NULL: free slot */
    void *arg;
};

struct uk_tcpip_ethif {
    struct uk_ethif base; /* implements ETHIF: pass &e->base */
    struct uk_network *net;
    struct uk_time *time;
    struct uk_mac mac;
    struct uk_tcpip_ethif_handler handlers[UK_TCPIP_ETHIF_HANDLERS];
    struct uk_tcpip_ethif_stats stats;
    struct uk_timer done_timer; /* defers the disconnect callback */
    uk_done_cb done_cb;
    void *done_arg;
};

/*
 * Initialises e over net (BORROWED for e's lifetime) and registers e as
 * net's receive listener.  time (BORROWED) defers the disconnect callback.
 * Disconnecting e stops delivery from net but does not disconnect net.
 * Returns 0 or the error of uk_network_listen.
 */
int uk_tcpip_ethif_init(struct uk_tcpip_ethif *e, struct uk_network *net,
                        struct uk_time *time);

#endif
