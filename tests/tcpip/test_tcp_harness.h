/*
 * test_tcp_harness.h - two assembled stacks with the direct TCP, joined by
 * the loopback wire (optionally through the fault shim on both ends), and
 * small flow applications: a patterned bulk sender, a verifying reader,
 * callback counters.  Header-only, shared by the test_tcp*.c programs.
 */
#ifndef TEST_TCP_HARNESS_H
#define TEST_TCP_HARNESS_H

#include "tcpip_harness.h"
#include "test_mem.h"

#include <uk/tcpip/faults.h>
#include <uk/tcpip/stackv4.h>
#include <uk/tcpip/tcp.h>
#include <uk/tcpip/wire.h>

#define A_IP uk_ipv4(10, 1, 0, 1)
#define B_IP uk_ipv4(10, 1, 0, 2)
#define TB_MEM (20u << 20) /* each node's budget unless tb_mem_total */

/* A node: a stack and its TCP on a budget of its own, all of which TCP's
 * account may use (pressure at tb_pressure bytes, SIZE_MAX: none). */
struct tnode {
    struct uk_tcpip_stackv4 st;
    struct uk_tcpip_tcpv4 tcp;
    struct test_mem mem;
    struct uk_mem_account acct;
};
static size_t tb_mem_total = TB_MEM, tb_pressure = SIZE_MAX;

static struct h_env env;
static struct uk_wire wire;
static struct uk_faults fa, fb;
static bool tb_faulty;
static struct tnode na, nb;
/* When set, B's stack sits on tb_wrap_b(B's wire end) instead (a capture
 * shim, say), which must stand in for the end until disconnected. */
static struct uk_network *(*tb_wrap_b)(struct uk_network *lower);
/* When set, B's wire end is tb_under_faults_b(B's wire end), below B's
 * fault shim (a device with segmentation offload, say). */
static struct uk_network *(*tb_under_faults_b)(struct uk_network *lower);

/* Builds the two nodes with addresses ca and cb (BORROWED). */
static inline void tb_build_on(const struct uk_tcpip_tcp_config *cfg,
                               size_t nconns,
                               const struct uk_faults_config *fc,
                               uint64_t seed, const struct uk_ipv4_config *ca,
                               const struct uk_ipv4_config *cb)
{
    struct uk_network *wa, *wb;
    test_mem_init(&na.mem, tb_mem_total);
    test_mem_init(&nb.mem, tb_mem_total);
    uk_mem_account_init(&na.acct, &na.mem.mem, "tcp-a", tb_pressure,
                        SIZE_MAX);
    uk_mem_account_init(&nb.acct, &nb.mem.mem, "tcp-b", tb_pressure,
                        SIZE_MAX);
    h_env_init(&env, seed);
    uk_wire_init(&wire, &env.loop.time, &h_mac_a, &h_mac_b);
    wa = uk_wire_network(&wire, 0);
    wb = uk_wire_network(&wire, 1);
    tb_faulty = fc != NULL;
    if (tb_under_faults_b != NULL)
        wb = tb_under_faults_b(wb);
    if (fc != NULL) {
        struct uk_faults_config c2 = *fc;
        c2.seed = fc->seed * 7 + 1;
        /* Corrupt on one end only: a frame crossing both shims could get
         * two flips, which the Internet checksum cannot always see (a
         * real link's CRC would); one flip per frame it always sees. */
        c2.corrupt = 0;
        assert_int_equal(uk_faults_init(&fa, wa, &env.loop.time, fc), 0);
        assert_int_equal(uk_faults_init(&fb, wb, &env.loop.time, &c2), 0);
        wa = &fa.base;
        wb = &fb.base;
    }
    if (tb_wrap_b != NULL)
        wb = tb_wrap_b(wb);
    assert_int_equal(uk_tcpip_stackv4_init(&na.st, wa, &env.loop.time,
                                           &env.prng.random, ca, NULL),
                     0);
    assert_int_equal(uk_tcpip_stackv4_init(&nb.st, wb, &env.loop.time,
                                           &env.prng.random, cb, NULL),
                     0);
    assert_int_equal(uk_tcpip_tcp_init(&na.tcp, uk_tcpip_stackv4_ipv4(&na.st),
                                       &env.loop.time, &env.prng.random, cfg,
                                       &na.acct, nconns),
                     0);
    assert_int_equal(uk_tcpip_tcp_init(&nb.tcp, uk_tcpip_stackv4_ipv4(&nb.st),
                                       &env.loop.time, &env.prng.random, cfg,
                                       &nb.acct, nconns),
                     0);
    uk_tcpip_stackv4_set_tcpv4(&na.st, &na.tcp.base);
    uk_tcpip_stackv4_set_tcpv4(&nb.st, &nb.tcp.base);
}

/* Builds the two nodes as A_IP/24 and B_IP/24. */
static inline void tb_build(const struct uk_tcpip_tcp_config *cfg, size_t nconns,
                     const struct uk_faults_config *fc, uint64_t seed)
{
    struct uk_ipv4_config ca = {A_IP, {0xffffff00u}, {0}};
    struct uk_ipv4_config cb = {B_IP, {0xffffff00u}, {0}};
    tb_build_on(cfg, nconns, fc, seed, &ca, &cb);
}

/* Runs the loop in virtual time until pred() holds or ns pass; returns
 * pred(). */
static inline bool tb_run_until(bool (*pred)(void), uint64_t ns)
{
    uint64_t end = env.clock.mono_ns + ns;
    unsigned long turns = 0;
    while (!pred()) {
        uint64_t next;
        uk_loop_run_once(&env.loop, false);
        assert_true(++turns < 400000000ul);
        if (pred())
            break;
        next = uk_loop_next_deadline(&env.loop);
        if (next <= env.clock.mono_ns)
            continue;
        if (next > end || next == UK_TIME_NEVER)
            break;
        fake_clock_set(&env.clock, next);
    }
    return pred();
}

static int tb_done;
static inline void tb_on_done(void *arg)
{
    UK_UNUSED(arg);
    tb_done++;
}

/* Disconnects both stacks; every pooled buffer and every byte of both
 * budgets must be back. */
static inline void tb_teardown(void)
{
    h_run_for(&env, 1000 * UK_NS_PER_MS);
    tb_done = 0;
    uk_stackv4_disconnect(&na.st.base, tb_on_done, NULL);
    uk_stackv4_disconnect(&nb.st.base, tb_on_done, NULL);
    assert_int_equal(tb_done, 0);
    h_run_for(&env, 200 * UK_NS_PER_S);
    assert_int_equal(tb_done, 2);
    if (tb_faulty) {
        assert_int_equal(uk_faults_busy(&fa), 0);
        assert_int_equal(uk_faults_busy(&fb), 0);
    }
    assert_int_equal(uk_wire_end_available(&wire, 0), UK_WIRE_FRAMES);
    assert_int_equal(uk_wire_end_available(&wire, 1), UK_WIRE_FRAMES);
    assert_int_equal(na.st.ip.big.available, na.st.ip.big.count);
    assert_int_equal(nb.st.ip.big.available, nb.st.ip.big.count);
    assert_int_equal(na.acct.used, 0);
    assert_int_equal(nb.acct.used, 0);
    assert_int_equal(na.mem.stats.used, 0);
    assert_int_equal(nb.mem.stats.used, 0);
}

/* Prints every connection of a node (debugging aid for failures). */
static inline void tb_dump(const char *name, struct tnode *n)
{
    size_t i = 0;
    struct uk_tcpip_tcp_conn *c;
    for (c = n->tcp.live; c != NULL; c = c->anext, i++) {
        print_error("%s[%zu] st %d app %d err %d una %u nxt %u max %u slen %zu "
                    "wnd %u cwnd %u ssth %u rec %d rcv_nxt %u read %u ooo %u "
                    "fin q%d a%d rf%d rto %lu trtx %lu now %lu armed %d "
                    "rd %p wr %p ev %u ring s%zu r%zu adv %u\n", name, i, c->state, c->app, c->err,
                    c->snd_una, c->snd_nxt, c->snd_max, c->slen, c->snd_wnd,
                    c->cwnd, c->ssthresh, c->in_recovery, c->rcv_nxt,
                    c->read_seq, c->nooo, c->fin_queued, c->fin_acked,
                    c->rcv_fin, (unsigned long)c->rto,
                    (unsigned long)c->t_rtx, (unsigned long)env.clock.mono_ns,
                    uk_timer_is_armed(&c->timer), (void *)c->read_cb,
                    (void *)c->write_cb, c->events, c->ssize, c->rsize,
                    c->rcv_adv);
    }
}

/* ---- a flow application: patterned writer and verifying reader ---- */

static inline uint8_t tb_pattern(uint64_t seed, uint64_t i)
{
    uint64_t x = (i + seed * 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;
    return (uint8_t)(x >> 56 ^ i >> 10);
}

struct tb_app {
    struct uk_flow *f;
    uint64_t seed;          /* pattern of what this side sends */
    uint64_t peer_seed;     /* pattern of what it receives */
    uint64_t to_send, sent, received;
    size_t chunk;
    bool shutdown_after, close_on_eof, eof, closed, write_busy, reading;
    bool mismatch;
    int read_err, write_err;
    unsigned reads, writes, read_cbs, write_cbs, close_cbs, eofs;
    uint8_t wbuf[65536];
};

static inline void tb_app_write(struct tb_app *a);
static inline void tb_app_read(struct tb_app *a);

static inline void tb_on_close(void *arg)
{
    struct tb_app *a = (struct tb_app *)arg;
    a->close_cbs++;
    a->closed = true;
}

static inline void tb_app_close(struct tb_app *a)
{
    if (a->f != NULL && !a->write_busy && !a->reading) {
        assert_int_equal(uk_flow_close(a->f, tb_on_close, a), 0);
        a->f = NULL;
    }
}

static inline void tb_on_write(void *arg, int status, size_t written)
{
    struct tb_app *a = (struct tb_app *)arg;
    a->write_cbs++;
    a->write_busy = false;
    a->sent += written;
    if (status != 0) {
        a->write_err = status;
        return;
    }
    tb_app_write(a);
}

static inline void tb_app_write(struct tb_app *a)
{
    size_t n, i;
    if (a->f == NULL || a->write_busy)
        return;
    if (a->sent == a->to_send) {
        if (a->shutdown_after) {
            a->shutdown_after = false;
            assert_int_equal(uk_flow_shutdown(a->f), 0);
        }
        if (a->close_on_eof && a->eof)
            tb_app_close(a);
        return;
    }
    n = a->chunk;
    if (n > a->to_send - a->sent)
        n = (size_t)(a->to_send - a->sent);
    for (i = 0; i < n; i++)
        a->wbuf[i] = tb_pattern(a->seed, a->sent + i);
    a->write_busy = true;
    a->writes++;
    assert_int_equal(uk_flow_write(a->f, a->wbuf, n, tb_on_write, a), 0);
}

static inline void tb_on_read(void *arg, int status, const void *data, size_t len)
{
    struct tb_app *a = (struct tb_app *)arg;
    const uint8_t *d = (const uint8_t *)data;
    size_t i;
    a->read_cbs++;
    a->reading = false;
    if (status == UK_EOF) {
        a->eof = true;
        a->eofs++;
        if (a->close_on_eof && a->sent == a->to_send)
            tb_app_close(a);
        return;
    }
    if (status < 0) {
        a->read_err = status;
        return;
    }
    assert_int_equal(status, 0);
    assert_true(len > 0 && len <= UK_FLOW_READ_MAX);
    for (i = 0; i < len; i++)
        if (d[i] != tb_pattern(a->peer_seed, a->received + i) &&
            !a->mismatch) {
            a->mismatch = true;
            print_error("mismatch at %lu (read of %zu at %lu): %02x want "
                        "%02x\n", (unsigned long)(a->received + i), len,
                        (unsigned long)a->received, d[i],
                        tb_pattern(a->peer_seed, a->received + i));
        }
    a->received += len;
    tb_app_read(a);
}

static inline void tb_app_read(struct tb_app *a)
{
    if (a->f == NULL || a->reading)
        return;
    a->reading = true;
    a->reads++;
    assert_int_equal(uk_flow_read(a->f, tb_on_read, a), 0);
}

static inline void tb_app_start(struct tb_app *a, struct uk_flow *f)
{
    a->f = f;
    if (a->chunk == 0)
        a->chunk = 16384;
    tb_app_read(a);
    tb_app_write(a);
}

/* Every operation got exactly one callback. */
static inline void tb_app_check_counts(const struct tb_app *a)
{
    assert_int_equal(a->reads, a->read_cbs);
    assert_int_equal(a->writes, a->write_cbs);
    assert_true(a->close_cbs <= 1);
}

/* ---- accept/connect plumbing ---- */

static struct tb_app *tb_server_app; /* the app an accepted flow gets */
static unsigned tb_accepts;
static inline void tb_on_accept(void *arg, struct uk_flow *f)
{
    UK_UNUSED(arg);
    tb_accepts++;
    assert_non_null(tb_server_app);
    tb_app_start(tb_server_app, f);
}

static int tb_connect_status;
static unsigned tb_connects;
static inline void tb_on_connect(void *arg, int status, struct uk_flow *f)
{
    struct tb_app *a = (struct tb_app *)arg;
    tb_connects++;
    tb_connect_status = status;
    if (status == 0) {
        assert_non_null(f);
        tb_app_start(a, f);
    } else {
        assert_null(f);
    }
}

/* A listens on port 80 handing its flow to srv; B connects cli to dst
 * (BORROWED), which names A's address and port 80. */
static inline void tb_start(struct tb_app *srv, struct tb_app *cli,
                            const struct uk_ipv4_ep *dst)
{
    tb_server_app = srv;
    tb_accepts = tb_connects = 0;
    assert_int_equal(uk_tcpv4_listen(&na.tcp.base, 80, 0, tb_on_accept, NULL),
                     0);
    assert_int_equal(uk_tcpv4_connect(&nb.tcp.base, dst, tb_on_connect, cli),
                     0);
}

/* ---- a bulk transfer both ways ---- */

static struct tb_app tb_srv, tb_cli;

static inline bool tb_bulk_closed(void)
{
    return tb_srv.closed && tb_cli.closed;
}

static inline bool tb_tcp_idle(void)
{
    return uk_tcpip_tcp_active(&na.tcp) == 0 &&
           uk_tcpip_tcp_active(&nb.tcp) == 0;
}

/* Builds the nodes (256 KiB rings, through the faults of spec when not
 * NULL, with seed) and moves `bytes` each way at once over one connection
 * between A (server, writing chunk_a bytes at a time) and B (client,
 * chunk_b), each side shutting down after its last byte and closing on
 * EOF, within limit_ns of virtual time; asserts both directions arrived
 * byte-exact, every callback came once, and TCP went idle.  The caller
 * reads the stats, then calls tb_teardown(). */
static inline void tb_bulk(const char *spec, uint64_t seed, size_t bytes,
                           size_t chunk_a, size_t chunk_b, uint64_t limit_ns)
{
    struct uk_faults_config fc;
    struct uk_tcpip_tcp_config cfg;
    struct uk_ipv4_ep dst = {A_IP, 80};
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    if (spec != NULL) {
        assert_int_equal(uk_faults_parse(spec, strlen(spec), &fc), 0);
        fc.seed = seed;
    }
    tb_build(&cfg, 4, spec != NULL ? &fc : NULL, seed);
    memset(&tb_srv, 0, sizeof tb_srv);
    memset(&tb_cli, 0, sizeof tb_cli);
    tb_srv.seed = tb_cli.peer_seed = seed * 3 + 1;
    tb_cli.seed = tb_srv.peer_seed = seed * 5 + 2;
    tb_srv.to_send = tb_cli.to_send = bytes;
    tb_srv.chunk = chunk_a;
    tb_cli.chunk = chunk_b;
    tb_srv.shutdown_after = tb_cli.shutdown_after = true;
    tb_srv.close_on_eof = tb_cli.close_on_eof = true;
    tb_start(&tb_srv, &tb_cli, &dst);
    if (!tb_run_until(tb_bulk_closed, limit_ns)) {
        tb_dump("A", &na);
        tb_dump("B", &nb);
    }
    assert_true(tb_bulk_closed());
    assert_false(tb_srv.mismatch);
    assert_false(tb_cli.mismatch);
    assert_int_equal(tb_srv.received, bytes);
    assert_int_equal(tb_cli.received, bytes);
    assert_int_equal(tb_srv.eofs, 1);
    assert_int_equal(tb_cli.eofs, 1);
    tb_app_check_counts(&tb_srv);
    tb_app_check_counts(&tb_cli);
    assert_int_equal(tb_srv.close_cbs, 1);
    assert_int_equal(tb_cli.close_cbs, 1);
    assert_true(tb_run_until(tb_tcp_idle, 120 * UK_NS_PER_S));
}

#endif
