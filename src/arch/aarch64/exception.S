/* exception.S - EL2 exception vectors, guest entry and exit (Arm ARM D1.10 "Exception entry"). */
#include "arch/aarch64/asm.h"
#include "arch/aarch64/macros.h"

/* uint64_t guest_enter(struct vcpu_regs *regs): load the guest's general registers, PC and
 * PSTATE, eret; returns EXIT_* when the guest traps back to EL2, with its registers saved. */
	.text
	.global guest_enter
guest_enter:
	sub	sp, sp, #ENTER_FRAME
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	str	x0, [sp, #ENTER_REGS_PTR]

	ldp	x1, x2, [x0, #REGS_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #REGS_X(2)]
	ldp	x4, x5, [x0, #REGS_X(4)]
	ldp	x6, x7, [x0, #REGS_X(6)]
	ldp	x8, x9, [x0, #REGS_X(8)]
	ldp	x10, x11, [x0, #REGS_X(10)]
	ldp	x12, x13, [x0, #REGS_X(12)]
	ldp	x14, x15, [x0, #REGS_X(14)]
	ldp	x16, x17, [x0, #REGS_X(16)]
	ldp	x18, x19, [x0, #REGS_X(18)]
	ldp	x20, x21, [x0, #REGS_X(20)]
	ldp	x22, x23, [x0, #REGS_X(22)]
	ldp	x24, x25, [x0, #REGS_X(24)]
	ldp	x26, x27, [x0, #REGS_X(26)]
	ldp	x28, x29, [x0, #REGS_X(28)]
	ldr	x30, [x0, #REGS_X(30)]
	ldp	x0, x1, [x0, #REGS_X(0)]
	eret

/* save the guest's registers into the vcpu_regs whose pointer guest_enter left on the stack */
	.macro	guest_exit, reason
	stp	x0, x1, [sp, #-16]!
	ldr	x0, [sp, #(16 + ENTER_REGS_PTR)]
	stp	x2, x3, [x0, #REGS_X(2)]
	stp	x4, x5, [x0, #REGS_X(4)]
	stp	x6, x7, [x0, #REGS_X(6)]
	stp	x8, x9, [x0, #REGS_X(8)]
	stp	x10, x11, [x0, #REGS_X(10)]
	stp	x12, x13, [x0, #REGS_X(12)]
	stp	x14, x15, [x0, #REGS_X(14)]
	stp	x16, x17, [x0, #REGS_X(16)]
	stp	x18, x19, [x0, #REGS_X(18)]
	stp	x20, x21, [x0, #REGS_X(20)]
	stp	x22, x23, [x0, #REGS_X(22)]
	stp	x24, x25, [x0, #REGS_X(24)]
	stp	x26, x27, [x0, #REGS_X(26)]
	stp	x28, x29, [x0, #REGS_X(28)]
	str	x30, [x0, #REGS_X(30)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #REGS_X(0)]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #REGS_PC]
	mov	x0, #\reason
	b	guest_return
	.endm

guest_return:
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #ENTER_FRAME
	ret

/* an exception taken from EL2 itself is a bug in cella: dump and stop */
	.macro	el2_bad, kind
	sub	sp, sp, #(REGS_SIZE + 16)
	stp	x0, x1, [sp, #REGS_X(0)]
	stp	x2, x3, [sp, #REGS_X(2)]
	stp	x4, x5, [sp, #REGS_X(4)]
	stp	x6, x7, [sp, #REGS_X(6)]
	stp	x8, x9, [sp, #REGS_X(8)]
	stp	x10, x11, [sp, #REGS_X(10)]
	stp	x12, x13, [sp, #REGS_X(12)]
	stp	x14, x15, [sp, #REGS_X(14)]
	stp	x16, x17, [sp, #REGS_X(16)]
	stp	x18, x19, [sp, #REGS_X(18)]
	stp	x20, x21, [sp, #REGS_X(20)]
	stp	x22, x23, [sp, #REGS_X(22)]
	stp	x24, x25, [sp, #REGS_X(24)]
	stp	x26, x27, [sp, #REGS_X(26)]
	stp	x28, x29, [sp, #REGS_X(28)]
	str	x30, [sp, #REGS_X(30)]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #REGS_PC]
	mov	x0, sp
	mov	x1, #\kind
	bl	el2_fault
	b	hang
	.endm

	.macro	vent, label
	.balign	0x80
	b	\label
	.endm

	.balign	0x800
	.global el2_vectors
el2_vectors:
	vent	el2_sync_sp0
	vent	el2_irq_sp0
	vent	el2_fiq_sp0
	vent	el2_serror_sp0
	vent	el2_sync_spx
	vent	el2_irq_spx
	vent	el2_fiq_spx
	vent	el2_serror_spx
	vent	low_sync
	vent	low_irq
	vent	low_fiq
	vent	low_serror
	vent	low_sync		/* lower EL AArch32: same handling */
	vent	low_irq
	vent	low_fiq
	vent	low_serror

el2_sync_sp0:	el2_bad 0
el2_irq_sp0:	el2_bad 1
el2_fiq_sp0:	el2_bad 2
el2_serror_sp0:	el2_bad 3
el2_sync_spx:	el2_bad 0
el2_irq_spx:	el2_bad 1
el2_fiq_spx:	el2_bad 2
el2_serror_spx:	el2_bad 3
low_sync:	guest_exit EXIT_SYNC
low_irq:	guest_exit EXIT_IRQ
low_fiq:	guest_exit EXIT_FIQ
low_serror:	guest_exit EXIT_SERROR

/* void copy_bulk(void *dst, const void *src, uint64_t bytes): bytes a multiple of 64, both
 * 16-byte aligned; used at boot and cell restart only, when no guest FP state is live here. */
	.global copy_bulk
copy_bulk:
	cbz	x2, 2f
1:	ldp	q0, q1, [x1], #32
	ldp	q2, q3, [x1], #32
	stp	q0, q1, [x0], #32
	stp	q2, q3, [x0], #32
	subs	x2, x2, #64
	b.hi	1b
2:	ret

/* void dcache_clean_range(uint64_t va, uint64_t bytes): clean to the point of coherency, so a
 * guest that starts with its MMU and caches off sees what cella wrote (booting.rst). */
	.global dcache_clean_range
dcache_clean_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	add	x1, x0, x1
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	cvac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
