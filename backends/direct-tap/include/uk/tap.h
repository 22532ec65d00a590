/*
 * uk/tap.h - a NETWORK device (uk/network.h) over a Linux TAP interface
 * (/dev/net/tun in IFF_TAP | IFF_NO_PI | IFF_VNET_HDR mode, non-blocking),
 * driven by the unix event loop (uk/unix.h).  Every frame either way
 * carries a 10-byte virtio-net header, little-endian (TUNSETVNETHDRSZ,
 * TUNSETVNETLE).
 *
 * Receive: when the descriptor is readable the device reads up to
 * UK_TAP_RX_BUDGET frames per wake-up into buffers of a fixed pool
 * (UK_TAP_RX_BUFS buffers, no allocation) and hands each to the listener,
 * which consumes it.  When the pool is empty (the listener holds every
 * buffer) frames are read into a scratch buffer and dropped, counted in
 * rx_dropped, so the kernel queue never stalls the loop.  Frames shorter
 * than an Ethernet header or longer than MTU + 18 (header and one 802.1Q
 * tag: a switch port carries full-size tagged frames) are dropped too.
 *
 * Receive offloads are off (TUNSETOFFLOAD 0): the kernel segments and
 * sums what it sends us, so frames stay at most MTU-sized and the stack's
 * receive path needs no super-segments; a frame it still marks with a
 * partial checksum is completed here, one marked for segmentation (not
 * expected) is dropped.
 *
 * Transmit: one writev per frame, never blocking:
 * a full kernel queue drops the frame (UK_ENOBUFS, tx_dropped), as a wire
 * would.  While the kernel side of the interface is down, writes fail and
 * frames are dropped with UK_EIO.  Segmentation offload (tso_max: an IPv4
 * packet of up to 65535 bytes): a frame with tso_mss set goes as one write
 * whose header asks the kernel to cut it (GSO TCPV4, gso_size tso_mss) and
 * to sum each segment (NEEDS_CSUM from the TCP header); the kernel, as the
 * peer, usually takes it whole without cutting or summing at all.
 *
 * The MAC is the one our stack uses on the link (not the kernel
 * interface's own MAC); the MTU is 1500.
 */
#ifndef UK_TAP_H
#define UK_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/buf.h>
#include <uk/network.h>
#include <uk/random.h>
#include <uk/time.h>
#include <uk/unix.h>

#define UK_TAP_MTU 1500
#define UK_TAP_BUF_SIZE 2048 /* >= MTU + 18, with headroom to spare */
#define UK_TAP_RX_BUFS 128
#define UK_TAP_TX_BUFS 32
#define UK_TAP_RX_BUDGET 64
#define UK_TAP_NAME_MAX 16 /* IFNAMSIZ, with the NUL */

struct uk_tap {
    struct uk_network net; /* the interface: pass &t->net */
    struct uk_unix_source src;
    int fd;
    char name[UK_TAP_NAME_MAX]; /* the kernel interface's name */
    struct uk_mac mac;
    struct uk_time *time;
    uk_network_rx_cb cb;
    void *cb_arg;
    struct uk_network_stats stats;
    bool closed;
    struct uk_timer done;
    uk_done_cb done_cb;
    void *done_arg;
    struct uk_bufpool rx_pool, tx_pool;
    struct uk_buf rx_desc[UK_TAP_RX_BUFS], tx_desc[UK_TAP_TX_BUFS];
    uint8_t rx_mem[UK_TAP_RX_BUFS * UK_TAP_BUF_SIZE];
    uint8_t tx_mem[UK_TAP_TX_BUFS * UK_TAP_BUF_SIZE];
    uint8_t scratch[UK_TAP_BUF_SIZE];
};

/*
 * uk_tap_open(t, name, mac, time): attaches to the TAP interface `name`
 * (BORROWED; an existing interface, or created if absent), or when name is
 * NULL creates a new one named "uktap<N>"; t->name gives the name the
 * kernel chose.  The kernel side is brought up when we are allowed to.
 * mac (BORROWED) is the address our stack uses; time runs the deferred
 * disconnect callback.  Returns 0, or (after writing the reason with
 * uk_unix_errorf) UK_ENODEV (no /dev/net/tun), UK_EACCES (needs
 * CAP_NET_ADMIN), UK_EBUSY (the interface is attached elsewhere),
 * UK_EINVAL (name too long or not a TAP interface), UK_EIO.
 */
int uk_tap_open(struct uk_tap *t, const char *name, const struct uk_mac *mac,
                struct uk_time *time);

/* A random locally administered unicast MAC (02-style) from rnd. */
void uk_tap_random_mac(struct uk_random *rnd, struct uk_mac *out);

#endif
