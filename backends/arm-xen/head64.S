/*
 * head64.S - entry of an arm64 image: the Linux arm64 "Image" header Xen's
 * loader recognises (loaded at RAM base + text_offset, entered at EL1 with
 * the MMU off, x0 = the device tree), an identity map of the low 4 GiB,
 * MMU and caches on, .bss zeroed, then C (start.c).  Also the exception
 * vectors: every exception is fatal (cpu.c reports it).
 *
 * The map (4 KiB granule, 32-bit VA, level-1 blocks of 1 GiB):
 *   0-1 GiB  2 MiB blocks, Device-nGnRE (vGIC, vPL011, ...), except
 *            0x38000000-0x3a000000, Xen's grant-table and magic-page
 *            windows (GUEST_GNTTAB_BASE, GUEST_MAGIC_BASE in arch-arm.h:
 *            the console and xenstore rings live there): Normal
 *   1-4 GiB  Normal write-back, inner shareable (RAM: GUEST_RAM0_BASE)
 * Xen requires Normal WB inner-shareable memory for everything shared
 * with it (arch-arm.h), hence the MMU rather than running with it off.
 */
#define MEM_BLOCK 0x705               /* block, AttrIdx 1, SH inner, AF */
#define DEV_BLOCK 0x0060000000000401  /* block, AttrIdx 0, AF, PXN, UXN */
#define MAIR 0xff04                   /* 0: Device-nGnRE, 1: Normal WB */
#define TCR 0x803520                  /* T0SZ=32, WB WA, inner sh., EPD1 */
#define GNT_FIRST 448                 /* 0x38000000 >> 21 */
#define GNT_END 464                   /* 0x3a000000 >> 21 */
#define STACK_SIZE 65536

	.section .text.head, "ax"
	.global _start
_start:
	b	entry			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_image_size		/* image_size, .bss included */
	.quad	0x2			/* little endian, 4 KiB pages */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

entry:
	mov	x19, x0
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: FP/SIMD on */
	msr	cpacr_el1, x1
	isb
	adr	x1, _start		/* linked at the RAM base: check */
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	wrong_place
	/* The device tree must not lie in .bss, which we are about to
	 * zero: Xen places it after the file, not after our .bss. */
	ldr	x1, =__bss_start
	ldr	x2, =_end
	ldr	w3, [x19, #4]
	rev	w3, w3
	add	x3, x3, x19
	cmp	x19, x2
	b.hs	1f
	cmp	x3, x1
	b.hi	dtb_clash
1:
	/* Page tables (written with the MMU off, so invalidate any stale
	 * cache lines over them afterwards). */
	ldr	x0, =boot_l1
	ldr	x1, =boot_l2
	orr	x2, x1, #3
	str	x2, [x0]
	ldr	x3, =MEM_BLOCK
	mov	x4, #1
2:	lsl	x5, x4, #30
	orr	x5, x5, x3
	str	x5, [x0, x4, lsl #3]
	add	x4, x4, #1
	cmp	x4, #4
	b.lo	2b
	ldr	x6, =DEV_BLOCK
	mov	x4, #0
3:	lsl	x5, x4, #21
	cmp	x4, #GNT_FIRST
	b.lo	4f
	cmp	x4, #GNT_END
	b.hs	4f
	orr	x5, x5, x3
	b	5f
4:	orr	x5, x5, x6
5:	str	x5, [x1, x4, lsl #3]
	add	x4, x4, #1
	cmp	x4, #512
	b.lo	3b
	dsb	sy
	mrs	x2, ctr_el0		/* DminLine: log2(words) in 19:16 */
	ubfx	x2, x2, #16, #4
	mov	x3, #4
	lsl	x2, x3, x2
	add	x1, x0, #8192
6:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	6b
	dsb	sy

	ldr	x0, =MAIR
	msr	mair_el1, x0
	ldr	x0, =TCR
	msr	tcr_el1, x0
	ldr	x0, =boot_l1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	orr	x0, x0, #(1 << 0)	/* M */
	orr	x0, x0, #(1 << 2)	/* C */
	orr	x0, x0, #(1 << 12)	/* I */
	bic	x0, x0, #(1 << 1)	/* A: unaligned accesses allowed */
	bic	x0, x0, #(1 << 19)	/* WXN */
	msr	sctlr_el1, x0
	isb

	ldr	x0, =vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =boot_stack_top
	mov	sp, x0
	ldr	x0, =__bss_start	/* 16-byte aligned bounds (link.ld) */
	ldr	x1, =__bss_end
7:	cmp	x0, x1
	b.hs	8f
	stp	xzr, xzr, [x0], #16
	b	7b
8:	mov	x0, x19
	bl	uk__arm_start
9:	wfi
	b	9b

/* Fatal before C can run: say why on the hypervisor console
 * (console_io write), then crash the domain. */
wrong_place:
	adr	x2, msg_place
	mov	x1, #(msg_place_end - msg_place)
	b	early_fatal
dtb_clash:
	adr	x2, msg_dtb
	mov	x1, #(msg_dtb_end - msg_dtb)
early_fatal:
	mov	x0, #0			/* CONSOLEIO_write, count, buffer */
	mov	x16, #18		/* console_io */
	hvc	#0xea1
10:	mov	x0, #2			/* SCHEDOP_shutdown */
	adr	x1, crash_reason
	mov	x16, #29		/* sched_op */
	hvc	#0xea1
	b	10b
	.ltorg
	.balign 4
crash_reason:
	.long	3			/* SHUTDOWN_crash */
msg_place:
	.ascii	"uk: fatal: image not loaded at its link address (RAM base)\n"
msg_place_end:
msg_dtb:
	.ascii	"uk: fatal: the device tree lies inside the image's .bss; give the domain more memory\n"
msg_dtb_end:

	.section .text.vectors, "ax"
	.balign 2048
vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	mov	x0, #\i
	b	fault
	.endr
fault:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	ldr	x4, =fault_stack_top	/* the faulting stack may be bad */
	mov	sp, x4
	bl	uk__arm_fault
11:	wfi
	b	11b
	.ltorg

	.section .boot.pt, "aw", %nobits
	.balign	4096
boot_l1:
	.skip	4096
boot_l2:
	.skip	4096
	.section .boot.stack, "aw", %nobits
	.balign	16
	.skip	STACK_SIZE
boot_stack_top:
	.skip	4096
fault_stack_top:

	.section .note.GNU-stack, "", %progbits
