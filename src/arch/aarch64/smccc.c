/* smccc.c - the SMCCC dispatch table (DEN0028) and the calls that need nothing of a cell. */
#include <stdbool.h>
#include <stdint.h>
#include <cella/abi.h>
#include "arch/aarch64/smccc.h"
#include "lib/util.h"

static const struct smccc_fn table[] = {
	/* row 0 must span one whole 0xXXXX0000 block (find's one-compare test) */
	/* cella's hypercalls: every function number of the vendor-specific hypervisor range
	 * (owner 6), both conventions; hypercall.c decodes them (SMC64 first: the hot path) */
	{ CELLA_FN_BASE64, CELLA_FN_BASE64 | 0xffffu, false, smccc_cella },
	{ CELLA_FN_BASE32, CELLA_FN_BASE32 | 0xffffu, false, smccc_cella },
	/* SMCCC (DEN0028 7): VERSION; ARCH_FEATURES has no row and answers NOT_SUPPORTED */
	{ SMCCC_FN_VERSION, SMCCC_FN_VERSION, true, smccc_version },
	/* PSCI 1.0 (DEN0022D 5.1); CPU_SUSPEND has no row */
	{ PSCI_0_2_FN_VERSION, PSCI_0_2_FN_VERSION, true, psci_version },
	{ PSCI_0_2_FN_CPU_OFF, PSCI_0_2_FN_CPU_OFF, true, psci_cpu_off },
	{ PSCI_0_2_FN_CPU_ON, PSCI_0_2_FN_CPU_ON, true, psci_cpu_on },
	{ PSCI_0_2_FN64_CPU_ON, PSCI_0_2_FN64_CPU_ON, true, psci_cpu_on },
	{ PSCI_0_2_FN_AFFINITY_INFO, PSCI_0_2_FN_AFFINITY_INFO, true, psci_affinity_info },
	{ PSCI_0_2_FN64_AFFINITY_INFO, PSCI_0_2_FN64_AFFINITY_INFO, true, psci_affinity_info },
	{ PSCI_0_2_FN_MIGRATE_INFO_TYPE, PSCI_0_2_FN_MIGRATE_INFO_TYPE, true,
	  psci_migrate_info_type },
	{ PSCI_0_2_FN_SYSTEM_OFF, PSCI_0_2_FN_SYSTEM_OFF, true, psci_system_off },
	{ PSCI_0_2_FN_SYSTEM_RESET, PSCI_0_2_FN_SYSTEM_RESET, true, psci_system_reset },
	{ PSCI_1_0_FN_PSCI_FEATURES, PSCI_1_0_FN_PSCI_FEATURES, true, psci_features_call },
};

/* inline and over the static table: the compiler unrolls it into compares */
static inline const struct smccc_fn *find(uint64_t x0)
{
	/* the hot row first, in one compare: its IDs have bit 31 set, bits 23:16 clear */
	if ((x0 & ~0xffffull) == table[0].first)
		return &table[0];
	if ((x0 >> 32) || !(x0 & SMCCC_FAST_CALL) || (x0 & SMCCC_MBZ_MASK))
		return 0;
	for (unsigned i = 1; i < ARRAY_SIZE(table); i++)
		if (x0 >= table[i].first && x0 <= table[i].last)
			return &table[i];
	return 0;
}

_Static_assert((CELLA_FN_BASE64 & 0xffffu) == 0 && (CELLA_FN_BASE64 & SMCCC_FAST_CALL) != 0 &&
	       !(CELLA_FN_BASE64 & SMCCC_MBZ_MASK), "row 0 is one valid 64 KiB block of IDs");

const struct smccc_fn *smccc_find(uint64_t x0)
{
	return find(x0);
}

void smccc_call(struct vcpu *v, uint64_t *x)
{
	const struct smccc_fn *f = find(x[0]);

	if (f == &table[0])
		smccc_cella(v, x);	/* the hot row: a direct call */
	else if (f)
		f->call(v, x);
	else
		x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
}

int32_t psci_features(uint32_t fid)
{
	const struct smccc_fn *f = smccc_find(fid);

	return f && f->features ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
}

void smccc_version(struct vcpu *v, uint64_t *x)
{
	x[0] = SMCCC_VERSION_1_1;
}

void psci_version(struct vcpu *v, uint64_t *x)
{
	x[0] = PSCI_VERSION_1_0;
}

void psci_features_call(struct vcpu *v, uint64_t *x)
{
	x[0] = (uint64_t)(int64_t)psci_features((uint32_t)x[1]);
}

void psci_migrate_info_type(struct vcpu *v, uint64_t *x)
{
	x[0] = PSCI_MIGRATE_NOT_REQUIRED;
}
