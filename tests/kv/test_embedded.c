/*
 * test_embedded.c - the embedded KV_RO store (lib/kv/embedded.c): a
 * hand-written table for exact answers and hostile keys, and stores that
 * uk-embed generated at build time from tests/kv/tree and from a tree of
 * odd names made at configure time, each compared with the directory it was
 * made from.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uk/kv_digest.h>
#include <uk/kv_embedded.h>

/* ---- a hand-written table ---- */

static const unsigned char dot[] = "dot";
static const unsigned char digits[] = "0123456789";
static const unsigned char empty[] = "";
static const unsigned char big_b[] = "B";

#define D(key) {key, NULL, 0, 7, UK_KV_DIR, {0}}
#define F(key, arr) {key, arr, sizeof arr - 1, 9, UK_KV_FILE, {1, 2, 3}}
static const struct uk_kv_embedded_entry table[] = {
    D(""), D("a"), F("a.txt", dot), F("a/x", digits), D("a/y"),
    F("a/y/z", empty), F("b", big_b),
};
#define NTABLE (sizeof table / sizeof table[0])

static struct uk_kv_embedded hand_kv;
static struct uk_kv_embedded_state hand_state;
static struct uk_kv_ro hand_obj;

static struct uk_kv_ro *hand(void)
{
    return uk_kv_embedded_init(&hand_kv, &hand_obj, "hand", table, NTABLE,
                               &hand_state);
}

static void test_table_sorted(void **state)
{
    size_t i;
    (void)state;
    for (i = 1; i < NTABLE; i++)
        assert_true(strcmp(table[i - 1].key, table[i].key) < 0);
}

static void test_stat(void **state)
{
    static const struct {
        const char *key;
        int err;
        enum uk_kv_kind kind;
        uint64_t size;
    } cases[] = {
        {"", 0, UK_KV_DIR, 0},         {"a", 0, UK_KV_DIR, 0},
        {"a.txt", 0, UK_KV_FILE, 3},   {"a/x", 0, UK_KV_FILE, 10},
        {"a/y", 0, UK_KV_DIR, 0},      {"a/y/z", 0, UK_KV_FILE, 0},
        {"b", 0, UK_KV_FILE, 1},       {"c", UK_ENOENT, 0, 0},
        {" ", UK_ENOENT, 0, 0},        {"\xff", UK_ENOENT, 0, 0},
        {"a/x/y", UK_ENOENT, 0, 0},    {"a/", UK_EINVAL, 0, 0},
        {"A", UK_ENOENT, 0, 0},        {"a.tx", UK_ENOENT, 0, 0},
    };
    struct uk_kv_ro *kv = hand();
    size_t i;
    (void)state;
    assert_string_equal(uk_kv_ro_id(kv), "hand");
    assert_true(uk_kv_is_embedded(kv));
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct uk_kv_stat st;
        int err = uk_kv_ro_stat(kv, cases[i].key, &st);
        if (err != cases[i].err)
            fail_msg("stat(\"%s\") = %s, want %s", cases[i].key,
                     uk_errname(err), uk_errname(cases[i].err));
        if (err != 0)
            continue;
        assert_int_equal(st.kind, cases[i].kind);
        assert_int_equal(st.size, cases[i].size);
        assert_int_equal(st.mtime_s, st.kind == UK_KV_DIR ? 7 : 9);
        if (st.kind == UK_KV_FILE)
            assert_int_equal(st.digest[2], 3);
    }
}

static void test_read_offsets(void **state)
{
    static const struct {
        uint64_t off;
        size_t len;
        const char *want;
    } cases[] = {
        {0, 4, "0123"},  {0, 10, "0123456789"}, {0, 100, "0123456789"},
        {8, 4, "89"},    {9, 1, "9"},           {10, 4, ""},
        {11, 4, ""},     {UINT64_MAX, 4, ""},   {3, 0, ""},
        {1ull << 32, 5, ""},
    };
    struct uk_kv_ro *kv = hand();
    size_t i, got;
    char buf[128];
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(buf, 'X', sizeof buf);
        got = 999;
        assert_int_equal(uk_kv_ro_read(kv, "a/x", cases[i].off, buf,
                                       cases[i].len, &got),
                         0);
        assert_int_equal(got, strlen(cases[i].want));
        assert_memory_equal(buf, cases[i].want, got);
        assert_int_equal(buf[got], 'X'); /* nothing written past got */
    }
    assert_int_equal(uk_kv_ro_read(kv, "a/y/z", 0, buf, 4, &got), 0);
    assert_int_equal(got, 0);
    assert_int_equal(uk_kv_ro_read(kv, "a", 0, buf, 4, &got), UK_EISDIR);
    assert_int_equal(uk_kv_ro_read(kv, "", 0, buf, 4, &got), UK_EISDIR);
    assert_int_equal(uk_kv_ro_read(kv, "zz", 0, buf, 4, &got), UK_ENOENT);
}

static void test_map(void **state)
{
    struct uk_kv_ro *kv = hand();
    const void *p;
    size_t len;
    (void)state;
    assert_true(uk_kv_ro_has_map(kv));
    assert_int_equal(uk_kv_ro_map(kv, "a/x", 0, &p, &len), 0);
    assert_ptr_equal(p, digits);
    assert_int_equal(len, 10);
    assert_int_equal(uk_kv_ro_map(kv, "a/x", 7, &p, &len), 0);
    assert_ptr_equal(p, digits + 7);
    assert_int_equal(len, 3);
    assert_int_equal(uk_kv_ro_map(kv, "a/x", 10, &p, &len), 0);
    assert_ptr_equal(p, digits + 10);
    assert_int_equal(len, 0);
    assert_int_equal(uk_kv_ro_map(kv, "a/x", UINT64_MAX, &p, &len), 0);
    assert_ptr_equal(p, digits + 10);
    assert_int_equal(len, 0);
    assert_int_equal(uk_kv_ro_map(kv, "a.txt", 1, &p, &len), 0);
    assert_ptr_equal(p, dot + 1);
    assert_int_equal(uk_kv_ro_map(kv, "a/y", 0, &p, &len), UK_EISDIR);
    assert_int_equal(uk_kv_ro_map(kv, "q", 0, &p, &len), UK_ENOENT);
}

/* Lists dir into names[] ("D:name" / "F:name"), joined by spaces. */
static int list_all(struct uk_kv_ro *kv, const char *dir, char *out,
                    size_t cap)
{
    struct uk_kv_entry e;
    size_t i;
    int err;
    out[0] = '\0';
    for (i = 0; (err = uk_kv_ro_list(kv, dir, i, &e)) == 0; i++) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%c:%s", i ? " " : "",
                 e.kind == UK_KV_DIR ? 'D' : 'F', e.name);
    }
    return err;
}

static void test_list(void **state)
{
    struct uk_kv_ro *kv = hand();
    struct uk_kv_entry e;
    char buf[256];
    (void)state;
    assert_int_equal(list_all(kv, "", buf, sizeof buf), UK_ENOENT);
    assert_string_equal(buf, "D:a F:a.txt F:b");
    assert_int_equal(list_all(kv, "a", buf, sizeof buf), UK_ENOENT);
    assert_string_equal(buf, "F:x D:y");
    assert_int_equal(list_all(kv, "a/y", buf, sizeof buf), UK_ENOENT);
    assert_string_equal(buf, "F:z");
    assert_int_equal(uk_kv_ro_list(kv, "a", 2, &e), UK_ENOENT);
    assert_int_equal(uk_kv_ro_list(kv, "a", SIZE_MAX, &e), UK_ENOENT);
    assert_int_equal(uk_kv_ro_list(kv, "a.txt", 0, &e), UK_ENOTDIR);
    assert_int_equal(uk_kv_ro_list(kv, "b", 0, &e), UK_ENOTDIR);
    assert_int_equal(uk_kv_ro_list(kv, "nope", 0, &e), UK_ENOENT);
    assert_int_equal(uk_kv_ro_list(kv, "a/", 0, &e), UK_EINVAL);
}

static void test_hostile_keys(void **state)
{
    static const char *const bad[] = {
        "/",     "/a",     "a/",     "a//x",  "./a",      "a/.",
        ".",     "..",     "../a",   "a/../b", "a\\x",    "\\",
        "a\x01", "\x1f",   "\x7f",   "a/\n",  "//",       "a/y/z/..",
    };
    struct uk_kv_ro *kv = hand();
    struct uk_kv_stat st;
    struct uk_kv_entry e;
    const void *p;
    size_t i, got, len;
    char buf[8], longkey[UK_KV_KEY_MAX + 64], longname[UK_KV_NAME_MAX + 2];
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(uk_kv_ro_stat(kv, bad[i], &st), UK_EINVAL);
        assert_int_equal(uk_kv_ro_read(kv, bad[i], 0, buf, 8, &got),
                         UK_EINVAL);
        assert_int_equal(uk_kv_ro_list(kv, bad[i], 0, &e), UK_EINVAL);
        assert_int_equal(uk_kv_ro_map(kv, bad[i], 0, &p, &len), UK_EINVAL);
    }
    /* Too long: a path of short components, and one long component. */
    for (i = 0; i + 2 < sizeof longkey; i += 2)
        memcpy(longkey + i, "a/", 2);
    longkey[i] = '\0';
    longkey[i - 1] = 'a';
    assert_int_equal(uk_kv_ro_stat(kv, longkey, &st), UK_ENAMETOOLONG);
    assert_int_equal(uk_kv_ro_list(kv, longkey, 0, &e), UK_ENAMETOOLONG);
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(uk_kv_ro_map(kv, longname, 0, &p, &len),
                     UK_ENAMETOOLONG);
    longname[UK_KV_NAME_MAX] = '\0'; /* longest valid name: just absent */
    assert_int_equal(uk_kv_ro_stat(kv, longname, &st), UK_ENOENT);
}

/* ---- disconnect completes later, on the loop ---- */

struct fake_time {
    struct uk_time time;
    struct uk_timer *deferred;
};

static void ft_start(struct uk_time *self, struct uk_timer *t, uint64_t d,
                     uk_timer_cb cb, void *arg)
{
    (void)self, (void)t, (void)d, (void)cb, (void)arg;
    fail_msg("start() not expected");
}

static void ft_cancel(struct uk_time *self, struct uk_timer *t)
{
    (void)self, (void)t;
}

static void ft_defer(struct uk_time *self, struct uk_timer *t, uk_timer_cb cb,
                     void *arg)
{
    struct fake_time *ft = UK_CONTAINER_OF(self, struct fake_time, time);
    assert_null(ft->deferred);
    t->cb = cb;
    t->arg = arg;
    ft->deferred = t;
}

static uint64_t ft_now(struct uk_time *self)
{
    (void)self;
    return 0;
}

static const struct uk_time_ops ft_ops = {ft_start, ft_cancel, ft_defer,
                                          ft_now};

static void count_cb(void *arg)
{
    ++*(int *)arg;
}

static void test_disconnect(void **state)
{
    struct fake_time ft = {{&ft_ops}, NULL};
    struct uk_kv_ro *kv = hand();
    struct uk_timer *t;
    int calls = 0;
    (void)state;
    uk_kv_ro_disconnect(kv, NULL, NULL); /* no callback: nothing to do */
    uk_kv_embedded_bind_time(kv, &ft.time);
    uk_kv_ro_disconnect(kv, count_cb, &calls);
    assert_int_equal(calls, 0); /* never from inside the call */
    assert_non_null(ft.deferred);
    t = ft.deferred;
    t->cb(t->arg);
    assert_int_equal(calls, 1);
}

/* The generated tree store completes on the image's uk_default_time()
 * (uk-embed -t, as uk_unikernel passes it): here, a fake. */
static struct fake_time default_ft = {{&ft_ops}, NULL};
static int default_time_calls;

struct uk_time *uk_default_time(void);
struct uk_time *uk_default_time(void)
{
    default_time_calls++;
    return &default_ft.time;
}

extern struct uk_kv_ro uk__kv_kv_embedded_tree;

static void test_generated_disconnect(void **state)
{
    struct uk_timer *t;
    int calls = 0;
    (void)state;
    uk_kv_ro_disconnect(&uk__kv_kv_embedded_tree, count_cb, &calls);
    assert_int_equal(default_time_calls, 1);
    assert_int_equal(calls, 0);
    t = default_ft.deferred;
    assert_non_null(t);
    t->cb(t->arg);
    assert_int_equal(calls, 1);
}

/* ---- generated stores against their directories ---- */

extern struct uk_kv_ro uk__kv_kv_embedded_odd;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL;
    size_t cap = 0, r;
    assert_non_null(f);
    *n = 0;
    do {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            p = realloc(p, cap);
            assert_non_null(p);
        }
        r = fread(p + *n, 1, cap - *n, f);
        *n += r;
    } while (r > 0);
    fclose(f);
    return p;
}

static void check_file(struct uk_kv_ro *kv, const char *key, const char *path)
{
    struct uk_kv_stat st;
    uint8_t dg[UK_KV_DIGEST_LEN];
    unsigned char buf[777];
    const void *p;
    size_t n, len, off, got;
    unsigned char *want = slurp(path, &n);
    assert_int_equal(uk_kv_ro_stat(kv, key, &st), 0);
    assert_int_equal(st.kind, UK_KV_FILE);
    assert_int_equal(st.size, n);
    uk_kv_digest_of(want, n, dg);
    assert_memory_equal(st.digest, dg, sizeof dg);
    for (off = 0; off < n; off += got) { /* odd-sized reads */
        assert_int_equal(uk_kv_ro_read(kv, key, off, buf, sizeof buf, &got),
                         0);
        assert_true(got > 0);
        assert_memory_equal(buf, want + off, got);
    }
    assert_int_equal(off, n);
    assert_int_equal(uk_kv_ro_map(kv, key, 0, &p, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(p, want, n);
    assert_int_equal(((const unsigned char *)p)[n], 0); /* NUL after */
    free(want);
}

/* Compares the store's directory key with the directory path, recursively;
 * returns how many entries it checked. */
static size_t check_dir(struct uk_kv_ro *kv, const char *key, const char *path)
{
    char *names[256];
    size_t n = 0, i, count = 1;
    struct dirent *de;
    struct uk_kv_entry e;
    struct uk_kv_stat st;
    DIR *d = opendir(path);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        assert_true(n < 256);
        names[n] = malloc(strlen(de->d_name) + 1);
        strcpy(names[n++], de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    assert_int_equal(uk_kv_ro_stat(kv, key, &st), 0);
    assert_int_equal(st.kind, UK_KV_DIR);
    for (i = 0; i < n; i++) {
        char ckey[UK_KV_KEY_MAX + 1], cpath[4096];
        assert_int_equal(uk_kv_ro_list(kv, key, i, &e), 0);
        assert_string_equal(e.name, names[i]);
        snprintf(ckey, sizeof ckey, "%s%s%s", key, *key ? "/" : "", e.name);
        snprintf(cpath, sizeof cpath, "%s/%s", path, e.name);
        if (e.kind == UK_KV_DIR)
            count += check_dir(kv, ckey, cpath);
        else {
            check_file(kv, ckey, cpath);
            count++;
        }
        free(names[i]);
    }
    assert_int_equal(uk_kv_ro_list(kv, key, n, &e), UK_ENOENT);
    return count;
}

static void check_tree(struct uk_kv_ro *kv, const char *envvar,
                       const char *rel, size_t want_entries)
{
    const char *base = getenv(envvar);
    char path[4096];
    if (base == NULL)
        skip(); /* run by ctest, which sets UK_SOURCE_DIR/UK_BINARY_DIR */
    snprintf(path, sizeof path, "%s/%s", base, rel);
    assert_int_equal(check_dir(kv, "", path), want_entries);
}

static void test_generated_tree(void **state)
{
    struct uk_kv_stat st;
    (void)state;
    assert_true(uk_kv_is_embedded(&uk__kv_kv_embedded_tree));
    assert_string_equal(uk_kv_ro_id(&uk__kv_kv_embedded_tree), "tree");
    /* "", a, a-z, a.txt, a/b, a/b.txt, a/b/c.txt, a/b/empty, bin.dat, css,
     * css/site.css, index.html */
    check_tree(&uk__kv_kv_embedded_tree, "UK_SOURCE_DIR", "tests/kv/tree",
               12);
    assert_int_equal(uk_kv_ro_stat(&uk__kv_kv_embedded_tree, "a/b/empty",
                                   &st),
                     0);
    assert_int_equal(st.size, 0);
}

static void test_generated_odd_names(void **state)
{
    (void)state;
    check_tree(&uk__kv_kv_embedded_odd, "UK_BINARY_DIR", "tests/kv/odd", 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted),
        cmocka_unit_test(test_stat),
        cmocka_unit_test(test_read_offsets),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_hostile_keys),
        cmocka_unit_test(test_disconnect),
        cmocka_unit_test(test_generated_tree),
        cmocka_unit_test(test_generated_odd_names),
        cmocka_unit_test(test_generated_disconnect), /* last: ends the store */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
