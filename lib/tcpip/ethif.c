/*
 * ethif.c - Ethernet framing and demultiplexing by ethertype (ETHIF).
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/tcpip/ethif.h>

#include "util.h"

static struct uk_tcpip_ethif *from_base(struct uk_ethif *self)
{
    return UK_CONTAINER_OF(self, struct uk_tcpip_ethif, base);
}

static const char *ethif_id(struct uk_ethif *self)
{
    UK_UNUSED(self);
    return "tcpip-ethif";
}

static void ethif_disconnect(struct uk_ethif *self, uk_done_cb cb, void *arg)
{
    struct uk_tcpip_ethif *e = from_base(self);
    uk_network_listen(e->net, NULL, NULL);
    memset(e->handlers, 0, sizeof e->handlers);
    uk__defer_done(e->time, &e->done_timer, cb, arg);
}

static struct uk_tcpip_ethif_handler *find_handler(struct uk_tcpip_ethif *e,
                                                   uint16_t type)
{
    size_t i;
    for (i = 0; i < UK_TCPIP_ETHIF_HANDLERS; i++)
        if (e->handlers[i].cb != NULL && e->handlers[i].ethertype == type)
            return &e->handlers[i];
    return NULL;
}

static int ethif_set_handler(struct uk_ethif *self, uint16_t type,
                             uk_ethif_rx_cb cb, void *arg)
{
    struct uk_tcpip_ethif *e = from_base(self);
    struct uk_tcpip_ethif_handler *h = find_handler(e, type);
    size_t i;
    if (h == NULL && cb == NULL)
        return 0;
    for (i = 0; h == NULL && i < UK_TCPIP_ETHIF_HANDLERS; i++)
        if (e->handlers[i].cb == NULL)
            h = &e->handlers[i];
    if (h == NULL)
        return UK_ELIMIT;
    h->ethertype = type;
    h->cb = cb;
    h->arg = arg;
    return 0;
}

static int ethif_alloc(struct uk_ethif *self, size_t headroom, size_t len,
                       struct uk_buf **out)
{
    struct uk_tcpip_ethif *e = from_base(self);
    return uk_network_alloc(e->net, headroom + UK_ETH_HLEN, len, out);
}

/* A copy of payload in a fresh network buffer with room for the header;
 * frees payload.  NULL when no buffer is available. */
static struct uk_buf *copy_payload(struct uk_tcpip_ethif *e,
                                   struct uk_buf *payload, int *err)
{
    struct uk_buf *b = NULL;
    *err = uk_network_alloc(e->net, UK_ETH_HLEN, payload->len, &b);
    if (*err == 0) {
        memcpy(uk_buf_put(b, payload->len), payload->data, payload->len);
        b->tso_mss = payload->tso_mss;
        e->stats.tx_copied++;
    }
    uk_buf_free(payload);
    return *err == 0 ? b : NULL;
}

static int ethif_output(struct uk_ethif *self, const struct uk_mac *dst,
                        uint16_t type, struct uk_buf *payload)
{
    struct uk_tcpip_ethif *e = from_base(self);
    uint8_t *h;
    int rc;
    if (uk_buf_headroom(payload) < UK_ETH_HLEN) {
        payload = copy_payload(e, payload, &rc);
        if (payload == NULL) {
            e->stats.tx_errors++;
            return rc;
        }
    }
    if ((h = uk_buf_push(payload, UK_ETH_HLEN)) == NULL) {
        uk_buf_free(payload); /* not reached: headroom was checked */
        e->stats.tx_errors++;
        return UK_ENOBUFS;
    }
    memcpy(h, dst->b, 6);
    memcpy(h + 6, e->mac.b, 6);
    uk_store_be16(h + 12, type);
    rc = uk_network_send(e->net, payload);
    if (rc == 0)
        e->stats.tx_frames++;
    else
        e->stats.tx_errors++;
    return rc;
}

static void ethif_mac(struct uk_ethif *self, struct uk_mac *out)
{
    *out = from_base(self)->mac;
}

static size_t ethif_mtu(struct uk_ethif *self)
{
    return uk_network_mtu(from_base(self)->net);
}

static size_t ethif_tso_max(struct uk_ethif *self)
{
    size_t m = uk_network_tso_max(from_base(self)->net);
    return m > UK_ETH_HLEN ? m - UK_ETH_HLEN : 0;
}

/* The network's receive callback: one frame, consumed here or by the
 * handler it is routed to. */
static void ethif_input(void *arg, struct uk_buf *frame)
{
    struct uk_tcpip_ethif *e = (struct uk_tcpip_ethif *)arg;
    struct uk_tcpip_ethif_handler *h;
    struct uk_mac dst, src;
    uint16_t type;

    e->stats.rx_frames++;
    if (frame->len < UK_ETH_HLEN) {
        e->stats.rx_runt++;
        uk_buf_free(frame);
        return;
    }
    memcpy(dst.b, frame->data, 6);
    memcpy(src.b, frame->data + 6, 6);
    type = uk_load_be16(frame->data + 12);
    if (!uk_mac_is_multicast(&dst) && !uk_mac_eq(&dst, &e->mac)) {
        e->stats.rx_other_mac++;
        uk_buf_free(frame);
        return;
    }
    if (type == UK_ETHERTYPE_VLAN) {
        e->stats.rx_vlan++;
        uk_buf_free(frame);
        return;
    }
    h = find_handler(e, type);
    if (h == NULL) {
        e->stats.rx_unknown_type++;
        uk_buf_free(frame);
        return;
    }
    uk_buf_pull(frame, UK_ETH_HLEN);
    e->stats.rx_delivered++;
    h->cb(h->arg, &src, frame);
}

static const struct uk_ethif_ops ethif_ops = {
    .id = ethif_id,
    .disconnect = ethif_disconnect,
    .set_handler = ethif_set_handler,
    .alloc = ethif_alloc,
    .output = ethif_output,
    .mac = ethif_mac,
    .mtu = ethif_mtu,
    .tso_max = ethif_tso_max,
};

int uk_tcpip_ethif_init(struct uk_tcpip_ethif *e, struct uk_network *net,
                        struct uk_time *time)
{
    memset(e, 0, sizeof *e);
    e->base.ops = &ethif_ops;
    e->net = net;
    e->time = time;
    uk_network_mac(net, &e->mac);
    return uk_network_listen(net, ethif_input, e);
}
