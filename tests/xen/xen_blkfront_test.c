/*
 * xen_blkfront_test.c - blkfront's ring code against a fake blkback on the
 * host (blkfront_harness.c): backends/xen-common/blkfront.c is compiled
 * here with fakes for the hypervisor and xenstore.
 *
 * The fake backend checks every request the front end posts (segments,
 * grant references, disk range) and answers as the test says: in order,
 * out of order, with errors, or hostile (ids of no request, answers twice,
 * wrong operations, runaway indices).  The front end must count the bad
 * ones, never touch memory outside the caller's buffer and its pages (the
 * sanitizer build would catch it), never lose or double-free a slot or a
 * page, and keep working.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/prng.h>
#include <uk/target.h>

#include "blkfront_harness.h"

#define SECT 512

static int calls, last_status;
static bool in_submit;

static void done(void *arg, int status)
{
    int *where = arg;
    assert_false(in_submit); /* never from inside the call */
    calls++;
    last_status = status;
    if (where != NULL)
        *where = status;
}

static int teardown(void **state)
{
    (void)state;
    bfh_teardown();
    return 0;
}

static void fill(uint8_t *p, size_t n, uint64_t seed)
{
    struct uk_prng r;
    uk_prng_init_u64(&r, seed);
    uk_prng_fill(&r, p, n);
}

static int submit(bool write, struct uk_block_req *req, uint64_t at, void *buf,
                  size_t n, int *where)
{
    int rc;
    in_submit = true;
    rc = write ? uk_block_write(&bf.blk, req, at, buf, n, done, where)
               : uk_block_read(&bf.blk, req, at, buf, n, done, where);
    in_submit = false;
    return rc;
}

static void test_geometry(void **state)
{
    struct uk_block_info info;
    static uint8_t pages[UK__BF_PAGES * 4096] __attribute__((aligned(4096)));
    struct uk__blkfront d;
    (void)state;
    assert_int_equal(bfh_setup(4096, 0, true, false), 0);
    uk_block_info(&bf.blk, &info);
    assert_int_equal(info.sector_size, 4096);
    assert_int_equal(info.sectors, BFH_SECTORS / 8);
    assert_false(info.read_only);
    assert_int_equal(bf.seg_max, UK_XEN_BLKIF_SEGS_DIRECT);
    assert_string_equal(uk_block_id(&bf.blk), "xvdt");
    /* Sector sizes the protocol cannot carry are refused. */
    assert_int_equal(uk__blkfront_attach(&d, pages, 8, 0, 0, 0, false),
                     UK_EPROTO);
    assert_int_equal(uk__blkfront_attach(&d, pages, 8, 1000, 0, 0, false),
                     UK_EPROTO);
    assert_int_equal(uk__blkfront_attach(&d, pages, 8, 256, 0, 0, false),
                     UK_EPROTO);
    assert_int_equal(uk__blkfront_attach(&d, pages, 8, 8192, 0, 0, false),
                     UK_EPROTO);
    /* Indirect segments: at most what we allow, none when too few. */
    assert_int_equal(uk__blkfront_attach(&d, pages, 8, 512, 0, 4096, false),
                     0);
    assert_int_equal(d.seg_max, UK__BF_SEGS);
    assert_int_equal(uk__blkfront_attach(&d, pages, 8, 512, 0, 8, false), 0);
    assert_int_equal(d.seg_max, UK_XEN_BLKIF_SEGS_DIRECT);
}

static void test_arguments(void **state)
{
    static uint8_t buf[2 * SECT];
    struct uk_block_req r = {0}, r2 = {0};
    (void)state;
    assert_int_equal(bfh_setup(512, 32, true, true), 0);
    assert_int_equal(submit(false, &r, BFH_SECTORS, buf, 1, NULL), UK_EINVAL);
    assert_int_equal(submit(false, &r, BFH_SECTORS - 1, buf, 2, NULL),
                     UK_EINVAL);
    assert_int_equal(submit(false, &r, 0, buf, 0, NULL), UK_EINVAL);
    assert_int_equal(submit(true, &r, 0, buf, 1, NULL), UK_EROFS);
    assert_int_equal(submit(false, &r, BFH_SECTORS - 1, buf, 1, NULL), 0);
    assert_int_equal(submit(false, &r, 0, buf, 1, NULL), UK_EBUSY);
    assert_int_equal(xf_sources, 1); /* pending: the loop waits for it */
    bfh_serve_all();
    assert_int_equal(calls, 1);
    assert_int_equal(last_status, 0);
    assert_int_equal(xf_sources, 0); /* idle: it does not */
    assert_int_equal(submit(false, &r2, 0, buf, 2, NULL), 0);
    bfh_serve_all();
    assert_int_equal(calls, 2);
}

/* A write larger than one request: parts, indirect segments, then one
 * flush; durable (completed) only once the flush is answered. */
static void test_big_write_read(void **state)
{
    static uint8_t out[300 * SECT], in[300 * SECT];
    struct uk_block_req w = {0}, r = {0};
    int ws = 99, rs = 99;
    (void)state;
    assert_int_equal(bfh_setup(512, 256, true, false), 0);
    assert_int_equal(bf.seg_max, UK__BF_SEGS);
    fill(out, sizeof out, 1);
    assert_int_equal(submit(true, &w, 100, out + 0, 300, &ws), 0);
    /* 38 pages: 32 in the first part, 6 in the second. */
    assert_int_equal(bfh_take(), 2);
    assert_int_equal(bfh_taken[0].nseg, 32);
    assert_int_equal(bfh_taken[1].nseg, 6);
    assert_memory_equal(bfh_disk + 100 * SECT, out, sizeof out);
    /* Answered in reverse order: still one flush after both. */
    bfh_answer(1, 0);
    bfh_publish(0);
    assert_int_equal(bfh_take(), 0);
    bfh_answer(0, 0);
    bfh_publish(0);
    assert_int_equal(calls, 0);
    assert_int_equal(bfh_take(), 1);
    assert_int_equal(bfh_flushes, 1);
    assert_int_equal(bfh_taken[0].op, UK_XEN_BLKIF_OP_FLUSH_DISKCACHE);
    bfh_answer(0, 0);
    bfh_publish(0);
    assert_int_equal(calls, 1);
    assert_int_equal(ws, 0);
    assert_int_equal(submit(false, &r, 100, in, 300, &rs), 0);
    bfh_serve_all();
    assert_int_equal(rs, 0);
    assert_memory_equal(in, out, sizeof out);
    assert_int_equal(bf.st.bad, 0);
    bfh_check();
}

/* Without indirect descriptors: parts of 11 pages. */
static void test_direct_only(void **state)
{
    static uint8_t out[300 * SECT], in[300 * SECT];
    struct uk_block_req w = {0}, r = {0};
    (void)state;
    assert_int_equal(bfh_setup(512, 0, false, false), 0);
    fill(out, sizeof out, 2);
    assert_int_equal(submit(true, &w, 7, out, 300, NULL), 0);
    assert_int_equal(bfh_take(), 4); /* 11 + 11 + 11 + 5 pages */
    assert_int_equal(bfh_taken[3].nseg, 5);
    bfh_serve_all();
    assert_int_equal(bfh_flushes, 0); /* the backend has no flush */
    assert_int_equal(calls, 1);
    assert_int_equal(submit(false, &r, 7, in, 300, NULL), 0);
    bfh_serve_all();
    assert_memory_equal(in, out, sizeof out);
}

/* More than the slots and pages hold: queued, issued as pages come back,
 * all correct; flushes cover several writes. */
static void test_many_requests(void **state)
{
    enum { N = 24, LEN = 40 };
    static uint8_t out[N][LEN * SECT], in[N][LEN * SECT];
    static struct uk_block_req w[N], r[N];
    int st[N];
    unsigned k;
    (void)state;
    assert_int_equal(bfh_setup(512, 32, true, false), 0);
    memset(w, 0, sizeof w);
    memset(r, 0, sizeof r);
    for (k = 0; k < N; k++) {
        fill(out[k], sizeof out[k], 10 + k);
        st[k] = 99;
        assert_int_equal(submit(true, &w[k], k * LEN, out[k], LEN, &st[k]), 0);
    }
    bfh_serve_all();
    assert_int_equal(calls, N);
    for (k = 0; k < N; k++)
        assert_int_equal(st[k], 0);
    assert_true(bfh_flushes >= 1 && bfh_flushes < N);
    for (k = 0; k < N; k++)
        assert_int_equal(submit(false, &r[k], k * LEN, in[k], LEN, NULL), 0);
    bfh_serve_all();
    assert_memory_equal(in, out, sizeof out);
    assert_int_equal(bf.npage_free, UK__BF_DATA);
    assert_int_equal(bf.nslot_free, UK__BF_SLOTS);
}

/* 4096-byte sectors: disk addresses stay in 512-byte units. */
static void test_large_sectors(void **state)
{
    static uint8_t out[3 * 4096], in[3 * 4096];
    struct uk_block_req w = {0}, r = {0};
    (void)state;
    assert_int_equal(bfh_setup(4096, 0, true, false), 0);
    fill(out, sizeof out, 3);
    assert_int_equal(submit(true, &w, 5, out, 3, NULL), 0);
    bfh_serve_all();
    assert_memory_equal(bfh_disk + 40 * SECT, out, sizeof out);
    assert_int_equal(submit(false, &r, 5, in, 3, NULL), 0);
    bfh_serve_all();
    assert_memory_equal(in, out, sizeof out);
}

/* Hostile responses are counted and ignored; errors are reported.  Each
 * forged response takes the ring place of a true one (a backend answers
 * at most as many as were asked), so six reads are posted. */
static void test_hostile_backend(void **state)
{
    static uint8_t in[6][SECT];
    static struct uk_block_req r[6];
    int st[6], k;
    uint64_t id;
    (void)state;
    assert_int_equal(bfh_setup(512, 32, true, false), 0);
    fill(bfh_disk, 16 * SECT, 4);
    memset(r, 0, sizeof r);
    for (k = 0; k < 6; k++) {
        st[k] = 99;
        assert_int_equal(submit(false, &r[k], (uint64_t)k, in[k], 1, &st[k]),
                         0);
    }
    assert_int_equal(bfh_take(), 6);
    /* An id beyond the slots, a huge id. */
    bfh_answer_raw(UK__BF_SLOTS, UK_XEN_BLKIF_OP_READ, 0);
    bfh_answer_raw(~0ull, UK_XEN_BLKIF_OP_READ, 0);
    bfh_publish(0);
    assert_int_equal(bf.st.bad, 2);
    assert_int_equal(calls, 0);
    /* A runaway index: more responses than requests. */
    bfh_publish(1000);
    assert_int_equal(bf.st.bad, 3);
    assert_int_equal(calls, 0);
    /* A true answer works; the same answer again is refused. */
    id = bfh_taken[0].id;
    bfh_answer(0, 0);
    bfh_answer_raw(id, UK_XEN_BLKIF_OP_READ, 0);
    bfh_publish(0);
    assert_int_equal(bf.st.bad, 4);
    assert_int_equal(calls, 1);
    for (k = 0; k < 6 && st[k] != 0; k++)
        ;
    assert_true(k < 6);
    assert_memory_equal(in[k], bfh_disk + k * SECT, SECT);
    /* An answer of the wrong kind, and an error status, fail a read. */
    bfh_answer_raw(bfh_taken[0].id, UK_XEN_BLKIF_OP_WRITE, 0);
    bfh_answer_raw(bfh_taken[1].id, UK_XEN_BLKIF_OP_READ,
                   UK_XEN_BLKIF_RSP_ERROR);
    bfh_publish(0);
    assert_int_equal(calls, 3);
    assert_int_equal(last_status, UK_EIO);
    assert_int_equal(bf.st.bad, 5);
    assert_int_equal(bf.st.errors, 2);
    bfh_check();
    /* The three left lost their answers' places: only the backend going
     * away ends them. */
    uk__blkfront_backend_gone(&bf);
    xf_run();
    assert_int_equal(calls, 6);
    for (k = 0; k < 6; k++)
        assert_true(st[k] == 0 || st[k] == UK_EIO);
    bfh_check();
}

/* A failed flush fails the writes it covers; a backend that cannot flush
 * after all stops being asked. */
static void test_flush_errors(void **state)
{
    static uint8_t buf[SECT];
    struct uk_block_req w = {0};
    int ws = 99;
    (void)state;
    assert_int_equal(bfh_setup(512, 32, true, false), 0);
    assert_int_equal(submit(true, &w, 0, buf, 1, &ws), 0);
    bfh_take();
    bfh_answer(0, 0);
    bfh_publish(0);
    assert_int_equal(bfh_take(), 1);
    bfh_answer(0, UK_XEN_BLKIF_RSP_ERROR);
    bfh_publish(0);
    assert_int_equal(ws, UK_EIO);
    assert_int_equal(submit(true, &w, 0, buf, 1, &ws), 0);
    bfh_take();
    bfh_answer(0, 0);
    bfh_publish(0);
    assert_int_equal(bfh_take(), 1);
    bfh_answer(0, UK_XEN_BLKIF_RSP_EOPNOTSUPP);
    bfh_publish(0);
    assert_int_equal(ws, 0);
    assert_false(bf.flush);
    assert_int_equal(submit(true, &w, 0, buf, 1, &ws), 0);
    bfh_serve_all();
    assert_int_equal(bfh_flushes, 2);
    assert_int_equal(calls, 3);
}

static void on_disconnected(void *arg)
{
    int *order = arg;
    *order = calls;
}

/* The backend leaving, and disconnect: everything pending completes, once,
 * with UK_EIO or UK_ECANCELED, and never inside the call. */
static void test_gone_and_disconnect(void **state)
{
    static uint8_t big[200 * SECT], buf[SECT];
    struct uk_block_req a = {0}, b = {0}, c = {0};
    int as = 99, bs = 99, cs = 99, order = -1;
    (void)state;
    assert_int_equal(bfh_setup(512, 32, true, false), 0);
    assert_int_equal(submit(true, &a, 0, big, 200, &as), 0); /* queued */
    assert_int_equal(submit(false, &b, 0, buf, 1, &bs), 0);
    uk__blkfront_backend_gone(&bf);
    assert_int_equal(calls, 0);
    xf_run();
    assert_int_equal(as, UK_EIO);
    assert_int_equal(bs, UK_EIO);
    assert_int_equal(xf_sources, 0);
    bfh_check();
    assert_int_equal(submit(false, &c, 0, buf, 1, &cs), 0);
    assert_int_equal(calls, 2);
    xf_run();
    assert_int_equal(cs, UK_EIO);

    bfh_teardown();
    calls = 0;
    assert_int_equal(bfh_setup(512, 32, true, false), 0);
    assert_int_equal(submit(false, &b, 0, buf, 1, &bs), 0);
    uk_block_disconnect(&bf.blk, on_disconnected, &order);
    assert_int_equal(calls, 0);
    xf_run();
    assert_int_equal(bs, UK_ECANCELED);
    assert_int_equal(order, 1); /* after the request's completion */
    /* The backend answering afterwards changes nothing. */
    bfh_take();
    bfh_answer(0, 0);
    bfh_publish(0);
    assert_int_equal(calls, 1);
}

static int reset(void **state)
{
    (void)state;
    calls = 0;
    last_status = 0;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_geometry, reset, teardown),
        cmocka_unit_test_setup_teardown(test_arguments, reset, teardown),
        cmocka_unit_test_setup_teardown(test_big_write_read, reset, teardown),
        cmocka_unit_test_setup_teardown(test_direct_only, reset, teardown),
        cmocka_unit_test_setup_teardown(test_many_requests, reset, teardown),
        cmocka_unit_test_setup_teardown(test_large_sectors, reset, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_backend, reset, teardown),
        cmocka_unit_test_setup_teardown(test_flush_errors, reset, teardown),
        cmocka_unit_test_setup_teardown(test_gone_and_disconnect, reset,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
