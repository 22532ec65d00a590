/*
 * unix_kv_test.c - a directory as KV_RO: confinement against hostile keys
 * and symbolic links (each refused with the documented error, nothing read
 * outside), listing order, ranges, digests, and uk_default_kv_ro over the
 * image's declarations.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <uk/kv_decl.h>
#include <uk/target.h>
#include <uk/unix.h>

/* The image's store declarations: "site" is the test directory. */
static char site_dir[256];
const struct uk_kv_decl uk__kv_decls[] = {
    {"site", site_dir, NULL},
    {NULL, NULL, NULL},
};

static char root[128];    /* a scratch directory holding store/ and secret */
static char outside[300]; /* a file outside the store */
static struct uk_unix_kv_dir D;
static struct uk_kv_ro *kv;

static void put(const char *rel, const char *content)
{
    char p[512];
    FILE *f;
    snprintf(p, sizeof p, "%s/%s", site_dir, rel);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static void rm_tree(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    char p[512];
    FILE *f;
    (void)state;
    snprintf(root, sizeof root, "/tmp/uk-kv-XXXXXX");
    assert_non_null(mkdtemp(root));
    snprintf(site_dir, sizeof site_dir, "%s/store", root);
    assert_int_equal(mkdir(site_dir, 0755), 0);
    snprintf(outside, sizeof outside, "%s/secret", root);
    f = fopen(outside, "w");
    assert_non_null(f);
    fputs("SECRET", f);
    fclose(f);
    /* Created in non-sorted order. */
    put("b", "bee");
    put("a.txt", "hello, world");
    put("Z", "zed");
    put("%2e%2e", "literal");
    snprintf(p, sizeof p, "%s/sub", site_dir);
    assert_int_equal(mkdir(p, 0755), 0);
    put("sub/c.css", "body{}");
    snprintf(p, sizeof p, "%s/etc", site_dir);
    assert_int_equal(symlink("/etc", p), 0);
    snprintf(p, sizeof p, "%s/out", site_dir);
    assert_int_equal(symlink(outside, p), 0);
    snprintf(p, sizeof p, "%s/in", site_dir);
    assert_int_equal(symlink("a.txt", p), 0);
    snprintf(p, sizeof p, "%s/sub/up", site_dir);
    assert_int_equal(symlink("..", p), 0);
    snprintf(p, sizeof p, "%s/fifo", site_dir);
    assert_int_equal(mkfifo(p, 0644), 0);
    assert_int_equal(uk_unix_kv_dir_open(&D, site_dir), 0);
    kv = &D.kv;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    uk_kv_ro_disconnect(kv, NULL, NULL);
    rm_tree(root);
    return 0;
}

static void test_hostile_keys(void **state)
{
    static const struct {
        const char *key;
        int err;
    } cases[] = {
        {"../x", UK_EINVAL},
        {"/etc/passwd", UK_EINVAL},
        {"a/../../b", UK_EINVAL},
        {"..", UK_EINVAL},
        {".", UK_EINVAL},
        {"sub/../a.txt", UK_EINVAL},
        {"a\\b", UK_EINVAL},
        {"..\\secret", UK_EINVAL},
        {"sub//c.css", UK_EINVAL},
        {"sub/", UK_EINVAL},
        {"a\ttab", UK_EINVAL},
        {"etc", UK_EACCES},         /* symlink to /etc */
        {"etc/passwd", UK_EACCES},  /* through it */
        {"out", UK_EACCES},         /* symlink to a file outside */
        {"in", UK_EACCES},          /* even one that stays inside */
        {"sub/up/secret", UK_EACCES},
        {"sub/up/store/a.txt", UK_EACCES},
        {"fifo", UK_EACCES},        /* not a file or a directory */
        {"missing", UK_ENOENT},
        {"a.txt/x", UK_ENOENT},     /* a file used as a directory */
        {"secret", UK_ENOENT},      /* lives next to the store, not in it */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct uk_kv_stat st;
        char buf[64];
        size_t got = 99;
        memset(buf, 0, sizeof buf);
        if (uk_kv_ro_stat(kv, cases[i].key, &st) != cases[i].err)
            fail_msg("stat(\"%s\") != %s", cases[i].key,
                     uk_errname(cases[i].err));
        if (uk_kv_ro_read(kv, cases[i].key, 0, buf, sizeof buf, &got) !=
            cases[i].err)
            fail_msg("read(\"%s\") != %s", cases[i].key,
                     uk_errname(cases[i].err));
        assert_int_equal(got, 0);
        assert_null(strstr(buf, "SECRET"));
        assert_null(strstr(buf, "root:"));
    }
}

static void test_long_keys(void **state)
{
    char key[2100];
    struct uk_kv_stat st;
    (void)state;
    memset(key, 'a', 300);
    key[300] = '\0';
    assert_int_equal(uk_kv_ro_stat(kv, key, &st), UK_ENAMETOOLONG);
    memset(key, 'a', 255);
    key[255] = '\0';
    assert_int_equal(uk_kv_ro_stat(kv, key, &st), UK_ENOENT);
    memset(key, 0, sizeof key);
    {
        size_t i;
        for (i = 0; i + 2 < 2000; i += 2)
            memcpy(key + i, "d/", 2);
        key[i] = 'x';
    }
    assert_int_equal(uk_kv_ro_stat(kv, key, &st), UK_ENAMETOOLONG);
}

static void test_literal_percent_name(void **state)
{
    char buf[16];
    size_t got;
    (void)state;
    assert_int_equal(uk_kv_ro_read(kv, "%2e%2e", 0, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 7);
    assert_memory_equal(buf, "literal", 7);
}

static void test_read_ranges(void **state)
{
    char buf[64];
    size_t got;
    struct uk_kv_stat st;
    (void)state;
    assert_int_equal(uk_kv_ro_stat(kv, "a.txt", &st), 0);
    assert_int_equal(st.kind, UK_KV_FILE);
    assert_int_equal(st.size, 12);
    assert_true(st.mtime_s > 0);
    assert_int_equal(uk_kv_ro_read(kv, "a.txt", 7, buf, 3, &got), 0);
    assert_int_equal(got, 3);
    assert_memory_equal(buf, "wor", 3);
    assert_int_equal(uk_kv_ro_read(kv, "a.txt", 7, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 5);
    assert_int_equal(uk_kv_ro_read(kv, "a.txt", 12, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 0);
    assert_int_equal(uk_kv_ro_read(kv, "a.txt", 1000, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 0);
    assert_int_equal(uk_kv_ro_read(kv, "sub/c.css", 0, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 6);
    assert_int_equal(uk_kv_ro_read(kv, "sub", 0, buf, sizeof buf, &got),
                     UK_EISDIR);
    assert_int_equal(uk_kv_ro_stat(kv, "sub", &st), 0);
    assert_int_equal(st.kind, UK_KV_DIR);
    assert_int_equal(uk_kv_ro_stat(kv, "", &st), 0);
    assert_int_equal(st.kind, UK_KV_DIR);
    {
        const void *data;
        size_t len;
        assert_int_equal(uk_kv_ro_map(kv, "a.txt", 0, &data, &len),
                         UK_ENOTSUP);
    }
}

static void test_list_sorted(void **state)
{
    static const char *const want[] = {"%2e%2e", "Z", "a.txt", "b", "sub"};
    struct uk_kv_entry e;
    size_t i;
    (void)state;
    for (i = 0; i < 5; i++) {
        assert_int_equal(uk_kv_ro_list(kv, "", i, &e), 0);
        assert_string_equal(e.name, want[i]);
        assert_int_equal(e.kind, i == 4 ? UK_KV_DIR : UK_KV_FILE);
    }
    /* Links and the FIFO are not listed. */
    assert_int_equal(uk_kv_ro_list(kv, "", 5, &e), UK_ENOENT);
    assert_int_equal(uk_kv_ro_list(kv, "sub", 0, &e), 0);
    assert_string_equal(e.name, "c.css");
    assert_int_equal(uk_kv_ro_list(kv, "sub", 1, &e), UK_ENOENT);
    assert_int_equal(uk_kv_ro_list(kv, "a.txt", 0, &e), UK_ENOTDIR);
    assert_int_equal(uk_kv_ro_list(kv, "nope", 0, &e), UK_ENOENT);
    assert_int_equal(uk_kv_ro_list(kv, "etc", 0, &e), UK_EACCES);
    assert_int_equal(uk_kv_ro_list(kv, "../", 0, &e), UK_EINVAL);
}

static void test_digest_changes_with_content(void **state)
{
    struct uk_kv_stat a, b, c;
    char p[512];
    struct timespec ts[2];
    (void)state;
    assert_int_equal(uk_kv_ro_stat(kv, "b", &a), 0);
    assert_int_equal(uk_kv_ro_stat(kv, "b", &b), 0);
    assert_memory_equal(a.digest, b.digest, UK_KV_DIGEST_LEN);
    assert_int_equal(uk_kv_ro_stat(kv, "Z", &c), 0);
    assert_memory_not_equal(a.digest, c.digest, UK_KV_DIGEST_LEN);
    put("b", "bea"); /* same size: only the mtime tells */
    snprintf(p, sizeof p, "%s/b", site_dir);
    ts[0].tv_sec = ts[1].tv_sec = 1000000000;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
    assert_int_equal(uk_kv_ro_stat(kv, "b", &b), 0);
    assert_int_equal(b.mtime_s, 1000000000);
    assert_memory_not_equal(a.digest, b.digest, UK_KV_DIGEST_LEN);
}

static void test_open_errors(void **state)
{
    struct uk_unix_kv_dir d;
    char p[512];
    (void)state;
    assert_int_equal(uk_unix_kv_dir_open(&d, "/nonexistent/uk-kv"), UK_ENOENT);
    snprintf(p, sizeof p, "%s/a.txt", site_dir);
    assert_int_equal(uk_unix_kv_dir_open(&d, p), UK_ENOTDIR);
}

/* uk_default_kv_ro over the declarations; --kv-NAME=DIR overrides the
 * declared directory (given before the store is first opened). */
static void test_kv_option(void **state)
{
    char arg[300];
    char *bad[] = {"t", "--kv-nope=/tmp", NULL};
    char *missing[] = {"t", "--kv-site=/nonexistent/uk", NULL};
    char *good[] = {"t", arg, NULL};
    struct uk_kv_ro *s, *t;
    struct uk_kv_stat st;
    (void)state;
    assert_int_equal(uk_parse_options(NULL, 2, bad), 2);
    assert_int_equal(uk_parse_options(NULL, 2, missing), UK_RUN);
    assert_int_equal(uk_default_kv_ro("site", &s), UK_ENOENT);
    snprintf(arg, sizeof arg, "--kv-site=%s/sub", site_dir);
    assert_int_equal(uk_parse_options(NULL, 2, good), UK_RUN);
    assert_int_equal(uk_default_kv_ro("site", &s), 0);
    assert_int_equal(uk_kv_ro_stat(s, "c.css", &st), 0);
    assert_int_equal(uk_kv_ro_stat(s, "up", &st), UK_EACCES);
    /* Asking again gives the same store. */
    assert_int_equal(uk_default_kv_ro("site", &t), 0);
    assert_ptr_equal(s, t);
    assert_int_equal(uk_default_kv_ro("nope", &t), UK_ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hostile_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literal_percent_name, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest_changes_with_content,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kv_option, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
