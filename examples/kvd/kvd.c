/*
 * kvd.c - the kvd appliance (kvd.h): per connection, read a line, run its
 * command against the store (one request at a time), queue the reply,
 * read the next line.  Long replies (LOG, LIST) wait for the write queue
 * to drain below KVD_WQ_HIGH between lines, so a client that does not read
 * holds at most KVD_WQ_MAX bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <uk/stream.h>

#include "kvd.h"
#include "proto.h"

#define KVD_SCRATCH (KVD_LINE_MAX + 64)     /* a txn, or "VALUE " + value */
#define KVD_WQ_HIGH (16u << 10)             /* queue level to pause at */
#define KVD_WQ_MAX (KVD_WQ_HIGH + KVD_SCRATCH + 1024)
#define VALUE_PREFIX "VALUE "
#define VALUE_ROOM (KVD_SCRATCH - (sizeof VALUE_PREFIX - 1) - 1)

struct conn {
    struct uk_flow *flow;
    struct uk_stream s;
    struct uk_kv_rw_req req;  /* the store request, while store_busy */
    struct uk_kv_commit c;    /* SET/DEL's new commit; LOG/GETAT's walk */
    struct uk_kv_txn txn;
    struct kvd_cmd cmd;
    uint64_t next;            /* LOG: lines left; LIST: next index */
    void (*resume)(struct conn *c);
    bool store_busy, closing, closed;
    uint8_t scratch[KVD_SCRATCH];
};

static struct {
    struct kvd_config cfg;
    struct uk_mem_account acct; /* connections and streams */
    size_t conns;
    unsigned long served, refused;
} kvd;

static void next_command(struct conn *c);

size_t kvd_conn_size(void)
{
    return sizeof(struct conn);
}

static void conn_free(struct conn *c)
{
    uk_mem_account_free(&kvd.acct, c, sizeof *c);
    kvd.conns--;
}

static void conn_closed(void *arg)
{
    struct conn *c = arg;
    uk_stream_fini(&c->s);
    c->closed = true;
    if (!c->store_busy) /* else the store's callback frees it */
        conn_free(c);
}

static void conn_end(struct conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    if (uk_flow_close(c->flow, conn_closed, c) != 0)
        conn_closed(c);
}

/* Queues data[0..len) (which ends in "\n"); false (the connection is
 * ending) when the stream refuses it. */
static bool send(struct conn *c, const void *data, size_t len)
{
    if (uk_stream_write(&c->s, data, len) != 0) {
        conn_end(c);
        return false;
    }
    return true;
}

__attribute__((format(printf, 2, 3))) static bool reply(struct conn *c,
                                                        const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    return send(c, line, (size_t)n);
}

static bool reply_err(struct conn *c, int status)
{
    const char *why;
    switch (status) {
    case UK_ENOENT: why = "no such key"; break;
    case UK_EISDIR: why = "is a directory"; break;
    case UK_ENOTDIR: why = "not a directory"; break;
    case UK_ENOSPC: why = "the store is full"; break;
    case UK_ELIMIT: why = "the store holds as many keys as it can"; break;
    case UK_EMSGSIZE: why = "value too large"; break;
    case UK_EINVAL: why = "invalid key"; break;
    case UK_ENAMETOOLONG: why = "key too long"; break;
    default: why = uk_strerror(status); break;
    }
    return reply(c, "ERR %s", why);
}

static void answer_err(struct conn *c, int status)
{
    if (reply_err(c, status))
        next_command(c);
}

/* Replies with one fixed line and reads the next command. */
static void answer(struct conn *c, const char *line)
{
    if (reply(c, "%s", line))
        next_command(c);
}

/* ---- flow control: continue once the queue is below KVD_WQ_HIGH ------- */

static void drained(void *arg, int status)
{
    struct conn *c = arg;
    void (*fn)(struct conn *) = c->resume;
    c->resume = NULL;
    if (status != 0) {
        conn_end(c);
        return;
    }
    fn(c);
}

/* Runs fn(c) now, or once the client has read enough of its replies. */
static void then(struct conn *c, void (*fn)(struct conn *c))
{
    if (c->closing)
        return;
    if (uk_stream_queued(&c->s) < KVD_WQ_HIGH) {
        fn(c);
        return;
    }
    c->resume = fn;
    if (uk_stream_on_drain(&c->s, drained, c) != 0)
        conn_end(c);
}

/* The store's callbacks: false when the connection went meanwhile. */
static bool store_done(struct conn *c)
{
    c->store_busy = false;
    if (c->closed) {
        conn_free(c);
        return false;
    }
    return !c->closing;
}

/* ---- SET, DEL ----------------------------------------------------------- */

static void committed(void *arg, int status)
{
    struct conn *c = arg;
    if (!store_done(c))
        return;
    if (status != 0 ? reply_err(c, status)
                    : reply(c, "OK %llu", (unsigned long long)c->c.id))
        next_command(c);
}

static void do_commit(struct conn *c)
{
    char msg[UK_KV_MSG_MAX + 1]; /* "SET key", the key cut to fit */
    int64_t now = uk_clock_wall_ns(kvd.cfg.clock) / 1000000000;
    size_t klen = strlen(c->cmd.key);
    int rc;
    if (klen > sizeof msg - 5)
        klen = sizeof msg - 5;
    memcpy(msg, c->cmd.op == KVD_SET ? "SET " : "DEL ", 4);
    memcpy(msg + 4, c->cmd.key, klen);
    msg[4 + klen] = '\0';
    uk_kv_txn_init(&c->txn, c->scratch, sizeof c->scratch);
    uk_kv_txn_info(&c->txn, now, msg);
    if (c->cmd.op == KVD_SET)
        (void)uk_kv_txn_put(&c->txn, c->cmd.key, c->cmd.val, c->cmd.val_len);
    else
        (void)uk_kv_txn_del(&c->txn, c->cmd.key);
    rc = c->txn.error;
    if (rc == 0)
        rc = uk_kv_rw_commit(kvd.cfg.kv, &c->req, &c->txn, &c->c, committed,
                             c);
    if (rc != 0) {
        answer_err(c, rc == UK_ENOSPC && c->txn.error != 0 ? UK_EMSGSIZE
                                                              : rc);
        return;
    }
    c->store_busy = true;
}

/* ---- GET, GETAT --------------------------------------------------------- */

static void got_value(void *arg, int status)
{
    struct conn *c = arg;
    size_t n = c->req.got, p = sizeof VALUE_PREFIX - 1;
    if (!store_done(c))
        return;
    if (status != 0) {
        answer_err(c, status);
        return;
    }
    if (n >= VALUE_ROOM || memchr(c->scratch + p, '\n', n) != NULL) {
        if (reply(c, "ERR the value does not fit a line (%s)",
                  n >= VALUE_ROOM ? "too large" : "holds a newline"))
            next_command(c);
        return;
    }
    memcpy(c->scratch, VALUE_PREFIX, p);
    c->scratch[p + n] = '\n';
    if (send(c, c->scratch, p + n + 1))
        next_command(c);
}

static void do_get(struct conn *c)
{
    uint8_t *buf = c->scratch + sizeof VALUE_PREFIX - 1;
    int rc;
    if (c->cmd.op == KVD_GET)
        rc = uk_kv_rw_read(kvd.cfg.kv, &c->req, c->cmd.key, 0, buf,
                           VALUE_ROOM, got_value, c);
    else
        rc = uk_kv_rw_read_at(kvd.cfg.kv, &c->req, &c->c, c->cmd.key, 0, buf,
                              VALUE_ROOM, got_value, c);
    if (rc != 0) {
        answer_err(c, rc);
        return;
    }
    c->store_busy = true;
}

static void walk_to(void *arg, int status);

/* GETAT: walks back from the head to commit cmd.n, then reads there. */
static void find_commit(struct conn *c)
{
    int rc;
    if (c->c.id == c->cmd.n) {
        do_get(c);
        return;
    }
    if (c->c.id < c->cmd.n || c->c.id == c->c.parent) {
        if (reply(c, "ERR no commit %llu", (unsigned long long)c->cmd.n))
            next_command(c);
        return;
    }
    rc = uk_kv_rw_parent(kvd.cfg.kv, &c->req, &c->c, walk_to, c);
    if (rc != 0) {
        answer_err(c, rc);
        return;
    }
    c->store_busy = true;
}

static void walk_to(void *arg, int status)
{
    struct conn *c = arg;
    if (!store_done(c))
        return;
    if (status == UK_ENOENT) {
        if (reply(c, "ERR commit %llu is no longer kept",
                  (unsigned long long)c->cmd.n))
            next_command(c);
        return;
    }
    if (status != 0) {
        answer_err(c, status);
        return;
    }
    find_commit(c);
}

/* ---- LOG ---------------------------------------------------------------- */

static void log_step(void *arg, int status);

static void log_next(struct conn *c)
{
    int rc = uk_kv_rw_parent(kvd.cfg.kv, &c->req, &c->c, log_step, c);
    if (rc != 0) {
        answer_err(c, rc);
        return;
    }
    c->store_busy = true;
}

/* Prints c->c, then goes on to its parent or ends the listing. */
static void log_print(struct conn *c)
{
    if (!reply(c, "COMMIT %llu parent %llu time %lld%s%s",
               (unsigned long long)c->c.id, (unsigned long long)c->c.parent,
               (long long)c->c.time_s, c->c.msg[0] != '\0' ? " " : "",
               c->c.msg))
        return;
    if (--c->next == 0 || c->c.id == c->c.parent) {
        answer(c, "END");
        return;
    }
    then(c, log_next);
}

static void log_step(void *arg, int status)
{
    struct conn *c = arg;
    if (!store_done(c))
        return;
    if (status == UK_ENOENT) { /* older history is no longer kept */
        answer(c, "END");
        return;
    }
    if (status != 0) {
        answer_err(c, status);
        return;
    }
    log_print(c);
}

/* ---- LIST --------------------------------------------------------------- */

static void list_more(struct conn *c)
{
    struct uk_kv_entry e;
    int rc;
    while (uk_stream_queued(&c->s) < KVD_WQ_HIGH) {
        rc = uk_kv_rw_list(kvd.cfg.kv, c->cmd.key, (size_t)c->next, &e);
        if (rc == UK_ENOENT && (c->next > 0 || c->cmd.key[0] == '\0')) {
            answer(c, "END"); /* the end, or an empty store's root */
            return;
        }
        if (rc != 0) {
            if (rc == UK_ENOENT ? reply(c, "ERR no such directory")
                                : reply_err(c, rc))
                next_command(c);
            return;
        }
        if (!reply(c, "%s%s", e.name, e.kind == UK_KV_DIR ? "/" : ""))
            return;
        c->next++;
    }
    then(c, list_more);
}

/* ---- the command loop --------------------------------------------------- */

static void on_quit_drained(void *arg, int status)
{
    (void)status;
    conn_end(arg);
}

static void run(struct conn *c)
{
    switch (c->cmd.op) {
    case KVD_SET:
    case KVD_DEL:
        do_commit(c);
        return;
    case KVD_GET:
        do_get(c);
        return;
    case KVD_GETAT:
        uk_kv_rw_head(kvd.cfg.kv, &c->c);
        find_commit(c);
        return;
    case KVD_LOG:
        if (c->cmd.n == 0) {
            answer(c, "END");
            return;
        }
        c->next = c->cmd.n;
        uk_kv_rw_head(kvd.cfg.kv, &c->c);
        log_print(c);
        return;
    case KVD_LIST:
        c->next = 0;
        list_more(c);
        return;
    case KVD_HELP:
        if (reply(c, "OK commands: SET key value, GET key, DEL key, "
                     "GETAT commit key, LOG [n], LIST [dir], QUIT"))
            next_command(c);
        return;
    case KVD_QUIT:
        if (reply(c, "BYE") && uk_stream_on_drain(&c->s, on_quit_drained, c))
            conn_end(c);
        return;
    }
}

static void on_line(void *arg, int status, const void *line, size_t len)
{
    struct conn *c = arg;
    const char *why;
    if (status == UK_EMSGSIZE) { /* final: say why, then close */
        if (reply(c, "ERR line longer than %u bytes", KVD_LINE_MAX) &&
            uk_stream_on_drain(&c->s, on_quit_drained, c) != 0)
            conn_end(c);
        return;
    }
    if (status != 0) {
        conn_end(c);
        return;
    }
    if (kvd_parse(line, len, &c->cmd, &why) != 0) {
        if (reply(c, "ERR %s", why))
            next_command(c);
        return;
    }
    run(c);
}

static void read_line(struct conn *c)
{
    if (uk_stream_read_line(&c->s, on_line, c) != 0)
        conn_end(c);
}

/* Reads the next command once the replies so far are mostly sent. */
static void next_command(struct conn *c)
{
    then(c, read_line);
}

static void on_accept(void *arg, struct uk_flow *flow)
{
    struct conn *c = NULL;
    (void)arg;
    if (kvd.conns < kvd.cfg.max_conns)
        c = uk_mem_account_alloc(&kvd.acct, sizeof *c);
    if (c == NULL) {
        kvd.refused++;
        uk_flow_close(flow, NULL, NULL);
        return;
    }
    memset(c, 0, sizeof *c);
    kvd.conns++;
    kvd.served++;
    c->flow = flow;
    if (uk_stream_init(&c->s, flow, kvd.cfg.time, &kvd.acct, KVD_LINE_MAX,
                       KVD_WQ_MAX) != 0) {
        c->closing = c->closed = true;
        uk_flow_close(flow, NULL, NULL);
        conn_free(c);
        return;
    }
    if (kvd.cfg.verbose) {
        struct uk_ipv4_ep peer;
        char s[UK_IPV4_EP_STRLEN];
        if (uk_flow_endpoints(flow, NULL, &peer) == 0)
            uk_console_printf(kvd.cfg.con, "kvd: connection from %s",
                              uk_ipv4_ep_format(&peer, s));
    }
    read_line(c);
}

int kvd_start(const struct kvd_config *cfg)
{
    int rc;
    kvd.cfg = *cfg;
    uk_mem_account_init(&kvd.acct, cfg->mem, "kvd", SIZE_MAX, SIZE_MAX);
    rc = uk_stackv4_listen_tcp(cfg->net, cfg->port, on_accept, NULL);
    if (rc != 0)
        uk_console_printf(cfg->con, "kvd: cannot listen on port %u: %s",
                          (unsigned)cfg->port, uk_strerror(rc));
    return rc;
}
