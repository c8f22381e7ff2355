/* head.S - a native component's entry: the arm64 Image header (Linux
 * Documentation/arm64/booting.rst), EL1 setup up to the C entry rt_start, and the exception
 * vectors (Arm ARM, "Exception vectors"). */

#define FRAME_SIZE 288			/* struct rt_frame: x0-x30, sp, elr, spsr, esr, far */
#define FP_SIZE 528			/* q0-q31, fpsr, fpcr */
#define PUSH_SIZE (FRAME_SIZE + FP_SIZE)

	.section .text.head, "ax"
	.globl	_start
_start:
	b	rt_entry			/* code0 */
	.long	0				/* code1 */
	.quad	RT_TEXT_OFFSET			/* text_offset: linked at RAM base + this */
	.quad	__image_size			/* image_size: with BSS, heap and stack */
	.quad	0x2				/* flags: LE, 4 KiB pages, base of RAM (not
						 * relocatable: bit 3 "anywhere" clear) */
	.quad	0, 0, 0				/* res2-res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

/* Entered at EL1h, MMU and caches off, interrupts masked, x0 = the DTB's IPA (booting.rst). */
rt_entry:
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x9, CurrentEL
	cmp	x9, #(1 << 2)
	b.ne	.Lwrong_el
	mov	x9, #(3 << 20)			/* CPACR_EL1.FPEN: FP/SIMD for picolibc */
	msr	cpacr_el1, x9
	adrp	x9, rt_vectors
	add	x9, x9, :lo12:rt_vectors
	msr	vbar_el1, x9
	isb
	/* the image reaches its data PC-relatively but picolibc holds absolute pointers */
	adr	x9, _start
	ldr	x10, =_start
	cmp	x9, x10
	b.ne	.Lwrong_place
	/* zero .tbss and .bss (16-byte aligned, the linker script checks) */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	adrp	x0, __stack_top
	add	x0, x0, :lo12:__stack_top
	mov	sp, x0
	/* picolibc's errno and friends are thread-local (local-exec TLS): one thread, whose TLS
	 * block is the image's own .tdata/.tbss; AArch64 puts a 16-byte TCB below it */
	adrp	x0, __tls_base
	add	x0, x0, :lo12:__tls_base
	sub	x0, x0, #16
	msr	tpidr_el0, x0
	mov	x0, x19
	bl	rt_start
	b	.Lhalt

.Lwrong_el:
	adr	x1, .Lmsg_el
	b	.Lfail
.Lwrong_place:
	adr	x1, .Lmsg_place
.Lfail:						/* say why on QEMU virt's PL011, then power off */
	mov	x2, #0x09000000
3:	ldrb	w3, [x1], #1
	cbz	w3, 4f
	str	w3, [x2]
	b	3b
4:	mov	x0, #8
	movk	x0, #0x8400, lsl #16		/* PSCI SYSTEM_OFF */
	hvc	#0
.Lhalt:
	wfi
	b	.Lhalt

.Lmsg_el:
	.asciz	"cella-rt: a component runs at EL1 (a cella cell, QEMU virt without EL2); halting\n"
.Lmsg_place:
	.asciz	"cella-rt: not loaded at its link address (RAM base 0x40000000 + text_offset); halting\n"
	.balign	8
	.ltorg

/* ---- exception vectors ---------------------------------------------------------------------- */

.macro	VENTRY kind
	.balign	0x80
	sub	sp, sp, #PUSH_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	vector_common
.endm

	.text
	.balign	0x800
	.globl	rt_vectors
rt_vectors:
	VENTRY	0
	VENTRY	1
	VENTRY	2
	VENTRY	3
	VENTRY	4
	VENTRY	5
	VENTRY	6
	VENTRY	7
	VENTRY	8
	VENTRY	9
	VENTRY	10
	VENTRY	11
	VENTRY	12
	VENTRY	13
	VENTRY	14
	VENTRY	15

/* Save the interrupted context (general registers, then FP/SIMD: an IRQ handler in C may use
 * any of them), call rt_exception(frame, kind), restore and return. */
vector_common:
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
	str	x30, [sp, #240]
	add	x0, sp, #PUSH_SIZE		/* the interrupted SP */
	mrs	x2, elr_el1
	stp	x0, x2, [sp, #248]
	mrs	x3, spsr_el1
	mrs	x0, esr_el1
	stp	x3, x0, [sp, #264]
	mrs	x2, far_el1
	str	x2, [sp, #280]
	add	x0, sp, #FRAME_SIZE
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x2, fpsr
	str	x2, [x0, #512]
	mrs	x2, fpcr
	str	x2, [x0, #520]
	mov	x0, sp
	bl	rt_exception

	add	x0, sp, #FRAME_SIZE
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	x2, [x0, #512]
	msr	fpsr, x2
	ldr	x2, [x0, #520]
	msr	fpcr, x2
	ldp	x2, x3, [sp, #256]		/* elr, spsr (the handler may have changed them) */
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp]
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
	ldr	x30, [sp, #240]
	add	sp, sp, #PUSH_SIZE
	eret
