/*
 * tcp_seg.c - TCP segments on the wire: parsing (header, checksum,
 * options) and building (header and options in front of payload copied
 * once from a send ring, straight into a uk_ipv4_alloc buffer; for a
 * super-segment the device cuts, only the pseudo-header sum).
 */
#include "tcp_internal.h"

static void parse_options(struct tcp_seg *s, const uint8_t *o, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t kind = o[i], len;
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || (len = o[i + 1]) < 2 || i + len > n)
            break; /* malformed: ignore the rest */
        if (kind == 2 && len == 4) {
            s->has_mss = true;
            s->mss = uk_load_be16(o + i + 2);
        } else if (kind == 3 && len == 3) {
            s->has_ws = true;
            s->ws = o[i + 2] > TCP_MAX_WS ? TCP_MAX_WS : o[i + 2];
        } else if (kind == 4 && len == 2) {
            s->sack_perm = true;
        } else if (kind == 5 && len >= 10 && (len - 2) % 8 == 0) {
            size_t k, nb = (size_t)(len - 2) / 8;
            for (k = 0; k < nb && s->nsack < 4; k++) {
                s->sack[s->nsack][0] = uk_load_be32(o + i + 2 + 8 * k);
                s->sack[s->nsack][1] = uk_load_be32(o + i + 6 + 8 * k);
                s->nsack++;
            }
        } else if (kind == 8 && len == 10) {
            s->has_ts = true;
            s->tsval = uk_load_be32(o + i + 2);
            s->tsecr = uk_load_be32(o + i + 6);
        }
        i += len;
    }
}

int uk__tcp_parse(struct tcp_seg *s, const struct uk_ipv4_info *info,
                  const uint8_t *p, size_t n)
{
    size_t hl;
    memset(s, 0, sizeof *s);
    if (n < TCP_HLEN)
        return UK_EPROTO;
    hl = (size_t)(p[12] >> 4) * 4;
    if (hl < TCP_HLEN || hl > n)
        return UK_EPROTO;
    if (uk_inet_fold(uk_inet_sum(uk_ipv4_pseudo_sum(info->src, info->dst,
                                                    UK_IPPROTO_TCP, n),
                                 p, n)) != 0)
        return UK_EIO;
    s->src = info->src;
    s->dst = info->dst;
    s->sport = uk_load_be16(p);
    s->dport = uk_load_be16(p + 2);
    s->seq = uk_load_be32(p + 4);
    s->ack = uk_load_be32(p + 8);
    s->flags = p[13] & 0x3f;
    s->wnd = uk_load_be16(p + 14);
    s->data = p + hl;
    s->len = n - hl;
    parse_options(s, p + TCP_HLEN, hl - TCP_HLEN);
    return 0;
}

/* Writes the options of o at p; returns their length (a multiple of 4). */
static size_t build_options(const struct tcp_out *o, uint8_t *p)
{
    size_t n = 0;
    unsigned k;
    if (o->mss) {
        p[n++] = 2;
        p[n++] = 4;
        uk_store_be16(p + n, o->mss_val);
        n += 2;
    }
    if (o->sack_perm && o->ts) {
        p[n++] = 4;
        p[n++] = 2;
    } else if (o->sack_perm) {
        p[n++] = 1;
        p[n++] = 1;
        p[n++] = 4;
        p[n++] = 2;
    } else if (o->ts) {
        p[n++] = 1;
        p[n++] = 1;
    }
    if (o->ts) {
        p[n++] = 8;
        p[n++] = 10;
        uk_store_be32(p + n, o->tsval);
        uk_store_be32(p + n + 4, o->tsecr);
        n += 8;
    }
    if (o->ws) {
        p[n++] = 1;
        p[n++] = 3;
        p[n++] = 3;
        p[n++] = o->ws_val;
    }
    if (o->nsack > 0) {
        p[n++] = 1;
        p[n++] = 1;
        p[n++] = 5;
        p[n++] = (uint8_t)(2 + 8 * o->nsack);
        for (k = 0; k < o->nsack; k++) {
            uk_store_be32(p + n, o->sack[k][0]);
            uk_store_be32(p + n + 4, o->sack[k][1]);
            n += 8;
        }
    }
    return n;
}

int uk__tcp_send_raw(struct uk_tcpip_tcpv4 *t, struct uk_ipv4_addr src,
                     struct uk_ipv4_addr dst, uint16_t sport, uint16_t dport,
                     const struct tcp_out *o, const uint8_t *ring,
                     size_t rsize, size_t roff, size_t len)
{
    uint8_t opts[40], *h, *d;
    size_t olen = build_options(o, opts), hl = TCP_HLEN + olen;
    struct uk_buf *b;
    uint32_t sum;
    int rc = uk_ipv4_alloc(t->ip, hl, len, &b);
    if (rc != 0) {
        t->stats.tx_errors++;
        return rc;
    }
    if (len > 0) {
        size_t first = rsize - roff < len ? rsize - roff : len;
        d = uk_buf_put(b, len);
        memcpy(d, ring + roff, first);
        if (first < len)
            memcpy(d + first, ring, len - first);
    }
    h = uk_buf_push(b, hl);
    uk_store_be16(h, sport);
    uk_store_be16(h + 2, dport);
    uk_store_be32(h + 4, o->seq);
    uk_store_be32(h + 8, o->ack);
    h[12] = (uint8_t)((hl / 4) << 4);
    h[13] = o->flags;
    uk_store_be16(h + 14, o->wnd);
    uk_store_be16(h + 16, 0);
    uk_store_be16(h + 18, 0);
    memcpy(h + TCP_HLEN, opts, olen);
    sum = uk_ipv4_pseudo_sum(src, dst, UK_IPPROTO_TCP, hl + len);
    if (o->tso_mss != 0) {
        /* the device sums each segment: only the pseudo-header here */
        b->tso_mss = o->tso_mss;
        uk_store_be16(h + 16, (uint16_t)~uk_inet_fold(sum));
    } else {
        uk_store_be16(h + 16, uk_inet_fold(uk_inet_sum(sum, h, hl + len)));
    }
    t->stats.tx_segments++;
    rc = uk_ipv4_output(t->ip, dst, UK_IPPROTO_TCP, b);
    if (rc != 0)
        t->stats.tx_errors++;
    return rc;
}

/* RFC 9293 3.10.7.1: the reset answering a segment for no connection. */
void uk__tcp_send_rst_for(struct uk_tcpip_tcpv4 *t, const struct tcp_seg *s)
{
    struct tcp_out o;
    if (s->flags & TH_RST)
        return;
    memset(&o, 0, sizeof o);
    if (s->flags & TH_ACK) {
        o.seq = s->ack;
        o.flags = TH_RST;
    } else {
        o.seq = 0;
        o.ack = s->seq + (uint32_t)s->len + ((s->flags & TH_SYN) ? 1 : 0) +
                ((s->flags & TH_FIN) ? 1 : 0);
        o.flags = TH_RST | TH_ACK;
    }
    t->stats.tx_rst++;
    uk__tcp_send_raw(t, s->dst, s->src, s->dport, s->sport, &o, NULL, 0, 0,
                     0);
}
