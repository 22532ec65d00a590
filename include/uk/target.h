/*
 * uk/target.h - what every target provides: the application's entry point
 * and the platform singletons.
 *
 * Each target archive (unix, tap, xen, arm-xen) defines every function here
 * exactly once; the application is linked against one of them and does not
 * change between targets.  The defaults are created on first use, so an
 * image contains only the devices its application asks for (an appliance
 * that never calls uk_default_tcpv4() links no TCP).
 *
 * Start-up: the target boots, builds argv (the process's arguments on
 * unix, the kernel command line on Xen) and calls uk_main().  If uk_main
 * returns UK_RUN the target runs the event loop until uk_exit() is called
 * or nothing is left to wait for (no timer, no deferred call, no open
 * device), and exits with that status (0 when the loop drained).  Any other
 * return value is the exit status, at once.
 */
#ifndef UK_TARGET_H
#define UK_TARGET_H

#include <uk/block.h>
#include <uk/clock.h>
#include <uk/console.h>
#include <uk/entropy.h>
#include <uk/kv_ro.h>
#include <uk/mem.h>
#include <uk/network.h>
#include <uk/opt.h>
#include <uk/random.h>
#include <uk/stackv4.h>
#include <uk/tcpv4.h>
#include <uk/time.h>
#include <uk/udpv4.h>

/* uk_main's "start the event loop" return value. */
#define UK_RUN (-1)

/* Written by the application: set up, then return UK_RUN or a status. */
int uk_main(int argc, char **argv);

/* The target's name: "unix", "tap", "xen" or "arm-xen". */
const char *uk_target_name(void);

/*
 * uk_parse_options(app, argc, argv): parses argv against the application's
 * option table `app` (may be NULL) and the target's own options (network
 * address, DHCP, pcap, store paths...).  On a bad argument it logs one line
 * naming the problem on the console and returns 2; for --help it logs the
 * usage and returns 0; otherwise UK_RUN.  uk_main returns anything but
 * UK_RUN straight away.
 */
int uk_parse_options(const struct uk_opt *app, int argc, char **argv);

/* Stops the event loop; the image exits with status (0..255). */
void uk_exit(int status);

/*
 * The image's capacities, declared once where the application is
 * configured: uk_unikernel(NAME ... MEMORY size CONNECTIONS n DEVICES n).
 * Every layer is sized from here (TCP connection table, HTTP and DNS
 * connection limits, network devices); the Xen .xl memory= is generated
 * from `memory`.
 */
struct uk_capacity {
    size_t memory;      /* bytes the image is built to run in */
    size_t connections; /* concurrent TCP connections */
    unsigned devices;   /* network devices (of-switch ports + 1) */
};
const struct uk_capacity *uk_image_capacity(void);

/*
 * The image's one memory budget (uk/mem.h), carved at boot from the memory
 * the image is given: --memory=SIZE on unix and tap (default: the declared
 * capacity), the Xen memory map, the device tree on ARM.  Never NULL.
 */
struct uk_mem *uk_default_mem(void);

/* Platform singletons: never NULL, owned by the target. */
struct uk_console *uk_default_console(void);
struct uk_clock *uk_default_clock(void);
struct uk_time *uk_default_time(void);
struct uk_random *uk_default_random(void);
struct uk_entropy *uk_default_entropy(void);

/*
 * Network defaults, configured from the target's options.  Each returns 0
 * and sets *out, or a UK_E* code after logging why (no network device, bad
 * configuration).  The objects are owned by the target and shared: asking
 * twice gives the same object.
 */
int uk_default_stackv4(struct uk_stackv4 **out);
int uk_default_udpv4(struct uk_udpv4 **out);
int uk_default_tcpv4(struct uk_tcpv4 **out);

/* The index'th raw network device (of-switch ports); UK_ENODEV past the
 * last.  Only targets with raw devices (tap, xen, arm-xen) have any. */
int uk_default_network(unsigned index, struct uk_network **out);

/*
 * The key/value store declared as `KV_RO name=dir` in uk_unikernel():
 * embedded in the image, or on unix read from the directory at run time
 * (selected per build; --kv-NAME=DIR overrides the directory on unix).
 * UK_ENOENT for a name the image does not declare.
 */
int uk_default_kv_ro(const char *name, struct uk_kv_ro **out);

/* The block device `name`: on unix and tap the file given by
 * --block-NAME=PATH (--block=PATH for "default"); on Xen a blkfront disk,
 * the one --block-NAME=xvdb names, else the disk called `name` ("xvda"),
 * else the first one no other name took.  UK_ENODEV when there is none. */
int uk_default_block(const char *name, struct uk_block **out);

#endif
