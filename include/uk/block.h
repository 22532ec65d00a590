/*
 * uk/block.h - BLOCK: a sector-addressed storage device (a file on unix,
 * blkfront on Xen).  Includes DEVICE.
 *
 * Requests are asynchronous and use a caller-owned record (no allocation);
 * several may be outstanding, and they may complete in any order.
 *
 *   void info(self, struct uk_block_info *out)                 required
 *
 *   int read(self, struct uk_block_req *req, uint64_t sector, void *buf,
 *            size_t nsectors, uk_block_cb cb, void *arg)       required
 *       Reads nsectors sectors from `sector` into buf, which is BORROWED
 *       until cb(arg, status) runs; req must stay alive until then.
 *       status: 0 or UK_EIO, UK_ECANCELED (device disconnected).
 *       Returns 0, UK_EINVAL (range beyond the device, nsectors 0),
 *       UK_EBUSY (req already in use).
 *
 *   int write(self, struct uk_block_req *req, uint64_t sector,
 *             const void *buf, size_t nsectors, uk_block_cb cb, void *arg)
 *                                                              required
 *       As read; also UK_EROFS.  When cb reports 0 the data is on the
 *       device, but a device with a volatile write cache (one that has
 *       flush) may still lose it, or apply it out of order with other
 *       unflushed writes, if power fails before a later flush completes.
 *       A device without flush makes the data durable before cb reports 0.
 *
 *   int flush(self, struct uk_block_req *req, uk_block_cb cb, void *arg)
 *                                                              optional
 *       A barrier: every write whose callback ran before this call is
 *       durable when cb reports 0.  status: 0, UK_EIO, UK_ECANCELED.
 *       Returns 0, UK_EBUSY, UK_EROFS; UK_ENOTSUP when the device has no
 *       write cache (its completed writes are already durable).
 */
#ifndef UK_BLOCK_H
#define UK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/device.h>
#include <uk/time.h>

struct uk_block_info {
    uint32_t sector_size; /* bytes, a power of two >= 512 */
    uint64_t sectors;
    bool read_only;
};

typedef void (*uk_block_cb)(void *arg, int status);

/* A request record; its fields belong to the device while in use. */
struct uk_block_req {
    struct uk_timer timer; /* for devices that complete on a later turn */
    uk_block_cb cb;
    void *arg;
    int status;
    bool busy;
    struct uk_block_req *next;
    /* For devices that carry a request out in parts (blkfront): */
    uint64_t at;     /* next sector to issue */
    uint8_t *buf;    /* the caller's buffer */
    size_t left;     /* bytes not issued yet */
    size_t done;     /* bytes issued so far (offset into buf) */
    unsigned parts;  /* parts in flight */
    bool write;
};

#define UK_BLOCK_METHODS(T, M, V, O)                                          \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    V(T, info, (struct T * self, struct uk_block_info * out), (self, out))    \
    M(T, int, read,                                                           \
      (struct T * self, struct uk_block_req * req, uint64_t sector,           \
       void *buf, size_t nsectors, uk_block_cb cb, void *arg),                \
      (self, req, sector, buf, nsectors, cb, arg))                            \
    M(T, int, write,                                                          \
      (struct T * self, struct uk_block_req * req, uint64_t sector,           \
       const void *buf, size_t nsectors, uk_block_cb cb, void *arg),          \
      (self, req, sector, buf, nsectors, cb, arg))                            \
    O(T, int, flush,                                                          \
      (struct T * self, struct uk_block_req * req, uk_block_cb cb,            \
       void *arg),                                                            \
      (self, req, cb, arg), UK_ENOTSUP)

UK_INTERFACE(uk_block, UK_BLOCK_METHODS);

/* Whether sectors [sector, sector + nsectors) make a valid request on a
 * device with geometry info: not empty, inside the device.  Devices
 * answer UK_EINVAL otherwise. */
static inline bool uk_block_range_ok(const struct uk_block_info *info,
                                     uint64_t sector, size_t nsectors)
{
    return nsectors != 0 && sector < info->sectors &&
           nsectors <= info->sectors - sector;
}

#endif
