/*
 * util.h - small helpers shared by the direct stack's layers (internal).
 */
#ifndef UK_TCPIP_UTIL_H
#define UK_TCPIP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/buf.h>
#include <uk/time.h>

/* Copies iov[0..cnt) into dst (room for uk_iov_total bytes). */
static inline void uk__iov_copy(uint8_t *dst, const struct uk_iov *iov,
                                int cnt)
{
    int i;
    for (i = 0; i < cnt; i++) {
        if (iov[i].len > 0)
            memcpy(dst, iov[i].base, iov[i].len);
        dst += iov[i].len;
    }
}

/* Runs cb(arg) on the next loop turn through timer t, if cb is set. */
static inline void uk__defer_done(struct uk_time *time, struct uk_timer *t,
                                  void (*cb)(void *), void *arg)
{
    if (cb != NULL)
        uk_time_defer(time, t, cb, arg);
}

#endif
