/*
 * uk/kv_ro.h - KV_RO: a read-only key/value store (a static site, zone
 * files): a directory on unix, or a directory compiled into the image by
 * tools/uk-embed.  Includes DEVICE.
 *
 * Keys are '/'-separated relative paths, NUL-terminated: "index.html",
 * "css/site.css"; "" is the root directory.  A key with a leading '/', an
 * empty, "." or ".." component, a backslash or a control byte is invalid
 * (UK_EINVAL): stores never resolve a key outside themselves.
 *
 * The store is synchronous by design: implementations are in memory or on
 * local storage, and a call returns with the data.
 *
 *   int stat(self, const char *key, struct uk_kv_stat *out)    required
 *       Size, kind, modification time and content digest of key.
 *       Returns 0, UK_ENOENT, UK_EINVAL, UK_EACCES (e.g. a symlink leading
 *       out of the store), UK_ENAMETOOLONG, UK_EIO.
 *
 *   int read(self, const char *key, uint64_t offset, void *buf, size_t len,
 *            size_t *got)                                      required
 *       Copies up to len bytes from offset into buf (BORROWED); *got is
 *       less than len only at the end of the value (0 at or past it).
 *       Returns 0, UK_EISDIR, and stat's errors.
 *
 *   int list(self, const char *dir, size_t index, struct uk_kv_entry *out)
 *                                                              required
 *       The index'th entry of directory dir, entries sorted by name
 *       (bytewise).  Returns 0, UK_ENOENT (no such entry: index past the
 *       end, or no such dir), UK_ENOTDIR, UK_EINVAL.
 *
 *   int map(self, const char *key, uint64_t offset, const void **data,
 *           size_t *len)                                       optional
 *       Zero-copy access for stores held in memory: *data points at the
 *       value from offset to its end (*len bytes), LENT for the store's
 *       lifetime.  Returns 0, UK_ENOTSUP (not in memory), stat's errors.
 */
#ifndef UK_KV_RO_H
#define UK_KV_RO_H

#include <stddef.h>
#include <stdint.h>

#include <uk/device.h>

#define UK_KV_NAME_MAX 255 /* longest path component */
#define UK_KV_KEY_MAX 1024 /* longest key */
#define UK_KV_DIGEST_LEN 16

enum uk_kv_kind {
    UK_KV_FILE = 1,
    UK_KV_DIR = 2
};

struct uk_kv_stat {
    uint64_t size;         /* bytes (0 for directories) */
    int64_t mtime_s;       /* POSIX seconds of last modification */
    enum uk_kv_kind kind;
    /* A digest that changes whenever the content does (for ETags): of the
     * content for embedded stores, of identity and mtime for directories. */
    uint8_t digest[UK_KV_DIGEST_LEN];
};

struct uk_kv_entry {
    char name[UK_KV_NAME_MAX + 1];
    enum uk_kv_kind kind;
};

#define UK_KV_RO_METHODS(T, M, V, O)                                          \
    UK_DEVICE_METHODS(T, M, V, O)                                             \
    M(T, int, stat,                                                           \
      (struct T * self, const char *key, struct uk_kv_stat *out),             \
      (self, key, out))                                                       \
    M(T, int, read,                                                           \
      (struct T * self, const char *key, uint64_t offset, void *buf,          \
       size_t len, size_t *got),                                              \
      (self, key, offset, buf, len, got))                                     \
    M(T, int, list,                                                           \
      (struct T * self, const char *dir, size_t index,                        \
       struct uk_kv_entry *out),                                              \
      (self, dir, index, out))                                                \
    O(T, int, map,                                                            \
      (struct T * self, const char *key, uint64_t offset, const void **data,  \
       size_t *len),                                                          \
      (self, key, offset, data, len), UK_ENOTSUP)

UK_INTERFACE(uk_kv_ro, UK_KV_RO_METHODS);

/*
 * uk_kv_key_check(key): 0 if key follows the key rule above, else
 * UK_EINVAL or UK_ENAMETOOLONG.  Shared by every store so that they all
 * refuse the same keys.
 */
static inline int uk_kv_key_check(const char *key)
{
    size_t i = 0, comp = 0;
    if (key[0] == '\0')
        return 0;
    for (;; i++) {
        unsigned char c = (unsigned char)key[i];
        if (i >= UK_KV_KEY_MAX)
            return UK_ENAMETOOLONG;
        if (c == '/' || c == '\0') {
            size_t len = i - comp;
            if (len == 0)
                return UK_EINVAL;
            if (len == 1 && key[comp] == '.')
                return UK_EINVAL;
            if (len == 2 && key[comp] == '.' && key[comp + 1] == '.')
                return UK_EINVAL;
            if (len > UK_KV_NAME_MAX)
                return UK_ENAMETOOLONG;
            if (c == '\0')
                return 0;
            comp = i + 1;
        } else if (c < 0x20 || c == 0x7f || c == '\\') {
            return UK_EINVAL;
        }
    }
}

#endif
