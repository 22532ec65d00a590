/*
 * uk/buf.h - the packet/data buffer, buffer queues and fixed pools.
 *
 * A struct uk_buf describes `len` valid bytes at `data`, inside storage
 * [head, head + cap).  The space before `data` is headroom, where lower
 * layers prepend their headers without copying (uk_buf_push); the space
 * after is tailroom.
 *
 * Ownership.  Every interface that passes a buffer says which of these it is:
 *
 *   borrowed  valid only for the duration of the call; the callee copies
 *             what it keeps.
 *   consumed  ownership passes to the callee, even when the call fails: the
 *             callee (or whoever it passes it on to) eventually calls
 *             uk_buf_free().
 *   lent      the callee's memory, handed to the caller until a documented
 *             point (e.g. the end of a callback).
 *
 * uk_buf_free() returns a buffer to whoever allocated it, through its
 * free_fn; buffers with no free_fn (static or stack storage) are not freed.
 * `next` links buffers into queues and belongs to the buffer's current owner.
 * No function here allocates.
 */
#ifndef UK_BUF_H
#define UK_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uk_buf;
typedef void (*uk_buf_free_fn)(struct uk_buf *b);

struct uk_buf {
    uint8_t *head;          /* start of storage */
    uint8_t *data;          /* first valid byte */
    size_t len;             /* valid bytes */
    size_t cap;             /* bytes of storage */
    uk_buf_free_fn free_fn; /* returns the buffer to its allocator, or NULL */
    void *owner;            /* the allocator's context, for free_fn */
    struct uk_buf *next;    /* queue link, for the current owner */
    uint16_t tso_mss;       /* transmit offload request, 0 for none: this
                             * TCP/IPv4 frame is a super-segment the device
                             * cuts into segments of tso_mss payload bytes
                             * (see uk/network.h, tso_max) */
};

/* A scatter/gather element: `len` bytes at `base`. */
struct uk_iov {
    const void *base;
    size_t len;
};

/* Most elements any single writev-style call accepts. */
#define UK_IOV_MAX 16

/* Describes storage mem[0..cap) with `headroom` bytes reserved, no data. */
static inline void uk_buf_init(struct uk_buf *b, void *mem, size_t cap,
                               size_t headroom)
{
    b->head = (uint8_t *)mem;
    b->data = b->head + (headroom <= cap ? headroom : cap);
    b->len = 0;
    b->cap = cap;
    b->free_fn = NULL;
    b->owner = NULL;
    b->next = NULL;
    b->tso_mss = 0;
}

/* Empties the buffer and reserves `headroom` bytes again. */
static inline void uk_buf_reset(struct uk_buf *b, size_t headroom)
{
    b->data = b->head + (headroom <= b->cap ? headroom : b->cap);
    b->len = 0;
    b->next = NULL;
    b->tso_mss = 0;
}

static inline size_t uk_buf_headroom(const struct uk_buf *b)
{
    return (size_t)(b->data - b->head);
}

static inline size_t uk_buf_tailroom(const struct uk_buf *b)
{
    return b->cap - uk_buf_headroom(b) - b->len;
}

/* Grows the data by n bytes at the front; NULL (and no change) if the
 * headroom is too small.  Returns the new start of data. */
static inline uint8_t *uk_buf_push(struct uk_buf *b, size_t n)
{
    if (n > uk_buf_headroom(b))
        return NULL;
    b->data -= n;
    b->len += n;
    return b->data;
}

/* Drops n bytes from the front; NULL (and no change) if len < n.  Returns
 * the new start of data. */
static inline uint8_t *uk_buf_pull(struct uk_buf *b, size_t n)
{
    if (n > b->len)
        return NULL;
    b->data += n;
    b->len -= n;
    return b->data;
}

/* Grows the data by n bytes at the end; NULL (and no change) if the
 * tailroom is too small.  Returns where the n new bytes start. */
static inline uint8_t *uk_buf_put(struct uk_buf *b, size_t n)
{
    uint8_t *p;
    if (n > uk_buf_tailroom(b))
        return NULL;
    p = b->data + b->len;
    b->len += n;
    return p;
}

/* Shortens the data to at most len bytes. */
static inline void uk_buf_trim(struct uk_buf *b, size_t len)
{
    if (len < b->len)
        b->len = len;
}

/* Gives the buffer back to its allocator (consumes it).  NULL is allowed. */
static inline void uk_buf_free(struct uk_buf *b)
{
    if (b != NULL && b->free_fn != NULL)
        b->free_fn(b);
}

/* Total bytes described by an iovec array. */
static inline size_t uk_iov_total(const struct uk_iov *iov, int cnt)
{
    size_t n = 0;
    int i;
    for (i = 0; i < cnt; i++)
        n += iov[i].len;
    return n;
}

/*
 * A FIFO of buffers linked through `next`.  The queue owns what it holds.
 */
struct uk_bufq {
    struct uk_buf *first;
    struct uk_buf *last;
    size_t count;
    size_t bytes;
};

static inline void uk_bufq_init(struct uk_bufq *q)
{
    q->first = q->last = NULL;
    q->count = q->bytes = 0;
}

static inline bool uk_bufq_is_empty(const struct uk_bufq *q)
{
    return q->first == NULL;
}

/* Appends b (consumed). */
static inline void uk_bufq_push(struct uk_bufq *q, struct uk_buf *b)
{
    b->next = NULL;
    if (q->last != NULL)
        q->last->next = b;
    else
        q->first = b;
    q->last = b;
    q->count++;
    q->bytes += b->len;
}

/* Removes and returns the first buffer (ownership to the caller), or NULL. */
static inline struct uk_buf *uk_bufq_pop(struct uk_bufq *q)
{
    struct uk_buf *b = q->first;
    if (b == NULL)
        return NULL;
    q->first = b->next;
    if (q->first == NULL)
        q->last = NULL;
    b->next = NULL;
    q->count--;
    q->bytes -= b->len;
    return b;
}

/* Frees every buffer in the queue. */
static inline void uk_bufq_clear(struct uk_bufq *q)
{
    struct uk_buf *b;
    while ((b = uk_bufq_pop(q)) != NULL)
        uk_buf_free(b);
}

/*
 * A fixed pool of `count` buffers of `size` bytes each, carved from
 * caller-owned storage at init; never allocates afterwards.  Buffers taken
 * from it return to it through uk_buf_free().
 */
struct uk_bufpool {
    struct uk_buf *free_list;
    size_t available;
    size_t count;
    size_t size;
};

static inline void uk__bufpool_put(struct uk_buf *b)
{
    struct uk_bufpool *p = (struct uk_bufpool *)b->owner;
    b->next = p->free_list;
    p->free_list = b;
    p->available++;
}

/* descs[count] and mem[count * size] are owned by the caller and must
 * outlive the pool. */
static inline void uk_bufpool_init(struct uk_bufpool *p, struct uk_buf *descs,
                                   void *mem, size_t count, size_t size)
{
    size_t i;
    p->free_list = NULL;
    p->available = 0;
    p->count = count;
    p->size = size;
    for (i = count; i > 0; i--) {
        struct uk_buf *b = &descs[i - 1];
        uk_buf_init(b, (uint8_t *)mem + (i - 1) * size, size, 0);
        b->free_fn = uk__bufpool_put;
        b->owner = p;
        uk__bufpool_put(b);
    }
}

/* A buffer with `headroom` reserved, or NULL when the pool is empty. */
static inline struct uk_buf *uk_bufpool_get(struct uk_bufpool *p,
                                            size_t headroom)
{
    struct uk_buf *b = p->free_list;
    if (b == NULL)
        return NULL;
    p->free_list = b->next;
    p->available--;
    uk_buf_reset(b, headroom);
    return b;
}

#endif
