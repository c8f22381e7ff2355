/* stats.h - per-vCPU trap statistics: how often a cell's vCPUs trap to EL2, why, and how long
 * cella spends on each kind before the vCPU runs again (counter ticks, CNTPCT_EL0). Counts are
 * kept always; ticks (two counter reads a trap) only with "cella.stats". Printed per cell when it stops if cella's own command line
 * (the firmware DTB's /chosen/bootargs, QEMU -append) contains "cella.stats", and read by
 * `make bench` for its overhead breakdown. Pure C. */
#ifndef CELLA_CORE_STATS_H
#define CELLA_CORE_STATS_H

#include <stdint.h>
#include "core/mmio.h"

/* what a trap was: MMIO on device region N of the cell's bus, or one of the fixed kinds */
enum trap_kind {
	TRAP_MMIO = 0,				/* + region index, < MMIO_MAX_REGIONS */
	TRAP_SGI = MMIO_MAX_REGIONS,		/* ICC_SGI1R_EL1 write (a guest IPI) */
	TRAP_SYSREG,				/* other trapped system register */
	TRAP_SMCCC,				/* HVC/SMC: PSCI, SMCCC queries, hypercalls */
	TRAP_WFX,				/* WFI/WFE */
	TRAP_IRQ,				/* a physical interrupt while the guest ran */
	TRAP_ABORT,				/* aborts and faults cella injects or stops on */
	TRAP_KINDS
};

struct trap_stats {
	uint64_t count[TRAP_KINDS];
	uint64_t ticks[TRAP_KINDS];		/* from the exit to the next entry */
};

/* trap_kind_name - a short name for @kind ("smccc", "irq", ...); MMIO kinds give "mmio" (the
 * caller names the device from its bus). Never NULL. */
const char *trap_kind_name(unsigned kind);

/* trap_stats_add - fold @from into @to (summing vCPUs of a cell). */
void trap_stats_add(struct trap_stats *to, const struct trap_stats *from);

#endif
