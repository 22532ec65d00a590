/*
 * tcpip_harness.h - what the direct stack's tests share (header-only):
 *
 *   struct h_env     a fake clock and the event loop over it, with
 *                    h_run_for() running timers in virtual time;
 *   struct fake_net  a NETWORK that records transmitted frames and injects
 *                    received ones from its own pool (leak-checked);
 *   frame builders   Ethernet, ARP, IPv4, UDP and ICMP with correct
 *                    checksums, to inject hand-made input.
 */
#ifndef TCPIP_HARNESS_H
#define TCPIP_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <uk/buf.h>
#include <uk/bytes.h>
#include <uk/ipv4.h>
#include <uk/loop.h>
#include <uk/network.h>
#include <uk/prng.h>

#include "fake_clock.h"

struct h_env {
    struct fake_clock clock;
    struct uk_loop loop;
    struct uk_prng prng;
};

static inline void h_env_init(struct h_env *e, uint64_t seed)
{
    fake_clock_init(&e->clock, 1000 * UK_NS_PER_S, 1700000000LL * 1000000000LL);
    uk_loop_init(&e->loop, &e->clock.clock, NULL);
    uk_prng_init_u64(&e->prng, seed);
}

/* Runs the loop in virtual time until the clock reads now + ns (timers due
 * later stay armed). */
static inline void h_run_for(struct h_env *e, uint64_t ns)
{
    uint64_t end = e->clock.mono_ns + ns;
    unsigned long turns = 0;
    for (;;) {
        uint64_t next;
        uk_loop_run_once(&e->loop, false);
        assert_true(++turns < 10000000ul);
        next = uk_loop_next_deadline(&e->loop);
        if (next <= e->clock.mono_ns)
            continue;
        if (next > end)
            break;
        fake_clock_set(&e->clock, next);
    }
    if (e->clock.mono_ns < end)
        fake_clock_set(&e->clock, end);
}

/* Runs only what is due now (deferred calls included). */
static inline void h_run_now(struct h_env *e)
{
    h_run_for(e, 0);
}

/* ---- a recording network device ---- */

#define FN_POOL 64
#define FN_BUFSZ 1600
#define FN_TX 256

struct fake_net {
    struct uk_network base;
    struct uk_mac mac;
    size_t mtu;
    uk_network_rx_cb cb;
    void *cb_arg;
    int send_rc; /* what send returns (the frame is still recorded) */
    size_t ntx;  /* frames sent so far (recorded: the first FN_TX) */
    size_t tx_len[FN_TX];
    uint8_t tx[FN_TX][FN_BUFSZ];
    struct uk_bufpool pool;
    struct uk_buf descs[FN_POOL];
    uint8_t mem[FN_POOL][FN_BUFSZ];
};

static inline struct fake_net *fn_from(struct uk_network *self)
{
    return UK_CONTAINER_OF(self, struct fake_net, base);
}

static inline const char *fn_id(struct uk_network *self)
{
    UK_UNUSED(self);
    return "fake";
}

static inline void fn_disconnect(struct uk_network *self, uk_done_cb cb,
                                 void *arg)
{
    UK_UNUSED(self);
    UK_UNUSED(cb);
    UK_UNUSED(arg);
}

static inline int fn_listen(struct uk_network *self, uk_network_rx_cb cb,
                            void *arg)
{
    fn_from(self)->cb = cb;
    fn_from(self)->cb_arg = arg;
    return 0;
}

static inline int fn_alloc(struct uk_network *self, size_t headroom,
                           size_t len, struct uk_buf **out)
{
    struct fake_net *f = fn_from(self);
    struct uk_buf *b;
    if (headroom + len > f->mtu + UK_ETH_HLEN)
        return UK_EMSGSIZE;
    if ((b = uk_bufpool_get(&f->pool, headroom)) == NULL)
        return UK_ENOBUFS;
    *out = b;
    return 0;
}

static inline void fn_record(struct fake_net *f, const void *d, size_t len)
{
    if (f->ntx < FN_TX) {
        assert_true(len <= FN_BUFSZ);
        memcpy(f->tx[f->ntx], d, len);
        f->tx_len[f->ntx] = len;
    }
    f->ntx++;
}

static inline int fn_send(struct uk_network *self, struct uk_buf *frame)
{
    struct fake_net *f = fn_from(self);
    fn_record(f, frame->data, frame->len);
    uk_buf_free(frame);
    return f->send_rc;
}

static inline int fn_sendv(struct uk_network *self, const struct uk_iov *iov,
                           int cnt)
{
    struct fake_net *f = fn_from(self);
    uint8_t tmp[FN_BUFSZ];
    size_t n = 0;
    int i;
    for (i = 0; i < cnt; i++) {
        assert_true(n + iov[i].len <= sizeof tmp);
        memcpy(tmp + n, iov[i].base, iov[i].len);
        n += iov[i].len;
    }
    fn_record(f, tmp, n);
    return f->send_rc;
}

static inline void fn_mac(struct uk_network *self, struct uk_mac *out)
{
    *out = fn_from(self)->mac;
}

static inline size_t fn_mtu(struct uk_network *self)
{
    return fn_from(self)->mtu;
}

static inline void fn_stats(struct uk_network *self,
                            struct uk_network_stats *out)
{
    UK_UNUSED(self);
    memset(out, 0, sizeof *out);
}

static const struct uk_network_ops fn_ops = {
    .id = fn_id,
    .disconnect = fn_disconnect,
    .listen = fn_listen,
    .alloc = fn_alloc,
    .send = fn_send,
    .sendv = fn_sendv,
    .mac = fn_mac,
    .mtu = fn_mtu,
    .stats = fn_stats,
};

static inline void fake_net_init(struct fake_net *f, const struct uk_mac *mac)
{
    memset(f, 0, offsetof(struct fake_net, pool));
    f->base.ops = &fn_ops;
    f->mac = *mac;
    f->mtu = 1500;
    uk_bufpool_init(&f->pool, f->descs, f->mem, FN_POOL, FN_BUFSZ);
}

/* Delivers a copy of frame[0..len) to the listener, as the device would.
 * Returns false when the pool is empty (the frame is dropped). */
static inline bool fn_inject(struct fake_net *f, const void *frame, size_t len)
{
    struct uk_buf *b = uk_bufpool_get(&f->pool, 0);
    if (b == NULL)
        return false;
    assert_true(len <= FN_BUFSZ);
    memcpy(uk_buf_put(b, len), frame, len);
    if (f->cb != NULL)
        f->cb(f->cb_arg, b);
    else
        uk_buf_free(b);
    return true;
}

/* The last recorded frame (asserts there is one). */
static inline const uint8_t *fn_last(struct fake_net *f, size_t *len)
{
    assert_true(f->ntx > 0 && f->ntx <= FN_TX);
    *len = f->tx_len[f->ntx - 1];
    return f->tx[f->ntx - 1];
}

static inline void fn_assert_no_leak(struct fake_net *f)
{
    assert_int_equal(f->pool.available, f->pool.count);
}

/* ---- frame builders ---- */

static const struct uk_mac h_mac_a = {{0x02, 0, 0, 0, 0, 0x0a}};
static const struct uk_mac h_mac_b = {{0x02, 0, 0, 0, 0, 0x0b}};
static const struct uk_mac h_mac_c = {{0x02, 0, 0, 0, 0, 0x0c}};
static const struct uk_mac h_mac_bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static inline size_t h_eth(uint8_t *out, const struct uk_mac *dst,
                           const struct uk_mac *src, uint16_t type)
{
    memcpy(out, dst->b, 6);
    memcpy(out + 6, src->b, 6);
    uk_store_be16(out + 12, type);
    return UK_ETH_HLEN;
}

/* An ARP frame; returns its length. */
static inline size_t h_arp(uint8_t *out, const struct uk_mac *eth_dst,
                           uint16_t op, const struct uk_mac *sha,
                           struct uk_ipv4_addr spa, const struct uk_mac *tha,
                           struct uk_ipv4_addr tpa)
{
    uint8_t *p = out + h_eth(out, eth_dst, sha, 0x0806);
    uk_store_be16(p, 1);
    uk_store_be16(p + 2, 0x0800);
    p[4] = 6;
    p[5] = 4;
    uk_store_be16(p + 6, op);
    memcpy(p + 8, sha->b, 6);
    uk_store_be32(p + 14, spa.v);
    memcpy(p + 18, tha->b, 6);
    uk_store_be32(p + 24, tpa.v);
    return UK_ETH_HLEN + 28;
}

/* An IPv4 frame around payload; frag is the flags+offset field. */
static inline size_t h_ipv4(uint8_t *out, const struct uk_mac *dst,
                            const struct uk_mac *src, struct uk_ipv4_addr s,
                            struct uk_ipv4_addr d, uint8_t proto, uint16_t id,
                            uint16_t frag, const void *payload, size_t len)
{
    uint8_t *h = out + h_eth(out, dst, src, 0x0800);
    h[0] = 0x45;
    h[1] = 0;
    uk_store_be16(h + 2, (uint16_t)(20 + len));
    uk_store_be16(h + 4, id);
    uk_store_be16(h + 6, frag);
    h[8] = 64;
    h[9] = proto;
    uk_store_be16(h + 10, 0);
    uk_store_be32(h + 12, s.v);
    uk_store_be32(h + 16, d.v);
    uk_store_be16(h + 10, uk_inet_fold(uk_inet_sum(0, h, 20)));
    if (len > 0)
        memcpy(h + 20, payload, len);
    return UK_ETH_HLEN + 20 + len;
}

/* A UDP segment with checksum; returns its length. */
static inline size_t h_udp(uint8_t *out, struct uk_ipv4_addr s,
                           struct uk_ipv4_addr d, uint16_t sport,
                           uint16_t dport, const void *data, size_t len)
{
    size_t n = 8 + len;
    uint16_t sum;
    uk_store_be16(out, sport);
    uk_store_be16(out + 2, dport);
    uk_store_be16(out + 4, (uint16_t)n);
    uk_store_be16(out + 6, 0);
    if (len > 0)
        memcpy(out + 8, data, len);
    sum = uk_inet_fold(
        uk_inet_sum(uk_ipv4_pseudo_sum(s, d, UK_IPPROTO_UDP, n), out, n));
    uk_store_be16(out + 6, sum == 0 ? 0xffff : sum);
    return n;
}

/* An ICMP echo message (type 8 request or 0 reply). */
static inline size_t h_icmp_echo(uint8_t *out, uint8_t type, uint16_t id,
                                 uint16_t seq, const void *data, size_t len)
{
    out[0] = type;
    out[1] = 0;
    uk_store_be16(out + 2, 0);
    uk_store_be16(out + 4, id);
    uk_store_be16(out + 6, seq);
    if (len > 0)
        memcpy(out + 8, data, len);
    uk_store_be16(out + 2, uk_inet_fold(uk_inet_sum(0, out, 8 + len)));
    return 8 + len;
}

#endif
