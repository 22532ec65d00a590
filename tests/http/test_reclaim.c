/*
 * test_reclaim.c - the HTTP server against clients that hold resources
 * without using them: idle keep-alives and half-sent heads reclaimed for a
 * new client, slow heads cut by the minimum data rate, clients that stop
 * reading do not keep the body buffers from others, round robin among
 * downloads, and a 4 MiB budget serving 1,000 connections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server_env.h"

static const char get_index[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
static const char get_big[] = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n";

/* Asks f for / and checks the answer is a 200 (f's output is consumed). */
static void served(struct env *e, struct fake_flow *f)
{
    struct resp r;
    size_t off = 0;
    f->tx_len = 0;
    fake_flow_push_str(f, get_index);
    fake_drain(&e->loop);
    next_resp(f, &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_false(f->closing);
    f->tx_len = 0;
}

/* At the connection limit, a new client takes the place of the oldest
 * idle keep-alive; with none idle, of the oldest half-sent head. */
static void test_idle_then_heads_reclaimed(void **state)
{
    struct env *e = env_new(true, 4, 1);
    struct fake_flow f[7];
    int i;
    (void)state;
    for (i = 0; i < 4; i++) {
        connect_flow(e, &f[i]);
        served(e, &f[i]);
    }
    /* full of idle keep-alives: the oldest (f[0]) goes */
    connect_flow(e, &f[4]);
    fake_drain(&e->loop);
    assert_true(f[0].closed);
    assert_false(f[1].closing);
    served(e, &f[4]);
    assert_int_equal(e->srv.stats.reclaimed, 1);
    assert_int_equal(e->srv.stats.refused, 0);
    /* f[1] starts a head: still, idle ones go first (f[2]) */
    fake_flow_push_str(&f[1], "GET / HTTP/1.1\r\n");
    fake_drain(&e->loop);
    connect_flow(e, &f[5]);
    fake_drain(&e->loop);
    assert_true(f[2].closed);
    assert_false(f[1].closing);
    /* every one half-sent: the oldest head (f[1]) goes */
    fake_flow_push_str(&f[3], "GET / HTTP/1.1\r\n");
    fake_flow_push_str(&f[4], "GET / HTTP/1.1\r\n");
    fake_flow_push_str(&f[5], "GET / HTTP/1.1\r\n");
    fake_drain(&e->loop);
    connect_flow(e, &f[6]);
    fake_drain(&e->loop);
    assert_true(f[1].closed);
    assert_false(f[3].closing);
    served(e, &f[6]);
    assert_int_equal(e->srv.stats.reclaimed, 3);
    assert_int_equal(e->srv.stats.refused, 0);
    /* the others' heads still complete */
    fake_flow_push_str(&f[3], "Host: x\r\n\r\n");
    fake_drain(&e->loop);
    {
        struct resp r;
        size_t off = 0;
        next_resp(&f[3], &off, false, &r);
        assert_int_equal(r.status, 200);
    }
    env_end(e, f, 7);
}

/* A new client that has not sent its request yet is not taken for an idle
 * keep-alive: with none idle, the older half-sent heads go before it. */
static void test_new_client_not_idle(void **state)
{
    struct env *e = env_new(true, 3, 1);
    struct fake_flow f[4];
    int i;
    (void)state;
    for (i = 0; i < 2; i++) {
        connect_flow(e, &f[i]);
        fake_flow_push_str(&f[i], "GET / HTTP/1.1\r\n");
    }
    connect_flow(e, &f[2]); /* its request is on the way */
    fake_drain(&e->loop);
    connect_flow(e, &f[3]);
    fake_drain(&e->loop);
    assert_true(f[0].closed);
    assert_false(f[2].closing);
    served(e, &f[2]);
    served(e, &f[3]);
    env_end(e, f, 4);
}

static void long_header_timeout(struct uk_http_server_config *cfg)
{
    cfg->header_timeout_ns = 20 * UK_NS_PER_S;
}

/* Slowloris: a byte a second.  The minimum rate cuts each after the 2 s
 * grace, long before the 20 s header timeout; a client sending a long head
 * at a modest rate, and one sending it at once, are served. */
static void test_slowloris_cut_by_rate(void **state)
{
    enum { LORIS = 10 };
    struct env *e =
        env_new_budget(true, 64, 1, 64u << 20, long_header_timeout);
    struct fake_flow f[LORIS + 2];
    struct resp r;
    size_t off = 0;
    char chunk[101];
    int i, s;
    (void)state;
    for (i = 0; i < LORIS + 1; i++) {
        connect_flow(e, &f[i]);
        fake_flow_push_str(&f[i], "G");
    }
    fake_drain(&e->loop);
    /* f[LORIS]: a 1,000-byte head at 100 bytes per 100 ms */
    fake_flow_push_str(&f[LORIS], "ET / HTTP/1.1\r\nHost: x\r\n");
    memset(chunk, 'a', 100);
    chunk[100] = '\0';
    memcpy(chunk, "X-Pad: ", 7);
    chunk[98] = '\r';
    chunk[99] = '\n';
    for (s = 0; s < 10; s++) {
        fake_flow_push_str(&f[LORIS], chunk);
        fake_advance(&e->loop, &e->clock, UK_NS_PER_S / 10);
    }
    fake_flow_push_str(&f[LORIS], "\r\n");
    fake_drain(&e->loop);
    next_resp(&f[LORIS], &off, false, &r);
    assert_int_equal(r.status, 200);
    /* the lorises keep trickling, a byte a second */
    for (s = 0; s < 3; s++) {
        for (i = 0; i < LORIS; i++)
            if (!f[i].closing)
                fake_flow_push_str(&f[i], "E");
        fake_advance(&e->loop, &e->clock, UK_NS_PER_S);
    }
    for (i = 0; i < LORIS; i++)
        assert_true(f[i].closed);
    assert_int_equal(e->srv.stats.slow, LORIS);
    assert_int_equal(e->srv.stats.timeouts, 0);
    /* a normal client is served at once */
    connect_flow(e, &f[LORIS + 1]);
    served(e, &f[LORIS + 1]);
    env_end(e, f, LORIS + 2);
}

static void long_send_timeout(struct uk_http_server_config *cfg)
{
    cfg->send_timeout_ns = 60 * UK_NS_PER_S;
}

/* Releases f's held writes until its response is complete or it closes;
 * returns the fake seconds it took (at most limit). */
static int download(struct env *e, struct fake_flow *f, int limit)
{
    struct resp r;
    size_t off = 0;
    int s;
    for (s = 0; s < limit * 10; s++) {
        fake_flow_release(f);
        fake_drain(&e->loop);
        if (f->closing)
            break;
        if (f->tx_len >= BIG) {
            next_resp(f, &off, false, &r);
            if (r.body_len == BIG && off == f->tx_len)
                break;
        }
        fake_advance(&e->loop, &e->clock, UK_NS_PER_S / 10);
    }
    return s / 10;
}

/* Eight clients ask for a big file and never read, with a pool of two
 * buffers: a small page is still served at once, and a big download
 * completes as the non-readers' stalled writes are cut, long before the
 * 60 s send timeout. */
static void test_non_readers_do_not_starve(void **state)
{
    enum { STUCK = 8 };
    struct env *e = env_new_budget(false, 64, 2, 64u << 20, long_send_timeout);
    struct fake_flow f[STUCK + 2];
    struct resp r;
    size_t off = 0;
    int i, took;
    (void)state;
    for (i = 0; i < STUCK; i++) {
        connect_flow(e, &f[i]);
        f[i].hold_writes = true; /* never completes: the client reads not */
        fake_flow_push_str(&f[i], get_big);
    }
    fake_drain(&e->loop);
    /* a small page does not wait for the pool */
    connect_flow(e, &f[STUCK]);
    served(e, &f[STUCK]);
    /* a big one waits its turn, and gets it */
    connect_flow(e, &f[STUCK + 1]);
    f[STUCK + 1].hold_writes = true;
    fake_flow_push_str(&f[STUCK + 1], get_big);
    fake_drain(&e->loop);
    took = download(e, &f[STUCK + 1], 50);
    assert_false(f[STUCK + 1].closing);
    next_resp(&f[STUCK + 1], &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, big, BIG);
    assert_true(took < 30);
    for (i = 0; i < STUCK; i++)
        assert_true(f[i].closed);
    assert_int_equal(e->srv.stats.evicted, STUCK);
    env_end(e, f, STUCK + 2);
}

/* One pool buffer, two downloads: they take turns chunk by chunk. */
static void test_round_robin(void **state)
{
    struct env *e = env_new(false, 4, 1);
    struct fake_flow f[2];
    int i, turns = 0, rounds = 0;
    (void)state;
    for (i = 0; i < 2; i++) {
        connect_flow(e, &f[i]);
        f[i].hold_writes = true;
        fake_flow_push_str(&f[i], get_big);
    }
    fake_drain(&e->loop);
    assert_true(f[0].write_pending);
    assert_false(f[1].write_pending);
    while ((f[0].write_pending || f[1].write_pending) && rounds++ < 100) {
        int w = f[0].write_pending ? 0 : 1;
        fake_flow_release(&f[w]);
        fake_drain(&e->loop);
        /* the other one has the buffer now, unless w is done */
        if (f[w].tx_len < BIG && f[1 - w].tx_len < BIG) {
            assert_true(f[1 - w].write_pending);
            assert_false(f[w].write_pending);
            turns++;
        }
    }
    assert_true(turns >= 4);
    for (i = 0; i < 2; i++) {
        struct resp r;
        size_t off = 0;
        next_resp(&f[i], &off, false, &r);
        assert_memory_equal(r.body, big, BIG);
    }
    env_end(e, f, 2);
}

/* 450 GETs in one read (about 20 KB, more than a 16 KiB input buffer
 * would keep): every one is answered and the connection stays open. */
static void test_pipeline_burst(void **state)
{
    enum { Q = 450 };
    static char burst[Q * 96];
    struct env *e = env_new(false, 4, 1);
    struct fake_flow f;
    struct resp r;
    size_t n = 0, off = 0;
    int i;
    (void)state;
    for (i = 0; i < Q; i++)
        n += (size_t)sprintf(
            burst + n,
            "GET /?%d HTTP/1.1\r\nHost: x\r\nUser-Agent: pipeline\r\n\r\n", i);
    assert_true(n > 16384);
    connect_flow(e, &f);
    fake_flow_push(&f, burst, n);
    fake_drain(&e->loop);
    for (i = 0; i < Q; i++) {
        next_resp(&f, &off, false, &r);
        assert_int_equal(r.status, 200);
    }
    assert_int_equal(off, f.tx_len);
    assert_false(f.closing);
    env_end(e, &f, 1);
}

/* A 4 MiB budget (the buddy allocator images use): 1,000 keep-alive
 * clients are served and, idle, hold little; 1,000 half-sent heads (a
 * 16 KiB request block each) do not exhaust it: the oldest are reclaimed
 * and a new client is served. */
static void test_small_budget(void **state)
{
    enum { N = 1000 };
    const size_t budget = 4u << 20;
    struct env *e = env_new_heap(false, 1024, 4, budget, NULL);
    struct fake_flow *f = calloc(2 * N + 1, sizeof *f);
    struct resp r;
    size_t off = 0;
    int i;
    (void)state;
    assert_non_null(f);
    for (i = 0; i < N; i++) {
        connect_flow(e, &f[i]);
        served(e, &f[i]);
    }
    assert_int_equal(e->srv.stats.active, N);
    assert_true(e->srv.acct.used <= (size_t)N * 512); /* a record each */
    for (i = N; i < 2 * N; i++) {
        connect_flow(e, &f[i]);
        fake_flow_push_str(&f[i], "GET / HTTP/1.1\r\n");
        fake_drain(&e->loop);
    }
    assert_true(e->heap.stats.peak <= budget);
    assert_int_equal(e->srv.stats.no_memory, 0);
    assert_true(e->srv.stats.reclaimed > 0);
    connect_flow(e, &f[2 * N]);
    fake_flow_push_str(&f[2 * N], get_big);
    fake_drain(&e->loop);
    next_resp(&f[2 * N], &off, false, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, big, BIG);
    assert_int_equal(e->srv.stats.refused, 0);
    env_end(e, f, 2 * N + 1);
    free(f);
}

/* Under memory pressure that another layer causes (as TCP's rings do on
 * the direct stack: here a block the test takes from the budget), new
 * connections that have sent nothing yet hold next to nothing: accepting
 * more does not close them (before, each accept closed the oldest of
 * them, and a storm of arrivals closed every newcomer before it could
 * ask), and each is served when it asks. */
static void test_newcomers_survive_pressure(void **state)
{
    enum { N = 8, BLOCK = 16384, MAXB = 64 };
    struct env *e = env_new_heap(false, 64, 2, 1u << 20, NULL);
    struct fake_flow f[N];
    void *others[MAXB];
    int i, nb = 0;
    (void)state;
    while (!uk_mem_is_under_pressure(&e->heap.mem)) {
        assert_true(nb < MAXB);
        assert_non_null(others[nb] = uk_mem_alloc(&e->heap.mem, BLOCK));
        nb++;
    }
    for (i = 0; i < N; i++)
        connect_flow(e, &f[i]);
    fake_drain(&e->loop);
    for (i = 0; i < N; i++)
        assert_false(f[i].closing);
    assert_int_equal(e->srv.stats.reclaimed, 0);
    for (i = 0; i < N; i++)
        served(e, &f[i]);
    while (nb > 0)
        uk_mem_free(&e->heap.mem, others[--nb], BLOCK);
    env_end(e, f, N);
}

/* An idle keep-alive taken to make room is closed, not reset: its last
 * answer may still be on its way (a write completes when the flow took
 * the bytes, not when the client has them), and a reset would drop it. */
static void test_idle_victim_closed_not_reset(void **state)
{
    struct env *e = env_new(true, 2, 1);
    struct fake_flow f[3];
    int i;
    (void)state;
    for (i = 0; i < 2; i++) {
        connect_flow(e, &f[i]);
        served(e, &f[i]);
    }
    connect_flow(e, &f[2]); /* at the limit: idle f[0] goes, politely */
    fake_drain(&e->loop);
    assert_true(f[0].closed);
    assert_false(f[0].aborted);
    served(e, &f[1]);
    served(e, &f[2]);
    env_end(e, f, 3);
}

/* Takes every block of `block` bytes the budget m has, then gives back
 * every other one: half the budget is free, so it is not under pressure,
 * but a buddy budget has no larger block left.  Returns how many are
 * kept, in kept[0..). */
static int fragment(struct uk_mem *m, size_t block, void **kept, int max)
{
    void *p, **all = calloc((size_t)max * 2, sizeof *all);
    int n = 0, k = 0, i;
    assert_non_null(all);
    while (n < max * 2 && (p = uk_mem_alloc(m, block)) != NULL)
        all[n++] = p;
    assert_true(n < max * 2);
    for (i = 0; i < n; i++) {
        if (i % 2 == 0)
            uk_mem_free(m, all[i], block);
        else
            kept[k++] = all[i];
    }
    free(all);
    return k;
}

/* A request block the budget cannot give although it is below its
 * pressure mark (free memory only in pieces too small) is made by
 * reclaiming a half-sent head, not by turning the new request away. */
static void test_fragmented_budget_reclaims(void **state)
{
    enum { MAXB = 2048, PIECE = 256 };
    struct env *e = env_new_heap(false, 64, 2, 1u << 20, NULL);
    struct fake_flow f[2];
    void *kept[MAXB];
    int nk;
    (void)state;
    connect_flow(e, &f[0]);
    fake_flow_push_str(&f[0], "GET / HTTP/1.1\r\n"); /* holds a block */
    fake_drain(&e->loop);
    connect_flow(e, &f[1]);
    fake_drain(&e->loop);
    nk = fragment(&e->heap.mem, PIECE, kept, MAXB);
    assert_false(uk_mem_is_under_pressure(&e->heap.mem));
    served(e, &f[1]);
    assert_true(f[0].aborted);
    assert_int_equal(e->srv.stats.no_memory, 0);
    assert_int_equal(e->srv.stats.reclaimed, 1);
    while (nk > 0)
        uk_mem_free(&e->heap.mem, kept[--nk], PIECE);
    env_end(e, f, 2);
}

/* A flow that cannot get a send buffer now (UK_ENOMEM: the image's memory
 * is short) has a half-sent head reclaimed for it and writes again; the
 * answer is not lost by closing. */
static void test_send_buffer_short_reclaims(void **state)
{
    struct env *e = env_new(false, 8, 1);
    struct fake_flow f[2];
    (void)state;
    connect_flow(e, &f[0]);
    fake_flow_push_str(&f[0], "GET / HTTP/1.1\r\n");
    fake_drain(&e->loop);
    connect_flow(e, &f[1]);
    f[1].enomem_writes = 1;
    served(e, &f[1]);
    assert_true(f[0].aborted);
    assert_int_equal(e->srv.stats.reclaimed, 1);
    env_end(e, f, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_then_heads_reclaimed),
        cmocka_unit_test(test_new_client_not_idle),
        cmocka_unit_test(test_slowloris_cut_by_rate),
        cmocka_unit_test(test_non_readers_do_not_starve),
        cmocka_unit_test(test_round_robin),
        cmocka_unit_test(test_pipeline_burst),
        cmocka_unit_test(test_small_budget),
        cmocka_unit_test(test_newcomers_survive_pressure),
        cmocka_unit_test(test_idle_victim_closed_not_reset),
        cmocka_unit_test(test_fragmented_budget_reclaims),
        cmocka_unit_test(test_send_buffer_short_reclaims),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
