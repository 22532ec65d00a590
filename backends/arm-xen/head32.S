/*
 * head32.S - entry of an armv7 (AArch32) image: the zImage header Xen's
 * loader recognises (start = our link address, so Xen loads us there;
 * end = start + file size, which Xen checks against the module size),
 * entered in SVC mode with the MMU off and r2 = the device tree.  VFP/NEON
 * on, an identity map of the 4 GiB address space in 1 MiB sections
 * (short-descriptor format), MMU and caches on, .bss zeroed, then C
 * (start.c).  Also the exception vectors: every exception is fatal.
 *
 * The map follows head64.S: Device below 1 GiB except Xen's grant-table
 * and magic-page windows (0x38000000-0x3a000000), Normal write-back
 * shareable above (RAM).
 */
#define MEM_SECT 0x11c0e  /* section, TEX=001 C B (WB WA), S, AP=11 */
#define DEV_SECT 0x00c16  /* section, B (shareable device), XN, AP=11 */
#define STACK_SIZE 65536

	.syntax	unified
	.arm
	.arch	armv7-a
	.arch_extension virt
	.fpu	neon-vfpv4

	.section .text.head, "ax"
	.global	_start
_start:
	.rept	8
	mov	r0, r0
	.endr
	b	entry			/* 0x20 */
	.word	0x016f2818		/* 0x24 zImage magic */
	.word	_start			/* 0x28 load address */
	.word	_file_end		/* 0x2c end of the file */

entry:
	mov	r4, r2
	mrc	p15, 0, r0, c1, c0, 2	/* CPACR: cp10, cp11 full access */
	orr	r0, r0, #(0xf << 20)
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #0x40000000		/* FPEXC.EN */
	vmsr	fpexc, r0
	adr	r0, _start		/* loaded where linked? */
	ldr	r1, =_start
	cmp	r0, r1
	bne	wrong_place
	ldr	r1, =__bss_start	/* device tree inside .bss? */
	ldr	r2, =_end
	ldr	r3, [r4, #4]
	rev	r3, r3
	add	r3, r3, r4
	cmp	r4, r2
	bhs	1f
	cmp	r3, r1
	bhi	dtb_clash
1:
	ldr	r0, =boot_pt
	ldr	r5, =MEM_SECT
	ldr	r6, =DEV_SECT
	mov	r1, #0
2:	lsl	r2, r1, #20
	cmp	r1, #0x400		/* >= 1 GiB: RAM */
	bhs	3f
	cmp	r1, #0x380
	blo	4f
	cmp	r1, #0x3a0
	bhs	4f
3:	orr	r2, r2, r5
	b	5f
4:	orr	r2, r2, r6
5:	str	r2, [r0, r1, lsl #2]
	add	r1, r1, #1
	cmp	r1, #4096
	blo	2b
	dsb
	mrc	p15, 0, r2, c0, c0, 1	/* CTR.DminLine: log2(words) 19:16 */
	ubfx	r2, r2, #16, #4
	mov	r3, #4
	lsl	r2, r3, r2
	add	r1, r0, #16384
6:	mcr	p15, 0, r0, c7, c6, 1	/* DCIMVAC */
	add	r0, r0, r2
	cmp	r0, r1
	blo	6b
	dsb

	mov	r0, #0
	mcr	p15, 0, r0, c8, c7, 0	/* TLBIALL */
	mcr	p15, 0, r0, c7, c5, 0	/* ICIALLU */
	mcr	p15, 0, r0, c2, c0, 2	/* TTBCR: TTBR0 only, short format */
	mov	r0, #1
	mcr	p15, 0, r0, c3, c0, 0	/* DACR: domain 0 client */
	ldr	r0, =boot_pt
	orr	r0, r0, #0x4a		/* IRGN=01 RGN=01 (WB WA), S */
	mcr	p15, 0, r0, c2, c0, 0	/* TTBR0 */
	dsb
	isb
	mrc	p15, 0, r0, c1, c0, 0	/* SCTLR */
	orr	r0, r0, #0x1		/* M */
	orr	r0, r0, #0x4		/* C */
	orr	r0, r0, #0x800		/* Z */
	orr	r0, r0, #0x1000		/* I */
	bic	r0, r0, #0x2		/* A: unaligned accesses allowed */
	bic	r0, r0, #0x2000		/* V: vectors at VBAR */
	bic	r0, r0, #0x10000000	/* TRE */
	bic	r0, r0, #0x20000000	/* AFE */
	mcr	p15, 0, r0, c1, c0, 0
	isb

	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	isb
	ldr	sp, =boot_stack_top
	ldr	r0, =__bss_start	/* 16-byte aligned bounds (link.ld) */
	ldr	r1, =__bss_end
	mov	r2, #0
	mov	r3, #0
7:	cmp	r0, r1
	strdlo	r2, r3, [r0], #8
	blo	7b
	mov	r0, r4
	bl	uk__arm_start
8:	wfi
	b	8b

wrong_place:
	adr	r2, msg_place
	mov	r1, #(msg_place_end - msg_place)
	b	early_fatal
dtb_clash:
	adr	r2, msg_dtb
	mov	r1, #(msg_dtb_end - msg_dtb)
early_fatal:
	mov	r0, #0			/* CONSOLEIO_write, count, buffer */
	mov	r12, #18		/* console_io */
	hvc	#0xea1
9:	mov	r0, #2			/* SCHEDOP_shutdown */
	adr	r1, crash_reason
	mov	r12, #29		/* sched_op */
	hvc	#0xea1
	b	9b
	.ltorg
	.balign	4
crash_reason:
	.word	3			/* SHUTDOWN_crash */
msg_place:
	.ascii	"uk: fatal: image not loaded at its link address (RAM base)\n"
msg_place_end:
msg_dtb:
	.ascii	"uk: fatal: the device tree lies inside the image's .bss; give the domain more memory\n"
msg_dtb_end:
	.balign	4

	.section .text.vectors, "ax"
	.balign	32
vectors:
	b	v_reset
	b	v_undef
	b	v_svc
	b	v_pabt
	b	v_dabt
	b	v_unused
	b	v_irq
	b	v_fiq
v_reset:
	mov	r0, #0
	b	fault
v_undef:
	mov	r0, #1
	b	fault
v_svc:
	mov	r0, #2
	b	fault
v_pabt:
	mov	r0, #3
	b	fault
v_dabt:
	mov	r0, #4
	b	fault
v_unused:
	mov	r0, #5
	b	fault
v_irq:
	mov	r0, #6
	b	fault
v_fiq:
	mov	r0, #7
	b	fault
fault:
	mov	r2, lr			/* the mode's banked LR: near the PC */
	mrc	p15, 0, r1, c5, c0, 0	/* DFSR */
	mrc	p15, 0, r3, c6, c0, 0	/* DFAR */
	cmp	r0, #3
	mrceq	p15, 0, r1, c5, c0, 1	/* IFSR */
	mrceq	p15, 0, r3, c6, c0, 2	/* IFAR */
	cps	#0x13			/* back to SVC mode, own stack */
	ldr	sp, =fault_stack_top
	bl	uk__arm_fault
10:	wfi
	b	10b
	.ltorg

	.section .boot.pt, "aw", %nobits
	.balign	16384
boot_pt:
	.skip	16384
	.section .boot.stack, "aw", %nobits
	.balign	16
	.skip	STACK_SIZE
boot_stack_top:
	.skip	4096
fault_stack_top:

	.section .note.GNU-stack, "", %progbits
