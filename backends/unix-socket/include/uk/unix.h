/*
 * uk/unix.h - the Linux-process platform shared by the unix backends
 * (unix-socket, direct-tap): the epoll event sources of the event loop,
 * errno translation, and the stores and devices of the unix platform that
 * callers may also construct directly (a directory as KV_RO, a file as
 * BLOCK, a console over any pair of file descriptors).
 *
 * Everything here runs on the single event-loop thread.
 */
#ifndef UK_UNIX_H
#define UK_UNIX_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/block.h>
#include <uk/console.h>
#include <uk/kv_ro.h>
#include <uk/loop.h>

/*
 * Event sources.  A component owning a file descriptor embeds a
 * struct uk_unix_source (caller-owned storage) and registers it with
 * uk_unix_watch.  From then on the event loop calls ready(src, events) from
 * its wait step whenever one of the requested conditions holds (level
 * triggered: it keeps calling while the condition holds and is requested).
 * UK_UNIX_HANGUP is always reported when the kernel reports it, but only
 * while some event is requested.
 *
 * A watched source keeps the loop alive (has_sources) even with events 0:
 * a listening socket, or a connection waiting for its application to ask
 * for the next read, are reasons to keep running.  A component says it no
 * longer keeps the loop alive by calling uk_unix_unwatch (before closing the
 * descriptor and before freeing the source's storage).  A source
 * unwatched from inside any ready callback receives no further callback,
 * even if the kernel had already reported it in the same batch.
 *
 * The fields belong to the poller while watched; read them, don't write.
 */
struct uk_unix_source;
typedef void (*uk_unix_ready_cb)(struct uk_unix_source *src, uint32_t events);

struct uk_unix_source {
    int fd;
    uint32_t events;        /* requested UK_UNIX_* conditions */
    uk_unix_ready_cb ready;
    bool watched;
};

#define UK_UNIX_READABLE 1u
#define UK_UNIX_WRITABLE 2u
#define UK_UNIX_HANGUP 4u /* peer gone or socket error: reported, never requested */

/* Starts watching fd for events (READABLE | WRITABLE, or 0) with cb.
 * Returns 0, UK_ENOTSUP (fd cannot be polled, e.g. a regular file),
 * UK_ENOMEM, UK_EINVAL. */
int uk_unix_watch(struct uk_unix_source *src, int fd, uint32_t events,
                  uk_unix_ready_cb cb);

/* Changes the requested events of a watched source (0 keeps it watched but
 * quiet).  Returns 0 or a UK_E* code from the kernel. */
int uk_unix_modify(struct uk_unix_source *src, uint32_t events);

/* Stops watching src (harmless if not watched).  Does not close fd. */
void uk_unix_unwatch(struct uk_unix_source *src);

/* Number of watched sources (what has_sources tests). */
unsigned uk_unix_source_count(void);

/* Translates a host errno value into a negative UK_E* code (UK_EIO for
 * anything without a closer match). */
int uk_unix_error(int errno_value);

/* The image's event loop (created on first use, over CLOCK_MONOTONIC and
 * the epoll poller); uk_default_time() is &uk_unix_loop()->time. */
struct uk_loop *uk_unix_loop(void);

/* Writes "<program>: <message>" as one line to stderr with one write, for
 * start-up and configuration errors.  printf-style. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void uk_unix_errorf(const char *fmt, ...);

/* The program name used by uk_unix_errorf (basename of argv[0], set by
 * main; "uk" before that). */
const char *uk_unix_progname(void);

/*
 * A directory as a KV_RO store (caller-owned storage).  Keys are resolved
 * one component at a time with openat relative to the directory, and EVERY
 * symbolic link met on the way (or as the key itself) is refused with
 * UK_EACCES: the store never reads outside its directory, whatever the
 * links inside it point to.  Only regular files and directories are
 * visible: list() skips links, devices, FIFOs and names that are not valid
 * keys; stat()/read() of them give UK_EACCES.  The digest mixes the file's
 * device, inode, size and modification time (so it changes when the file
 * is replaced or edited, not a hash of the content).  map() is not
 * supported.  Reads are synchronous.
 */
struct uk_unix_kv_dir {
    struct uk_kv_ro kv; /* the interface: pass &d->kv */
    int dirfd;
    char id[64];
    struct uk_timer done; /* for disconnect's deferred callback */
};

/* Opens the directory at path (BORROWED).  Returns 0, UK_ENOENT,
 * UK_ENOTDIR, UK_EACCES, UK_EIO. */
int uk_unix_kv_dir_open(struct uk_unix_kv_dir *kv, const char *path);

/*
 * A file as a BLOCK device of 512-byte sectors (caller-owned storage); a
 * trailing partial sector is not visible.  Requests are performed with
 * pread/pwrite during the call and complete on a later loop turn through
 * req->timer, in the order they were made.  The page cache is the
 * device's write cache: flush is fdatasync, and a completed write is
 * durable only after a flush.
 */
#define UK_UNIX_SECTOR_SIZE 512u

struct uk_unix_block {
    struct uk_block blk; /* the interface: pass &b->blk */
    int fd;
    struct uk_block_info info;
    char id[64];
    struct uk_timer done;
};

/* Opens the file at path (BORROWED), read-write unless read_only or the
 * file is not writable.  Returns 0, UK_ENOENT, UK_EACCES, UK_EINVAL (not a
 * regular file or block device), UK_EIO. */
int uk_unix_block_open(struct uk_unix_block *b, const char *path,
                       bool read_only);

/*
 * A gathered write in progress on a non-blocking descriptor: the pieces
 * not written yet (their bytes are borrowed from the writer until its
 * write completes) and how many bytes went out so far.  The console and
 * the TCP flows use it.
 */
struct uk_unix_gather {
    struct uk_iov iov[UK_IOV_MAX];
    int cnt;     /* pieces left; 0 when everything is written */
    size_t done; /* bytes written */
};

/* Starts a write of iov[0..iovcnt) (empty pieces dropped; the caller has
 * checked 1 <= iovcnt <= UK_IOV_MAX). */
void uk_unix_gather_start(struct uk_unix_gather *g, const struct uk_iov *iov,
                          int iovcnt);

/* Writes what fd takes now.  A socket is written with sendmsg and
 * MSG_NOSIGNAL (a reset peer gives UK_ECONNRESET, not SIGPIPE), anything
 * else with writev.  Returns 0 when everything is written, UK_EAGAIN when
 * fd is full, or the error. */
int uk_unix_gather_write(struct uk_unix_gather *g, int fd, bool is_socket);

/*
 * A console over two file descriptors: reads from in_fd, writes from
 * out_fd (both put in non-blocking mode; descriptors that cannot be polled,
 * such as regular files, are used synchronously).  uk_default_console() is
 * this over stdin and stdout.  Reading or writing keeps the loop alive only
 * while the operation is pending.  log() writes the line with one write(2);
 * if the descriptor is full it waits at most 100 ms for room, then drops
 * the line (UK_EAGAIN).
 */
struct uk_unix_console {
    struct uk_console con; /* the interface: pass &c->con */
    struct uk_unix_source in, out;
    int in_fd, out_fd;
    uk_flow_read_cb rcb;
    void *rarg;
    uk_flow_write_cb wcb;
    void *warg;
    struct uk_unix_gather w;
    int wstatus;
    bool rpending, wpending, closed, in_eof;
    struct uk_timer rtimer, wtimer, ctimer;
    uk_done_cb ccb;
    void *carg;
};

/* Builds a console over in_fd and out_fd (which stay the caller's: close
 * does not close them). */
void uk_unix_console_init(struct uk_unix_console *c, int in_fd, int out_fd);

/* Largest chunk a unix flow read (console or TCP) delivers at once. */
#define UK_UNIX_READ_MAX 65536u
#if UK_UNIX_READ_MAX > UK_FLOW_READ_MAX
#error "UK_UNIX_READ_MAX must not exceed UK_FLOW_READ_MAX"
#endif

#endif
