/* dabt.h - decoding of a data abort's instruction syndrome for MMIO emulation (Arm ARM
 * D13.2.37, ESR_ELx "ISS encoding for an exception from a Data Abort"). Pure C. */
#ifndef CELLA_ARCH_DABT_H
#define CELLA_ARCH_DABT_H

#include <stdbool.h>
#include <stdint.h>

struct dabt {
	bool valid;		/* ISV: the syndrome describes the access (else not emulable) */
	bool write;		/* WnR */
	bool s1ptw;		/* fault on a stage-1 table walk */
	unsigned size;		/* bytes: 1, 2, 4, 8 (SAS) */
	unsigned reg;		/* SRT: transfer register, 31 = XZR */
	bool sign_extend;	/* SSE */
	bool reg64;		/* SF: 64-bit destination register */
};

/* dabt_decode - the fields of ESR_EL2 value @esr of a data abort from a lower EL. */
static inline struct dabt dabt_decode(uint64_t esr)
{
	return (struct dabt){
		.valid = (esr >> 24) & 1,
		.write = (esr >> 6) & 1,
		.s1ptw = (esr >> 7) & 1,
		.size = 1u << ((esr >> 22) & 3),
		.reg = (unsigned)((esr >> 16) & 0x1f),
		.sign_extend = (esr >> 21) & 1,
		.reg64 = (esr >> 15) & 1,
	};
}

/* dabt_store_value - the bytes a store writes: register value @reg truncated to the size. */
static inline uint64_t dabt_store_value(const struct dabt *d, uint64_t reg)
{
	return d->size < 8 ? reg & ((1ull << (d->size * 8)) - 1) : reg;
}

/* dabt_load_value - what the destination register gets for @val read from the device:
 * truncated to the access size, sign-extended if SSE, then limited to 32 bits for a W
 * register (SF = 0). */
static inline uint64_t dabt_load_value(const struct dabt *d, uint64_t val)
{
	if (d->size < 8) {
		val &= (1ull << (d->size * 8)) - 1;
		if (d->sign_extend && (val >> (d->size * 8 - 1)) & 1)
			val |= ~0ull << (d->size * 8);
	}
	if (!d->reg64)
		val &= 0xffffffffull;
	return val;
}

#endif
