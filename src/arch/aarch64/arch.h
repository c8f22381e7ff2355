/* arch.h - what the AArch64 layer gives the core: vCPU register state and the *_arch_* hooks.
 * The core includes this only through src/core/arch_hooks.h. */
#ifndef CELLA_ARCH_AARCH64_ARCH_H
#define CELLA_ARCH_AARCH64_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/aarch64/asm.h"

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

struct vcpu_arch {
	uint32_t lr_used;			/* bit per list register holding an interrupt */
	uint32_t lr_intid[VGIC_MAX_LRS];
	uint64_t vmcr;				/* ICH_VMCR_EL2 */
	struct el1_sysregs el1;
	uint64_t vmpidr;			/* VMPIDR_EL2 */
};

/* guest_enter - run the guest until it traps to EL2; returns EXIT_SYNC/IRQ/FIQ/SERROR with
 * all general registers, PC and PSTATE saved in @regs (exception.S). */
uint64_t guest_enter(struct vcpu_regs *regs);

/* copy_bulk - copy @bytes (multiple of 64) between 16-byte aligned buffers with SIMD
 * registers; only where no guest FP state is live on this pCPU (boot, cell reload). */
void copy_bulk(void *dst, const void *src, uint64_t bytes);

/* fpsimd_reset - zero this pCPU's FP/SIMD registers, FPCR and FPSR, and its SVE (Z, P, FFR)
 * and SME (streaming mode, ZA, TPIDR2_EL0) state where the CPU has them (fpsimd.S). */
void fpsimd_reset(void);

/* dcache_clean_range - clean [va, va+bytes) to the point of coherency. */
void dcache_clean_range(uint64_t va, uint64_t bytes);

void mmu_build_tables(void);
void mmu_enable(void);

/* arch_pcpu_init - per-pCPU EL2 setup: HCR/VTCR/CPTR/CNTHCTL/ICC, this pCPU's redistributor.
 * Returns 0 or a negative error. */
int arch_pcpu_init(uint32_t pcpu);

/* arch_vcpu_reset - put @v in the Linux arm64 boot state (booting.rst): EL1h, DAIF masked,
 * MMU off, PC = @entry (IPA), x0 = @x0, other registers 0; FP/SIMD, SVE and SME registers
 * zero; EL1 system registers at reset values; vGIC list registers empty. Loads the state onto
 * this pCPU. */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0);

/* arch_vcpu_park - @v, the vCPU of this pCPU, goes off (PSCI CPU_OFF, or its cell stops):
 * what its virtual CPU interface holds goes back to the cell (vgic_vcpu_park). Call before the
 * state change that may reload the cell. */
void arch_vcpu_park(struct vcpu *v);

/* arch_vcpu_load - make @v's stage-2 (VTTBR_EL2), VMPIDR and virtual CPU interface current. */
void arch_vcpu_load(struct vcpu *v);

/* arch_vcpu_run - enter @v until something needs the core: returns after each exit has been
 * handled; the caller checks the vCPU and cell state and calls again. */
void arch_vcpu_run(struct vcpu *v);

/* arch_cell_init - VMID and stage-2 root for a new cell; returns 0 or a negative error. */
int arch_cell_init(struct cell *c);

/* arch_cell_flush_tlb - drop every stage-1 and stage-2 TLB entry tagged with @c's VMID. */
void arch_cell_flush_tlb(struct cell *c);

/* arch_kick_pcpu - send the kick SGI to pCPU @pcpu so it re-examines its vCPU. */
void arch_kick_pcpu(uint32_t pcpu);

/* vgic_kick_dirty - kick the pCPUs of the vCPUs of @c whose pending interrupts grew (except
 * @self, the caller's own vCPU, which flushes its list registers before it re-enters). */
void vgic_kick_dirty(struct cell *c, struct vcpu *self);

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

/* arch_console_irq_route - route the platform UART's SPI (INTID @intid) to pCPU @pcpu (an
 * index below nr_pcpus; GICv3 GICD_IROUTER, IHI 0069 12.9.22). */
void arch_console_irq_route(uint32_t intid, uint32_t pcpu);

#endif
