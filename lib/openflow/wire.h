/*
 * wire.h - lib/openflow internals shared by its files: a bounds-tracking
 * writer, 64-bit loads, and the codecs of the fixed structures that appear
 * in several messages (match, phy_port) and of action lists.
 */
#ifndef UK_OPENFLOW_WIRE_H
#define UK_OPENFLOW_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include <uk/bytes.h>
#include <uk/openflow.h>

/* A writer over buf[0..cap): counts every byte asked for, writes only
 * those that fit, so the caller learns the full length on overflow. */
struct uk__of_w {
    uint8_t *buf;
    size_t cap, len;
};

static inline uint8_t *uk__of_w_room(struct uk__of_w *w, size_t n)
{
    uint8_t *p = (w->len <= w->cap && n <= w->cap - w->len) ? w->buf + w->len
                                                             : NULL;
    w->len += n;
    return p;
}

static inline void uk__of_w8(struct uk__of_w *w, uint8_t v)
{
    uint8_t *p = uk__of_w_room(w, 1);
    if (p != NULL)
        *p = v;
}

static inline void uk__of_w16(struct uk__of_w *w, uint16_t v)
{
    uint8_t *p = uk__of_w_room(w, 2);
    if (p != NULL)
        uk_store_be16(p, v);
}

static inline void uk__of_w32(struct uk__of_w *w, uint32_t v)
{
    uint8_t *p = uk__of_w_room(w, 4);
    if (p != NULL)
        uk_store_be32(p, v);
}

static inline void uk__of_w64(struct uk__of_w *w, uint64_t v)
{
    uk__of_w32(w, (uint32_t)(v >> 32));
    uk__of_w32(w, (uint32_t)v);
}

static inline void uk__of_wbytes(struct uk__of_w *w, const void *src,
                                 size_t n)
{
    uint8_t *p = uk__of_w_room(w, n);
    if (p != NULL && n > 0)
        memcpy(p, src, n);
}

static inline void uk__of_wzero(struct uk__of_w *w, size_t n)
{
    uint8_t *p = uk__of_w_room(w, n);
    if (p != NULL && n > 0)
        memset(p, 0, n);
}

/* A fixed-size string field: the string, NUL-padded to n bytes (cut so
 * that at least one NUL remains). */
static inline void uk__of_wstr(struct uk__of_w *w, const char *s, size_t n)
{
    size_t k = 0;
    while (s != NULL && k < n - 1 && s[k] != '\0')
        k++;
    uk__of_wbytes(w, s, k);
    uk__of_wzero(w, n - k);
}

static inline uint64_t uk__of_load64(const uint8_t *p)
{
    return (uint64_t)uk_load_be32(p) << 32 | uk_load_be32(p + 4);
}

/* Copies a NUL-padded wire string of n bytes into out[n + 1]. */
static inline void uk__of_rstr(char *out, const uint8_t *p, size_t n)
{
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Match (40 bytes) and phy_port (48 bytes). */
void uk__of_match_read(const uint8_t *p, struct uk_of_match *m);
void uk__of_match_write(struct uk__of_w *w, const struct uk_of_match *m);
void uk__of_port_read(const uint8_t *p, struct uk_of_port *port);
void uk__of_port_write(struct uk__of_w *w, const struct uk_of_port *port);

/* Validates the action list p[0..len); on failure fills err and returns
 * UK_EPROTO.  On success *count is the number of actions. */
int uk__of_actions_check(const uint8_t *p, size_t len, size_t *count,
                         struct uk_of_err *err);
/* Writes an action list (list or wire form); UK_EINVAL for an action type
 * the encoder does not know. */
int uk__of_actions_write(struct uk__of_w *w, const struct uk_of_actions *a);

/* Stats bodies (stats.c): decode the body after the 12-byte stats header,
 * and encode the body. */
int uk__of_stats_request_read(const uint8_t *p, size_t len,
                              struct uk_of_stats_request *r,
                              struct uk_of_err *err);
int uk__of_stats_reply_read(const uint8_t *p, size_t len,
                            struct uk_of_stats_reply *r,
                            struct uk_of_err *err);
int uk__of_stats_request_write(struct uk__of_w *w,
                               const struct uk_of_stats_request *r);
int uk__of_stats_reply_write(struct uk__of_w *w,
                             const struct uk_of_stats_reply *r);

/* Sets *err (if not NULL) and returns UK_EPROTO. */
static inline int uk__of_fail(struct uk_of_err *err, uint16_t type,
                              uint16_t code)
{
    if (err != NULL) {
        err->type = type;
        err->code = code;
    }
    return UK_EPROTO;
}

#endif
