/*
 * fake_net.h - a NETWORK device for the of-switch tests: frames the test
 * injects go to the listener, frames the device is asked to send are
 * recorded.  Header-only.
 */
#ifndef UK_TEST_OF_FAKE_NET_H
#define UK_TEST_OF_FAKE_NET_H

#include <stdio.h>
#include <string.h>

#include <uk/network.h>

#define FAKE_NET_LOG 32

struct fake_net {
    struct uk_network net;
    char name[16];
    struct uk_mac mac;
    uk_network_rx_cb cb;
    void *arg;
    uint8_t sent[FAKE_NET_LOG][1600];
    size_t sent_len[FAKE_NET_LOG];
    int nsent;
};

static inline const char *fn_id(struct uk_network *n)
{
    return UK_CONTAINER_OF(n, struct fake_net, net)->name;
}
static inline void fn_disconnect(struct uk_network *n, uk_done_cb cb, void *a)
{
    (void)n, (void)cb, (void)a;
}
static inline int fn_listen(struct uk_network *n, uk_network_rx_cb cb,
                            void *arg)
{
    struct fake_net *f = UK_CONTAINER_OF(n, struct fake_net, net);
    f->cb = cb;
    f->arg = arg;
    return 0;
}
static inline int fn_alloc(struct uk_network *n, size_t h, size_t l,
                           struct uk_buf **out)
{
    (void)n, (void)h, (void)l, (void)out;
    return UK_ENOBUFS;
}
static inline int fn_sendv(struct uk_network *n, const struct uk_iov *iov,
                           int cnt)
{
    struct fake_net *f = UK_CONTAINER_OF(n, struct fake_net, net);
    size_t len = uk_iov_total(iov, cnt), off = 0;
    int i;
    if (f->nsent >= FAKE_NET_LOG || len > sizeof f->sent[0])
        return UK_ENOBUFS;
    for (i = 0; i < cnt; i++) {
        memcpy(f->sent[f->nsent] + off, iov[i].base, iov[i].len);
        off += iov[i].len;
    }
    f->sent_len[f->nsent++] = len;
    return 0;
}
static inline int fn_send(struct uk_network *n, struct uk_buf *b)
{
    struct uk_iov iov;
    int rc;
    iov.base = b->data;
    iov.len = b->len;
    rc = fn_sendv(n, &iov, 1);
    uk_buf_free(b);
    return rc;
}
static inline void fn_mac(struct uk_network *n, struct uk_mac *out)
{
    *out = UK_CONTAINER_OF(n, struct fake_net, net)->mac;
}
static inline size_t fn_mtu(struct uk_network *n)
{
    (void)n;
    return 1500;
}
static inline void fn_stats(struct uk_network *n, struct uk_network_stats *s)
{
    (void)n;
    memset(s, 0, sizeof *s);
}

static const struct uk_network_ops fake_net_ops = {
    .id = fn_id, .disconnect = fn_disconnect, .listen = fn_listen,
    .alloc = fn_alloc, .send = fn_send, .sendv = fn_sendv, .mac = fn_mac,
    .mtu = fn_mtu, .stats = fn_stats};

static inline void fake_net_init(struct fake_net *f, int i)
{
    memset(f, 0, sizeof *f);
    f->net.ops = &fake_net_ops;
    snprintf(f->name, sizeof f->name, "fake%d", i);
    f->mac.b[0] = 2;
    f->mac.b[4] = 0xee;
    f->mac.b[5] = (uint8_t)i;
}

/* The wire delivers a frame (copied) to the device's listener. */
static inline void fake_net_rx(struct fake_net *f, const void *frame,
                               size_t len)
{
    static uint8_t mem[2048];
    struct uk_buf b;
    uk_buf_init(&b, mem, sizeof mem, 0);
    memcpy(uk_buf_put(&b, len), frame, len);
    f->cb(f->arg, &b);
}

#endif
