/* mmu.h - the component's stage-1 translation at EL1: an identity map (VA = IPA) with 4 KiB
 * granules and a 39-bit VA space from TTBR0_EL1 (Arm ARM D8 "The AArch64 Virtual Memory System
 * Architecture"). RAM is Normal write-back cacheable, the image's code and read-only data
 * read-only, everything else execute-never; device ranges are Device-nGnRE. */
#ifndef RT_MMU_H
#define RT_MMU_H

#include <stdint.h>

enum mmu_attr {
	MMU_NORMAL,		/* RAM: read/write, execute-never */
	MMU_NORMAL_RX,		/* the image's code and read-only data: read-only, executable */
	MMU_NORMAL_RO,		/* a channel this end only reads: read-only, execute-never */
	MMU_DEVICE,		/* MMIO: Device-nGnRE, read/write, execute-never */
};

/* mmu_map - identity-map IPA range [@ipa, @ipa + @size) with @attr, rounded out to 4 KiB pages;
 * later calls override earlier ones page by page. Before mmu_enable the tables are only built;
 * after it the change is made with break-before-make and a TLB invalidation of the range.
 * Returns 0, -1 if the range leaves the 39-bit space or the table pool (16 pages) runs out. */
int mmu_map(uint64_t ipa, uint64_t size, enum mmu_attr attr);

/* mmu_enable - load MAIR_EL1, TCR_EL1 and TTBR0_EL1 and set SCTLR_EL1.M, C and I. Call once,
 * from the boot CPU, with the MMU off. */
void mmu_enable(void);

#endif
