/*
 * test_dns_proc.h - helpers for the tests that run real servers and
 * clients (test_nsd.c, test_dig.c): a private temp dir, free loopback
 * ports, starting the dns example and NSD as children, and a small DNS
 * client over UDP and TCP on 127.0.0.1 with timeouts.
 * Needs _GNU_SOURCE (defined by the including test before any include).
 */
#ifndef TEST_DNS_PROC_H
#define TEST_DNS_PROC_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_dns_support.h"

static char tp_dir[256];

/* big.zone (zone big.test.): answers too large for 512 bytes, or for
 * 1232, a delegation whose glue does not all fit, and CNAMEs ending in
 * NXDOMAIN, a referral and the apex. */
static inline int tp_write_big_zone(void)
{
    char path[600];
    FILE *f;
    int i;
    snprintf(path, sizeof path, "%s/big.zone", tp_dir);
    if ((f = fopen(path, "w")) == NULL)
        return -1;
    fprintf(f, "$ORIGIN big.test.\n$TTL 600\n"
               "@ SOA ns hostmaster 1 7200 1800 1209600 60\n@ NS ns\n"
               "ns A 192.0.2.1\n");
    for (i = 0; i < 40; i++) /* 40 * 16 = 640 bytes of answer */
        fprintf(f, "forty A 10.0.0.%d\n", i);
    for (i = 0; i < 100; i++) /* 1600 bytes: too big for 1232 */
        fprintf(f, "hundred A 10.0.1.%d\n", i);
    /* CNAMEs to a missing name, into a delegation, to the apex */
    fprintf(f, "dangle CNAME nothere\ntodeleg CNAME x.deleg\n"
               "toapex CNAME @\n");
    for (i = 0; i < 30; i++) {
        fprintf(f, "deleg NS ns%d.deleg\n", i);
        fprintf(f, "ns%d.deleg AAAA 2001:db8::%d\n", i, i);
    }
    return fclose(f);
}

/* A fresh directory under /tmp holding a copy of example.zone, and
 * big.zone. */
static inline int tp_make_dir(void)
{
    char src[512], dst[600];
    size_t len;
    char *text;
    FILE *f;
    snprintf(tp_dir, sizeof tp_dir, "/tmp/uk-dns-test.XXXXXX");
    if (mkdtemp(tp_dir) == NULL)
        return -1;
    td_zone_path(src, sizeof src, "example.zone");
    if ((text = td_read_file(src, &len)) == NULL)
        return -1;
    snprintf(dst, sizeof dst, "%s/example.zone", tp_dir);
    f = fopen(dst, "wb");
    if (f == NULL || fwrite(text, 1, len, f) != len) {
        free(text);
        return -1;
    }
    fclose(f);
    free(text);
    return tp_write_big_zone();
}

static inline void tp_remove_dir(void)
{
    char cmd[300];
    if (tp_dir[0] == '\0')
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tp_dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tp_dir);
    tp_dir[0] = '\0';
}

/* A port free for both UDP and TCP on 127.0.0.1 (at the time of asking). */
static inline uint16_t tp_free_port(void)
{
    int i;
    for (i = 0; i < 50; i++) {
        struct sockaddr_in sa;
        socklen_t sl = sizeof sa;
        int t = socket(AF_INET, SOCK_STREAM, 0), u;
        uint16_t port;
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (t < 0 || bind(t, (struct sockaddr *)&sa, sizeof sa) != 0 ||
            getsockname(t, (struct sockaddr *)&sa, &sl) != 0) {
            if (t >= 0)
                close(t);
            continue;
        }
        port = ntohs(sa.sin_port);
        u = socket(AF_INET, SOCK_DGRAM, 0);
        if (u >= 0 && bind(u, (struct sockaddr *)&sa, sizeof sa) == 0) {
            close(u);
            close(t);
            return port;
        }
        if (u >= 0)
            close(u);
        close(t);
    }
    return 0;
}

/* Starts argv[0] with argv, output to log (a path); returns the pid. */
static inline pid_t tp_spawn(char *const argv[], const char *log)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static inline void tp_stop(pid_t pid)
{
    int i, st;
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (i = 0; i < 100; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return;
        usleep(20000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
}

/* The dns example's path, or NULL (printed reason) when not built. */
static inline const char *tp_dns_binary(void)
{
    static char path[600];
    const char *bin = getenv("UK_BINARY_DIR");
    snprintf(path, sizeof path, "%s/examples/dns/dns",
             bin != NULL ? bin : ".");
    if (access(path, X_OK) != 0) {
        printf("# SKIP: %s is not built\n", path);
        return NULL;
    }
    return path;
}

/* Starts the dns example on port with the zones of tp_dir given by
 * --zone=`zones` and one more option (NULL: none); output to dns.log. */
static inline pid_t tp_start_dns_with(uint16_t port, const char *zones,
                                      const char *extra)
{
    char p[32], zd[300], zl[200], log[300];
    char *argv[6];
    const char *bin = tp_dns_binary();
    if (bin == NULL)
        return -1;
    snprintf(p, sizeof p, "--port=%u", port);
    snprintf(zd, sizeof zd, "--zone-dir=%s", tp_dir);
    snprintf(zl, sizeof zl, "--zone=%s", zones);
    snprintf(log, sizeof log, "%s/dns.log", tp_dir);
    argv[0] = (char *)bin;
    argv[1] = p;
    argv[2] = zd;
    argv[3] = zl;
    argv[4] = (char *)extra;
    argv[5] = NULL;
    return tp_spawn(argv, log);
}

/* Starts the dns example serving example.zone and big.zone from tp_dir on
 * port. */
static inline pid_t tp_start_dns(uint16_t port)
{
    return tp_start_dns_with(
        port, "example.com.:example.zone,big.test.:big.zone", NULL);
}

/* ---- a DNS client */

/* Sends q over UDP to 127.0.0.1:port; the reply (at most cap bytes) in
 * out.  Returns its length, or -1 on timeout (ms). */
static inline long tp_udp(uint16_t port, const uint8_t *q, size_t qlen,
                          uint8_t *out, size_t cap, int timeout_ms)
{
    struct sockaddr_in sa;
    struct pollfd pfd;
    long n = -1;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (sendto(fd, q, qlen, 0, (struct sockaddr *)&sa, sizeof sa) ==
        (ssize_t)qlen) {
        pfd.fd = fd;
        pfd.events = POLLIN;
        if (poll(&pfd, 1, timeout_ms) == 1)
            n = (long)recv(fd, out, cap, 0);
    }
    close(fd);
    return n;
}

static inline int tp_tcp_connect(uint16_t port)
{
    struct sockaddr_in sa;
    struct timeval tv = {2, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static inline int tp_read_all(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Sends one framed query on an open TCP connection and reads the framed
 * reply.  Returns its length or -1. */
static inline long tp_tcp_ask(int fd, const uint8_t *q, size_t qlen,
                              uint8_t *out, size_t cap)
{
    uint8_t hdr[2];
    size_t n;
    uk_store_be16(hdr, (uint16_t)qlen);
    if (write(fd, hdr, 2) != 2 || write(fd, q, qlen) != (ssize_t)qlen)
        return -1;
    if (tp_read_all(fd, hdr, 2) != 0)
        return -1;
    n = uk_load_be16(hdr);
    if (n > cap || tp_read_all(fd, out, n) != 0)
        return -1;
    return (long)n;
}

/* Waits until a UDP server on port answers (up to ~5 s). */
static inline int tp_wait_ready(uint16_t port)
{
    uint8_t q[300], r[512];
    size_t qlen = td_query(q, "example.com.", UK_DNS_SOA, NULL);
    int i;
    for (i = 0; i < 50; i++)
        if (tp_udp(port, q, qlen, r, sizeof r, 100) > 0)
            return 0;
    return -1;
}

#endif
