/*
 * pvh.h - the PVH start-of-day structure (Xen's documented hvm_start_info,
 * version 1) and the x86-64 glue's internal declarations.
 */
#ifndef UK_PVH_H
#define UK_PVH_H

#include <stdint.h>

#define UK_PVH_START_MAGIC 0x336ec578u

struct uk_pvh_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr; /* NUL-terminated, 0 if none */
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;  /* version >= 1 */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct uk_pvh_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* 1: RAM (E820 numbering) */
    uint32_t reserved;
};

#define UK_PVH_MEM_RAM 1

/* boot.S */
extern char uk__pvh_shared_page[4096];
extern char uk__pvh_hypercall_page[4096];
extern const uint64_t uk__pvh_exc_stubs[32];
void uk__pvh_upcall(void);

/* Called by boot.S in long mode. */
void uk__pvh_main(uint32_t start_info);
/* Called by the exception stubs with the saved frame: vector, error code,
 * then the CPU's rip, cs, rflags, rsp, ss. */
void uk__pvh_exception(const uint64_t *frame);

/* Sets up the IDT: exceptions crash, vector UK_PVH_UPCALL_VECTOR is the
 * event-channel upcall (idt.c). */
#define UK_PVH_UPCALL_VECTOR 32
void uk__pvh_idt_init(void);

#endif
