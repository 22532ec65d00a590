/*
 * tcp_mem.c - where TCP's memory comes from (uk/tcpip/tcp.h, "Memory"):
 * connection state allocated when a connection is created and freed after
 * it ends, rings allocated at establishment, grown while they limit a flow
 * and the account has room, shrunk back when they drain under pressure.
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

struct uk_tcpip_tcp_conn *uk__tcp_conn_alloc(struct uk_tcpip_tcpv4 *t)
{
    struct uk_tcpip_tcp_conn *c;
    if (t->nconns >= t->max_conns || t->hash == NULL)
        return NULL;
    c = (struct uk_tcpip_tcp_conn *)uk_mem_account_alloc(t->mem, sizeof *c);
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
        uk_time_cancel(t->time, &c->notify);
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
    c->hnext = t->freed;
    t->freed = c;
    if (!uk_timer_is_armed(&t->reap_timer))
        uk_time_defer(t->time, &t->reap_timer, reap_cb, t);
}

int uk__tcp_rings_alloc(struct uk_tcpip_tcp_conn *c)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    if (c->rbuf == NULL &&
        (c->rbuf = (uint8_t *)uk_mem_account_alloc(t->mem, c->rsize)) == NULL)
        return UK_ENOMEM;
    if (c->sbuf == NULL) {
        c->ssize = uk__tcp_ring_start(t, t->cfg.sndbuf);
        c->sbuf = (uint8_t *)uk_mem_account_alloc(t->mem, c->ssize);
        if (c->sbuf == NULL)
            return UK_ENOMEM;
    }
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
    struct uk_tcpip_tcpv4 *t = c->tcp;
    size_t n = ring_cap(t->cfg.ring_min, t->cfg.sndbuf);
    if (c->slen != 0 || c->ssize <= n || c->sbuf == NULL ||
        !uk__tcp_under_pressure(t))
        return;
    if (ring_move(t, &c->sbuf, &c->ssize, 0, 0, n)) {
        c->shead = 0;
        t->stats.ring_shrunk++;
    }
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

void uk__tcp_rring_after_read(struct uk_tcpip_tcp_conn *c, size_t before)
{
    struct uk_tcpip_tcpv4 *t = c->tcp;
    size_t n;
    if (c->rbuf == NULL || c->app != APP_OPEN ||
        (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
         c->state != TCP_FIN_WAIT_2))
        return;
    if (uk__tcp_under_pressure(t)) {
        n = ring_cap(t->cfg.ring_min, t->cfg.rcvbuf);
        if (c->rsize > n && rring_used(c) == 0 &&
            ring_move(t, &c->rbuf, &c->rsize, 0, 0, n)) {
            c->rhead = 0;
            t->stats.ring_shrunk++;
        }
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
