/* fpdump.S - the test cell's dumps of FP/SIMD and SVE registers (the C code is built with
 * -mgeneral-regs-only, so only this file touches them). */
	.arch_extension sve
	.text

/* void tc_fp_dump(uint64_t q[64], uint64_t fpcr_fpsr[2]): V0-V31 as 128-bit values, FPCR, FPSR.
 * CPACR_EL1.FPEN must allow FP at EL1. */
	.globl	tc_fp_dump
tc_fp_dump:
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
	mrs	x2, fpcr
	mrs	x3, fpsr
	stp	x2, x3, [x1]
	ret

/* uint64_t tc_sve_dump(uint8_t *z, uint8_t *p, uint8_t *ffr): Z0-Z31 (32 x VL bytes), P0-P15
 * (16 x VL/8 bytes), FFR (VL/8 bytes); returns VL in bytes. CPACR_EL1.ZEN must allow SVE. */
	.globl	tc_sve_dump
tc_sve_dump:
	str	z0, [x0, #0, mul vl]
	str	z1, [x0, #1, mul vl]
	str	z2, [x0, #2, mul vl]
	str	z3, [x0, #3, mul vl]
	str	z4, [x0, #4, mul vl]
	str	z5, [x0, #5, mul vl]
	str	z6, [x0, #6, mul vl]
	str	z7, [x0, #7, mul vl]
	str	z8, [x0, #8, mul vl]
	str	z9, [x0, #9, mul vl]
	str	z10, [x0, #10, mul vl]
	str	z11, [x0, #11, mul vl]
	str	z12, [x0, #12, mul vl]
	str	z13, [x0, #13, mul vl]
	str	z14, [x0, #14, mul vl]
	str	z15, [x0, #15, mul vl]
	str	z16, [x0, #16, mul vl]
	str	z17, [x0, #17, mul vl]
	str	z18, [x0, #18, mul vl]
	str	z19, [x0, #19, mul vl]
	str	z20, [x0, #20, mul vl]
	str	z21, [x0, #21, mul vl]
	str	z22, [x0, #22, mul vl]
	str	z23, [x0, #23, mul vl]
	str	z24, [x0, #24, mul vl]
	str	z25, [x0, #25, mul vl]
	str	z26, [x0, #26, mul vl]
	str	z27, [x0, #27, mul vl]
	str	z28, [x0, #28, mul vl]
	str	z29, [x0, #29, mul vl]
	str	z30, [x0, #30, mul vl]
	str	z31, [x0, #31, mul vl]
	str	p0, [x1, #0, mul vl]
	str	p1, [x1, #1, mul vl]
	str	p2, [x1, #2, mul vl]
	str	p3, [x1, #3, mul vl]
	str	p4, [x1, #4, mul vl]
	str	p5, [x1, #5, mul vl]
	str	p6, [x1, #6, mul vl]
	str	p7, [x1, #7, mul vl]
	str	p8, [x1, #8, mul vl]
	str	p9, [x1, #9, mul vl]
	str	p10, [x1, #10, mul vl]
	str	p11, [x1, #11, mul vl]
	str	p12, [x1, #12, mul vl]
	str	p13, [x1, #13, mul vl]
	str	p14, [x1, #14, mul vl]
	str	p15, [x1, #15, mul vl]
	rdffr	p0.b
	str	p0, [x2]
	rdvl	x0, #1
	ret
