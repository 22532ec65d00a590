/*
 * ipv4.c - IPv4 input validation and demultiplexing, output with next-hop
 * selection and fragmentation, configuration (policy in uk/tcpip/ipv4.h).
 */
#include <string.h>

#include <uk/bytes.h>

#include "ipv4_internal.h"
#include "util.h"

#define BCAST 0xffffffffu
#define IP_MF 0x2000u
#define IP_DF 0x4000u
#define IP_OFFMASK 0x1fffu

static const struct uk_mac bcast_mac = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static struct uk_tcpip_ipv4 *from_base(struct uk_ipv4 *self)
{
    return UK_CONTAINER_OF(self, struct uk_tcpip_ipv4, base);
}

static bool is_multicast(struct uk_ipv4_addr a)
{
    return (a.v >> 28) == 0xe;
}

/* Whether a is the broadcast of our configured subnet. */
static bool is_subnet_bcast(const struct uk_tcpip_ipv4 *ip,
                            struct uk_ipv4_addr a)
{
    const struct uk_ipv4_config *c = &ip->cfg;
    /* /31 and /32 subnets have no broadcast address (RFC 3021). */
    return c->addr.v != 0 && c->netmask.v < 0xfffffffeu &&
           uk_ipv4_same_subnet(a, c->addr, c->netmask) &&
           (a.v | c->netmask.v) == BCAST;
}

bool uk__ipv4_is_group(const struct uk_tcpip_ipv4 *ip, struct uk_ipv4_addr dst)
{
    return dst.v == BCAST || is_multicast(dst) || is_subnet_bcast(ip, dst);
}

static const char *ipv4_id(struct uk_ipv4 *self)
{
    UK_UNUSED(self);
    return "tcpip-ipv4";
}

static void ipv4_disconnect(struct uk_ipv4 *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_ipv4 *ip = from_base(self);
    uk_ethif_set_handler(ip->eth, UK_ETHERTYPE_IPV4, NULL, NULL);
    uk__ipv4_reass_clear(ip);
    memset(ip->handlers, 0, sizeof ip->handlers);
    uk__defer_done(ip->time, &ip->done_timer, cb, arg);
}

static struct uk_tcpip_ipv4_handler *find_handler(struct uk_tcpip_ipv4 *ip,
                                                  uint8_t proto)
{
    size_t i;
    for (i = 0; i < UK_TCPIP_IPV4_HANDLERS; i++)
        if (ip->handlers[i].cb != NULL && ip->handlers[i].proto == proto)
            return &ip->handlers[i];
    return NULL;
}

static int ipv4_set_handler(struct uk_ipv4 *self, uint8_t proto,
                            uk_ipv4_rx_cb cb, void *arg)
{
    struct uk_tcpip_ipv4 *ip = from_base(self);
    struct uk_tcpip_ipv4_handler *h = find_handler(ip, proto);
    size_t i;
    if (h == NULL && cb == NULL)
        return 0;
    for (i = 0; h == NULL && i < UK_TCPIP_IPV4_HANDLERS; i++)
        if (ip->handlers[i].cb == NULL)
            h = &ip->handlers[i];
    if (h == NULL)
        return UK_ELIMIT;
    h->proto = proto;
    h->cb = cb;
    h->arg = arg;
    return 0;
}

static int ipv4_alloc(struct uk_ipv4 *self, size_t headroom, size_t len,
                      struct uk_buf **out)
{
    struct uk_tcpip_ipv4 *ip = from_base(self);
    struct uk_buf *b;
    if (len > UK_IPV4_MAX_PAYLOAD)
        return UK_EMSGSIZE;
    if (headroom + UK_IPV4_HLEN + len <= uk_ethif_mtu(ip->eth))
        return uk_ethif_alloc(ip->eth, headroom + UK_IPV4_HLEN, len, out);
    headroom += UK_IPV4_HLEN + UK_ETH_HLEN;
    if (headroom + len > UK_TCPIP_BIG_BUF_SIZE)
        return UK_EMSGSIZE;
    b = uk_bufpool_get(&ip->big, headroom);
    if (b == NULL)
        return UK_ENOBUFS;
    *out = b;
    return 0;
}

/* Writes a 20-byte header for `len` payload bytes at h. */
static void build_header(struct uk_tcpip_ipv4 *ip, uint8_t *h,
                         struct uk_ipv4_addr dst, uint8_t proto, size_t len,
                         uint16_t id, uint16_t frag)
{
    h[0] = 0x45;
    h[1] = 0;
    uk_store_be16(h + 2, (uint16_t)(UK_IPV4_HLEN + len));
    uk_store_be16(h + 4, id);
    uk_store_be16(h + 6, frag);
    h[8] = UK_TCPIP_IPV4_TTL;
    h[9] = proto;
    uk_store_be16(h + 10, 0);
    uk_store_be32(h + 12, ip->cfg.addr.v);
    uk_store_be32(h + 16, dst.v);
    uk_store_be16(h + 10, uk_inet_fold(uk_inet_sum(0, h, UK_IPV4_HLEN)));
}

/* The link-layer step: broadcast, multicast or through ARP to nh. */
static int send_frame(struct uk_tcpip_ipv4 *ip, struct uk_ipv4_addr dst,
                      struct uk_ipv4_addr nh, struct uk_buf *b)
{
    struct uk_mac m;
    if (dst.v == BCAST || is_subnet_bcast(ip, dst))
        return uk_ethif_output(ip->eth, &bcast_mac, UK_ETHERTYPE_IPV4, b);
    if (is_multicast(dst)) {
        m.b[0] = 0x01;
        m.b[1] = 0x00;
        m.b[2] = 0x5e;
        m.b[3] = (uint8_t)(dst.v >> 16 & 0x7f);
        m.b[4] = (uint8_t)(dst.v >> 8);
        m.b[5] = (uint8_t)dst.v;
        return uk_ethif_output(ip->eth, &m, UK_ETHERTYPE_IPV4, b);
    }
    return uk_arpv4_output(ip->arp, nh, b);
}

/* The next hop for dst; UK_ENETUNREACH when there is none. */
static int next_hop(struct uk_tcpip_ipv4 *ip, struct uk_ipv4_addr dst,
                    struct uk_ipv4_addr *nh)
{
    const struct uk_ipv4_config *c = &ip->cfg;
    *nh = dst;
    if (dst.v == BCAST)
        return 0;
    if (c->addr.v == 0 || dst.v == 0)
        return UK_ENETUNREACH;
    if (is_multicast(dst) || uk_ipv4_same_subnet(dst, c->addr, c->netmask))
        return 0;
    if (c->gateway.v == 0)
        return UK_ENETUNREACH;
    *nh = c->gateway;
    return 0;
}

/* Sends payload (CONSUMED) as fragments of at most the link MTU. */
static int fragment(struct uk_tcpip_ipv4 *ip, struct uk_ipv4_addr dst,
                    struct uk_ipv4_addr nh, uint8_t proto, struct uk_buf *p)
{
    size_t mtu = uk_ethif_mtu(ip->eth);
    size_t chunk, off;
    uint16_t id;
    int rc = 0;
    if (mtu < UK_IPV4_HLEN + 8) { /* no room for one 8-byte fragment */
        uk_buf_free(p);
        return UK_EMSGSIZE;
    }
    chunk = (mtu - UK_IPV4_HLEN) & ~(size_t)7;
    id = ip->next_id++;
    for (off = 0; off < p->len && rc == 0; off += chunk) {
        size_t n = p->len - off < chunk ? p->len - off : chunk;
        uint16_t frag = (uint16_t)(off / 8);
        struct uk_buf *f = NULL;
        if (off + n < p->len)
            frag |= IP_MF;
        rc = uk_ethif_alloc(ip->eth, UK_IPV4_HLEN, n, &f);
        if (rc != 0)
            break;
        memcpy(uk_buf_put(f, n), p->data + off, n);
        build_header(ip, uk_buf_push(f, UK_IPV4_HLEN), dst, proto, n, id,
                     frag);
        rc = send_frame(ip, dst, nh, f);
        if (rc == 0)
            ip->stats.tx_fragments++;
    }
    uk_buf_free(p);
    return rc;
}

static int ipv4_output(struct uk_ipv4 *self, struct uk_ipv4_addr dst,
                       uint8_t proto, struct uk_buf *p)
{
    struct uk_tcpip_ipv4 *ip = from_base(self);
    struct uk_ipv4_addr nh;
    int rc = next_hop(ip, dst, &nh);
    if (rc != 0) {
        ip->stats.tx_no_route++;
        uk_buf_free(p);
        return rc;
    }
    if (p->len > UK_IPV4_MAX_PAYLOAD) {
        rc = UK_EMSGSIZE;
    } else if (p->tso_mss != 0 &&
               UK_IPV4_HLEN + p->len > uk_ethif_tso_max(ip->eth)) {
        rc = UK_EMSGSIZE; /* the caller ignored tso_max */
    } else if (UK_IPV4_HLEN + p->len > uk_ethif_mtu(ip->eth) &&
               p->tso_mss == 0) {
        rc = fragment(ip, dst, nh, proto, p);
        p = NULL;
    } else {
        if (uk_buf_headroom(p) < UK_IPV4_HLEN) {
            struct uk_buf *c = NULL;
            rc = uk_ethif_alloc(ip->eth, UK_IPV4_HLEN, p->len, &c);
            if (rc == 0) {
                memcpy(uk_buf_put(c, p->len), p->data, p->len);
                c->tso_mss = p->tso_mss;
            }
            uk_buf_free(p);
            p = c;
        }
        if (rc == 0) {
            size_t len = p->len;
            build_header(ip, uk_buf_push(p, UK_IPV4_HLEN), dst, proto, len,
                         ip->next_id++, 0);
            rc = send_frame(ip, dst, nh, p);
            p = NULL;
        }
    }
    uk_buf_free(p);
    if (rc == 0)
        ip->stats.tx_packets++;
    else
        ip->stats.tx_errors++;
    return rc;
}

static bool mask_is_valid(struct uk_ipv4_addr m)
{
    uint32_t inv = ~m.v;
    return (inv & (inv + 1)) == 0; /* ones, then only zeros */
}

static int ipv4_set_config(struct uk_ipv4 *self,
                           const struct uk_ipv4_config *cfg)
{
    struct uk_tcpip_ipv4 *ip = from_base(self);
    if (!mask_is_valid(cfg->netmask) || cfg->addr.v == BCAST ||
        is_multicast(cfg->addr) || is_multicast(cfg->gateway))
        return UK_EINVAL;
    if (ip->cfg.addr.v != 0)
        uk_arpv4_remove_address(ip->arp, ip->cfg.addr);
    ip->cfg = *cfg;
    if (cfg->addr.v != 0)
        uk_arpv4_add_address(ip->arp, cfg->addr);
    return 0;
}

static void ipv4_config(struct uk_ipv4 *self, struct uk_ipv4_config *out)
{
    *out = from_base(self)->cfg;
}

static size_t ipv4_mtu(struct uk_ipv4 *self)
{
    size_t mtu = uk_ethif_mtu(from_base(self)->eth);
    return mtu > UK_IPV4_HLEN ? mtu - UK_IPV4_HLEN : 0;
}

static size_t ipv4_tso_max(struct uk_ipv4 *self)
{
    struct uk_tcpip_ipv4 *ip = from_base(self);
    size_t m = uk_ethif_tso_max(ip->eth);
    /* one IP packet (which alloc's big buffers hold) */
    if (m > UK_IPV4_HLEN + UK_IPV4_MAX_PAYLOAD)
        m = UK_IPV4_HLEN + UK_IPV4_MAX_PAYLOAD;
    return m > uk_ethif_mtu(ip->eth) ? m - UK_IPV4_HLEN : 0;
}

void uk__ipv4_deliver(struct uk_tcpip_ipv4 *ip,
                      const struct uk_ipv4_info *info, struct uk_buf *payload)
{
    struct uk_tcpip_ipv4_handler *h = find_handler(ip, info->proto);
    if (h == NULL) {
        ip->stats.rx_no_handler++;
        uk_buf_free(payload);
        return;
    }
    ip->stats.rx_delivered++;
    h->cb(h->arg, info, payload);
}

/* Whether a packet for dst is ours to deliver. */
static bool accepts(const struct uk_tcpip_ipv4 *ip, struct uk_ipv4_addr dst)
{
    if (dst.v == BCAST)
        return true;
    if (ip->cfg.addr.v == 0)
        return dst.v != 0 && !is_multicast(dst);
    return uk_ipv4_eq(dst, ip->cfg.addr) || is_subnet_bcast(ip, dst);
}

/* Validates the header of pkt; its length, or 0 if invalid (counted). */
static size_t check_header(struct uk_tcpip_ipv4 *ip, struct uk_buf *pkt)
{
    const uint8_t *h = pkt->data;
    size_t hlen, total;
    if (pkt->len < UK_IPV4_HLEN || h[0] >> 4 != 4 ||
        (hlen = (size_t)(h[0] & 15) * 4) < UK_IPV4_HLEN || hlen > pkt->len ||
        (total = uk_load_be16(h + 2)) < hlen || total > pkt->len) {
        ip->stats.rx_bad_header++;
        return 0;
    }
    if (uk_inet_fold(uk_inet_sum(0, h, hlen)) != 0) {
        ip->stats.rx_bad_checksum++;
        return 0;
    }
    uk_buf_trim(pkt, total); /* Ethernet padding */
    return hlen;
}

static void ipv4_input(void *arg, const struct uk_mac *src_mac,
                       struct uk_buf *pkt)
{
    struct uk_tcpip_ipv4 *ip = (struct uk_tcpip_ipv4 *)arg;
    struct uk_ipv4_info info;
    const uint8_t *h = pkt->data;
    size_t hlen;
    uint16_t frag;

    UK_UNUSED(src_mac);
    ip->stats.rx_packets++;
    if ((hlen = check_header(ip, pkt)) == 0)
        goto drop;
    info.src.v = uk_load_be32(h + 12);
    info.dst.v = uk_load_be32(h + 16);
    if (info.src.v == BCAST || is_multicast(info.src) ||
        is_subnet_bcast(ip, info.src)) {
        ip->stats.rx_bad_source++;
        goto drop;
    }
    if (!accepts(ip, info.dst)) {
        ip->stats.rx_not_ours++;
        goto drop;
    }
    frag = uk_load_be16(h + 6);
    uk_buf_pull(pkt, hlen);
    if ((frag & (IP_MF | IP_OFFMASK)) != 0) {
        uk__ipv4_reass_input(ip, h, hlen, pkt,
                             (size_t)(frag & IP_OFFMASK) * 8,
                             (frag & IP_MF) != 0);
        return;
    }
    info.proto = h[9];
    info.ttl = h[8];
    info.tos = h[1];
    info.header = h;
    info.header_len = hlen;
    info.broadcast = uk__ipv4_is_group(ip, info.dst);
    uk__ipv4_deliver(ip, &info, pkt);
    return;
drop:
    uk_buf_free(pkt);
}

static const struct uk_ipv4_ops ipv4_ops = {
    .id = ipv4_id,
    .disconnect = ipv4_disconnect,
    .set_handler = ipv4_set_handler,
    .alloc = ipv4_alloc,
    .output = ipv4_output,
    .set_config = ipv4_set_config,
    .config = ipv4_config,
    .mtu = ipv4_mtu,
    .tso_max = ipv4_tso_max,
};

int uk_tcpip_ipv4_init(struct uk_tcpip_ipv4 *ip, struct uk_ethif *eth,
                       struct uk_arpv4 *arp, struct uk_time *time,
                       struct uk_random *random,
                       const struct uk_ipv4_config *cfg)
{
    int rc;
    memset(ip, 0, offsetof(struct uk_tcpip_ipv4, reass));
    memset(&ip->done_timer, 0, sizeof ip->done_timer);
    ip->base.ops = &ipv4_ops;
    ip->eth = eth;
    ip->arp = arp;
    ip->time = time;
    ip->next_id = (uint16_t)uk_random_u32(random);
    uk__ipv4_reass_init(ip);
    uk_bufpool_init(&ip->big, ip->big_descs, ip->big_mem,
                    UK_TCPIP_IPV4_BIG_BUFS, UK_TCPIP_BIG_BUF_SIZE);
    if (cfg != NULL && (rc = ipv4_set_config(&ip->base, cfg)) != 0)
        return rc;
    return uk_ethif_set_handler(eth, UK_ETHERTYPE_IPV4, ipv4_input, ip);
}
