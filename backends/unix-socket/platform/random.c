/*
 * random.c - uk_default_entropy ("getrandom") and uk_default_random: both
 * straight from the kernel's getrandom(2), which is cryptographically
 * strong once the kernel pool is seeded.
 */
#include <errno.h>
#include <sys/random.h>

#include <uk/target.h>

static const char *ent_id(struct uk_entropy *self)
{
    UK_UNUSED(self);
    return "getrandom";
}

static struct uk_timer ent_done;

static void ent_disconnect(struct uk_entropy *self, uk_done_cb cb, void *arg)
{
    UK_UNUSED(self);
    if (cb != NULL)
        uk_time_defer(uk_default_time(), &ent_done, cb, arg);
}

static int ent_gather(struct uk_entropy *self, void *buf, size_t len,
                      size_t *got)
{
    ssize_t n;
    UK_UNUSED(self);
    *got = 0;
    if (len == 0)
        return 0;
    do
        n = getrandom(buf, len > 256 ? 256 : len, GRND_NONBLOCK);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno == EAGAIN ? UK_EAGAIN : UK_EIO;
    *got = (size_t)n;
    return 0;
}

static const struct uk_entropy_ops entropy_ops = {
    .id = ent_id,
    .disconnect = ent_disconnect,
    .gather = ent_gather,
    .source = ent_id,
};

static struct uk_entropy the_entropy = {&entropy_ops};

struct uk_entropy *uk_default_entropy(void)
{
    return &the_entropy;
}

static int rnd_fill(struct uk_random *self, void *buf, size_t len)
{
    unsigned char *p = buf;
    UK_UNUSED(self);
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return UK_EIO;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static const struct uk_random_ops random_ops = {.fill = rnd_fill};

static struct uk_random the_random = {&random_ops};

struct uk_random *uk_default_random(void)
{
    return &the_random;
}
