/*
 * test_buf.c - buffers, queues and pools (uk/buf.h): push/pull/put/trim
 * bounds, FIFO order and accounting, pool exhaustion and return.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/buf.h>

static void test_init_clamps(void **state)
{
    uint8_t mem[32];
    struct uk_buf b;
    (void)state;
    uk_buf_init(&b, mem, sizeof mem, 8);
    assert_ptr_equal(b.head, mem);
    assert_ptr_equal(b.data, mem + 8);
    assert_int_equal(b.len, 0);
    assert_int_equal(uk_buf_headroom(&b), 8);
    assert_int_equal(uk_buf_tailroom(&b), 24);
    assert_null(b.free_fn);
    assert_null(b.next);
    uk_buf_init(&b, mem, sizeof mem, 100); /* headroom beyond capacity */
    assert_int_equal(uk_buf_headroom(&b), 32);
    assert_int_equal(uk_buf_tailroom(&b), 0);
    assert_null(uk_buf_put(&b, 1));
    uk_buf_reset(&b, 40);
    assert_int_equal(uk_buf_headroom(&b), 32);
    uk_buf_reset(&b, 4);
    assert_int_equal(uk_buf_headroom(&b), 4);
    assert_int_equal(uk_buf_tailroom(&b), 28);
}

static void test_push_pull_put_trim(void **state)
{
    uint8_t mem[32];
    struct uk_buf b;
    uint8_t *p;
    (void)state;
    uk_buf_init(&b, mem, sizeof mem, 8);

    p = uk_buf_put(&b, 24); /* exactly the tailroom */
    assert_ptr_equal(p, mem + 8);
    assert_int_equal(b.len, 24);
    assert_null(uk_buf_put(&b, 1));
    assert_int_equal(b.len, 24); /* failure changes nothing */
    assert_ptr_equal(uk_buf_put(&b, 0), mem + 32);

    assert_null(uk_buf_push(&b, 9));
    assert_int_equal(b.len, 24);
    assert_ptr_equal(b.data, mem + 8);
    p = uk_buf_push(&b, 8); /* exactly the headroom */
    assert_ptr_equal(p, mem);
    assert_int_equal(b.len, 32);
    assert_int_equal(uk_buf_headroom(&b), 0);
    assert_null(uk_buf_push(&b, 1));
    assert_null(uk_buf_push(&b, SIZE_MAX));

    assert_null(uk_buf_pull(&b, 33));
    assert_int_equal(b.len, 32);
    assert_null(uk_buf_pull(&b, SIZE_MAX));
    p = uk_buf_pull(&b, 30);
    assert_ptr_equal(p, mem + 30);
    assert_int_equal(b.len, 2);
    assert_ptr_equal(uk_buf_pull(&b, 2), mem + 32);
    assert_int_equal(b.len, 0);
    assert_int_equal(uk_buf_tailroom(&b), 0);

    uk_buf_reset(&b, 4);
    memcpy(uk_buf_put(&b, 6), "abcdef", 6);
    uk_buf_trim(&b, 10); /* longer than len: no change */
    assert_int_equal(b.len, 6);
    uk_buf_trim(&b, 3);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "abc", 3);
    assert_int_equal(uk_buf_tailroom(&b), 32 - 4 - 3);
    uk_buf_trim(&b, 0);
    assert_int_equal(b.len, 0);
    assert_null(uk_buf_put(&b, SIZE_MAX));
}

static void test_iov_total(void **state)
{
    struct uk_iov iov[3] = {{"ab", 2}, {NULL, 0}, {"cde", 3}};
    (void)state;
    assert_int_equal(uk_iov_total(iov, 3), 5);
    assert_int_equal(uk_iov_total(iov, 0), 0);
}

static int freed;

static void count_free(struct uk_buf *b)
{
    (void)b;
    freed++;
}

static void test_bufq(void **state)
{
    uint8_t mem[3][8];
    struct uk_buf b[3];
    struct uk_bufq q;
    int i;
    (void)state;
    uk_bufq_init(&q);
    assert_true(uk_bufq_is_empty(&q));
    assert_null(uk_bufq_pop(&q));
    for (i = 0; i < 3; i++) {
        uk_buf_init(&b[i], mem[i], 8, 0);
        uk_buf_put(&b[i], (size_t)i + 1);
        b[i].next = &b[0]; /* stale link: push must clear it */
        uk_bufq_push(&q, &b[i]);
    }
    assert_false(uk_bufq_is_empty(&q));
    assert_int_equal(q.count, 3);
    assert_int_equal(q.bytes, 6);
    assert_ptr_equal(uk_bufq_pop(&q), &b[0]);
    assert_null(b[0].next);
    assert_int_equal(q.count, 2);
    assert_int_equal(q.bytes, 5);
    uk_bufq_push(&q, &b[0]);
    assert_ptr_equal(uk_bufq_pop(&q), &b[1]);
    assert_ptr_equal(uk_bufq_pop(&q), &b[2]);
    assert_ptr_equal(uk_bufq_pop(&q), &b[0]);
    assert_null(uk_bufq_pop(&q));
    assert_true(uk_bufq_is_empty(&q));
    assert_null(q.last);
    assert_int_equal(q.bytes, 0);

    /* clear frees each buffer through its free_fn; NULL free_fn is
     * skipped. */
    freed = 0;
    b[0].free_fn = count_free;
    b[2].free_fn = count_free;
    for (i = 0; i < 3; i++)
        uk_bufq_push(&q, &b[i]);
    uk_bufq_clear(&q);
    assert_int_equal(freed, 2);
    assert_true(uk_bufq_is_empty(&q));
    assert_int_equal(q.count, 0);
    uk_buf_free(NULL); /* allowed */
}

static void test_bufpool(void **state)
{
    enum { COUNT = 4, SIZE = 64 };
    static uint8_t mem[COUNT * SIZE];
    struct uk_buf descs[COUNT], *got[COUNT];
    struct uk_bufpool pool;
    int i, j;
    (void)state;
    uk_bufpool_init(&pool, descs, mem, COUNT, SIZE);
    assert_int_equal(pool.available, COUNT);
    for (i = 0; i < COUNT; i++) {
        got[i] = uk_bufpool_get(&pool, 16);
        assert_non_null(got[i]);
        assert_int_equal(got[i]->cap, SIZE);
        assert_int_equal(got[i]->len, 0);
        assert_int_equal(uk_buf_headroom(got[i]), 16);
        assert_true(got[i]->head >= mem &&
                    got[i]->head + SIZE <= mem + sizeof mem);
        for (j = 0; j < i; j++) /* distinct, non-overlapping storage */
            assert_true(got[i]->head + SIZE <= got[j]->head ||
                        got[j]->head + SIZE <= got[i]->head);
        memset(got[i]->head, i, SIZE);
    }
    assert_int_equal(pool.available, 0);
    assert_null(uk_bufpool_get(&pool, 0)); /* exhausted */

    /* A returned buffer comes back reset, with the new headroom. */
    uk_buf_put(got[2], 10);
    got[2]->next = got[1];
    uk_buf_free(got[2]);
    assert_int_equal(pool.available, 1);
    got[2] = uk_bufpool_get(&pool, 4);
    assert_non_null(got[2]);
    assert_int_equal(got[2]->len, 0);
    assert_int_equal(uk_buf_headroom(got[2]), 4);
    assert_null(got[2]->next);
    assert_null(uk_bufpool_get(&pool, 0));

    for (i = 0; i < COUNT; i++)
        uk_buf_free(got[i]);
    assert_int_equal(pool.available, COUNT);
    for (i = 0; i < COUNT; i++)
        assert_non_null(uk_bufpool_get(&pool, 0));
    assert_null(uk_bufpool_get(&pool, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_clamps),
        cmocka_unit_test(test_push_pull_put_trim),
        cmocka_unit_test(test_iov_total),
        cmocka_unit_test(test_bufq),
        cmocka_unit_test(test_bufpool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
