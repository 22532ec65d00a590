/*
 * idt.c - the interrupt descriptor table: CPU exceptions report and crash
 * the domain; vector UK_PVH_UPCALL_VECTOR is Xen's event-channel upcall
 * (HVM_PARAM_CALLBACK_IRQ, "vector" delivery), which only wakes the vCPU.
 */
#include <stdio.h>

#include "../xen-common/xen.h"
#include "pvh.h"

#define NVEC 48

struct gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, zero;
};

static struct gate idt[NVEC] __attribute__((aligned(16)));

static void set_gate(unsigned v, uint64_t addr)
{
    idt[v].off0 = (uint16_t)addr;
    idt[v].sel = 0x08;
    idt[v].ist = 0;
    idt[v].type = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
    idt[v].off1 = (uint16_t)(addr >> 16);
    idt[v].off2 = (uint32_t)(addr >> 32);
    idt[v].zero = 0;
}

void uk__pvh_idt_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) desc;
    unsigned v;
    for (v = 0; v < 32; v++)
        set_gate(v, uk__pvh_exc_stubs[v]);
    set_gate(UK_PVH_UPCALL_VECTOR, (uint64_t)(uintptr_t)uk__pvh_upcall);
    desc.limit = sizeof idt - 1;
    desc.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" : : "m"(desc));
}

void uk__pvh_exception(const uint64_t *frame)
{
    char msg[160];
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    snprintf(msg, sizeof msg,
             "CPU exception %llu, error %#llx at rip %#llx (cr2 %#llx, rsp "
             "%#llx)",
             (unsigned long long)frame[0], (unsigned long long)frame[1],
             (unsigned long long)frame[2], (unsigned long long)cr2,
             (unsigned long long)frame[5]);
    uk__xen_panic(msg);
}
