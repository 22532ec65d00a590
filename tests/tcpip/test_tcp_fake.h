/*
 * test_tcp_fake.h - one direct TCP over a fake IPV4 (10.0.0.1/24) that
 * records every segment sent and lets a test inject hand-made segments
 * from the peer 10.0.0.2, for exact control of the state machine.
 */
#ifndef TEST_TCP_FAKE_H
#define TEST_TCP_FAKE_H

#include "tcpip_harness.h"
#include "test_mem.h"

#include <uk/tcpip/tcp.h>

#define ME uk_ipv4(10, 0, 0, 1)
#define PEER uk_ipv4(10, 0, 0, 2)
#define FI_OUT 512
#define FI_BUFS 64

/* A sent segment, decoded. */
struct seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    size_t len;
    uint8_t data[1600];
    int mss, ws; /* -1: absent */
    bool sack_perm, ts;
    uint32_t tsval, tsecr;
    unsigned nsack;
    uint32_t sack[4][2];
};

struct fake_ip {
    struct uk_ipv4 base;
    uk_ipv4_rx_cb cb;
    void *arg;
    size_t nout;
    struct seg out[FI_OUT];
    int output_rc;
    struct uk_bufpool pool;
    struct uk_buf descs[FI_BUFS];
    uint8_t mem[FI_BUFS][2048];
};

static struct h_env env;
static struct fake_ip fip;
static struct uk_tcpip_tcpv4 tcp;
static struct test_mem tmem;
static struct uk_mem_account tacct;

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

static struct fake_ip *fi(struct uk_ipv4 *self)
{
    return UK_CONTAINER_OF(self, struct fake_ip, base);
}
static const char *fi_id(struct uk_ipv4 *self)
{
    UK_UNUSED(self);
    return "fake-ip";
}
static void fi_disconnect(struct uk_ipv4 *self, uk_done_cb cb, void *arg)
{
    UK_UNUSED(self);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
}
static int fi_set_handler(struct uk_ipv4 *self, uint8_t proto,
                          uk_ipv4_rx_cb cb, void *arg)
{
    assert_int_equal(proto, UK_IPPROTO_TCP);
    fi(self)->cb = cb;
    fi(self)->arg = arg;
    return 0;
}
static int fi_alloc(struct uk_ipv4 *self, size_t headroom, size_t len,
                    struct uk_buf **out)
{
    struct uk_buf *b;
    if (headroom + len + 34 > 2048)
        return UK_EMSGSIZE;
    if ((b = uk_bufpool_get(&fi(self)->pool, headroom + 34)) == NULL)
        return UK_ENOBUFS;
    *out = b;
    return 0;
}

static void decode(struct seg *s, const uint8_t *p, size_t n)
{
    size_t hl = (size_t)(p[12] >> 4) * 4, i = 20;
    memset(s, 0, sizeof *s);
    s->sport = uk_load_be16(p);
    s->dport = uk_load_be16(p + 2);
    s->seq = uk_load_be32(p + 4);
    s->ack = uk_load_be32(p + 8);
    s->flags = p[13];
    s->wnd = uk_load_be16(p + 14);
    s->len = n - hl;
    memcpy(s->data, p + hl, s->len);
    s->mss = s->ws = -1;
    while (i < hl) {
        uint8_t k = p[i];
        if (k == 0)
            break;
        if (k == 1) {
            i++;
            continue;
        }
        if (k == 2)
            s->mss = uk_load_be16(p + i + 2);
        if (k == 3)
            s->ws = p[i + 2];
        if (k == 4)
            s->sack_perm = true;
        if (k == 8) {
            s->ts = true;
            s->tsval = uk_load_be32(p + i + 2);
            s->tsecr = uk_load_be32(p + i + 6);
        }
        if (k == 5) {
            unsigned b;
            s->nsack = (unsigned)(p[i + 1] - 2) / 8;
            for (b = 0; b < s->nsack; b++) {
                s->sack[b][0] = uk_load_be32(p + i + 2 + 8 * b);
                s->sack[b][1] = uk_load_be32(p + i + 6 + 8 * b);
            }
        }
        i += p[i + 1];
    }
}

static int fi_output(struct uk_ipv4 *self, struct uk_ipv4_addr dst,
                     uint8_t proto, struct uk_buf *b)
{
    struct fake_ip *f = fi(self);
    assert_int_equal(proto, UK_IPPROTO_TCP);
    /* the checksum must verify */
    assert_int_equal(uk_inet_fold(uk_inet_sum(uk_ipv4_pseudo_sum(ME, dst, 6,
                                                                 b->len),
                                              b->data, b->len)),
                     0);
    if (f->nout < FI_OUT)
        decode(&f->out[f->nout], b->data, b->len);
    f->nout++;
    uk_buf_free(b);
    return f->output_rc;
}
static int fi_set_config(struct uk_ipv4 *self, const struct uk_ipv4_config *c)
{
    UK_UNUSED(self);
    UK_UNUSED(c);
    return 0;
}
static void fi_config(struct uk_ipv4 *self, struct uk_ipv4_config *out)
{
    UK_UNUSED(self);
    out->addr = ME;
    out->netmask = uk_ipv4(255, 255, 255, 0);
    out->gateway = uk_ipv4(0, 0, 0, 0);
}
static size_t fi_mtu(struct uk_ipv4 *self)
{
    UK_UNUSED(self);
    return 1480;
}

static const struct uk_ipv4_ops fi_ops = {
    .id = fi_id,
    .disconnect = fi_disconnect,
    .set_handler = fi_set_handler,
    .alloc = fi_alloc,
    .output = fi_output,
    .set_config = fi_set_config,
    .config = fi_config,
    .mtu = fi_mtu,
};

/* Options of an injected segment. */
struct inj {
    int mss, ws;         /* -1: none */
    bool sack_perm;
    bool ts;
    uint32_t tsval, tsecr;
    unsigned nsack;
    uint32_t sack[4][2];
};

static const struct inj NOOPT = {-1, -1, false, false, 0, 0, 0, {{0}}};

static uint16_t peer_port = 40000;
static struct uk_ipv4_addr peer_addr = {0x0a000002u}; /* PEER */

/* Injects a segment from PEER:peer_port to ME:dport. */
static void inject(uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack,
                   uint16_t wnd, const struct inj *o, const void *data,
                   size_t len)
{
    static struct uk_buf b;
    static uint8_t m[2048];
    struct uk_ipv4_info info;
    uint8_t *p = m + 64, opt[40];
    size_t ol = 0, hl;
    unsigned k;
    if (o == NULL)
        o = &NOOPT;
    if (o->mss >= 0) {
        opt[ol++] = 2;
        opt[ol++] = 4;
        uk_store_be16(opt + ol, (uint16_t)o->mss);
        ol += 2;
    }
    if (o->ws >= 0) {
        opt[ol++] = 1;
        opt[ol++] = 3;
        opt[ol++] = 3;
        opt[ol++] = (uint8_t)o->ws;
    }
    if (o->sack_perm) {
        opt[ol++] = 1;
        opt[ol++] = 1;
        opt[ol++] = 4;
        opt[ol++] = 2;
    }
    if (o->ts) {
        opt[ol++] = 1;
        opt[ol++] = 1;
        opt[ol++] = 8;
        opt[ol++] = 10;
        uk_store_be32(opt + ol, o->tsval);
        uk_store_be32(opt + ol + 4, o->tsecr);
        ol += 8;
    }
    if (o->nsack > 0) {
        opt[ol++] = 1;
        opt[ol++] = 1;
        opt[ol++] = 5;
        opt[ol++] = (uint8_t)(2 + 8 * o->nsack);
        for (k = 0; k < o->nsack; k++) {
            uk_store_be32(opt + ol, o->sack[k][0]);
            uk_store_be32(opt + ol + 4, o->sack[k][1]);
            ol += 8;
        }
    }
    hl = 20 + ol;
    uk_store_be16(p, peer_port);
    uk_store_be16(p + 2, dport);
    uk_store_be32(p + 4, seq);
    uk_store_be32(p + 8, ack);
    p[12] = (uint8_t)((hl / 4) << 4);
    p[13] = flags;
    uk_store_be16(p + 14, wnd);
    uk_store_be16(p + 16, 0);
    uk_store_be16(p + 18, 0);
    memcpy(p + 20, opt, ol);
    if (len > 0)
        memcpy(p + hl, data, len);
    uk_store_be16(p + 16,
                  uk_inet_fold(uk_inet_sum(uk_ipv4_pseudo_sum(peer_addr, ME, 6,
                                                              hl + len),
                                           p, hl + len)));
    uk_buf_init(&b, m, sizeof m, 64);
    uk_buf_put(&b, hl + len);
    memset(&info, 0, sizeof info);
    info.src = peer_addr;
    info.dst = ME;
    info.proto = 6;
    info.ttl = 64;
    fip.cb(fip.arg, &info, &b);
}

static void fake_setup(const struct uk_tcpip_tcp_config *cfg)
{
    struct uk_tcpip_tcp_config c;
    memset(&fip, 0, sizeof fip);
    fip.base.ops = &fi_ops;
    uk_bufpool_init(&fip.pool, fip.descs, fip.mem, FI_BUFS, 2048);
    h_env_init(&env, 9);
    /* rings start at their full size unless the test says otherwise, so
     * the windows offered are the configured ones */
    if (cfg != NULL)
        c = *cfg;
    else
        memset(&c, 0, sizeof c);
    if (c.ring_init == 0)
        c.ring_init = 1u << 30;
    test_mem_init(&tmem, 16u << 20);
    uk_mem_account_init(&tacct, &tmem.mem, "tcp", SIZE_MAX, SIZE_MAX);
    assert_int_equal(uk_tcpip_tcp_init(&tcp, &fip.base, &env.loop.time,
                                       &env.prng.random, &c, &tacct, 8),
                     0);
    assert_non_null(fip.cb);
}

static const struct seg *last(void)
{
    assert_true(fip.nout > 0 && fip.nout <= FI_OUT);
    return &fip.out[fip.nout - 1];
}

#endif
