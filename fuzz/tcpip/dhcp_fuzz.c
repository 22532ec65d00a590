/*
 * dhcp_fuzz.c - libFuzzer target for the DHCP message parser
 * (uk/tcpip/dhcp_msg.h).  Seeds: fuzz/tcpip/corpus/dhcp/.
 */
#include <stddef.h>
#include <stdint.h>

#include <uk/tcpip/dhcp_msg.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct uk_dhcp_msg m;
    if (uk_dhcp_parse(data, size, &m) == 0) {
        /* What the parser promises about an accepted message. */
        if (m.type < UK_DHCPDISCOVER || m.type > UK_DHCPINFORM ||
            m.ndns > UK_DHCP_MAX_DNS || size < UK_DHCP_OPTIONS_OFF)
            __builtin_trap();
    }
    return 0;
}
