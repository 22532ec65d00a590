/*
 * conn.c - an OpenFlow connection over a uk_flow (uk/openflow_conn.h):
 * framing into one bounded receive buffer, the hello exchange, automatic
 * answers, echo keep-alive and double-buffered output.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/openflow_conn.h>

enum { ST_HELLO, ST_OPEN, ST_CLOSING, ST_CLOSED };

#define DEFAULT_ECHO_NS (5 * UK_NS_PER_S)
#define DEFAULT_MISSED 3
#define FLUSH_NS UK_NS_PER_S

static void maybe_read(struct uk_of_conn *c);
static void kick_write(struct uk_of_conn *c);
static void finish(struct uk_of_conn *c, int reason);

static void on_flow_closed(void *arg)
{
    struct uk_of_conn *c = arg;
    c->state = ST_CLOSED;
    c->h->closed(c->arg, c, c->reason);
}

/* Closes the flow now; closed() runs from its callback. */
static void close_flow(void *arg)
{
    struct uk_of_conn *c = arg;
    if (c->flow_closing)
        return;
    c->flow_closing = true;
    c->state = ST_CLOSING;
    uk_time_cancel(c->time, &c->timer);
    uk_time_cancel(c->time, &c->close_timer);
    if (uk_flow_close(c->flow, on_flow_closed, c) != 0)
        uk_time_defer(c->time, &c->close_timer, on_flow_closed, c);
}

/* Starts ending the connection: flush what is queued (bounded), then
 * close the flow.  The first reason wins. */
static void finish(struct uk_of_conn *c, int reason)
{
    if (c->state >= ST_CLOSING)
        return;
    c->state = ST_CLOSING;
    c->reason = reason;
    uk_time_cancel(c->time, &c->timer);
    if (!c->write_pending && c->fill_len == 0) {
        close_flow(c);
        return;
    }
    kick_write(c);
    if (!c->flow_closing)
        uk_time_after(c->time, &c->close_timer, FLUSH_NS, close_flow, c);
}

static void on_write(void *arg, int status, size_t written)
{
    struct uk_of_conn *c = arg;
    (void)written;
    c->write_pending = false;
    if (c->flow_closing)
        return;
    if (status != 0) {
        c->fill_len = 0;
        if (c->state < ST_CLOSING)
            c->reason = status;
        c->state = ST_CLOSING;
        close_flow(c);
        return;
    }
    if (c->fill_len > 0)
        kick_write(c);
    else if (c->state == ST_CLOSING)
        close_flow(c);
    maybe_read(c);
}

static void kick_write(struct uk_of_conn *c)
{
    uint8_t *t;
    int rc;
    if (c->write_pending || c->fill_len == 0 || c->flow_closing)
        return;
    t = c->fly;
    c->fly = c->fill;
    c->fly_len = c->fill_len;
    c->fill = t;
    c->fill_len = 0;
    c->write_pending = true;
    rc = uk_flow_write(c->flow, c->fly, c->fly_len, on_write, c);
    if (rc != 0) {
        c->write_pending = false;
        if (c->state < ST_CLOSING)
            c->reason = rc;
        c->state = ST_CLOSING;
        close_flow(c);
    }
}

/* Encodes m into the filling buffer, whatever the state. */
static int queue_msg(struct uk_of_conn *c, const struct uk_of_msg *m)
{
    size_t n;
    int rc = uk_of_encode(m, c->fill + c->fill_len,
                          UK_OF_CONN_TX_CAP - c->fill_len, &n);
    if (rc == UK_ENOSPC) {
        c->stats.tx_dropped++;
        return UK_ENOBUFS;
    }
    if (rc != 0)
        return rc;
    c->fill_len += n;
    c->stats.tx_msgs++;
    kick_write(c);
    return 0;
}

static int queue_error(struct uk_of_conn *c, uint16_t type, uint16_t code,
                       const uint8_t *raw, size_t len)
{
    struct uk_of_msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_ERROR;
    m.hdr.xid = len >= 8 ? uk_load_be32(raw + 4) : 0;
    m.u.error.type = type;
    m.u.error.code = code;
    m.u.error.data = raw;
    m.u.error.data_len = len < UK_OFP_ERROR_DATA_MAX ? len
                                                     : UK_OFP_ERROR_DATA_MAX;
    return queue_msg(c, &m);
}

/* The peer's hello: negotiate, or refuse and close. */
static void on_hello(struct uk_of_conn *c, const uint8_t *p, size_t n)
{
    struct uk_of_msg m;
    bool ok = p[1] == UK_OFPT_HELLO && p[0] >= UK_OFP_VERSION;
    if (ok && uk_of_decode(p, n, &m, NULL) == 0 && m.u.hello.has_bitmap &&
        (m.u.hello.bitmap & (1u << UK_OFP_VERSION)) == 0)
        ok = false;
    if (!ok) {
        queue_error(c, UK_OFPET_HELLO_FAILED, UK_OFPHFC_INCOMPATIBLE, p, n);
        finish(c, UK_EPROTO);
        return;
    }
    c->version = UK_OFP_VERSION;
    c->state = ST_OPEN;
    c->h->ready(c->arg, c);
}

static void on_message(struct uk_of_conn *c, const uint8_t *p, size_t n)
{
    struct uk_of_msg m, r;
    struct uk_of_err err;
    int rc;
    c->stats.rx_msgs++;
    if (c->state == ST_HELLO) {
        on_hello(c, p, n);
        return;
    }
    rc = uk_of_decode(p, n, &m, &err);
    if (rc != 0) {
        if (rc == UK_EPROTO && p[1] != UK_OFPT_ERROR) {
            c->stats.errors_sent++;
            queue_error(c, err.type, err.code, p, n);
        }
        return;
    }
    switch (m.hdr.type) {
    case UK_OFPT_HELLO:
    case UK_OFPT_ECHO_REPLY:
        return;
    case UK_OFPT_ECHO_REQUEST:
        memset(&r, 0, sizeof r);
        r.hdr.type = UK_OFPT_ECHO_REPLY;
        r.hdr.xid = m.hdr.xid;
        r.u.echo = m.u.echo;
        queue_msg(c, &r);
        return;
    case UK_OFPT_VENDOR:
        c->stats.errors_sent++;
        queue_error(c, UK_OFPET_BAD_REQUEST, UK_OFPBRC_BAD_VENDOR, p, n);
        return;
    default:
        c->h->message(c->arg, c, &m, p, n);
    }
}

/* Handles every whole message in rx; keeps the partial rest. */
static void process(struct uk_of_conn *c)
{
    size_t off = 0, n;
    while (c->state < ST_CLOSING) {
        int rc = uk_of_frame(c->rx + off, c->rx_len - off, &n);
        if (rc == UK_EAGAIN)
            break;
        if (rc != 0) {
            finish(c, UK_EPROTO);
            return;
        }
        on_message(c, c->rx + off, n);
        off += n;
    }
    if (c->state >= ST_CLOSING)
        return;
    memmove(c->rx, c->rx + off, c->rx_len - off);
    c->rx_len -= off;
}

static void on_read(void *arg, int status, const void *data, size_t len)
{
    struct uk_of_conn *c = arg;
    const uint8_t *p = data;
    c->read_pending = false;
    if (c->flow_closing || c->state >= ST_CLOSING)
        return;
    if (status != 0) {
        finish(c, status);
        return;
    }
    c->last_rx_ns = uk_time_now_ns(c->time);
    c->missed = 0;
    while (len > 0 && c->state < ST_CLOSING) {
        size_t k = UK_OF_CONN_RX_CAP - c->rx_len;
        if (k > len)
            k = len;
        memcpy(c->rx + c->rx_len, p, k);
        c->rx_len += k;
        p += k;
        len -= k;
        process(c);
    }
    maybe_read(c);
}

static void maybe_read(struct uk_of_conn *c)
{
    int rc;
    if (c->read_pending || c->state >= ST_CLOSING ||
        c->fill_len > UK_OF_CONN_TX_CAP / 2)
        return;
    rc = uk_flow_read(c->flow, on_read, c);
    if (rc != 0) {
        finish(c, rc);
        return;
    }
    c->read_pending = true;
}

static void on_tick(void *arg)
{
    struct uk_of_conn *c = arg;
    uint64_t now = uk_time_now_ns(c->time), iv = c->cfg.echo_interval_ns;
    if (c->state >= ST_CLOSING)
        return;
    if (c->state == ST_HELLO) {
        if (now - c->opened_ns >= iv) {
            finish(c, UK_ETIMEDOUT);
            return;
        }
        uk_time_start(c->time, &c->timer, c->opened_ns + iv, on_tick, c);
        return;
    } else if (now - c->last_rx_ns >= iv) {
        struct uk_of_msg m;
        if (c->missed >= c->cfg.echo_max_missed) {
            finish(c, UK_ETIMEDOUT);
            return;
        }
        memset(&m, 0, sizeof m);
        m.hdr.type = UK_OFPT_ECHO_REQUEST;
        m.hdr.xid = uk_of_conn_xid(c);
        c->missed++;
        c->stats.echo_sent++;
        queue_msg(c, &m);
        if (c->state >= ST_CLOSING)
            return;
    } else {
        uk_time_start(c->time, &c->timer, c->last_rx_ns + iv, on_tick, c);
        return;
    }
    uk_time_after(c->time, &c->timer, iv, on_tick, c);
}

int uk_of_conn_init(struct uk_of_conn *c, struct uk_flow *flow,
                    struct uk_time *time, const struct uk_of_conn_config *cfg,
                    const struct uk_of_conn_handlers *h, void *arg)
{
    struct uk_of_msg hello;
    int rc;
    c->flow = flow;
    c->time = time;
    c->h = h;
    c->arg = arg;
    c->cfg.echo_interval_ns = cfg != NULL && cfg->echo_interval_ns != 0
                                  ? cfg->echo_interval_ns
                                  : DEFAULT_ECHO_NS;
    c->cfg.echo_max_missed = cfg != NULL && cfg->echo_max_missed != 0
                                 ? cfg->echo_max_missed
                                 : DEFAULT_MISSED;
    c->state = ST_HELLO;
    c->reason = 0;
    c->version = 0;
    c->next_xid = 1;
    c->opened_ns = c->last_rx_ns = uk_time_now_ns(time);
    c->missed = 0;
    c->read_pending = c->write_pending = c->flow_closing = false;
    memset(&c->timer, 0, sizeof c->timer);
    memset(&c->close_timer, 0, sizeof c->close_timer);
    memset(&c->stats, 0, sizeof c->stats);
    c->rx_len = c->fill_len = c->fly_len = 0;
    c->fill = c->tx_a;
    c->fly = c->tx_b;
    memset(&hello, 0, sizeof hello);
    hello.hdr.type = UK_OFPT_HELLO;
    hello.hdr.xid = uk_of_conn_xid(c);
    (void)uk_of_encode(&hello, c->fill, UK_OF_CONN_TX_CAP, &c->fill_len);
    c->stats.tx_msgs = 1;
    /* The write first: if it fails nothing is pending, and the flow can be
     * closed without any callback reaching c. */
    c->fly = c->tx_a;
    c->fill = c->tx_b;
    c->fly_len = c->fill_len;
    c->fill_len = 0;
    rc = uk_flow_write(flow, c->fly, c->fly_len, on_write, c);
    if (rc != 0) {
        c->state = ST_CLOSED;
        c->flow_closing = true;
        uk_flow_close(flow, NULL, NULL);
        return rc;
    }
    c->write_pending = true;
    uk_time_after(time, &c->timer, c->cfg.echo_interval_ns, on_tick, c);
    maybe_read(c); /* a failure here ends the connection through closed() */
    return 0;
}

int uk_of_conn_send(struct uk_of_conn *c, const struct uk_of_msg *m)
{
    if (c->state != ST_OPEN)
        return UK_ENOTCONN;
    return queue_msg(c, m);
}

int uk_of_conn_send_error(struct uk_of_conn *c, uint16_t type, uint16_t code,
                          const uint8_t *raw, size_t len)
{
    if (c->state != ST_OPEN)
        return UK_ENOTCONN;
    return queue_error(c, type, code, raw, len);
}

uint32_t uk_of_conn_xid(struct uk_of_conn *c)
{
    uint32_t x = c->next_xid++;
    if (c->next_xid == 0)
        c->next_xid = 1;
    return x;
}

uint8_t uk_of_conn_version(const struct uk_of_conn *c)
{
    return c->version;
}

bool uk_of_conn_is_open(const struct uk_of_conn *c)
{
    return c->state == ST_OPEN;
}

void uk_of_conn_close(struct uk_of_conn *c)
{
    finish(c, UK_ECANCELED);
}
