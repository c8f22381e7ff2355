/* test_pmu.c - host unit tests of MDCR_EL2 for guests (src/arch/aarch64/pmu.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "arch/aarch64/pmu.h"

#define DFR0(pmuver) ((uint64_t)(pmuver) << 8 | 0x6)	/* DebugVer 6 beside it */

static void test_mdcr(void **state)
{
	uint64_t dirty = ~0ull & ~MDCR_HPMN_MASK;	/* every trap and disable bit set */

	(void)state;
	/* HPMN kept, nothing else of the old value */
	assert_int_equal(pmu_mdcr_el2(dirty | 6, DFR0(0)), 6);
	assert_int_equal(pmu_mdcr_el2(dirty | 6, DFR0(0xf)), 6);
	/* PMUv3 (1) and PMUv3p0/1 extensions below p1: only TPMCR, DP kept by the PMCR trap */
	assert_int_equal(pmu_mdcr_el2(6, DFR0(1)), 6 | MDCR_TPMCR);
	assert_int_equal(pmu_mdcr_el2(6, DFR0(4)), 6 | MDCR_HPMD | MDCR_TPMCR);
	assert_int_equal(pmu_mdcr_el2(6, DFR0(5)), 6 | MDCR_HPMD | MDCR_TPMCR);
	/* PMUv3p5 and later: HCCD, no PMCR trap */
	assert_int_equal(pmu_mdcr_el2(6, DFR0(6)), 6 | MDCR_HPMD | MDCR_HCCD);
	assert_int_equal(pmu_mdcr_el2(31, DFR0(8)), 31 | MDCR_HPMD | MDCR_HCCD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mdcr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
