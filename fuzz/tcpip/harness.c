/*
 * harness.c - the direct stack's fuzz harness (harness.h).
 */
#include <stdlib.h>
#include <string.h>

#include <uk/bytes.h>
#include <uk/loop.h>
#include <uk/prng.h>
#include <uk/tcpip/stackv4.h>

#include "harness.h"

#define POOL 64
#define BUFSZ 1600

static const struct uk_mac me_mac = {{0x02, 0, 0, 0, 0, 0x0a}};
static const struct uk_mac peer_mac = {{0x02, 0, 0, 0, 0, 0x0b}};
#define ME 0x0a000001u
#define PEER 0x0a000002u

/* A clock the harness moves by hand. */
struct hclock {
    struct uk_clock clock;
    uint64_t now;
};

static uint64_t hc_mono(struct uk_clock *c)
{
    return UK_CONTAINER_OF(c, struct hclock, clock)->now;
}

static int64_t hc_wall(struct uk_clock *c)
{
    return (int64_t)UK_CONTAINER_OF(c, struct hclock, clock)->now;
}

static const struct uk_clock_ops hc_ops = {hc_mono, hc_wall};

/* A network device that drops what is sent and injects what we give. */
struct hnet {
    struct uk_network base;
    uk_network_rx_cb cb;
    void *arg;
    struct uk_bufpool pool;
    struct uk_buf descs[POOL];
    uint8_t mem[POOL][BUFSZ];
};

static struct hnet *hn(struct uk_network *n)
{
    return UK_CONTAINER_OF(n, struct hnet, base);
}

static const char *hn_id(struct uk_network *n)
{
    UK_UNUSED(n);
    return "fuzz";
}

static void hn_disconnect(struct uk_network *n, uk_done_cb cb, void *arg)
{
    UK_UNUSED(n);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
}

static int hn_listen(struct uk_network *n, uk_network_rx_cb cb, void *arg)
{
    hn(n)->cb = cb;
    hn(n)->arg = arg;
    return 0;
}

static int hn_alloc(struct uk_network *n, size_t headroom, size_t len,
                    struct uk_buf **out)
{
    struct uk_buf *b;
    if (headroom + len > 1514)
        return UK_EMSGSIZE;
    if ((b = uk_bufpool_get(&hn(n)->pool, headroom)) == NULL)
        return UK_ENOBUFS;
    *out = b;
    return 0;
}

static int hn_send(struct uk_network *n, struct uk_buf *b)
{
    UK_UNUSED(n);
    if (b->len > 1514)
        abort(); /* the stack built an oversized frame */
    uk_buf_free(b);
    return 0;
}

static int hn_sendv(struct uk_network *n, const struct uk_iov *iov, int cnt)
{
    UK_UNUSED(n);
    if (uk_iov_total(iov, cnt) > 1514)
        abort();
    return 0;
}

static void hn_mac(struct uk_network *n, struct uk_mac *out)
{
    UK_UNUSED(n);
    *out = me_mac;
}

static size_t hn_mtu(struct uk_network *n)
{
    UK_UNUSED(n);
    return 1500;
}

static void hn_stats(struct uk_network *n, struct uk_network_stats *out)
{
    UK_UNUSED(n);
    memset(out, 0, sizeof *out);
}

static const struct uk_network_ops hn_ops = {
    hn_id, hn_disconnect, hn_listen, hn_alloc, hn_send,
    hn_sendv, hn_mac, hn_mtu, hn_stats, NULL,
};

static struct hclock clk;
static struct uk_loop loop;
static struct uk_prng prng;
static struct hnet net;
static struct uk_tcpip_stackv4 stack;
static uint8_t frame[70000];

static void inject(const uint8_t *f, size_t len)
{
    struct uk_buf *b = uk_bufpool_get(&net.pool, 0);
    if (b == NULL || len > BUFSZ) {
        uk_buf_free(b);
        return;
    }
    memcpy(uk_buf_put(b, len), f, len);
    if (net.cb != NULL)
        net.cb(net.arg, b);
    else
        uk_buf_free(b);
}

static void run_until(uint64_t t)
{
    for (;;) {
        uint64_t next;
        uk_loop_run_once(&loop, false);
        next = uk_loop_next_deadline(&loop);
        if (next <= clk.now)
            continue;
        if (next > t)
            break;
        clk.now = next;
    }
    if (clk.now < t)
        clk.now = t;
}

static void on_udp(void *arg, const struct uk_udpv4_info *info,
                   const void *data, size_t len)
{
    UK_UNUSED(arg);
    uk_udpv4_sendto(uk_stackv4_udpv4(&stack.base), info->dst.port,
                    &info->src, data, len);
}

static size_t eth_header(uint8_t *f, uint16_t type)
{
    memcpy(f, me_mac.b, 6);
    memcpy(f + 6, peer_mac.b, 6);
    uk_store_be16(f + 12, type);
    return 14;
}

static void setup(void)
{
    struct uk_ipv4_config cfg;
    uint8_t arp[42];
    clk.clock.ops = &hc_ops;
    clk.now = 1000 * UK_NS_PER_S;
    uk_loop_init(&loop, &clk.clock, NULL);
    uk_prng_init_u64(&prng, 1);
    memset(&net, 0, offsetof(struct hnet, pool));
    net.base.ops = &hn_ops;
    uk_bufpool_init(&net.pool, net.descs, net.mem, POOL, BUFSZ);
    cfg.addr.v = ME;
    cfg.netmask.v = 0xffffff00u;
    cfg.gateway.v = 0x0a0000feu;
    if (uk_tcpip_stackv4_init(&stack, &net.base, &loop.time, &prng.random,
                              &cfg, NULL) != 0 ||
        uk_stackv4_listen_udp(&stack.base, 53, on_udp, NULL) != 0)
        abort();
    /* Teach the stack the peer's MAC (an ARP request to us). */
    memset(arp, 0, sizeof arp);
    eth_header(arp, UK_ETHERTYPE_ARP);
    uk_store_be16(arp + 14, 1);
    uk_store_be16(arp + 16, 0x0800);
    arp[18] = 6;
    arp[19] = 4;
    uk_store_be16(arp + 20, 1);
    memcpy(arp + 22, peer_mac.b, 6);
    uk_store_be32(arp + 28, PEER);
    uk_store_be32(arp + 38, ME);
    inject(arp, sizeof arp);
}

static void teardown(void)
{
    size_t i;
    uk_stackv4_disconnect(&stack.base, NULL, NULL);
    run_until(clk.now + 1000 * UK_NS_PER_S);
    if (uk_loop_has_work(&loop) || net.pool.available != net.pool.count ||
        stack.ip.big.available != stack.ip.big.count)
        abort(); /* a leaked buffer or a timer left armed */
    for (i = 0; i < UK_TCPIP_IPV4_REASS_SLOTS; i++)
        if (stack.ip.reass[i].state != 0)
            abort();
}

/* Wraps payload in an IPv4 header (fragmenting it) and injects it. */
static void inject_ip(uint8_t proto, const uint8_t *p, size_t len)
{
    static uint16_t id;
    size_t off = 0;
    id++;
    do {
        size_t n = len - off < 1480 ? len - off : 1480;
        uint8_t *h = frame + eth_header(frame, UK_ETHERTYPE_IPV4);
        uint16_t fr = (uint16_t)(off / 8 | (off + n < len ? 0x2000 : 0));
        h[0] = 0x45;
        h[1] = 0;
        uk_store_be16(h + 2, (uint16_t)(20 + n));
        uk_store_be16(h + 4, id);
        uk_store_be16(h + 6, fr);
        h[8] = 64;
        h[9] = proto;
        uk_store_be16(h + 10, 0);
        uk_store_be32(h + 12, PEER);
        uk_store_be32(h + 16, ME);
        uk_store_be16(h + 10, uk_inet_fold(uk_inet_sum(0, h, 20)));
        memcpy(h + 20, p + off, n);
        inject(frame, 14 + 20 + n);
        off += n;
    } while (off < len);
}

static uint8_t msg[70000];

static void record(enum tcpip_fuzz_kind kind, bool fix, const uint8_t *d,
                   size_t n)
{
    size_t hl;
    switch (kind) {
    case TCPIP_FUZZ_ETH:
        inject(d, n);
        break;
    case TCPIP_FUZZ_ARP:
    case TCPIP_FUZZ_IPV4:
        hl = eth_header(frame, kind == TCPIP_FUZZ_ARP ? UK_ETHERTYPE_ARP
                                                      : UK_ETHERTYPE_IPV4);
        if (n > sizeof frame - hl)
            n = sizeof frame - hl;
        memcpy(frame + hl, d, n);
        if (kind == TCPIP_FUZZ_IPV4 && fix && n >= 20 &&
            (size_t)(d[0] & 15) * 4 <= n && (d[0] & 15) >= 5) {
            uint8_t *h = frame + hl;
            uk_store_be16(h + 10, 0);
            uk_store_be16(h + 10, uk_inet_fold(uk_inet_sum(
                                      0, h, (size_t)(h[0] & 15) * 4)));
        }
        inject(frame, hl + n);
        break;
    case TCPIP_FUZZ_ICMP:
    case TCPIP_FUZZ_UDP:
        memcpy(msg, d, n);
        if (fix && kind == TCPIP_FUZZ_ICMP && n >= 4) {
            uk_store_be16(msg + 2, 0);
            uk_store_be16(msg + 2, uk_inet_fold(uk_inet_sum(0, msg, n)));
        }
        if (fix && kind == TCPIP_FUZZ_UDP && n >= 8) {
            struct uk_ipv4_addr s = {PEER}, t = {ME};
            size_t ul = uk_load_be16(msg + 4);
            if (ul > n)
                ul = n;
            uk_store_be16(msg + 6, 0);
            uk_store_be16(msg + 6,
                          uk_inet_fold(uk_inet_sum(
                              uk_ipv4_pseudo_sum(s, t, UK_IPPROTO_UDP, ul),
                              msg, ul)));
        }
        inject_ip(kind == TCPIP_FUZZ_ICMP ? UK_IPPROTO_ICMP : UK_IPPROTO_UDP,
                  msg, n);
        break;
    default:
        break;
    }
}

int tcpip_fuzz_run(enum tcpip_fuzz_kind kind, const uint8_t *data,
                   size_t size)
{
    size_t pos = 0;
    setup();
    while (pos + 3 <= size) {
        uint8_t flags = data[pos];
        size_t n = uk_load_be16(data + pos + 1);
        pos += 3;
        if (n > size - pos)
            n = size - pos;
        if (n > 65000)
            n = 65000;
        record(kind, (flags & 1) != 0, data + pos, n);
        pos += n;
        run_until(clk.now + (uint64_t)(flags >> 4) * 64 * UK_NS_PER_MS);
    }
    teardown();
    return 0;
}

const char *tcpip_fuzz_name(enum tcpip_fuzz_kind kind)
{
    static const char *const names[] = {"eth", "arp", "ipv4", "icmp", "udp"};
    return kind < TCPIP_FUZZ_KINDS ? names[kind] : "?";
}
