/* test_smccc.c - host unit tests of the SMCCC dispatch table (src/arch/aarch64/smccc.c): which
 * handler each function ID reaches (PSCI, DEN0022D; SMCCC, DEN0028; cella's range), hostile
 * x0 values, SMC32 argument truncation, and PSCI_FEATURES. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/smccc.h"

#define A1 0x1111111122222222ull
#define A2 0x3333333344444444ull
#define A3 0xffffffff80000001ull

/* the handlers that need a cell live in vpsci.c and trap.c (EL2): stubs here */
void psci_cpu_on(struct vcpu *v, uint64_t *x) { (void)v; (void)x; }
void psci_cpu_off(struct vcpu *v, uint64_t *x) { (void)v; (void)x; }
void psci_affinity_info(struct vcpu *v, uint64_t *x) { (void)v; (void)x; }
void psci_system_off(struct vcpu *v, uint64_t *x) { (void)v; (void)x; }
void psci_system_reset(struct vcpu *v, uint64_t *x) { (void)v; (void)x; }
void smccc_cella(struct vcpu *v, uint64_t *x) { (void)v; (void)x; }

#define NONE ((smccc_handler *)0)

/* the handler function ID @x0 reaches, or NONE (NOT_SUPPORTED) */
static smccc_handler *fn_of(uint64_t x0)
{
	const struct smccc_fn *f = smccc_find(x0);

	return f ? f->call : NONE;
}

static void expect_fn(uint64_t x0, smccc_handler *fn)
{
	if (fn_of(x0) != fn)
		fail_msg("function ID 0x%llx reaches the wrong handler", (unsigned long long)x0);
}

static void test_psci_ids(void **state)
{
	(void)state;
	expect_fn(PSCI_0_2_FN_VERSION, psci_version);
	expect_fn(PSCI_0_2_FN_CPU_SUSPEND, NONE);
	expect_fn(PSCI_0_2_FN64_CPU_SUSPEND, NONE);
	expect_fn(PSCI_0_2_FN_CPU_OFF, psci_cpu_off);
	expect_fn(PSCI_0_2_FN_CPU_ON, psci_cpu_on);
	expect_fn(PSCI_0_2_FN64_CPU_ON, psci_cpu_on);
	expect_fn(PSCI_0_2_FN_AFFINITY_INFO, psci_affinity_info);
	expect_fn(PSCI_0_2_FN64_AFFINITY_INFO, psci_affinity_info);
	expect_fn(PSCI_0_2_FN_MIGRATE_INFO_TYPE, psci_migrate_info_type);
	expect_fn(PSCI_0_2_FN_SYSTEM_OFF, psci_system_off);
	expect_fn(PSCI_0_2_FN_SYSTEM_RESET, psci_system_reset);
	expect_fn(PSCI_1_0_FN_PSCI_FEATURES, psci_features_call);
	/* literal values, independent of the header's macros (DEN0022D table 5.1) */
	expect_fn(0x84000000u, psci_version);
	expect_fn(0xc4000003u, psci_cpu_on);
	expect_fn(0x8400000au, psci_features_call);
}

static void test_unimplemented_psci_ids(void **state)
{
	(void)state;
	/* SMC64 forms of SMC32-only functions */
	expect_fn(0xc4000000u, NONE);	/* VERSION */
	expect_fn(0xc4000002u, NONE);	/* CPU_OFF */
	expect_fn(0xc4000008u, NONE);	/* SYSTEM_OFF */
	expect_fn(0xc400000au, NONE);	/* PSCI_FEATURES */
	/* PSCI functions cella does not implement */
	expect_fn(0x84000005u, NONE);	/* MIGRATE */
	expect_fn(0xc4000005u, NONE);
	expect_fn(0x84000007u, NONE);	/* MIGRATE_INFO_UP_CPU */
	expect_fn(0x8400000bu, NONE);	/* CPU_FREEZE */
	expect_fn(0xc400000eu, NONE);	/* SYSTEM_SUSPEND */
	expect_fn(0xc4000012u, NONE);	/* SYSTEM_RESET2 */
	expect_fn(0x8400001fu, NONE);
	expect_fn(0x84000100u, NONE);
	expect_fn(0x8400ffffu, NONE);
}

static void test_smccc_arch_ids(void **state)
{
	(void)state;
	expect_fn(SMCCC_FN_VERSION, smccc_version);
	expect_fn(SMCCC_FN_ARCH_FEATURES, NONE);
	expect_fn(0x80000000u, smccc_version);
	expect_fn(0x80000001u, NONE);
	expect_fn(0xc0000000u, NONE);
	expect_fn(0xc0000001u, NONE);
	expect_fn(0x80000002u, NONE);
	expect_fn(0x80008000u, NONE);	/* ARCH_WORKAROUND_1 */
	expect_fn(0x8000ff00u, NONE);
}

static void test_cella_range(void **state)
{
	(void)state;
	expect_fn(0x86000000u, smccc_cella);
	expect_fn(0x86000001u, smccc_cella);
	expect_fn(0x8600ffffu, smccc_cella);
	expect_fn(0xc6000000u, smccc_cella);
	expect_fn(0xc600ffffu, smccc_cella);
	/* neighbouring owners are not cella's */
	expect_fn(0x85000000u, NONE);	/* standard hypervisor service */
	expect_fn(0x87000000u, NONE);	/* vendor-specific EL3 monitor */
	expect_fn(0x81000000u, NONE);	/* CPU service */
	expect_fn(0x82000000u, NONE);	/* SiP */
	expect_fn(0x83000000u, NONE);	/* OEM */
	expect_fn(0xb0000000u, NONE);	/* trusted applications */
	expect_fn(0xb2000000u, NONE);	/* trusted OS */
	expect_fn(0xbf00ffffu, NONE);
	expect_fn(0x88000000u, NONE);	/* reserved */
	expect_fn(0xaf000000u, NONE);	/* reserved */
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
		expect_fn(ids[i] | (1ull << 32), NONE);
		expect_fn(ids[i] | (1ull << 63), NONE);
		expect_fn(ids[i] | 0xffffffff00000000ull, NONE);
		/* yielding calls: bit 31 clear */
		expect_fn(ids[i] & ~0x80000000ull, NONE);
		/* bits [23:16] must be zero */
		expect_fn(ids[i] | (1u << 16), NONE);
		expect_fn(ids[i] | (1u << 23), NONE);
	}
	expect_fn(0, NONE);
	expect_fn(UINT64_MAX, NONE);
	expect_fn(0xffffffffu, NONE);
	expect_fn(0x04000000u, NONE);
	expect_fn(0x06000000u, NONE);
	expect_fn(0x44000003u, NONE);	/* CPU_ON64 without the fast bit */
}

static void test_arg_truncation(void **state)
{
	uint64_t x32[4] = { PSCI_0_2_FN_CPU_ON, A1, A2, A3 };
	uint64_t x64[4] = { PSCI_0_2_FN64_CPU_ON, A1, A2, A3 };
	uint64_t c32[4] = { 0x86000042u, A1, A2, A3 };

	(void)state;
	assert_int_equal(smccc_arg(x32, 1), 0x22222222u);
	assert_int_equal(smccc_arg(x32, 2), 0x44444444u);
	assert_int_equal(smccc_arg(x32, 3), 0x80000001u);
	assert_int_equal(smccc_arg(x64, 1), A1);
	assert_int_equal(smccc_arg(x64, 2), A2);
	assert_int_equal(smccc_arg(x64, 3), A3);
	assert_int_equal(smccc_arg(c32, 3), 0x80000001u);
}

/* the calls that need no cell answer as PSCI 1.0 and SMCCC 1.1 say */
static void test_pure_handlers(void **state)
{
	uint64_t x[4] = { 0, A1, A2, A3 };

	(void)state;
	fn_of(SMCCC_FN_VERSION)(NULL, x);
	assert_int_equal(x[0], 0x00010001u);
	fn_of(PSCI_0_2_FN_VERSION)(NULL, x);
	assert_int_equal(x[0], 0x00010000u);
	fn_of(PSCI_0_2_FN_MIGRATE_INFO_TYPE)(NULL, x);
	assert_int_equal(x[0], 2);
	x[1] = PSCI_0_2_FN64_CPU_ON;
	fn_of(PSCI_1_0_FN_PSCI_FEATURES)(NULL, x);
	assert_int_equal(x[0], 0);
	x[1] = PSCI_0_2_FN_CPU_SUSPEND;
	fn_of(PSCI_1_0_FN_PSCI_FEATURES)(NULL, x);
	assert_int_equal((int64_t)x[0], PSCI_RET_NOT_SUPPORTED);
	x[1] = 0xffffffff00000000ull | PSCI_0_2_FN_CPU_OFF;	/* a 32-bit argument: w1 counts */
	fn_of(PSCI_1_0_FN_PSCI_FEATURES)(NULL, x);
	assert_int_equal(x[0], 0);
	assert_int_equal(x[1], 0xffffffff00000000ull | PSCI_0_2_FN_CPU_OFF);	/* untouched */
	assert_int_equal(x[2], A2);
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
	/* every ID PSCI_FEATURES reports has a handler */
	for (i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		assert_non_null(fn_of(supported[i]));
	assert_int_equal(psci_features(SMCCC_FN_VERSION), PSCI_RET_SUCCESS);
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
		cmocka_unit_test(test_pure_handlers),
		cmocka_unit_test(test_features),
	};

	return cmocka_run_group_tests_name("smccc", tests, NULL, NULL);
}
