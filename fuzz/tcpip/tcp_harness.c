/*
 * tcp_harness.c - see tcp_harness.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <uk/bytes.h>
#include <uk/loop.h>
#include <uk/prng.h>
#include <uk/tcpip/tcp.h>

#include "tcp_harness.h"
#include "../../tests/support/test_mem.h"

#define FZ_BUFS 32
#define FZ_CONNS 6
#define FZ_RING 2048

struct fz_clock {
    struct uk_clock clock;
    uint64_t now;
};

static struct {
    struct uk_ipv4 ip;
    uk_ipv4_rx_cb cb;
    void *arg;
    struct fz_clock clk;
    struct uk_loop loop;
    struct uk_prng prng;
    struct uk_tcpip_tcpv4 tcp;
    struct test_mem mem; /* tight: inputs reach the out-of-memory paths */
    struct uk_mem_account acct;
    struct uk_bufpool pool;
    struct uk_buf descs[FZ_BUFS];
    uint8_t bufs[FZ_BUFS][2048];
    uint16_t conn_port;
    int done;
    uint8_t last[20]; /* header of the last segment sent */
    size_t last_len;  /* its payload length */
} F;

struct fz_app {
    struct uk_flow *f;
    uint8_t buf[512];
    bool reading, writing, closing;
    unsigned pending;
};
#define FZ_APPS 64
static struct fz_app apps[FZ_APPS];
static unsigned napps;

static uint64_t fz_mono(struct uk_clock *c)
{
    return UK_CONTAINER_OF(c, struct fz_clock, clock)->now;
}
static int64_t fz_wall(struct uk_clock *c)
{
    return (int64_t)fz_mono(c);
}
static const struct uk_clock_ops fz_clock_ops = {fz_mono, fz_wall};

static const char *fz_id(struct uk_ipv4 *s)
{
    (void)s;
    return "fuzz-ip";
}
static void fz_disc(struct uk_ipv4 *s, uk_done_cb cb, void *arg)
{
    (void)s;
    (void)cb;
    (void)arg;
}
static int fz_set_handler(struct uk_ipv4 *s, uint8_t p, uk_ipv4_rx_cb cb,
                          void *arg)
{
    (void)s;
    (void)p;
    F.cb = cb;
    F.arg = arg;
    return 0;
}
static int fz_alloc(struct uk_ipv4 *s, size_t head, size_t len,
                    struct uk_buf **out)
{
    struct uk_buf *b;
    (void)s;
    if (head + len + 34 > 2048)
        return UK_EMSGSIZE;
    if ((b = uk_bufpool_get(&F.pool, head + 34)) == NULL)
        return UK_ENOBUFS;
    *out = b;
    return 0;
}
static int fz_output(struct uk_ipv4 *s, struct uk_ipv4_addr d, uint8_t p,
                     struct uk_buf *b)
{
    (void)s;
    (void)d;
    (void)p;
    if (b->len >= 20) {
        memcpy(F.last, b->data, 20);
        F.last_len = b->len - (size_t)(b->data[12] >> 4) * 4;
    }
    uk_buf_free(b);
    return 0;
}
static int fz_set_config(struct uk_ipv4 *s, const struct uk_ipv4_config *c)
{
    (void)s;
    (void)c;
    return 0;
}
static void fz_config(struct uk_ipv4 *s, struct uk_ipv4_config *out)
{
    (void)s;
    out->addr = uk_ipv4(10, 0, 0, 1);
    out->netmask = uk_ipv4(255, 255, 255, 0);
    out->gateway = uk_ipv4(10, 0, 0, 254);
}
static size_t fz_mtu(struct uk_ipv4 *s)
{
    (void)s;
    return 1480;
}
static const struct uk_ipv4_ops fz_ip_ops = {
    fz_id, fz_disc, fz_set_handler, fz_alloc, fz_output, fz_set_config,
    fz_config, fz_mtu, NULL};

static void app_next(struct fz_app *a);

static void app_closed(void *arg)
{
    struct fz_app *a = (struct fz_app *)arg;
    if (a->pending != 0 || a->f != NULL)
        abort(); /* close callback before the pending ones, or twice */
}

static void app_written(void *arg, int status, size_t n)
{
    struct fz_app *a = (struct fz_app *)arg;
    (void)n;
    if (!a->writing)
        abort();
    a->writing = false;
    a->pending--;
    if (status == 0)
        app_next(a);
}

static void app_read(void *arg, int status, const void *d, size_t n)
{
    struct fz_app *a = (struct fz_app *)arg;
    if (!a->reading)
        abort();
    a->reading = false;
    a->pending--;
    if (status == 0 && n > 0 && a->f != NULL && !a->writing) {
        if (n > sizeof a->buf)
            n = sizeof a->buf;
        memcpy(a->buf, d, n);
        if (uk_flow_write(a->f, a->buf, n, app_written, a) == 0) {
            a->writing = true;
            a->pending++;
        }
        if (a->buf[0] == 'Q' && a->f != NULL) { /* the input asks to close */
            uk_flow_close(a->f, app_closed, a);
            a->f = NULL;
            return;
        }
        if (a->buf[0] == 'R' && a->f != NULL) {
            uk_flow_abort(a->f, app_closed, a);
            a->f = NULL;
            return;
        }
    }
    if (status != 0 && a->f != NULL) {
        uk_flow_close(a->f, app_closed, a);
        a->f = NULL;
        return;
    }
    app_next(a);
}

static void app_next(struct fz_app *a)
{
    if (a->f != NULL && !a->reading &&
        uk_flow_read(a->f, app_read, a) == 0) {
        a->reading = true;
        a->pending++;
    }
}

static void on_accept(void *arg, struct uk_flow *f)
{
    struct fz_app *a;
    (void)arg;
    if (napps >= FZ_APPS) {
        uk_flow_abort(f, NULL, NULL);
        return;
    }
    a = &apps[napps++];
    memset(a, 0, sizeof *a);
    a->f = f;
    uk_flow_set_option(f, UK_FLOW_KEEPALIVE, 1);
    app_next(a);
}

static void on_connect(void *arg, int status, struct uk_flow *f)
{
    (void)arg;
    if (status == 0)
        on_accept(NULL, f);
}

static void run_for(uint64_t ns)
{
    uint64_t end = F.clk.now + ns;
    unsigned long turns = 0;
    for (;;) {
        uint64_t next;
        uk_loop_run_once(&F.loop, false);
        if (++turns > 1000000ul)
            abort(); /* a livelock */
        next = uk_loop_next_deadline(&F.loop);
        if (next <= F.clk.now)
            continue;
        if (next > end)
            break;
        F.clk.now = next;
    }
    if (F.clk.now < end)
        F.clk.now = end;
}

static void on_done(void *arg)
{
    (void)arg;
    F.done++;
}

static void inject(uint8_t ctl, const uint8_t *p, size_t n)
{
    static uint8_t m[70000];
    struct uk_buf b;
    struct uk_ipv4_info info;
    uint8_t *d = m + 64;
    memcpy(d, p, n);
    memset(&info, 0, sizeof info);
    info.src = uk_ipv4(10, 0, 0, 2 + ((ctl >> 4) & 3));
    info.dst = uk_ipv4(10, 0, 0, 1);
    info.proto = UK_IPPROTO_TCP;
    if (n >= 20) {
        if (ctl & 2)
            uk_store_be16(d + 2, 80);
        if (ctl & 4)
            uk_store_be16(d + 2, F.conn_port);
        if (ctl & 4)
            uk_store_be16(d, 81);
        if (ctl & 8) { /* answer our last segment */
            uint32_t seq = uk_load_be32(F.last + 4);
            uint32_t end = seq + (uint32_t)F.last_len +
                           ((F.last[13] & 2) ? 1 : 0) +
                           ((F.last[13] & 1) ? 1 : 0);
            memcpy(d, F.last + 2, 2);
            memcpy(d + 2, F.last, 2);
            memcpy(d + 4, F.last + 8, 4);
            uk_store_be32(d + 8, end);
        }
        if (ctl & 1) {
            uk_store_be16(d + 16, 0);
            uk_store_be16(d + 16,
                          uk_inet_fold(uk_inet_sum(
                              uk_ipv4_pseudo_sum(info.src, info.dst,
                                                 UK_IPPROTO_TCP, n),
                              d, n)));
        }
    }
    uk_buf_init(&b, m, sizeof m, 64);
    uk_buf_put(&b, n);
    F.cb(F.arg, &info, &b);
}

int tcp_fuzz_run(const uint8_t *data, size_t size)
{
    static const uint64_t waits[4] = {0, 10 * UK_NS_PER_MS,
                                      300 * UK_NS_PER_MS, 5 * UK_NS_PER_S};
    struct uk_tcpip_tcp_config cfg;
    struct uk_ipv4_ep dst;
    size_t i;
    memset(&F, 0, sizeof F);
    napps = 0;
    F.ip.ops = &fz_ip_ops;
    F.clk.clock.ops = &fz_clock_ops;
    F.clk.now = 1000 * UK_NS_PER_S;
    uk_loop_init(&F.loop, &F.clk.clock, NULL);
    uk_prng_init_u64(&F.prng, 1);
    uk_bufpool_init(&F.pool, F.descs, F.bufs, FZ_BUFS, 2048);
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = FZ_RING;
    cfg.ring_init = FZ_RING / 2;
    cfg.ring_min = 1024;
    cfg.syn_queue = 2;
    /* the tables, and rings for about four of the connections */
    test_mem_init(&F.mem, 4096 + FZ_CONNS * 56 +
                              4 * (sizeof(struct uk_tcpip_tcp_conn) +
                                   2 * FZ_RING));
    uk_mem_account_init(&F.acct, &F.mem.mem, "tcp", FZ_CONNS * 2048,
                        SIZE_MAX);
    if (uk_tcpip_tcp_init(&F.tcp, &F.ip, &F.loop.time, &F.prng.random, &cfg,
                          &F.acct, FZ_CONNS) != 0)
        abort();
    uk_tcpv4_listen(&F.tcp.base, 80, 2, on_accept, NULL);
    dst.addr = uk_ipv4(10, 0, 0, 2);
    dst.port = 81;
    uk_tcpv4_connect(&F.tcp.base, &dst, on_connect, NULL);
    if (F.tcp.live != NULL)
        F.conn_port = F.tcp.live->lport;
    i = 0;
    while (i + 3 <= size) {
        uint8_t ctl = data[i];
        size_t n = (size_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (n > size - i)
            n = size - i;
        inject(ctl, data + i, n);
        i += n;
        run_for(waits[ctl >> 6]);
    }
    /* the application closes what it holds; then the layer goes */
    for (i = 0; i < napps; i++)
        if (apps[i].f != NULL) {
            uk_flow_close(apps[i].f, app_closed, &apps[i]);
            apps[i].f = NULL;
        }
    run_for(UK_NS_PER_S);
    uk_tcpv4_disconnect(&F.tcp.base, on_done, NULL);
    run_for(UK_NS_PER_S);
    if (F.done != 1 || F.pool.available != FZ_BUFS || F.acct.used != 0 ||
        F.mem.stats.used != 0)
        abort(); /* a buffer or a byte of memory not given back */
    for (i = 0; i < napps; i++)
        if (apps[i].pending != 0)
            abort(); /* a callback never came */
    return 0;
}
