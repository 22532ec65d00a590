/*
 * xen_selftest.c - checks the Xen platform from inside a guest and logs one
 * "selftest: ..." line per check; exits 0 when every check passed.  The
 * host side (tests/xen/boot_selftest.sh) also asserts the lines.
 *
 * With --fault it executes an invalid instruction instead: the image must
 * report the CPU exception and crash the domain.
 *
 * Xenstore paths are relative to /local/domain/<domid>, where the
 * toolstack lets the guest write under data/.
 */
#include <stdio.h>
#include <string.h>

#include <uk/target.h>

#include "grant.h"
#include "pages.h"
#include "xenstore.h"

static struct uk_console *con;
static int failures;
static int watch_events;
static struct uk_timer give_up;

static void check(bool ok, const char *what, int rc)
{
    uk_console_printf(con, "selftest: %s %s (%s)", ok ? "ok" : "FAIL", what,
                      rc == 0 ? "0" : uk_strerror(rc));
    if (!ok)
        failures++;
}

static void on_watch(void *arg, const char *path, const char *token)
{
    UK_UNUSED(arg);
    watch_events++;
    uk_console_printf(con, "selftest: watch event %d path=%s token=%s",
                      watch_events, path, token);
    if (watch_events == 1) {
        /* The registration event; now a change must fire another. */
        int rc = uk__xs_write(0, "data/uk-watched", "changed");
        check(rc == 0, "write to a watched key", rc);
    } else if (watch_events == 2) {
        int rc = uk__xs_unwatch("data/uk-watched", "tok1");
        check(rc == 0 && strcmp(token, "tok1") == 0, "watch fired on change",
              rc);
        uk_time_cancel(uk_default_time(), &give_up);
        uk_exit(failures == 0 ? 0 : 1);
    }
}

static void timeout(void *arg)
{
    UK_UNUSED(arg);
    check(false, "watch events arrived in time", UK_ETIMEDOUT);
    uk_exit(1);
}

static void xenstore_checks(void)
{
    char buf[128];
    size_t len = 0;
    unsigned n = 0;
    uint32_t tx = 0;
    int rc;
    rc = uk__xs_read(0, "name", buf, sizeof buf, &len);
    uk_console_printf(con, "selftest: name=%s", rc == 0 ? buf : "?");
    check(rc == 0 && len > 0, "read own name", rc);
    rc = uk__xs_write(0, "data/uk-test", "hello xenstore");
    check(rc == 0, "write data/uk-test", rc);
    rc = uk__xs_read(0, "data/uk-test", buf, sizeof buf, &len);
    check(rc == 0 && strcmp(buf, "hello xenstore") == 0,
          "read back data/uk-test", rc);
    rc = uk__xs_read(0, "data/no-such-key", buf, sizeof buf, NULL);
    check(rc == UK_ENOENT, "missing key is ENOENT", 0);
    rc = uk__xs_read(0, "data/uk-test", buf, 4, &len);
    check(rc == UK_EMSGSIZE && len == 3, "short buffer is EMSGSIZE", 0);
    rc = uk__xs_directory(0, "data", buf, sizeof buf, &n);
    check(rc == 0 && n >= 1, "directory data", rc);
    rc = uk__xs_tx_start(&tx);
    check(rc == 0 && tx != 0, "transaction start", rc);
    if (rc == 0) {
        rc = uk__xs_write(tx, "data/uk-tx", "committed");
        check(rc == 0, "write in transaction", rc);
        rc = uk__xs_tx_end(tx, 1);
        check(rc == 0, "transaction commit", rc);
        rc = uk__xs_read(0, "data/uk-tx", buf, sizeof buf, NULL);
        check(rc == 0 && strcmp(buf, "committed") == 0,
              "transaction result visible", rc);
    }
    rc = uk__xs_rm(0, "data/uk-tx");
    check(rc == 0, "rm data/uk-tx", rc);
}

static void grant_checks(void)
{
    void *page = uk__xen_pages_alloc(1);
    uint32_t ref = 0;
    int rc = uk__gnt_init(4);
    check(rc == 0 && uk__gnt_free_count() > 0, "grant table mapped", rc);
    if (rc != 0 || page == NULL) {
        uk__xen_pages_free(page, 1);
        return;
    }
    rc = uk__gnt_grant(0, (uint64_t)(uintptr_t)page >> 12, false, &ref);
    check(rc == 0 && ref >= 8, "grant a page to dom0", rc);
    rc = uk__gnt_end(ref);
    check(rc == 0, "revoke the grant", rc);
    rc = uk__gnt_end(ref);
    check(rc == UK_EINVAL, "revoking twice is EINVAL", 0);
    uk__xen_pages_free(page, 1);
}

/* The budget is the RAM Xen gave beyond the image: most of it. */
static void budget_checks(void)
{
    struct uk_mem_stats s;
    size_t before;
    void *p;
    uk_mem_stats(uk_default_mem(), &s);
    before = s.used; /* the grant table's pages and free list */
    check(s.total >= (1u << 20), "memory budget from the memory map", 0);
    p = uk_mem_alloc(uk_default_mem(), s.total / 2);
    check(p != NULL, "half the budget in one block", 0);
    uk_mem_free(uk_default_mem(), p, s.total / 2);
    uk_mem_stats(uk_default_mem(), &s);
    check(s.used == before && s.peak >= before + s.total / 2,
          "budget given back", 0);
}

static bool fault;
static const struct uk_opt opts[] = {
    {"fault", UK_OPT_FLAG, &fault,
     "execute an invalid instruction (checks the fatal-error path)", 0, 0,
     NULL},
    UK_OPT_END,
};

int uk_main(int argc, char **argv)
{
    int rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    con = uk_default_console();
    if (fault) {
        uk_console_printf(con, "selftest: executing ud2");
        __asm__ volatile("ud2");
    }
    uk_console_printf(con, "selftest: entropy source %s",
                      uk_entropy_source(uk_default_entropy()));
    rc = uk__xs_init();
    check(rc == 0, "xenstore ring found", rc);
    if (rc != 0)
        return 1;
    xenstore_checks();
    grant_checks();
    budget_checks();
    rc = uk__xs_watch("data/uk-watched", "tok1", on_watch, NULL);
    check(rc == 0, "watch data/uk-watched", rc);
    if (rc != 0)
        return 1;
    uk_time_after(uk_default_time(), &give_up, 10 * UK_NS_PER_S, timeout,
                  NULL);
    return UK_RUN;
}
