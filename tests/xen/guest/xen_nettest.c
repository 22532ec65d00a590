/*
 * xen_nettest.c - netfront against a real Linux netback: answers ARP and
 * ICMP echo for 10.0.0.2 on vif 0 straight on uk_network (no stack), and
 * exits 0 after three echo replies (1 after 60 s without them).  dom0
 * pings it (tests/xen/boot_nettest.sh), so the frames cross netback both
 * ways.  Replies go out through alloc()+send() (the zero-copy path), ARP
 * through sendv() (the copying path).
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

static const uint8_t my_ip[4] = {10, 0, 0, 2};
static struct uk_console *con;
static struct uk_network *net;
static struct uk_mac my_mac;
static int replies;
static struct uk_timer give_up, finish;

static uint16_t csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)(p[n - 1] << 8);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void arp(const uint8_t *f, size_t len)
{
    uint8_t r[60];
    struct uk_iov iov;
    int rc;
    if (len < 42 || f[20] != 0 || f[21] != 1 || memcmp(f + 38, my_ip, 4))
        return; /* not a request for us */
    memset(r, 0, sizeof r);
    memcpy(r, f + 6, 6);
    memcpy(r + 6, my_mac.b, 6);
    r[12] = 0x08, r[13] = 0x06;
    memcpy(r + 14, f + 14, 6); /* htype, ptype, hlen, plen */
    r[20] = 0, r[21] = 2;
    memcpy(r + 22, my_mac.b, 6);
    memcpy(r + 28, my_ip, 4);
    memcpy(r + 32, f + 22, 10); /* their MAC and IP */
    iov.base = r;
    iov.len = sizeof r;
    rc = uk_network_sendv(net, &iov, 1);
    uk_console_printf(con, "nettest: arp reply sent (%s)",
                      rc == 0 ? "ok" : uk_strerror(rc));
}

static void done(void *arg)
{
    struct uk_network_stats st;
    UK_UNUSED(arg);
    uk_network_stats(net, &st);
    uk_console_printf(con,
                      "nettest: rx %llu frames, tx %llu frames, dropped "
                      "rx %llu tx %llu",
                      (unsigned long long)st.rx_frames,
                      (unsigned long long)st.tx_frames,
                      (unsigned long long)st.rx_dropped,
                      (unsigned long long)st.tx_dropped);
    uk_exit(0);
}

static void icmp(const uint8_t *f, size_t len)
{
    size_t ihl, tot;
    struct uk_buf *b;
    uint8_t *r;
    uint16_t c;
    int rc;
    if (len < 34 || (f[14] >> 4) != 4 || f[23] != 1 ||
        memcmp(f + 30, my_ip, 4))
        return;
    ihl = (size_t)(f[14] & 15) * 4;
    tot = (size_t)(f[16] << 8 | f[17]);
    if (ihl < 20 || tot < ihl + 8 || 14 + tot > len || f[14 + ihl] != 8)
        return; /* not a well-formed echo request */
    if ((rc = uk_network_alloc(net, 0, 14 + tot, &b)) != 0) {
        uk_console_printf(con, "nettest: alloc: %s", uk_strerror(rc));
        return;
    }
    r = b->data;
    memcpy(r, f, 14 + tot);
    memcpy(r, f + 6, 6);
    memcpy(r + 6, my_mac.b, 6);
    memcpy(r + 26, f + 30, 4);
    memcpy(r + 30, f + 26, 4);
    r[14 + ihl] = 0; /* echo reply */
    r[14 + ihl + 2] = r[14 + ihl + 3] = 0;
    c = csum(r + 14 + ihl, tot - ihl);
    r[14 + ihl + 2] = (uint8_t)(c >> 8);
    r[14 + ihl + 3] = (uint8_t)c;
    b->len = 14 + tot;
    rc = uk_network_send(net, b);
    replies++;
    uk_console_printf(con, "nettest: echo reply %d sent (%s)", replies,
                      rc == 0 ? "ok" : uk_strerror(rc));
    if (replies == 3) {
        uk_time_cancel(uk_default_time(), &give_up);
        uk_time_defer(uk_default_time(), &finish, done, NULL);
    }
}

static void rx(void *arg, struct uk_buf *frame)
{
    const uint8_t *f = frame->data;
    UK_UNUSED(arg);
    if (frame->len >= 14 && f[12] == 0x08 && f[13] == 0x06)
        arp(f, frame->len);
    else if (frame->len >= 14 && f[12] == 0x08 && f[13] == 0x00)
        icmp(f, frame->len);
    uk_buf_free(frame);
}

static void timeout(void *arg)
{
    UK_UNUSED(arg);
    uk_console_printf(con, "nettest: FAIL: only %d echo replies in 60 s",
                      replies);
    uk_exit(1);
}

int uk_main(int argc, char **argv)
{
    int rc = uk_parse_options(NULL, argc, argv);
    if (rc != UK_RUN)
        return rc;
    con = uk_default_console();
    rc = uk_default_network(0, &net);
    if (rc != 0) {
        uk_console_printf(con, "nettest: FAIL: no vif0: %s",
                          uk_strerror(rc));
        return 1;
    }
    uk_network_mac(net, &my_mac);
    uk_console_printf(con,
                      "nettest: %s up, mac %02x:%02x:%02x:%02x:%02x:%02x, "
                      "mtu %zu",
                      uk_network_id(net), my_mac.b[0], my_mac.b[1],
                      my_mac.b[2], my_mac.b[3], my_mac.b[4], my_mac.b[5],
                      uk_network_mtu(net));
    uk_network_listen(net, rx, NULL);
    uk_time_after(uk_default_time(), &give_up, 60 * UK_NS_PER_S, timeout,
                  NULL);
    return UK_RUN;
}
