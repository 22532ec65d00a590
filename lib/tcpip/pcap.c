/*
 * pcap.c - the capture shim (uk/tcpip/pcap.h).
 */
#include <string.h>

#include <uk/tcpip/pcap.h>

#include "util.h"

static struct uk_pcap *from_base(struct uk_network *self)
{
    return UK_CONTAINER_OF(self, struct uk_pcap, base);
}

static void store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void store_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void emit(struct uk_pcap *p, const void *data, size_t len)
{
    if (len > 0 && p->sink(p->sink_arg, data, len) != 0)
        p->errors++;
}

/* Records one frame given as iov (BORROWED). */
static void capture(struct uk_pcap *p, const struct uk_iov *iov, int cnt)
{
    uint8_t h[UK_PCAP_REC_HLEN];
    int64_t ns = uk_clock_wall_ns(p->clock);
    size_t len = uk_iov_total(iov, cnt), left;
    int i;
    if (ns < 0)
        ns = 0;
    left = len < p->snaplen ? len : p->snaplen;
    store_le32(h, (uint32_t)(ns / (int64_t)UK_NS_PER_S));
    store_le32(h + 4, (uint32_t)(ns % (int64_t)UK_NS_PER_S / 1000));
    store_le32(h + 8, (uint32_t)left);
    store_le32(h + 12, (uint32_t)len);
    emit(p, h, sizeof h);
    for (i = 0; i < cnt && left > 0; i++) {
        size_t n = iov[i].len < left ? iov[i].len : left;
        emit(p, iov[i].base, n);
        left -= n;
    }
    p->records++;
}

static void capture_buf(struct uk_pcap *p, const struct uk_buf *b)
{
    struct uk_iov iov;
    iov.base = b->data;
    iov.len = b->len;
    capture(p, &iov, 1);
}

static void pcap_input(void *arg, struct uk_buf *frame)
{
    struct uk_pcap *p = (struct uk_pcap *)arg;
    capture_buf(p, frame);
    if (p->cb != NULL)
        p->cb(p->cb_arg, frame);
    else
        uk_buf_free(frame);
}

static const char *pcap_id(struct uk_network *self)
{
    return uk_network_id(from_base(self)->lower);
}

static void pcap_disconnect(struct uk_network *self, uk_done_cb cb, void *arg)
{
    struct uk_pcap *p = from_base(self);
    p->cb = NULL;
    uk_network_listen(p->lower, NULL, NULL);
    uk_network_disconnect(p->lower, cb, arg);
}

static int pcap_listen(struct uk_network *self, uk_network_rx_cb cb,
                       void *arg)
{
    struct uk_pcap *p = from_base(self);
    p->cb = cb;
    p->cb_arg = arg;
    return 0;
}

static int pcap_alloc(struct uk_network *self, size_t headroom, size_t len,
                      struct uk_buf **out)
{
    return uk_network_alloc(from_base(self)->lower, headroom, len, out);
}

static int pcap_send(struct uk_network *self, struct uk_buf *frame)
{
    struct uk_pcap *p = from_base(self);
    capture_buf(p, frame);
    return uk_network_send(p->lower, frame);
}

static int pcap_sendv(struct uk_network *self, const struct uk_iov *iov,
                      int iovcnt)
{
    struct uk_pcap *p = from_base(self);
    if (iovcnt < 0 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    capture(p, iov, iovcnt);
    return uk_network_sendv(p->lower, iov, iovcnt);
}

static void pcap_mac(struct uk_network *self, struct uk_mac *out)
{
    uk_network_mac(from_base(self)->lower, out);
}

static size_t pcap_mtu(struct uk_network *self)
{
    return uk_network_mtu(from_base(self)->lower);
}

static void pcap_stats(struct uk_network *self, struct uk_network_stats *out)
{
    uk_network_stats(from_base(self)->lower, out);
}

static const struct uk_network_ops pcap_ops = {
    .id = pcap_id,
    .disconnect = pcap_disconnect,
    .listen = pcap_listen,
    .alloc = pcap_alloc,
    .send = pcap_send,
    .sendv = pcap_sendv,
    .mac = pcap_mac,
    .mtu = pcap_mtu,
    .stats = pcap_stats,
};

int uk_pcap_init(struct uk_pcap *p, struct uk_network *lower,
                 struct uk_clock *clock, uk_pcap_sink_fn sink,
                 void *sink_arg, uint32_t snaplen)
{
    uint8_t h[UK_PCAP_FILE_HLEN];
    int rc;
    p->base.ops = &pcap_ops;
    p->lower = lower;
    p->clock = clock;
    p->sink = sink;
    p->sink_arg = sink_arg;
    p->snaplen = snaplen != 0 ? snaplen : 65535;
    p->cb = NULL;
    p->cb_arg = NULL;
    p->records = p->errors = 0;
    if ((rc = uk_network_listen(lower, pcap_input, p)) != 0)
        return rc;
    store_le32(h, UK_PCAP_MAGIC);
    store_le16(h + 4, 2); /* version 2.4 */
    store_le16(h + 6, 4);
    store_le32(h + 8, 0);  /* thiszone */
    store_le32(h + 12, 0); /* sigfigs */
    store_le32(h + 16, p->snaplen);
    store_le32(h + 20, UK_PCAP_LINKTYPE_ETHERNET);
    rc = sink(sink_arg, h, sizeof h);
    if (rc != 0)
        p->errors++;
    return rc;
}
