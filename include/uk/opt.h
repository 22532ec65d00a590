/*
 * uk/opt.h - run-time options: one table-driven parser for every target,
 * so that the same option names work in a Linux process's argv and on a Xen
 * kernel command line.
 *
 * Syntax: "--name=value" or "--name value" (a value starting with "--"
 * needs the first form); flags take no value ("--dhcp"); "--" ends options.  Every argument must be an option: positional
 * arguments, unknown names, missing or malformed values, and values out of
 * range are errors that name the option and the problem in one line.
 *
 * Tables are arrays of struct uk_opt ended by UK_OPT_END; the caller owns
 * them and the destinations, which are written only for options present.
 */
#ifndef UK_OPT_H
#define UK_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/err.h>
#include <uk/ipaddr.h>

enum uk_opt_type {
    UK_OPT_FLAG,   /* bool: set to true when present */
    UK_OPT_STRING, /* const char *: points into argv */
    UK_OPT_UINT,   /* unsigned long, in [min, max] */
    UK_OPT_PORT,   /* uint16_t, 1..65535 */
    UK_OPT_IPV4,   /* struct uk_ipv4_addr */
    UK_OPT_CIDR,   /* struct uk_ipv4_cidr: "A.B.C.D/LEN" */
    UK_OPT_MAC,    /* struct uk_mac */
    UK_OPT_EP,     /* struct uk_ipv4_ep: "A.B.C.D:PORT" */
    UK_OPT_NAMED,  /* struct uk_opt_named: see below */
    UK_OPT_SIZE    /* size_t bytes, in [min, max]: "N", "NK", "NM", "NG"
                    * (binary multiples; lower case accepted) */
};

struct uk_ipv4_cidr {
    struct uk_ipv4_addr addr;
    unsigned prefix;
};

struct uk_opt {
    const char *name;      /* without the leading "--" */
    enum uk_opt_type type;
    void *dst;             /* typed as above */
    const char *help;      /* one line */
    unsigned long min, max; /* UK_OPT_UINT and UK_OPT_SIZE only */
    bool *seen;             /* if not NULL, set when the option is given */
};

#define UK_OPT_END {NULL, UK_OPT_FLAG, NULL, NULL, 0, 0, NULL}

/*
 * Options whose names are not known in advance ("--block-data=disk.img"):
 * a UK_OPT_NAMED entry's name is a prefix ending in '-' ("block-"), and
 * "--PREFIXNAME=VALUE" with any non-empty NAME records (NAME, VALUE) in
 * the caller-owned pairs[cap]; a NAME given again replaces its value, one
 * more than cap fits is an error.  Names and values point into argv
 * (name_len bytes, not NUL-terminated).  An entry with the exact name
 * wins over a prefix.
 */
struct uk_opt_pair {
    const char *name;
    size_t name_len;
    const char *value;
};
struct uk_opt_named {
    struct uk_opt_pair *pairs;
    size_t cap, n;
};

/* The value recorded for name (NUL-terminated), or NULL. */
const char *uk_opt_named_get(const struct uk_opt_named *named,
                             const char *name);

/* Longest error message uk_opt_parse writes, including the NUL. */
#define UK_OPT_ERR_MAX 160

/*
 * uk_opt_parse(tables, ntables, argc, argv, err, help):
 * parses argv[1..argc) against the tables, searched in order.  Returns 0;
 * UK_EINVAL with a one-line message in err[UK_OPT_ERR_MAX]; or UK_EOF when
 * --help (or -h) was given, leaving the rest unparsed.
 */
int uk_opt_parse(const struct uk_opt *const *tables, size_t ntables,
                 int argc, char **argv, char *err);

/*
 * uk_opt_usage(tables, ntables, emit, arg): calls emit(arg, line) once per
 * line of a usage text listing every option with its value form and help.
 */
void uk_opt_usage(const struct uk_opt *const *tables, size_t ntables,
                  void (*emit)(void *arg, const char *line), void *arg);

#endif
