/* pmu.h - MDCR_EL2 for guests: the PMU shows a cell nothing of EL2 (Arm ARM D13.3.8 MDCR_EL2,
 * D13.2.30 ID_AA64DFR0_EL1.PMUVer, D13.8.6 PMCR_EL0.DP). Pure C. */
#ifndef CELLA_ARCH_PMU_H
#define CELLA_ARCH_PMU_H

#include <stdint.h>

#define MDCR_HPMN_MASK 0x1full
#define MDCR_TPMCR (1ull << 5)
#define MDCR_HPMD (1ull << 17)
#define MDCR_HCCD (1ull << 23)
#define PMCR_DP (1ull << 5)

/* pmu_mdcr_el2 - MDCR_EL2 for guests from the current value @mdcr (its HPMN is kept: every
 * event counter stays the guest's) and ID_AA64DFR0_EL1 @dfr0: no debug traps; with
 * FEAT_PMUv3p1 (PMUVer >= 4) HPMD, so event counters do not count at EL2; with FEAT_PMUv3p5
 * (PMUVer >= 6) HCCD, so the cycle counter does not either; without it, the cycle counter obeys
 * HPMD only while PMCR_EL0.DP is set, so TPMCR traps PMCR_EL0 and cella keeps DP set. No PMUv3
 * (0) or an IMPLEMENTATION DEFINED one (0xF): HPMN only. */
static inline uint64_t pmu_mdcr_el2(uint64_t mdcr, uint64_t dfr0)
{
	uint64_t pmuver = (dfr0 >> 8) & 0xf;

	mdcr &= MDCR_HPMN_MASK;
	if (pmuver == 0 || pmuver == 0xf)
		return mdcr;
	if (pmuver >= 4)
		mdcr |= MDCR_HPMD;
	return mdcr | (pmuver >= 6 ? MDCR_HCCD : MDCR_TPMCR);
}

#endif
