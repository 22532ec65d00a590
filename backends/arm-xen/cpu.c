/*
 * cpu.c - the ARM hooks of the portable Xen code (xen.h): HVC hypercalls,
 * WFI idling, the hypervisor console, the CPU's random-number instruction,
 * and the fatal-exception report called by the vector code.
 */
#include <stdio.h>

#include "../xen-common/xen.h"
#include "cpu.h"

#define HC_CONSOLE_IO 18
#define CONSOLEIO_WRITE 0

struct uk_xen_shared_info *uk__xen_shared;
const char uk__xen_target_name[] = "arm-xen";

long uk__xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2,
                       unsigned long a3)
{
    /* Number in x16/r12, arguments from x0/r0; Xen clobbers the number
     * register and the argument registers (arch-arm.h). */
#if defined(__aarch64__)
    register unsigned long r0 __asm__("x0") = a1;
    register unsigned long r1 __asm__("x1") = a2;
    register unsigned long r2 __asm__("x2") = a3;
    register unsigned long rn __asm__("x16") = nr;
    __asm__ volatile("hvc #0xea1"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(rn)
                     :
                     : "memory");
#else
    register unsigned long r0 __asm__("r0") = a1;
    register unsigned long r1 __asm__("r1") = a2;
    register unsigned long r2 __asm__("r2") = a3;
    register unsigned long rn __asm__("r12") = nr;
    __asm__ volatile(".arch_extension virt\n\thvc #0xea1"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(rn)
                     :
                     : "memory");
#endif
    return (long)r0;
}

void uk__xen_arch_idle(const volatile uint64_t *pending)
{
    /* IRQs stay masked: WFI still ends when one is pending, and Xen's
     * WFI trap blocks the vCPU only while none is. */
    if (*pending == 0)
        uk__wfi();
    (void)uk__gic_ack_all();
}

void uk__xen_arch_debug_write(const char *s, size_t len)
{
    /* CONSOLEIO_write: Xen prints it as "(dN) ..." (guest_loglvl=all). */
    while (len > 0) {
        size_t n = len > 512 ? 512 : len;
        if (uk__xen_hypercall(HC_CONSOLE_IO, CONSOLEIO_WRITE, n,
                              (unsigned long)(uintptr_t)s) < 0)
            return;
        s += n;
        len -= n;
    }
}

bool uk__xen_arch_hw_random(uint64_t *out)
{
#if defined(__aarch64__)
    uint64_t isar0, v, ok;
    int i;
    UK__SYSREG_R("id_aa64isar0_el1", isar0);
    if ((isar0 >> 60) == 0) /* no FEAT_RNG */
        return false;
    for (i = 0; i < 10; i++) {
        /* RNDR; NZCV.Z is set when no value was available. */
        __asm__ volatile("mrs %0, S3_3_C2_C4_0; cset %1, ne"
                         : "=r"(v), "=r"(ok)
                         :
                         : "cc");
        if (ok) {
            *out = v;
            return true;
        }
    }
#else
    (void)out;
#endif
    return false;
}

/* Called by the exception vectors (head64.S/head32.S) for any exception:
 * none is expected, so each is fatal.  kind names the vector. */
void uk__arm_fault(unsigned kind, unsigned long syndrome, unsigned long pc,
                   unsigned long addr);
void uk__arm_fault(unsigned kind, unsigned long syndrome, unsigned long pc,
                   unsigned long addr)
{
#if defined(__aarch64__)
    static const char *const names[4] = {"synchronous", "IRQ", "FIQ",
                                         "SError"};
    const char *what = names[kind & 3]; /* syndrome: ESR_EL1 */
#else
    static const char *const names[8] = {"reset", "undefined instruction",
                                         "SVC", "prefetch abort",
                                         "data abort", "unused", "IRQ",
                                         "FIQ"};
    const char *what = names[kind & 7]; /* syndrome: DFSR or IFSR */
#endif
    char msg[160];
    snprintf(msg, sizeof msg,
             "CPU exception: %s (vector %u) syndrome=0x%lx PC=0x%lx "
             "address=0x%lx",
             what, kind, syndrome, pc, addr);
    uk__xen_panic(msg);
}

#if defined(__arm__)
/* libgcc's division helpers call these on a division by zero. */
int __aeabi_idiv0(int r);
long long __aeabi_ldiv0(long long r);
int __aeabi_idiv0(int r)
{
    uk__xen_panic("integer division by zero");
    return r;
}
long long __aeabi_ldiv0(long long r)
{
    uk__xen_panic("integer division by zero");
    return r;
}
#endif
