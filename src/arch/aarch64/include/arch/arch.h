/* arch.h - the one header through which the core (src/core, src/dev) reaches the architecture
 * layer, found as <arch/arch.h> on the include path of the architecture built (Makefile
 * ARCH_INC). It gives the per-object architecture state the core embeds (struct cell_arch in
 * struct cell, struct vcpu_arch in struct vcpu: only the arch layer looks inside them) and the
 * arch_* hooks the core calls. The calls the other way, from arch into the core, are all in
 * src/core/exit.h. A second architecture supplies its own include/arch/arch.h. */
#ifndef CELLA_ARCH_ARCH_H
#define CELLA_ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/aarch64/asm.h"
#include "arch/aarch64/stage2.h"
#include "arch/aarch64/vgic_model.h"
#include "lib/spinlock.h"

struct vcpu;
struct cell;

/* general registers as saved by exception.S (layout fixed by asm.h) */
struct vcpu_regs {
	uint64_t x[31];
	uint64_t pc;		/* ELR_EL2: guest VA of the next instruction */
	uint64_t pstate;	/* SPSR_EL2 */
};

#define VGIC_MAX_LRS 16

/* EL1 state a vCPU owns while it runs; saved and restored only when a pCPU changes vCPU
 * (never, under static partitioning: one vCPU per pCPU) or when a vCPU is reset. */
struct el1_sysregs {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr, tpidr_el0, tpidr_el1,
		tpidrro_el0, sp_el0, sp_el1, elr, spsr, esr, far, afsr0, afsr1, par, cpacr,
		cntkctl, csselr, mdscr, cntv_ctl, cntv_cval;
	uint64_t apia[2], apib[2], apda[2], apdb[2], apga[2];	/* PAuth keys lo, hi */
};

/* FP/SIMD registers (SVE and SME are hidden from guests, docs/design.md "Scheduling") */
struct fpsimd_state {
	uint64_t v[64];				/* V0-V31, 128 bits each (fpsimd.S) */
	uint64_t fpcr, fpsr;
};

/* what a vCPU is to the AArch64 layer. The EL1, FP/SIMD, timer and vGIC CPU interface state
 * lives in the pCPU's registers while the vCPU is loaded there, and in here while it is not
 * (a shared pCPU switched to another vCPU). */
struct vcpu_arch {
	struct vcpu_regs regs;			/* general registers, PC, PSTATE */
	uint32_t lr_used;			/* bit per list register holding an interrupt */
	uint32_t lr_intid[VGIC_MAX_LRS];
	uint64_t lr_val[VGIC_MAX_LRS];		/* ICH_LR<n>_EL2 while not loaded */
	uint64_t vmcr;				/* ICH_VMCR_EL2 while not loaded */
	uint64_t ap0r[4], ap1r[4];		/* ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2 while not loaded */
	uint64_t ich_hcr;			/* ICH_HCR_EL2 while not loaded */
	bool vtimer_active;			/* its vtimer PPI may be (loaded) / was (put) active */
	bool on_shared;				/* loaded on a shared pCPU (arch_pcpu_set_shared) */
	uint32_t *vgic_dirty;			/* its cell's vgic.dirty, and its bit there: */
	uint32_t dirty_bit;			/* tested before every entry */
	struct el1_sysregs el1;			/* while not loaded (timer included) */
	uint64_t vmpidr;			/* VMPIDR_EL2 */
	struct fpsimd_state fp __attribute__((aligned(16)));
};

/* what a cell is to the AArch64 layer: its stage-2 translation and its virtual GICv3 */
struct cell_arch {
	struct stage2 s2;
	uint64_t vttbr;				/* VTTBR_EL2: VMID and stage-2 root */
	spinlock_t vgic_lock;			/* owns vgic */
	struct vgic vgic;			/* distributor and redistributors (vgic_model.h) */
};

/* ---- registers of a vCPU, for the core's SMCCC and fault paths ---- */

/* arch_regs_args - the vCPU's x0..x30 (an SMCCC call's function ID in [0], arguments from [1]) */
static inline uint64_t *arch_regs_args(struct vcpu_arch *a)
{
	return a->regs.x;
}

/* arch_regs_pc - the guest VA of the instruction the vCPU executes next */
static inline uint64_t arch_regs_pc(const struct vcpu_arch *a)
{
	return a->regs.pc;
}

/* ---- pCPUs ---- */

/* arch_pcpu_id - index of the pCPU running this code (TPIDR_EL2, set by arch_pcpu_init) */
static inline uint32_t arch_pcpu_id(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(v));
	return (uint32_t)v;
}

/* arch_irqchip_init - the boot pCPU's one-time setup of the platform GICv3 distributor at PA
 * @gicd_pa (IHI 0069 12.9: affinity routing, groups, every SPI disabled). */
void arch_irqchip_init(uint64_t gicd_pa);

/* arch_pcpu_init - per-pCPU EL2 setup for pCPU @pcpu (index) whose MPIDR is @mpidr: TPIDR,
 * HCR/VTCR/CPTR/CNTHCTL/MDCR, the list registers, and its GICv3 redistributor found among
 * the frames at PA @gicr_pa. Returns 0, or -ERR_NOENT if no redistributor has its affinity. */
int arch_pcpu_init(uint32_t pcpu, uint64_t mpidr, uint64_t gicr_pa);

/* arch_pcpu_start - PSCI CPU_ON (DEN0022D 5.1.4) to the firmware: start the pCPU @mpidr at
 * cella's secondary entry with x0 = @index. Returns the PSCI status (0 on success). */
int64_t arch_pcpu_start(uint64_t mpidr, uint32_t index);

/* arch_kick_pcpu - send the kick SGI to the pCPU with MPIDR @mpidr so it re-examines its vCPU. */
void arch_kick_pcpu(uint64_t mpidr);

/* arch_idle - wait for an interrupt on a pCPU without a runnable vCPU and handle it. */
void arch_idle(void);

/* arch_wait_until - sleep this pCPU (WFI, its interrupts handled as arch_idle does) until the
 * physical counter reaches @deadline (CNTPCT_EL0 ticks), woken by the EL2 physical timer
 * CNTHP (PPI 26, Arm ARM D11.2.4). */
void arch_wait_until(uint64_t deadline);

/* arch_halt - stop this pCPU for good (interrupts masked, wfi forever). */
void arch_halt(void) __attribute__((noreturn));

/* arch_system_off - PSCI SYSTEM_OFF to the firmware; does not return. */
void arch_system_off(void) __attribute__((noreturn));

/* arch_counter - the physical counter CNTPCT_EL0 and its frequency in Hz. */
uint64_t arch_counter(void);
uint64_t arch_counter_freq(void);

/* arch_console_irq - the platform UART's interrupt is SPI INTID @intid: handle it as the
 * console's (console_irq, exit.h) and route it to the pCPU with MPIDR @mpidr (GICv3
 * GICD_IROUTER, IHI 0069 12.9.22). Called again to move it. */
void arch_console_irq(uint32_t intid, uint64_t mpidr);

/* ---- memory ---- */

/* copy_bulk - copy @bytes (multiple of 64) between 16-byte aligned buffers with SIMD
 * registers; only where no guest FP state is live on this pCPU (boot, cell reload). */
void copy_bulk(void *dst, const void *src, uint64_t bytes);

/* dcache_clean_range - clean [va, va+bytes) (EL2 VA) to the point of coherency. */
void dcache_clean_range(uint64_t va, uint64_t bytes);

/* ---- cells ---- */

/* arch_cell_create - @c's architecture state: VMID and stage-2 root, its RAM mapped (IPA
 * [@ram_ipa, +@ram_size) to PA @ram_pa, read-write-execute, normal memory), and its virtual
 * GICv3 distributor and redistributors registered on its MMIO bus at @gicd_ipa and
 * @gicr_ipa. Returns 0 or a negative error (the stage-2 pool is exhausted, a bad range). */
int arch_cell_create(struct cell *c, uint64_t ram_ipa, uint64_t ram_pa, uint64_t ram_size,
		     uint64_t gicd_ipa, uint64_t gicr_ipa);

/* arch_cell_flush_tlb - drop every stage-1 and stage-2 TLB entry tagged with @c's VMID. */
void arch_cell_flush_tlb(struct cell *c);

/* arch_cell_map - map IPA [@ipa, +@size) of @c to PA @pa (bytes, 4 KiB aligned), normal
 * memory, read-write if @writable else read-only (a write is a stage-2 permission fault).
 * Returns 0 or a negative error (overlap, stage-2 pool exhausted). */
int arch_cell_map(struct cell *c, uint64_t ipa, uint64_t pa, uint64_t size, bool writable);

/* arch_virq_set_level - the line of SPI @intid (32..) of @c is now @level, 0 or 1 (virtual
 * GICv3 distributor, IHI 0069 4.2): it pends while high; or VIRQ_PULSE: latch it
 * pending once. Kicks the vCPU it is routed to. */
#define VIRQ_PULSE 2
void arch_virq_set_level(struct cell *c, uint32_t intid, int level);

/* ---- vCPUs ---- */

/* arch_vcpu_reset - put @v in the Linux arm64 boot state (booting.rst): EL1h, DAIF masked,
 * MMU off, PC = @entry (IPA), x0 = @x0, other registers 0; FP/SIMD, SVE and SME registers
 * zero; EL1 system registers at reset values; vGIC list registers empty. Loads the state onto
 * this pCPU. */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0);

/* arch_vcpu_park - @v, the vCPU of this pCPU, goes off (PSCI CPU_OFF, or its cell stops):
 * what its virtual CPU interface holds goes back to the cell (vgic_vcpu_park). Call before the
 * state change that may reload the cell. */
void arch_vcpu_park(struct vcpu *v);

/* arch_vcpu_switch - this pCPU stops running @from (NULL: none was loaded) and loads @to:
 * @from's EL1 system registers, PAuth keys, FP/SIMD registers, virtual timer and vGIC CPU
 * interface (list registers, VMCR, active priorities) saved, @to's restored, VTTBR/VMPIDR
 * set (Arm ARM D1 "The AArch64 System Level Programmers' Model"; IHI 0069 11.2). */
void arch_vcpu_switch(struct vcpu *from, struct vcpu *to);

/* arch_vcpu_irq_pending - an interrupt waits for @v (a wake-up event for its WFI): its vGIC
 * has something new for it, a list register holds a pending one, or its virtual timer
 * condition holds at @now (CNTV_CTL ENABLE, not IMASK, CVAL <= now). @v may be loaded on
 * this pCPU or saved. */
bool arch_vcpu_irq_pending(struct vcpu *v, uint64_t now);

/* arch_vcpu_timer_deadline - when @v's virtual timer will fire (CNTV_CVAL, physical counter
 * ticks, CNTVOFF being 0), or UINT64_MAX if it is disabled or masked. */
uint64_t arch_vcpu_timer_deadline(struct vcpu *v);

/* arch_pcpu_set_shared - this pCPU runs several vCPUs (@shared) or one: traps WFI and WFE
 * (HCR_EL2.TWI, TWE) so a waiting vCPU gives way, and the PMU and debug registers (MDCR_EL2
 * TPM, TDA: reads as zero, writes ignored), which are not switched with the vCPU. */
void arch_pcpu_set_shared(bool shared);

/* arch_timer_event - raise an EL2 timer interrupt on this pCPU at @deadline (CNTPCT ticks;
 * CNTHP, PPI 26), replacing an earlier one; UINT64_MAX: none. */
void arch_timer_event(uint64_t deadline);

/* arch_vcpu_run - enter @v and handle its exits, again and again while it stays runnable
 * (vcpu_runnable_hint, exit.h); returns when something needs the core's loop (a state change
 * of @v or its cell), which checks under the cell's lock and calls again. */
void arch_vcpu_run(struct vcpu *v);

#endif
