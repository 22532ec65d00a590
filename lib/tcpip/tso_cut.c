/*
 * tso_cut.c - runs of a super-segment's wire segments as frames of their
 * own (tso_cut.h).
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/err.h>
#include <uk/ethif.h>
#include <uk/ipv4.h>
#include <uk/network.h>

#include "tso_cut.h"

#define TH_FIN 0x01
#define TH_PSH 0x08
#define TH_CWR 0x80

int uk__tso_train(struct uk__tso_train *t, const uint8_t *f, size_t n,
                  size_t mss)
{
    const uint8_t *ip = f + UK_ETH_HLEN;
    size_t ihl, thl;
    if (mss == 0 || n < UK_ETH_HLEN + 40 || n > UK_ETH_HLEN + 65535 ||
        uk_load_be16(f + 12) != UK_ETHERTYPE_IPV4 || (ip[0] >> 4) != 4 ||
        ip[9] != UK_IPPROTO_TCP || uk_load_be16(ip + 2) != n - UK_ETH_HLEN)
        return UK_EINVAL;
    ihl = (size_t)(ip[0] & 15) * 4;
    if (ihl < 20 || UK_ETH_HLEN + ihl + 20 > n)
        return UK_EINVAL;
    thl = (size_t)(ip[ihl + 12] >> 4) * 4;
    if (thl < 20 || UK_ETH_HLEN + ihl + thl + mss >= n)
        return UK_EINVAL;
    t->f = f;
    t->ihl = ihl;
    t->thl = thl;
    t->hl = UK_ETH_HLEN + ihl + thl;
    t->pay = n - t->hl;
    t->mss = mss;
    t->nseg = (t->pay + mss - 1) / mss;
    return 0;
}

/* Payload bytes of the run [first, first + count). */
static size_t run_pay(const struct uk__tso_train *t, size_t first,
                      size_t count)
{
    size_t off = first * t->mss, left = t->pay - off;
    return count < t->nseg - first ? count * t->mss : left;
}

size_t uk__tso_run_len(const struct uk__tso_train *t, size_t first,
                       size_t count)
{
    return t->hl + run_pay(t, first, count);
}

uint16_t uk__tso_run(const struct uk__tso_train *t, size_t first,
                     size_t count, uint8_t *out)
{
    size_t off = first * t->mss, len = run_pay(t, first, count);
    uint8_t *ip = out + UK_ETH_HLEN, *th = ip + t->ihl;
    struct uk_ipv4_addr src, dst;
    uint32_t sum;
    memcpy(out, t->f, t->hl);
    memcpy(out + t->hl, t->f + t->hl + off, len);
    uk_store_be16(ip + 2, (uint16_t)(t->ihl + t->thl + len));
    uk_store_be16(ip + 4, (uint16_t)(uk_load_be16(ip + 4) + first));
    uk_store_be16(ip + 10, 0);
    uk_store_be16(ip + 10, uk_inet_fold(uk_inet_sum(0, ip, t->ihl)));
    uk_store_be32(th + 4, uk_load_be32(th + 4) + (uint32_t)off);
    if (off + len != t->pay)
        th[13] &= (uint8_t) ~(TH_FIN | TH_PSH);
    if (first > 0)
        th[13] &= (uint8_t)~TH_CWR;
    src.v = uk_load_be32(ip + 12);
    dst.v = uk_load_be32(ip + 16);
    sum = uk_ipv4_pseudo_sum(src, dst, UK_IPPROTO_TCP, t->thl + len);
    if (len > t->mss) {
        uk_store_be16(th + 16, (uint16_t)~uk_inet_fold(sum));
        return (uint16_t)t->mss;
    }
    uk_store_be16(th + 16, 0);
    uk_store_be16(th + 16, uk_inet_fold(uk_inet_sum(sum, th, t->thl + len)));
    return 0;
}
