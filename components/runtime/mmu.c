/* mmu.c - the component runtime's identity map: a 4 KiB-granule table tree built from a static
 * pool, with the largest blocks each range allows (Arm ARM DDI 0487, VMSAv8-64 descriptors). */
#include <stdbool.h>

#include <rt/mmu.h>
#include <rt/sysreg.h>

#define PAGE 4096ull
#define VA_BITS 39			/* TCR_EL1.T0SZ = 25: the walk starts at level 1 */
#define POOL_PAGES 16
#define ENTRIES 512

#define DESC_VALID (1ull << 0)
#define DESC_TABLE (1ull << 1)		/* at levels 1-2: table; at level 3: page */
#define DESC_ATTR(i) ((uint64_t)(i) << 2)
#define DESC_AP_RO (2ull << 6)		/* AP[2:1] = 0b10: EL1 read-only */
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)
#define DESC_ADDR 0x0000fffffffff000ull

/* MAIR_EL1 attribute indexes (Arm ARM, MAIR_EL1) */
#define ATTR_DEVICE 0			/* 0x04: Device-nGnRE */
#define ATTR_NORMAL 1			/* 0xff: Normal, write-back, read/write-allocate */
#define MAIR_VALUE (0x04ull << (8 * ATTR_DEVICE) | 0xffull << (8 * ATTR_NORMAL))

static uint64_t pool[POOL_PAGES][ENTRIES] __attribute__((aligned(4096)));
static unsigned pool_used = 1;		/* pool[0] is the level-1 table */
static bool enabled;

static uint64_t leaf_bits(enum mmu_attr attr)
{
	switch (attr) {
	case MMU_NORMAL:
		return DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_PXN | DESC_UXN;
	case MMU_NORMAL_RO:
		return DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_AP_RO | DESC_PXN |
		       DESC_UXN;
	case MMU_NORMAL_RX:
		return DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_AP_RO | DESC_UXN;
	default:
		return DESC_ATTR(ATTR_DEVICE) | DESC_AF | DESC_PXN | DESC_UXN;
	}
}

/* the next-level table under entry *@e, splitting a block into its pages if need be */
static uint64_t *table_of(uint64_t *e, unsigned level)
{
	uint64_t *t;

	if ((*e & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE))
		return (uint64_t *)(uintptr_t)(*e & DESC_ADDR);
	if (pool_used == POOL_PAGES)
		return 0;
	t = pool[pool_used++];
	if (*e & DESC_VALID) {
		/* a block: the new table repeats it in smaller pieces (level + 1 granules) */
		uint64_t step = 1ull << (39 - 9 * (level + 1));
		uint64_t type = level + 1 == 3 ? DESC_VALID | DESC_TABLE : DESC_VALID;

		for (unsigned i = 0; i < ENTRIES; i++)
			t[i] = ((*e & ~(DESC_VALID | DESC_TABLE)) + i * step) | type;
	}
	dsb_ish();
	*e = (uint64_t)(uintptr_t)t | DESC_VALID | DESC_TABLE;
	return t;
}

/* map [@va, @end) within the table @t of @level (1: 1 GiB entries, 2: 2 MiB, 3: 4 KiB) */
static int map_level(uint64_t *t, unsigned level, uint64_t va, uint64_t end, uint64_t bits)
{
	unsigned shift = 39 - 9 * level;
	uint64_t span = 1ull << shift;

	while (va < end) {
		uint64_t *e = &t[(va >> shift) & (ENTRIES - 1)];
		uint64_t next = (va & ~(span - 1)) + span;

		if (next > end)
			next = end;
		if (level == 3) {
			*e = va | bits | DESC_VALID | DESC_TABLE;
		} else if ((va & (span - 1)) == 0 && next - va == span) {
			/* a whole 1 GiB or 2 MiB block; a later finer mapping splits it */
			*e = va | bits | DESC_VALID;
		} else {
			uint64_t *sub = table_of(e, level);

			if (!sub || map_level(sub, level + 1, va, next, bits))
				return -1;
		}
		va = next;
	}
	return 0;
}

int mmu_map(uint64_t ipa, uint64_t size, enum mmu_attr attr)
{
	uint64_t start = ipa & ~(PAGE - 1), end = ipa + size;

	/* overflow-safe: the end must not wrap and must stay inside the 39-bit space */
	if (size == 0 || end < ipa || end > (1ull << VA_BITS) - PAGE)
		return -1;
	end = (end + PAGE - 1) & ~(PAGE - 1);
	if (map_level(pool[0], 1, start, end, leaf_bits(attr)))
		return -1;
	if (enabled) {
		/* break-before-make (Arm ARM) only approximated: components remap only
		 * ranges they do not access at the time (new device windows) */
		dsb_ish();
		for (uint64_t va = start; va < end; va += PAGE)
			__asm__ volatile("tlbi vaae1is, %0" : : "r"(va >> 12) : "memory");
		dsb_ish();
		isb();
	}
	return 0;
}

void mmu_enable(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	uint64_t ips = parange < 2 ? parange : 2;	/* 40-bit IPAs cover the 39-bit VA space */
	/* T0SZ 25; IRGN0/ORGN0 write-back allocate; SH0 inner; TG0 4 KiB; EPD1: no TTBR1 walks */
	uint64_t tcr = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 23 | ips << 32;
	/* SCTLR_EL1 RES1 bits of Armv8.0 (11, 20, 22, 23, 28, 29) | M | C | SA | I */
	uint64_t sctlr = 0x30d00800ull | 1 | 1ull << 2 | 1ull << 3 | 1ull << 12;
	extern char _start[], _end[];

	/* The tables and everything written so far went to memory with the MMU off (Device
	 * accesses); drop stale cache lines of the image so cacheable reads see it (Arm ARM
	 * "Data and unified caches"; Linux does the same in its early page table setup). */
	dsb_sy();
	for (uintptr_t p = (uintptr_t)_start & ~63ul; p < (uintptr_t)_end; p += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	dsb_sy();
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb_sy();
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, tcr);
	write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)pool[0]);
	isb();
	write_sysreg(sctlr_el1, sctlr);
	isb();
	__asm__ volatile("ic iallu\n\tdsb nsh\n\tisb" ::: "memory");
	enabled = true;
}
