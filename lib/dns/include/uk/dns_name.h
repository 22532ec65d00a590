/*
 * uk/dns_name.h - operations on uncompressed wire-format domain names
 * (length-prefixed labels ending with the root label), as in uk/dns.h.
 *
 * DNS compares names case-insensitively in ASCII only (RFC 4343): these
 * functions fold 'A'..'Z' and nothing else.  No function here allocates;
 * every name argument is BORROWED for the call.
 */
#ifndef UK_DNS_NAME_H
#define UK_DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/dns.h>

/* Most labels a name can have (the root label included). */
#define UK_DNS_LABELS_MAX 128

/*
 * uk_dns_name_check(name, avail, out_len): validates the uncompressed name
 * starting at name, using at most avail bytes.  Returns 0 and sets *out_len
 * to its length (root label included), or UK_EPROTO for a label over 63
 * bytes, a compression pointer or reserved label type, a name over 255
 * bytes or a name that runs past avail.
 */
int uk_dns_name_check(const uint8_t *name, size_t avail, size_t *out_len);

/* Whether a and b (valid names) are equal ignoring ASCII case. */
bool uk_dns_name_eq(const uint8_t *a, size_t alen, const uint8_t *b,
                    size_t blen);

/* Copies the valid name src[0..len) to dst with A-Z folded to a-z.
 * dst may equal src. */
void uk_dns_name_lower(uint8_t *dst, const uint8_t *src, size_t len);

/* A hash of the name ignoring ASCII case (equal names hash equally). */
uint32_t uk_dns_name_hash(const uint8_t *name, size_t len);

/*
 * uk_dns_name_labels(name, offs): stores the offset of each label of the
 * valid name into offs[UK_DNS_LABELS_MAX] (offs[0] = 0, the root label
 * last) and returns how many there are (1 for the root name).  The suffix
 * starting at offs[i] is itself a name.
 */
int uk_dns_name_labels(const uint8_t *name, uint8_t offs[UK_DNS_LABELS_MAX]);

/* Whether the valid name is at or below the valid name `zone` (ignoring
 * case). */
bool uk_dns_name_is_under(const uint8_t *name, size_t len, const uint8_t *zone,
                          size_t zlen);

/* Whether the first label of the valid name is the wildcard label "*". */
static inline bool uk_dns_name_is_wild(const uint8_t *name)
{
    return name[0] == 1 && name[1] == '*';
}

/*
 * uk_dns_name_format(name, len, out, cap): writes the valid name as
 * presentation text ("www.example.com.", "." for the root) into out
 * (NUL-terminated, cut to cap - 1 bytes), escaping '.', '\\' and
 * non-printable bytes as RFC 1035 does.  For logs and error messages.
 */
void uk_dns_name_format(const uint8_t *name, size_t len, char *out,
                        size_t cap);

#endif
