/*
 * xen_abi.h - the part of Xen's guest ABI uk uses, written from the
 * documented layouts of Xen's public interface (xen.h, vcpu.h, sched.h,
 * event_channel.h, hvm/params.h, hvm/hvm_op.h, memory.h, io/console.h).
 * The same numbers and layouts hold on x86-64, arm64 and arm32 (on arm,
 * xen_ulong_t is 64 bits for both), except vcpu_info and shared_info:
 * arm has no arch part in vcpu_info and one legacy vCPU (arch-arm.h).
 */
#ifndef UK_XEN_ABI_H
#define UK_XEN_ABI_H

#include <stdint.h>

/* Hypercall numbers. */
#define UK_XEN_HC_MEMORY_OP 12
#define UK_XEN_HC_XEN_VERSION 17
#define UK_XEN_HC_GRANT_TABLE_OP 20
#define UK_XEN_HC_VCPU_OP 24
#define UK_XEN_HC_SCHED_OP 29
#define UK_XEN_HC_EVENT_CHANNEL_OP 32
#define UK_XEN_HC_HVM_OP 34

#define UK_XEN_DOMID_SELF 0x7ff0u

/* sched_op commands and shutdown reasons. */
#define UK_XEN_SCHEDOP_YIELD 0
#define UK_XEN_SCHEDOP_BLOCK 1
#define UK_XEN_SCHEDOP_SHUTDOWN 2
#define UK_XEN_SHUTDOWN_POWEROFF 0
#define UK_XEN_SHUTDOWN_REBOOT 1
#define UK_XEN_SHUTDOWN_CRASH 3

struct uk_xen_sched_shutdown {
    uint32_t reason;
};

/* vcpu_op commands. */
#define UK_XEN_VCPUOP_SET_SINGLESHOT_TIMER 8
#define UK_XEN_VCPUOP_STOP_SINGLESHOT_TIMER 9
#define UK_XEN_SSHOTTMR_FUTURE 1u /* fail with -ETIME if already past */

struct uk_xen_singleshot {
    uint64_t timeout_abs_ns; /* Xen system time */
    uint32_t flags;
    uint32_t pad;
};

/* event_channel_op commands. */
#define UK_XEN_EVTCHNOP_BIND_VIRQ 1
#define UK_XEN_EVTCHNOP_CLOSE 3
#define UK_XEN_EVTCHNOP_SEND 4
#define UK_XEN_EVTCHNOP_ALLOC_UNBOUND 6
#define UK_XEN_EVTCHNOP_UNMASK 9

#define UK_XEN_VIRQ_TIMER 0

struct uk_xen_evtchn_bind_virq {
    uint32_t virq, vcpu; /* in */
    uint32_t port;       /* out */
};

struct uk_xen_evtchn_port {
    uint32_t port; /* for close, send, unmask */
};

struct uk_xen_evtchn_alloc_unbound {
    uint16_t dom, remote_dom; /* in */
    uint32_t port;            /* out */
};

/* hvm_op commands and parameters. */
#define UK_XEN_HVMOP_SET_PARAM 0
#define UK_XEN_HVMOP_GET_PARAM 1
#define UK_XEN_HVM_PARAM_CALLBACK_IRQ 0
#define UK_XEN_HVM_PARAM_STORE_PFN 1
#define UK_XEN_HVM_PARAM_STORE_EVTCHN 2
#define UK_XEN_HVM_PARAM_CONSOLE_PFN 17
#define UK_XEN_HVM_PARAM_CONSOLE_EVTCHN 18
/* CALLBACK_IRQ value: bits 63..56 = 2 selects "vector", bits 7..0 it. */
#define UK_XEN_HVM_CALLBACK_VECTOR(v) ((2ull << 56) | (uint64_t)(v))

struct uk_xen_hvm_param {
    uint16_t domid;
    uint16_t pad;
    uint32_t index;
    uint64_t value;
};

/* memory_op: map a Xen-owned page (shared_info, grant frames) at a gfn. */
#define UK_XEN_MEMOP_ADD_TO_PHYSMAP 7
#define UK_XEN_MAPSPACE_SHARED_INFO 0
#define UK_XEN_MAPSPACE_GRANT_TABLE 1

struct uk_xen_add_to_physmap {
    uint16_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};

/* Per-vCPU system time (version is odd while Xen updates it). */
struct uk_xen_vcpu_time {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time; /* ns at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};

struct uk_xen_vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad[6];
    uint64_t evtchn_pending_sel;
#if defined(__x86_64__)
    uint64_t arch[2]; /* x86: cr2, pad; arm: empty */
#endif
    struct uk_xen_vcpu_time time; /* arm: not maintained by Xen */
};

#if defined(__x86_64__)
#define UK_XEN_LEGACY_MAX_VCPUS 32
#define UK_XEN_VCPU_INFO_SIZE 64
#else
#define UK_XEN_LEGACY_MAX_VCPUS 1
#define UK_XEN_VCPU_INFO_SIZE 48
#endif
#define UK_XEN_NR_EVTCHN_WORDS 64 /* 2-level ABI: 4096 ports */

/* The shared_info page (its arch part, unused, is left out). */
struct uk_xen_shared_info {
    struct uk_xen_vcpu_info vcpu_info[UK_XEN_LEGACY_MAX_VCPUS];
    uint64_t evtchn_pending[UK_XEN_NR_EVTCHN_WORDS];
    uint64_t evtchn_mask[UK_XEN_NR_EVTCHN_WORDS];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    /* arch_shared_info follows; unused. */
};

/* The PV console ring page (io/console.h). */
#define UK_XEN_CONS_IN_SIZE 1024u
#define UK_XEN_CONS_OUT_SIZE 2048u
struct uk_xen_cons_ring {
    char in[UK_XEN_CONS_IN_SIZE];
    char out[UK_XEN_CONS_OUT_SIZE];
    uint32_t in_cons, in_prod;
    uint32_t out_cons, out_prod;
};


/* sched_op poll: block until one of the ports is pending (even masked)
 * or until timeout (system time, 0 = none). */
#define UK_XEN_SCHEDOP_POLL 3
struct uk_xen_sched_poll {
    uint64_t ports; /* guest pointer to uint32_t ports[] */
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout;
};

/* The xenstore ring page (io/xs_wire.h). */
#define UK_XEN_XS_RING_SIZE 1024u
#define UK_XEN_XS_PAYLOAD_MAX 4096u
struct uk_xen_xs_ring {
    char req[UK_XEN_XS_RING_SIZE];
    char rsp[UK_XEN_XS_RING_SIZE];
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
};

/* A xenstore message header; len bytes of payload follow. */
struct uk_xen_xs_msg {
    uint32_t type;
    uint32_t req_id;
    uint32_t tx_id;
    uint32_t len;
};

enum uk_xen_xs_type {
    UK_XEN_XS_DIRECTORY = 1,
    UK_XEN_XS_READ = 2,
    UK_XEN_XS_WATCH = 4,
    UK_XEN_XS_UNWATCH = 5,
    UK_XEN_XS_TRANSACTION_START = 6,
    UK_XEN_XS_TRANSACTION_END = 7,
    UK_XEN_XS_GET_DOMAIN_PATH = 10,
    UK_XEN_XS_WRITE = 11,
    UK_XEN_XS_MKDIR = 12,
    UK_XEN_XS_RM = 13,
    UK_XEN_XS_WATCH_EVENT = 15,
    UK_XEN_XS_ERROR = 16
};


/* Grant tables, version 1 (grant_table.h). */
#define UK_XEN_GNTTABOP_QUERY_SIZE 6
#define UK_XEN_GTF_PERMIT_ACCESS 0x1
#define UK_XEN_GTF_READONLY 0x4
#define UK_XEN_GTF_READING 0x8
#define UK_XEN_GTF_WRITING 0x10
#define UK_XEN_GNTTAB_RESERVED 8 /* refs 0..7: toolstack (console, store) */

struct uk_xen_grant_v1 {
    uint16_t flags;
    uint16_t domid;
    uint32_t frame;
};

struct uk_xen_gnttab_query_size {
    uint16_t dom;
    uint16_t pad;
    uint32_t nr_frames;     /* out */
    uint32_t max_nr_frames; /* out */
    int16_t status;         /* out */
    uint16_t pad2;
};


/* XenbusState values (io/xenbus.h). */
enum uk_xen_bus_state {
    UK_XEN_BUS_UNKNOWN = 0,
    UK_XEN_BUS_INITIALISING = 1,
    UK_XEN_BUS_INIT_WAIT = 2,
    UK_XEN_BUS_INITIALISED = 3,
    UK_XEN_BUS_CONNECTED = 4,
    UK_XEN_BUS_CLOSING = 5,
    UK_XEN_BUS_CLOSED = 6,
    UK_XEN_BUS_RECONFIGURING = 7,
    UK_XEN_BUS_RECONFIGURED = 8
};

/* Shared rings (io/ring.h): a 64-byte header, then a power-of-two array of
 * request/response slots filling the rest of one page. */
struct uk_xen_sring_hdr {
    uint32_t req_prod, req_event;
    uint32_t rsp_prod, rsp_event;
    uint8_t pad[48];
};

/* Network rings (io/netif.h).  A slot holds a request or its response. */
struct uk_xen_netif_tx_req {
    uint32_t gref;
    uint16_t offset;
    uint16_t flags;
    uint16_t id;
    uint16_t size;
};
struct uk_xen_netif_tx_rsp {
    uint16_t id;
    int16_t status;
};
union uk_xen_netif_tx_slot {
    struct uk_xen_netif_tx_req req;
    struct uk_xen_netif_tx_rsp rsp;
};
struct uk_xen_netif_rx_req {
    uint16_t id;
    uint16_t pad;
    uint32_t gref;
};
struct uk_xen_netif_rx_rsp {
    uint16_t id;
    uint16_t offset;
    uint16_t flags;
    int16_t status; /* > 0: bytes; <= 0: error */
};
union uk_xen_netif_rx_slot {
    struct uk_xen_netif_rx_req req;
    struct uk_xen_netif_rx_rsp rsp;
};
#define UK_XEN_NETIF_RING 256 /* slots in one page, for both rings */
#define UK_XEN_NETRXF_MORE_DATA 0x4
#define UK_XEN_NETRXF_EXTRA_INFO 0x8

struct uk_xen_netif_tx_sring {
    struct uk_xen_sring_hdr h;
    union uk_xen_netif_tx_slot ring[UK_XEN_NETIF_RING];
};
struct uk_xen_netif_rx_sring {
    struct uk_xen_sring_hdr h;
    union uk_xen_netif_rx_slot ring[UK_XEN_NETIF_RING];
};

/* Compile-time layout checks (C99: a negative array size fails). */
#define UK_XEN_ABI_CHECK(name, cond) typedef char uk__xen_chk_##name[(cond) ? 1 : -1]
UK_XEN_ABI_CHECK(vcpu_time, sizeof(struct uk_xen_vcpu_time) == 32);
UK_XEN_ABI_CHECK(vcpu_info,
                 sizeof(struct uk_xen_vcpu_info) == UK_XEN_VCPU_INFO_SIZE);
UK_XEN_ABI_CHECK(shared_info_wc,
                 sizeof(struct uk_xen_shared_info) ==
                     UK_XEN_LEGACY_MAX_VCPUS * UK_XEN_VCPU_INFO_SIZE + 1024 + 16);
UK_XEN_ABI_CHECK(hvm_param, sizeof(struct uk_xen_hvm_param) == 16);
UK_XEN_ABI_CHECK(physmap, sizeof(struct uk_xen_add_to_physmap) == 24);
UK_XEN_ABI_CHECK(sched_poll, sizeof(struct uk_xen_sched_poll) == 24);
UK_XEN_ABI_CHECK(grant_v1, sizeof(struct uk_xen_grant_v1) == 8);
UK_XEN_ABI_CHECK(gnt_query, sizeof(struct uk_xen_gnttab_query_size) == 16);
UK_XEN_ABI_CHECK(sring_hdr, sizeof(struct uk_xen_sring_hdr) == 64);
UK_XEN_ABI_CHECK(tx_slot, sizeof(union uk_xen_netif_tx_slot) == 12);
UK_XEN_ABI_CHECK(rx_slot, sizeof(union uk_xen_netif_rx_slot) == 8);
UK_XEN_ABI_CHECK(tx_sring, sizeof(struct uk_xen_netif_tx_sring) <= 4096);
UK_XEN_ABI_CHECK(rx_sring, sizeof(struct uk_xen_netif_rx_sring) <= 4096);
UK_XEN_ABI_CHECK(xs_ring, sizeof(struct uk_xen_xs_ring) == 2064);

#endif
