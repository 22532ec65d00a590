/*
 * cpu.h - the few ARM system registers the arm-xen glue touches, for
 * AArch64 (arm64 images) and AArch32 (armv7 images), as inline functions,
 * plus what the glue files share.
 */
#ifndef UK_ARM_XEN_CPU_H
#define UK_ARM_XEN_CPU_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__aarch64__)
#define UK__SYSREG_R(name, v) __asm__ volatile("mrs %0, " name : "=r"(v))
#define UK__SYSREG_W(name, v) __asm__ volatile("msr " name ", %0" ::"r"(v))
#elif !defined(__arm__)
#error "arm-xen: AArch64 or AArch32 only"
#endif

static inline void uk__isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

static inline void uk__dsb(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

static inline void uk__wfi(void)
{
    __asm__ volatile("dsb sy; wfi" ::: "memory");
}

/* Generic timer: the virtual counter, its frequency, the virtual timer. */
static inline uint64_t uk__cntvct(void)
{
    uint64_t v;
    uk__isb();
#if defined(__aarch64__)
    UK__SYSREG_R("cntvct_el0", v);
#else
    __asm__ volatile("mrrc p15, 1, %Q0, %R0, c14" : "=r"(v));
#endif
    return v;
}

static inline uint32_t uk__cntfrq(void)
{
#if defined(__aarch64__)
    uint64_t v;
    UK__SYSREG_R("cntfrq_el0", v);
    return (uint32_t)v;
#else
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
    return v;
#endif
}

static inline void uk__cntv_cval(uint64_t v)
{
#if defined(__aarch64__)
    UK__SYSREG_W("cntv_cval_el0", v);
#else
    __asm__ volatile("mcrr p15, 3, %Q0, %R0, c14" ::"r"(v));
#endif
}

/* CNTV_CTL: bit 0 enable, bit 1 mask (Xen sets it when the timer fired). */
static inline void uk__cntv_ctl(uint32_t v)
{
#if defined(__aarch64__)
    uint64_t w = v;
    UK__SYSREG_W("cntv_ctl_el0", w);
#else
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" ::"r"(v));
#endif
    uk__isb();
}

/* GICv3 CPU interface, system-register access (ICC_*_EL1 / ICC_*). */
static inline void uk__icc_sre(uint32_t v)
{
#if defined(__aarch64__)
    uint64_t w = v;
    UK__SYSREG_W("S3_0_C12_C12_5", w);
#else
    __asm__ volatile("mcr p15, 0, %0, c12, c12, 5" ::"r"(v));
#endif
    uk__isb();
}

static inline void uk__icc_pmr(uint32_t v)
{
#if defined(__aarch64__)
    uint64_t w = v;
    UK__SYSREG_W("S3_0_C4_C6_0", w);
#else
    __asm__ volatile("mcr p15, 0, %0, c4, c6, 0" ::"r"(v));
#endif
}

static inline void uk__icc_igrpen1(uint32_t v)
{
#if defined(__aarch64__)
    uint64_t w = v;
    UK__SYSREG_W("S3_0_C12_C12_7", w);
#else
    __asm__ volatile("mcr p15, 0, %0, c12, c12, 7" ::"r"(v));
#endif
    uk__isb();
}

static inline uint32_t uk__icc_iar1(void)
{
#if defined(__aarch64__)
    uint64_t v;
    UK__SYSREG_R("S3_0_C12_C12_0", v);
    return (uint32_t)v;
#else
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c12, c12, 0" : "=r"(v));
    return v;
#endif
}

static inline void uk__icc_eoir1(uint32_t v)
{
#if defined(__aarch64__)
    uint64_t w = v;
    UK__SYSREG_W("S3_0_C12_C12_1", w);
#else
    __asm__ volatile("mcr p15, 0, %0, c12, c12, 1" ::"r"(v));
#endif
}

/* MMIO (the GIC is mapped Device-nGnRE by the boot code).  Single
 * loads and stores with plain register addressing: Xen emulates a trapped
 * access from the syndrome, which has no decoded form for post-indexed,
 * pair or multiple transfers the compiler might otherwise pick. */
static inline uint32_t uk__mmio_r32(uintptr_t a)
{
    uint32_t v;
#if defined(__aarch64__)
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
#else
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
#endif
    return v;
}

static inline void uk__mmio_w32(uintptr_t a, uint32_t v)
{
#if defined(__aarch64__)
    __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(a) : "memory");
#else
    __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory");
#endif
}

/* ---- shared by the glue files ---- */

/* gic.c: finds the GIC in the device tree, enables the PPIs we use;
 * returns 0 or UK_ENODEV. */
struct uk__fdt;
int uk__gic_init(const struct uk__fdt *f, uint32_t evtchn_irq,
                 uint32_t timer_irq);
/* Acknowledges and ends every pending interrupt; true if the event-channel
 * interrupt was among them. */
bool uk__gic_ack_all(void);

/* timer.c: reads the frequency (DT clock-frequency when given, else
 * CNTFRQ) and the virtual timer's PPI. */
void uk__timer_setup(const struct uk__fdt *f, uint32_t *timer_irq);

#endif
