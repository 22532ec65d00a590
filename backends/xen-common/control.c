/*
 * control.c - the toolstack's shutdown requests: `xl shutdown` writes
 * "poweroff" (or "halt") to control/shutdown; we acknowledge by clearing
 * it and stop the event loop with status 0, so the image exits as usual
 * ("uk: exit 0", then SCHEDOP_shutdown poweroff).  Other requests (reboot,
 * suspend) are not supported and are logged.  control/feature-poweroff
 * tells xl that the guest handles the request.
 */
#include <string.h>

#include <uk/target.h>

#include "xen.h"
#include "xenstore.h"

#define KEY "control/shutdown"

static void on_request(void *arg, const char *path, const char *token)
{
    char req[32];
    UK_UNUSED(arg);
    UK_UNUSED(path);
    UK_UNUSED(token);
    if (uk__xs_read(0, KEY, req, sizeof req, NULL) != 0 || req[0] == '\0')
        return; /* the registration event, or our own acknowledgement */
    (void)uk__xs_write(0, KEY, "");
    if (strcmp(req, "poweroff") == 0 || strcmp(req, "halt") == 0) {
        uk_console_printf(uk_default_console(),
                          "uk: shutdown requested by the toolstack");
        uk_exit(0);
    } else {
        uk_console_printf(uk_default_console(),
                          "uk: ignoring unsupported request '%s'", req);
    }
}

void uk__xen_control_init(void)
{
    if (uk__xs_init() != 0)
        return;
    (void)uk__xs_write(0, "control/feature-poweroff", "1");
    (void)uk__xs_watch(KEY, "uk-control", on_request, NULL);
}
