/*
 * uk/err.h - error codes.
 *
 * Functions that can fail return int: UK_OK (0) on success, a negative UK_E*
 * code otherwise.  The codes come from one list, UK_ERRORS, which also
 * generates uk_strerror() and uk_errname().  Host errno values are translated
 * at the edge of each backend and never escape into portable code.
 *
 * UK_EOF is the one positive status: "end of stream" is not an error, and a
 * flow read reports it as its own status (see uk/flow.h).
 *
 * Contract violations (a NULL object, a method called in the wrong state that
 * the contract forbids) are assertions, not error codes.
 */
#ifndef UK_ERR_H
#define UK_ERR_H

/* X(NAME, message): the list.  Append only: values are part of the ABI. */
#define UK_ERRORS(X)                                                          \
    X(EAGAIN, "resource temporarily unavailable, try again")                  \
    X(ENOMEM, "out of memory")                                                \
    X(EINVAL, "invalid argument")                                             \
    X(ENOENT, "no such entry")                                                \
    X(EEXIST, "entry already exists")                                         \
    X(EACCES, "permission denied")                                            \
    X(EBUSY, "busy: an operation of this kind is already pending")            \
    X(ENOTSUP, "operation not supported")                                     \
    X(EIO, "input/output error")                                              \
    X(ENOSPC, "no space left")                                                \
    X(ENOBUFS, "no buffer space available")                                   \
    X(EMSGSIZE, "message too long")                                           \
    X(ERANGE, "value out of range")                                           \
    X(ENAMETOOLONG, "name too long")                                          \
    X(EISDIR, "is a directory")                                               \
    X(ENOTDIR, "not a directory")                                             \
    X(EROFS, "read-only")                                                     \
    X(EADDRINUSE, "address already in use")                                   \
    X(EADDRNOTAVAIL, "address not available")                                 \
    X(ENETUNREACH, "network unreachable")                                     \
    X(EHOSTUNREACH, "host unreachable")                                       \
    X(ECONNREFUSED, "connection refused")                                     \
    X(ECONNRESET, "connection reset by peer")                                 \
    X(ECONNABORTED, "connection aborted")                                     \
    X(ETIMEDOUT, "timed out")                                                 \
    X(ENOTCONN, "not connected")                                              \
    X(EPIPE, "write side is shut down")                                       \
    X(ECANCELED, "operation canceled")                                        \
    X(ECLOSED, "object is closed")                                            \
    X(EPROTO, "protocol error: malformed input")                              \
    X(ELIMIT, "configured limit reached")                                     \
    X(EOVERFLOW, "value too large")                                           \
    X(ENODEV, "no such device")                                               \
    X(ESTALE, "device went away")

/* Positive indices, one per code, in list order starting at 1. */
enum uk__errindex {
    UK__ERRINDEX_NONE,
#define UK__ERRINDEX(name, msg) UK__ERRINDEX_##name,
    UK_ERRORS(UK__ERRINDEX)
#undef UK__ERRINDEX
    UK__ERRINDEX_COUNT
};

/* The codes themselves: UK_EAGAIN == -1, UK_ENOMEM == -2, ... */
enum uk_err {
    UK_OK = 0,
    UK_EOF = 1, /* end of stream: a status, not an error */
#define UK__ERRCODE(name, msg) UK_##name = -UK__ERRINDEX_##name,
    UK_ERRORS(UK__ERRCODE)
#undef UK__ERRCODE
    UK__ERR_LAST = -UK__ERRINDEX_COUNT
};

/* uk_strerror(code): a one-line description; never NULL, for any int. */
static inline const char *uk_strerror(int code)
{
    static const char *const msgs[] = {
        "success",
#define UK__ERRMSG(name, msg) msg,
        UK_ERRORS(UK__ERRMSG)
#undef UK__ERRMSG
    };
    if (code == UK_EOF)
        return "end of stream";
    if (code > 0 || code <= UK__ERR_LAST)
        return "unknown error";
    return msgs[-code];
}

/* uk_errname(code): the symbolic name ("UK_ENOMEM"); never NULL. */
static inline const char *uk_errname(int code)
{
    static const char *const names[] = {
        "UK_OK",
#define UK__ERRNAME(name, msg) "UK_" #name,
        UK_ERRORS(UK__ERRNAME)
#undef UK__ERRNAME
    };
    if (code == UK_EOF)
        return "UK_EOF";
    if (code > 0 || code <= UK__ERR_LAST)
        return "UK_E?";
    return names[-code];
}

#endif
