/*
 * icmpv4.c - ICMP echo (answering and sending) and destination-unreachable
 * errors with a token-bucket rate limit (policy in uk/tcpip/icmpv4.h).
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/tcpip/icmpv4.h>

#include "util.h"

#define NS_PER_TOKEN (UK_NS_PER_S / UK_TCPIP_ICMP_RATE)
#define BUCKET_NS ((uint64_t)UK_TCPIP_ICMP_BURST * NS_PER_TOKEN)

static struct uk_tcpip_icmpv4 *from_base(struct uk_icmpv4 *self)
{
    return UK_CONTAINER_OF(self, struct uk_tcpip_icmpv4, base);
}

static const char *icmp_id(struct uk_icmpv4 *self)
{
    UK_UNUSED(self);
    return "tcpip-icmpv4";
}

static void icmp_disconnect(struct uk_icmpv4 *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_icmpv4 *icmp = from_base(self);
    uk_ipv4_set_handler(icmp->ip, UK_IPPROTO_ICMP, NULL, NULL);
    icmp->echo_cb = NULL;
    uk__defer_done(icmp->time, &icmp->done_timer, cb, arg);
}

/* Sends an ICMP message: the 4 bytes after type/code/checksum, then the
 * body iov (BORROWED).  Returns as uk_ipv4_output. */
static int send_msg(struct uk_tcpip_icmpv4 *icmp, struct uk_ipv4_addr dst,
                    uint8_t type, uint8_t code, uint32_t rest,
                    const struct uk_iov *body, int cnt)
{
    size_t len = UK_ICMP_HLEN + uk_iov_total(body, cnt);
    struct uk_buf *b = NULL;
    uint8_t *p;
    int rc = uk_ipv4_alloc(icmp->ip, 0, len, &b);
    if (rc != 0) {
        icmp->stats.tx_errors++;
        return rc;
    }
    p = uk_buf_put(b, len);
    p[0] = type;
    p[1] = code;
    uk_store_be16(p + 2, 0);
    uk_store_be32(p + 4, rest);
    uk__iov_copy(p + UK_ICMP_HLEN, body, cnt);
    uk_store_be16(p + 2, uk_inet_fold(uk_inet_sum(0, p, len)));
    rc = uk_ipv4_output(icmp->ip, dst, UK_IPPROTO_ICMP, b);
    if (rc != 0)
        icmp->stats.tx_errors++;
    return rc;
}

static int icmp_send_echo(struct uk_icmpv4 *self, struct uk_ipv4_addr dst,
                          uint16_t id, uint16_t seq, const void *data,
                          size_t len)
{
    struct uk_tcpip_icmpv4 *icmp = from_base(self);
    struct uk_iov iov;
    int rc;
    if (len > UK_IPV4_MAX_PAYLOAD - UK_ICMP_HLEN)
        return UK_EMSGSIZE;
    iov.base = data;
    iov.len = len;
    rc = send_msg(icmp, dst, UK_ICMP_ECHO_REQUEST, 0,
                  (uint32_t)id << 16 | seq, &iov, 1);
    if (rc == 0)
        icmp->stats.tx_echo_requests++;
    return rc;
}

static int icmp_set_echo_handler(struct uk_icmpv4 *self, uk_icmpv4_echo_cb cb,
                                 void *arg)
{
    struct uk_tcpip_icmpv4 *icmp = from_base(self);
    icmp->echo_cb = cb;
    icmp->echo_arg = arg;
    return 0;
}

/* Takes one token from the bucket; false when it is empty. */
static bool take_token(struct uk_tcpip_icmpv4 *icmp)
{
    uint64_t now = uk_time_now_ns(icmp->time);
    uint64_t credit = icmp->tokens_ns + (now - icmp->last_ns);
    icmp->last_ns = now;
    icmp->tokens_ns = credit > BUCKET_NS ? BUCKET_NS : credit;
    if (icmp->tokens_ns < NS_PER_TOKEN)
        return false;
    icmp->tokens_ns -= NS_PER_TOKEN;
    return true;
}

/* Whether the quoted packet is itself an ICMP error (never answered). */
static bool is_icmp_error(const struct uk_ipv4_info *orig, const void *pl,
                          size_t len)
{
    uint8_t t;
    if (orig->proto != UK_IPPROTO_ICMP)
        return false;
    if (len < 1)
        return true;
    t = *(const uint8_t *)pl;
    return t != UK_ICMP_ECHO_REQUEST && t != UK_ICMP_ECHO_REPLY &&
           t != 13 && t != 14; /* timestamp request / reply */
}

static int icmp_send_unreachable(struct uk_icmpv4 *self, uint8_t code,
                                 const struct uk_ipv4_info *orig,
                                 const void *payload, size_t len)
{
    struct uk_tcpip_icmpv4 *icmp = from_base(self);
    struct uk_iov iov[2];
    int rc;
    /* IP has dropped broadcast and multicast sources already */
    if (orig->src.v == 0 || orig->broadcast || is_icmp_error(orig, payload, len) ||
        orig->header_len > 60)
        return UK_EINVAL;
    if (!take_token(icmp)) {
        icmp->stats.tx_rate_limited++;
        return UK_EAGAIN;
    }
    iov[0].base = orig->header;
    iov[0].len = orig->header_len;
    iov[1].base = payload;
    iov[1].len = len < 8 ? len : 8;
    rc = send_msg(icmp, orig->src, UK_ICMP_DEST_UNREACH, code, 0, iov, 2);
    if (rc == 0)
        icmp->stats.tx_unreachable++;
    return rc;
}

/* Answers an echo request; msg (BORROWED) is the whole ICMP message. */
static void answer_echo(struct uk_tcpip_icmpv4 *icmp,
                        const struct uk_ipv4_info *info, const uint8_t *msg,
                        size_t len)
{
    struct uk_iov iov;
    icmp->stats.rx_echo_requests++;
    if (info->broadcast || info->src.v == 0)
        return;
    iov.base = msg + UK_ICMP_HLEN;
    iov.len = len - UK_ICMP_HLEN;
    if (send_msg(icmp, info->src, UK_ICMP_ECHO_REPLY, 0,
                 uk_load_be32(msg + 4), &iov, 1) == 0)
        icmp->stats.tx_echo_replies++;
}

static void icmp_input(void *arg, const struct uk_ipv4_info *info,
                       struct uk_buf *pkt)
{
    struct uk_tcpip_icmpv4 *icmp = (struct uk_tcpip_icmpv4 *)arg;
    const uint8_t *p = pkt->data;
    size_t len = pkt->len;

    icmp->stats.rx_messages++;
    if (len < UK_ICMP_HLEN) {
        icmp->stats.rx_malformed++;
    } else if (uk_inet_fold(uk_inet_sum(0, p, len)) != 0) {
        icmp->stats.rx_bad_checksum++;
    } else if (p[0] == UK_ICMP_ECHO_REQUEST && p[1] == 0) {
        answer_echo(icmp, info, p, len);
    } else if (p[0] == UK_ICMP_ECHO_REPLY && p[1] == 0) {
        icmp->stats.rx_echo_replies++;
        if (icmp->echo_cb != NULL)
            icmp->echo_cb(icmp->echo_arg, info->src, uk_load_be16(p + 4),
                          uk_load_be16(p + 6), p + UK_ICMP_HLEN,
                          len - UK_ICMP_HLEN);
    } else if (p[0] == UK_ICMP_DEST_UNREACH ||
               p[0] == UK_ICMP_TIME_EXCEEDED) {
        icmp->stats.rx_errors++;
    } else {
        icmp->stats.rx_other++;
    }
    uk_buf_free(pkt);
}

static const struct uk_icmpv4_ops icmp_ops = {
    .id = icmp_id,
    .disconnect = icmp_disconnect,
    .send_echo = icmp_send_echo,
    .set_echo_handler = icmp_set_echo_handler,
    .send_unreachable = icmp_send_unreachable,
};

int uk_tcpip_icmpv4_init(struct uk_tcpip_icmpv4 *icmp, struct uk_ipv4 *ip,
                         struct uk_time *time)
{
    memset(icmp, 0, sizeof *icmp);
    icmp->base.ops = &icmp_ops;
    icmp->ip = ip;
    icmp->time = time;
    icmp->tokens_ns = BUCKET_NS;
    icmp->last_ns = uk_time_now_ns(time);
    return uk_ipv4_set_handler(ip, UK_IPPROTO_ICMP, icmp_input, icmp);
}
