/*
 * test_tcp_scale.c - 1,000 concurrent connections between two stacks over
 * the loopback wire, each stack on an 8 MiB budget (TCP under pressure
 * from 2 MiB, so most connections get the small rings): every client sends
 * its bytes, the server echoes them, both close; all byte-exact, none
 * refused, every callback exactly once, all buffers and every byte of both
 * budgets back at the end.
 */
#include "test_tcp_harness.h"

#define NCONN 1000
#define MSG 3000

struct echo {
    struct uk_flow *f;
    uint8_t buf[MSG]; /* a client sends no more */
    bool eof, writing, reading, closed;
    unsigned reads, read_cbs, writes, write_cbs, closes;
};

struct client {
    struct uk_flow *f;
    unsigned idx;
    size_t got;
    bool eof, closed, bad;
    unsigned reads, read_cbs, writes, write_cbs, closes, connects;
};

static struct echo servers[NCONN];
static unsigned nservers;
static struct client clients[NCONN];
static uint8_t msg[NCONN][MSG];
static unsigned clients_closed, servers_closed;

static void echo_read(struct echo *e);

static void echo_closed(void *arg)
{
    struct echo *e = (struct echo *)arg;
    e->closes++;
    e->closed = true;
    servers_closed++;
}

static void echo_maybe_close(struct echo *e)
{
    if (e->eof && !e->writing && !e->reading && e->f != NULL) {
        assert_int_equal(uk_flow_close(e->f, echo_closed, e), 0);
        e->f = NULL;
    }
}

static void echo_written(void *arg, int status, size_t n)
{
    struct echo *e = (struct echo *)arg;
    UK_UNUSED(n);
    assert_int_equal(status, 0);
    e->write_cbs++;
    e->writing = false;
    echo_read(e);
}

static void echo_got(void *arg, int status, const void *d, size_t n)
{
    struct echo *e = (struct echo *)arg;
    e->read_cbs++;
    e->reading = false;
    if (status == UK_EOF) {
        e->eof = true;
        echo_maybe_close(e);
        return;
    }
    assert_int_equal(status, 0);
    if (n > sizeof e->buf)
        n = sizeof e->buf; /* cannot happen: clients send MSG bytes */
    memcpy(e->buf, d, n);
    e->writing = true;
    e->writes++;
    assert_int_equal(uk_flow_write(e->f, e->buf, n, echo_written, e), 0);
}

static void echo_read(struct echo *e)
{
    e->reading = true;
    e->reads++;
    assert_int_equal(uk_flow_read(e->f, echo_got, e), 0);
}

static void on_accept(void *arg, struct uk_flow *f)
{
    struct echo *e;
    UK_UNUSED(arg);
    assert_true(nservers < NCONN);
    e = &servers[nservers++];
    e->f = f;
    echo_read(e);
}

static void client_read(struct client *c);

static void client_closed(void *arg)
{
    struct client *c = (struct client *)arg;
    c->closes++;
    c->closed = true;
    clients_closed++;
}

static void client_got(void *arg, int status, const void *d, size_t n)
{
    struct client *c = (struct client *)arg;
    c->read_cbs++;
    if (status == UK_EOF) {
        c->eof = true;
        assert_int_equal(uk_flow_close(c->f, client_closed, c), 0);
        return;
    }
    assert_int_equal(status, 0);
    if (c->got + n > MSG || memcmp(d, msg[c->idx] + c->got, n) != 0)
        c->bad = true;
    c->got += n;
    client_read(c);
}

static void client_read(struct client *c)
{
    c->reads++;
    assert_int_equal(uk_flow_read(c->f, client_got, c), 0);
}

static void client_sent(void *arg, int status, size_t n)
{
    struct client *c = (struct client *)arg;
    assert_int_equal(status, 0);
    assert_int_equal(n, MSG);
    c->write_cbs++;
    assert_int_equal(uk_flow_shutdown(c->f), 0);
}

static void on_connect(void *arg, int status, struct uk_flow *f)
{
    struct client *c = (struct client *)arg;
    c->connects++;
    assert_int_equal(status, 0);
    c->f = f;
    client_read(c);
    c->writes++;
    assert_int_equal(uk_flow_write(f, msg[c->idx], MSG, client_sent, c), 0);
}

static bool all_closed(void)
{
    return clients_closed == NCONN && servers_closed == NCONN;
}

static bool idle(void)
{
    return uk_tcpip_tcp_active(&na.tcp) == 0 &&
           uk_tcpip_tcp_active(&nb.tcp) == 0;
}

static void test_thousand_connections(void **state)
{
    struct uk_tcpip_tcp_config cfg;
    struct uk_ipv4_ep dst = {A_IP, 80};
    unsigned i, j;
    UK_UNUSED(state);
    memset(&cfg, 0, sizeof cfg);
    cfg.ring_min = 2048;
    cfg.syn_queue = 2000;
    tb_mem_total = 8u << 20;
    tb_pressure = 2u << 20;
    tb_build(&cfg, NCONN + 10, NULL, 77);
    tb_mem_total = TB_MEM;
    tb_pressure = SIZE_MAX;
    assert_int_equal(uk_tcpv4_listen(&na.tcp.base, 80, 2000, on_accept, NULL),
                     0);
    for (i = 0; i < NCONN; i++) {
        clients[i].idx = i;
        for (j = 0; j < MSG; j++)
            msg[i][j] = (uint8_t)(i * 31 + j * 7 + (j >> 8));
        assert_int_equal(
            uk_tcpv4_connect(&nb.tcp.base, &dst, on_connect, &clients[i]), 0);
    }
    assert_int_equal(uk_tcpip_tcp_active(&nb.tcp), NCONN);
    assert_true(tb_run_until(all_closed, 600 * UK_NS_PER_S));
    for (i = 0; i < NCONN; i++) {
        struct client *c = &clients[i];
        struct echo *e = &servers[i];
        assert_false(c->bad);
        assert_int_equal(c->got, MSG);
        assert_true(c->eof);
        assert_int_equal(c->connects, 1);
        assert_int_equal(c->closes, 1);
        assert_int_equal(c->reads, c->read_cbs);
        assert_int_equal(c->writes, c->write_cbs);
        assert_int_equal(e->closes, 1);
        assert_int_equal(e->reads, e->read_cbs);
        assert_int_equal(e->writes, e->write_cbs);
    }
    assert_int_equal(nservers, NCONN);
    assert_true(tb_run_until(idle, 120 * UK_NS_PER_S));
    assert_int_equal(na.tcp.stats.tx_rst + nb.tcp.stats.tx_rst, 0);
    assert_int_equal(na.tcp.stats.mem_refused + nb.tcp.stats.mem_refused, 0);
    print_message("peak use of the 8 MiB budgets: %zu KiB, %zu KiB\n",
                  na.mem.stats.peak >> 10, nb.mem.stats.peak >> 10);
    tb_teardown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thousand_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
