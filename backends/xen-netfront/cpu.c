/*
 * cpu.c - x86-64 hooks of the portable Xen code: hypercalls through the
 * hypercall page, the TSC, idling with HLT, port 0xE9, RDRAND.
 */
#include "../xen-common/xen.h"
#include "pvh.h"

struct uk_xen_shared_info *uk__xen_shared;
const char uk__xen_target_name[] = "xen";

long uk__xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2,
                       unsigned long a3)
{
    long ret;
    unsigned long entry = (unsigned long)uk__pvh_hypercall_page + nr * 32;
    __asm__ volatile("call *%%rax"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
                     : "0"(entry)
                     : "memory", "rcx", "r8", "r9", "r10", "r11");
    return ret;
}

uint64_t uk__xen_arch_counter(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* Not inlined: the HLT's address is a global label (uk__pvh_hlt). */
__attribute__((noinline)) void
uk__xen_arch_idle(const volatile uint64_t *pending)
{
    /* Interrupts stay off except inside STI;HLT: STI's one-instruction
     * shadow means an upcall raised after the check still ends the HLT.
     * Under QEMU TCG's SVM that shadow is not always kept across a VM
     * exit, so Xen may deliver the upcall between STI and HLT; the upcall
     * handler (boot.S) then returns past the HLT instead of onto it,
     * or the vCPU would sleep with the event unhandled (Xen raises no
     * second upcall while evtchn_pending_sel is set). */
    __asm__ volatile("cli" ::: "memory");
    if (*pending == 0)
        __asm__ volatile("sti\n"
                         ".globl uk__pvh_hlt\n"
                         "uk__pvh_hlt: hlt\n"
                         "cli" ::: "memory");
}

void uk__xen_arch_debug_write(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        __asm__ volatile("outb %0, %1" : : "a"(s[i]), "Nd"((uint16_t)0xe9));
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "0"(leaf), "2"(0));
}

bool uk__xen_arch_hw_random(uint64_t *out)
{
    uint32_t r[4];
    int i;
    cpuid(1, r);
    if (!(r[2] & (1u << 30)))
        return false;
    for (i = 0; i < 10; i++) {
        unsigned char ok;
        uint64_t v;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
        if (ok) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* Finds Xen's CPUID leaves and asks Xen to fill our hypercall page
 * (CPUID base+2: number of pages in eax, the MSR in ebx).  False if we
 * are not running on Xen. */
bool uk__pvh_hypercall_init(void);
bool uk__pvh_hypercall_init(void)
{
    uint32_t base, r[4];
    for (base = 0x40000000u; base < 0x40010000u; base += 0x100) {
        cpuid(base, r);
        if (r[1] == 0x566e6558u && r[2] == 0x65584d4du &&
            r[3] == 0x4d4d566eu && r[0] - base >= 2) {
            uint64_t page = (uint64_t)(uintptr_t)uk__pvh_hypercall_page;
            cpuid(base + 2, r);
            __asm__ volatile("wrmsr"
                             :
                             : "c"(r[1]), "a"((uint32_t)page),
                               "d"((uint32_t)(page >> 32))
                             : "memory");
            return true;
        }
    }
    return false;
}
