/*
 * uk/dns_zonefile.h - the RFC 1035 master-file (zone file) parser.
 *
 * Syntax accepted (RFC 1035 §5, RFC 2308 §4, RFC 3597 §5):
 *   - directives $ORIGIN name, $TTL ttl, $INCLUDE file [origin]; any other
 *     directive ($GENERATE...) is an error.  A directive must start in the
 *     first column.  The origin given to $INCLUDE applies to the included
 *     file only; when it ends, the origin and the current owner revert to
 *     their values before the $INCLUDE.  $TTL is not scoped.
 *   - owner names: "@" (the origin), relative names (the origin is
 *     appended), absolute names (ending with an unescaped '.'), escapes
 *     \X (X literally, e.g. "\." inside a label) and \DDD (a byte, decimal,
 *     exactly three digits); labels of 1..63 bytes, names of at most 255
 *     wire bytes.  A line starting with a blank reuses the previous owner.
 *   - TTL and class in either order, each optional.  The class must be IN
 *     (or CLASS1); CH, HS and any other class are an error.  TTLs are
 *     decimal seconds (0..2147483647, RFC 2181 §8) or BIND's unit form: a
 *     sequence of <number><unit>, unit one of w d h m s in either case
 *     ("1h30m", "1w", "2D"); a unitless number is only accepted alone.
 *   - default TTL (the BIND behaviour): a record without a TTL takes the
 *     $TTL value if one has been seen; before any $TTL, the last TTL written
 *     explicitly on a record (RFC 1035 §5.1); before either, the
 *     default_ttl argument.  The SOA MINIMUM field is never used as a
 *     default TTL (RFC 2308 §4 made it the negative-caching TTL).
 *   - parentheses continue an entry across lines (no nesting); ';' starts
 *     a comment to the end of the line; "quoted strings" hold blanks, ';'
 *     and the escapes \" \\ \X \DDD, and may not span lines.
 *   - types A, AAAA (every RFC 4291 §2.2 text form, including "::" and an
 *     embedded dotted quad), NS, CNAME, SOA (timer fields accept TTL units;
 *     the serial is a plain number), MX, TXT (one or more strings of at most
 *     255 bytes each, quoted or not), PTR, SRV, CAA (flags tag value; the
 *     tag is 1..15 letters and digits), and TYPEnnn for any data type in
 *     RFC 3597 form "\# length hex..." (also for the known types: the wire
 *     data is then checked against the type's format).  TYPEnnn of a
 *     known type may also be followed by the type's usual text form.
 *     Mnemonics are case-insensitive; unknown mnemonics, TYPE0, OPT (41)
 *     and the query/meta range 128..255 are errors.
 *
 * Errors: the first problem stops the parse; *err names the file, the
 * 1-based line and column (in bytes) and what is wrong, in one line.
 * Records already handed to the callback must then be DISCARDED by the
 * caller: a zone that fails to load must never be half-served.
 *
 * No allocation: the parser keeps its state (include stack, rdata buffer)
 * and the text of included files in the caller's scratch memory.
 */
#ifndef UK_DNS_ZONEFILE_H
#define UK_DNS_ZONEFILE_H

#include <stddef.h>
#include <stdint.h>

#include <uk/dns.h>
#include <uk/kv_ro.h>

/* Deepest $INCLUDE nesting (the main file is level 0); deeper is an error
 * (UK_ELIMIT), which also stops include loops. */
#define UK_DNS_ZONEFILE_DEPTH 8

/* Most $INCLUDEs one parse follows in all (UK_ELIMIT beyond): with the
 * depth limit, bounds the work of a file that includes others many
 * times over. */
#define UK_DNS_ZONEFILE_INCLUDES 1024

/*
 * Minimum scratch size for uk_dns_zonefile_parse() without $INCLUDE.  The
 * text of each included file (and, for uk_dns_zonefile_load(), of the main
 * file) is read into the scratch beyond this minimum, unless the store can
 * map it (uk_kv_ro_map): give UK_DNS_ZONEFILE_SCRATCH plus the total size
 * of the files that can be open at once.  Any alignment is fine.
 */
#define UK_DNS_ZONEFILE_SCRATCH (88u * 1024u)

/* Where and why a parse failed. */
struct uk_dns_zonefile_error {
    char file[128];    /* the file (store key or the name given), truncated */
    unsigned line;     /* 1-based; 0 when not about a position */
    unsigned column;   /* 1-based, in bytes; 0 when not about a position */
    char message[160]; /* one line, NUL-terminated, no trailing newline */
};

/*
 * uk_dns_zonefile_parse(file, text, len, store, origin, default_ttl,
 *                       scratch, scratch_len, cb, arg, err)
 *
 * Parses the master file `text` (len bytes, BORROWED for the call; need not
 * be NUL-terminated) and calls cb(arg, rr) for each record in file order;
 * the record and everything it points to are LENT for the callback only.
 * `file` (BORROWED, at most UK_KV_KEY_MAX bytes) names the text in errors
 * and is the store key that $INCLUDE paths are relative to (its directory
 * part: "zones/example.zone" includes "x.zone" as "zones/x.zone").
 *
 * store (BORROWED, may be NULL: then $INCLUDE is an error UK_ENOTSUP)
 * resolves $INCLUDE: the path is taken relative to the including file's
 * directory inside the store; absolute paths and '..' components are
 * refused (UK_EACCES), so an include never leaves the store or climbs out
 * of the zone's directory.
 *
 * origin (BORROWED, may be NULL) is the initial $ORIGIN, a wire-format
 * name; without it, relative names before the first $ORIGIN are errors.
 * default_ttl: see "default TTL" above.
 *
 * err (BORROWED) must not be NULL; it is cleared first.
 *
 * scratch (BORROWED for the call) holds the parser's state: at least
 * UK_DNS_ZONEFILE_SCRATCH bytes, more for included files.
 *
 * Returns 0 when every record was accepted; otherwise the first error with
 * *err filled: UK_EPROTO (syntax), UK_ERANGE (a number out of range),
 * UK_ENAMETOOLONG (label or name too long), UK_EMSGSIZE (string or RDATA
 * too long), UK_ENOTSUP (unsupported class, type or directive), UK_EACCES
 * (include path leaving the directory), UK_ELIMIT (includes too deep or
 * too many),
 * UK_ENOSPC (scratch too small for a file), UK_EINVAL (scratch smaller
 * than the minimum), the store's errors for a missing or unreadable
 * include, or the callback's own error, returned unchanged.
 */
int uk_dns_zonefile_parse(const char *file, const char *text, size_t len,
                          struct uk_kv_ro *store, const uint8_t *origin,
                          uint32_t default_ttl, void *scratch,
                          size_t scratch_len, uk_dns_rr_cb cb, void *arg,
                          struct uk_dns_zonefile_error *err);

/*
 * uk_dns_zonefile_load(store, key, origin, default_ttl, scratch,
 *                      scratch_len, cb, arg, err)
 *
 * Reads the file `key` from store (BORROWED) and parses it as
 * uk_dns_zonefile_parse() does, with file = key.  The text of the file (and
 * of each $INCLUDE) is mapped when the store supports uk_kv_ro_map, else
 * read into scratch: a file bigger than the scratch left over fails with
 * UK_ENOSPC and a message giving both sizes.  Returns as
 * uk_dns_zonefile_parse(), plus the store's errors for key (UK_ENOENT...).
 */
int uk_dns_zonefile_load(struct uk_kv_ro *store, const char *key,
                         const uint8_t *origin, uint32_t default_ttl,
                         void *scratch, size_t scratch_len, uk_dns_rr_cb cb,
                         void *arg, struct uk_dns_zonefile_error *err);

/*
 * uk_dns_name_from_text(text, len, origin, out, out_len)
 *
 * Converts the presentation-format name text (len bytes, BORROWED) to wire
 * format in out, with the zone-file rules: "@" is origin, "." the root, a
 * name without a final unescaped '.' is relative to origin (BORROWED wire
 * name, may be NULL), \X and \DDD escapes.  Case is preserved.  Returns 0
 * with *out_len set, UK_EINVAL (empty label, bad escape, relative name and
 * no origin) or UK_ENAMETOOLONG (label over 63 or name over 255 bytes).
 */
int uk_dns_name_from_text(const char *text, size_t len, const uint8_t *origin,
                          uint8_t out[UK_DNS_NAME_MAX], size_t *out_len);

#endif
