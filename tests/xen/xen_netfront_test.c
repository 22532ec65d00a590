/*
 * xen_netfront_test.c - netfront's ring code against a fake, hostile
 * backend, on the host: backends/xen-common/netfront.c is compiled here
 * with fakes for the hypervisor, xenstore and grant tables.
 *
 * The backend writes ring indices, ids, offsets, lengths and flags; every
 * test below writes wrong ones too and checks that netfront counts them as
 * dropped, never delivers memory outside its pages (the sanitizer build
 * would catch an access), never loses or double-frees a slot, and keeps
 * working with the good responses.
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

#include "netfront_harness.h"

static int setup(void **state)
{
    (void)state;
    nfh_setup();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    nfh_teardown();
    return 0;
}

static void test_rx_good_frame_and_recycle(void **state)
{
    uint32_t prod = nf.rx->h.req_prod, req_idx;
    uint16_t id;
    (void)state;
    assert_int_equal(prod, UK__NF_RX);
    assert_int_equal(xf_sources, 1);
    /* Answer the 6th request: id and page come from it. */
    id = nf.rx->ring[5].req.id;
    memcpy(nf.rxs[id].page + 10, "abcdef", 6);
    nfh_rx_respond(0, id, 10, 0, 60);
    hold_frames = true;
    nf.rx->h.rsp_prod = 1;
    uk__netfront_poll(&nf);
    assert_int_equal(delivered, 1);
    assert_int_equal(held[0]->len, 60);
    assert_memory_equal(held[0]->data, "abcdef", 6);
    assert_int_equal(nfh_rx_in_flight(), UK__NF_RX - 1);
    /* Freeing it re-posts the same page. */
    req_idx = nf.rx->h.req_prod;
    uk_buf_free(held[--nheld]);
    assert_int_equal(nf.rx->h.req_prod, req_idx + 1);
    assert_int_equal(nf.rx->ring[req_idx % 256].req.id, id);
    assert_int_equal(nfh_rx_in_flight(), UK__NF_RX);
}

/* The backend goes away with frames in flight and one RX page held by
 * the listener, then comes back: fresh rings, every page not held posted
 * again, the held one posted when freed, TX slots all free again. */
static void test_backend_gone_and_back(void **state)
{
    struct uk_buf *b;
    uint16_t id;
    (void)state;
    id = nf.rx->ring[0].req.id;
    nfh_rx_respond(0, id, 0, 0, 60);
    hold_frames = true;
    nf.rx->h.rsp_prod = 1;
    uk__netfront_poll(&nf);
    assert_int_equal(nheld, 1);
    assert_int_equal(uk_network_alloc(&nf.net, 0, 60, &b), 0);
    b->len = 60;
    assert_int_equal(uk_network_send(&nf.net, b), 0); /* in flight */
    uk__netfront_backend_gone(&nf);
    assert_int_equal(nfh_rx_in_flight(), 0);
    assert_int_equal(uk_network_alloc(&nf.net, 0, 60, &b), UK_ESTALE);
    uk__netfront_backend_back(&nf);
    assert_int_equal(nf.rx->h.req_prod, UK__NF_RX - 1);
    assert_int_equal(nf.tx->h.req_prod, 0);
    assert_int_equal(nf.rx->h.rsp_prod, 0);
    assert_int_equal(nf.ntx_free, UK__NF_TX);
    uk_buf_free(held[--nheld]);
    assert_int_equal(nf.rx->h.req_prod, UK__NF_RX);
    assert_int_equal(nfh_rx_in_flight(), UK__NF_RX);
    /* Frames flow again. */
    assert_int_equal(uk_network_alloc(&nf.net, 0, 60, &b), 0);
    b->len = 60;
    assert_int_equal(uk_network_send(&nf.net, b), 0);
    assert_int_equal(nf.tx->h.req_prod, 1);
}

static void test_rx_hostile(void **state)
{
    struct uk_network_stats st;
    uint16_t id = nf.rx->ring[0].req.id;
    (void)state;
    hold_frames = true;
    nfh_rx_respond(0, 999, 0, 0, 60);                    /* id out of range */
    nfh_rx_respond(1, id, 4000, 0, 200);                 /* past the page */
    nfh_rx_respond(2, nf.rx->ring[1].req.id, 0, 0, -1);  /* error status */
    nfh_rx_respond(3, nf.rx->ring[2].req.id, 0, 0, 0);   /* empty */
    nfh_rx_respond(4, nf.rx->ring[3].req.id, 0, UK_XEN_NETRXF_MORE_DATA, 100);
    nfh_rx_respond(5, nf.rx->ring[4].req.id, 0, 0, 64);  /* good: held */
    nfh_rx_respond(6, nf.rx->ring[4].req.id, 0, 0, 64);  /* same id again */
    nf.rx->h.rsp_prod = 7;
    uk__netfront_poll(&nf);
    assert_int_equal(delivered, 1);
    uk_network_stats(&nf.net, &st);
    assert_int_equal(st.rx_dropped, 6);
    /* Bad responses gave their pages back to the ring; one is held. */
    assert_int_equal(nfh_rx_in_flight(), UK__NF_RX - 1);
    /* An index far beyond what was posted is refused outright. */
    nf.rx->h.rsp_prod = 7 + 100000;
    uk__netfront_poll(&nf);
    assert_int_equal(delivered, 1);
}

static void test_tx_alloc_send_complete(void **state)
{
    struct uk_buf *b;
    struct uk_network_stats st;
    volatile struct uk_xen_netif_tx_req *r;
    (void)state;
    assert_int_equal(uk_network_alloc(&nf.net, 16, 100, &b), 0);
    memset(b->data, 0x5a, 100);
    b->len = 100;
    assert_int_equal(uk_network_send(&nf.net, b), 0);
    assert_int_equal(nf.tx->h.req_prod, 1);
    r = &nf.tx->ring[0].req;
    assert_int_equal(r->size, 100);
    assert_int_equal(r->offset, 16);
    assert_int_equal(nf.ntx_free, UK__NF_TX - 1);
    /* Complete it, then a duplicate, an unknown id and a runaway index. */
    nf.tx->ring[0].rsp.id = r->id;
    nf.tx->ring[0].rsp.status = 0;
    nf.tx->ring[1].rsp.id = nf.tx->ring[0].rsp.id;
    nf.tx->ring[1].rsp.status = 0;
    nf.tx->h.rsp_prod = 2; /* more than the one request */
    uk__netfront_poll(&nf);
    assert_int_equal(nf.ntx_free, UK__NF_TX - 1); /* refused outright */
    nf.tx->h.rsp_prod = 1;
    uk__netfront_poll(&nf);
    assert_int_equal(nf.ntx_free, UK__NF_TX);
    /* A copying send, then a completion naming a slot never sent. */
    assert_int_equal(uk_network_sendv(&nf.net, &(struct uk_iov){"hi", 2}, 1),
                     0);
    nf.tx->ring[1].rsp.id = 63;
    nf.tx->h.rsp_prod = 2;
    uk__netfront_poll(&nf);
    uk_network_stats(&nf.net, &st);
    assert_int_equal(st.tx_dropped, 2); /* the runaway index, the bad id */
    assert_int_equal(nf.ntx_free, UK__NF_TX - 1);
    /* Oversized frames are refused. */
    assert_int_equal(uk_network_alloc(&nf.net, 0, 1515, &b), UK_EMSGSIZE);
}

static void test_random_backend(void **state)
{
    struct uk_prng rng;
    uint32_t rx_rsp = 0, tx_rsp = 0;
    int round;
    (void)state;
    uk_prng_init_u64(&rng, 2026);
    for (round = 0; round < 3000; round++) {
        uint32_t k, n = uk_prng_below(&rng, 6);
        hold_frames = uk_prng_below(&rng, 2) == 0;
        for (k = 0; k < n; k++) {
            uint16_t id = (uint16_t)(uk_prng_below(&rng, 4) == 0
                                         ? uk_prng_below(&rng, 70000)
                                         : nf.rx->ring[rx_rsp % 256].req.id);
            nfh_rx_respond(rx_rsp++, id, (uint16_t)uk_prng_below(&rng, 4200),
                       (uint16_t)uk_prng_below(&rng, 16),
                       (int16_t)(uk_prng_below(&rng, 3000) - 500));
        }
        if (uk_prng_below(&rng, 50) == 0)
            rx_rsp += uk_prng_below(&rng, 1000); /* runaway index */
        nf.rx->h.rsp_prod = rx_rsp;
        if (uk_prng_below(&rng, 2) == 0) {
            struct uk_iov iov = {"frame", 5};
            (void)uk_network_sendv(&nf.net, &iov, 1);
        }
        if (uk_prng_below(&rng, 2) == 0 && tx_rsp != nf.tx->h.req_prod) {
            nf.tx->ring[tx_rsp % 256].rsp.id =
                (uint16_t)(uk_prng_below(&rng, 3) == 0
                               ? uk_prng_below(&rng, 80)
                               : nf.tx->ring[tx_rsp % 256].req.id);
            nf.tx->ring[tx_rsp % 256].rsp.status = 0;
            tx_rsp++;
            nf.tx->h.rsp_prod = tx_rsp;
        }
        uk__netfront_poll(&nf);
        /* Resynchronise with what netfront accepted, as a backend would. */
        rx_rsp = nf.rx_cons;
        tx_rsp = nf.tx_cons;
        assert_true(nf.ntx_free <= UK__NF_TX);
        if (nheld > HOLD_MAX / 2)
            while (nheld > 0)
                uk_buf_free(held[--nheld]);
        assert_true(nfh_rx_in_flight() + (unsigned)nheld <= UK__NF_RX);
    }
}

/* The fuzz seeds, then pseudo-random inputs, through the byte player. */
static void test_fuzz_replay(void **state)
{
    const char *src = getenv("UK_SOURCE_DIR");
    static const char *const seeds[] = {"rx_good", "rx_hostile", "tx_mix"};
    struct uk_prng rng;
    uint8_t buf[512];
    size_t i, n;
    (void)state;
    assert_non_null(src);
    for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char path[512];
        FILE *f;
        snprintf(path, sizeof path, "%s/fuzz/xen/seeds/%s", src, seeds[i]);
        f = fopen(path, "rb");
        assert_non_null(f);
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        nfh_teardown();
        nfh_setup();
        nfh_run_bytes(buf, n);
    }
    uk_prng_init_u64(&rng, 77);
    for (i = 0; i < 3000; i++) {
        n = uk_prng_below(&rng, sizeof buf);
        uk_prng_fill(&rng, buf, n);
        nfh_teardown();
        nfh_setup();
        nfh_run_bytes(buf, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rx_good_frame_and_recycle,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_backend_gone_and_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rx_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_alloc_send_complete, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_random_backend, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fuzz_replay, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
