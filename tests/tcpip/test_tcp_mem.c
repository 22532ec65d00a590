/*
 * test_tcp_mem.c - TCP's memory (uk/tcpip/tcp.h, "Memory") between two
 * stacks over the loopback wire: a server whose budget runs out refuses
 * new connections cleanly (resets, no crash, the ones it holds unharmed)
 * and takes them again once memory is given back; idle connections give
 * their empty rings back, so a budget too small for forty connections'
 * rings serves forty; rings grow while they limit a bulk transfer and the
 * account has room, stay small under pressure and are given back when
 * they drain; after close the account is
 * back to what the layer's tables take, after disconnect to zero.
 */
#include "test_tcp_harness.h"

/* ---- exhaustion ---- */

#define NCLI 40

struct cli {
    struct uk_flow *f;
    int status;   /* connect's */
    int read_err; /* the first read's end: 0 (data), UK_EOF, an error */
    bool connected, done, closed;
};

static struct cli clis[NCLI];
static struct uk_flow *held[NCLI];
static unsigned nheld;

static void srv_wrote(void *arg, int status, size_t n)
{
    UK_UNUSED(arg);
    UK_UNUSED(status);
    UK_UNUSED(n);
}

static bool srv_talk;      /* read the client's byte before answering */
static unsigned srv_nomem; /* answers the server had no memory for */

static void srv_answer(struct uk_flow *f)
{
    /* one byte says "you are served"; without memory for it, reset */
    int rc = uk_flow_write(f, "!", 1, srv_wrote, NULL);
    if (rc == 0) {
        assert_true(nheld < NCLI);
        held[nheld++] = f;
        return;
    }
    assert_int_equal(rc, UK_ENOMEM);
    srv_nomem++;
    assert_int_equal(uk_flow_abort(f, NULL, NULL), 0);
}

static void srv_got(void *arg, int status, const void *d, size_t n)
{
    UK_UNUSED(d);
    if (status == 0 && n > 0)
        srv_answer((struct uk_flow *)arg);
    else
        assert_int_equal(uk_flow_close((struct uk_flow *)arg, NULL, NULL), 0);
}

static void srv_accept(void *arg, struct uk_flow *f)
{
    UK_UNUSED(arg);
    if (srv_talk)
        assert_int_equal(uk_flow_read(f, srv_got, f), 0);
    else
        srv_answer(f);
}

static void cli_wrote(void *arg, int status, size_t n)
{
    UK_UNUSED(arg);
    UK_UNUSED(n);
    assert_int_equal(status, 0);
}

static void cli_closed(void *arg)
{
    ((struct cli *)arg)->closed = true;
}

static void cli_got(void *arg, int status, const void *d, size_t n)
{
    struct cli *c = (struct cli *)arg;
    UK_UNUSED(d);
    UK_UNUSED(n);
    c->read_err = status;
    c->done = true;
}

static void cli_connected(void *arg, int status, struct uk_flow *f)
{
    struct cli *c = (struct cli *)arg;
    c->status = status;
    if (status != 0) {
        c->done = true;
        return;
    }
    c->f = f;
    c->connected = true;
    if (srv_talk)
        assert_int_equal(uk_flow_write(f, "?", 1, cli_wrote, NULL), 0);
    assert_int_equal(uk_flow_read(f, cli_got, c), 0);
}

static bool clis_done(void)
{
    unsigned i;
    for (i = 0; i < NCLI; i++)
        if (!clis[i].done)
            return false;
    return true;
}

/* Connects clients [from, to) and runs until each was served or refused;
 * returns how many were served. */
static unsigned connect_clients(unsigned from, unsigned to)
{
    struct uk_ipv4_ep dst = {A_IP, 80};
    unsigned i, served = 0;
    for (i = 0; i < NCLI; i++)
        clis[i].done = i < from || i >= to;
    for (i = from; i < to; i++) {
        memset(&clis[i], 0, sizeof clis[i]);
        assert_int_equal(
            uk_tcpv4_connect(&nb.tcp.base, &dst, cli_connected, &clis[i]), 0);
    }
    assert_true(tb_run_until(clis_done, 60 * UK_NS_PER_S));
    for (i = from; i < to; i++) {
        struct cli *c = &clis[i];
        if (c->status == 0 && c->read_err == 0) {
            served++;
        } else {
            /* refused: a reset, before or after the handshake */
            assert_true(c->status == UK_ECONNREFUSED ||
                        c->status == UK_ECONNRESET ||
                        c->read_err == UK_ECONNRESET);
        }
    }
    return served;
}

static void close_clients(void)
{
    unsigned i;
    for (i = 0; i < NCLI; i++)
        if (clis[i].f != NULL) {
            assert_int_equal(uk_flow_close(clis[i].f, cli_closed, &clis[i]),
                             0);
            clis[i].f = NULL;
        }
}

static void close_held(void)
{
    unsigned i;
    for (i = 0; i < nheld; i++)
        assert_int_equal(uk_flow_close(held[i], NULL, NULL), 0);
    nheld = 0;
    close_clients();
    h_run_for(&env, 5 * UK_NS_PER_S);
}

static void test_exhaustion_refuses_and_recovers(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    size_t tables, room;
    unsigned served;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.ring_init = cfg.ring_min = 4096;
    cfg.syn_queue = 4;
    tb_build(&cfg, 100, NULL, 5);
    tables = na.acct.used;
    /* the server's budget: its tables and about eight connections, each
     * its state and the send ring of its answer */
    room = 8 * (sizeof(struct uk_tcpip_tcp_conn) + 4096) + 2048;
    na.mem.stats.total = na.mem.stats.used + room;
    nheld = 0;
    srv_talk = false;
    srv_nomem = 0;
    assert_int_equal(uk_tcpv4_listen(&na.tcp.base, 80, 0, srv_accept, NULL),
                     0);
    served = connect_clients(0, NCLI);
    print_message("served %u of %u; refused for memory %lu, answers %u\n",
                  served, NCLI, (unsigned long)na.tcp.stats.mem_refused,
                  srv_nomem);
    assert_true(served <= 8);
    assert_true(na.tcp.stats.mem_refused + srv_nomem > 0);
    assert_int_equal(nheld, served);
    assert_true(na.acct.used <= tables + room);
    /* the server lets go of every connection: memory comes back */
    close_held();
    assert_int_equal(uk_tcpip_tcp_active(&na.tcp), 0);
    assert_int_equal(na.acct.used, tables);
    /* and serves again */
    served = connect_clients(0, 5);
    assert_int_equal(served, 5);
    close_held();
    assert_int_equal(na.acct.used, tables);
    tb_teardown();
}

/* A budget with room for the rings of four connections serves forty that
 * come one after the other, each asks and is answered, then stays open and
 * idle: rings come with the
 * first byte and go back when they hold nothing and memory is short, so an
 * idle connection costs its state alone. */
static void test_idle_connections_cost_their_state(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    size_t tables, conn = sizeof(struct uk_tcpip_tcp_conn), room;
    unsigned served = 0, i;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.ring_init = 16384;
    cfg.ring_min = 4096;
    tb_build(&cfg, 100, NULL, 6);
    tables = na.acct.used;
    room = NCLI * conn + 4 * 2 * 16384;
    na.mem.stats.total = na.mem.stats.used + room;
    nheld = 0;
    srv_talk = true;
    srv_nomem = 0;
    assert_int_equal(uk_tcpv4_listen(&na.tcp.base, 80, 0, srv_accept, NULL),
                     0);
    for (i = 0; i < NCLI; i++) { /* one after the other, ACKed */
        served += connect_clients(i, i + 1);
        h_run_for(&env, UK_NS_PER_S);
    }
    print_message("served %u of %u; rings freed %lu, refused %lu; "
                  "%zu bytes held (state %zu each)\n",
                  served, NCLI, (unsigned long)na.tcp.stats.ring_freed,
                  (unsigned long)na.tcp.stats.ring_refused,
                  na.acct.used - tables, conn);
    assert_int_equal(served, NCLI);
    assert_int_equal(srv_nomem, 0);
    assert_true(na.tcp.stats.ring_freed > 0);
    assert_true(na.acct.used <= tables + room);
    close_held();
    assert_int_equal(na.acct.used, tables);
    srv_talk = false;
    tb_teardown();
}

/* A server that answers and closes each connection, to clients that read
 * the answer and never close: every connection it ends waits in FIN_WAIT_2
 * for a FIN that does not come (an orphan, the application done with it).
 * With the table full of orphans, a new client is still served: the oldest
 * orphan is reset to make room (as Linux resets orphans beyond
 * tcp_max_orphans), not the newcomer refused until fin_wait2_ns. */
static void srv_close_wrote(void *arg, int status, size_t n)
{
    UK_UNUSED(status);
    UK_UNUSED(n);
    assert_int_equal(uk_flow_close((struct uk_flow *)arg, NULL, NULL), 0);
}

static void srv_answer_close(void *arg, struct uk_flow *f)
{
    UK_UNUSED(arg);
    assert_int_equal(uk_flow_write(f, "!", 1, srv_close_wrote, f), 0);
}

#define NORPHAN 6

static void test_orphans_make_room(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    unsigned served;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    tb_build(&cfg, 2 * NORPHAN, NULL, 7);
    na.tcp.max_conns = NORPHAN; /* the server's table; the clients keep all */
    srv_talk = false;
    assert_int_equal(
        uk_tcpv4_listen(&na.tcp.base, 80, 0, srv_answer_close, NULL), 0);
    /* a table's worth, one after the other: all served, all orphans */
    for (served = 0; served < NORPHAN; served++)
        assert_int_equal(connect_clients(served, served + 1), 1);
    h_run_for(&env, UK_NS_PER_S);
    assert_int_equal(uk_tcpip_tcp_active(&na.tcp), NORPHAN);
    /* the newcomers are served, long before the orphans would time out */
    served = connect_clients(NORPHAN, 2 * NORPHAN);
    print_message("served %u of %u with the table full of orphans; "
                  "orphans reset %lu\n",
                  served, NORPHAN, (unsigned long)na.tcp.stats.orphans_reset);
    assert_int_equal(served, NORPHAN);
    assert_int_equal(na.tcp.stats.orphans_reset, NORPHAN);
    /* the oldest orphans' clients see the reset after their answer */
    assert_int_equal(clis[0].read_err, 0);
    close_clients();
    h_run_for(&env, 5 * UK_NS_PER_S);
    tb_teardown();
}

/* ---- ring growth and pressure ---- */

static struct tb_app srv, cli;

static bool both_closed(void)
{
    return srv.closed && cli.closed;
}

static size_t max_sring, max_rring; /* seen on the sender, the receiver */

static bool sample_rings(void)
{
    struct uk_tcpip_tcp_conn *s = na.tcp.live, *r = nb.tcp.live;
    if (s != NULL && s->sbuf != NULL && s->ssize > max_sring)
        max_sring = s->ssize;
    if (r != NULL && r->rbuf != NULL && r->rsize > max_rring)
        max_rring = r->rsize;
    return both_closed();
}

/* The server sends `bytes` to the client, which sends nothing; both close.
 * Returns the largest rings seen on the sender and receiver. */
static void bulk(uint64_t bytes, size_t *sring, size_t *rring)
{
    struct uk_ipv4_ep dst = {A_IP, 80};
    max_sring = max_rring = 0;
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.seed = cli.peer_seed = 11;
    cli.seed = srv.peer_seed = 12;
    srv.to_send = bytes;
    srv.chunk = 65536;
    srv.shutdown_after = cli.shutdown_after = true;
    srv.close_on_eof = cli.close_on_eof = true;
    tb_server_app = &srv;
    assert_int_equal(uk_tcpv4_listen(&na.tcp.base, 80, 0, tb_on_accept, NULL),
                     0);
    assert_int_equal(uk_tcpv4_connect(&nb.tcp.base, &dst, tb_on_connect, &cli),
                     0);
    assert_true(tb_run_until(sample_rings, 600 * UK_NS_PER_S));
    *sring = max_sring;
    *rring = max_rring;
    assert_false(cli.mismatch);
    assert_int_equal(cli.received, bytes);
    assert_int_equal(uk_tcpv4_unlisten(&na.tcp.base, 80), 0);
}

static void test_rings_grow_under_load(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    size_t tables_a, tables_b, sring, rring;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    cfg.ring_init = cfg.ring_min = 4096;
    tb_build(&cfg, 4, NULL, 21);
    tables_a = na.acct.used;
    tables_b = nb.acct.used;
    bulk(8u << 20, &sring, &rring);
    print_message("largest rings: send %zu, receive %zu; grown %lu + %lu\n",
                  sring, rring, (unsigned long)na.tcp.stats.ring_grown,
                  (unsigned long)nb.tcp.stats.ring_grown);
    assert_true(sring > 4096);
    assert_true(rring > 4096);
    assert_true(sring <= cfg.sndbuf && rring <= cfg.rcvbuf);
    /* after close: only the tables */
    h_run_for(&env, 200 * UK_NS_PER_S);
    assert_int_equal(na.acct.used, tables_a);
    assert_int_equal(nb.acct.used, tables_b);
    tb_teardown();
}

static void test_rings_stay_small_under_pressure(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    size_t sring, rring;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.sndbuf = cfg.rcvbuf = 256 * 1024;
    cfg.ring_init = 65536;
    cfg.ring_min = 4096;
    tb_pressure = 1; /* always under pressure */
    tb_build(&cfg, 4, NULL, 22);
    tb_pressure = SIZE_MAX;
    bulk(2u << 20, &sring, &rring);
    assert_int_equal(na.tcp.stats.ring_grown + nb.tcp.stats.ring_grown, 0);
    assert_int_equal(sring, 4096);
    assert_int_equal(rring, 4096);
    tb_teardown();
}

/* Rings taken before the pressure came shrink once they drain. */
static void test_rings_shrink_when_pressure_comes(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    struct uk_tcpip_tcp_conn *s, *c;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.ring_init = 32768;
    cfg.ring_min = 4096;
    tb_build(&cfg, 4, NULL, 23);
    memset(&srv, 0, sizeof srv);
    memset(&cli, 0, sizeof cli);
    srv.seed = cli.peer_seed = 31;
    cli.seed = srv.peer_seed = 32;
    srv.to_send = cli.to_send = 10000;
    tb_server_app = &srv;
    {
        struct uk_ipv4_ep dst = {A_IP, 80};
        assert_int_equal(
            uk_tcpv4_listen(&na.tcp.base, 80, 0, tb_on_accept, NULL), 0);
        assert_int_equal(
            uk_tcpv4_connect(&nb.tcp.base, &dst, tb_on_connect, &cli), 0);
    }
    h_run_for(&env, UK_NS_PER_S);
    s = na.tcp.live;
    c = nb.tcp.live;
    assert_non_null(s);
    assert_non_null(c);
    assert_int_equal(srv.received, 10000);
    assert_int_equal(s->rsize, 32768);
    assert_int_equal(s->ssize, 32768);
    /* pressure comes; the next exchange drains the rings */
    na.acct.pressure = 0;
    nb.acct.pressure = 0;
    srv.to_send = cli.to_send = 20000;
    tb_app_write(&srv);
    tb_app_write(&cli);
    h_run_for(&env, UK_NS_PER_S);
    assert_int_equal(srv.received, 20000);
    assert_int_equal(cli.received, 20000);
    assert_false(srv.mismatch);
    assert_false(cli.mismatch);
    assert_int_equal(s->rsize, 4096);
    assert_int_equal(s->ssize, 4096);
    assert_int_equal(c->rsize, 4096);
    assert_int_equal(c->ssize, 4096);
    assert_null(s->sbuf);
    assert_null(s->rbuf);
    assert_true(na.tcp.stats.ring_freed >= 2);
    assert_int_equal(uk_flow_close(srv.f, tb_on_close, &srv), 0);
    assert_int_equal(uk_flow_close(cli.f, tb_on_close, &cli), 0);
    srv.f = cli.f = NULL;
    h_run_for(&env, UK_NS_PER_S);
    tb_teardown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exhaustion_refuses_and_recovers),
        cmocka_unit_test(test_idle_connections_cost_their_state),
        cmocka_unit_test(test_orphans_make_room),
        cmocka_unit_test(test_rings_grow_under_load),
        cmocka_unit_test(test_rings_stay_small_under_pressure),
        cmocka_unit_test(test_rings_shrink_when_pressure_comes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
