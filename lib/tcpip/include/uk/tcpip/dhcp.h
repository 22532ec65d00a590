/*
 * uk/tcpip/dhcp.h - the DHCP client (RFC 2131, options of RFC 2132).
 *
 * The client obtains a lease for the interface whose uk_ipv4 layer it is
 * given, configures that layer with set_config (address, netmask, router)
 * and keeps the lease: it renews by unicast to the server at T1, rebinds
 * by broadcast at T2, and when the lease expires removes the address and
 * starts over.  It talks through a uk_udpv4 (client port 68 to server port
 * 67); the IPv4 layer must send to 255.255.255.255 from 0.0.0.0 and deliver
 * broadcast and unicast datagrams while unconfigured.
 *
 * Retransmissions back off exponentially (4, 8, 16, 32, 64 s) with up to a
 * second of random jitter either way; transaction ids come from the
 * uk_random.  If no lease is obtained within `fallback_after_ns`, the
 * client says so on the console and either configures the static fallback
 * address (and stops) or keeps trying.
 *
 * The application learns about the lease through one callback, run from
 * the event loop (never from inside uk_dhcp_start):
 *   UK_DHCP_BOUND     a new lease is configured;
 *   UK_DHCP_RENEWED   the lease was extended (same address);
 *   UK_DHCP_LOST      the lease expired or was refused: the address is
 *                     removed and the client is back to discovering;
 *   UK_DHCP_FALLBACK  no lease in time: the static fallback is configured.
 */
#ifndef UK_TCPIP_DHCP_H
#define UK_TCPIP_DHCP_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/ipv4.h>
#include <uk/random.h>
#include <uk/tcpip/dhcp_msg.h>
#include <uk/time.h>
#include <uk/udpv4.h>

/* A lease as granted by the server. */
struct uk_dhcp_lease {
    struct uk_ipv4_addr addr;
    struct uk_ipv4_addr netmask;
    struct uk_ipv4_addr router; /* 0.0.0.0: none offered */
    struct uk_ipv4_addr server; /* the server identifier */
    struct uk_ipv4_addr dns[UK_DHCP_MAX_DNS];
    unsigned ndns;
    uint32_t lease_s, t1_s, t2_s; /* UINT32_MAX lease_s: infinite */
    uint64_t start_ns;            /* when the granting request was sent */
};

enum uk_dhcp_event {
    UK_DHCP_BOUND = 1,
    UK_DHCP_RENEWED,
    UK_DHCP_LOST,
    UK_DHCP_FALLBACK
};

/* lease is BORROWED for the call (NULL for UK_DHCP_FALLBACK). */
typedef void (*uk_dhcp_event_cb)(void *arg, enum uk_dhcp_event ev,
                                 const struct uk_dhcp_lease *lease);

enum uk_dhcp_state {
    UK_DHCP_STOPPED = 0,
    UK_DHCP_INIT,
    UK_DHCP_SELECTING,
    UK_DHCP_REQUESTING,
    UK_DHCP_BOUND_STATE,
    UK_DHCP_RENEWING,
    UK_DHCP_REBINDING,
    UK_DHCP_FALLEN_BACK
};

struct uk_dhcp_config {
    struct uk_mac mac;        /* the interface's MAC (chaddr, client id) */
    const char *hostname;     /* option 12, or NULL; BORROWED while running */
    bool has_fallback;        /* configure `fallback` when no lease in time */
    struct uk_ipv4_config fallback;
    uint64_t fallback_after_ns; /* 0: 30 s */
};

/* Counters, for tests and logs. */
struct uk_dhcp_stats {
    uint32_t sent, received, rejected; /* rejected: malformed or not ours */
    uint32_t naks, leases, renewals, expiries;
};

/* The client's state: caller-owned storage, fields private. */
struct uk_dhcp {
    struct uk_udpv4 *udp;
    struct uk_ipv4 *ip;
    struct uk_time *time;
    struct uk_random *rnd;
    struct uk_console *con;
    struct uk_dhcp_config cfg;
    uk_dhcp_event_cb cb;
    void *cb_arg;
    enum uk_dhcp_state state;
    uint32_t xid;
    unsigned attempts;   /* transmissions of the current message */
    uint64_t begin_ns;   /* start of the current exchange (secs field) */
    uint64_t request_ns; /* when the current REQUEST was first sent */
    struct uk_dhcp_lease lease;   /* the current lease (valid when bound) */
    struct uk_dhcp_lease offered; /* the offer being requested */
    bool bound_once;              /* a lease was ever obtained */
    bool listening;               /* port 68 is ours */
    bool fallback_reported;
    struct uk_timer retx;     /* retransmission / restart */
    struct uk_timer t1, t2, expiry;
    struct uk_timer fallback; /* "no lease yet" deadline */
    struct uk_dhcp_stats stats;
    uint8_t msg[UK_DHCP_MAX_LEN];
};

/*
 * uk_dhcp_init(d, udp, ip, time, rnd, con, cfg, cb, arg): prepares the
 * client in caller storage d.  udp, ip, time, rnd and con (may be NULL: no
 * messages) are BORROWED until uk_dhcp_stop; cfg is copied (its hostname
 * string is BORROWED).  cb may be NULL.  Does not send anything.
 */
void uk_dhcp_init(struct uk_dhcp *d, struct uk_udpv4 *udp, struct uk_ipv4 *ip,
                  struct uk_time *time, struct uk_random *rnd,
                  struct uk_console *con, const struct uk_dhcp_config *cfg,
                  uk_dhcp_event_cb cb, void *arg);

/*
 * Starts discovering (the first DISCOVER is sent from the event loop).
 * Returns 0, UK_EBUSY (already running), or uk_udpv4_listen's error for
 * port 68 (e.g. UK_EADDRINUSE).
 */
int uk_dhcp_start(struct uk_dhcp *d);

/* Stops the client: timers cancelled, port 68 released, no callback runs
 * afterwards.  The configured address is left as it is.  Harmless when
 * stopped. */
void uk_dhcp_stop(struct uk_dhcp *d);

/* The current lease, or NULL when not bound (BORROWED: valid until the
 * next event). */
const struct uk_dhcp_lease *uk_dhcp_lease(const struct uk_dhcp *d);

static inline enum uk_dhcp_state uk_dhcp_state(const struct uk_dhcp *d)
{
    return d->state;
}

/* A name for a state, for logs. */
const char *uk_dhcp_state_name(enum uk_dhcp_state s);

#endif
