/*
 * clock.c - uk_default_clock: CLOCK_MONOTONIC and CLOCK_REALTIME.
 */
#include <time.h>

#include <uk/target.h>

static uint64_t mono_ns(struct uk_clock *self)
{
    struct timespec ts;
    UK_UNUSED(self);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UK_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static int64_t wall_ns(struct uk_clock *self)
{
    struct timespec ts;
    UK_UNUSED(self);
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * (int64_t)UK_NS_PER_S + ts.tv_nsec;
}

static const struct uk_clock_ops clock_ops = {
    .monotonic_ns = mono_ns,
    .wall_ns = wall_ns,
};

static struct uk_clock the_clock = {&clock_ops};

struct uk_clock *uk_default_clock(void)
{
    return &the_clock;
}
