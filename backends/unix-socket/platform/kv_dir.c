/*
 * kv_dir.c - a directory as a KV_RO store (uk_unix_kv_dir, see uk/unix.h).
 *
 * Confinement: keys are checked with uk_kv_key_check, then opened one
 * component at a time with openat(O_NOFOLLOW) relative to the store's
 * directory descriptor, so no "..", absolute path or symbolic link (ELOOP,
 * reported as UK_EACCES) can lead out of the directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uk/target.h>
#include <uk/unix.h>

#define KV(self) UK_CONTAINER_OF(self, struct uk_unix_kv_dir, kv)

/* errno of a failed openat on a key component -> UK_E*. */
static int open_error(int e)
{
    switch (e) {
    case ELOOP: return UK_EACCES; /* a symbolic link: refused */
    case ENOTDIR: return UK_ENOENT; /* a file used as a directory */
    case ENXIO: case ENODEV: return UK_EACCES;
    default: return uk_unix_error(e);
    }
}

static bool is_link(int dfd, const char *name)
{
    struct stat st;
    return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISLNK(st.st_mode);
}

/*
 * Opens key (already checked) and stats it.  Only regular files and
 * directories are served.  On success *fd is the caller's to close.
 */
static int open_key(struct uk_unix_kv_dir *d, const char *key, int *fd,
                    struct stat *st)
{
    char path[UK_KV_KEY_MAX + 1];
    char *comp, *slash;
    int cur = d->dirfd, nfd, rc;
    if ((rc = uk_kv_key_check(key)) != 0)
        return rc;
    if (key[0] == '\0') {
        nfd = openat(d->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (nfd < 0)
            return uk_unix_error(errno);
    } else {
        snprintf(path, sizeof path, "%s", key);
        for (comp = path;; comp = slash + 1) {
            slash = strchr(comp, '/');
            if (slash != NULL)
                *slash = '\0';
            nfd = openat(cur, comp,
                         O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
                             (slash != NULL ? O_DIRECTORY : O_NONBLOCK));
            rc = nfd < 0 ? open_error(errno) : 0;
            if (nfd < 0 && errno == ENOTDIR && is_link(cur, comp))
                rc = UK_EACCES; /* O_DIRECTORY on a link says ENOTDIR */
            if (cur != d->dirfd)
                close(cur);
            if (rc != 0)
                return rc;
            cur = nfd;
            if (slash == NULL)
                break;
        }
    }
    if (fstat(nfd, st) < 0) {
        rc = uk_unix_error(errno);
        close(nfd);
        return rc;
    }
    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
        close(nfd);
        return UK_EACCES;
    }
    *fd = nfd;
    return 0;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static void digest(const struct stat *st, uint8_t out[UK_KV_DIGEST_LEN])
{
    uint64_t a = mix64((uint64_t)st->st_dev ^ mix64((uint64_t)st->st_ino));
    uint64_t b = mix64((uint64_t)st->st_size ^
                       mix64((uint64_t)st->st_mtim.tv_sec ^
                             mix64((uint64_t)st->st_mtim.tv_nsec ^ a)));
    int i;
    a = mix64(a ^ b);
    for (i = 0; i < 8; i++) {
        out[i] = (uint8_t)(a >> (8 * i));
        out[8 + i] = (uint8_t)(b >> (8 * i));
    }
}

static int kv_stat(struct uk_kv_ro *self, const char *key,
                   struct uk_kv_stat *out)
{
    struct stat st;
    int fd, rc = open_key(KV(self), key, &fd, &st);
    if (rc != 0)
        return rc;
    close(fd);
    out->kind = S_ISDIR(st.st_mode) ? UK_KV_DIR : UK_KV_FILE;
    out->size = out->kind == UK_KV_DIR ? 0 : (uint64_t)st.st_size;
    out->mtime_s = (int64_t)st.st_mtim.tv_sec;
    digest(&st, out->digest);
    return 0;
}

static int kv_read(struct uk_kv_ro *self, const char *key, uint64_t offset,
                   void *buf, size_t len, size_t *got)
{
    struct stat st;
    int fd, rc = open_key(KV(self), key, &fd, &st);
    size_t done = 0;
    *got = 0;
    if (rc != 0)
        return rc;
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return UK_EISDIR;
    }
    while (done < len && offset + done < (uint64_t)st.st_size) {
        ssize_t n = pread(fd, (char *)buf + done, len - done,
                          (off_t)(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = UK_EIO;
            break;
        }
        if (n == 0)
            break;
        done += (size_t)n;
    }
    close(fd);
    *got = done;
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether entry `name` of directory dfd is listed, and its kind. */
static bool visible(int dfd, const char *name, enum uk_kv_kind *kind)
{
    struct stat st;
    if (uk_kv_key_check(name) != 0 || strchr(name, '/') != NULL)
        return false;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return false;
    if (S_ISREG(st.st_mode))
        *kind = UK_KV_FILE;
    else if (S_ISDIR(st.st_mode))
        *kind = UK_KV_DIR;
    else
        return false;
    return true;
}

static int kv_list(struct uk_kv_ro *self, const char *dir, size_t index,
                   struct uk_kv_entry *out)
{
    struct stat st;
    struct dirent *de;
    DIR *dp;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    enum uk_kv_kind kind;
    int fd, rc = open_key(KV(self), dir, &fd, &st);
    if (rc != 0)
        return rc;
    if (!S_ISDIR(st.st_mode)) {
        close(fd);
        return UK_ENOTDIR;
    }
    if ((dp = fdopendir(fd)) == NULL) {
        close(fd);
        return UK_ENOMEM;
    }
    while (rc == 0 && (de = readdir(dp)) != NULL) {
        if (!visible(dirfd(dp), de->d_name, &kind))
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? 2 * cap : 32) *
                                           sizeof *names);
            if (nn == NULL) {
                rc = UK_ENOMEM;
                break;
            }
            names = nn;
        }
        if ((names[n] = strdup(de->d_name)) == NULL)
            rc = UK_ENOMEM;
        else
            n++;
    }
    if (rc == 0 && n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    if (rc == 0 && index >= n)
        rc = UK_ENOENT;
    if (rc == 0) {
        snprintf(out->name, sizeof out->name, "%s", names[index]);
        if (!visible(dirfd(dp), out->name, &out->kind))
            rc = UK_ENOENT; /* removed meanwhile */
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(dp);
    return rc;
}

static const char *kv_id(struct uk_kv_ro *self)
{
    return KV(self)->id;
}

static void kv_disconnect(struct uk_kv_ro *self, uk_done_cb cb, void *arg)
{
    struct uk_unix_kv_dir *d = KV(self);
    if (d->dirfd >= 0)
        close(d->dirfd);
    d->dirfd = -1;
    if (cb != NULL)
        uk_time_defer(uk_default_time(), &d->done, cb, arg);
}

static const struct uk_kv_ro_ops kv_dir_ops = {
    .id = kv_id,
    .disconnect = kv_disconnect,
    .stat = kv_stat,
    .read = kv_read,
    .list = kv_list,
    .map = NULL,
};

int uk_unix_kv_dir_open(struct uk_unix_kv_dir *kv, const char *path)
{
    const char *base = strrchr(path, '/');
    memset(kv, 0, sizeof *kv);
    kv->kv.ops = &kv_dir_ops;
    kv->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (kv->dirfd < 0)
        return uk_unix_error(errno);
    snprintf(kv->id, sizeof kv->id, "dir:%s",
             base != NULL && base[1] != '\0' ? base + 1 : path);
    return 0;
}
