/* head.S - test cell entry: arm64 Image header, move to the link address, BSS, stacks,
 * exception vectors and the PSCI CPU_ON entry (Linux Documentation/arm64/booting.rst). */
#include "testcell.h"

/*
 * QEMU with virtualization=on and no hypervisor enters at EL2: drop to EL1h, AArch64, with the
 * EL1 physical timer, the GIC system registers and the real MPIDR visible, interrupts masked.
 * In a cella cell (EL1) this does nothing. Clobbers x9.
 */
.macro	DROP_TO_EL1
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	8001f
	mov	x9, #(1 << 31)			/* HCR_EL2.RW */
	msr	hcr_el2, x9
	mov	x9, #3				/* CNTHCTL_EL2.EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mrs	x9, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	orr	x9, x9, #1			/* SRE */
	orr	x9, x9, #8			/* Enable: EL1 may use them too */
	msr	S3_4_C12_C9_5, x9
	mrs	x9, midr_el1
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mov	x9, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x9
	adr	x9, 8001f
	msr	elr_el2, x9
	isb
	eret
8001:
.endm

	.section .text.head, "ax"
	.globl	_start
_start:
	b	tc_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	__image_size			/* image_size, with BSS and stacks */
	.quad	0xa				/* flags: LE, 4 KiB pages, anywhere */
	.quad	0, 0, 0				/* res2-res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

/*
 * Entered at EL1h (EL2 without a hypervisor), MMU and caches off, x0 = DTB. cella loads the
 * image at its link address (RAM base 0x40000000 + text_offset 0); QEMU's own loader puts it
 * 2 MiB higher. Compiled C reaches code and data PC-relatively (adrp), but data may hold
 * absolute pointers (a table of strings, a switch turned into a lookup table), so an image
 * entered elsewhere copies itself to its link address first. It runs in place instead (and
 * must then avoid such tables) when the copy would overwrite the DTB or the copy loop. RAM at
 * the link address is assumed, as on QEMU virt and in every cella cell.
 */
tc_entry:
	msr	daifset, #0xf
	mov	x19, x0				/* DTB */
	DROP_TO_EL1
	adr	x20, _start			/* where we were loaded */
	ldr	x21, =_start			/* where we are linked */
	cmp	x20, x21
	b.eq	.Lrun
	ldr	x22, =__image_size
	add	x23, x21, x22			/* end of the link-address footprint */
	tst	x19, #7
	b.ne	.Lcopy				/* no usable DTB pointer */
	cbz	x19, .Lcopy
	ldr	w24, [x19]
	ldr	w25, =0xedfe0dd0		/* 0xd00dfeed as big-endian bytes */
	cmp	w24, w25
	b.ne	.Lcopy
	ldr	w24, [x19, #4]
	rev	w24, w24			/* totalsize */
	add	x24, x19, x24			/* DTB end */
	cmp	x19, x23			/* dtb < link end && link < dtb end */
	b.hs	.Lcopy
	cmp	x21, x24
	b.lo	.Lrun				/* would clobber the DTB: run in place */
.Lcopy:
	ldr	x22, =__load_size		/* bytes the file holds, a multiple of 16 */
	subs	x0, x21, x20			/* don't overwrite the copy loop */
	cneg	x0, x0, lo
	cmp	x0, x22
	b.lo	.Lrun
	cmp	x21, x20
	b.hi	.Lcopy_down
	mov	x0, x20				/* destination below: copy forward */
	mov	x1, x21
	add	x2, x20, x22
1:	ldp	x3, x4, [x0], #16
	stp	x3, x4, [x1], #16
	cmp	x0, x2
	b.lo	1b
	b	.Lcopied
.Lcopy_down:					/* destination above: copy backward */
	add	x0, x20, x22
	add	x1, x21, x22
2:	ldp	x3, x4, [x0, #-16]!
	stp	x3, x4, [x1, #-16]!
	cmp	x0, x20
	b.hi	2b
.Lcopied:
	dsb	sy
	ic	iallu
	dsb	sy
	isb
	ldr	x0, =.Lrun
	br	x0

.Lrun:
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
3:	cmp	x0, x1
	b.hs	4f
	stp	xzr, xzr, [x0], #16
	b	3b
4:	adrp	x0, tc_stacks
	add	x0, x0, :lo12:tc_stacks
	add	sp, x0, #TC_STACK_SIZE		/* slot 0: the boot CPU */
	msr	tpidr_el1, xzr
	bl	tc_cpu_setup
	mov	x0, x19
	mov	x1, x20
	adr	x2, _start
	bl	tc_main
5:	wfe
	b	5b

/* A CPU started by PSCI CPU_ON: x0 = context id; the boot CPU named its slot in tc_boot_slot. */
	.text
	.globl	tc_secondary_entry
	.balign	8
tc_secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	DROP_TO_EL1
	adrp	x1, tc_boot_slot
	ldr	w1, [x1, :lo12:tc_boot_slot]
	cmp	w1, #TC_NR_SLOTS
	b.hs	6f
	msr	tpidr_el1, x1
	adrp	x2, tc_stacks
	add	x2, x2, :lo12:tc_stacks
	add	x1, x1, #1
	mov	x3, #TC_STACK_SIZE
	madd	x2, x1, x3, x2			/* top of the slot's stack */
	mov	sp, x2
	bl	tc_cpu_setup
	mov	x0, x19
	bl	tc_secondary_main
6:	wfe
	b	6b

/* A CPU started by the churn modes (hostile_psci.c), several at once: its slot is its MPIDR
 * Aff0 + 1 (cella's vCPU index + 1), so concurrent starts never share a stack. x0 = context. */
	.globl	tc_churn_entry
	.balign	8
tc_churn_entry:
	msr	daifset, #0xf
	mov	x19, x0
	DROP_TO_EL1
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	add	x1, x1, #1
	cmp	x1, #TC_NR_SLOTS
	b.hs	7f
	msr	tpidr_el1, x1
	adrp	x2, tc_stacks
	add	x2, x2, :lo12:tc_stacks
	add	x1, x1, #1
	mov	x3, #TC_STACK_SIZE
	madd	x2, x1, x3, x2			/* top of the slot's stack */
	mov	sp, x2
	bl	tc_cpu_setup
	mov	x0, x19
	bl	tc_churn_secondary
7:	wfe
	b	7b

/* Per-CPU EL1 state: vectors, SCTLR (MMU and D-cache off, I-cache on, SP alignment checks). */
tc_cpu_setup:
	adr	x0, tc_vectors
	msr	vbar_el1, x0
	ldr	x0, =0x30d01808			/* RES1 bits | I | SA */
	msr	sctlr_el1, x0
	isb
	msr	daifclr, #4			/* SErrors (an injected abort) are reported */
	ret

/* Vectors: save a struct tc_frame, call tc_exception(frame, index), restore and return. */
.macro	VECTOR kind
	.balign	0x80
	sub	sp, sp, #TC_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	tc_vector_common
.endm

	.balign	0x800
tc_vectors:
	VECTOR	0
	VECTOR	1
	VECTOR	2
	VECTOR	3
	VECTOR	4
	VECTOR	5
	VECTOR	6
	VECTOR	7
	VECTOR	8
	VECTOR	9
	VECTOR	10
	VECTOR	11
	VECTOR	12
	VECTOR	13
	VECTOR	14
	VECTOR	15

tc_vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #240]
	mrs	x2, spsr_el1
	mrs	x3, esr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, far_el1
	str	x2, [sp, #272]
	mov	x0, sp
	bl	tc_exception
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #TC_FRAME_SIZE
	eret

	.ltorg
