/*
 * store_env.h - a fake-clock event loop and synchronous wrappers around
 * the asynchronous KV_RW and BLOCK calls, for the store's tests: each
 * helper makes the call, runs the loop until it drains, and returns the
 * callback's status (or the call's own error).  Header-only.
 */
#ifndef UK_TESTS_STORE_ENV_H
#define UK_TESTS_STORE_ENV_H

#include <stdint.h>
#include <string.h>

#include <uk/kvstore.h>
#include <uk/loop.h>

#include "fake_clock.h"

struct env {
    struct fake_clock clock;
    struct fake_poller poller;
    struct uk_loop loop;
};

static struct env E;

static inline struct uk_time *env_init(void)
{
    fake_clock_init(&E.clock, 1000, 0);
    fake_poller_init(&E.poller, &E.clock);
    uk_loop_init(&E.loop, &E.clock.clock, &E.poller.poller);
    return &E.loop.time;
}

struct env_result {
    int status;
    int calls;
};

static inline void env_cb(void *arg, int status)
{
    struct env_result *r = arg;
    r->status = status;
    r->calls++;
}

/* Runs the loop to the end; the callback must have run exactly once. */
static inline int env_wait(int rc, struct env_result *r)
{
    if (rc != 0)
        return rc;
    (void)uk_loop_run(&E.loop);
    return r->calls == 1 ? r->status : -1000;
}

static inline int env_open(struct uk_kvstore *s, struct uk_block *blk,
                           const struct uk_kvstore_config *cfg, void *mem,
                           size_t len)
{
    struct env_result r = {0, 0};
    return env_wait(uk_kvstore_open(s, blk, &E.loop.time, cfg, mem, len,
                                    env_cb, &r),
                    &r);
}

static inline void env_close(struct uk_kv_rw *kv)
{
    uk_kv_rw_disconnect(kv, NULL, NULL);
    (void)uk_loop_run(&E.loop);
}

static inline int env_commit(struct uk_kv_rw *kv, const struct uk_kv_txn *t,
                             struct uk_kv_commit *out)
{
    static struct uk_kv_rw_req req;
    struct env_result r = {0, 0};
    return env_wait(uk_kv_rw_commit(kv, &req, t, out, env_cb, &r), &r);
}

static inline int env_read(struct uk_kv_rw *kv, const char *key,
                           uint64_t off, void *buf, size_t len, size_t *got)
{
    static struct uk_kv_rw_req req;
    struct env_result r = {0, 0};
    int rc = env_wait(uk_kv_rw_read(kv, &req, key, off, buf, len, env_cb,
                                    &r),
                      &r);
    *got = req.got;
    return rc;
}

static inline int env_read_at(struct uk_kv_rw *kv,
                              const struct uk_kv_commit *at, const char *key,
                              void *buf, size_t len, size_t *got)
{
    static struct uk_kv_rw_req req;
    struct env_result r = {0, 0};
    int rc = env_wait(uk_kv_rw_read_at(kv, &req, at, key, 0, buf, len,
                                       env_cb, &r),
                      &r);
    *got = req.got;
    return rc;
}

static inline int env_parent(struct uk_kv_rw *kv, struct uk_kv_commit *c)
{
    static struct uk_kv_rw_req req;
    struct env_result r = {0, 0};
    return env_wait(uk_kv_rw_parent(kv, &req, c, env_cb, &r), &r);
}

static inline int env_compact(struct uk_kv_rw *kv)
{
    static struct uk_kv_rw_req req;
    struct env_result r = {0, 0};
    return env_wait(uk_kv_rw_compact(kv, &req, env_cb, &r), &r);
}

/* Reads key into buf (NUL-terminated, at most cap - 1 bytes); returns the
 * status. */
static inline int env_get_str(struct uk_kv_rw *kv, const char *key,
                              char *buf, size_t cap)
{
    size_t got = 0;
    int rc = env_read(kv, key, 0, buf, cap - 1, &got);
    buf[rc == 0 ? got : 0] = '\0';
    return rc;
}

#endif
