/*
 * capacity_default.c - uk_image_capacity() (uk/target.h) for programs not
 * built by uk_unikernel(): the defaults of cmake/uk.cmake, passed in as
 * UK_CAPACITY_DEFAULT_* definitions.  An image's generated definition
 * comes first on the link line, so this archive member is linked only when
 * nothing else defines the function; it must stay alone in its file.
 */
#include <uk/target.h>

const struct uk_capacity *uk_image_capacity(void)
{
    static const struct uk_capacity c = {
        (size_t)UK_CAPACITY_DEFAULT_MEMORY_MIB << 20,
        UK_CAPACITY_DEFAULT_CONNECTIONS, UK_CAPACITY_DEFAULT_DEVICES};
    return &c;
}
