/*
 * unix_echo_test.c - the built echo example served to real clients over
 * 127.0.0.1: hundreds of concurrent TCP connections, one 8 MiB stream
 * echoed byte-exact (writes and reads interleaved), UDP echo, and the
 * one-line failures for bad options and a port in use.  Plain POSIX
 * sockets and poll, under a global time bound.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define CONNS 250
#define PER_CONN 3000
#define BULK (8u << 20)

static char echo_path[512];
static pid_t server = -1;
static uint16_t port;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint16_t free_port(void)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int t = socket(AF_INET, SOCK_STREAM, 0);
    uint16_t p;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(t, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(t, (struct sockaddr *)&sa, &len), 0);
    p = ntohs(sa.sin_port);
    close(t);
    return p;
}

static struct sockaddr_in addr(void)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    return sa;
}

/* Runs echo with args; stdout and stderr go to out_fd (or /dev/null). */
static pid_t spawn(char *const args[], int out_fd)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(out_fd >= 0 ? out_fd : null, 1);
        dup2(out_fd >= 0 ? out_fd : null, 2);
        execv(echo_path, args);
        _exit(127);
    }
    return pid;
}

/* Runs echo to completion (bounded); returns its exit status and its
 * output (stdout and stderr together) in out. */
static int run_echo(char *const args[], char *out, size_t cap)
{
    int p[2], status = -1;
    size_t n = 0;
    double end = now_s() + 10;
    pid_t pid;
    assert_int_equal(pipe(p), 0);
    pid = spawn(args, p[1]);
    close(p[1]);
    for (;;) {
        struct pollfd pfd = {p[0], POLLIN, 0};
        ssize_t k;
        if (now_s() > end) {
            kill(pid, SIGKILL);
            fail_msg("echo did not exit");
        }
        if (poll(&pfd, 1, 100) <= 0)
            continue;
        k = read(p[0], out + n, cap - 1 - n);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    out[n] = '\0';
    close(p[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static int setup(void **state)
{
    const char *bin = getenv("UK_BINARY_DIR");
    struct sockaddr_in sa;
    double end;
    char portarg[32];
    (void)state;
    snprintf(echo_path, sizeof echo_path, "%s/examples/echo/echo",
             bin != NULL ? bin : ".");
    if (access(echo_path, X_OK) != 0) {
        printf("SKIP: %s not built (UK_BUILD_EXAMPLES=OFF?)\n", echo_path);
        return 0;
    }
    signal(SIGPIPE, SIG_IGN);
    for (int tries = 0; tries < 5; tries++) {
        port = free_port();
        snprintf(portarg, sizeof portarg, "--port=%u", (unsigned)port);
        {
            char *args[] = {echo_path, portarg, NULL};
            server = spawn(args, -1);
        }
        /* Ready when it accepts a connection; gone if the port was taken
         * meanwhile (then try another). */
        end = now_s() + 10;
        while (now_s() < end) {
            int fd = socket(AF_INET, SOCK_STREAM, 0), st;
            sa = addr();
            if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
                close(fd);
                return 0;
            }
            close(fd);
            if (waitpid(server, &st, WNOHANG) == server)
                break;
            usleep(20000);
        }
        kill(server, SIGKILL);
        waitpid(server, NULL, 0);
        server = -1;
    }
    fail_msg("echo did not start");
    return -1;
}

static int teardown(void **state)
{
    int st = 0;
    (void)state;
    if (server > 0) {
        /* Still alive after all the tests: it did not crash. */
        assert_int_equal(waitpid(server, &st, WNOHANG), 0);
        kill(server, SIGTERM);
        waitpid(server, &st, 0);
    }
    return 0;
}

#define SKIP_IF_NO_SERVER()                                                   \
    do {                                                                      \
        if (server <= 0) {                                                    \
            printf("SKIP: no echo server\n");                                 \
            return;                                                           \
        }                                                                     \
    } while (0)

struct conn {
    int fd;
    size_t sent, got, total;
    uint8_t *tx, *rx;
};

static void pattern(uint8_t *p, size_t n, uint32_t seed)
{
    size_t i;
    for (i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

/* Drives every connection until all bytes came back or the time is up:
 * write what the socket takes, read what there is. */
static void pump(struct conn *c, int n, double seconds)
{
    struct pollfd *pfd = calloc((size_t)n, sizeof *pfd);
    double end = now_s() + seconds;
    int left = n, i;
    assert_non_null(pfd);
    while (left > 0) {
        if (now_s() > end)
            fail_msg("%d connections still unfinished", left);
        for (i = 0; i < n; i++) {
            pfd[i].fd = c[i].got < c[i].total ? c[i].fd : -1;
            pfd[i].events = POLLIN | (c[i].sent < c[i].total ? POLLOUT : 0);
            pfd[i].revents = 0;
        }
        if (poll(pfd, (nfds_t)n, 200) < 0 && errno != EINTR)
            fail_msg("poll: %s", strerror(errno));
        for (i = 0; i < n; i++) {
            ssize_t k;
            if (pfd[i].fd < 0)
                continue;
            if ((pfd[i].revents & POLLOUT) && c[i].sent < c[i].total) {
                size_t chunk = c[i].total - c[i].sent;
                k = send(c[i].fd, c[i].tx + c[i].sent,
                         chunk > 65536 ? 65536 : chunk, MSG_DONTWAIT);
                if (k > 0)
                    c[i].sent += (size_t)k;
                else if (k < 0 && errno != EAGAIN)
                    fail_msg("send: %s", strerror(errno));
            }
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                k = recv(c[i].fd, c[i].rx + c[i].got, c[i].total - c[i].got,
                         MSG_DONTWAIT);
                if (k == 0)
                    fail_msg("connection %d closed early at %zu", i,
                             c[i].got);
                if (k < 0 && errno != EAGAIN)
                    fail_msg("recv: %s", strerror(errno));
                if (k > 0) {
                    c[i].got += (size_t)k;
                    if (c[i].got == c[i].total)
                        left--;
                }
            }
        }
    }
    free(pfd);
    for (i = 0; i < n; i++)
        if (memcmp(c[i].tx, c[i].rx, c[i].total) != 0)
            fail_msg("connection %d: echoed bytes differ", i);
}

static struct conn *open_conns(int n, size_t each)
{
    struct conn *c = calloc((size_t)n, sizeof *c);
    int i;
    assert_non_null(c);
    for (i = 0; i < n; i++) {
        struct sockaddr_in sa = addr();
        c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(c[i].fd >= 0);
        if (connect(c[i].fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            fail_msg("connect %d: %s", i, strerror(errno));
        fcntl(c[i].fd, F_SETFL, O_NONBLOCK);
        c[i].total = each;
        c[i].tx = malloc(each);
        c[i].rx = malloc(each);
        assert_non_null(c[i].tx);
        assert_non_null(c[i].rx);
        pattern(c[i].tx, each, (uint32_t)i + 1);
    }
    return c;
}

/* Closes the connections and checks that the server closes too (EOF). */
static void close_conns(struct conn *c, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        char b;
        struct pollfd pfd = {c[i].fd, POLLIN, 0};
        shutdown(c[i].fd, SHUT_WR);
        assert_int_equal(poll(&pfd, 1, 10000), 1);
        assert_int_equal(recv(c[i].fd, &b, 1, 0), 0);
        close(c[i].fd);
        free(c[i].tx);
        free(c[i].rx);
    }
    free(c);
}

static void test_many_concurrent_connections(void **state)
{
    struct conn *c;
    (void)state;
    SKIP_IF_NO_SERVER();
    c = open_conns(CONNS, PER_CONN);
    pump(c, CONNS, 25);
    close_conns(c, CONNS);
}

static void test_bulk_8mib(void **state)
{
    struct conn *c;
    (void)state;
    SKIP_IF_NO_SERVER();
    c = open_conns(1, BULK);
    pump(c, 1, 25);
    close_conns(c, 1);
}

static void test_udp_echo(void **state)
{
    struct sockaddr_in sa = addr(), from;
    int fd, i, got = 0;
    char buf[2048];
    (void)state;
    SKIP_IF_NO_SERVER();
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    for (i = 0; i < 20 && got < 5; i++) {
        struct pollfd pfd = {fd, POLLIN, 0};
        char msg[64];
        int n = snprintf(msg, sizeof msg, "datagram %d", i);
        assert_int_equal(sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&sa,
                                sizeof sa), n);
        /* UDP may drop: retry, but what comes back must be exact. */
        while (poll(&pfd, 1, 500) == 1) {
            socklen_t len = sizeof from;
            ssize_t k = recvfrom(fd, buf, sizeof buf - 1, 0,
                                 (struct sockaddr *)&from, &len);
            assert_true(k > 0);
            buf[k] = '\0';
            assert_int_equal(ntohs(from.sin_port), port);
            assert_memory_equal(buf, "datagram ", 9);
            got++;
            break;
        }
    }
    close(fd);
    assert_true(got >= 5);
}

static void test_bad_options(void **state)
{
    char out[1024], portarg[32];
    (void)state;
    if (access(echo_path, X_OK) != 0) {
        printf("SKIP: echo not built\n");
        return;
    }
    {
        char *args[] = {echo_path, "--bogus", NULL};
        assert_int_equal(run_echo(args, out, sizeof out), 2);
        assert_int_equal(count_lines(out), 1);
        assert_non_null(strstr(out, "--bogus"));
    }
    {
        char *args[] = {echo_path, "--ipv4=300.1.1.1", NULL};
        assert_int_equal(run_echo(args, out, sizeof out), 2);
        assert_int_equal(count_lines(out), 1);
        assert_non_null(strstr(out, "--ipv4"));
    }
    {
        char *args[] = {echo_path, "--port=70000", NULL};
        assert_int_equal(run_echo(args, out, sizeof out), 2);
        assert_int_equal(count_lines(out), 1);
        assert_string_equal(out, "echo: --port: '70000' is not a port number "
                                 "(1..65535)\n");
    }
    {
        char *args[] = {echo_path, "stray", NULL};
        assert_int_equal(run_echo(args, out, sizeof out), 2);
        assert_int_equal(count_lines(out), 1);
    }
    if (server > 0) {
        char *args[] = {echo_path, portarg, NULL};
        snprintf(portarg, sizeof portarg, "--port=%u", (unsigned)port);
        assert_int_not_equal(run_echo(args, out, sizeof out), 0);
        assert_int_equal(count_lines(out), 1);
        assert_non_null(strstr(out, "in use"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_concurrent_connections),
        cmocka_unit_test(test_bulk_8mib),
        cmocka_unit_test(test_udp_echo),
        cmocka_unit_test(test_bad_options),
    };
    alarm(80); /* a global bound */
    return cmocka_run_group_tests(tests, setup, teardown);
}
