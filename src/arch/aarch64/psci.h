/* psci.h - decoding of SMCCC calls from guests: PSCI (Arm DEN0022D "Power State Coordination
 * Interface" 1.1) and SMCCC (Arm DEN0028 "SMC Calling Convention" 1.1) function IDs.
 * Pure C; the effects are carried out by the caller (src/core/cell.c) after it checks every
 * argument against the cell. */
#ifndef CELLA_ARCH_PSCI_H
#define CELLA_ARCH_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#define PSCI_0_2_FN_VERSION 0x84000000u
#define PSCI_0_2_FN_CPU_SUSPEND 0x84000001u
#define PSCI_0_2_FN64_CPU_SUSPEND 0xc4000001u
#define PSCI_0_2_FN_CPU_OFF 0x84000002u
#define PSCI_0_2_FN_CPU_ON 0x84000003u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u
#define PSCI_0_2_FN_AFFINITY_INFO 0x84000004u
#define PSCI_0_2_FN64_AFFINITY_INFO 0xc4000004u
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000au
#define SMCCC_FN_VERSION 0x80000000u
#define SMCCC_FN_ARCH_FEATURES 0x80000001u

#define PSCI_VERSION_1_0 0x00010000u
#define SMCCC_VERSION_1_1 0x00010001u

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_NOT_PRESENT (-7)
#define PSCI_RET_DISABLED (-8)
#define PSCI_RET_INVALID_ADDRESS (-9)

#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_AFFINITY_ON_PENDING 2

#define PSCI_MIGRATE_NOT_REQUIRED 2	/* MIGRATE_INFO_TYPE: no Trusted OS to migrate */

enum smccc_kind {
	SMCCC_UNKNOWN = 0,		/* answer NOT_SUPPORTED */
	SMCCC_PSCI_VERSION,
	SMCCC_PSCI_CPU_SUSPEND,
	SMCCC_PSCI_CPU_OFF,
	SMCCC_PSCI_CPU_ON,		/* arg0 target MPIDR, arg1 entry IPA, arg2 context id */
	SMCCC_PSCI_AFFINITY_INFO,	/* arg0 target MPIDR, arg1 lowest affinity level */
	SMCCC_PSCI_MIGRATE_INFO_TYPE,
	SMCCC_PSCI_SYSTEM_OFF,
	SMCCC_PSCI_SYSTEM_RESET,
	SMCCC_PSCI_FEATURES,		/* arg0 queried function ID */
	SMCCC_VERSION,
	SMCCC_ARCH_FEATURES,		/* arg0 queried function ID */
	SMCCC_CELLA,			/* vendor-specific hypervisor range: cella hypercalls */
};

struct smccc_call {
	enum smccc_kind kind;
	uint32_t fid;			/* x0[31:0] */
	bool smc64;			/* bit 30 of the function ID */
	uint64_t arg[3];		/* x1..x3; truncated to 32 bits for SMC32 calls */
};

/* smccc_decode - classify the call in @x0 with arguments @x1..@x3 into @c. Never fails: any
 * unrecognised ID (including x0 with bits [63:32] set) is SMCCC_UNKNOWN. */
void smccc_decode(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, struct smccc_call *c);

/* psci_features - the PSCI_FEATURES answer for function ID @fid: 0 for implemented PSCI
 * functions, PSCI_RET_NOT_SUPPORTED otherwise (cella implements no CPU_SUSPEND). */
int32_t psci_features(uint32_t fid);

#endif
