/*
 * xen_fakes.c - fakes of the Xen platform for host tests (xen_fakes.h).
 */
#include <stddef.h>
#include <stdint.h>

#include <uk/target.h>

#include "fake_clock.h"
#include "xen.h"
#include "xen_fakes.h"
#include "xenstore.h"

static struct fake_clock clk;
struct uk_loop xf_loop;
int xf_notifies, xf_sources;

void uk__xen_evtchn_notify(uint32_t port) { (void)port; xf_notifies++; }
uint64_t uk__xen_system_ns(void) { return 0; }
void uk__xen_sources_add(int delta) { xf_sources += delta; }
int uk__xs_write(uint32_t tx, const char *p, const char *v)
{ (void)tx; (void)p; (void)v; return 0; }
int uk__xs_unwatch(const char *p, const char *t) { (void)p; (void)t; return 0; }

struct uk_time *uk_default_time(void) { return &xf_loop.time; }

static int con_log(struct uk_console *self, const char *line, size_t len)
{ (void)self; (void)line; (void)len; return 0; }
static const struct uk_console_ops con_ops = {.log = con_log};
static struct uk_console con = {&con_ops};
struct uk_console *uk_default_console(void) { return &con; }

void xf_init(void)
{
    fake_clock_init(&clk, 0, 0);
    uk_loop_init(&xf_loop, &clk.clock, NULL);
    xf_notifies = xf_sources = 0;
}

void xf_run(void)
{
    while (uk_loop_run_once(&xf_loop, false))
        ;
}
