/* sysreg.h - the component runtime's system-register accessors, barriers and MMIO accessors
 * (Arm ARM DDI 0487, chapter D13 "AArch64 System Register Descriptions"). */
#ifndef RT_SYSREG_H
#define RT_SYSREG_H

#include <stdint.h>

/* read_sysreg(name) / write_sysreg(name, v): MRS / MSR of a register named as the assembler
 * spells it (e.g. cntvct_el0, or S3_0_C12_C12_0 for one the assembler may not know). */
#define read_sysreg(name)                                                              \
	({                                                                             \
		uint64_t v_;                                                           \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));                         \
		v_;                                                                    \
	})
#define write_sysreg(name, v)                                                          \
	do {                                                                           \
		uint64_t w_ = (v);                                                     \
		__asm__ volatile("msr " #name ", %0" : : "r"(w_) : "memory");          \
	} while (0)

/* GICv3 CPU interface registers by encoding (IHI 0069H, the ICC_* descriptions; EL1
 * accesses reach the virtual interface ICV_* when the hypervisor routes IRQs to EL2) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void wfe(void) { __asm__ volatile("wfe" ::: "memory"); }

/* irq_mask / irq_unmask - PSTATE.I (DAIF), this CPU only. */
static inline void irq_mask(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline void irq_unmask(void) { __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory"); }

/*
 * mmio_read32/64, mmio_write32 - one plain load or store at VA @addr (identity map: VA = IPA).
 * Written in assembly so that the access is a single LDR/STR without writeback: cella emulates
 * the GIC and the PL011 from the syndrome of the trapped access (Arm ARM, ESR_EL2.ISV),
 * which the compiler's post-indexed forms would not give.
 */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

/* rt_mpidr - this CPU's MPIDR_EL1 affinity fields Aff3..Aff0 (Arm ARM, MPIDR_EL1). */
static inline uint64_t rt_mpidr(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffull;
}

#endif
