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

#include <uk/tap.h>

/* The largest frame either way: MTU of payload, the Ethernet header and
 * one 802.1Q tag, as a switch port carries full-size tagged frames. */
#define FRAME_MAX (UK_TAP_MTU + UK_ETH_HLEN + 4)

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

static int tap_send(struct uk_network *self, struct uk_buf *frame)
{
    struct uk_tap *t = of(self);
    size_t n = frame->len;
    ssize_t w;
    if (t->closed) {
        uk_buf_free(frame);
        return UK_ESTALE;
    }
    if (n > FRAME_MAX || n < UK_ETH_HLEN) {
        t->stats.tx_dropped++;
        uk_buf_free(frame);
        return UK_EMSGSIZE;
    }
    w = write(t->fd, frame->data, n);
    uk_buf_free(frame);
    return tx_result(t, w, n);
}

static int tap_sendv(struct uk_network *self, const struct uk_iov *iov,
                     int iovcnt)
{
    struct uk_tap *t = of(self);
    struct iovec v[UK_IOV_MAX];
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
    for (i = 0; i < iovcnt; i++) {
        v[i].iov_base = (void *)(uintptr_t)iov[i].base;
        v[i].iov_len = iov[i].len;
    }
    return tx_result(t, writev(t->fd, v, iovcnt), n);
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
};

/* Reads one frame; false when the kernel queue is empty (or failed). */
static bool rx_one(struct uk_tap *t)
{
    struct uk_buf *b = uk_bufpool_get(&t->rx_pool, 0);
    uint8_t *dst = b != NULL ? b->data : t->scratch;
    ssize_t r = read(t->fd, dst, UK_TAP_BUF_SIZE);
    if (r <= 0) {
        uk_buf_free(b);
        return false;
    }
    if (b == NULL || t->cb == NULL || r < UK_ETH_HLEN || r > FRAME_MAX) {
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
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
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
