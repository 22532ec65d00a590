/* name.c - the tap target's name. */
#include <uk/target.h>

const char *uk_target_name(void)
{
    return "tap";
}
