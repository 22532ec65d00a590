/*
 * fdt.c - the device-tree reader (fdt.h).  One preorder walk over the
 * structure block serves every lookup; each read is checked against the
 * block's bounds, and the walk advances at least one token per step, so a
 * malformed blob ends in UK_EPROTO.
 */
#include <string.h>

#include <uk/err.h>

#include "fdt.h"

#define FDT_MAGIC 0xd00dfeedu
#define TOK_BEGIN 1u
#define TOK_END_NODE 2u
#define TOK_PROP 3u
#define TOK_NOP 4u
#define TOK_END 9u
#define MAX_DEPTH 16

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

uint64_t uk__fdt_cells(const void *p, uint32_t cells)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    uint32_t i;
    for (i = 0; i < cells && i < 2; i++)
        v = v << 32 | be32(b + 4 * i);
    return v;
}

int uk__fdt_open(struct uk__fdt *f, const void *p, size_t max)
{
    const uint8_t *b = p;
    uint32_t total;
    if (b == NULL || max < 40 || be32(b) != FDT_MAGIC)
        return UK_EINVAL;
    total = be32(b + 4);
    if (total < 40 || total > max || be32(b + 20) < 16 || be32(b + 24) > 17)
        return UK_EINVAL;
    f->blob = b;
    f->size = total;
    f->off_struct = be32(b + 8);
    f->off_strings = be32(b + 12);
    f->size_strings = be32(b + 32);
    f->size_struct = be32(b + 36);
    if (f->off_struct > total || f->size_struct > total - f->off_struct ||
        f->off_strings > total || f->size_strings > total - f->off_strings ||
        (f->off_struct & 3) != 0 || (f->size_struct & 3) != 0)
        return UK_EINVAL;
    return 0;
}

/* The token at *off in the structure block, advancing *off past it. */
static int token(const struct uk__fdt *f, uint32_t *off, uint32_t *tok)
{
    if (f->size_struct < 4 || *off > f->size_struct - 4)
        return UK_EPROTO;
    *tok = be32(f->blob + f->off_struct + *off);
    *off += 4;
    return 0;
}

/* Skips a property whose token was just read: sets *name and *val. */
static int prop(const struct uk__fdt *f, uint32_t *off, const char **name,
                const uint8_t **val, uint32_t *len)
{
    const uint8_t *s = f->blob + f->off_struct;
    uint32_t nameoff;
    if (f->size_struct < 8 || *off > f->size_struct - 8)
        return UK_EPROTO;
    *len = be32(s + *off);
    nameoff = be32(s + *off + 4);
    *off += 8;
    if (*len > f->size_struct - *off || nameoff >= f->size_strings ||
        memchr(f->blob + f->off_strings + nameoff, '\0',
               f->size_strings - nameoff) == NULL)
        return UK_EPROTO;
    *name = (const char *)(f->blob + f->off_strings + nameoff);
    *val = s + *off;
    *off += (*len + 3) & ~3u;
    return 0;
}

const void *uk__fdt_prop(const struct uk__fdt *f,
                         const struct uk__fdt_node *n, const char *name,
                         size_t *len)
{
    uint32_t off = n->props, tok;
    for (;;) {
        const char *pn;
        const uint8_t *val;
        uint32_t plen;
        if (token(f, &off, &tok) != 0)
            return NULL;
        if (tok == TOK_NOP)
            continue;
        if (tok != TOK_PROP || prop(f, &off, &pn, &val, &plen) != 0)
            return NULL;
        if (strcmp(pn, name) == 0) {
            if (len != NULL)
                *len = plen;
            return val;
        }
    }
}

static uint32_t cells_prop(const struct uk__fdt *f,
                           const struct uk__fdt_node *n, const char *name,
                           uint32_t dflt)
{
    size_t len;
    const uint8_t *p = uk__fdt_prop(f, n, name, &len);
    return p != NULL && len == 4 ? be32(p) : dflt;
}

typedef int (*match_fn)(const struct uk__fdt *f,
                        const struct uk__fdt_node *n, const char *name,
                        unsigned depth, void *ctx);

/* Calls match on every node in preorder until it returns non-zero. */
static int walk(const struct uk__fdt *f, match_fn match, void *ctx,
                struct uk__fdt_node *out)
{
    uint32_t off = 0, tok, ac[MAX_DEPTH + 1], sc[MAX_DEPTH + 1];
    unsigned depth = 0;
    ac[0] = 2;
    sc[0] = 1;
    for (;;) {
        if (token(f, &off, &tok) != 0)
            return UK_EPROTO;
        if (tok == TOK_BEGIN) {
            const char *name = (const char *)(f->blob + f->off_struct + off);
            const char *nul = memchr(name, '\0', f->size_struct - off);
            struct uk__fdt_node n;
            if (nul == NULL || depth >= MAX_DEPTH)
                return UK_EPROTO;
            off += ((uint32_t)(nul - name) + 1 + 3) & ~3u;
            if (off > f->size_struct)
                return UK_EPROTO;
            n.props = off;
            n.addr_cells = ac[depth];
            n.size_cells = sc[depth];
            ac[depth + 1] = cells_prop(f, &n, "#address-cells", 2);
            sc[depth + 1] = cells_prop(f, &n, "#size-cells", 1);
            if (match(f, &n, name, depth, ctx)) {
                *out = n;
                return 0;
            }
            depth++;
        } else if (tok == TOK_END_NODE) {
            if (depth == 0)
                return UK_EPROTO;
            depth--;
        } else if (tok == TOK_PROP) {
            const char *pn;
            const uint8_t *val;
            uint32_t len;
            if (prop(f, &off, &pn, &val, &len) != 0)
                return UK_EPROTO;
        } else if (tok == TOK_END) {
            return UK_ENOENT;
        } else if (tok != TOK_NOP) {
            return UK_EPROTO;
        }
    }
}

struct path_ctx {
    const char *comp[MAX_DEPTH];
    size_t len[MAX_DEPTH];
    unsigned ncomp;
    unsigned char ok[MAX_DEPTH + 1];
};

/* name matches component c (length n): equal, or c has no unit address
 * and name is c@unit. */
static int name_is(const char *name, const char *c, size_t n)
{
    if (strncmp(name, c, n) != 0)
        return 0;
    return name[n] == '\0' ||
           (name[n] == '@' && memchr(c, '@', n) == NULL);
}

static int match_path(const struct uk__fdt *f, const struct uk__fdt_node *n,
                      const char *name, unsigned depth, void *arg)
{
    struct path_ctx *c = arg;
    (void)f;
    (void)n;
    if (depth == 0) {
        c->ok[0] = 1;
    } else {
        c->ok[depth] = c->ok[depth - 1] && depth <= c->ncomp &&
                       name_is(name, c->comp[depth - 1], c->len[depth - 1]);
    }
    return c->ok[depth] && depth == c->ncomp;
}

int uk__fdt_path(const struct uk__fdt *f, const char *path,
                 struct uk__fdt_node *out)
{
    struct path_ctx c;
    const char *p = path;
    if (p == NULL || *p != '/')
        return UK_EINVAL;
    c.ncomp = 0;
    while (*p == '/') {
        const char *e;
        p++;
        if (*p == '\0')
            break;
        if (c.ncomp == MAX_DEPTH)
            return UK_EINVAL;
        e = strchr(p, '/');
        if (e == NULL)
            e = p + strlen(p);
        c.comp[c.ncomp] = p;
        c.len[c.ncomp++] = (size_t)(e - p);
        p = e;
    }
    return walk(f, match_path, &c, out);
}

/* The string list property name of n contains s. */
static int has_string(const struct uk__fdt *f, const struct uk__fdt_node *n,
                      const char *name, const char *s)
{
    size_t len, i = 0, sl = strlen(s);
    const char *p = uk__fdt_prop(f, n, name, &len);
    if (p == NULL)
        return 0;
    while (i < len) {
        const char *nul = memchr(p + i, '\0', len - i);
        size_t n_ = nul == NULL ? len - i : (size_t)(nul - (p + i));
        if (n_ == sl && memcmp(p + i, s, sl) == 0)
            return 1;
        i += n_ + 1;
    }
    return 0;
}

static int match_compat(const struct uk__fdt *f, const struct uk__fdt_node *n,
                        const char *name, unsigned depth, void *arg)
{
    (void)name;
    (void)depth;
    return has_string(f, n, "compatible", arg);
}

int uk__fdt_compatible(const struct uk__fdt *f, const char *compat,
                       struct uk__fdt_node *out)
{
    return walk(f, match_compat, (void *)(uintptr_t)compat, out);
}

static int match_type(const struct uk__fdt *f, const struct uk__fdt_node *n,
                      const char *name, unsigned depth, void *arg)
{
    (void)name;
    (void)depth;
    return has_string(f, n, "device_type", arg);
}

int uk__fdt_device_type(const struct uk__fdt *f, const char *type,
                        struct uk__fdt_node *out)
{
    return walk(f, match_type, (void *)(uintptr_t)type, out);
}

int uk__fdt_reg(const struct uk__fdt *f, const struct uk__fdt_node *n,
                unsigned i, uint64_t *addr, uint64_t *size)
{
    size_t len, entry = 4 * ((size_t)n->addr_cells + n->size_cells);
    const uint8_t *p = uk__fdt_prop(f, n, "reg", &len);
    if (p == NULL || n->addr_cells < 1 || n->addr_cells > 2 ||
        n->size_cells > 2 || len / entry <= i)
        return UK_ENOENT;
    p += entry * i;
    *addr = uk__fdt_cells(p, n->addr_cells);
    *size = uk__fdt_cells(p + 4 * n->addr_cells, n->size_cells);
    return 0;
}

int uk__fdt_irq(const struct uk__fdt *f, const struct uk__fdt_node *n,
                unsigned i, uint32_t *id)
{
    size_t len;
    const uint8_t *p = uk__fdt_prop(f, n, "interrupts", &len);
    uint32_t type, num;
    if (p == NULL || len / 12 <= i)
        return UK_ENOENT;
    type = be32(p + 12 * i);
    num = be32(p + 12 * i + 4);
    if (type == 1 && num < 16)
        *id = num + 16;
    else if (type == 0 && num < 988)
        *id = num + 32;
    else
        return UK_ENOENT;
    return 0;
}
