/*
 * zonefile_lex.c - the master-file tokenizer (RFC 1035 §5.1): blanks
 * separate tokens, ';' comments run to the end of the line, parentheses
 * join lines into one entry, "quoted strings" are single tokens, and a
 * backslash escapes the next byte everywhere.  Tokens point into the text;
 * escapes are decoded later, by what the field needs (name or string).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <uk/err.h>

#include "zonefile_priv.h"

int uk__zf_fail(struct zf *st, const struct zf_tok *tok, int code,
                const char *fmt, ...)
{
    struct uk_dns_zonefile_error *e = st->err;
    struct zf_frame *fr = uk__zf_top(st);
    va_list ap;
    size_t n = strlen(fr->file);
    if (n >= sizeof(e->file))
        n = sizeof(e->file) - 1;
    memcpy(e->file, fr->file, n);
    e->file[n] = '\0';
    e->line = tok != NULL ? tok->line : 0;
    e->column = tok != NULL ? tok->col : 0;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return code;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool is_delim(char c)
{
    return is_blank(c) || c == '\n' || c == ';' || c == '(' || c == ')' ||
           c == '"';
}

static bool is_control(char c)
{
    unsigned char u = (unsigned char)c;
    return (u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f;
}

/* Position of byte `pos` as a token (for errors). */
static void here(struct zf_frame *fr, size_t pos, struct zf_tok *t)
{
    t->p = fr->text + pos;
    t->n = 0;
    t->line = fr->line;
    t->col = (unsigned)(pos - fr->line_start + 1);
}

/* Scans a quoted string starting after its opening quote. */
static int scan_quoted(struct zf *st, struct zf_frame *fr, struct zf_tok *t)
{
    size_t i = fr->pos + 1;
    while (i < fr->len && fr->text[i] != '"') {
        char c = fr->text[i];
        if (c == '\n' || is_control(c)) {
            struct zf_tok at;
            here(fr, i, &at);
            return uk__zf_fail(st, &at, UK_EPROTO,
                               c == '\n'
                                   ? "quoted string not closed on its line"
                                   : "control byte 0x%02x in quoted string",
                               (unsigned)(unsigned char)c);
        }
        i += (c == '\\' && i + 1 < fr->len && fr->text[i + 1] != '\n') ? 2 : 1;
    }
    if (i >= fr->len)
        return uk__zf_fail(st, t, UK_EPROTO, "quoted string not closed");
    t->kind = ZF_QUOTED;
    t->p = fr->text + fr->pos + 1;
    t->n = i - fr->pos - 1;
    fr->pos = i + 1;
    return 0;
}

/* Scans a word: up to a delimiter, a backslash escaping the next byte. */
static int scan_word(struct zf *st, struct zf_frame *fr, struct zf_tok *t)
{
    size_t i = fr->pos;
    while (i < fr->len && !is_delim(fr->text[i])) {
        char c = fr->text[i];
        if (is_control(c)) {
            struct zf_tok at;
            here(fr, i, &at);
            return uk__zf_fail(st, &at, UK_EPROTO, "control byte 0x%02x",
                               (unsigned)(unsigned char)c);
        }
        if (c == '\\') {
            if (i + 1 >= fr->len || fr->text[i + 1] == '\n' ||
                is_control(fr->text[i + 1])) {
                struct zf_tok at;
                here(fr, i, &at);
                return uk__zf_fail(
                    st, &at, UK_EPROTO,
                    "'\\' must be followed by a byte to escape");
            }
            i++;
        }
        i++;
    }
    t->kind = ZF_WORD;
    t->p = fr->text + fr->pos;
    t->n = i - fr->pos;
    fr->pos = i;
    return 0;
}

/* Handles '(' and ')'; returns 0 or an error. */
static int paren(struct zf *st, struct zf_frame *fr, struct zf_tok *t)
{
    if (fr->text[fr->pos] == '(') {
        if (fr->paren)
            return uk__zf_fail(st, t, UK_EPROTO,
                               "'(' inside parentheses (opened at line %u)",
                               fr->paren_line);
        fr->paren = true;
        fr->paren_line = t->line;
        fr->paren_col = t->col;
    } else {
        if (!fr->paren)
            return uk__zf_fail(st, t, UK_EPROTO, "')' without '('");
        fr->paren = false;
    }
    fr->pos++;
    return 0;
}

int uk__zf_next(struct zf *st, struct zf_tok *t)
{
    struct zf_frame *fr = uk__zf_top(st);
    int rc;
    for (;;) {
        char c;
        while (fr->pos < fr->len && is_blank(fr->text[fr->pos]))
            fr->pos++;
        here(fr, fr->pos, t);
        if (fr->pos >= fr->len) {
            if (fr->paren) {
                t->line = fr->paren_line;
                t->col = fr->paren_col;
                return uk__zf_fail(st, t, UK_EPROTO, "'(' never closed");
            }
            t->kind = ZF_EOF;
            return 0;
        }
        c = fr->text[fr->pos];
        if (c == ';') {
            while (fr->pos < fr->len && fr->text[fr->pos] != '\n')
                fr->pos++;
        } else if (c == '\n') {
            fr->pos++;
            fr->line++;
            fr->line_start = fr->pos;
            if (!fr->paren) {
                t->kind = ZF_EOL;
                return 0;
            }
        } else if (c == '(' || c == ')') {
            if ((rc = paren(st, fr, t)) != 0)
                return rc;
        } else if (c == '"') {
            return scan_quoted(st, fr, t);
        } else {
            return scan_word(st, fr, t);
        }
    }
}

int uk__zf_need(struct zf *st, struct zf_tok *t, const char *what,
                bool words_only)
{
    int rc = uk__zf_next(st, t);
    if (rc != 0)
        return rc;
    if (t->kind == ZF_EOL || t->kind == ZF_EOF)
        return uk__zf_fail(st, t, UK_EPROTO, "missing %s", what);
    if (words_only && t->kind == ZF_QUOTED)
        return uk__zf_fail(st, t, UK_EPROTO, "%s must not be a quoted string",
                           what);
    return 0;
}
