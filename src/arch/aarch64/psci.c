/* psci.c - decoding of guest SMCCC function IDs (DEN0028) into PSCI and cella calls. */
#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/psci.h"

/* Function ID layout, DEN0028 section 2.5 "Function Identifiers". */
#define SMCCC_FAST_CALL (1u << 31)
#define SMCCC_64 (1u << 30)
#define SMCCC_OWNER(fid) (((fid) >> 24) & 0x3fu)
#define SMCCC_MBZ_MASK 0x00ff0000u		/* bits [23:16] must be zero in fast calls */

#define SMCCC_OWNER_VENDOR_HYP 6u		/* vendor-specific hypervisor services */

static enum smccc_kind smccc_classify(uint32_t fid)
{
	switch (fid) {
	case SMCCC_FN_VERSION:
		return SMCCC_VERSION;
	case SMCCC_FN_ARCH_FEATURES:
		return SMCCC_ARCH_FEATURES;
	case PSCI_0_2_FN_VERSION:
		return SMCCC_PSCI_VERSION;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
		return SMCCC_PSCI_CPU_SUSPEND;
	case PSCI_0_2_FN_CPU_OFF:
		return SMCCC_PSCI_CPU_OFF;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		return SMCCC_PSCI_CPU_ON;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		return SMCCC_PSCI_AFFINITY_INFO;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		return SMCCC_PSCI_MIGRATE_INFO_TYPE;
	case PSCI_0_2_FN_SYSTEM_OFF:
		return SMCCC_PSCI_SYSTEM_OFF;
	case PSCI_0_2_FN_SYSTEM_RESET:
		return SMCCC_PSCI_SYSTEM_RESET;
	case PSCI_1_0_FN_PSCI_FEATURES:
		return SMCCC_PSCI_FEATURES;
	}
	/* every function number of the vendor hypervisor range, both conventions, is cella's */
	if (SMCCC_OWNER(fid) == SMCCC_OWNER_VENDOR_HYP)
		return SMCCC_CELLA;
	return SMCCC_UNKNOWN;
}

void smccc_decode(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, struct smccc_call *c)
{
	uint32_t fid = (uint32_t)x0;
	bool smc64 = (fid & SMCCC_64) != 0;
	uint64_t mask = smc64 ? UINT64_MAX : UINT32_MAX;

	c->fid = fid;
	c->smc64 = smc64;
	/* SMC32: only w1..w3 carry arguments; the upper halves are whatever the guest left there */
	c->arg[0] = x1 & mask;
	c->arg[1] = x2 & mask;
	c->arg[2] = x3 & mask;
	c->kind = SMCCC_UNKNOWN;

	/* a function ID is 32 bits; anything in x0[63:32] is not one we issued */
	if (x0 >> 32)
		return;
	/* yielding (standard) calls are not offered by cella */
	if (!(fid & SMCCC_FAST_CALL))
		return;
	if (fid & SMCCC_MBZ_MASK)
		return;
	c->kind = smccc_classify(fid);
}

int32_t psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_0_2_FN_VERSION:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
	case PSCI_1_0_FN_PSCI_FEATURES:
		return PSCI_RET_SUCCESS;
	}
	return PSCI_RET_NOT_SUPPORTED;
}
