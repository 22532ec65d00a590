/*
 * console.c - a console (uk/console.h) over two file descriptors: stdin and
 * stdout for uk_default_console().  See uk/unix.h for the behaviour.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uk/target.h>
#include <uk/unix.h>

#define CON(self) UK_CONTAINER_OF(self, struct uk_unix_console, con)

static struct uk_time *tm(void)
{
    return uk_default_time();
}

/* ---- reading ---- */

static void read_now(struct uk_unix_console *c)
{
    static char buf[UK_UNIX_READ_MAX];
    uk_flow_read_cb cb = c->rcb;
    ssize_t n;
    int status = 0;
    do
        n = read(c->in_fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return; /* spurious: stay armed */
    uk_unix_unwatch(&c->in);
    c->rpending = false;
    if (n == 0) {
        c->in_eof = true;
        status = UK_EOF;
    } else if (n < 0) {
        status = uk_unix_error(errno);
        n = 0;
    }
    cb(c->rarg, status, buf, (size_t)n);
}

static void in_ready(struct uk_unix_source *src, uint32_t events)
{
    UK_UNUSED(events);
    read_now(UK_CONTAINER_OF(src, struct uk_unix_console, in));
}

/* Runs a read on a later turn for descriptors epoll refuses (files). */
static void read_deferred(void *arg)
{
    struct uk_unix_console *c = arg;
    read_now(c);
}

static int con_read(struct uk_console *self, uk_flow_read_cb cb, void *arg)
{
    struct uk_unix_console *c = CON(self);
    int rc;
    if (c->closed)
        return UK_ECLOSED;
    if (c->rpending)
        return UK_EBUSY;
    c->rcb = cb;
    c->rarg = arg;
    rc = c->in_eof ? UK_ENOTSUP
                   : uk_unix_watch(&c->in, c->in_fd, UK_UNIX_READABLE,
                                   in_ready);
    if (rc == UK_ENOTSUP)
        uk_time_defer(tm(), &c->rtimer, read_deferred, c);
    else if (rc != 0)
        return rc;
    c->rpending = true;
    return 0;
}

/* ---- writing ---- */

static void write_finish(struct uk_unix_console *c, int status)
{
    uk_flow_write_cb cb = c->wcb;
    uk_unix_unwatch(&c->out);
    c->wpending = false;
    c->w.cnt = 0;
    cb(c->warg, status, c->w.done);
}

static void write_done_deferred(void *arg)
{
    struct uk_unix_console *c = arg;
    write_finish(c, c->w.cnt > 0 ? UK_ECANCELED : c->wstatus);
}

static void out_ready(struct uk_unix_source *src, uint32_t events)
{
    struct uk_unix_console *c =
        UK_CONTAINER_OF(src, struct uk_unix_console, out);
    int rc = uk_unix_gather_write(&c->w, c->out_fd, false);
    UK_UNUSED(events);
    if (rc != UK_EAGAIN)
        write_finish(c, rc);
}

static int con_writev(struct uk_console *self, const struct uk_iov *iov,
                      int iovcnt, uk_flow_write_cb cb, void *arg)
{
    struct uk_unix_console *c = CON(self);
    int rc;
    if (c->closed)
        return UK_ECLOSED;
    if (c->wpending)
        return UK_EBUSY;
    if (iovcnt < 1 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    uk_unix_gather_start(&c->w, iov, iovcnt);
    c->wcb = cb;
    c->warg = arg;
    rc = uk_unix_gather_write(&c->w, c->out_fd, false);
    if (rc == UK_EAGAIN)
        rc = uk_unix_watch(&c->out, c->out_fd, UK_UNIX_WRITABLE, out_ready);
    else if (rc == 0 || c->w.done > 0) {
        /* Done, or failed after some bytes: report on a later turn. */
        c->wstatus = rc;
        c->w.cnt = 0;
        uk_time_defer(tm(), &c->wtimer, write_done_deferred, c);
        rc = 0;
    }
    if (rc != 0)
        return rc; /* nothing written: no callback */
    c->wpending = true;
    return 0;
}

/* ---- log, close ---- */

static int con_log(struct uk_console *self, const char *line, size_t len)
{
    struct uk_unix_console *c = CON(self);
    char buf[UK_CONSOLE_LINE_MAX + 1];
    int tries;
    if (len > UK_CONSOLE_LINE_MAX)
        len = UK_CONSOLE_LINE_MAX;
    memcpy(buf, line, len);
    buf[len++] = '\n';
    for (tries = 0; tries < 3; tries++) {
        struct pollfd pfd;
        ssize_t n = write(c->out_fd, buf, len);
        if (n == (ssize_t)len)
            return 0;
        if (n >= 0)
            return UK_EIO; /* a short write: the line was cut */
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return UK_EIO;
        pfd.fd = c->out_fd;
        pfd.events = POLLOUT;
        poll(&pfd, 1, 100);
    }
    return UK_EAGAIN;
}

static void close_deferred(void *arg)
{
    struct uk_unix_console *c = arg;
    if (c->ccb != NULL)
        c->ccb(c->carg);
}

static void read_cancel(void *arg)
{
    struct uk_unix_console *c = arg;
    c->rpending = false;
    c->rcb(c->rarg, UK_ECANCELED, NULL, 0);
}

static int con_close(struct uk_console *self, uk_done_cb cb, void *arg)
{
    struct uk_unix_console *c = CON(self);
    if (c->closed)
        return UK_ECLOSED;
    c->closed = true;
    c->ccb = cb;
    c->carg = arg;
    uk_unix_unwatch(&c->in);
    uk_unix_unwatch(&c->out);
    if (c->rpending) {
        uk_time_cancel(tm(), &c->rtimer);
        uk_time_defer(tm(), &c->rtimer, read_cancel, c);
    }
    if (c->wpending && !uk_timer_is_armed(&c->wtimer))
        uk_time_defer(tm(), &c->wtimer, write_done_deferred, c);
    uk_time_defer(tm(), &c->ctimer, close_deferred, c);
    return 0;
}

static const struct uk_console_ops console_ops = {
    .read = con_read,
    .writev = con_writev,
    .close = con_close,
    .log = con_log,
};

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void uk_unix_console_init(struct uk_unix_console *c, int in_fd, int out_fd)
{
    memset(c, 0, sizeof *c);
    c->con.ops = &console_ops;
    c->in_fd = in_fd;
    c->out_fd = out_fd;
    set_nonblock(in_fd);
    set_nonblock(out_fd);
}

/* ---- the default console over stdin/stdout ---- */

static struct uk_unix_console stdio_console;
static bool stdio_ready;
static int saved_fl[2] = {-1, -1};

/* Gives stdin/stdout their blocking mode back: the descriptions are shared
 * with the shell that started us. */
static void restore_stdio(void)
{
    int fd;
    for (fd = 0; fd < 2; fd++)
        if (saved_fl[fd] >= 0)
            fcntl(fd, F_SETFL, saved_fl[fd]);
}

struct uk_console *uk_default_console(void)
{
    if (!stdio_ready) {
        saved_fl[0] = fcntl(0, F_GETFL);
        saved_fl[1] = fcntl(1, F_GETFL);
        atexit(restore_stdio);
        uk_unix_console_init(&stdio_console, 0, 1);
        stdio_ready = true;
    }
    return &stdio_console.con;
}
