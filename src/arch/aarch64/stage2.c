/* stage2.c - stage-2 translation table builder: 4 KiB granule, 40-bit IPA, start level 1. */
#include <stddef.h>
#include <stdint.h>

#include "arch/aarch64/stage2.h"
#include "lib/err.h"

/* Descriptor fields, Arm ARM D8.3 (VMSAv8-64 translation table descriptor formats). */
#define S2_DESC_VALID (1ull << 0)
#define S2_DESC_TABLE (1ull << 1)		/* table at levels 1-2, page at level 3 */
#define S2_DESC_OA_MASK 0x0000fffffffff000ull	/* output address [47:12] */
#define S2_MEMATTR(x) ((uint64_t)(x) << 2)	/* stage-2 MemAttr [5:2] */
#define S2_MEMATTR_MASK S2_MEMATTR(0xf)
#define S2_MEMATTR_NORMAL_WB S2_MEMATTR(0xf)	/* outer WB, inner WB */
#define S2_MEMATTR_DEVICE_NGNRE S2_MEMATTR(0x1)
#define S2_S2AP(x) ((uint64_t)(x) << 6)		/* S2AP [7:6] */
#define S2_S2AP_MASK S2_S2AP(3)
#define S2_S2AP_RO S2_S2AP(1)
#define S2_S2AP_RW S2_S2AP(3)
#define S2_SH_INNER (3ull << 8)			/* SH [9:8] */
#define S2_AF (1ull << 10)
#define S2_XN_EL1_EL0 (2ull << 53)		/* XN [54:53] = 0b10: no exec at EL1 or EL0 */

#define S2_LEVEL_FIRST 1u
#define S2_LEVEL_LAST 3u
#define S2_ROOT_ENTRIES 1024u			/* two concatenated level-1 tables */
#define S2_TABLE_ENTRIES 512u
#define S2_IPA_LIMIT (1ull << STAGE2_IPA_BITS)
#define S2_PA_LIMIT (1ull << 48)		/* what the OA field of a descriptor can hold */
#define S2_ROOT_ALIGN 0x2000ull

/* Log2 of the region one entry maps at @level (30, 21, 12). */
static unsigned s2_shift(unsigned level)
{
	return 12u + 9u * (S2_LEVEL_LAST - level);
}

static unsigned s2_index(unsigned level, ipa_t ipa)
{
	uint64_t mask = level == S2_LEVEL_FIRST ? S2_ROOT_ENTRIES - 1 : S2_TABLE_ENTRIES - 1;

	return (unsigned)((ipa >> s2_shift(level)) & mask);
}

/* Single aligned 64-bit store, so a concurrent hardware walk never sees a torn descriptor. */
static void s2_write(uint64_t *entry, uint64_t desc)
{
	*(volatile uint64_t *)entry = desc;
}

static uint64_t s2_read(const uint64_t *entry)
{
	return *(const volatile uint64_t *)entry;
}

static int s2_attr_bits(enum stage2_attr attr, uint64_t *bits)
{
	switch (attr) {
	case S2_MEM_RWX:
		*bits = S2_MEMATTR_NORMAL_WB | S2_S2AP_RW | S2_SH_INNER | S2_AF;
		return 0;
	case S2_MEM_RO:
		*bits = S2_MEMATTR_NORMAL_WB | S2_S2AP_RO | S2_SH_INNER | S2_AF;
		return 0;
	case S2_DEV_RW:
		*bits = S2_MEMATTR_DEVICE_NGNRE | S2_S2AP_RW | S2_AF | S2_XN_EL1_EL0;
		return 0;
	}
	return -ERR_INVAL;
}

static enum stage2_attr s2_attr_of(uint64_t desc)
{
	if ((desc & S2_MEMATTR_MASK) == S2_MEMATTR_DEVICE_NGNRE)
		return S2_DEV_RW;
	if ((desc & S2_S2AP_MASK) == S2_S2AP_RO)
		return S2_MEM_RO;
	return S2_MEM_RWX;
}

/* The next-level table a valid table descriptor points to, or NULL if pa_to_va refuses it. */
static uint64_t *s2_next_table(const struct stage2 *s2, uint64_t desc)
{
	uint64_t *t = s2->pa_to_va(s2->ctx, desc & S2_DESC_OA_MASK);

	if (!t || ((uintptr_t)t & 7u))
		return NULL;
	return t;
}

/* End of the entry at @level containing @ipa, capped at @end; never overflows as ipa < 2^40. */
static ipa_t s2_entry_end(unsigned level, ipa_t ipa, ipa_t end)
{
	ipa_t next = (ipa | ((1ull << s2_shift(level)) - 1)) + 1;

	return next < end ? next : end;
}

int stage2_init(struct stage2 *s2, uint64_t *root, pa_t root_pa,
		uint64_t *(*alloc_table)(void *ctx, pa_t *pa),
		void *(*pa_to_va)(void *ctx, pa_t pa), void *ctx)
{
	if (!s2 || !root || !alloc_table || !pa_to_va)
		return -ERR_INVAL;
	/* VTTBR_EL2.BADDR: the concatenated root must be aligned to its own size (Arm ARM D8.2) */
	if ((root_pa & (S2_ROOT_ALIGN - 1)) || root_pa >= S2_PA_LIMIT || ((uintptr_t)root & 7u))
		return -ERR_INVAL;
	s2->root = root;
	s2->root_pa = root_pa;
	s2->alloc_table = alloc_table;
	s2->pa_to_va = pa_to_va;
	s2->ctx = ctx;
	return 0;
}

/* 0 if nothing in [ipa, end) under @table (at @level) is mapped, else -ERR_EXIST. Read only. */
static int s2_check_free(const struct stage2 *s2, const uint64_t *table, unsigned level,
			 ipa_t ipa, ipa_t end)
{
	while (ipa < end) {
		ipa_t next = s2_entry_end(level, ipa, end);
		uint64_t desc = s2_read(&table[s2_index(level, ipa)]);

		if (desc & S2_DESC_VALID) {
			const uint64_t *sub;
			int rc;

			/* a block or page covers part of the range */
			if (level == S2_LEVEL_LAST || !(desc & S2_DESC_TABLE))
				return -ERR_EXIST;
			sub = s2_next_table(s2, desc);
			if (!sub)
				return -ERR_INVAL;
			rc = s2_check_free(s2, sub, level + 1, ipa, next);
			if (rc)
				return rc;
		}
		ipa = next;
	}
	return 0;
}

/* Map [ipa, end) -> pa.. under @table (at @level); the range was checked free beforehand. */
static int s2_map_level(struct stage2 *s2, uint64_t *table, unsigned level, ipa_t ipa, pa_t pa,
			ipa_t end, uint64_t attr_bits)
{
	uint64_t block = 1ull << s2_shift(level);

	while (ipa < end) {
		ipa_t next = s2_entry_end(level, ipa, end);
		uint64_t *entry = &table[s2_index(level, ipa)];
		uint64_t desc = s2_read(entry);
		uint64_t *sub;
		int rc;

		if (level == S2_LEVEL_LAST) {
			if (desc & S2_DESC_VALID)
				return -ERR_EXIST;
			s2_write(entry, pa | attr_bits | S2_DESC_TABLE | S2_DESC_VALID);
		} else if (!(desc & S2_DESC_VALID) && next - ipa == block && !(pa & (block - 1))) {
			/* the whole entry is covered and the PA is aligned: one block descriptor */
			s2_write(entry, pa | attr_bits | S2_DESC_VALID);
		} else {
			if (!(desc & S2_DESC_VALID)) {
				pa_t sub_pa = 0;

				sub = s2->alloc_table(s2->ctx, &sub_pa);
				if (!sub)
					return -ERR_NOMEM;
				if ((sub_pa & (STAGE2_PAGE - 1)) || sub_pa >= S2_PA_LIMIT ||
				    ((uintptr_t)sub & 7u))
					return -ERR_INVAL;
				/* alloc_table zeroed it: linking it maps nothing yet */
				s2_write(entry, sub_pa | S2_DESC_TABLE | S2_DESC_VALID);
			} else {
				/* never split a block; an existing table is reused */
				if (!(desc & S2_DESC_TABLE))
					return -ERR_EXIST;
				sub = s2_next_table(s2, desc);
				if (!sub)
					return -ERR_INVAL;
			}
			rc = s2_map_level(s2, sub, level + 1, ipa, pa, next, attr_bits);
			if (rc)
				return rc;
		}
		pa += next - ipa;
		ipa = next;
	}
	return 0;
}

int stage2_map(struct stage2 *s2, ipa_t ipa, pa_t pa, uint64_t size, enum stage2_attr attr)
{
	uint64_t attr_bits;
	int rc;

	if (!s2 || !s2->root || s2_attr_bits(attr, &attr_bits))
		return -ERR_INVAL;
	if (!size || ((ipa | pa | size) & (STAGE2_PAGE - 1)))
		return -ERR_INVAL;
	/* overflow-safe: compare against the limit minus size, never compute ipa + size first */
	if (size > S2_IPA_LIMIT || ipa > S2_IPA_LIMIT - size)
		return -ERR_RANGE;
	if (size > S2_PA_LIMIT || pa > S2_PA_LIMIT - size)
		return -ERR_RANGE;
	/* check the whole range before writing anything, so -ERR_EXIST leaves no partial mapping */
	rc = s2_check_free(s2, s2->root, S2_LEVEL_FIRST, ipa, ipa + size);
	if (rc)
		return rc;
	return s2_map_level(s2, s2->root, S2_LEVEL_FIRST, ipa, pa, ipa + size, attr_bits);
}

int stage2_lookup(const struct stage2 *s2, ipa_t ipa, pa_t *pa, enum stage2_attr *attr,
		  uint64_t *block_size)
{
	const uint64_t *table;
	unsigned level;

	if (!s2 || !s2->root)
		return -ERR_NOENT;
	if (ipa >= S2_IPA_LIMIT)
		return -ERR_RANGE;
	table = s2->root;
	for (level = S2_LEVEL_FIRST; level <= S2_LEVEL_LAST; level++) {
		uint64_t desc = s2_read(&table[s2_index(level, ipa)]);
		uint64_t size = 1ull << s2_shift(level);

		if (!(desc & S2_DESC_VALID))
			return -ERR_NOENT;
		/* a level-3 descriptor with bit 1 clear is reserved: treated as invalid */
		if (level == S2_LEVEL_LAST && !(desc & S2_DESC_TABLE))
			return -ERR_NOENT;
		if (level == S2_LEVEL_LAST || !(desc & S2_DESC_TABLE)) {
			if (pa)
				*pa = (desc & S2_DESC_OA_MASK & ~(size - 1)) | (ipa & (size - 1));
			if (attr)
				*attr = s2_attr_of(desc);
			if (block_size)
				*block_size = size;
			return 0;
		}
		table = s2_next_table(s2, desc);
		if (!table)
			return -ERR_NOENT;
	}
	return -ERR_NOENT;
}

/* VTCR_EL2 fields, Arm ARM D13.2 (VTCR_EL2). */
#define VTCR_T0SZ(x) ((uint64_t)(x) << 0)
#define VTCR_SL0(x) ((uint64_t)(x) << 6)
#define VTCR_IRGN0_WBWA (1ull << 8)
#define VTCR_ORGN0_WBWA (1ull << 10)
#define VTCR_SH0_INNER (3ull << 12)
#define VTCR_TG0_4K (0ull << 14)
#define VTCR_PS(x) ((uint64_t)(x) << 16)
#define VTCR_RES1 (1ull << 31)

uint64_t stage2_vtcr(unsigned ps_bits)
{
	unsigned ps;

	switch (ps_bits) {
	case 32: ps = 0; break;
	case 36: ps = 1; break;
	case 40: ps = 2; break;
	case 42: ps = 3; break;
	case 44: ps = 4; break;
	case 48: ps = 5; break;
	default: ps = 2; break;	/* larger (52) or invalid: the 40 bits our IPA space needs */
	}
	return VTCR_T0SZ(64 - STAGE2_IPA_BITS) | VTCR_SL0(1) | VTCR_IRGN0_WBWA | VTCR_ORGN0_WBWA |
	       VTCR_SH0_INNER | VTCR_TG0_4K | VTCR_PS(ps) | VTCR_RES1;
}
