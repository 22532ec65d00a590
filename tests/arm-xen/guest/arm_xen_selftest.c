/*
 * arm_xen_selftest.c - checks the arm-xen platform from inside a guest and
 * logs one "selftest: ok|FAIL ..." line per check; exits 0 when every
 * check passed (tests/arm-xen/boot_selftest.sh asserts the lines too).
 *
 *   timers   deadlines given out of order fire in deadline order, never
 *            before their deadline (by the guest's own clock), and a
 *            cancelled timer never fires.  The only upper bound is a
 *            generous hang guard: machines are noisy.
 *   clock    the monotonic clock never steps back.
 *   events   an event channel bound to ourselves (alloc_unbound, then
 *            bind_interdomain) delivers a notification to its callback:
 *            exercises the ARM shared_info layout and event dispatch.
 *
 * With --fault it executes an undefined instruction instead: the image
 * must report the CPU exception and crash the domain.
 */
#include <stdio.h>

#include <uk/target.h>

#include "xen.h"

#define NTIMERS 7
#define GUARD_NS (10 * UK_NS_PER_S)

static struct uk_console *con;
static struct uk_time *tm;
static int failures;

static void check(bool ok, const char *what)
{
    uk_console_printf(con, "selftest: %s %s", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

/* ---- timers ---- */

static const unsigned delays_ms[NTIMERS] = {400, 100, 300, 0, 50, 200, 100};
static struct {
    struct uk_timer t;
    uint64_t deadline, fired_at;
    int order;
} timers[NTIMERS];
static struct uk_timer cancelled, guard;
static int nfired;
static bool cancelled_fired;

static void events_start(void);

static void timers_done(void)
{
    char what[120];
    int i, early = 0, late = 0, misordered = 0;
    for (i = 0; i < NTIMERS; i++) {
        int j;
        if (timers[i].fired_at < timers[i].deadline)
            early++;
        if (timers[i].fired_at - timers[i].deadline > GUARD_NS)
            late++;
        for (j = 0; j < NTIMERS; j++)
            if (timers[j].deadline < timers[i].deadline &&
                timers[j].order > timers[i].order)
                misordered++;
        uk_console_printf(con, "timer %d: +%u ms, fired %llu us after "
                          "its deadline, #%d",
                          i, delays_ms[i],
                          (unsigned long long)(timers[i].fired_at -
                                               timers[i].deadline) / 1000,
                          timers[i].order);
    }
    snprintf(what, sizeof what, "timers fired in deadline order (%d "
             "misordered)", misordered);
    check(misordered == 0, what);
    snprintf(what, sizeof what, "no timer fired before its deadline (%d "
             "early)", early);
    check(early == 0, what);
    check(late == 0, "every timer fired within the 10 s hang guard");
    check(!cancelled_fired, "a cancelled timer did not fire");
    events_start();
}

static void timer_fired(void *arg)
{
    int i = (int)(intptr_t)arg;
    timers[i].fired_at = uk_time_now_ns(tm);
    timers[i].order = nfired++;
    if (nfired == NTIMERS)
        timers_done();
}

static void cancelled_cb(void *arg)
{
    UK_UNUSED(arg);
    cancelled_fired = true;
}

static void timers_start(void)
{
    uint64_t now = uk_time_now_ns(tm);
    int i;
    for (i = 0; i < NTIMERS; i++) {
        timers[i].deadline = now + (uint64_t)delays_ms[i] * 1000000u;
        uk_time_start(tm, &timers[i].t, timers[i].deadline, timer_fired,
                      (void *)(intptr_t)i);
    }
    uk_time_start(tm, &cancelled, now + 150 * 1000000u, cancelled_cb, NULL);
    uk_time_cancel(tm, &cancelled);
}

/* ---- events: a channel to ourselves ---- */

#define EVTCHNOP_BIND_INTERDOMAIN 0
struct bind_interdomain {
    uint16_t remote_dom;
    uint16_t pad;
    uint32_t remote_port; /* in */
    uint32_t local_port;  /* out */
};

static uint32_t port_a, port_b;
static int event_count;

static void on_event(void *arg, uint32_t port)
{
    UK_UNUSED(arg);
    event_count++;
    check(port == port_b, "event delivered on the bound port");
    uk_time_cancel(tm, &guard);
    uk_exit(failures == 0 ? 0 : 1);
}

static void events_start(void)
{
    struct uk_xen_evtchn_alloc_unbound a = {UK_XEN_DOMID_SELF,
                                            UK_XEN_DOMID_SELF, 0};
    struct bind_interdomain b = {UK_XEN_DOMID_SELF, 0, 0, 0};
    long rc = uk__xen_evtchn_op(UK_XEN_EVTCHNOP_ALLOC_UNBOUND, &a);
    check(rc == 0, "event channel allocated");
    if (rc != 0) {
        uk_exit(1);
        return;
    }
    port_a = a.port;
    b.remote_port = port_a;
    rc = uk__xen_evtchn_op(EVTCHNOP_BIND_INTERDOMAIN, &b);
    check(rc == 0, "event channel bound to ourselves");
    if (rc != 0) {
        uk_exit(1);
        return;
    }
    port_b = b.local_port;
    check(uk__xen_evtchn_bind(port_b, on_event, NULL) == 0,
          "callback bound");
    uk__xen_evtchn_notify(port_a);
}

static void hang_guard(void *arg)
{
    UK_UNUSED(arg);
    uk_console_printf(con, "selftest: FAIL gave up after 20 s (%d of %d "
                      "timers, %d events)",
                      nfired, NTIMERS, event_count);
    uk_exit(1);
}

static bool fault;
static const struct uk_opt opts[] = {
    {"fault", UK_OPT_FLAG, &fault,
     "execute an undefined instruction (the image must crash)", 0, 0,
     NULL},
    UK_OPT_END,
};

int uk_main(int argc, char **argv)
{
    uint64_t prev, now;
    int i, rc = uk_parse_options(opts, argc, argv);
    bool mono = true;
    if (rc != UK_RUN)
        return rc;
    con = uk_default_console();
    tm = uk_default_time();
    if (fault) {
        uk_console_printf(con, "selftest: executing an undefined "
                          "instruction");
        __asm__ volatile(".word 0xe7f000f0"); /* undefined on A64 and A32 */
    }
    prev = uk_clock_monotonic_ns(uk_default_clock());
    for (i = 0; i < 100000; i++) {
        now = uk_clock_monotonic_ns(uk_default_clock());
        if (now < prev)
            mono = false;
        prev = now;
    }
    check(mono, "the monotonic clock never stepped back");
    uk_console_printf(con, "selftest: target %s, entropy %s, wall clock "
                      "%lld s",
                      uk_target_name(),
                      uk_entropy_source(uk_default_entropy()),
                      (long long)(uk_clock_wall_ns(uk_default_clock()) /
                                  UK_NS_PER_S));
    timers_start();
    uk_time_after(tm, &guard, 2 * GUARD_NS, hang_guard, NULL);
    return UK_RUN;
}
