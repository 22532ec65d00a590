/*
 * test_www.c - the www example against real clients on 127.0.0.1: curl for
 * every status code and keep-alive, raw sockets for HEAD, pipelining,
 * hostile paths and timeouts, 1,000 concurrent keep-alive clients, a 64 MiB
 * file served byte-exact (store read from a directory), and the same
 * example built with an embedded test site.
 *
 * The served directory is generated in the build tree, with a secret file
 * beside it that must never be served.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define BIG_SIZE (64u << 20)
#define SECRET "TOPSECRET-7f3a91"
#define CLIENTS 1000

static char dir[1024], site[1040];
static pid_t www_pid = -1, embed_pid = -1;
static uint16_t www_port, embed_port;
static bool have_curl;

/* ---- processes ---- */

static uint16_t free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        abort();
    close(fd);
    return ntohs(a.sin_port);
}

static int tcp_connect(uint16_t port)
{
    struct sockaddr_in a;
    struct timeval tv = {20, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Starts bin with args; waits (bounded) until it accepts on port. */
static pid_t spawn(const char *bin, uint16_t port, const char *log,
                   const char *const *args)
{
    char *argv[16];
    char portarg[32];
    int i, n = 0, tries;
    pid_t pid;
    snprintf(portarg, sizeof portarg, "--port=%u", port);
    argv[n++] = (char *)bin;
    argv[n++] = portarg;
    for (i = 0; args[i] != NULL && n < 15; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(bin, argv);
        _exit(127);
    }
    if (pid < 0)
        return -1;
    for (tries = 0; tries < 400; tries++) {
        int fd, st;
        struct timespec ts = {0, 25000000};
        if (waitpid(pid, &st, WNOHANG) == pid)
            return -1;
        fd = tcp_connect(port);
        if (fd >= 0) {
            close(fd);
            return pid;
        }
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static void stop(pid_t *pid)
{
    int i;
    if (*pid <= 0)
        return;
    kill(*pid, SIGTERM);
    for (i = 0; i < 200; i++) {
        struct timespec ts = {0, 25000000};
        if (waitpid(*pid, NULL, WNOHANG) == *pid) {
            *pid = -1;
            return;
        }
        nanosleep(&ts, NULL);
    }
    kill(*pid, SIGKILL);
    waitpid(*pid, NULL, 0);
    *pid = -1;
}

/* ---- files ---- */

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The deterministic content of big.bin. */
static void big_fill(uint8_t *b, size_t len)
{
    uint64_t x = 0x2545f4914f6cdd1dull;
    size_t i;
    for (i = 0; i + 8 <= len; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(b + i, &x, 8);
    }
}

static void make_site(void)
{
    char p[PATH_MAX + 64];
    uint8_t *big;
    const char *bin = getenv("UK_BINARY_DIR");
    snprintf(dir, sizeof dir, "%s/tests/http/www-run",
             bin != NULL ? bin : ".");
    snprintf(site, sizeof site, "%s/site", dir);
    snprintf(p, sizeof p, "rm -rf '%s' && mkdir -p '%s/dir'", dir, site);
    assert_int_equal(system(p), 0);
    snprintf(p, sizeof p, "%s/secret.txt", dir);
    write_file(p, SECRET "\n", strlen(SECRET) + 1);
    snprintf(p, sizeof p, "%s/index.html", site);
    write_file(p, "<html>index</html>\n", 19);
    snprintf(p, sizeof p, "%s/a.txt", site);
    write_file(p, "hello a\n", 8);
    snprintf(p, sizeof p, "%s/dir/index.html", site);
    write_file(p, "<p>dir</p>\n", 11);
    snprintf(p, sizeof p, "%s/link.txt", site);
    assert_int_equal(symlink("../secret.txt", p), 0);
    big = malloc(BIG_SIZE);
    assert_non_null(big);
    big_fill(big, BIG_SIZE);
    snprintf(p, sizeof p, "%s/big.bin", site);
    write_file(p, big, BIG_SIZE);
    free(big);
}

/* ---- clients ---- */

/* Runs a shell command; its output (stdout and stderr) into out. */
static int run(const char *cmd, char *out, size_t cap)
{
    FILE *f = popen(cmd, "r");
    size_t n = 0, r;
    assert_non_null(f);
    while (n + 1 < cap && (r = fread(out + n, 1, cap - 1 - n, f)) > 0)
        n += r;
    out[n] = '\0';
    return pclose(f);
}

static char out[1 << 16];

/* curl -sv with args against path on the www under test. */
static const char *curl(const char *args, const char *path)
{
    char cmd[20000];
    snprintf(cmd, sizeof cmd,
             "curl -sv --max-time 30 %s 'http://127.0.0.1:%u%s' 2>&1", args,
             www_port, path);
    run(cmd, out, sizeof out);
    return out;
}

static void expect(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL)
        fail_msg("expected \"%s\" in:\n%.3000s", needle, text);
}

/* Sends req on a new connection and reads until the server closes. */
static size_t raw(uint16_t port, const char *req, size_t reqlen, char *buf,
                  size_t cap)
{
    int fd = tcp_connect(port);
    size_t n = 0;
    ssize_t r;
    assert_true(fd >= 0);
    assert_int_equal(send(fd, req, reqlen, MSG_NOSIGNAL), (ssize_t)reqlen);
    while (n + 1 < cap && (r = recv(fd, buf + n, cap - 1 - n, 0)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    close(fd);
    return n;
}

/* ---- tests ---- */

#define SKIP_NO_CURL()                                                        \
    do {                                                                      \
        if (!have_curl) {                                                     \
            printf("skipped: curl is not installed\n");                       \
            skip();                                                           \
        }                                                                     \
    } while (0)

static void test_status_codes(void **state)
{
    static char longpath[10000], bighdr[10100];
    char etag[128], args[256];
    const char *o, *e;
    (void)state;
    SKIP_NO_CURL();
    o = curl("", "/");
    expect(o, "< HTTP/1.1 200 OK");
    expect(o, "< Server: uk");
    expect(o, "< Date: ");
    expect(o, "< Content-Type: text/html; charset=utf-8");
    expect(o, "< Content-Length: 19");
    expect(o, "< Last-Modified: ");
    expect(o, "<html>index</html>");
    e = strstr(o, "< ETag: ");
    assert_non_null(e);
    snprintf(etag, sizeof etag, "%.*s", (int)strcspn(e + 8, "\r\n"), e + 8);

    o = curl("-r 2-5", "/a.txt");
    expect(o, "< HTTP/1.1 206 Partial Content");
    expect(o, "< Content-Range: bytes 2-5/8");
    expect(o, "< Content-Length: 4");
    expect(o, "llo ");

    snprintf(args, sizeof args, "-H 'If-None-Match: %s'", etag);
    o = curl(args, "/");
    expect(o, "< HTTP/1.1 304 Not Modified");

    o = curl("--path-as-is", "/%2e%2e/secret.txt");
    expect(o, "< HTTP/1.1 400 Bad Request");
    o = curl("", "/nope.html");
    expect(o, "< HTTP/1.1 404 Not Found");
    o = curl("-X POST -d x=1", "/");
    expect(o, "< HTTP/1.1 405 Method Not Allowed");
    expect(o, "< Allow: GET, HEAD");

    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    o = curl("", longpath);
    expect(o, "< HTTP/1.1 414 URI Too Long");

    o = curl("-r 100-200", "/a.txt");
    expect(o, "< HTTP/1.1 416 Range Not Satisfiable");
    expect(o, "< Content-Range: bytes */8");

    memcpy(bighdr, "-H 'X-Big: ", 11);
    memset(bighdr + 11, 'b', 9000);
    memcpy(bighdr + 9011, "'", 2);
    o = curl(bighdr, "/");
    expect(o, "< HTTP/1.1 431 Request Header Fields Too Large");

    o = curl("-H 'Transfer-Encoding: gzip'", "/");
    expect(o, "< HTTP/1.1 501 Not Implemented");

    o = curl("", "/dir");
    expect(o, "< HTTP/1.1 301 Moved Permanently");
    expect(o, "< Location: /dir/");
    o = curl("-L", "/dir");
    expect(o, "<p>dir</p>");
}

static void test_head_and_keepalive(void **state)
{
    static const char req[] =
        "HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    char buf[4096];
    const char *o, *second;
    (void)state;
    /* HEAD: headers only, so the next response follows at once */
    raw(www_port, req, sizeof req - 1, buf, sizeof buf);
    assert_true(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0);
    expect(buf, "Content-Length: 8\r\n");
    second = strstr(buf, "\r\n\r\n");
    assert_non_null(second);
    assert_true(strncmp(second + 4, "HTTP/1.1 200 OK\r\n", 17) == 0);
    expect(second + 4, "\r\n\r\nhello a\n");
    assert_null(strstr(buf, "hello a\nHTTP")); /* no body after HEAD */

    SKIP_NO_CURL();
    o = curl("-I", "/a.txt");
    expect(o, "< HTTP/1.1 200 OK");
    expect(o, "< Content-Length: 8");
    /* two URLs, one connection */
    {
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "curl -sv --max-time 30 http://127.0.0.1:%u/a.txt "
                 "http://127.0.0.1:%u/ 2>&1",
                 www_port, www_port);
        run(cmd, out, sizeof out);
        expect(out, "Re-using existing connection");
        expect(out, "hello a");
        expect(out, "<html>index</html>");
    }
}

static void test_pipelining(void **state)
{
    char req[1024], buf[8192];
    const char *p;
    int i;
    (void)state;
    snprintf(req, sizeof req, "%s%s%s%s",
             "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n",
             "GET /dir/ HTTP/1.1\r\nHost: x\r\n\r\n",
             "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n",
             "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    raw(www_port, req, strlen(req), buf, sizeof buf);
    p = buf;
    {
        static const char *const want[] = {"HTTP/1.1 200 OK",
                                           "hello a\n",
                                           "HTTP/1.1 200 OK",
                                           "<p>dir</p>",
                                           "HTTP/1.1 404 Not Found",
                                           "HTTP/1.1 200 OK",
                                           "<html>index"};
        for (i = 0; i < 7; i++) {
            const char *q = strstr(p, want[i]);
            if (q == NULL)
                fail_msg("response part %d (%s) missing in order:\n%s", i,
                         want[i], buf);
            p = q + strlen(want[i]);
        }
    }
    assert_null(strstr(p, "HTTP/1.1"));
    /* the access log has a line per response: remote, method, path,
     * status, body bytes */
    {
        char log[1200], cmd[1300];
        snprintf(log, sizeof log, "%s/www.log", dir);
        snprintf(cmd, sizeof cmd,
                 "grep -c '^127\\.0\\.0\\.1:[0-9]* GET /missing 404 14$' '%s'",
                 log);
        run(cmd, buf, sizeof buf);
        assert_string_equal(buf, "1\n");
    }
}

static void test_hostile_paths(void **state)
{
    static const char *const paths[] = {
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/a/../../secret.txt",
        "/%00secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "//../secret.txt",
        "/./../secret.txt",
        "/.%2e/secret.txt",
        "http://x/../secret.txt",
        "/dir/../../secret.txt",
        "/link.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%c0%afsecret.txt",
        "/%u002e%u002e/secret.txt",
        "/dir/%2e%2e/%2e%2e/secret.txt",
    };
    char req[20000], buf[8192];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof paths / sizeof paths[0] + 1; i++) {
        int status = 0;
        if (i < sizeof paths / sizeof paths[0]) {
            snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                     paths[i]);
        } else { /* an overlong climb */
            size_t n = 4, k;
            memcpy(req, "GET ", 4);
            for (k = 0; k < 2000; k++, n += 3)
                memcpy(req + n, "/..", 3);
            n += (size_t)snprintf(req + n, sizeof req - n,
                                  "/secret.txt HTTP/1.1\r\nHost: x\r\n"
                                  "Connection: close\r\n\r\n");
        }
        raw(www_port, req, strlen(req), buf, sizeof buf);
        if (strstr(buf, "TOPSECRET") != NULL)
            fail_msg("%s served the secret", i < 19 ? paths[i] : "climb");
        if (sscanf(buf, "HTTP/1.1 %d", &status) != 1 || status < 400 ||
            status > 499)
            fail_msg("%s: got %.40s", i < 19 ? paths[i] : "climb", buf);
    }
}

/* 64 MiB, byte-exact, and a range near its end. */
static void test_big_file(void **state)
{
    char cmd[PATH_MAX * 2], path[PATH_MAX + 32];
    uint8_t *want, *got;
    FILE *f;
    size_t n;
    (void)state;
    SKIP_NO_CURL();
    snprintf(path, sizeof path, "%s/fetched.bin", dir);
    snprintf(
        cmd, sizeof cmd,
        "curl -s --max-time 60 -o '%s' -w '%%{http_code} %%{size_download}'"
        " http://127.0.0.1:%u/big.bin",
        path, www_port);
    run(cmd, out, sizeof out);
    assert_string_equal(out, "200 67108864");
    want = malloc(BIG_SIZE);
    got = malloc(BIG_SIZE);
    assert_non_null(want);
    assert_non_null(got);
    big_fill(want, BIG_SIZE);
    f = fopen(path, "rb");
    assert_non_null(f);
    n = fread(got, 1, BIG_SIZE, f);
    fclose(f);
    assert_int_equal(n, BIG_SIZE);
    assert_true(memcmp(want, got, BIG_SIZE) == 0);
    unlink(path);
    snprintf(cmd, sizeof cmd,
             "curl -s --max-time 30 -r 67108000-67108863 -o '%s' -w "
             "'%%{http_code} %%{size_download}' http://127.0.0.1:%u/big.bin",
             path, www_port);
    run(cmd, out, sizeof out);
    assert_string_equal(out, "206 864");
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(got, 1, 864, f), 864);
    fclose(f);
    assert_memory_equal(got, want + 67108000, 864);
    unlink(path);
    free(want);
    free(got);
}

/* ---- 1,000 concurrent keep-alive clients ---- */

struct client {
    int fd;
    char buf[1024];
    size_t len;
    int done; /* responses read */
};

static const char creq[] = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";

/* Whether c->buf holds a complete "hello a" response; consumes it. */
static bool client_response(struct client *c)
{
    const char *end;
    c->buf[c->len] = '\0';
    end = strstr(c->buf, "\r\n\r\n");
    if (end == NULL || (size_t)(end + 4 - c->buf) + 8 > c->len)
        return false;
    if (strncmp(c->buf, "HTTP/1.1 200 OK\r\n", 17) != 0 ||
        memcmp(end + 4, "hello a\n", 8) != 0)
        fail_msg("bad response: %s", c->buf);
    c->len = 0;
    c->done++;
    return true;
}

/* Reads until every client has `want` responses; bounded by 60 s. */
static void read_round(struct client *cl, struct pollfd *pfd, int want)
{
    time_t deadline = time(NULL) + 60;
    int left = CLIENTS, i;
    while (left > 0) {
        int r;
        assert_true(time(NULL) < deadline);
        for (i = 0; i < CLIENTS; i++) {
            pfd[i].fd = cl[i].done < want ? cl[i].fd : -1;
            pfd[i].events = POLLIN;
        }
        r = poll(pfd, CLIENTS, 1000);
        assert_true(r >= 0);
        for (i = 0; i < CLIENTS; i++) {
            ssize_t n;
            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP)))
                continue;
            n = recv(cl[i].fd, cl[i].buf + cl[i].len,
                     sizeof cl[i].buf - 1 - cl[i].len, 0);
            if (n <= 0)
                fail_msg("client %d: connection lost (%zd)", i, n);
            cl[i].len += (size_t)n;
            if (client_response(&cl[i]))
                left--;
        }
    }
}

static void test_thousand_clients(void **state)
{
    static struct client cl[CLIENTS];
    static struct pollfd pfd[CLIENTS];
    int i, round;
    (void)state;
    for (i = 0; i < CLIENTS; i++) {
        cl[i].fd = tcp_connect(www_port);
        if (cl[i].fd < 0)
            fail_msg("client %d: connect: %s", i, strerror(errno));
        cl[i].len = 0;
        cl[i].done = 0;
    }
    /* every client is connected; two requests each, one at a time, so all
     * 1,000 connections are kept alive at once between the rounds */
    for (round = 1; round <= 2; round++) {
        for (i = 0; i < CLIENTS; i++)
            assert_int_equal(
                send(cl[i].fd, creq, sizeof creq - 1, MSG_NOSIGNAL),
                (ssize_t)(sizeof creq - 1));
        read_round(cl, pfd, round);
    }
    for (i = 0; i < CLIENTS; i++)
        close(cl[i].fd);
}

/* A second server with short timeouts: idle and half-sent requests are
 * closed by the server. */
static void test_timeouts(void **state)
{
    char log[PATH_MAX + 32], bin[PATH_MAX + 32], kv[PATH_MAX + 32];
    const char *args[] = {kv, "--idle-timeout-ms=100",
                          "--header-timeout-ms=100", NULL};
    uint16_t port = free_port();
    pid_t pid;
    int idle, partial;
    char buf[256];
    (void)state;
    snprintf(log, sizeof log, "%s/www-timeouts.log", dir);
    snprintf(bin, sizeof bin, "%s", WWW_BIN);
    snprintf(kv, sizeof kv, "--kv-site=%s", site);
    pid = spawn(bin, port, log, args);
    assert_true(pid > 0);
    idle = tcp_connect(port);
    partial = tcp_connect(port);
    assert_true(idle >= 0 && partial >= 0);
    assert_int_equal(send(partial, "GET / HTTP/1.1\r\nHo", 18, 0), 18);
    /* both see the server close (recv returns 0) well within the 20 s
     * receive timeout */
    assert_int_equal(recv(idle, buf, sizeof buf, 0), 0);
    assert_int_equal(recv(partial, buf, sizeof buf, 0), 0);
    close(idle);
    close(partial);
    stop(&pid);
}

/* The same example, built with tests/http/site embedded (zero-copy map). */
static void test_embedded(void **state)
{
    static const char req[] =
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /text.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=22344-\r\n\r\n"
        "HEAD /docs/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    static char buf[65536];
    char path[PATH_MAX + 64];
    static char want[65536];
    FILE *f;
    size_t n;
    const char *p;
    (void)state;
    if (embed_pid <= 0) {
        printf("skipped: www_embedtest did not start\n");
        skip();
    }
    raw(embed_port, req, sizeof req - 1, buf, sizeof buf);
    snprintf(path, sizeof path, "%s/tests/http/site/index.html",
             UK_SOURCE_DIR);
    f = fopen(path, "rb");
    assert_non_null(f);
    n = fread(want, 1, sizeof want - 1, f);
    fclose(f);
    want[n] = '\0';
    assert_true(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0);
    p = strstr(buf, "\r\n\r\n");
    assert_non_null(p);
    assert_memory_equal(p + 4, want, n);
    p = strstr(p + 4 + n, "HTTP/1.1 206 Partial Content\r\n");
    assert_non_null(p);
    expect(p, "Content-Range: bytes 22344-22399/22400\r\n");
    expect(p, "line 00399: the quick brown fox jumps over the lazy dog\n"
              "HTTP/1.1 200 OK\r\n");
    p = strstr(p, "line 00399");
    expect(p, "Content-Length: 60\r\n");
    assert_true(buf[strlen(buf) - 1] == '\n' &&
                strcmp(buf + strlen(buf) - 4, "\r\n\r\n") == 0);
}

static int group_setup(void **state)
{
    char log[PATH_MAX + 32], kv[PATH_MAX + 32], out2[256];
    const char *args[] = {kv, "--idle-timeout-ms=60000", "--access-log", NULL};
    const char *none[] = {NULL};
    struct rlimit rl;
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    have_curl = run("command -v curl", out2, sizeof out2) == 0;
    make_site();
    snprintf(kv, sizeof kv, "--kv-site=%s", site);
    snprintf(log, sizeof log, "%s/www.log", dir);
    www_port = free_port();
    www_pid = spawn(WWW_BIN, www_port, log, args);
    if (www_pid <= 0) {
        fprintf(stderr, "www did not start: see %s\n", log);
        return -1;
    }
    snprintf(log, sizeof log, "%s/www-embed.log", dir);
    embed_port = free_port();
    embed_pid = spawn(WWW_EMBED_BIN, embed_port, log, none);
    return 0;
}

static int group_teardown(void **state)
{
    char cmd[PATH_MAX + 32];
    (void)state;
    stop(&www_pid);
    stop(&embed_pid);
    snprintf(cmd, sizeof cmd, "rm -f '%s/site/big.bin'", dir);
    if (system(cmd) != 0)
        return -1;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_codes),
        cmocka_unit_test(test_head_and_keepalive),
        cmocka_unit_test(test_pipelining),
        cmocka_unit_test(test_hostile_paths),
        cmocka_unit_test(test_big_file),
        cmocka_unit_test(test_thousand_clients),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_embedded),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
