/*
 * gather.c - a gathered write that makes progress on a non-blocking
 * descriptor (uk/unix.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <uk/unix.h>

void uk_unix_gather_start(struct uk_unix_gather *g, const struct uk_iov *iov,
                          int iovcnt)
{
    int i;
    g->cnt = 0;
    g->done = 0;
    for (i = 0; i < iovcnt; i++)
        if (iov[i].len > 0)
            g->iov[g->cnt++] = iov[i];
}

/* Drops the n bytes written from the front of the pieces. */
static void consume(struct uk_unix_gather *g, size_t n)
{
    int i;
    g->done += n;
    for (i = 0; i < g->cnt && n >= g->iov[i].len; i++)
        n -= g->iov[i].len;
    if (i < g->cnt) {
        g->iov[i].base = (const char *)g->iov[i].base + n;
        g->iov[i].len -= n;
    }
    g->cnt -= i;
    memmove(g->iov, g->iov + i, (size_t)g->cnt * sizeof g->iov[0]);
}

int uk_unix_gather_write(struct uk_unix_gather *g, int fd, bool is_socket)
{
    while (g->cnt > 0) {
        struct iovec iov[UK_IOV_MAX];
        ssize_t n;
        int i;
        for (i = 0; i < g->cnt; i++) {
            iov[i].iov_base = (void *)g->iov[i].base;
            iov[i].iov_len = g->iov[i].len;
        }
        if (is_socket) {
            struct msghdr msg;
            memset(&msg, 0, sizeof msg);
            msg.msg_iov = iov;
            msg.msg_iovlen = (size_t)g->cnt;
            n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        } else {
            n = writev(fd, iov, g->cnt);
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return UK_EAGAIN;
            if (is_socket && errno == EPIPE)
                return UK_ECONNRESET;
            return uk_unix_error(errno);
        }
        consume(g, (size_t)n);
    }
    return 0;
}
