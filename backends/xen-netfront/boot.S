/*
 * boot.S - PVH entry for x86-64 Xen guests.
 *
 * Xen starts a PVH guest at the address in the XEN_ELFNOTE_PHYS32_ENTRY
 * note, in 32-bit protected mode with paging off, flat segments, %ebx =
 * physical address of struct hvm_start_info, no stack.  We build page
 * tables mapping the first 4 GiB 1:1 with 2 MiB pages (Xen places the
 * console and xenstore pages just below 4 GiB), enable SSE, enter long
 * mode and call uk__pvh_main(start_info).
 *
 * Also here: the exception stubs and the event-channel upcall vector.
 */
#define PVH_NOTE_PHYS32_ENTRY 18
#define CR0_PE 0x1
#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PS 0x80
#define BOOT_STACK 65536

	.section .note.Xen, "a", @note
	.p2align 2
	.long 4                         /* name size: "Xen\0" */
	.long 4                         /* descriptor size */
	.long PVH_NOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long uk__pvh_start32

	.section .text.boot, "ax"
	.code32
	.globl uk__pvh_start32
uk__pvh_start32:
	cli
	cld
	mov %ebx, %esi                  /* keep start_info across the setup */

	/* Zero the 6 table pages: PML4, PDPT, 4 page directories. */
	mov $uk__pvh_pagetables, %edi
	mov $(6 * 1024), %ecx
	xor %eax, %eax
	rep stosl

	/* PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3. */
	mov $uk__pvh_pagetables, %edi
	lea (0x1000 + PTE_P + PTE_RW)(%edi), %eax
	mov %eax, (%edi)
	lea 0x1000(%edi), %ebx          /* PDPT */
	lea (0x2000 + PTE_P + PTE_RW)(%edi), %eax
	xor %ecx, %ecx
1:	mov %eax, (%ebx, %ecx, 8)
	add $0x1000, %eax
	inc %ecx
	cmp $4, %ecx
	jne 1b

	/* 2048 PD entries of 2 MiB each: 0 .. 4 GiB. */
	lea 0x2000(%edi), %ebx
	mov $(PTE_P + PTE_RW + PTE_PS), %eax
	xor %ecx, %ecx
2:	mov %eax, (%ebx, %ecx, 8)
	add $0x200000, %eax
	inc %ecx
	cmp $2048, %ecx
	jne 2b

	mov %edi, %cr3
	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	and $~CR0_EM, %eax
	or $(CR0_PE | CR0_MP | CR0_PG), %eax
	mov %eax, %cr0

	lgdt gdt_desc
	ljmp $0x08, $start64

	.code64
start64:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	lea boot_stack_top(%rip), %rsp
	mov %esi, %edi                  /* zero-extends: start_info */
	call uk__pvh_main
3:	hlt
	jmp 3b

/* ---- interrupts ---- */

/* Exceptions: push a zero where the CPU pushes no error code, then the
 * vector, and hand the frame to C (which reports and crashes). */
.macro EXC n, has_err
	.p2align 4
exc_\n:
	.if \has_err == 0
	push $0
	.endif
	push $\n
	jmp exc_common
.endm

	.text
EXC 0,0
EXC 1,0
EXC 2,0
EXC 3,0
EXC 4,0
EXC 5,0
EXC 6,0
EXC 7,0
EXC 8,1
EXC 9,0
EXC 10,1
EXC 11,1
EXC 12,1
EXC 13,1
EXC 14,1
EXC 15,0
EXC 16,0
EXC 17,1
EXC 18,0
EXC 19,0
EXC 20,0
EXC 21,1
EXC 22,0
EXC 23,0
EXC 24,0
EXC 25,0
EXC 26,0
EXC 27,0
EXC 28,0
EXC 29,1
EXC 30,1
EXC 31,0

exc_common:
	mov %rsp, %rdi                  /* vector, error, rip, cs, rflags... */
	and $-16, %rsp
	call uk__pvh_exception
4:	hlt
	jmp 4b

/* The event-channel upcall: only wakes the vCPU.  Clearing
 * vcpu_info[0].evtchn_upcall_pending (the first byte of shared_info) stops
 * Xen re-injecting the vector; the poller scans the pending bits.  If it
 * interrupted the idle path just before its HLT (cpu.c: the STI shadow was
 * lost), return past the HLT so the poller runs. */
	.globl uk__pvh_upcall
	.p2align 4
uk__pvh_upcall:
	movb $0, uk__pvh_shared_page(%rip)
	push %rax
	lea uk__pvh_hlt(%rip), %rax
	cmp %rax, 8(%rsp)               /* the interrupted RIP */
	jne 1f
	addq $1, 8(%rsp)                /* HLT is one byte */
1:	pop %rax
	iretq

	.section .rodata
	.globl uk__pvh_exc_stubs
	.p2align 3
uk__pvh_exc_stubs:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad exc_\n
	.endr

	.p2align 3
gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

	.section .bss.boot, "aw", @nobits
	.p2align 12
	.globl uk__pvh_pagetables
uk__pvh_pagetables:
	.skip 6 * 4096
	.globl uk__pvh_shared_page
uk__pvh_shared_page:
	.skip 4096
	.globl uk__pvh_hypercall_page
uk__pvh_hypercall_page:
	.skip 4096
	.p2align 4
boot_stack:
	.skip BOOT_STACK
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
