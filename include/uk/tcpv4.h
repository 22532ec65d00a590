/*
 * uk/tcpv4.h - TCPV4: the TCP layer, which makes connections (uk_flow
 * objects, see uk/flow.h).  Includes DEVICE.
 *
 * The layer and its connections are distinct objects: the layer listens and
 * connects; each connection is a struct uk_flow owned by the layer, valid
 * from the callback that delivers it until its close (or abort) callback
 * has run.  The application must eventually close every flow it receives.
 *
 *   int listen(self, uint16_t port, int backlog,
 *              uk_tcpv4_accept_cb cb, void *arg)               required
 *       Accepts connections on port (1..65535) of every local address.
 *       backlog bounds connections that completed the handshake but whose
 *       accept callback has not yet run (0: the implementation's default);
 *       beyond it new connections are refused.  cb(arg, flow) runs once
 *       per established connection, from the event loop.
 *       Returns 0, UK_EINVAL, UK_EADDRINUSE, UK_EACCES, UK_ELIMIT.
 *
 *   int unlisten(self, uint16_t port)                          required
 *       Stops accepting; no accept callback for port runs after this
 *       returns.  Established flows are unaffected.  0 or UK_ENOENT.
 *
 *   int connect(self, const struct uk_ipv4_ep *dst,
 *               uk_tcpv4_connect_cb cb, void *arg)             required
 *       Opens a connection to dst (BORROWED).  cb(arg, status, flow): status
 *       0 and the new flow, or an error and NULL: UK_ECONNREFUSED,
 *       UK_ETIMEDOUT, UK_ENETUNREACH, UK_EHOSTUNREACH, UK_ECANCELED (the
 *       layer was disconnected).  Returns 0, UK_EINVAL, UK_ELIMIT,
 *       UK_ENOBUFS, UK_ENETUNREACH.  cb and arg name the pending connect
 *       for connect_cancel: give each connect you may cancel its own arg.
 *
 *   int connect_cancel(self, uk_tcpv4_connect_cb cb, void *arg) required
 *       Abandons the pending connect started with cb and arg (if several
 *       are, one of them): cb never runs for it, and the connection is
 *       deleted at once (RFC 9293 3.10.4, CLOSE in SYN-SENT): nothing is
 *       sent for it, and a SYN-ACK arriving later is answered as for any
 *       unknown connection, by a RST alone, never an ACK.  If the handshake
 *       already completed but cb has not run yet, the connection is reset.
 *       Returns 0, or UK_ENOENT when no such connect is pending (its
 *       callback ran or is running, or it never started).
 */
#ifndef UK_TCPV4_H
#define UK_TCPV4_H

#include <stdint.h>

#include <uk/device.h>
#include <uk/flow.h>
#include <uk/ipaddr.h>

typedef void (*uk_tcpv4_accept_cb)(void *arg, struct uk_flow *flow);
typedef void (*uk_tcpv4_connect_cb)(void *arg, int status,
                                    struct uk_flow *flow);

#define UK_TCPV4_METHODS(T, M, V, O)                                          \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, listen,                                                         \
      (struct T * self, uint16_t port, int backlog, uk_tcpv4_accept_cb cb,    \
       void *arg),                                                            \
      (self, port, backlog, cb, arg))                                         \
    M(T, int, unlisten, (struct T * self, uint16_t port), (self, port))       \
    M(T, int, connect,                                                        \
      (struct T * self, const struct uk_ipv4_ep *dst, uk_tcpv4_connect_cb cb, \
       void *arg),                                                            \
      (self, dst, cb, arg))                                                   \
    M(T, int, connect_cancel,                                                 \
      (struct T * self, uk_tcpv4_connect_cb cb, void *arg), (self, cb, arg))

UK_INTERFACE(uk_tcpv4, UK_TCPV4_METHODS);

#endif
