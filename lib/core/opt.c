/*
 * opt.c - the run-time option parser shared by every target.  See uk/opt.h.
 */
#include <stdio.h>
#include <string.h>

#include <uk/opt.h>

/* The entry for option name[0..len): an exact name, else a UK_OPT_NAMED
 * prefix that leaves a non-empty rest. */
static const struct uk_opt *find(const struct uk_opt *const *tables,
                                 size_t ntables, const char *name,
                                 size_t len)
{
    size_t t;
    const struct uk_opt *o, *prefix = NULL;
    for (t = 0; t < ntables; t++) {
        if (tables[t] == NULL)
            continue;
        for (o = tables[t]; o->name != NULL; o++) {
            size_t n = strlen(o->name);
            if (o->type != UK_OPT_NAMED && n == len &&
                memcmp(o->name, name, len) == 0)
                return o;
            if (o->type == UK_OPT_NAMED && prefix == NULL && n < len &&
                memcmp(o->name, name, n) == 0)
                prefix = o;
        }
    }
    return prefix;
}

/* Records --PREFIXNAME=v in the entry's struct uk_opt_named. */
static int store_named(const struct uk_opt *o, const char *name,
                       size_t len, const char *v, char *err)
{
    struct uk_opt_named *nm = (struct uk_opt_named *)o->dst;
    size_t i;
    for (i = 0; i < nm->n; i++)
        if (nm->pairs[i].name_len == len &&
            memcmp(nm->pairs[i].name, name, len) == 0)
            break;
    if (i == nm->cap) {
        snprintf(err, UK_OPT_ERR_MAX, "--%s%.*s: at most %lu --%sNAME options",
                 o->name, (int)(len > 40 ? 40 : len), name,
                 (unsigned long)nm->cap, o->name);
        return UK_EINVAL;
    }
    nm->pairs[i].name = name;
    nm->pairs[i].name_len = len;
    nm->pairs[i].value = v;
    if (i == nm->n)
        nm->n++;
    return 0;
}

const char *uk_opt_named_get(const struct uk_opt_named *named,
                             const char *name)
{
    size_t i, len = strlen(name);
    for (i = 0; i < named->n; i++)
        if (named->pairs[i].name_len == len &&
            memcmp(named->pairs[i].name, name, len) == 0)
            return named->pairs[i].value;
    return NULL;
}

static const char *value_form(enum uk_opt_type type)
{
    switch (type) {
    case UK_OPT_FLAG: return "";
    case UK_OPT_STRING: return "=STRING";
    case UK_OPT_UINT: return "=N";
    case UK_OPT_PORT: return "=PORT";
    case UK_OPT_IPV4: return "=A.B.C.D";
    case UK_OPT_CIDR: return "=A.B.C.D/LEN";
    case UK_OPT_MAC: return "=XX:XX:XX:XX:XX:XX";
    case UK_OPT_EP: return "=A.B.C.D:PORT";
    case UK_OPT_NAMED: return "=STRING";
    case UK_OPT_SIZE: return "=SIZE[K|M|G]";
    }
    return "";
}

/* "N" with an optional K, M or G suffix (binary multiples) into *out; false
 * when malformed or beyond max. */
static bool parse_size(const char *v, size_t n, unsigned long max,
                       unsigned long *out)
{
    const char *p = v;
    unsigned long u, mult = 1;
    unsigned shift = 0;
    if (n > 0) {
        switch (v[n - 1]) {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        default: break;
        }
    }
    if (shift != 0) {
        n--;
        mult <<= shift;
    }
    if (!uk__parse_dec(&p, v + n, max / mult, &u) || p != v + n)
        return false;
    *out = u * mult;
    return true;
}

/* Stores value into o->dst; on failure writes what was expected to err. */
static int store(const struct uk_opt *o, const char *v, char *err)
{
    size_t n = strlen(v);
    const char *p = v;
    unsigned long u;
    switch (o->type) {
    case UK_OPT_FLAG:
        *(bool *)o->dst = true;
        return 0;
    case UK_OPT_STRING:
        if (n == 0)
            break;
        *(const char **)o->dst = v;
        return 0;
    case UK_OPT_UINT:
        if (!uk__parse_dec(&p, v + n, o->max, &u) || p != v + n ||
            u < o->min) {
            snprintf(err, UK_OPT_ERR_MAX,
                     "--%s: '%.40s' is not a number in %lu..%lu", o->name, v,
                     o->min, o->max);
            return UK_EINVAL;
        }
        *(unsigned long *)o->dst = u;
        return 0;
    case UK_OPT_SIZE:
        if (!parse_size(v, n, o->max, &u) || u < o->min) {
            snprintf(err, UK_OPT_ERR_MAX,
                     "--%s: '%.40s' is not a size in %lu..%lu bytes "
                     "(N, NK, NM or NG)",
                     o->name, v, o->min, o->max);
            return UK_EINVAL;
        }
        *(size_t *)o->dst = (size_t)u;
        return 0;
    case UK_OPT_PORT:
        if (!uk__parse_dec(&p, v + n, 65535, &u) || p != v + n || u == 0) {
            snprintf(err, UK_OPT_ERR_MAX,
                     "--%s: '%.40s' is not a port number (1..65535)",
                     o->name, v);
            return UK_EINVAL;
        }
        *(uint16_t *)o->dst = (uint16_t)u;
        return 0;
    case UK_OPT_IPV4:
        if (uk_ipv4_parse(v, n, (struct uk_ipv4_addr *)o->dst) == 0)
            return 0;
        break;
    case UK_OPT_CIDR: {
        struct uk_ipv4_cidr *c = (struct uk_ipv4_cidr *)o->dst;
        if (uk_ipv4_parse_cidr(v, n, &c->addr, &c->prefix) == 0)
            return 0;
        break;
    }
    case UK_OPT_MAC:
        if (uk_mac_parse(v, n, (struct uk_mac *)o->dst) == 0)
            return 0;
        break;
    case UK_OPT_EP:
        if (uk_ipv4_ep_parse(v, n, (struct uk_ipv4_ep *)o->dst) == 0)
            return 0;
        break;
    case UK_OPT_NAMED: /* store_named */
        break;
    }
    snprintf(err, UK_OPT_ERR_MAX, "--%s: '%.40s' is not a valid value (%s)",
             o->name, v, value_form(o->type) + 1);
    return UK_EINVAL;
}

int uk_opt_parse(const struct uk_opt *const *tables, size_t ntables,
                 int argc, char **argv, char *err)
{
    int i;
    err[0] = '\0';
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *eq, *name, *value;
        const struct uk_opt *o;
        size_t len;
        int rc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return UK_EOF;
        if (strcmp(a, "--") == 0) {
            if (i + 1 < argc) {
                snprintf(err, UK_OPT_ERR_MAX,
                         "unexpected argument '%.60s': options only",
                         argv[i + 1]);
                return UK_EINVAL;
            }
            return 0;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            snprintf(err, UK_OPT_ERR_MAX,
                     "unexpected argument '%.60s' (options are --name=value)",
                     a);
            return UK_EINVAL;
        }
        name = a + 2;
        eq = strchr(name, '=');
        len = eq != NULL ? (size_t)(eq - name) : strlen(name);
        o = find(tables, ntables, name, len);
        if (o == NULL) {
            snprintf(err, UK_OPT_ERR_MAX,
                     "unknown option '--%.*s' (try --help)",
                     (int)(len > 60 ? 60 : len), name);
            return UK_EINVAL;
        }
        if (o->type == UK_OPT_FLAG) {
            if (eq != NULL) {
                snprintf(err, UK_OPT_ERR_MAX, "--%s takes no value",
                         o->name);
                return UK_EINVAL;
            }
            value = "";
        } else if (eq != NULL) {
            value = eq + 1;
        } else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
            /* "--name value"; a following option is not taken as the
             * value ("--name=--x" still gives one that starts so). */
            value = argv[++i];
        } else {
            snprintf(err, UK_OPT_ERR_MAX, "--%.*s needs a value (%s)",
                     (int)(len > 60 ? 60 : len), name,
                     value_form(o->type) + 1);
            return UK_EINVAL;
        }
        if (o->type != UK_OPT_FLAG && value[0] == '\0') {
            snprintf(err, UK_OPT_ERR_MAX, "--%.*s needs a value (%s)",
                     (int)(len > 60 ? 60 : len), name,
                     value_form(o->type) + 1);
            return UK_EINVAL;
        }
        if (o->type == UK_OPT_NAMED)
            rc = store_named(o, name + strlen(o->name),
                             len - strlen(o->name), value, err);
        else
            rc = store(o, value, err);
        if (rc != 0)
            return rc;
        if (o->seen != NULL)
            *o->seen = true;
    }
    return 0;
}

void uk_opt_usage(const struct uk_opt *const *tables, size_t ntables,
                  void (*emit)(void *arg, const char *line), void *arg)
{
    char line[160];
    size_t t;
    const struct uk_opt *o;
    emit(arg, "options:");
    for (t = 0; t < ntables; t++) {
        if (tables[t] == NULL)
            continue;
        for (o = tables[t]; o->name != NULL; o++) {
            char left[64];
            snprintf(left, sizeof left, "--%s%s%s", o->name,
                     o->type == UK_OPT_NAMED ? "NAME" : "",
                     value_form(o->type));
            snprintf(line, sizeof line, "  %-28s %s", left,
                     o->help != NULL ? o->help : "");
            emit(arg, line);
        }
    }
    emit(arg, "  --help                       show this text");
}
