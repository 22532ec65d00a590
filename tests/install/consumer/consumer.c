/* A minimal application built against an installed uk: one timer, one
 * console line with the target's name and a value of its KV_RO store,
 * then the loop drains and the image exits 0. */
#include <uk/target.h>

static struct uk_timer tick;
static struct uk_kv_ro *data;

static void on_tick(void *arg)
{
    char text[64];
    size_t got = 0;
    (void)arg;
    if (uk_kv_ro_read(data, "greeting", 0, text, sizeof text - 1, &got) != 0)
        got = 0;
    while (got > 0 && text[got - 1] == '\n')
        got--;
    text[got] = '\0';
    uk_console_printf(uk_default_console(), "consumer on %s: ok (%s)",
                      uk_target_name(), text);
}

int uk_main(int argc, char **argv)
{
    int rc = uk_parse_options(NULL, argc, argv);
    if (rc != UK_RUN)
        return rc;
    if (uk_default_kv_ro("data", &data) != 0)
        return 1;
    uk_time_after(uk_default_time(), &tick, UK_NS_PER_MS, on_tick, NULL);
    return UK_RUN;
}
