/* A minimal application built against an installed uk: one timer, one
 * console line, then the loop drains and the image exits 0. */
#include <uk/target.h>

static struct uk_timer tick;

static void on_tick(void *arg)
{
    (void)arg;
    uk_console_printf(uk_default_console(), "consumer on %s: ok",
                      uk_target_name());
}

int uk_main(int argc, char **argv)
{
    int rc = uk_parse_options(NULL, argc, argv);
    if (rc != UK_RUN)
        return rc;
    uk_time_after(uk_default_time(), &tick, UK_NS_PER_MS, on_tick, NULL);
    return UK_RUN;
}
