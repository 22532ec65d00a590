/*
 * json.h - the little JSON the api appliance speaks: escaping a string
 * for output, and finding one string member of a request object.
 */
#ifndef API_JSON_H
#define API_JSON_H

#include <stddef.h>

/* Most bytes api_json_escape writes for n input bytes. */
#define API_JSON_ESCAPED(n) (6 * (n))

/*
 * api_json_escape(s, n, out): writes s[0..n) as the inside of a JSON
 * string (quotes, backslashes and control bytes escaped) to out, which
 * has room for API_JSON_ESCAPED(n) bytes; returns the bytes written (no
 * NUL).  Other bytes pass as they are.
 */
size_t api_json_escape(const char *s, size_t n, char *out);

/*
 * api_json_member(s, n, name, out, cap, len): s[0..n) must be one JSON
 * object (members of any type, nesting up to 16 levels, whitespace
 * around); the first member called name must be a string, decoded
 * (escapes, \u as UTF-8) into out[0..cap) with a NUL after it, its length
 * in *len.  Returns 0, UK_EINVAL (not one well-formed object, or the
 * member is not a string), UK_ENOENT (no such member), UK_EMSGSIZE (the
 * value does not fit).
 */
int api_json_member(const char *s, size_t n, const char *name, char *out,
                    size_t cap, size_t *len);

#endif
