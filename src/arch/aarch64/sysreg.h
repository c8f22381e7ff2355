/* sysreg.h - AArch64 system register access and EL2 register bit definitions
 * (Arm ARM DDI 0487, D13 "AArch64 System Register Descriptions"). */
#ifndef CELLA_ARCH_SYSREG_H
#define CELLA_ARCH_SYSREG_H

#include <stdint.h>

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %x0" : : "rZ"((uint64_t)(v)))
/* registers without a name the assembler knows in every version: S<op0>_<op1>_C<n>_C<m>_<op2> */
#define read_sysreg_s(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " r : "=r"(__v)); __v; })
#define write_sysreg_s(r, v) __asm__ volatile("msr " r ", %x0" : : "rZ"((uint64_t)(v)))

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")
#define sev() __asm__ volatile("sev" : : : "memory")
#define barrier() __asm__ volatile("" : : : "memory")

/* HCR_EL2 (D13.2.48) */
#define HCR_VM (1ull << 0)
#define HCR_SWIO (1ull << 1)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_FB (1ull << 9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TID3 (1ull << 18)
#define HCR_TSC (1ull << 19)
#define HCR_TIDCP (1ull << 20)
#define HCR_TACR (1ull << 21)
#define HCR_RW (1ull << 31)
#define HCR_APK (1ull << 40)
#define HCR_API (1ull << 41)

/* ESR_EL2 exception classes (D13.2.37) */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL (1u << 25)
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24

/* SPSR / PSTATE */
#define PSR_MODE_EL1H 0x5ull
#define PSR_DAIF (0xfull << 6)

/* GICv3 CPU interface and virtualization registers (IHI 0069, ch. 12.2 / 12.4) */
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_DIR_EL1 "S3_0_C12_C11_1"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2 "S3_4_C12_C9_5"
#define ICH_AP0R0_EL2 "S3_4_C12_C8_0"
#define ICH_AP0R1_EL2 "S3_4_C12_C8_1"
#define ICH_AP0R2_EL2 "S3_4_C12_C8_2"
#define ICH_AP0R3_EL2 "S3_4_C12_C8_3"
#define ICH_AP1R0_EL2 "S3_4_C12_C9_0"
#define ICH_AP1R1_EL2 "S3_4_C12_C9_1"
#define ICH_AP1R2_EL2 "S3_4_C12_C9_2"
#define ICH_AP1R3_EL2 "S3_4_C12_C9_3"
#define ICH_HCR_EL2 "S3_4_C12_C11_0"
#define ICH_VTR_EL2 "S3_4_C12_C11_1"
#define ICH_MISR_EL2 "S3_4_C12_C11_2"
#define ICH_EISR_EL2 "S3_4_C12_C11_3"
#define ICH_ELRSR_EL2 "S3_4_C12_C11_5"
#define ICH_VMCR_EL2 "S3_4_C12_C11_7"

/* PAuth keys (D13.2: APIAKeyLo_EL1 ...), named so older assemblers accept them */
#define APIAKEYLO_EL1 "S3_0_C2_C1_0"
#define APIAKEYHI_EL1 "S3_0_C2_C1_1"
#define APIBKEYLO_EL1 "S3_0_C2_C1_2"
#define APIBKEYHI_EL1 "S3_0_C2_C1_3"
#define APDAKEYLO_EL1 "S3_0_C2_C2_0"
#define APDAKEYHI_EL1 "S3_0_C2_C2_1"
#define APDBKEYLO_EL1 "S3_0_C2_C2_2"
#define APDBKEYHI_EL1 "S3_0_C2_C2_3"
#define APGAKEYLO_EL1 "S3_0_C2_C3_0"
#define APGAKEYHI_EL1 "S3_0_C2_C3_1"

#endif
