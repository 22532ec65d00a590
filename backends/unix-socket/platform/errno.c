/*
 * errno.c - host errno values to UK_E* codes, at the edge of the unix
 * backends.  See uk/unix.h.
 */
#include <errno.h>

#include <uk/unix.h>

int uk_unix_error(int e)
{
    switch (e) {
    case 0: return UK_OK;
    case EAGAIN: return UK_EAGAIN;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return UK_EAGAIN;
#endif
    case EINTR: return UK_EAGAIN;
    case ENOMEM: return UK_ENOMEM;
    case EINVAL: return UK_EINVAL;
    case ENOENT: return UK_ENOENT;
    case EEXIST: return UK_EEXIST;
    case EACCES: case EPERM: case ELOOP: return UK_EACCES;
    case EBUSY: return UK_EBUSY;
    case ENOTSUP:
#if EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP:
#endif
    case ENOSYS: return UK_ENOTSUP;
    case ENOSPC: case EDQUOT: return UK_ENOSPC;
    case ENOBUFS: return UK_ENOBUFS;
    case EMSGSIZE: return UK_EMSGSIZE;
    case ERANGE: return UK_ERANGE;
    case ENAMETOOLONG: return UK_ENAMETOOLONG;
    case EISDIR: return UK_EISDIR;
    case ENOTDIR: return UK_ENOTDIR;
    case EROFS: return UK_EROFS;
    case EADDRINUSE: return UK_EADDRINUSE;
    case EADDRNOTAVAIL: return UK_EADDRNOTAVAIL;
    case ENETUNREACH: case ENETDOWN: return UK_ENETUNREACH;
    case EHOSTUNREACH: case EHOSTDOWN: return UK_EHOSTUNREACH;
    case ECONNREFUSED: return UK_ECONNREFUSED;
    case ECONNRESET: return UK_ECONNRESET;
    case ECONNABORTED: return UK_ECONNABORTED;
    case ETIMEDOUT: return UK_ETIMEDOUT;
    case ENOTCONN: return UK_ENOTCONN;
    case EPIPE: return UK_EPIPE;
    case ECANCELED: return UK_ECANCELED;
    case EOVERFLOW: return UK_EOVERFLOW;
    case EMFILE: case ENFILE: return UK_ELIMIT;
    case ENODEV: case ENXIO: return UK_ENODEV;
    case ESTALE: return UK_ESTALE;
    case EPROTO: return UK_EPROTO;
    default: return UK_EIO;
    }
}
