/*
 * block.c - a file as a BLOCK device (uk_unix_block, see uk/unix.h).
 * uk_default_block and --block are block_default.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uk/target.h>
#include <uk/unix.h>

#include "internal.h"

#define BLK(self) UK_CONTAINER_OF(self, struct uk_unix_block, blk)

static void complete(void *arg)
{
    struct uk_block_req *req = arg;
    req->busy = false;
    req->cb(req->arg, req->status);
}

/* Validates a request and claims req.  Returns 0 or the call's error. */
static int begin(struct uk_unix_block *b, struct uk_block_req *req,
                 uint64_t sector, size_t nsectors, uk_block_cb cb, void *arg)
{
    if (req->busy)
        return UK_EBUSY;
    if (!uk_block_range_ok(&b->info, sector, nsectors))
        return UK_EINVAL;
    req->busy = true;
    req->cb = cb;
    req->arg = arg;
    return 0;
}

static void finish(struct uk_block_req *req, int status)
{
    req->status = status;
    uk_time_defer(uk_default_time(), &req->timer, complete, req);
}

static int blk_read(struct uk_block *self, struct uk_block_req *req,
                    uint64_t sector, void *buf, size_t nsectors,
                    uk_block_cb cb, void *arg)
{
    struct uk_unix_block *b = BLK(self);
    size_t len = nsectors * UK_UNIX_SECTOR_SIZE, done = 0;
    off_t off = (off_t)(sector * UK_UNIX_SECTOR_SIZE);
    int rc = begin(b, req, sector, nsectors, cb, arg), status = 0;
    if (rc != 0)
        return rc;
    while (done < len) {
        ssize_t n = pread(b->fd, (char *)buf + done, len - done,
                          off + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0) /* the file shrank: zeros, like a sparse tail */
                memset((char *)buf + done, 0, len - done);
            else
                status = UK_EIO;
            break;
        }
        done += (size_t)n;
    }
    finish(req, status);
    return 0;
}

static int blk_write(struct uk_block *self, struct uk_block_req *req,
                     uint64_t sector, const void *buf, size_t nsectors,
                     uk_block_cb cb, void *arg)
{
    struct uk_unix_block *b = BLK(self);
    size_t len = nsectors * UK_UNIX_SECTOR_SIZE, done = 0;
    off_t off = (off_t)(sector * UK_UNIX_SECTOR_SIZE);
    int rc, status = 0;
    if (b->info.read_only)
        return UK_EROFS;
    if ((rc = begin(b, req, sector, nsectors, cb, arg)) != 0)
        return rc;
    while (done < len) {
        ssize_t n = pwrite(b->fd, (const char *)buf + done, len - done,
                           off + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            status = UK_EIO;
            break;
        }
        done += (size_t)n;
    }
    finish(req, status);
    return 0;
}

/* The page cache is the device's volatile write cache: fdatasync empties
 * it.  Writes complete (and are issued) in call order, so every write whose
 * callback ran was issued before this call. */
static int blk_flush(struct uk_block *self, struct uk_block_req *req,
                     uk_block_cb cb, void *arg)
{
    struct uk_unix_block *b = BLK(self);
    if (b->info.read_only)
        return UK_EROFS;
    if (req->busy)
        return UK_EBUSY;
    req->busy = true;
    req->cb = cb;
    req->arg = arg;
    finish(req, fdatasync(b->fd) < 0 ? UK_EIO : 0);
    return 0;
}

static void blk_info(struct uk_block *self, struct uk_block_info *out)
{
    *out = BLK(self)->info;
}

static const char *blk_id(struct uk_block *self)
{
    return BLK(self)->id;
}

/* Requests complete before the disconnect callback: both are deferred
 * calls, which run in FIFO order. */
static void blk_disconnect(struct uk_block *self, uk_done_cb cb, void *arg)
{
    struct uk_unix_block *b = BLK(self);
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
    if (cb != NULL)
        uk_time_defer(uk_default_time(), &b->done, cb, arg);
}

static const struct uk_block_ops block_ops = {
    .id = blk_id,
    .disconnect = blk_disconnect,
    .info = blk_info,
    .read = blk_read,
    .write = blk_write,
    .flush = blk_flush,
};

int uk_unix_block_open(struct uk_unix_block *b, const char *path,
                       bool read_only)
{
    struct stat st;
    uint64_t bytes;
    const char *base = strrchr(path, '/');
    memset(b, 0, sizeof *b);
    b->blk.ops = &block_ops;
    b->fd = -1;
    if (!read_only)
        b->fd = open(path, O_RDWR | O_CLOEXEC);
    if (b->fd < 0 && (read_only || errno == EACCES || errno == EROFS)) {
        b->fd = open(path, O_RDONLY | O_CLOEXEC);
        read_only = true;
    }
    if (b->fd < 0)
        return errno == EISDIR ? UK_EINVAL : uk_unix_error(errno);
    if (fstat(b->fd, &st) < 0 ||
        !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
        close(b->fd);
        b->fd = -1;
        return UK_EINVAL;
    }
    bytes = (uint64_t)st.st_size;
    if (S_ISBLK(st.st_mode) && ioctl(b->fd, BLKGETSIZE64, &bytes) < 0)
        bytes = 0;
    b->info.sector_size = UK_UNIX_SECTOR_SIZE;
    b->info.sectors = bytes / UK_UNIX_SECTOR_SIZE;
    b->info.read_only = read_only;
    snprintf(b->id, sizeof b->id, "file:%s",
             base != NULL && base[1] != '\0' ? base + 1 : path);
    return 0;
}
