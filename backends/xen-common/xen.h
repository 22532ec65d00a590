/*
 * xen.h - shared-internal interface of the portable Xen guest code
 * (backends/xen-common), and what each architecture's glue must provide.
 *
 * The portable code (console ring, event channels, Xen system time, the
 * event-loop poller, start-up and shutdown, the uk/target.h singletons)
 * talks to the hypervisor only through uk__xen_hypercall and the few arch
 * hooks below, so x86-64 PVH (backends/xen-netfront) and arm64 can share
 * it.
 */
#ifndef UK_XEN_H
#define UK_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/loop.h>

#include "xen_abi.h"

#if defined(__GNUC__)
#define UK__NORETURN __attribute__((noreturn))
#else
#define UK__NORETURN
#endif

/* ---- provided by the architecture glue ---- */

/* Issues hypercall nr with up to three arguments; returns Xen's result
 * (0 or a negative Xen errno). */
long uk__xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2,
                       unsigned long a3);

/* The shared_info page, mapped by the glue before uk__xen_start. */
extern struct uk_xen_shared_info *uk__xen_shared;

/* A free-running counter (x86: the TSC, scaled by vcpu_time_info in
 * pvtime.c; arm: the virtual counter).  Also a weak entropy source. */
uint64_t uk__xen_arch_counter(void);

/* Waits for an event: returns at once if *pending is non-zero, otherwise
 * sleeps until an event-channel upcall (or any interrupt) arrives. */
void uk__xen_arch_idle(const volatile uint64_t *pending);

/* Writes bytes to the early debug console (x86: I/O port 0xE9). */
void uk__xen_arch_debug_write(const char *s, size_t len);

/* A hardware random 64-bit value (x86: RDRAND); false if unavailable. */
bool uk__xen_arch_hw_random(uint64_t *out);

/* Name of the target ("xen", "arm-xen"). */
extern const char uk__xen_target_name[];

/* ---- provided by xen-common ---- */

/* Start-up after the glue has set up hypercalls and shared_info: brings up
 * the console, clock and event channels, splits cmdline into argv, runs
 * uk_main and the loop, and shuts down with the exit status. */
UK__NORETURN void uk__xen_start(const char *cmdline);

/* Shuts the domain down: poweroff after logging "uk: exit N" (the host
 * tool reads the status from that line). */
UK__NORETURN void uk__xen_exit(int status);

/* Logs "uk: fatal: msg" on every console and crashes the domain. */
UK__NORETURN void uk__xen_panic(const char *msg);

/* Console ring (console.c).  Until it is up, lines go to the debug port
 * only.  Returns 0 or UK_EIO. */
int uk__xen_console_init(void);
/* True once the ring is up (before, lines go to the debug port only). */
bool uk__xen_console_has_ring(void);
/* Writes one line (newline appended) to the ring and the debug port. */
void uk__xen_console_line(const char *line, size_t len);

/* Event channels (evtchn.c). */
typedef void (*uk__xen_evtchn_cb)(void *arg, uint32_t port);
/* Routes events on port to cb(arg) (called from the loop's poller) and
 * unmasks the port.  Returns 0, UK_EINVAL (port out of range) or UK_EIO. */
int uk__xen_evtchn_bind(uint32_t port, uk__xen_evtchn_cb cb, void *arg);
/* Binds a virtual IRQ of vCPU 0 to a new port; returns it in *port. */
int uk__xen_evtchn_bind_virq(uint32_t virq, uint32_t *port);
/* Notifies the other end of port. */
void uk__xen_evtchn_notify(uint32_t port);
/* Clears and dispatches every pending port; returns how many fired. */
int uk__xen_evtchn_dispatch(void);

/* Xen system time in ns: pvtime.c on x86 (vcpu_time_info); the arm glue
 * reads the generic timer's virtual counter (ns since the domain was
 * built: never ahead of Xen's own system time, so timeouts given to Xen
 * in it end early, never late).  CLOCK (clock.c) is built on it. */
uint64_t uk__xen_system_ns(void);
/* The one-shot wake-up of the loop's poller (pvtime.c on x86, the arm
 * glue's generic timer): init panics when it cannot be set up; set arms
 * it for deadline_ns (system time; UK_TIME_NEVER: none), after which
 * uk__xen_arch_idle returns. */
void uk__xen_timer_init(void);
void uk__xen_timer_set(uint64_t deadline_ns);

/* Hypercall helpers (hcall.c). */
long uk__xen_hvm_get_param(uint32_t index, uint64_t *value);
long uk__xen_hvm_set_param(uint32_t index, uint64_t value);
long uk__xen_sched_shutdown(uint32_t reason);
long uk__xen_evtchn_op(unsigned cmd, void *arg);
long uk__xen_vcpu_op(unsigned cmd, unsigned vcpu, void *arg);

/* The event loop of the image (loop.c). */
struct uk_loop *uk__xen_loop(void);
/* Counts devices that can still raise events (the loop does not drain
 * while any is open): +1 when one opens, -1 when it closes. */
void uk__xen_sources_add(int delta);

/* Watches control/shutdown so `xl shutdown` stops the image cleanly
 * (control.c); does nothing without xenstore. */
void uk__xen_control_init(void);

/* The direct stack over vif 0 (stack.c), built on first use without TCP;
 * stack_tcp.c attaches TCP when the application asks for it.  Returns 0
 * and *out, or the error already logged. */
struct uk_tcpip_stackv4;
int uk__xen_stack(struct uk_tcpip_stackv4 **out);

/* The network options (net_opts.c; options.c refers to them weakly). */
const struct uk_opt *uk__xen_net_options(void);

#endif
