/*
 * arpv4.c - ARP for IPv4 over Ethernet (RFC 826): the cache, resolution
 * with a bounded pending queue, and replies for our addresses.  The policy
 * is described in uk/tcpip/arpv4.h.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/tcpip/arpv4.h>

#include "util.h"

enum { FREE, PENDING, RESOLVED, FAILED };

#define OP_REQUEST 1
#define OP_REPLY 2

static const struct uk_mac bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static struct uk_tcpip_arpv4 *from_base(struct uk_arpv4 *self)
{
    return UK_CONTAINER_OF(self, struct uk_tcpip_arpv4, base);
}

static bool is_ours(const struct uk_tcpip_arpv4 *a, struct uk_ipv4_addr ip)
{
    unsigned i;
    for (i = 0; i < a->naddrs; i++)
        if (uk_ipv4_eq(a->addrs[i], ip))
            return true;
    return false;
}

/* Sends an ARP packet with the given fields to the Ethernet address eth. */
static int send_arp(struct uk_tcpip_arpv4 *a, uint16_t op,
                    const struct uk_mac *eth, struct uk_ipv4_addr spa,
                    const struct uk_mac *tha, struct uk_ipv4_addr tpa)
{
    struct uk_buf *b = NULL;
    uint8_t *p;
    int rc = uk_ethif_alloc(a->eth, 0, UK_ARP_PKT_LEN, &b);
    if (rc == 0) {
        p = uk_buf_put(b, UK_ARP_PKT_LEN);
        uk_store_be16(p, 1);                   /* hardware: Ethernet */
        uk_store_be16(p + 2, UK_ETHERTYPE_IPV4); /* protocol: IPv4 */
        p[4] = 6;
        p[5] = 4;
        uk_store_be16(p + 6, op);
        memcpy(p + 8, a->mac.b, 6);
        uk_store_be32(p + 14, spa.v);
        memcpy(p + 18, tha->b, 6);
        uk_store_be32(p + 24, tpa.v);
        rc = uk_ethif_output(a->eth, eth, UK_ETHERTYPE_ARP, b);
    }
    if (rc != 0)
        a->stats.tx_errors++;
    else if (op == OP_REQUEST)
        a->stats.tx_requests++;
    else
        a->stats.tx_replies++;
    return rc;
}

/* A who-has for ip, from our first address (0.0.0.0 if we have none). */
static void send_request(struct uk_tcpip_arpv4 *a, struct uk_ipv4_addr ip)
{
    static const struct uk_mac zero = {{0, 0, 0, 0, 0, 0}};
    struct uk_ipv4_addr spa = a->naddrs > 0 ? a->addrs[0] : uk_ipv4_any();
    send_arp(a, OP_REQUEST, &bcast, spa, &zero, ip);
}

static struct uk_tcpip_arp_entry *lookup(struct uk_tcpip_arpv4 *a,
                                         struct uk_ipv4_addr ip)
{
    size_t i;
    for (i = 0; i < UK_TCPIP_ARP_ENTRIES; i++)
        if (a->entries[i].state != FREE && uk_ipv4_eq(a->entries[i].ip, ip))
            return &a->entries[i];
    return NULL;
}

static void entry_release(struct uk_tcpip_arp_entry *en)
{
    uk_time_cancel(en->arp->time, &en->timer);
    uk_bufq_clear(&en->queue);
    en->state = FREE;
}

static void entry_timeout(void *arg);

/* A free entry for ip, replacing the least recently used resolved or
 * failed one when the table is full; NULL if every entry is resolving. */
static struct uk_tcpip_arp_entry *entry_new(struct uk_tcpip_arpv4 *a,
                                            struct uk_ipv4_addr ip)
{
    struct uk_tcpip_arp_entry *victim = NULL;
    size_t i;
    for (i = 0; i < UK_TCPIP_ARP_ENTRIES; i++) {
        struct uk_tcpip_arp_entry *en = &a->entries[i];
        if (en->state == FREE) {
            victim = en;
            break;
        }
        if (en->state != PENDING &&
            (victim == NULL || en->used_ns < victim->used_ns))
            victim = en;
    }
    if (victim == NULL)
        return NULL;
    if (victim->state != FREE) {
        a->stats.evicted++;
        entry_release(victim);
    }
    victim->ip = ip;
    victim->tries = 0;
    victim->used_ns = uk_time_now_ns(a->time);
    uk_bufq_init(&victim->queue);
    return victim;
}

/* Records mac for en, marks it resolved and sends what was waiting. */
static void entry_resolve(struct uk_tcpip_arp_entry *en,
                          const struct uk_mac *mac)
{
    struct uk_tcpip_arpv4 *a = en->arp;
    struct uk_buf *b;
    en->mac = *mac;
    en->state = RESOLVED;
    en->used_ns = uk_time_now_ns(a->time);
    uk_time_after(a->time, &en->timer, UK_TCPIP_ARP_TTL_NS, entry_timeout, en);
    while ((b = uk_bufq_pop(&en->queue)) != NULL)
        uk_ethif_output(a->eth, &en->mac, UK_ETHERTYPE_IPV4, b);
}

static void entry_timeout(void *arg)
{
    struct uk_tcpip_arp_entry *en = (struct uk_tcpip_arp_entry *)arg;
    struct uk_tcpip_arpv4 *a = en->arp;
    if (en->state != PENDING) {
        entry_release(en); /* resolved entry expired, or hold over */
        return;
    }
    if (en->tries < UK_TCPIP_ARP_TRIES) {
        en->tries++;
        send_request(a, en->ip);
        uk_time_after(a->time, &en->timer, UK_TCPIP_ARP_RETRY_NS,
                      entry_timeout, en);
        return;
    }
    a->stats.resolve_failed++;
    a->stats.pending_failed += en->queue.count;
    uk_bufq_clear(&en->queue);
    en->state = FAILED;
    uk_time_after(a->time, &en->timer, UK_TCPIP_ARP_FAIL_HOLD_NS,
                  entry_timeout, en);
}

/* Starts resolving ip; NULL when no entry could be had. */
static struct uk_tcpip_arp_entry *start_resolve(struct uk_tcpip_arpv4 *a,
                                                struct uk_ipv4_addr ip)
{
    struct uk_tcpip_arp_entry *en = entry_new(a, ip);
    if (en == NULL)
        return NULL;
    en->state = PENDING;
    en->tries = 1;
    send_request(a, ip);
    uk_time_after(a->time, &en->timer, UK_TCPIP_ARP_RETRY_NS, entry_timeout,
                  en);
    return en;
}

static const char *arp_id(struct uk_arpv4 *self)
{
    UK_UNUSED(self);
    return "tcpip-arpv4";
}

static void arp_disconnect(struct uk_arpv4 *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_arpv4 *a = from_base(self);
    size_t i;
    uk_ethif_set_handler(a->eth, UK_ETHERTYPE_ARP, NULL, NULL);
    for (i = 0; i < UK_TCPIP_ARP_ENTRIES; i++)
        entry_release(&a->entries[i]);
    uk__defer_done(a->time, &a->done_timer, cb, arg);
}

static int arp_output(struct uk_arpv4 *self, struct uk_ipv4_addr next_hop,
                      struct uk_buf *pkt)
{
    struct uk_tcpip_arpv4 *a = from_base(self);
    struct uk_tcpip_arp_entry *en;
    if (next_hop.v == 0xffffffffu)
        return uk_ethif_output(a->eth, &bcast, UK_ETHERTYPE_IPV4, pkt);
    en = lookup(a, next_hop);
    if (en == NULL)
        en = start_resolve(a, next_hop);
    if (en == NULL || (en->state == PENDING &&
                       en->queue.count >= UK_TCPIP_ARP_PENDING)) {
        a->stats.pending_overflow++;
        uk_buf_free(pkt);
        return UK_ENOBUFS;
    }
    if (en->state == FAILED) {
        uk_buf_free(pkt);
        return UK_EHOSTUNREACH;
    }
    if (en->state == PENDING) {
        uk_bufq_push(&en->queue, pkt);
        return 0;
    }
    en->used_ns = uk_time_now_ns(a->time);
    return uk_ethif_output(a->eth, &en->mac, UK_ETHERTYPE_IPV4, pkt);
}

static int arp_query(struct uk_arpv4 *self, struct uk_ipv4_addr ip,
                     struct uk_mac *out)
{
    struct uk_tcpip_arpv4 *a = from_base(self);
    struct uk_tcpip_arp_entry *en;
    if (ip.v == 0xffffffffu) {
        *out = bcast;
        return 0;
    }
    en = lookup(a, ip);
    if (en == NULL) {
        start_resolve(a, ip);
        return UK_EAGAIN;
    }
    if (en->state == FAILED)
        return UK_EHOSTUNREACH;
    if (en->state == PENDING)
        return UK_EAGAIN;
    en->used_ns = uk_time_now_ns(a->time);
    *out = en->mac;
    return 0;
}

static int arp_add_address(struct uk_arpv4 *self, struct uk_ipv4_addr ip)
{
    static const struct uk_mac zero = {{0, 0, 0, 0, 0, 0}};
    struct uk_tcpip_arpv4 *a = from_base(self);
    if (is_ours(a, ip))
        return UK_EEXIST;
    if (a->naddrs >= UK_TCPIP_ARP_ADDRS)
        return UK_ELIMIT;
    a->addrs[a->naddrs++] = ip;
    /* Gratuitous ARP: a request for our own address, from it. */
    send_arp(a, OP_REQUEST, &bcast, ip, &zero, ip);
    return 0;
}

static int arp_remove_address(struct uk_arpv4 *self, struct uk_ipv4_addr ip)
{
    struct uk_tcpip_arpv4 *a = from_base(self);
    unsigned i;
    for (i = 0; i < a->naddrs; i++) {
        if (uk_ipv4_eq(a->addrs[i], ip)) {
            a->addrs[i] = a->addrs[--a->naddrs];
            return 0;
        }
    }
    return UK_ENOENT;
}

/* Applies the learning policy of uk/tcpip/arpv4.h to a valid packet. */
static void learn(struct uk_tcpip_arpv4 *a, const struct uk_mac *sha,
                  struct uk_ipv4_addr spa, struct uk_ipv4_addr tpa)
{
    struct uk_tcpip_arp_entry *en = lookup(a, spa);
    if (en != NULL && en->state != FAILED) {
        a->stats.updated++;
        entry_resolve(en, sha);
        return;
    }
    if (!is_ours(a, tpa)) {
        a->stats.ignored++;
        return;
    }
    if (en == NULL)
        en = entry_new(a, spa);
    if (en == NULL) {
        a->stats.ignored++;
        return;
    }
    a->stats.learned++;
    entry_resolve(en, sha);
}

static void arp_input(void *arg, const struct uk_mac *src, struct uk_buf *pkt)
{
    struct uk_tcpip_arpv4 *a = (struct uk_tcpip_arpv4 *)arg;
    const uint8_t *p = pkt->data;
    struct uk_mac sha;
    struct uk_ipv4_addr spa, tpa;
    uint16_t op;

    UK_UNUSED(src);
    a->stats.rx_packets++;
    if (pkt->len < UK_ARP_PKT_LEN || uk_load_be16(p) != 1 ||
        uk_load_be16(p + 2) != UK_ETHERTYPE_IPV4 || p[4] != 6 || p[5] != 4 ||
        ((op = uk_load_be16(p + 6)) != OP_REQUEST && op != OP_REPLY)) {
        a->stats.rx_malformed++;
        uk_buf_free(pkt);
        return;
    }
    memcpy(sha.b, p + 8, 6);
    spa.v = uk_load_be32(p + 14);
    tpa.v = uk_load_be32(p + 24);
    uk_buf_free(pkt);
    if (uk_mac_is_multicast(&sha) || spa.v == 0xffffffffu ||
        (spa.v >> 28) == 0xe) {
        a->stats.rx_malformed++;
        return;
    }
    if (op == OP_REQUEST)
        a->stats.rx_requests++;
    else
        a->stats.rx_replies++;
    if (is_ours(a, spa)) {
        a->stats.conflicts++;
        return;
    }
    if (spa.v != 0)
        learn(a, &sha, spa, tpa);
    if (op == OP_REQUEST && is_ours(a, tpa))
        send_arp(a, OP_REPLY, &sha, tpa, &sha, spa);
}

static const struct uk_arpv4_ops arp_ops = {
    .id = arp_id,
    .disconnect = arp_disconnect,
    .output = arp_output,
    .query = arp_query,
    .add_address = arp_add_address,
    .remove_address = arp_remove_address,
};

int uk_tcpip_arpv4_init(struct uk_tcpip_arpv4 *a, struct uk_ethif *eth,
                        struct uk_time *time)
{
    size_t i;
    memset(a, 0, sizeof *a);
    a->base.ops = &arp_ops;
    a->eth = eth;
    a->time = time;
    uk_ethif_mac(eth, &a->mac);
    for (i = 0; i < UK_TCPIP_ARP_ENTRIES; i++) {
        a->entries[i].arp = a;
        a->entries[i].state = FREE;
        uk_bufq_init(&a->entries[i].queue);
    }
    return uk_ethif_set_handler(eth, UK_ETHERTYPE_ARP, arp_input, a);
}
