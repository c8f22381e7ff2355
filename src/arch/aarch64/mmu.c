/* mmu.c - cella's own EL2 stage-1 translation: an identity map with 1 GiB blocks
 * (Arm ARM D8, VMSAv8-64 translation, 4 KiB granule, 39-bit VA starting at level 1). */
#include <stdint.h>
#include "arch/aarch64/internal.h"
#include "arch/aarch64/sysreg.h"

#define MAIR_NORMAL_WB 0xffull		/* attr index 0 */
#define MAIR_DEVICE_nGnRE 0x04ull	/* attr index 1 */
#define PTE_BLOCK 0x1ull
#define PTE_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_XN (1ull << 54)		/* EL2 regime: XN */

/* level-1 table: entry n maps VA = PA [n GiB, n+1 GiB) */
static uint64_t el2_l1[512] __attribute__((aligned(4096)));

/* mmu_build_tables - the EL2 identity map: the first GiB (QEMU virt's devices: GIC, UART) as
 * Device-nGnRE execute-never, GiB 1..255 as normal write-back memory. Called by the boot pCPU
 * with the MMU off, before any other pCPU starts. Devices above 1 GiB (PCIe) are not mapped. */
void mmu_build_tables(void)
{
	el2_l1[0] = 0 | PTE_BLOCK | PTE_ATTRIDX(1) | PTE_AF | PTE_XN;
	for (uint64_t n = 1; n < 256; n++)
		el2_l1[n] = (n << 30) | PTE_BLOCK | PTE_ATTRIDX(0) | PTE_SH_INNER | PTE_AF;
}

/* mmu_enable - load MAIR/TCR/TTBR0_EL2 and turn on the MMU and caches (SCTLR_EL2.M, C, I).
 * Called by every pCPU after mmu_build_tables ran once. */
void mmu_enable(void)
{
	uint64_t tcr = 25 |		/* T0SZ: 39-bit VA, start at level 1 */
		       (1ull << 8) |	/* IRGN0 write-back write-allocate */
		       (1ull << 10) |	/* ORGN0 */
		       (3ull << 12) |	/* SH0 inner shareable */
		       (0ull << 14) |	/* TG0 4 KiB */
		       (2ull << 16) |	/* PS 40 bits */
		       (1ull << 23) | (1ull << 31);	/* RES1 */

	write_sysreg(mair_el2, MAIR_NORMAL_WB | (MAIR_DEVICE_nGnRE << 8));
	write_sysreg(tcr_el2, tcr);
	write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)el2_l1);
	isb();
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb(sy);
	isb();
	/* M, C, SA, I + RES1 bits 4, 5, 11, 16, 18, 22, 23, 28, 29 */
	write_sysreg(sctlr_el2, 0x30c50830ull | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12));
	isb();
}
