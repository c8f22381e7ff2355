/* fpsimd.S - clearing this pCPU's FP/SIMD, SVE and SME register state before a vCPU first runs
 * on it, so nothing of cella's copies (copy_bulk uses q0-q3) or of a previous cell leaks in
 * (Arm ARM A1.4 "SIMD and floating-point", B1.2.2 "SVE registers", SME "ZA storage"). */
#include "arch/aarch64/asm.h"

	.arch_extension sve
	.text

/* void fpsimd_reset(void): V0-V31, FPCR, FPSR; with SVE (ID_AA64PFR0_EL1.SVE) Z0-Z31 at the
 * largest vector length ZCR_EL2 allows, P0-P15 and FFR; with SME (ID_AA64PFR1_EL1.SME)
 * streaming mode and ZA off (SVCR = 0, which zeroes their contents) and TPIDR2_EL0. Guests
 * cannot reach SVE or SME (CPTR_EL2.TZ, TSM; hidden ID fields), but their state is cleared
 * anyway: the traps are lifted here for the duration. Clobbers x0-x2. */
	.global fpsimd_reset
fpsimd_reset:
	mrs	x2, cptr_el2
	bic	x1, x2, #(1 << 8)		/* TZ */
	bic	x1, x1, #(1 << 12)		/* TSM */
	msr	cptr_el2, x1
	isb
	mrs	x0, id_aa64pfr1_el1
	ubfx	x0, x0, #24, #4			/* SME */
	cbz	x0, 1f
	msr	S3_3_C4_C2_2, xzr		/* SVCR: leave streaming mode, ZA off */
	msr	S3_3_C13_C0_5, xzr		/* TPIDR2_EL0 */
	isb
1:	movi	v0.16b, #0
	movi	v1.16b, #0
	movi	v2.16b, #0
	movi	v3.16b, #0
	movi	v4.16b, #0
	movi	v5.16b, #0
	movi	v6.16b, #0
	movi	v7.16b, #0
	movi	v8.16b, #0
	movi	v9.16b, #0
	movi	v10.16b, #0
	movi	v11.16b, #0
	movi	v12.16b, #0
	movi	v13.16b, #0
	movi	v14.16b, #0
	movi	v15.16b, #0
	movi	v16.16b, #0
	movi	v17.16b, #0
	movi	v18.16b, #0
	movi	v19.16b, #0
	movi	v20.16b, #0
	movi	v21.16b, #0
	movi	v22.16b, #0
	movi	v23.16b, #0
	movi	v24.16b, #0
	movi	v25.16b, #0
	movi	v26.16b, #0
	movi	v27.16b, #0
	movi	v28.16b, #0
	movi	v29.16b, #0
	movi	v30.16b, #0
	movi	v31.16b, #0
	msr	fpcr, xzr
	msr	fpsr, xzr
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #32, #4			/* SVE */
	cbz	x0, 2f
	mov	x1, #0x1ff			/* ZCR_EL2.LEN: the largest the CPU has */
	msr	S3_4_C1_C2_0, x1
	isb
	mov	z0.d, #0
	mov	z1.d, #0
	mov	z2.d, #0
	mov	z3.d, #0
	mov	z4.d, #0
	mov	z5.d, #0
	mov	z6.d, #0
	mov	z7.d, #0
	mov	z8.d, #0
	mov	z9.d, #0
	mov	z10.d, #0
	mov	z11.d, #0
	mov	z12.d, #0
	mov	z13.d, #0
	mov	z14.d, #0
	mov	z15.d, #0
	mov	z16.d, #0
	mov	z17.d, #0
	mov	z18.d, #0
	mov	z19.d, #0
	mov	z20.d, #0
	mov	z21.d, #0
	mov	z22.d, #0
	mov	z23.d, #0
	mov	z24.d, #0
	mov	z25.d, #0
	mov	z26.d, #0
	mov	z27.d, #0
	mov	z28.d, #0
	mov	z29.d, #0
	mov	z30.d, #0
	mov	z31.d, #0
	pfalse	p0.b
	wrffr	p0.b
	pfalse	p1.b
	pfalse	p2.b
	pfalse	p3.b
	pfalse	p4.b
	pfalse	p5.b
	pfalse	p6.b
	pfalse	p7.b
	pfalse	p8.b
	pfalse	p9.b
	pfalse	p10.b
	pfalse	p11.b
	pfalse	p12.b
	pfalse	p13.b
	pfalse	p14.b
	pfalse	p15.b
2:	msr	cptr_el2, x2
	isb
	ret

/* void fpsimd_save(struct fpsimd_state *s): V0-V31 (16-byte aligned @s), then FPCR, FPSR */
	.global fpsimd_save
fpsimd_save:
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
	mrs	x1, fpcr
	mrs	x2, fpsr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret

/* void fpsimd_restore(const struct fpsimd_state *s): the reverse of fpsimd_save */
	.global fpsimd_restore
fpsimd_restore:
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
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpcr, x1
	msr	fpsr, x2
	ret
