/* obj.h - cella's kernel objects: cells, their vCPUs, and pCPUs (docs/design.md "Objects").
 * Each embeds the architecture's part (struct cell_arch, struct vcpu_arch from <arch/arch.h>),
 * which only the arch layer looks inside. Objects are reached through the accessors below,
 * never through exported arrays. Ownership: a cell's lifecycle state (lc, stop_reason) belongs
 * to its lock; its cspace to cs_lock; a device's state to the device (src/dev); the vGIC to
 * the arch part's vgic_lock. */
#ifndef CELLA_CORE_OBJ_H
#define CELLA_CORE_OBJ_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/arch.h>
#include "core/cap.h"
#include "core/hypercall.h"
#include "core/lifecycle.h"
#include "core/mmio.h"
#include "core/sched.h"
#include "core/stats.h"
#include "core/sysdesc.h"
#include "lib/spinlock.h"
#include "lib/util.h"

struct vpl011_dev;

struct vcpu {
	struct vcpu_arch arch;		/* registers and arch state (arch layer only) */
	struct cell *cell;
	uint32_t id;			/* index in the cell */
	uint32_t pcpu;			/* the pCPU it runs on (maybe shared with others) */
	struct sched_entity se;		/* its place in that pCPU's run queue (pcpu.c) */
	bool blocked;			/* waits in WFI with nothing pending (its pCPU's) */
	bool yielded;			/* gave up its slice (WFE) (its pCPU's) */
	bool exit_loop;			/* leave arch_vcpu_run at the next exit (its pCPU's) */
	uint64_t wait_until;		/* blocked in CELLA_FN_WAIT: its deadline (counter), else
					 * SCHED_NEVER (its pCPU's) */
	uint64_t mpidr;			/* affinity the guest sees (VMPIDR_EL2 Aff fields) */
	struct trap_stats stats;	/* this vCPU's traps since the cell's last (re)load */
	uint32_t trap_kind;		/* enum trap_kind of the trap being handled */
	bool time_traps;		/* also count ticks per kind (cella.stats) */
	uint64_t exit_tick;		/* counter at that trap's exit from the guest */
};

struct cell {
	struct cell_arch arch;			/* stage-2 and vGIC (arch layer only) */
	uint32_t id;
	const struct sysdesc_cell *desc;
	uint64_t mem_ipa, mem_pa, mem_size;	/* guest RAM: IPA base, host PA base, bytes */
	uint32_t nr_vcpus;
	struct vcpu vcpus[CELLA_MAX_VCPUS];
	struct vpl011_dev *uart;		/* its console UART (src/dev/vpl011.c owns it) */
	struct mmio_bus mmio;			/* its emulated devices */
	spinlock_t lock;			/* owns lc: every cell and vCPU state change */
	struct lifecycle lc;			/* cell and vCPU states (lifecycle.h) */
	struct lc_backoff backoff;		/* restart rate limit */
	struct lc_budget msgs;			/* cella's messages about this cell */
	uint64_t entry_ipa, dtb_ipa;		/* kernel entry and DTB of the current load */
	const void *kernel, *initrd;		/* module bytes in the system image */
	uint64_t kernel_size, initrd_size, kernel_text_offset, kernel_mem;
	uint32_t restarts;
	bool in_place;				/* next load boots from the boot area */
	spinlock_t cs_lock;			/* owns cspace */
	struct cspace cspace;			/* its capabilities, rebuilt at every load */
	struct hc_env hc_env;			/* what its hypercalls see (hypercall.h) */
	struct hc_env portal_env;		/* the same through its PCI portal: no WAIT */
	uint32_t stop_reason;			/* CELLA_STOP_*, under lock */
	uint64_t stop_detail;			/* ESR_EL2 of a fault, under lock */
	struct lc_limit fault_limit;		/* on-fault restarts (restart-limit) */
};

struct pcpu {
	uint32_t id;
	uint64_t mpidr;
	struct vcpu *vcpu;		/* the first vCPU that runs here, or NULL */
	struct runq rq;			/* every vCPU that runs here (sched.h) */
	bool shared;			/* more than one: WFI traps, the scheduler switches */
	struct vcpu *loaded;		/* whose state the pCPU's registers hold, or NULL */
	volatile bool online;
};

/* cell_get - cell @id (0..cell_count()-1), or NULL beyond. */
struct cell *cell_get(uint32_t id);

/* cell_count - how many cells the system runs (fixed once cell_create_all returned). */
uint32_t cell_count(void);

/* cell_by_name - the cell named @name, or NULL (NULL @name too). */
struct cell *cell_by_name(const char *name);

/* pcpu_setup - the machine has @n pCPUs (clamped to CELLA_MAX_PCPUS) with MPIDRs @mpidr[i];
 * called once at boot, before any other pCPU starts. Returns how many cella drives. */
uint32_t pcpu_setup(uint32_t n, const uint64_t *mpidr);

/* pcpu_add_vcpu - @v runs on pCPU @v->pcpu from now on (boot, before the pCPUs start).
 * Returns 0, or -1 if that pCPU does not exist or its run queue is full. */
int pcpu_add_vcpu(struct vcpu *v);

/* pcpu_get - pCPU @id (0..pcpu_count()-1), or NULL beyond. */
struct pcpu *pcpu_get(uint32_t id);

/* pcpu_count - how many pCPUs cella drives. */
uint32_t pcpu_count(void);

/* this_pcpu - the pCPU executing this code. */
struct pcpu *this_pcpu(void);

/* vcpu_by_mpidr - the vCPU of @c whose affinity (what its VMPIDR_EL2 shows) is @mpidr, or
 * NULL: the guest names vCPUs this way (PSCI CPU_ON, AFFINITY_INFO). */
struct vcpu *vcpu_by_mpidr(struct cell *c, uint64_t mpidr);

#endif
