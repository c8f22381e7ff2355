/* internal.h - calls between files of the AArch64 layer that the core never makes (the core's
 * view is <arch/arch.h>). */
#ifndef CELLA_ARCH_INTERNAL_H
#define CELLA_ARCH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/arch.h>

struct vcpu;
struct cell;

/* guest_enter - run the guest until it traps to EL2; returns EXIT_SYNC/IRQ/FIQ/SERROR with
 * all general registers, PC and PSTATE saved in @regs (exception.S). */
uint64_t guest_enter(struct vcpu_regs *regs);

/* fpsimd_reset - zero this pCPU's FP/SIMD registers, FPCR and FPSR, and its SVE (Z, P, FFR)
 * and SME (streaming mode, ZA, TPIDR2_EL0) state where the CPU has them (fpsimd.S). */
void fpsimd_reset(void);

/* fpsimd_save, fpsimd_restore - V0-V31, FPCR, FPSR of this pCPU to / from @s (fpsimd.S) */
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

/* arch_pcpu_is_shared - this pCPU runs several vCPUs (arch_pcpu_set_shared) */
bool arch_pcpu_is_shared(void);

/* arch_pcpu_loaded - the vCPU whose state this pCPU's registers hold, or NULL */
struct vcpu *arch_pcpu_loaded(void);

/* mmu_build_tables - the EL2 identity map (once, boot pCPU); mmu_enable - turn it on (every
 * pCPU). Called from head.S. */
void mmu_build_tables(void);
void mmu_enable(void);

/* arch_vcpu_load - make @v's stage-2 (VTTBR_EL2), VMPIDR and virtual CPU interface current. */
void arch_vcpu_load(struct vcpu *v);

/* el2_fault - an exception taken at EL2 itself (exception.S): dump @r and stop this pCPU. */
void el2_fault(const struct vcpu_regs *r, uint64_t kind);

#endif
