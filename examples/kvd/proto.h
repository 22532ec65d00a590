/*
 * proto.h - kvd's line protocol: one command per line (bytes before "\n",
 * a "\r" before it dropped by the stream), one reply per command.
 *
 *   SET key value     one commit putting key := value (the rest of the
 *                     line after the key's space, may hold spaces; may be
 *                     empty: "SET key ")                 -> OK <commit>
 *   DEL key           one commit removing key            -> OK <commit>
 *   GET key           the value at the head   -> VALUE <bytes> | ERR ...
 *   GETAT commit key  the value right after that commit       -> as GET
 *   LOG [n]           the last n commits (default 10, at most
 *                     KVD_LOG_MAX), newest first: lines
 *                     "COMMIT <id> parent <id> time <s> <message>", END
 *   LIST [dir]        the entries of dir (default the root), one a
 *                     line, directories with a trailing "/"; then END
 *   HELP              one line naming the commands
 *   QUIT              BYE, then the server closes the connection
 *
 * Command words are case-insensitive; words are separated by one or more
 * spaces.  Keys follow uk/kv_ro.h ("a/b", no "..", no control bytes).
 * Every failure is one line "ERR <reason>".
 */
#ifndef KVD_PROTO_H
#define KVD_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include <uk/kv_ro.h>

#define KVD_LINE_MAX 4096 /* longest command line, without "\n" */
#define KVD_LOG_MAX 1000  /* most commits one LOG lists */

enum kvd_op {
    KVD_SET = 1,
    KVD_DEL,
    KVD_GET,
    KVD_GETAT,
    KVD_LOG,
    KVD_LIST,
    KVD_HELP,
    KVD_QUIT
};

struct kvd_cmd {
    enum kvd_op op;
    char key[UK_KV_KEY_MAX + 1]; /* SET, DEL, GET, GETAT; LIST's dir ("" root) */
    const uint8_t *val;          /* SET: into the line (LENT as the line) */
    size_t val_len;
    uint64_t n; /* LOG's count, GETAT's commit */
};

/*
 * Parses line[0..len) (BORROWED; need not be NUL-terminated; may hold any
 * byte) into *out.  Returns 0, or UK_EINVAL with *why set to a one-line
 * reason (a static string) for the ERR reply.
 */
int kvd_parse(const void *line, size_t len, struct kvd_cmd *out,
              const char **why);

#endif
