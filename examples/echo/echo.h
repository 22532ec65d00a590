/* echo.h - the echo appliance (RFC 862): TCP and UDP echo on one port. */
#ifndef ECHO_H
#define ECHO_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/stackv4.h>

/* Most TCP connections served at once; more are closed on arrival. */
#define ECHO_MAX_CONNS 1024
/* Bytes one connection holds between its read and its write: the largest
 * chunk a flow read may deliver on the targets echo runs on. */
#define ECHO_BUF UK_FLOW_READ_MAX

/*
 * Listens for TCP and UDP on port of net.  Every TCP connection echoes
 * what it reads (read, write the same bytes, read again) and is closed at
 * the peer's end of stream or on an error; every datagram is sent back
 * from port to its sender.  With verbose, logs a line per connection on
 * con.  If either listen fails, logs why and stops the image with status 1
 * (uk_exit).
 */
void echo_start(struct uk_console *con, struct uk_stackv4 *net, uint16_t port,
                bool verbose);

#endif
