/*
 * name.c - the unix target's name, and its raw network devices: none
 * (the kernel owns them).
 */
#include <uk/target.h>

const char *uk_target_name(void)
{
    return "unix";
}

int uk_default_network(unsigned index, struct uk_network **out)
{
    UK_UNUSED(index);
    UK_UNUSED(out);
    return UK_ENODEV;
}
