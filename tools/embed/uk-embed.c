/*
 * uk-embed - compile a directory into a C source defining a read-only
 * KV_RO store (lib/kv, uk/kv_embedded.h); the counterpart of MirageOS's
 * crunch.  A host program, run at build time by uk_unikernel(... KV_RO
 * name=dir) through cmake/uk_kv_embed.cmake.
 *
 *   uk-embed -o OUT.c -s SYMBOL [-n ID] [-t TIMEFN] DIR
 *
 * OUT.c defines `struct uk_kv_ro SYMBOL` serving every file and directory
 * under DIR, keyed by relative path; ID is its device id (default SYMBOL).
 * TIMEFN, if given, names a `struct uk_time *TIMEFN(void)` the store's
 * disconnect() completes on: images pass their target's uk_default_time.  The output is a function of the
 * directory only: entries are sorted bytewise, nothing about the build (time,
 * host, DIR's own path) is written, so the same tree gives byte-identical
 * output.  Modification times are the files' own, or SOURCE_DATE_EPOCH for
 * every entry when that variable is set (reproducible builds).
 *
 * Contents are emitted as string literals (printable ASCII as itself, other
 * bytes as 3-digit octal escapes): measured with gcc 12, an 8 MiB file as a
 * {0x.., ...} initialiser list took 22 s and 1.1 GB to compile, as string
 * literals 1 s and 170 MB, linear in size.  Files are streamed, never held
 * in memory whole.
 *
 * Refused, with an error naming the path and no output left behind:
 * symbolic links, anything but regular files and directories, and names
 * that are not valid keys (uk_kv_key_check).  Output goes to a temporary
 * file renamed over OUT.c only when complete.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uk/kv_digest.h>
#include <uk/kv_ro.h>

struct entry {
    char *key;  /* relative path, "" for the root */
    char *path; /* path to open: DIR/key */
    enum uk_kv_kind kind;
    int64_t mtime_s;
    uint64_t size; /* bytes actually emitted */
    uint8_t digest[UK_KV_DIGEST_LEN];
};

static struct entry *entries;
static size_t nentries, cap;
static const char *out_tmp; /* unlinked on failure */

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("uk-embed: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (out_tmp != NULL)
        unlink(out_tmp);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = xmalloc(strlen(s) + 1);
    return strcpy(d, s);
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = xmalloc(la + lb + 2);
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    if (la == 0)
        memmove(s, s + 1, lb + 1);
    return s;
}

static int64_t epoch = -1; /* SOURCE_DATE_EPOCH, or -1 */

static void add(char *key, char *path, const struct stat *st)
{
    struct entry *e;
    if (nentries == cap) {
        cap = cap ? cap * 2 : 64;
        entries = realloc(entries, cap * sizeof *entries);
        if (entries == NULL)
            die("out of memory");
    }
    e = &entries[nentries++];
    memset(e, 0, sizeof *e);
    e->key = key;
    e->path = path;
    e->kind = S_ISDIR(st->st_mode) ? UK_KV_DIR : UK_KV_FILE;
    e->mtime_s = epoch >= 0 ? epoch : (int64_t)st->st_mtime;
}

/* Adds the entries under directory path (key `key`), recursively. */
static void walk(const char *path, const char *key)
{
    struct dirent *de;
    DIR *d = opendir(path);
    if (d == NULL)
        die("%s: cannot open directory: %s", path, strerror(errno));
    while (errno = 0, (de = readdir(d)) != NULL) {
        struct stat st;
        char *ckey, *cpath;
        int err;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        ckey = join(key, de->d_name);
        cpath = join(path, de->d_name);
        err = uk_kv_key_check(ckey);
        if (err != 0)
            die("%s: name is not a valid store key (%s)", cpath,
                err == UK_ENAMETOOLONG ? "too long"
                                       : "control byte, backslash, or . / ..");
        if (lstat(cpath, &st) != 0)
            die("%s: %s", cpath, strerror(errno));
        if (S_ISLNK(st.st_mode))
            die("%s: symbolic links are not allowed in a store", cpath);
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
            die("%s: not a regular file or directory", cpath);
        add(ckey, cpath, &st);
        if (S_ISDIR(st.st_mode))
            walk(cpath, ckey);
    }
    if (errno != 0)
        die("%s: reading directory: %s", path, strerror(errno));
    closedir(d);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->key,
                  ((const struct entry *)b)->key);
}

/* ---- output ---- */

static FILE *out;

static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(out, fmt, ap) < 0)
        die("%s: write failed: %s", out_tmp, strerror(errno));
    va_end(ap);
}

/* How each byte is written inside a C string literal: printable ASCII as
 * itself, '"' '\\' and '?' (no trigraphs) escaped, newline as \n, anything
 * else as a 3-digit octal escape (so a following digit cannot extend it). */
static char esc[256][5];

static void init_escapes(void)
{
    int c;
    for (c = 0; c < 256; c++) {
        if (c == '\n')
            strcpy(esc[c], "\\n");
        else if (c == '"' || c == '\\' || c == '?')
            sprintf(esc[c], "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            sprintf(esc[c], "%c", c);
        else
            sprintf(esc[c], "\\%03o", (unsigned)c);
    }
}

/* Writes bytes as the inside of C string literals; *col tracks the line
 * length and ends the literal after a newline byte or ~72 columns. */
static void emit_bytes(const unsigned char *p, size_t n, unsigned *col)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const char *e = esc[p[i]];
        if (*col == 0)
            fputs("    \"", out);
        fputs(e, out);
        *col += (unsigned)strlen(e);
        if (p[i] == '\n' || *col >= 72) {
            fputs("\"\n", out);
            *col = 0;
        }
    }
    if (ferror(out))
        die("%s: write failed: %s", out_tmp, strerror(errno));
}

static void emit_string(const char *s)
{
    unsigned col = 1; /* inline: no line breaks for short strings */
    emit("\"");
    emit_bytes((const unsigned char *)s, strlen(s), &col);
    if (col == 0)
        emit("    \"");
    emit("\"");
}

/* Writes s inside a comment, escaped like a string literal, and with a
 * backslash put between any star and slash, so that a key such as "a*" "/b"
 * cannot end the comment. */
static void emit_comment(const char *s)
{
    size_t i;
    for (i = 0; s[i] != '\0'; i++) {
        if (s[i] == '*' && s[i + 1] == '/')
            fputs("*\\", out);
        else
            fputs(esc[(unsigned char)s[i]], out);
    }
}

/* Emits file e's contents as array d<i>, computing its size and digest. */
static void emit_file(struct entry *e, size_t i)
{
    static unsigned char buf[1 << 16];
    struct uk_kv_digest dg;
    struct stat st;
    unsigned col = 0;
    size_t n;
    FILE *f = fopen(e->path, "rb");
    if (f == NULL)
        die("%s: %s", e->path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        die("%s: no longer a regular file", e->path);
    uk_kv_digest_init(&dg);
    emit("\n/* ");
    emit_comment(e->key);
    emit(" */\nstatic const unsigned char d%zu[] =\n", i);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        uk_kv_digest_update(&dg, buf, n);
        emit_bytes(buf, n, &col);
        e->size += n;
    }
    if (ferror(f))
        die("%s: read error: %s", e->path, strerror(errno));
    fclose(f);
    if (e->size != (uint64_t)st.st_size)
        die("%s: changed size while being read", e->path);
    if (col != 0)
        emit("\"\n");
    if (e->size == 0)
        emit("    \"\"\n");
    emit("    ;\n");
    uk_kv_digest_final(&dg, e->digest);
}

/* The index of the entry with key k[0..len), which exists (every key's
 * parent directory was added by walk()). */
static size_t find_key(const char *k, size_t len)
{
    size_t lo = 0, hi = nentries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = entries[mid].key;
        int c = strncmp(m, k, len);
        if (c == 0 && m[len] == '\0')
            return mid;
        if (c < 0) /* m sorts before k; c == 0 means m is longer */
            lo = mid + 1;
        else
            hi = mid;
    }
    die("internal error: no entry for a parent directory");
    return 0;
}

/* A directory's digest covers its listing: each child's name and kind, in
 * name order (which is key order among siblings). */
static void dir_digests(void)
{
    struct uk_kv_digest *dg = xmalloc(nentries * sizeof *dg);
    size_t i;
    for (i = 0; i < nentries; i++)
        uk_kv_digest_init(&dg[i]);
    for (i = 1; i < nentries; i++) {
        const char *k = entries[i].key, *slash = strrchr(k, '/');
        const char *name = slash != NULL ? slash + 1 : k;
        size_t parent = find_key(k, slash != NULL ? (size_t)(slash - k) : 0);
        uint8_t kind = (uint8_t)entries[i].kind;
        uk_kv_digest_update(&dg[parent], name, strlen(name) + 1);
        uk_kv_digest_update(&dg[parent], &kind, 1);
    }
    for (i = 0; i < nentries; i++)
        if (entries[i].kind == UK_KV_DIR)
            uk_kv_digest_final(&dg[i], entries[i].digest);
    free(dg);
}

static void emit_table(const char *id, const char *sym, const char *timefn)
{
    size_t i, k;
    emit("\nstatic const struct uk_kv_embedded_entry entries[] = {\n");
    for (i = 0; i < nentries; i++) {
        const struct entry *e = &entries[i];
        emit("    {");
        emit_string(e->key);
        if (e->kind == UK_KV_FILE)
            emit(", d%zu, UINT64_C(%llu), INT64_C(%lld), UK_KV_FILE,\n", i,
                 (unsigned long long)e->size, (long long)e->mtime_s);
        else
            emit(", NULL, 0, INT64_C(%lld), UK_KV_DIR,\n",
                 (long long)e->mtime_s);
        emit("     {");
        for (k = 0; k < UK_KV_DIGEST_LEN; k++)
            emit("0x%02x%s", e->digest[k], k + 1 < UK_KV_DIGEST_LEN ? ", " : "");
        emit("}},\n");
    }
    emit("};\n\n");
    if (timefn != NULL)
        emit("struct uk_time *%s(void);\n"
             "static struct uk_kv_embedded_state state = {.default_time = %s};\n",
             timefn, timefn);
    else
        emit("static struct uk_kv_embedded_state state;\n");
    emit("static const struct uk_kv_embedded store = UK_KV_EMBEDDED_INIT(\n"
         "    ");
    emit_string(id);
    emit(", entries, sizeof entries / sizeof entries[0], &state);\n"
         "struct uk_kv_ro %s = {&store.ops};\n", sym);
}

static int is_identifier(const char *s)
{
    size_t i;
    for (i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
            return 0;
    }
    return i > 0;
}

static void parse_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;
    if (s == NULL || *s == '\0')
        return;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*end != '\0' || errno != 0 || v < 0 || *s < '0' || *s > '9')
        die("SOURCE_DATE_EPOCH='%s' is not a count of seconds", s);
    epoch = v;
}

static void usage(void)
{
    fprintf(stderr, "usage: uk-embed -o OUT.c -s SYMBOL [-n ID] [-t TIMEFN] DIR\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *outp = NULL, *sym = NULL, *id = NULL, *timefn = NULL, *dir;
    char *tmp;
    struct stat st;
    size_t i;
    int opt, fd;
    while ((opt = getopt(argc, argv, "o:s:n:t:")) != -1) {
        if (opt == 'o')
            outp = optarg;
        else if (opt == 's')
            sym = optarg;
        else if (opt == 'n')
            id = optarg;
        else if (opt == 't')
            timefn = optarg;
        else
            usage();
    }
    if (outp == NULL || sym == NULL || optind != argc - 1)
        usage();
    if (!is_identifier(sym))
        die("-s %s: not a C identifier", sym);
    if (timefn != NULL && !is_identifier(timefn))
        die("-t %s: not a C identifier", timefn);
    dir = argv[optind];
    if (id == NULL)
        id = sym;
    parse_epoch();
    init_escapes();
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        die("%s: not a directory", dir);
    add(xstrdup(""), xstrdup(dir), &st);
    walk(dir, "");
    qsort(entries, nentries, sizeof *entries, by_key);

    tmp = xmalloc(strlen(outp) + 16);
    sprintf(tmp, "%s.tmp.XXXXXX", outp);
    fd = mkstemp(tmp);
    if (fd < 0)
        die("%s: %s", tmp, strerror(errno));
    out_tmp = tmp;
    out = fdopen(fd, "w");
    if (out == NULL)
        die("%s: %s", tmp, strerror(errno));
    emit("/* Generated by uk-embed: do not edit.  Store ");
    emit_comment(id);
    emit(", %zu entries. */\n#include <stddef.h>\n#include <stdint.h>\n\n"
         "#include <uk/kv_embedded.h>\n", nentries);
    for (i = 0; i < nentries; i++)
        if (entries[i].kind == UK_KV_FILE)
            emit_file(&entries[i], i);
    dir_digests();
    emit_table(id, sym, timefn);
    if (fflush(out) != 0 || ferror(out) || fclose(out) != 0)
        die("%s: write failed: %s", tmp, strerror(errno));
    if (chmod(tmp, 0644) != 0 || rename(tmp, outp) != 0)
        die("%s: cannot rename to %s: %s", tmp, outp, strerror(errno));
    out_tmp = NULL;
    for (i = 0; i < nentries; i++) {
        free(entries[i].key);
        free(entries[i].path);
    }
    free(entries);
    free(tmp);
    return 0;
}
