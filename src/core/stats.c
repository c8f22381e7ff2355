/* stats.c - per-vCPU trap statistics (stats.h). */
#include "core/stats.h"

const char *trap_kind_name(unsigned kind)
{
	static const char *const names[TRAP_KINDS - TRAP_SGI] = {
		"sgi", "sysreg", "smccc", "wfx", "irq", "abort",
	};

	if (kind < TRAP_SGI)
		return "mmio";
	return kind < TRAP_KINDS ? names[kind - TRAP_SGI] : "?";
}

void trap_stats_add(struct trap_stats *to, const struct trap_stats *from)
{
	for (unsigned k = 0; k < TRAP_KINDS; k++) {
		to->count[k] += from->count[k];
		to->ticks[k] += from->ticks[k];
	}
}
