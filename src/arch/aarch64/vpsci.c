/* vpsci.c - a cell's virtual PSCI 1.0 (Arm DEN0022D): CPU_ON/OFF, AFFINITY_INFO and
 * SYSTEM_OFF/RESET over the core's vCPU and cell lifecycle (exit.h). Rows of smccc.c's table. */
#include <stdint.h>
#include <cella/abi.h>
#include "arch/aarch64/smccc.h"
#include "core/exit.h"

/* CPU_ON (DEN0022D 5.1.4): target MPIDR, entry point (IPA), context ID */
void psci_cpu_on(struct vcpu *v, uint64_t *x)
{
	struct cell *c = vcpu_cell(v);
	struct vcpu *t = vcpu_by_mpidr(c, smccc_arg(x, 1));
	uint64_t entry = smccc_arg(x, 2);
	int64_t ret;

	if (!t) {
		ret = PSCI_RET_INVALID_PARAMS;
	} else if ((entry & 3) || !cell_ipa_valid(c, entry, 4)) {
		/* the entry point must be an instruction inside the cell's RAM */
		ret = PSCI_RET_INVALID_ADDRESS;
	} else {
		switch (vcpu_power_on(t, entry, smccc_arg(x, 3))) {
		case LC_ON_OK:
			ret = PSCI_RET_SUCCESS;
			break;
		case LC_ON_ALREADY:
			ret = PSCI_RET_ALREADY_ON;
			break;
		case LC_ON_PENDING:
			ret = PSCI_RET_ON_PENDING;
			break;
		case LC_ON_DENIED:
			ret = PSCI_RET_DENIED;
			break;
		default:
			ret = PSCI_RET_INVALID_PARAMS;
			break;
		}
	}
	x[0] = (uint64_t)ret;
}

/* AFFINITY_INFO (DEN0022D 5.1.5): target MPIDR, lowest affinity level (0 only) */
void psci_affinity_info(struct vcpu *v, uint64_t *x)
{
	struct vcpu *t = vcpu_by_mpidr(vcpu_cell(v), smccc_arg(x, 1));
	int64_t ret;

	if (!t || smccc_arg(x, 2) != 0) {
		ret = PSCI_RET_INVALID_PARAMS;
	} else {
		switch (vcpu_power_state(t)) {
		case VCPU_ON:
			ret = PSCI_AFFINITY_ON;
			break;
		case VCPU_ON_PENDING:
			ret = PSCI_AFFINITY_ON_PENDING;
			break;
		default:
			ret = PSCI_AFFINITY_OFF;
			break;
		}
	}
	x[0] = (uint64_t)ret;
}

/* CPU_OFF (DEN0022D 5.1.3): does not return to the caller */
void psci_cpu_off(struct vcpu *v, uint64_t *x)
{
	vcpu_power_off(v);
}

/* SYSTEM_OFF (DEN0022D 5.1.9): the cell stops */
void psci_system_off(struct vcpu *v, uint64_t *x)
{
	cell_stop(vcpu_cell(v), false, CELLA_STOP_POWER_OFF, 0, "powered off (PSCI SYSTEM_OFF)");
}

/* SYSTEM_RESET (DEN0022D 5.1.10): the cell restarts, or stops (on-reset = "stop") */
void psci_system_reset(struct vcpu *v, uint64_t *x)
{
	struct cell *c = vcpu_cell(v);

	cell_stop(c, cell_restarts_on_reset(c), CELLA_STOP_RESET, 0, "reset (PSCI SYSTEM_RESET)");
}
