/*
 * uk/openflow_conn.h - one OpenFlow 1.0 connection over any uk_flow
 * (kernel sockets, uk's own TCP, Xen): framing, the hello exchange and
 * version negotiation, echo keep-alive, xid allocation, automatic answers
 * to malformed messages, and dispatch of every other message to the
 * owner's handlers.  The same object serves the controller and the switch
 * side.
 *
 * No allocation: struct uk_of_conn holds a receive buffer for one whole
 * message (64 KiB) and two 64 KiB transmit buffers (one being written to
 * the flow while the other fills).  The caller owns the storage.
 *
 * Behaviour:
 *  - Our hello (version 1) is sent at once.  The peer's first message
 *    must be a hello: the version is min(ours, peer's) and, when the
 *    peer's hello carries a version bitmap, version 1 must be in it.  With
 *    no common version (or another first message) the peer gets
 *    OFPT_ERROR HELLO_FAILED/INCOMPATIBLE and the connection closes
 *    (UK_EPROTO).  No hello within the keep-alive interval: closed
 *    (UK_ETIMEDOUT).
 *  - Echo requests are answered with an echo reply (same xid and data);
 *    vendor messages with BAD_REQUEST/BAD_VENDOR; malformed messages
 *    (uk_of_decode returning UK_EPROTO) with the OFPT_ERROR it names,
 *    whose data is the first 64 bytes of the message; a received error is
 *    never answered.  A framing error (length field below 8) closes the
 *    connection (UK_EPROTO).
 *  - Keep-alive: when nothing was received for echo_interval_ns an echo
 *    request is sent; after echo_max_missed intervals without anything
 *    received the connection closes (UK_ETIMEDOUT).
 *  - Back-pressure: while more than half a transmit buffer waits, no
 *    further input is read.
 */
#ifndef UK_OPENFLOW_CONN_H
#define UK_OPENFLOW_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/flow.h>
#include <uk/openflow.h>
#include <uk/time.h>

#define UK_OF_CONN_RX_CAP 65536u
#define UK_OF_CONN_TX_CAP 65536u

struct uk_of_conn;

/*
 * Handlers; each gets the `arg` given at init.  None may be NULL.
 *   ready(arg, c)            the hello exchange completed: the connection
 *                            is open and uk_of_conn_send works.
 *   message(arg, c, m, raw, len)
 *                            a well-formed message other than HELLO, ECHO
 *                            and VENDOR.  m and the bytes raw[0..len) are
 *                            LENT until the handler returns.  The handler
 *                            may send and may close the connection.
 *   closed(arg, c, reason)   the connection is over and its flow closed;
 *                            runs exactly once for every connection whose
 *                            init succeeded, never from inside a uk_of_conn
 *                            call; afterwards the caller may reuse c.
 *                            reason: UK_EOF (the peer closed), UK_EPROTO,
 *                            UK_ETIMEDOUT, UK_ECANCELED (uk_of_conn_close),
 *                            or the flow's error.
 */
struct uk_of_conn_handlers {
    void (*ready)(void *arg, struct uk_of_conn *c);
    void (*message)(void *arg, struct uk_of_conn *c,
                    const struct uk_of_msg *m, const uint8_t *raw,
                    size_t len);
    void (*closed)(void *arg, struct uk_of_conn *c, int reason);
};

struct uk_of_conn_config {
    uint64_t echo_interval_ns; /* idle time before an echo request; 0: 5 s */
    unsigned echo_max_missed;  /* intervals without input before closing;
                                  0: 3 */
};

struct uk_of_conn_stats {
    uint64_t rx_msgs, tx_msgs;
    uint64_t tx_dropped;  /* sends refused with UK_ENOBUFS */
    uint64_t errors_sent; /* OFPT_ERROR answers to malformed input */
    uint64_t echo_sent;
};

/* The state; fields are private to openflow_conn.c, except `stats`. */
struct uk_of_conn {
    struct uk_flow *flow;
    struct uk_time *time;
    const struct uk_of_conn_handlers *h;
    void *arg;
    struct uk_of_conn_config cfg;
    int state;
    int reason;
    uint8_t version;
    uint32_t next_xid;
    uint64_t last_rx_ns, opened_ns;
    unsigned missed;
    bool read_pending, write_pending, flow_closing;
    struct uk_timer timer, close_timer;
    struct uk_of_conn_stats stats;
    size_t rx_len;
    size_t fill_len, fly_len;
    uint8_t *fill, *fly;
    uint8_t rx[UK_OF_CONN_RX_CAP];
    uint8_t tx_a[UK_OF_CONN_TX_CAP], tx_b[UK_OF_CONN_TX_CAP];
};

/*
 * uk_of_conn_init(c, flow, time, cfg, h, arg): takes over flow (CONSUMED:
 * closed when the connection ends, even when init fails), sends our hello
 * and starts reading.  cfg may be NULL (defaults); it and h are BORROWED
 * (h must stay valid until closed runs).  Returns 0, or the flow's error
 * (the flow is then closed and no handler runs).
 */
int uk_of_conn_init(struct uk_of_conn *c, struct uk_flow *flow,
                    struct uk_time *time, const struct uk_of_conn_config *cfg,
                    const struct uk_of_conn_handlers *h, void *arg);

/*
 * uk_of_conn_send(c, m): encodes m into the transmit buffer (m and what it
 * points to are BORROWED: copied) and starts writing.  The xid is
 * m->hdr.xid as given (use uk_of_conn_xid for requests).  Returns 0;
 * UK_ENOTCONN before ready or after close; UK_ENOBUFS when the transmit
 * buffer is full (the message is dropped; counted in stats.tx_dropped);
 * or uk_of_encode's errors.
 */
int uk_of_conn_send(struct uk_of_conn *c, const struct uk_of_msg *m);

/* Sends an OFPT_ERROR answering raw[0..len) (BORROWED), with its xid and
 * first 64 bytes.  Returns as uk_of_conn_send. */
int uk_of_conn_send_error(struct uk_of_conn *c, uint16_t type, uint16_t code,
                          const uint8_t *raw, size_t len);

/* A fresh transaction id (never 0). */
uint32_t uk_of_conn_xid(struct uk_of_conn *c);

/* The negotiated version (0 before ready). */
uint8_t uk_of_conn_version(const struct uk_of_conn *c);

/* Whether the connection is open (ready ran, not closing). */
bool uk_of_conn_is_open(const struct uk_of_conn *c);

/*
 * uk_of_conn_close(c): ends the connection: what is queued is still
 * written (for at most a second), then the flow is closed and closed(arg,
 * c, UK_ECANCELED) runs.  Harmless when already closing.
 */
void uk_of_conn_close(struct uk_of_conn *c);

#endif
