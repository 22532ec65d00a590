/*
 * tcp_mem.c - where TCP's memory comes from (uk/tcpip/tcp.h, "Memory"):
 * connection state allocated when a connection is created and freed after
 * it ends; a ring allocated when the first byte needs it, grown while it
 * limits a flow and the account has room, given back when it drains under
 * pressure, and taken from connections that hold nothing in theirs when
 * the account runs out.
 *
 * An ended connection is not freed at once: it leaves every table, and
 * reap_timer (a deferred call) gives its memory back after the event that
 * ended it has finished with it.
 */
#include "tcp_internal.h"

bool uk__tcp_under_pressure(struct uk_tcpip_tcpv4 *t)
{
    return uk_mem_account_is_under_pressure(t->mem);
}

static size_t ring_cap(size_t want, size_t cap)
{
    return want < cap ? want : cap;
}

size_t uk__tcp_ring_start(struct uk_tcpip_tcpv4 *t, size_t cap)
{
    return ring_cap(
        uk__tcp_under_pressure(t) ? t->cfg.ring_min : t->cfg.ring_init, cap);
}

/* Whether c's send ring holds nothing and no write waits to go into it:
 * it can be given back and taken again when needed. */
static bool sring_empty(const struct uk_tcpip_tcp_conn *c)
{
    return c->slen == 0 && (c->write_cb == NULL || c->wi == c->wiovcnt);
}

/* Bytes the receive ring holds from read_seq: in order, and out of order
 * beyond rcv_nxt. */
static size_t rring_used(const struct uk_tcpip_tcp_conn *c)
{
    uint32_t end = c->rcv_nxt;
    unsigned k;
    for (k = 0; k < c->nooo; k++)
        if (SEQ_GT(c->ooo[k].end, end))
            end = c->ooo[k].end;
    return end - c->read_seq;
}

static void sring_free(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uk_mem_account_free(t->mem, c->sbuf, c->ssize);
    c->sbuf = NULL;
    c->ssize = ring_cap(t->cfg.ring_min, t->cfg.sndbuf);
    c->shead = 0;
    t->stats.ring_freed++;
}

static void rring_free(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    uk_mem_account_free(t->mem, c->rbuf, c->rsize);
    c->rbuf = NULL;
    c->rsize = ring_cap(t->cfg.ring_min, t->cfg.rcvbuf);
    c->rhead = 0;
    t->stats.ring_freed++;
}

/* The account ran out: every ring that holds nothing goes back (what an
 * idle connection keeps is then its state alone).  Returns whether any
 * did. */
static bool reclaim_empty_rings(struct uk_tcpip_tcpv4 *t)
{
    struct uk_tcpip_tcp_conn *c;
    bool any = false;
    for (c = t->live; c != NULL; c = c->anext) {
        if (c->sbuf != NULL && sring_empty(c)) {
            sring_free(c);
            any = true;
        }
        if (c->rbuf != NULL && rring_used(c) == 0) {
            rring_free(c);
            any = true;
        }
    }
    return any;
}

/* n bytes from TCP's account, reclaiming empty rings if it is short. */
static void *tcp_alloc(struct uk_tcpip_tcpv4 *t, size_t n)
{
    void *p = uk_mem_account_alloc(t->mem, n);
    if (p == NULL && reclaim_empty_rings(t))
        p = uk_mem_account_alloc(t->mem, n);
    return p;
}

size_t uk__tcp_slots_free(const struct uk_tcpip_tcpv4 *t)
{
    size_t busy = t->nconns - t->nended;
    return busy < t->max_conns ? t->max_conns - busy : 0;
}

/* The table is full: a connection nobody holds, or one that may never
 * complete, makes room for the one being created, so that a handful of
 * clients cannot keep newcomers out.  First the oldest orphan (closed by
 * its application, finishing on its own; one whose data is all delivered
 * first) is reset, as Linux resets orphans beyond tcp_max_orphans; else
 * the oldest half-open connection is forgotten (a completed handshake is
 * worth more; its peer, if real, gets a RST when its ACK comes).  Returns
 * whether a slot was freed. */
static bool make_room(struct uk_tcpip_tcpv4 *t)
{
    struct uk_tcpip_tcp_conn *c, *orphan = NULL, *half_open = NULL;
    for (c = t->live; c != NULL; c = c->anext) { /* newest first */
        if (c->ended)
            continue;
        if (c->app == APP_ORPHAN &&
            (orphan == NULL || c->slen == 0 || orphan->slen != 0))
            orphan = c;
        else if (c->state == TCP_SYN_RCVD)
            half_open = c;
    }
    if (orphan != NULL) {
        t->stats.orphans_reset++;
        uk__tcp_send_ctl(orphan, TH_RST | TH_ACK, orphan->snd_max);
        uk__tcp_drop(orphan, UK_ECONNRESET);
        return true;
    }
    if (half_open != NULL) {
        t->stats.half_open_dropped++;
        uk__tcp_drop(half_open, UK_ECONNREFUSED);
        return true;
    }
    return false;
}

/* A connection's state is one block of the budget, and the budget's blocks
 * are powers of two (uk/heap_mem.h): a few bytes more than 1 KiB would
 * cost 2 KiB, the rest of it left in pieces that only small objects can
 * use.  Keep it within 1 KiB. */
typedef char uk__tcp_conn_fits_1k
    [sizeof(struct uk_tcpip_tcp_conn) <= 1024 ? 1 : -1];

struct uk_tcpip_tcp_conn *uk__tcp_conn_alloc(struct uk_tcpip_tcpv4 *t)
{
    struct uk_tcpip_tcp_conn *c;
    if (t->hash == NULL ||
        (uk__tcp_slots_free(t) == 0 && !make_room(t)))
        return NULL;
    c = (struct uk_tcpip_tcp_conn *)tcp_alloc(t, sizeof *c);
    if (c == NULL)
        return NULL;
    memset(c, 0, sizeof *c);
    c->tcp = t;
    c->anext = t->live;
    if (t->live != NULL)
        t->live->aprev = c;
    t->live = c;
    t->nconns++;
    return c;
}

static void reap_cb(void *arg)
{
    struct uk_tcpip_tcpv4 *t = (struct uk_tcpip_tcpv4 *)arg;
    while (t->freed != NULL) {
        struct uk_tcpip_tcp_conn *c = t->freed;
        t->freed = c->hnext;
        uk_time_cancel(t->time, &c->timer);
        uk_mem_account_free(t->mem, c->sbuf, c->ssize);
        uk_mem_account_free(t->mem, c->rbuf, c->rsize);
        uk_mem_account_free(t->mem, c, sizeof *c);
    }
}

void uk__tcp_conn_release(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if (c->aprev != NULL)
        c->aprev->anext = c->anext;
    else
        t->live = c->anext;
    if (c->anext != NULL)
        c->anext->aprev = c->aprev;
    c->anext = c->aprev = NULL;
    t->nconns--;
    if (c->ended)
        t->nended--;
    c->hnext = t->freed;
    t->freed = c;
    if (!uk_timer_is_armed(&t->reap_timer))
        uk_time_defer(t->time, &t->reap_timer, reap_cb, t);
}

int uk__tcp_rring_need(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if (c->rbuf != NULL)
        return 0;
    if (uk__tcp_under_pressure(t))
        c->rsize = ring_cap(c->rsize, t->cfg.ring_min);
    if ((c->rbuf = (uint8_t *)tcp_alloc(t, c->rsize)) == NULL) {
        t->stats.ring_refused++;
        return UK_ENOMEM;
    }
    c->rhead = 0;
    return 0;
}

int uk__tcp_sring_need(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if (c->sbuf != NULL)
        return 0;
    c->ssize = uk__tcp_ring_start(t, t->cfg.sndbuf);
    if ((c->sbuf = (uint8_t *)tcp_alloc(t, c->ssize)) == NULL) {
        t->stats.ring_refused++;
        return UK_ENOMEM;
    }
    c->shead = 0;
    return 0;
}

/* Moves ring *buf (size *size, `keep` bytes in use from `head`, wrapping)
 * to a new ring of n bytes, the kept bytes at its start.  Returns false
 * (the ring unchanged) when the account cannot give n bytes. */
static bool ring_move(struct uk_tcpip_tcpv4 *t, uint8_t **buf, size_t *size,
                      size_t head, size_t keep, size_t n)
{
    uint8_t *nb = (uint8_t *)uk_mem_account_alloc(t->mem, n);
    size_t first = keep < *size - head ? keep : *size - head;
    if (nb == NULL)
        return false;
    memcpy(nb, *buf + head, first);
    memcpy(nb + first, *buf, keep - first);
    uk_mem_account_free(t->mem, *buf, *size);
    *buf = nb;
    *size = n;
    return true;
}

void uk__tcp_sring_maybe_grow(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    size_t n = c->ssize * 2;
    /* the ring, not the peer's window nor congestion, limits the flow */
    if (c->slen < c->ssize || c->ssize >= t->cfg.sndbuf ||
        tcp_min32(c->snd_wnd, c->cwnd) < c->ssize || uk__tcp_under_pressure(t))
        return;
    if (ring_move(t, &c->sbuf, &c->ssize, c->shead, c->slen,
                  ring_cap(n, t->cfg.sndbuf))) {
        c->shead = 0;
        t->stats.ring_grown++;
    }
}

void uk__tcp_sring_drained(struct uk_tcpip_tcp_conn *c)
{
    if (c->sbuf != NULL && sring_empty(c) && uk__tcp_under_pressure(c->tcp))
        sring_free(c);
}

void uk__tcp_rring_after_read(struct uk_tcpip_tcp_conn *c, size_t before)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    size_t n;
    if (c->rbuf == NULL || c->app != APP_OPEN ||
        (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
         c->state != TCP_FIN_WAIT_2))
        return;
    if (uk__tcp_under_pressure(t)) {
        if (rring_used(c) == 0)
            rring_free(c);
        return;
    }
    /* the ring limited the flow: the read found it half full and the
     * peer had used the window we offered (less than a segment left) */
    if (before < c->rsize / 2 || c->rsize >= t->cfg.rcvbuf ||
        SEQ_GT(c->rcv_adv, c->rcv_nxt + (c->rmss ? c->rmss : 536u)))
        return;
    n = ring_cap(c->rsize * 2, t->cfg.rcvbuf);
    if (ring_move(t, &c->rbuf, &c->rsize, c->rhead, rring_used(c), n)) {
        c->rhead = 0;
        t->stats.ring_grown++;
    }
}

size_t uk__tcp_rcv_space(struct uk_tcpip_tcp_conn *c, uint32_t used)
{
    size_t room = c->rsize - used, cap = c->tcp->cfg.ring_min;
    if (room > cap && uk__tcp_under_pressure(c->tcp))
        room = cap;
    return room;
}

void uk_tcpip_tcp_account_init(struct uk_mem_account *acct, struct uk_mem *mem)
{
    struct uk_mem_stats st;
    uk_mem_stats(mem, &st);
    uk_mem_account_init(acct, mem, "tcp", st.total / 2, st.total / 4 * 3);
}
