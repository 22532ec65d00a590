/*
 * kvstore.c - the kvstore example's portable part (kvstore.h): a chain of
 * asynchronous store requests, one step per callback.
 */
#include <string.h>

#include "kvstore.h"

static struct {
    struct uk_console *con;
    struct uk_kv_rw *kv;
    const struct kvstore_actions *act;
    void (*done)(int status);
    struct uk_kv_rw_req req;
    struct uk_kv_txn txn;
    uint8_t txn_buf[4096];
    char val[1024];
    struct uk_kv_commit c;
    unsigned long shown;
    int status;
} K;

static void step_log(void *arg, int status);

static void fail(const char *what, int status)
{
    uk_console_printf(K.con, "kvstore: %s: %s", what, uk_strerror(status));
    if (K.status == 0)
        K.status = status;
}

static void print_commit(void)
{
    uk_console_printf(K.con, "commit %llu (parent %llu, time %lld, crc %08x) %s",
                      (unsigned long long)K.c.id,
                      (unsigned long long)K.c.parent, (long long)K.c.time_s,
                      (unsigned)K.c.checksum, K.c.msg);
}

static void step_log(void *arg, int status)
{
    int rc;
    (void)arg;
    if (status == UK_ENOENT || K.shown >= K.act->log) {
        K.done(K.status);
        return;
    }
    if (status != 0) {
        fail("log", status);
        K.done(K.status);
        return;
    }
    print_commit();
    K.shown++;
    if (K.shown >= K.act->log || K.c.id == K.c.parent) {
        K.done(K.status);
        return;
    }
    rc = uk_kv_rw_parent(K.kv, &K.req, &K.c, step_log, NULL);
    if (rc != 0)
        step_log(NULL, rc);
}

static void start_log(void)
{
    if (K.act->log == 0) {
        K.done(K.status);
        return;
    }
    uk_kv_rw_head(K.kv, &K.c);
    K.shown = 0;
    step_log(NULL, 0);
}

static void do_list(void)
{
    struct uk_kv_entry e;
    size_t i;
    int rc = 0;
    for (i = 0; K.act->list != NULL; i++) {
        rc = uk_kv_rw_list(K.kv, K.act->list, i, &e);
        if (rc != 0)
            break;
        uk_console_printf(K.con, "%s%s", e.name,
                          e.kind == UK_KV_DIR ? "/" : "");
    }
    if (K.act->list != NULL && rc != UK_ENOENT)
        fail("list", rc);
    start_log();
}

static void got(void *arg, int status)
{
    (void)arg;
    if (status != 0)
        fail(K.act->get, status);
    else
        uk_console_printf(K.con, "%s = %.*s", K.act->get, (int)K.req.got,
                          K.val);
    do_list();
}

static void do_get(void)
{
    int rc;
    if (K.act->get == NULL) {
        do_list();
        return;
    }
    rc = uk_kv_rw_read(K.kv, &K.req, K.act->get, 0, K.val, sizeof K.val,
                       got, NULL);
    if (rc != 0) {
        fail(K.act->get, rc);
        do_list();
    }
}

static void committed(void *arg, int status)
{
    (void)arg;
    if (status != 0)
        fail("commit", status);
    else
        print_commit();
    do_get();
}

void kvstore_run(struct uk_console *con, struct uk_kv_rw *kv,
                 const struct kvstore_actions *act,
                 void (*done)(int status))
{
    const char *v = act->value != NULL ? act->value : "";
    int rc;
    memset(&K, 0, sizeof K);
    K.con = con;
    K.kv = kv;
    K.act = act;
    K.done = done;
    if (act->set == NULL && act->del == NULL) {
        do_get();
        return;
    }
    uk_kv_txn_init(&K.txn, K.txn_buf, sizeof K.txn_buf);
    uk_kv_txn_info(&K.txn, act->time_s, act->msg != NULL ? act->msg : "");
    if (act->set != NULL)
        (void)uk_kv_txn_put(&K.txn, act->set, v, strlen(v));
    if (act->del != NULL)
        (void)uk_kv_txn_del(&K.txn, act->del);
    rc = uk_kv_rw_commit(kv, &K.req, &K.txn, &K.c, committed, NULL);
    if (rc != 0) {
        fail("commit", rc);
        do_get();
    }
}
