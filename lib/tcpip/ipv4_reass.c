/*
 * ipv4_reass.c - reassembly of IPv4 fragments into fixed slots, with the
 * overlap, size and timeout policy of uk/tcpip/ipv4.h.
 */
#include <string.h>

#include <uk/bytes.h>

#include "ipv4_internal.h"

enum { FREE, COLLECTING, DELIVERED };

static bool map_get(const uint8_t *map, size_t blk)
{
    return (map[blk / 8] >> (blk % 8)) & 1;
}

static void map_set(uint8_t *map, size_t blk)
{
    map[blk / 8] = (uint8_t)(map[blk / 8] | 1u << (blk % 8));
}

static void slot_free(struct uk_tcpip_ipv4_reass *r)
{
    uk_time_cancel(r->ip->time, &r->timer);
    r->state = FREE;
}

static void slot_timeout(void *arg)
{
    struct uk_tcpip_ipv4_reass *r = (struct uk_tcpip_ipv4_reass *)arg;
    r->ip->stats.reass_timeout++;
    r->state = FREE;
}

/* free_fn of a delivered datagram: the slot is free again. */
static void reass_buf_free(struct uk_buf *b)
{
    struct uk_tcpip_ipv4_reass *r = (struct uk_tcpip_ipv4_reass *)b->owner;
    r->state = FREE;
}

static struct uk_tcpip_ipv4_reass *
slot_find(struct uk_tcpip_ipv4 *ip, struct uk_ipv4_addr src,
          struct uk_ipv4_addr dst, uint8_t proto, uint16_t id)
{
    struct uk_tcpip_ipv4_reass *fresh = NULL, *oldest = NULL;
    size_t i;
    for (i = 0; i < UK_TCPIP_IPV4_REASS_SLOTS; i++) {
        struct uk_tcpip_ipv4_reass *r = &ip->reass[i];
        if (r->state == COLLECTING && r->id == id && r->proto == proto &&
            uk_ipv4_eq(r->src, src) && uk_ipv4_eq(r->dst, dst))
            return r;
        if (r->state == FREE && fresh == NULL)
            fresh = r;
        if (r->state == COLLECTING &&
            (oldest == NULL || r->started_ns < oldest->started_ns))
            oldest = r;
    }
    if (fresh == NULL && oldest != NULL) {
        ip->stats.reass_evicted++;
        slot_free(oldest);
        fresh = oldest;
    }
    if (fresh == NULL)
        return NULL; /* every slot is held by a handler */
    fresh->started_ns = uk_time_now_ns(ip->time);
    fresh->state = COLLECTING;
    fresh->src = src;
    fresh->dst = dst;
    fresh->proto = proto;
    fresh->id = id;
    fresh->total = fresh->maxend = fresh->received = fresh->header_len = 0;
    memset(fresh->map, 0, sizeof fresh->map);
    uk_time_after(ip->time, &fresh->timer, UK_TCPIP_IPV4_REASS_TIMEOUT_NS,
                  slot_timeout, fresh);
    return fresh;
}

/* Whether [off, end) conflicts with what the slot knows about the end of
 * the datagram. */
static bool inconsistent(const struct uk_tcpip_ipv4_reass *r, size_t off,
                         size_t end, bool mf)
{
    UK_UNUSED(off);
    if (r->total != 0 || !mf) {
        size_t total = r->total != 0 ? r->total : end;
        if (mf ? end >= total : end != total)
            return true;
        if (!mf && r->maxend > end)
            return true;
    }
    return false;
}

/* 0: new data; 1: exact duplicate; -1: overlaps different data. */
static int overlap(const struct uk_tcpip_ipv4_reass *r, size_t off,
                   const uint8_t *data, size_t len)
{
    size_t blk, first = off / 8, last = (off + len + 7) / 8;
    size_t set = 0;
    for (blk = first; blk < last; blk++)
        set += map_get(r->map, blk);
    if (set == 0)
        return 0;
    if (set == last - first &&
        memcmp(r->data + UK_TCPIP_HEADROOM + off, data, len) == 0)
        return 1;
    return -1;
}

static void complete(struct uk_tcpip_ipv4 *ip, struct uk_tcpip_ipv4_reass *r)
{
    struct uk_ipv4_info info;
    const uint8_t *h = r->header;
    uk_time_cancel(ip->time, &r->timer);
    r->state = DELIVERED;
    uk_buf_init(&r->buf, r->data, sizeof r->data, UK_TCPIP_HEADROOM);
    r->buf.len = r->total;
    r->buf.free_fn = reass_buf_free;
    r->buf.owner = r;
    info.src = r->src;
    info.dst = r->dst;
    info.proto = r->proto;
    info.ttl = h[8];
    info.tos = h[1];
    info.header = h;
    info.header_len = r->header_len;
    info.broadcast = uk__ipv4_is_group(ip, info.dst);
    ip->stats.reass_ok++;
    uk__ipv4_deliver(ip, &info, &r->buf);
}

void uk__ipv4_reass_input(struct uk_tcpip_ipv4 *ip, const uint8_t *hdr,
                          size_t hlen, struct uk_buf *payload, size_t off,
                          bool mf)
{
    struct uk_tcpip_ipv4_reass *r;
    struct uk_ipv4_addr src, dst;
    size_t len = payload->len, end = off + len, blk;
    int ov;

    ip->stats.rx_fragments++;
    src.v = uk_load_be32(hdr + 12);
    dst.v = uk_load_be32(hdr + 16);
    r = slot_find(ip, src, dst, hdr[9], uk_load_be16(hdr + 4));
    if (r == NULL) {
        ip->stats.reass_no_slot++;
        uk_buf_free(payload);
        return;
    }
    if (hlen + end > 65535 || end > UK_IPV4_MAX_PAYLOAD) {
        ip->stats.reass_too_big++;
        goto drop_datagram;
    }
    if ((mf && (len == 0 || len % 8 != 0)) || inconsistent(r, off, end, mf)) {
        ip->stats.reass_bad++;
        goto drop_datagram;
    }
    ov = overlap(r, off, payload->data, len);
    if (ov < 0) {
        ip->stats.reass_overlap++;
        goto drop_datagram;
    }
    if (ov > 0) {
        ip->stats.reass_dup++;
        uk_buf_free(payload);
        return;
    }
    if (len > 0)
        memcpy(r->data + UK_TCPIP_HEADROOM + off, payload->data, len);
    for (blk = off / 8; blk < (end + 7) / 8; blk++)
        map_set(r->map, blk);
    r->received += len;
    if (end > r->maxend)
        r->maxend = end;
    if (!mf)
        r->total = end;
    if (off == 0) {
        memcpy(r->header, hdr, hlen);
        r->header_len = hlen;
    }
    uk_buf_free(payload);
    if (r->total != 0 && r->received == r->total && r->header_len != 0)
        complete(ip, r);
    return;

drop_datagram:
    uk_buf_free(payload);
    slot_free(r);
}

void uk__ipv4_reass_init(struct uk_tcpip_ipv4 *ip)
{
    size_t i;
    for (i = 0; i < UK_TCPIP_IPV4_REASS_SLOTS; i++) {
        ip->reass[i].ip = ip;
        ip->reass[i].state = FREE;
        memset(&ip->reass[i].timer, 0, sizeof ip->reass[i].timer);
    }
}

void uk__ipv4_reass_clear(struct uk_tcpip_ipv4 *ip)
{
    size_t i;
    for (i = 0; i < UK_TCPIP_IPV4_REASS_SLOTS; i++)
        if (ip->reass[i].state == COLLECTING)
            slot_free(&ip->reass[i]);
}
