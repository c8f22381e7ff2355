/* smccc.h - the one SMCCC dispatch table (Arm DEN0028 "SMC Calling Convention" 1.1): function
 * ID -> handler, for PSCI (DEN0022D), SMCCC's own queries and cella's hypercalls (the vendor
 * hypervisor range, include/cella/abi.h). Adding a call is one row in smccc.c and its handler.
 * The table and its lookup are pure C, unit-tested on the host (tests/unit/test_smccc.c). */
#ifndef CELLA_ARCH_SMCCC_H
#define CELLA_ARCH_SMCCC_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/aarch64/psci.h"

struct vcpu;

/* a handler: the caller's x0 (function ID) .. x30 in @x; it writes its results to @x (x0
 * status, x1.. values) or leaves them alone (calls that do not return, e.g. CPU_OFF) */
typedef void smccc_handler(struct vcpu *v, uint64_t *x);

struct smccc_fn {
	uint32_t first, last;		/* function IDs [first, last] (x0 bits 31:0) */
	bool features;			/* PSCI_FEATURES answers 0 (implemented) for it */
	smccc_handler *call;
};

#define SMCCC_FAST_CALL (1u << 31)
#define SMCCC_64 (1u << 30)
#define SMCCC_MBZ_MASK 0x00ff0000u	/* bits [23:16] must be zero in fast calls (DEN0028 2.5) */

/* smccc_find - the table row for function ID @x0, or NULL (answer NOT_SUPPORTED): x0[63:32]
 * set, a yielding call (bit 31 clear), bits [23:16] set, or no row. */
const struct smccc_fn *smccc_find(uint64_t x0);

/* smccc_arg - argument @i (1..) of the call in @x: all 64 bits for an SMC64 function ID,
 * the low 32 for SMC32 (the upper halves are whatever the guest left there, DEN0028 2.6) */
static inline uint64_t smccc_arg(const uint64_t *x, unsigned i)
{
	return (x[0] & SMCCC_64) ? x[i] : (uint32_t)x[i];
}

/* psci_features - the PSCI_FEATURES answer for function ID @fid (DEN0022D 5.1.14): 0 for a
 * row marked implemented, PSCI_RET_NOT_SUPPORTED otherwise (cella has no CPU_SUSPEND). */
int32_t psci_features(uint32_t fid);

/* handlers of the table: pure ones in smccc.c, PSCI power calls in vpsci.c, the hypercall
 * gate in trap.c */
smccc_handler smccc_version, psci_version, psci_features_call, psci_migrate_info_type;
smccc_handler psci_cpu_on, psci_cpu_off, psci_affinity_info, psci_system_off, psci_system_reset;
smccc_handler smccc_cella;

/* smccc_call - carry out the SMCCC call of vCPU @v whose registers x0..x30 are @x (HVC, or a
 * trapped SMC): its row's handler, or SMCCC NOT_SUPPORTED (-1) in x0. The table is known at
 * compile time here, so the lookup is a few compares (the hypercall range first). */
void smccc_call(struct vcpu *v, uint64_t *x);

#endif
