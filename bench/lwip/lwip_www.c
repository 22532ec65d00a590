/*
 * lwip_www.c - the benchmark's reference responder: a minimal HTTP/1.1
 * server on Debian's lwIP (liblwip-dev 2.1) over a TAP device, for
 * bench/tcp.sh.  Not part of uk: it exists to compare uk's TCP with
 * lwIP's on the same TAP path.
 *
 *   lwip_www --tap=NAME --ipv4=A.B.C.D/LEN [--mac=XX:..] [--port=80]
 *            --site=DIR
 *
 * Shape, chosen to give lwIP its fastest path:
 *   - one thread, no tcpip thread: lwip_init(), then a poll() loop that
 *     reads frames from the TAP descriptor straight into ethernet_input()
 *     and runs sys_check_timeouts() (the raw/callback API, the way lwIP
 *     runs without an OS; Debian's tapif driver would add a reader thread
 *     and a mailbox hop per frame);
 *   - every regular file of DIR is read into memory at start; bodies are
 *     handed to tcp_write() without copying (lwIP references them);
 *   - keep-alive unless the client asks to close; one request at a time
 *     per connection (wrk and curl do not pipeline).
 * lwIP's TCP configuration is Debian's, compiled into the library
 * (TCP_MSS 1460, TCP_WND 65535 with window scale 1, TCP_SND_BUF 65535).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define MAX_FILES 16
#define REQ_MAX 4096
#define RX_BUDGET 64
#define FRAME_MAX 1518

struct file {
    char path[300];
    unsigned char *data;
    size_t len;
    const char *type;
};

struct conn {
    struct tcp_pcb *pcb;
    char req[REQ_MAX];
    size_t req_len;
    char hdr[256];
    size_t hdr_len, hdr_off;
    const unsigned char *body;
    size_t body_len, body_off;
    int sending, close_after;
};

static struct file files[MAX_FILES];
static int nfiles;
static int tap_fd = -1;
static struct netif tap_netif;
static unsigned char our_mac[6] = {0x02, 0x00, 0x00, 0x79, 0x00, 0x02};
static volatile sig_atomic_t stop;
static unsigned long long served;

static void die(const char *what)
{
    fprintf(stderr, "lwip_www: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* ---- the site, in memory ---- */

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot != NULL && strcmp(dot, ".html") == 0)
        return "text/html";
    return "application/octet-stream";
}

static void load_site(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (d == NULL)
        die(dir);
    while ((e = readdir(d)) != NULL && nfiles < MAX_FILES) {
        char full[4096];
        struct stat st;
        FILE *f;
        struct file *out = &files[nfiles];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        out->data = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
        f = fopen(full, "rb");
        if (out->data == NULL || f == NULL ||
            fread(out->data, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
            die(full);
        fclose(f);
        out->len = (size_t)st.st_size;
        snprintf(out->path, sizeof out->path, "/%s", e->d_name);
        out->type = type_of(e->d_name);
        nfiles++;
    }
    closedir(d);
}

static const struct file *lookup(const char *path, size_t n)
{
    int i;
    for (i = 0; i < nfiles; i++)
        if (strlen(files[i].path) == n && memcmp(files[i].path, path, n) == 0)
            return &files[i];
    return NULL;
}

/* ---- HTTP over the raw API ---- */

static void conn_free(struct conn *c)
{
    if (c->pcb != NULL) {
        tcp_arg(c->pcb, NULL);
        tcp_recv(c->pcb, NULL);
        tcp_sent(c->pcb, NULL);
        tcp_err(c->pcb, NULL);
        if (tcp_close(c->pcb) != ERR_OK)
            tcp_abort(c->pcb);
    }
    free(c);
}

/* Queues as much of the current response as lwIP's send buffer takes. */
static void send_more(struct conn *c)
{
    while (c->sending) {
        u16_t room = tcp_sndbuf(c->pcb);
        size_t n;
        err_t e;
        if (room == 0)
            break;
        if (c->hdr_off < c->hdr_len) {
            n = c->hdr_len - c->hdr_off;
            if (n > room)
                n = room;
            e = tcp_write(c->pcb, c->hdr + c->hdr_off, (u16_t)n,
                          TCP_WRITE_FLAG_COPY |
                              (c->body_len > 0 ? TCP_WRITE_FLAG_MORE : 0));
            if (e != ERR_OK)
                break;
            c->hdr_off += n;
            continue;
        }
        if (c->body_off < c->body_len) {
            n = c->body_len - c->body_off;
            if (n > room)
                n = room;
            e = tcp_write(c->pcb, c->body + c->body_off, (u16_t)n,
                          c->body_off + n < c->body_len ? TCP_WRITE_FLAG_MORE
                                                        : 0);
            if (e != ERR_OK)
                break;
            c->body_off += n;
            continue;
        }
        c->sending = 0;
        served++;
    }
    tcp_output(c->pcb);
}

static int has_token(const char *head, size_t n, const char *tok)
{
    size_t k = strlen(tok), i;
    for (i = 0; i + k <= n; i++)
        if (strncasecmp(head + i, tok, k) == 0)
            return 1;
    return 0;
}

/* Starts the response to the complete request at the head of c->req;
 * returns its length, 0 when the head is not complete yet. */
static size_t start_request(struct conn *c)
{
    char *end = NULL, *sp;
    const struct file *f;
    size_t i, used;
    int v10;
    for (i = 0; i + 3 < c->req_len; i++)
        if (memcmp(c->req + i, "\r\n\r\n", 4) == 0) {
            end = c->req + i;
            break;
        }
    if (end == NULL)
        return 0;
    used = (size_t)(end - c->req) + 4;
    sp = memchr(c->req, ' ', used);
    f = NULL;
    if (sp != NULL && sp - c->req == 3 && memcmp(c->req, "GET", 3) == 0) {
        char *p = sp + 1, *q = memchr(p, ' ', (size_t)(end - p));
        if (q != NULL)
            f = lookup(p, (size_t)(q - p));
    }
    v10 = has_token(c->req, used, "HTTP/1.0\r\n");
    c->close_after = has_token(c->req, used, "connection: close") ||
                     (v10 && !has_token(c->req, used, "keep-alive"));
    if (f != NULL) {
        c->hdr_len = (size_t)snprintf(
            c->hdr, sizeof c->hdr,
            "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
            "%s\r\n",
            f->type, f->len, c->close_after ? "Connection: close\r\n" : "");
        c->body = f->data;
        c->body_len = f->len;
    } else {
        c->hdr_len = (size_t)snprintf(
            c->hdr, sizeof c->hdr,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n%s\r\n",
            c->close_after ? "Connection: close\r\n" : "");
        c->body = NULL;
        c->body_len = 0;
    }
    c->hdr_off = c->body_off = 0;
    c->sending = 1;
    return used;
}

/* Serves buffered requests while no response is in progress. */
static void serve(struct conn *c)
{
    while (!c->sending && c->pcb != NULL) {
        size_t used;
        if (c->close_after) {
            conn_free(c);
            return;
        }
        used = start_request(c);
        if (used == 0) {
            if (c->req_len == sizeof c->req) /* head too large */
                conn_free(c);
            return;
        }
        memmove(c->req, c->req + used, c->req_len - used);
        c->req_len -= used;
        send_more(c);
    }
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    struct conn *c = arg;
    (void)pcb;
    (void)len;
    if (c == NULL)
        return ERR_OK;
    send_more(c);
    serve(c);
    return ERR_OK;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
                     err_t err)
{
    struct conn *c = arg;
    size_t room;
    (void)err;
    if (c == NULL) {
        if (p != NULL) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (p == NULL) { /* the peer closed */
        conn_free(c);
        return ERR_OK;
    }
    room = sizeof c->req - c->req_len;
    if (p->tot_len <= room) {
        pbuf_copy_partial(p, c->req + c->req_len, p->tot_len, 0);
        c->req_len += p->tot_len;
    } else {
        c->close_after = 1; /* more than a head's worth: give up */
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    serve(c);
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct conn *c = arg;
    (void)err;
    if (c != NULL) {
        c->pcb = NULL; /* lwIP has freed it */
        free(c);
    }
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct conn *c;
    (void)arg;
    if (err != ERR_OK || pcb == NULL)
        return ERR_VAL;
    c = calloc(1, sizeof *c);
    if (c == NULL) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    c->pcb = pcb;
    tcp_arg(pcb, c);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
    return ERR_OK;
}

/* ---- the TAP netif ---- */

static err_t tap_output(struct netif *netif, struct pbuf *p)
{
    unsigned char frame[FRAME_MAX + 64];
    u16_t n;
    (void)netif;
    if (p->tot_len > sizeof frame)
        return ERR_BUF;
    if (p->next == NULL) {
        if (write(tap_fd, p->payload, p->len) < 0)
            return ERR_IF;
        return ERR_OK;
    }
    n = pbuf_copy_partial(p, frame, p->tot_len, 0);
    if (write(tap_fd, frame, n) < 0)
        return ERR_IF;
    return ERR_OK;
}

static err_t tap_netif_init(struct netif *netif)
{
    netif->name[0] = 't';
    netif->name[1] = 'p';
    netif->output = etharp_output;
    netif->linkoutput = tap_output;
    netif->mtu = 1500;
    netif->hwaddr_len = 6;
    memcpy(netif->hwaddr, our_mac, 6);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
                   NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

static void tap_open(const char *name)
{
    struct ifreq ifr;
    int s;
    tap_fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (tap_fd < 0)
        die("/dev/net/tun");
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(tap_fd, TUNSETIFF, &ifr) < 0)
        die("TUNSETIFF");
    s = socket(AF_INET, SOCK_DGRAM, 0); /* bring the kernel side up */
    if (s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    if (s >= 0)
        close(s);
}

static void rx_burst(void)
{
    int i;
    for (i = 0; i < RX_BUDGET; i++) {
        unsigned char frame[FRAME_MAX + 64];
        ssize_t r = read(tap_fd, frame, sizeof frame);
        struct pbuf *p;
        if (r <= 0)
            return;
        p = pbuf_alloc(PBUF_RAW, (u16_t)r, PBUF_POOL);
        if (p == NULL)
            continue;
        pbuf_take(p, frame, (u16_t)r);
        if (tap_netif.input(p, &tap_netif) != ERR_OK)
            pbuf_free(p);
    }
}

/* ---- options and the loop ---- */

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int parse_mac(const char *s, unsigned char *mac)
{
    unsigned v[6];
    int i;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5]) != 6)
        return -1;
    for (i = 0; i < 6; i++)
        mac[i] = (unsigned char)v[i];
    return 0;
}

int main(int argc, char **argv)
{
    const char *tap = "lwtap0", *site = NULL, *ipv4 = NULL;
    unsigned port = 80, len = 24;
    ip4_addr_t addr, mask, gw;
    char host[32];
    struct tcp_pcb *lpcb;
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--tap=", 6) == 0)
            tap = a + 6;
        else if (strncmp(a, "--site=", 7) == 0)
            site = a + 7;
        else if (strncmp(a, "--ipv4=", 7) == 0)
            ipv4 = a + 7;
        else if (strncmp(a, "--port=", 7) == 0)
            port = (unsigned)atoi(a + 7);
        else if (strncmp(a, "--mac=", 6) == 0 && parse_mac(a + 6, our_mac) == 0)
            ;
        else {
            fprintf(stderr, "usage: lwip_www --tap=NAME --ipv4=A.B.C.D/LEN "
                            "--site=DIR [--mac=..] [--port=N]\n");
            return 2;
        }
    }
    if (site == NULL || ipv4 == NULL ||
        sscanf(ipv4, "%31[0-9.]/%u", host, &len) < 1 || len > 32 ||
        !ip4addr_aton(host, &addr)) {
        fprintf(stderr, "lwip_www: --site and --ipv4=A.B.C.D/LEN needed\n");
        return 2;
    }
    load_site(site);
    tap_open(tap);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);

    lwip_init();
    ip4_addr_set_u32(&mask, len == 0 ? 0 : lwip_htonl(0xffffffffu << (32 - len)));
    ip4_addr_set_zero(&gw);
    if (netif_add(&tap_netif, &addr, &mask, &gw, NULL, tap_netif_init,
                  ethernet_input) == NULL) {
        fprintf(stderr, "lwip_www: netif_add failed\n");
        return 1;
    }
    netif_set_default(&tap_netif);
    netif_set_up(&tap_netif);
    netif_set_link_up(&tap_netif);

    lpcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (lpcb == NULL || tcp_bind(lpcb, IP4_ADDR_ANY, (u16_t)port) != ERR_OK) {
        fprintf(stderr, "lwip_www: cannot bind port %u\n", port);
        return 1;
    }
    lpcb = tcp_listen_with_backlog(lpcb, 255);
    if (lpcb == NULL) {
        fprintf(stderr, "lwip_www: listen failed\n");
        return 1;
    }
    tcp_accept(lpcb, on_accept);
    printf("lwip_www: lwIP %s serving %d files on %s port %u (%s)\n",
           LWIP_VERSION_STRING, nfiles, ipv4, port, tap);
    fflush(stdout);

    while (!stop) {
        struct pollfd pfd = {tap_fd, POLLIN, 0};
        u32_t sleep_ms = sys_timeouts_sleeptime();
        int timeout = sleep_ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE
                          ? 1000
                          : (sleep_ms > 1000 ? 1000 : (int)sleep_ms);
        int r = poll(&pfd, 1, timeout);
        if (r < 0 && errno != EINTR)
            die("poll");
        if (r > 0)
            rx_burst();
        sys_check_timeouts();
    }
    printf("lwip_www: %llu responses\n", served);
    close(tap_fd);
    return 0;
}
