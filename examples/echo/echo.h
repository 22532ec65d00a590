/* echo.h - the echo appliance (RFC 862): TCP and UDP echo on one port. */
#ifndef ECHO_H
#define ECHO_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/mem.h>
#include <uk/stackv4.h>

/*
 * Listens for TCP and UDP on port of net.  Every TCP connection echoes
 * what it reads (read, write the same bytes, read again) and is closed at
 * the peer's end of stream or on an error; every datagram is sent back
 * from port to its sender.  At most max_conns TCP connections are served
 * at once (more are closed on arrival); their table and, between a read
 * and its write, a copy of the bytes read come from mem (BORROWED for the
 * appliance's life): a connection whose copy the budget cannot give is
 * closed.  With verbose, logs a line per connection on con.  If the table
 * cannot be had or either listen fails, logs why and stops the image with
 * status 1 (uk_exit).
 */
void echo_start(struct uk_console *con, struct uk_stackv4 *net,
                struct uk_mem *mem, size_t max_conns, uint16_t port,
                bool verbose);

#endif
