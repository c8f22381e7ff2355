/* platform_dt.h - facts about the machine read from the DTB the firmware (QEMU, U-Boot) passes
 * in x0: RAM, GICv3, PL011 console, timer PPIs, PSCI conduit, CPUs. Pure C. */
#ifndef CELLA_CORE_PLATFORM_DT_H
#define CELLA_CORE_PLATFORM_DT_H

#include <stdint.h>
#include "../lib/fdt.h"

#define PLAT_MAX_RAM 8
#define PLAT_MAX_CPUS 8

struct platform {
	uint32_t nr_ram;
	struct { uint64_t pa, size; } ram[PLAT_MAX_RAM];	/* /memory reg entries */
	uint64_t gicd_pa, gicd_size;		/* "arm,gic-v3" reg[0] */
	uint64_t gicr_pa, gicr_size;		/* reg[1]: the first redistributor region */
	uint64_t uart_pa, uart_size;		/* stdout-path, else the first "arm,pl011" */
	uint32_t uart_spi;			/* its SPI number (INTID - 32) */
	uint32_t timer_ppi[4];			/* "arm,armv8-timer" interrupts as INTIDs:
						   secure phys, non-secure phys, virt, hyp */
	uint32_t nr_cpus;
	uint64_t cpu_mpidr[PLAT_MAX_CPUS];	/* /cpus/cpu@N reg, in document order */
	int psci_smc;				/* 1: method "smc", 0: "hvc" */
	const char *bootargs;			/* /chosen/bootargs (cella's own command line,
						   QEMU -append), NULL if absent; points
						   into the blob */
};

/* platform_parse - fill @p from @f. Returns 0, or a negative code with one line naming the
 * missing or bad node in @err (@errlen bytes). Requires memory, a GICv3, a PL011, the timer,
 * PSCI (0.2 or later) and at least one CPU; CPUs beyond PLAT_MAX_CPUS are ignored. */
int platform_parse(const struct fdt *f, struct platform *p, char *err, uint32_t errlen);

#endif
