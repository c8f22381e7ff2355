/* insn.h - stepping a guest past a trapped instruction, AArch64 or AArch32 (A32/T32): the
 * instruction length from ESR_EL2.IL, the condition of a trapped AArch32 instruction (ISS CV,
 * COND) and the IT-block state a T32 instruction leaves (Arm ARM D13.2.37 ESR_EL2.IL and
 * "ISS encoding for an exception from an MCR or MRC access"; G1.9.2 ITSTATE; F1.3 conditions).
 * Also which trapped AArch32 CP15 accesses are the EL1 physical timer. Pure C. */
#ifndef CELLA_ARCH_INSN_H
#define CELLA_ARCH_INSN_H

#include <stdbool.h>
#include <stdint.h>

#define PSR_AA32 (1ull << 4)		/* SPSR_EL2.M[4]: taken from AArch32 */
#define PSR_AA32_T (1ull << 5)		/* T32 (Thumb) state */
#define ESR_EC_CP15_32 0x03		/* MCR/MRC to CP15 */
#define ESR_EC_CP15_64 0x04		/* MCRR/MRRC to CP15 */

/* esr_insn_bytes - length in bytes of the instruction that trapped with syndrome @esr: 4 if
 * ESR_EL2.IL (bit 25) is set, 2 for a 16-bit T32 instruction. */
static inline uint64_t esr_insn_bytes(uint64_t esr)
{
	return (esr >> 25) & 1 ? 4 : 2;
}

/* a32_it - ITSTATE<7:0> of AArch32 SPSR @spsr: IT[1:0] in bits 26:25, IT[7:2] in bits 15:10 */
static inline uint32_t a32_it(uint64_t spsr)
{
	return (uint32_t)(((spsr >> 25) & 3) | (((spsr >> 10) & 0x3f) << 2));
}

/* a32_cond_passed - would the trapped AArch32 instruction (syndrome @esr, taken with SPSR
 * @spsr) have executed? ISS.CV (bit 24) says whether ISS.COND (23:20) is valid; if not, a T32
 * instruction's condition is ITSTATE<7:4> in an IT block, else it is unconditional. */
static inline bool a32_cond_passed(uint64_t esr, uint64_t spsr)
{
	uint32_t cond, n = (spsr >> 31) & 1, z = (spsr >> 30) & 1, c = (spsr >> 29) & 1,
		 v = (spsr >> 28) & 1;
	bool r;

	if ((esr >> 24) & 1)
		cond = (uint32_t)(esr >> 20) & 0xf;
	else if ((spsr & PSR_AA32_T) && (a32_it(spsr) & 0xf))
		cond = a32_it(spsr) >> 4;
	else
		return true;
	switch (cond >> 1) {
	case 0: r = z; break;			/* EQ / NE */
	case 1: r = c; break;			/* CS / CC */
	case 2: r = n; break;			/* MI / PL */
	case 3: r = v; break;			/* VS / VC */
	case 4: r = c && !z; break;		/* HI / LS */
	case 5: r = n == v; break;		/* GE / LT */
	case 6: r = n == v && !z; break;	/* GT / LE */
	default: return true;			/* AL (and 0b1111) */
	}
	return (cond & 1) ? !r : r;
}

/* a32_it_advance - @spsr with ITSTATE advanced past one T32 instruction (ITAdvance()):
 * the last instruction of an IT block clears it, others shift IT[4:0] left. Unchanged outside
 * T32 state or an IT block. */
static inline uint64_t a32_it_advance(uint64_t spsr)
{
	uint32_t it = a32_it(spsr);

	if (!(spsr & PSR_AA32) || !(spsr & PSR_AA32_T) || !(it & 0xf))
		return spsr;
	it = (it & 7) == 0 ? 0 : ((it & 0xe0) | ((it << 1) & 0x1f));
	spsr &= ~((3ull << 25) | (0x3full << 10));
	return spsr | ((uint64_t)(it & 3) << 25) | ((uint64_t)(it >> 2) << 10);
}

/* insn_skip - step a guest at @pc with SPSR @pstate past the instruction that trapped with
 * @esr: PC by its length (2 or 4), and for AArch32 T32 the IT state. */
static inline void insn_skip(uint64_t *pc, uint64_t *pstate, uint64_t esr)
{
	*pc += esr_insn_bytes(esr);
	if (*pstate & PSR_AA32)
		*pstate = a32_it_advance(*pstate);
}

/* cp15_is_cntp - the trapped AArch32 CP15 access with syndrome @esr (EC 0x03 or 0x04) is to
 * the EL1 physical timer: CNTP_TVAL (c14, c2, 0) or CNTP_CTL (c14, c2, 1), opc1 0, by MCR/MRC;
 * CNTP_CVAL (opc1 2, c14) by MCRR/MRRC. */
static inline bool cp15_is_cntp(uint64_t esr)
{
	uint32_t ec = (uint32_t)(esr >> 26) & 0x3f, iss = (uint32_t)esr & 0x1ffffff;

	if (ec == ESR_EC_CP15_32)
		return ((iss >> 10) & 0xf) == 14 && ((iss >> 1) & 0xf) == 2 &&
		       ((iss >> 14) & 7) == 0 && ((iss >> 17) & 7) <= 1;
	if (ec == ESR_EC_CP15_64)
		return ((iss >> 1) & 0xf) == 14 && ((iss >> 16) & 0xf) == 2;
	return false;
}

/* cp15_is_pmcr - the trapped AArch32 CP15 access with syndrome @esr is an MCR/MRC to PMCR
 * (p15, 0, c9, c12, 0), trapped by MDCR_EL2.TPMCR. */
static inline bool cp15_is_pmcr(uint64_t esr)
{
	uint32_t iss = (uint32_t)esr & 0x1ffffff;

	return ((esr >> 26) & 0x3f) == ESR_EC_CP15_32 && ((iss >> 10) & 0xf) == 9 &&
	       ((iss >> 1) & 0xf) == 12 && ((iss >> 14) & 7) == 0 && ((iss >> 17) & 7) == 0;
}

#endif
