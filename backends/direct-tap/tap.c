/*
 * tap.c - the TAP network device.  See uk/tap.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <uk/bytes.h>
#include <uk/ipv4.h>
#include <uk/tap.h>

/* The largest frame either way: MTU of payload, the Ethernet header and
 * one 802.1Q tag, as a switch port carries full-size tagged frames. */
#define FRAME_MAX (UK_TAP_MTU + UK_ETH_HLEN + 4)
/* The largest super-segment: one IPv4 packet of at most 65535 bytes. */
#define TSO_FRAME_MAX (UK_ETH_HLEN + 65535)

/* The virtio-net header in front of every frame either way (IFF_VNET_HDR;
 * the virtio spec's 10-byte layout without num_buffers, little-endian as
 * TUNSETVNETLE asks): flags, gso_type, then five 16-bit fields. */
#define VNET_HLEN 10
#define VNET_F_NEEDS_CSUM 1 /* sum from csum_start, store at +csum_offset */
#define VNET_GSO_NONE 0
#define VNET_GSO_TCPV4 1
#define VNET_HDR_LEN 2     /* bytes of headers before the payload */
#define VNET_GSO_SIZE 4    /* payload bytes per segment */
#define VNET_CSUM_START 6
#define VNET_CSUM_OFFSET 8

static struct uk_tap *of(struct uk_network *n)
{
    return UK_CONTAINER_OF(n, struct uk_tap, net);
}

static const char *tap_id(struct uk_network *self)
{
    return of(self)->name;
}

static void tap_done(void *arg)
{
    struct uk_tap *t = (struct uk_tap *)arg;
    if (t->done_cb != NULL)
        t->done_cb(t->done_arg);
}

static void tap_disconnect(struct uk_network *self, uk_done_cb cb, void *arg)
{
    struct uk_tap *t = of(self);
    uk_unix_unwatch(&t->src);
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    t->closed = true;
    t->cb = NULL;
    t->done_cb = cb;
    t->done_arg = arg;
    uk_time_defer(t->time, &t->done, tap_done, t);
}

static int tap_listen(struct uk_network *self, uk_network_rx_cb cb,
                      void *arg)
{
    struct uk_tap *t = of(self);
    t->cb = cb;
    t->cb_arg = arg;
    return 0;
}

static int tap_alloc(struct uk_network *self, size_t headroom, size_t len,
                     struct uk_buf **out)
{
    struct uk_tap *t = of(self);
    struct uk_buf *b;
    if (headroom + len > FRAME_MAX)
        return UK_EMSGSIZE;
    b = uk_bufpool_get(&t->tx_pool, headroom);
    if (b == NULL)
        return UK_ENOBUFS;
    *out = b;
    return 0;
}

/* Accounts for the result of one write of n bytes. */
static int tx_result(struct uk_tap *t, ssize_t w, size_t n)
{
    if (w == (ssize_t)n) {
        t->stats.tx_frames++;
        t->stats.tx_bytes += n;
        return 0;
    }
    t->stats.tx_dropped++;
    if (w >= 0)
        return UK_EIO; /* a TAP write is all or nothing */
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
        return UK_ENOBUFS;
    return UK_EIO;
}

static void store_le16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static size_t load_le16(const uint8_t *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8;
}

/* The virtio-net header asking the kernel to cut TCP/IPv4 frame f (of n
 * bytes) into segments of mss payload bytes and sum each; false if f is
 * not such a frame (its IPv4 and TCP headers must be all there). */
static bool tso_header(uint8_t *h, const uint8_t *f, size_t n, size_t mss)
{
    size_t ihl, thl;
    if (n < UK_ETH_HLEN + 40 || f[12] != 0x08 || f[13] != 0x00 ||
        (f[UK_ETH_HLEN] >> 4) != 4 || f[UK_ETH_HLEN + 9] != 6)
        return false;
    ihl = (size_t)(f[UK_ETH_HLEN] & 15) * 4;
    if (ihl < 20 || UK_ETH_HLEN + ihl + 20 > n)
        return false;
    thl = (size_t)(f[UK_ETH_HLEN + ihl + 12] >> 4) * 4;
    if (thl < 20 || UK_ETH_HLEN + ihl + thl + mss >= n)
        return false;
    h[0] = VNET_F_NEEDS_CSUM;
    h[1] = VNET_GSO_TCPV4;
    store_le16(h + VNET_HDR_LEN, UK_ETH_HLEN + ihl + thl);
    store_le16(h + VNET_GSO_SIZE, mss);
    store_le16(h + VNET_CSUM_START, UK_ETH_HLEN + ihl);
    store_le16(h + VNET_CSUM_OFFSET, 16); /* the TCP checksum field */
    return true;
}

static int tap_send(struct uk_network *self, struct uk_buf *frame)
{
    struct uk_tap *t = of(self);
    uint8_t h[VNET_HLEN] = {0};
    struct iovec v[2];
    size_t n = frame->len;
    ssize_t w;
    if (t->closed) {
        uk_buf_free(frame);
        return UK_ESTALE;
    }
    if (n > (frame->tso_mss != 0 ? TSO_FRAME_MAX : FRAME_MAX) ||
        n < UK_ETH_HLEN ||
        (frame->tso_mss != 0 &&
         !tso_header(h, frame->data, n, frame->tso_mss))) {
        t->stats.tx_dropped++;
        uk_buf_free(frame);
        return UK_EMSGSIZE;
    }
    v[0].iov_base = h;
    v[0].iov_len = sizeof h;
    v[1].iov_base = frame->data;
    v[1].iov_len = n;
    w = writev(t->fd, v, 2);
    uk_buf_free(frame);
    return tx_result(t, w, sizeof h + n);
}

static int tap_sendv(struct uk_network *self, const struct uk_iov *iov,
                     int iovcnt)
{
    struct uk_tap *t = of(self);
    uint8_t h[VNET_HLEN] = {0};
    struct iovec v[UK_IOV_MAX + 1];
    size_t n;
    int i;
    if (iovcnt < 1 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    if (t->closed)
        return UK_ESTALE;
    n = uk_iov_total(iov, iovcnt);
    if (n > FRAME_MAX || n < UK_ETH_HLEN) {
        t->stats.tx_dropped++;
        return UK_EMSGSIZE;
    }
    v[0].iov_base = h;
    v[0].iov_len = sizeof h;
    for (i = 0; i < iovcnt; i++) {
        v[i + 1].iov_base = (void *)(uintptr_t)iov[i].base;
        v[i + 1].iov_len = iov[i].len;
    }
    return tx_result(t, writev(t->fd, v, iovcnt + 1), sizeof h + n);
}

static void tap_mac(struct uk_network *self, struct uk_mac *out)
{
    *out = of(self)->mac;
}

static size_t tap_mtu(struct uk_network *self)
{
    UK_UNUSED(self);
    return UK_TAP_MTU;
}

static void tap_stats(struct uk_network *self, struct uk_network_stats *out)
{
    *out = of(self)->stats;
}

static size_t tap_tso_max(struct uk_network *self)
{
    UK_UNUSED(self);
    return TSO_FRAME_MAX;
}

static const struct uk_network_ops tap_ops = {
    .id = tap_id,
    .disconnect = tap_disconnect,
    .listen = tap_listen,
    .alloc = tap_alloc,
    .send = tap_send,
    .sendv = tap_sendv,
    .mac = tap_mac,
    .mtu = tap_mtu,
    .stats = tap_stats,
    .tso_max = tap_tso_max,
};

/* Completes the checksum of a received frame f of n bytes that the
 * kernel left partial (virtio-net header h); false if h is not sound. */
static bool rx_csum(const uint8_t *h, uint8_t *f, size_t n)
{
    size_t start = load_le16(h + VNET_CSUM_START);
    size_t at = start + load_le16(h + VNET_CSUM_OFFSET);
    if (!(h[0] & VNET_F_NEEDS_CSUM))
        return true;
    if (start >= n || at + 2 > n)
        return false;
    /* the field holds the pseudo-header sum, part of the sum */
    uk_store_be16(f + at, uk_inet_fold(uk_inet_sum(0, f + start, n - start)));
    return true;
}

/* Reads one frame; false when the kernel queue is empty (or failed). */
static bool rx_one(struct uk_tap *t)
{
    struct uk_buf *b = uk_bufpool_get(&t->rx_pool, 0);
    uint8_t h[VNET_HLEN];
    struct iovec v[2];
    ssize_t r;
    v[0].iov_base = h;
    v[0].iov_len = sizeof h;
    v[1].iov_base = b != NULL ? b->data : t->scratch;
    v[1].iov_len = UK_TAP_BUF_SIZE;
    r = readv(t->fd, v, 2);
    if (r <= 0) {
        uk_buf_free(b);
        return false;
    }
    r -= VNET_HLEN;
    if (b == NULL || t->cb == NULL || r < UK_ETH_HLEN || r > FRAME_MAX ||
        h[1] != VNET_GSO_NONE || !rx_csum(h, b->data, (size_t)r)) {
        t->stats.rx_dropped++;
        uk_buf_free(b);
        return true;
    }
    t->stats.rx_frames++;
    t->stats.rx_bytes += (uint64_t)r;
    uk_buf_put(b, (size_t)r);
    t->cb(t->cb_arg, b);
    return true;
}

static void on_ready(struct uk_unix_source *src, uint32_t events)
{
    struct uk_tap *t = UK_CONTAINER_OF(src, struct uk_tap, src);
    int i;
    UK_UNUSED(events);
    /* The listener may disconnect the device from inside its callback. */
    for (i = 0; i < UK_TAP_RX_BUDGET && !t->closed; i++)
        if (!rx_one(t))
            break;
}

void uk_tap_random_mac(struct uk_random *rnd, struct uk_mac *out)
{
    if (uk_random_fill(rnd, out->b, sizeof out->b) != 0)
        memset(out->b, 0x5a, sizeof out->b);
    out->b[0] = (uint8_t)((out->b[0] & 0xfc) | 0x02);
}

/* Brings the kernel side up; best effort (the caller may lack the right,
 * or the interface may be moved to another namespace later anyway). */
static void set_name(struct ifreq *ifr, const char *name)
{
    size_t n = strlen(name);
    memset(ifr, 0, sizeof *ifr);
    memcpy(ifr->ifr_name, name, n < IFNAMSIZ ? n : IFNAMSIZ - 1);
}

static void link_up(const char *name)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return;
    set_name(&ifr, name);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        (void)ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    close(s);
}

static bool host_is_le(void)
{
    static const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

static int open_error(const char *what, const char *name, int e)
{
    int rc = uk_unix_error(e);
    if (e == ENOENT || e == ENODEV || e == ENXIO)
        rc = UK_ENODEV;
    uk_unix_errorf("tap: %s %s: %s%s", what, name, strerror(e),
                   e == EPERM || e == EACCES
                       ? " (creating or attaching a TAP device needs root "
                         "or CAP_NET_ADMIN)"
                       : "");
    return rc;
}

/* The virtio-net header's size and byte order, and no receive offloads:
 * the kernel sends us whole, summed frames of at most the MTU (it sums
 * and segments for us), so the stack's receive path and buffers stay
 * frame-sized; what we send may be offloaded all the same. */
static int vnet_setup(int fd, const char *name)
{
    int sz = VNET_HLEN, le = 1;
    if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0)
        return open_error("cannot set the virtio-net header size of", name,
                          errno);
    if (ioctl(fd, TUNSETVNETLE, &le) < 0 && !host_is_le())
        return open_error("cannot make little-endian the virtio-net header "
                          "of", name, errno);
    if (ioctl(fd, TUNSETOFFLOAD, 0UL) < 0)
        return open_error("cannot turn off the receive offloads of", name,
                          errno);
    return 0;
}

int uk_tap_open(struct uk_tap *t, const char *name, const struct uk_mac *mac,
                struct uk_time *time)
{
    struct ifreq ifr;
    int fd, rc;
    if (name != NULL && strlen(name) >= IFNAMSIZ) {
        uk_unix_errorf("tap: interface name '%s' is longer than %d bytes",
                       name, IFNAMSIZ - 1);
        return UK_EINVAL;
    }
    memset(t, 0, offsetof(struct uk_tap, rx_desc));
    t->net.ops = &tap_ops;
    t->fd = -1;
    t->mac = *mac;
    t->time = time;
    fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return open_error("cannot open", "/dev/net/tun", errno);
    set_name(&ifr, name != NULL ? name : "uktap%d");
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;
        close(fd);
        if (e == EINVAL) {
            uk_unix_errorf("tap: %s exists and is not a TAP device",
                           ifr.ifr_name);
            return UK_EINVAL;
        }
        return open_error("cannot attach to", ifr.ifr_name, e);
    }
    memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
    t->name[IFNAMSIZ - 1] = '\0';
    if ((rc = vnet_setup(fd, t->name)) != 0) {
        close(fd);
        return rc;
    }
    uk_bufpool_init(&t->rx_pool, t->rx_desc, t->rx_mem, UK_TAP_RX_BUFS,
                    UK_TAP_BUF_SIZE);
    uk_bufpool_init(&t->tx_pool, t->tx_desc, t->tx_mem, UK_TAP_TX_BUFS,
                    UK_TAP_BUF_SIZE);
    rc = uk_unix_watch(&t->src, fd, UK_UNIX_READABLE, on_ready);
    if (rc != 0) {
        close(fd);
        uk_unix_errorf("tap: cannot watch %s: %s", t->name, uk_strerror(rc));
        return rc;
    }
    t->fd = fd;
    link_up(t->name);
    return 0;
}
