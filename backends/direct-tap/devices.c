/*
 * devices.c - the tap target's raw network devices (uk_default_network):
 * one TAP interface per name of --tap=NAME[,NAME...], device i being the
 * i-th name.  Device 0 carries the target's own stack (target.c) and is
 * the only one wrapped by --faults and --pcap and given --mac; devices
 * 1..N are plain TAP devices with random MACs, e.g. of-switch's ports.
 * An empty name (or no --tap at all, for device 0) creates a fresh
 * interface named uktap<N>.  Each device is opened on first use; an
 * index past the list is UK_ENODEV.
 */
#include <string.h>

#include <uk/tap.h>
#include <uk/target.h>

#include "internal.h"
#include "wrap.h"

static struct {
    bool tried[UK_TAP_DEVICES];
    int rc[UK_TAP_DEVICES];
    struct uk_network *dev[UK_TAP_DEVICES]; /* top of each device chain */
    struct uk_tap tap[UK_TAP_DEVICES];
} D;

/* The index'th element of --tap: *s and *n (empty: create uktap<N>; no
 * --tap at all is one empty element).  Returns 0 or UK_ENODEV. */
static int tap_field(unsigned index, const char **s, size_t *n)
{
    const char *p = uk__tap_opts.tap != NULL ? uk__tap_opts.tap : "";
    const char *end;
    for (;;) {
        end = strchr(p, ',');
        if (index == 0)
            break;
        if (end == NULL)
            return UK_ENODEV;
        index--;
        p = end + 1;
    }
    *s = p;
    *n = end != NULL ? (size_t)(end - p) : strlen(p);
    return 0;
}

/* The index'th element of --tap into name.  Returns 0, UK_ENODEV (no such
 * element) or UK_EINVAL (too long, reported). */
static int tap_name(unsigned index, char name[UK_TAP_NAME_MAX])
{
    const char *s;
    size_t n;
    if (tap_field(index, &s, &n) != 0)
        return UK_ENODEV;
    if (n >= UK_TAP_NAME_MAX) {
        uk_unix_errorf("--tap: interface name '%.*s' is longer than %d "
                       "bytes",
                       (int)n, s, UK_TAP_NAME_MAX - 1);
        return UK_EINVAL;
    }
    memcpy(name, s, n);
    name[n] = '\0';
    return 0;
}

/* The MAC of device index: --mac for the stack's device, else random. */
static int device_mac(unsigned index, struct uk_mac *mac)
{
    char m[UK_MAC_STRLEN];
    if (index != 0 || !uk__tap_opts.has_mac) {
        uk_tap_random_mac(uk_default_random(), mac);
        return 0;
    }
    *mac = uk__tap_opts.mac;
    if (uk_mac_is_multicast(mac)) {
        uk_unix_errorf("--mac: %s is a multicast address",
                       uk_mac_format(mac, m));
        return UK_EINVAL;
    }
    return 0;
}

static int open_device(unsigned index)
{
    char name[UK_TAP_NAME_MAX], m[UK_MAC_STRLEN];
    struct uk_tap *t = &D.tap[index];
    struct uk_mac mac;
    int rc = tap_name(index, name);
    if (rc != 0)
        return rc;
    if ((rc = device_mac(index, &mac)) != 0)
        return rc;
    rc =
        uk_tap_open(t, name[0] != '\0' ? name : NULL, &mac, uk_default_time());
    if (rc != 0)
        return rc;
    if (index == 0)
        uk_console_printf(uk_default_console(), "tap: attached to %s, mac %s",
                          t->name, uk_mac_format(&mac, m));
    else
        uk_console_printf(uk_default_console(),
                          "tap: device %u attached to %s, mac %s", index,
                          t->name, uk_mac_format(&mac, m));
    D.dev[index] = &t->net;
    return index == 0 ? uk__tap_wrap(&D.dev[0]) : 0;
}

int uk_default_network(unsigned index, struct uk_network **out)
{
    const char *s;
    size_t n;
    if (tap_field(index, &s, &n) != 0)
        return UK_ENODEV; /* silently: callers probe for devices */
    if (index >= UK_TAP_DEVICES) {
        uk_unix_errorf("--tap: the tap target has at most %d devices",
                       UK_TAP_DEVICES);
        return UK_ENODEV;
    }
    if (!D.tried[index]) {
        D.tried[index] = true;
        D.rc[index] = open_device(index);
    }
    if (D.rc[index] != 0)
        return D.rc[index];
    *out = D.dev[index];
    return 0;
}
