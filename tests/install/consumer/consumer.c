/* A minimal application built against an installed uk: one timer, one
 * console line with the target's name and a value of its KV_RO store,
 * then the loop drains and the image exits 0.  On the way it takes the
 * memory a KV_RW store would need (uk/kvstore.h, lib/store) from the
 * image's budget (uk_default_mem(), its declared MEMORY) and gives it
 * back, so the package's budget and store library are linked and used. */
#include <uk/kvstore.h>
#include <uk/mem.h>
#include <uk/target.h>

static struct uk_timer tick;
static struct uk_kv_ro *data;

static void on_tick(void *arg)
{
    char text[64];
    size_t got = 0;
    struct uk_kvstore_config cfg;
    struct uk_mem *mem = uk_default_mem();
    size_t need;
    void *p;
    (void)arg;
    uk_kvstore_config_default(&cfg);
    need = uk_kvstore_mem_size(&cfg, 512);
    p = uk_mem_alloc(mem, need);
    if (p == NULL) {
        uk_console_printf(uk_default_console(),
                          "consumer on %s: no %zu bytes for a store in the "
                          "budget", uk_target_name(), need);
        return;
    }
    uk_mem_free(mem, p, need);
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
