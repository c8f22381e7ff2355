/* cell.h - cells, vCPUs and pCPUs: the objects cella partitions a machine into. */
#ifndef CELLA_CORE_CELL_H
#define CELLA_CORE_CELL_H

#include <stdbool.h>
#include <stdint.h>
#include "core/arch_hooks.h"
#include "core/cap.h"
#include "core/prompt.h"
#include "core/hypercall.h"
#include "core/lifecycle.h"
#include "core/sysdesc.h"
#include "core/mmio.h"
#include "core/stats.h"
#include "arch/aarch64/stage2.h"
#include "arch/aarch64/vgic_model.h"
#include "arch/aarch64/psci.h"
#include "dev/vpl011.h"
#include "lib/err.h"
#include "lib/spinlock.h"

struct vcpu {
	struct vcpu_regs regs;
	struct vcpu_arch arch;
	struct cell *cell;
	uint32_t id;			/* index in the cell */
	uint32_t pcpu;			/* pinned pCPU */
	uint64_t mpidr;			/* affinity the guest sees (VMPIDR_EL2 Aff fields) */
	struct trap_stats stats;	/* this vCPU's traps since the cell's last (re)load */
	uint32_t trap_kind;		/* enum trap_kind of the trap being handled */
	bool time_traps;		/* also count ticks per kind (cella.stats) */
	uint64_t exit_tick;		/* counter at that trap's exit from the guest */
};

struct cell {
	uint32_t id;
	const struct sysdesc_cell *desc;
	uint64_t mem_ipa, mem_pa, mem_size;	/* guest RAM: IPA base, host PA base, bytes */
	struct stage2 s2;
	uint64_t vttbr;
	uint32_t nr_vcpus;
	struct vcpu vcpus[SYSDESC_MAX_VCPUS];
	spinlock_t vgic_lock;
	struct vgic vgic;
	spinlock_t uart_lock;
	struct vpl011 uart;
	struct mmio_bus mmio;
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
	uint32_t stop_reason;			/* CELLA_STOP_*, under lock */
	uint64_t stop_detail;			/* ESR_EL2 of a fault, under lock */
	struct lc_limit fault_limit;		/* on-fault restarts (restart-limit) */
};

struct pcpu {
	uint32_t id;
	uint64_t mpidr;
	struct vcpu *vcpu;		/* the vCPU pinned here, or NULL */
	volatile bool online;
};

extern struct pcpu pcpus[MAX_PCPUS];
extern uint32_t nr_pcpus;
extern struct cell cells[SYSDESC_MAX_CELLS];
extern uint32_t nr_cells;

/* this_pcpu - the pCPU executing this code (TPIDR_EL2 holds its index). */
struct pcpu *this_pcpu(void);

/* cell_create_all - carve memory, build stage-2, load images and create the vCPUs of every
 * cell in @d; prints one message naming the cell and problem and returns < 0 on failure. */
int cell_create_all(const struct sysdesc *d);

/* cell_load - (re)load @c's images and DTB into its memory and set vCPU 0 ON_PENDING. */
int cell_load(struct cell *c);

/* cell_running - @c is RUNNING (a snapshot: it may change as soon as this returns). */
bool cell_running(struct cell *c);

/* cell_stop - stop @c (all vCPUs park), reporting @why; if @restart, reload and start it
 * again once every vCPU has parked. @reason (CELLA_STOP_*, include/cella/abi.h) and @detail
 * are what a CELL_QUERY answers afterwards. Safe to call from any pCPU, more than once (only
 * the call that changes the state records its reason). */
void cell_stop(struct cell *c, bool restart, uint32_t reason, uint64_t detail, const char *why);

/* cell_guest_fault - a guest did something cella cannot let it continue from: report it
 * (cell, vCPU, @what, ESR/ELR/FAR/IPA) once and stop only that cell. */
void cell_guest_fault(struct vcpu *v, const char *what, uint64_t esr, uint64_t ipa);

/* cell_smccc - handle an SMCCC call (PSCI or cella's own) from @v: x0..x3 in its registers;
 * results written back to x0 (and x1.. as the call defines). */
void cell_smccc(struct vcpu *v);

/* cell_mmio - emulate an access to @ipa (@size bytes) by @v through the cell's MMIO bus.
 * Returns 0, -ERR_NOENT (no device: the caller stops the cell) or -ERR_INVAL (bad access:
 * the caller injects an abort). Inline: it is on every MMIO trap. */
static inline int cell_mmio(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
			    uint64_t *val)
{
	const struct mmio_region *r = mmio_find(&v->cell->mmio, ipa, size);

	if (!r)
		return -ERR_NOENT;
	v->trap_kind = TRAP_MMIO + (uint32_t)(r - v->cell->mmio.r);
	/* mmio_find checked [ipa, ipa+size) lies inside the region */
	return r->ops->access(r->dev, v->id, ipa - r->ipa, size, write, val);
}

/* cell_prompt_command - carry out the operator prompt's command @cmd with argument @arg (a
 * cell name, or NULL), printing the outcome (prompt.h). Not with console locks held. */
void cell_prompt_command(enum prompt_cmd cmd, const char *arg);

/* cell_stats_enable - print each cell's trap statistics when it stops (cella.stats). */
void cell_stats_enable(void);

/* vcpu_kick - make @v's pCPU look at its state and pending interrupts soon. */
void vcpu_kick(struct vcpu *v);

/* pcpu_loop - run the vCPU pinned to this pCPU forever (static partitioning scheduler). */
void pcpu_loop(void) __attribute__((noreturn));

#endif
