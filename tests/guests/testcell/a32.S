/* a32.S - running a few T32 (Thumb) instructions at AArch32 EL0 and coming back (mode
 * a32-thumb): the instructions are hand-encoded, since the toolchain assembles A64 only. */

/* The T32 code: r0 = the UART base on entry. Ends with SVC, which returns to EL1. */
	.text
	.balign	4
	.globl	tc_a32_code
tc_a32_code:
	.hword	0x6981			/* ldr   r1, [r0, #24]: UART FR, emulated, 16 bits */
	.hword	0x2201			/* movs  r2, #1: skipped if the PC moves by 4 */
	.hword	0xee1e, 0x4f32		/* mrc   p15, 0, r4, c14, c2, 1: CNTP_CTL */
	.hword	0xec56, 0x5f2e		/* mrrc  p15, 2, r5, r6, c14: CNTP_CVAL */
	.hword	0x2301			/* movs  r3, #1 */
	.hword	0xdf00			/* svc   #0 */
	.hword	0xe7fe			/* b     . */
	.hword	0xe7fe

/* uint64_t tc_a32_run(uint64_t code, uint64_t regs[8]): enter @code at AArch32 EL0 in T32
 * state, interrupts masked, with r0-r7 = regs[0-7]; tc_exception brings the SVC (or any other
 * exception from there) back to tc_a32_return, which returns here. */
	.globl	tc_a32_run
tc_a32_run:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	adrp	x2, tc_a32_sp
	add	x2, x2, :lo12:tc_a32_sp
	mov	x3, sp
	str	x3, [x2]
	msr	elr_el1, x0
	mov	x3, #0x1f0			/* M = User (0x10), T, A I F masked */
	msr	spsr_el1, x3
	mov	x9, x1
	ldp	x0, x1, [x9]
	ldp	x2, x3, [x9, #16]
	ldp	x4, x5, [x9, #32]
	ldp	x6, x7, [x9, #48]
	isb
	eret

	.globl	tc_a32_return
tc_a32_return:
	adrp	x2, tc_a32_sp
	ldr	x3, [x2, :lo12:tc_a32_sp]
	mov	sp, x3
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.bss
	.balign	8
tc_a32_sp:
	.quad	0
