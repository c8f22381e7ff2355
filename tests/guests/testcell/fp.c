/* fp.c - mode fp-reset: the FP/SIMD, SVE and SME state a vCPU finds when it first runs must be
 * zero (nothing of cella's image copies or another cell leaks in). */
#include <stdbool.h>
#include <stdint.h>

#include "testcell.h"

#define SVE_VL_MAX 256		/* bytes: the architecture's largest vector (2048 bits) */

void tc_fp_dump(uint64_t q[64], uint64_t fpcr_fpsr[2]);
uint64_t tc_sve_dump(uint8_t *z, uint8_t *p, uint8_t *ffr);

static uint64_t q[64];
static uint8_t z[32 * SVE_VL_MAX], pr[16 * SVE_VL_MAX / 8], ffr[SVE_VL_MAX / 8];

static uint64_t read_cpacr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(v));
	return v;
}

static void write_cpacr(uint64_t v)
{
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(v) : "memory");
}

/* index of the first nonzero byte of @b (@n bytes), or -1 */
static long first_nonzero(const uint8_t *b, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (b[i])
			return (long)i;
	return -1;
}

void tc_mode_fp_reset(void)
{
	uint64_t fpcr_fpsr[2], pfr0 = read_id_aa64pfr0_el1(), pfr1, vl;
	long nz;

	__asm__ volatile("mrs %0, id_aa64pfr1_el1" : "=r"(pfr1));
	write_cpacr(read_cpacr() | (3ull << 20));		/* FPEN: FP/SIMD at EL1 and EL0 */
	tc_fp_dump(q, fpcr_fpsr);
	nz = first_nonzero((const uint8_t *)q, sizeof(q));
	tc_check(nz < 0, "fp_vregs_zero", nz < 0 ? "q0-q31 all zero" : "q%ld = 0x%016lx%016lx",
		 nz / 16, (unsigned long)q[(nz / 16) * 2 + 1], (unsigned long)q[(nz / 16) * 2]);
	tc_check(fpcr_fpsr[0] == 0 && fpcr_fpsr[1] == 0, "fp_fpcr_fpsr_zero", "FPCR 0x%lx FPSR 0x%lx",
		 (unsigned long)fpcr_fpsr[0], (unsigned long)fpcr_fpsr[1]);
	if (!((pfr0 >> 32) & 0xf)) {
		tc_skip("fp_sve_zero", "no SVE (ID_AA64PFR0_EL1.SVE = 0)");
	} else {
		write_cpacr(read_cpacr() | (3ull << 16));	/* ZEN */
		__asm__ volatile("msr S3_0_C1_C2_0, %0\n\tisb" : : "r"(0x1ffull));	/* ZCR_EL1 */
		vl = tc_sve_dump(z, pr, ffr);
		if (!tc_check(vl >= 16 && vl <= SVE_VL_MAX && !(vl & 15), "fp_sve_vl",
			      "VL %lu bytes", (unsigned long)vl))
			vl = 16;
		nz = first_nonzero(z, 32 * vl);
		tc_check(nz < 0, "fp_sve_z_zero", nz < 0 ? "z0-z31 all zero (VL %lu)"
				 : "z%ld byte %ld is 0x%x", nz < 0 ? (long)vl : nz / (long)vl,
			 nz % (long)vl, nz < 0 ? 0 : z[nz]);
		nz = first_nonzero(pr, 16 * vl / 8);
		tc_check(nz < 0, "fp_sve_p_zero", nz < 0 ? "p0-p15 all zero" : "p%ld nonzero",
			 nz / (long)(vl / 8));
		nz = first_nonzero(ffr, vl / 8);
		tc_check(nz < 0, "fp_sve_ffr_zero", "FFR %s", nz < 0 ? "zero" : "not zero");
	}
	if (!((pfr1 >> 24) & 0xf)) {
		tc_skip("fp_sme_off", "no SME (ID_AA64PFR1_EL1.SME = 0)");
	} else {
		uint64_t svcr, tpidr2;

		write_cpacr(read_cpacr() | (3ull << 24));	/* SMEN */
		__asm__ volatile("mrs %0, S3_3_C4_C2_2" : "=r"(svcr));
		__asm__ volatile("mrs %0, S3_3_C13_C0_5" : "=r"(tpidr2));
		tc_check(svcr == 0 && tpidr2 == 0, "fp_sme_off", "SVCR 0x%lx TPIDR2_EL0 0x%lx",
			 (unsigned long)svcr, (unsigned long)tpidr2);
	}
}
