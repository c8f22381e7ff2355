/* stage2.h - stage-2 translation table builder (Arm ARM D8 "The AArch64 Virtual Memory System
 * Architecture", VMSAv8-64 stage 2, 4 KiB granule). Pure C: tables are reached through callbacks,
 * so the builder runs at EL2 (identity map) and in host unit tests alike.
 *
 * Geometry: 40-bit IPA space (VTCR_EL2.T0SZ = 24), translation starting at level 1 with two
 * concatenated level-1 tables (VTCR_EL2.SL0 = 1), i.e. an 8 KiB root, 8 KiB aligned.
 */
#ifndef CELLA_ARCH_STAGE2_H
#define CELLA_ARCH_STAGE2_H

#include <stdint.h>

typedef uint64_t ipa_t;		/* intermediate physical address (what the guest calls physical) */
typedef uint64_t pa_t;		/* host physical address */

#define STAGE2_IPA_BITS 40
#define STAGE2_PAGE 0x1000ull

enum stage2_attr {
	S2_MEM_RWX = 1,		/* normal memory, write-back, inner shareable, read/write/exec */
	S2_MEM_RO = 2,		/* normal memory, read-only, exec */
	S2_DEV_RW = 3,		/* device-nGnRE, read/write, execute-never */
};

struct stage2 {
	uint64_t *root;		/* VA of the 8 KiB root (two level-1 tables) */
	pa_t root_pa;
	/* alloc_table: a zeroed 4 KiB table, VA returned, PA in *pa; NULL when out of tables */
	uint64_t *(*alloc_table)(void *ctx, pa_t *pa);
	void *(*pa_to_va)(void *ctx, pa_t pa);
	void *ctx;
};

/* stage2_init - set up @s2 with an already zeroed 8 KiB root at @root / @root_pa (8 KiB aligned)
 * and the callbacks. Returns 0 or -ERR_INVAL (misaligned root). */
int stage2_init(struct stage2 *s2, uint64_t *root, pa_t root_pa,
		uint64_t *(*alloc_table)(void *ctx, pa_t *pa),
		void *(*pa_to_va)(void *ctx, pa_t pa), void *ctx);

/* stage2_map - map IPA [ipa, ipa+size) to PA [pa, pa+size) with @attr, using 1 GiB and 2 MiB
 * blocks where both addresses are aligned, 4 KiB pages elsewhere. ipa, pa and size must be
 * 4 KiB multiples, size > 0, ipa+size <= 2^40, no overflow. Refuses to replace any existing
 * mapping. Returns 0, -ERR_INVAL (alignment, attr), -ERR_RANGE (outside IPA space / overflow),
 * -ERR_EXIST (already mapped), -ERR_NOMEM (no tables; the part mapped so far stays mapped). */
int stage2_map(struct stage2 *s2, ipa_t ipa, pa_t pa, uint64_t size, enum stage2_attr attr);

/* stage2_lookup - translate @ipa: *@pa gets the PA, *@attr the attribute, *@block_size the size
 * of the mapping level (4 KiB, 2 MiB or 1 GiB). Returns 0 or -ERR_NOENT / -ERR_RANGE. */
int stage2_lookup(const struct stage2 *s2, ipa_t ipa, pa_t *pa, enum stage2_attr *attr,
		  uint64_t *block_size);

/* stage2_vtcr - the VTCR_EL2 value for this geometry with physical address size field PS
 * (@ps_bits: 32, 36, 40, 42, 44, 48; use min(ID_AA64MMFR0_EL1.PARange, 40)). */
uint64_t stage2_vtcr(unsigned ps_bits);

#endif
