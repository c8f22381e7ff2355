/* test_psci.c - host unit tests of SMCCC/PSCI function ID decoding (src/arch/aarch64/psci.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/psci.h"

#define A1 0x1111111122222222ull
#define A2 0x3333333344444444ull
#define A3 0xffffffff80000001ull

static struct smccc_call decode(uint64_t x0)
{
	struct smccc_call c;

	memset(&c, 0xa5, sizeof(c));	/* every field must be written */
	smccc_decode(x0, A1, A2, A3, &c);
	return c;
}

static void expect_kind(uint64_t x0, enum smccc_kind kind)
{
	struct smccc_call c = decode(x0);

	assert_int_equal(c.kind, kind);
	assert_int_equal(c.fid, (uint32_t)x0);
	assert_int_equal(c.smc64, (x0 >> 30) & 1);
}

static void test_psci_ids(void **state)
{
	(void)state;
	expect_kind(PSCI_0_2_FN_VERSION, SMCCC_PSCI_VERSION);
	expect_kind(PSCI_0_2_FN_CPU_SUSPEND, SMCCC_PSCI_CPU_SUSPEND);
	expect_kind(PSCI_0_2_FN64_CPU_SUSPEND, SMCCC_PSCI_CPU_SUSPEND);
	expect_kind(PSCI_0_2_FN_CPU_OFF, SMCCC_PSCI_CPU_OFF);
	expect_kind(PSCI_0_2_FN_CPU_ON, SMCCC_PSCI_CPU_ON);
	expect_kind(PSCI_0_2_FN64_CPU_ON, SMCCC_PSCI_CPU_ON);
	expect_kind(PSCI_0_2_FN_AFFINITY_INFO, SMCCC_PSCI_AFFINITY_INFO);
	expect_kind(PSCI_0_2_FN64_AFFINITY_INFO, SMCCC_PSCI_AFFINITY_INFO);
	expect_kind(PSCI_0_2_FN_MIGRATE_INFO_TYPE, SMCCC_PSCI_MIGRATE_INFO_TYPE);
	expect_kind(PSCI_0_2_FN_SYSTEM_OFF, SMCCC_PSCI_SYSTEM_OFF);
	expect_kind(PSCI_0_2_FN_SYSTEM_RESET, SMCCC_PSCI_SYSTEM_RESET);
	expect_kind(PSCI_1_0_FN_PSCI_FEATURES, SMCCC_PSCI_FEATURES);
	/* literal values, independent of the header's macros (DEN0022D table 5.1) */
	expect_kind(0x84000000u, SMCCC_PSCI_VERSION);
	expect_kind(0xc4000003u, SMCCC_PSCI_CPU_ON);
	expect_kind(0x8400000au, SMCCC_PSCI_FEATURES);
}

static void test_unimplemented_psci_ids(void **state)
{
	(void)state;
	/* SMC64 forms of SMC32-only functions */
	expect_kind(0xc4000000u, SMCCC_UNKNOWN);	/* VERSION */
	expect_kind(0xc4000002u, SMCCC_UNKNOWN);	/* CPU_OFF */
	expect_kind(0xc4000008u, SMCCC_UNKNOWN);	/* SYSTEM_OFF */
	expect_kind(0xc400000au, SMCCC_UNKNOWN);	/* PSCI_FEATURES */
	/* PSCI functions cella does not implement */
	expect_kind(0x84000005u, SMCCC_UNKNOWN);	/* MIGRATE */
	expect_kind(0xc4000005u, SMCCC_UNKNOWN);
	expect_kind(0x84000007u, SMCCC_UNKNOWN);	/* MIGRATE_INFO_UP_CPU */
	expect_kind(0x8400000bu, SMCCC_UNKNOWN);	/* CPU_FREEZE */
	expect_kind(0xc400000eu, SMCCC_UNKNOWN);	/* SYSTEM_SUSPEND */
	expect_kind(0xc4000012u, SMCCC_UNKNOWN);	/* SYSTEM_RESET2 */
	expect_kind(0x8400001fu, SMCCC_UNKNOWN);
	expect_kind(0x84000100u, SMCCC_UNKNOWN);
	expect_kind(0x8400ffffu, SMCCC_UNKNOWN);
}

static void test_smccc_arch_ids(void **state)
{
	(void)state;
	expect_kind(SMCCC_FN_VERSION, SMCCC_VERSION);
	expect_kind(SMCCC_FN_ARCH_FEATURES, SMCCC_ARCH_FEATURES);
	expect_kind(0x80000000u, SMCCC_VERSION);
	expect_kind(0x80000001u, SMCCC_ARCH_FEATURES);
	expect_kind(0xc0000000u, SMCCC_UNKNOWN);
	expect_kind(0xc0000001u, SMCCC_UNKNOWN);
	expect_kind(0x80000002u, SMCCC_UNKNOWN);
	expect_kind(0x80008000u, SMCCC_UNKNOWN);	/* ARCH_WORKAROUND_1 */
	expect_kind(0x8000ff00u, SMCCC_UNKNOWN);
}

static void test_cella_range(void **state)
{
	(void)state;
	expect_kind(0x86000000u, SMCCC_CELLA);
	expect_kind(0x86000001u, SMCCC_CELLA);
	expect_kind(0x8600ffffu, SMCCC_CELLA);
	expect_kind(0xc6000000u, SMCCC_CELLA);
	expect_kind(0xc600ffffu, SMCCC_CELLA);
	/* neighbouring owners are not cella's */
	expect_kind(0x85000000u, SMCCC_UNKNOWN);	/* standard hypervisor service */
	expect_kind(0x87000000u, SMCCC_UNKNOWN);	/* vendor-specific EL3 monitor */
	expect_kind(0x81000000u, SMCCC_UNKNOWN);	/* CPU service */
	expect_kind(0x82000000u, SMCCC_UNKNOWN);	/* SiP */
	expect_kind(0x83000000u, SMCCC_UNKNOWN);	/* OEM */
	expect_kind(0xb0000000u, SMCCC_UNKNOWN);	/* trusted applications */
	expect_kind(0xb2000000u, SMCCC_UNKNOWN);	/* trusted OS */
	expect_kind(0xbf00ffffu, SMCCC_UNKNOWN);
	expect_kind(0x88000000u, SMCCC_UNKNOWN);	/* reserved */
	expect_kind(0xaf000000u, SMCCC_UNKNOWN);	/* reserved */
}

static void test_hostile_x0(void **state)
{
	uint64_t ids[] = {
		PSCI_0_2_FN_VERSION, PSCI_0_2_FN64_CPU_ON, SMCCC_FN_VERSION, 0x86000000u,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		/* any of x0[63:32] set */
		expect_kind(ids[i] | (1ull << 32), SMCCC_UNKNOWN);
		expect_kind(ids[i] | (1ull << 63), SMCCC_UNKNOWN);
		expect_kind(ids[i] | 0xffffffff00000000ull, SMCCC_UNKNOWN);
		/* yielding calls: bit 31 clear */
		expect_kind(ids[i] & ~0x80000000ull, SMCCC_UNKNOWN);
		/* bits [23:16] must be zero */
		expect_kind(ids[i] | (1u << 16), SMCCC_UNKNOWN);
		expect_kind(ids[i] | (1u << 23), SMCCC_UNKNOWN);
	}
	expect_kind(0, SMCCC_UNKNOWN);
	expect_kind(UINT64_MAX, SMCCC_UNKNOWN);
	expect_kind(0xffffffffu, SMCCC_UNKNOWN);
	expect_kind(0x04000000u, SMCCC_UNKNOWN);
	expect_kind(0x06000000u, SMCCC_UNKNOWN);
	expect_kind(0x44000003u, SMCCC_UNKNOWN);	/* CPU_ON64 without the fast bit */
}

static void test_arg_truncation(void **state)
{
	struct smccc_call c;

	(void)state;
	c = decode(PSCI_0_2_FN_CPU_ON);
	assert_false(c.smc64);
	assert_int_equal(c.arg[0], 0x22222222u);
	assert_int_equal(c.arg[1], 0x44444444u);
	assert_int_equal(c.arg[2], 0x80000001u);

	c = decode(PSCI_0_2_FN64_CPU_ON);
	assert_true(c.smc64);
	assert_int_equal(c.arg[0], A1);
	assert_int_equal(c.arg[1], A2);
	assert_int_equal(c.arg[2], A3);

	c = decode(0x86000042u);
	assert_int_equal(c.kind, SMCCC_CELLA);
	assert_int_equal(c.fid, 0x86000042u);
	assert_false(c.smc64);
	assert_int_equal(c.arg[2], 0x80000001u);

	c = decode(0xc6000042u);
	assert_int_equal(c.kind, SMCCC_CELLA);
	assert_true(c.smc64);
	assert_int_equal(c.arg[2], A3);

	/* unknown calls still get a well-defined, truncated record */
	c = decode(0xffffffff84000000ull);
	assert_int_equal(c.kind, SMCCC_UNKNOWN);
	assert_int_equal(c.fid, 0x84000000u);
	assert_false(c.smc64);
	assert_int_equal(c.arg[0], 0x22222222u);
}

static void test_features(void **state)
{
	static const uint32_t supported[] = {
		PSCI_0_2_FN_VERSION, PSCI_0_2_FN_CPU_OFF, PSCI_0_2_FN_CPU_ON,
		PSCI_0_2_FN64_CPU_ON, PSCI_0_2_FN_AFFINITY_INFO, PSCI_0_2_FN64_AFFINITY_INFO,
		PSCI_0_2_FN_MIGRATE_INFO_TYPE, PSCI_0_2_FN_SYSTEM_OFF, PSCI_0_2_FN_SYSTEM_RESET,
		PSCI_1_0_FN_PSCI_FEATURES,
	};
	static const uint32_t unsupported[] = {
		PSCI_0_2_FN_CPU_SUSPEND, PSCI_0_2_FN64_CPU_SUSPEND, 0x84000005u, 0xc4000005u,
		0x84000007u, 0xc400000eu, 0xc4000012u, 0xc4000000u, 0xc4000002u, 0xc4000008u,
		0x04000000u, 0x04000003u, 0x86000000u, 0xc6000000u, 0x80000002u, 0x8400000bu,
		0x0u, 0xffffffffu, PSCI_0_2_FN_CPU_ON | (1u << 16),
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		assert_int_equal(psci_features(supported[i]), PSCI_RET_SUCCESS);
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		assert_int_equal(psci_features(unsupported[i]), PSCI_RET_NOT_SUPPORTED);
	/* every ID decoded as a supported PSCI call answers 0 */
	for (i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		assert_int_not_equal(decode(supported[i]).kind, SMCCC_UNKNOWN);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psci_ids),
		cmocka_unit_test(test_unimplemented_psci_ids),
		cmocka_unit_test(test_smccc_arch_ids),
		cmocka_unit_test(test_cella_range),
		cmocka_unit_test(test_hostile_x0),
		cmocka_unit_test(test_arg_truncation),
		cmocka_unit_test(test_features),
	};

	return cmocka_run_group_tests_name("psci", tests, NULL, NULL);
}
