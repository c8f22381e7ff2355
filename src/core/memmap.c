/* memmap.c - host physical memory map: RAM banks, reserved and allocated ranges. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "memmap.h"
#include "../lib/err.h"

/* Ranges are compared by their last byte (pa + size - 1) so a bank may end exactly at 2^64. */
static bool memmap_range_ok(uint64_t pa, uint64_t size)
{
	return size != 0 && size - 1 <= UINT64_MAX - pa;
}

static uint64_t memmap_last(const struct memmap_range *r)
{
	return r->pa + (r->size - 1);
}

static bool memmap_overlaps(const struct memmap_range *r, uint64_t pa, uint64_t last)
{
	return pa <= memmap_last(r) && r->pa <= last;
}

static bool memmap_inside(const struct memmap_range *r, uint64_t pa, uint64_t last)
{
	return pa >= r->pa && last <= memmap_last(r);
}

/* true if [pa, last] overlaps a used range */
static bool memmap_used_overlaps(const struct memmap *m, uint64_t pa, uint64_t last)
{
	uint32_t i;

	for (i = 0; i < m->nr_used; i++)
		if (memmap_overlaps(&m->used[i], pa, last))
			return true;
	return false;
}

void memmap_init(struct memmap *m)
{
	memset(m, 0, sizeof(*m));
}

int memmap_add_ram(struct memmap *m, uint64_t pa, uint64_t size)
{
	uint64_t last;
	uint32_t i;

	if (!memmap_range_ok(pa, size))
		return -ERR_RANGE;
	last = pa + (size - 1);
	for (i = 0; i < m->nr_ram; i++)
		if (memmap_overlaps(&m->ram[i], pa, last))
			return -ERR_EXIST;
	if (m->nr_ram == MEMMAP_MAX_RANGES)
		return -ERR_NOMEM;
	m->ram[m->nr_ram].pa = pa;
	m->ram[m->nr_ram].size = size;
	m->nr_ram++;
	return 0;
}

int memmap_reserve(struct memmap *m, uint64_t pa, uint64_t size)
{
	uint64_t last;
	uint32_t i;

	if (!memmap_range_ok(pa, size))
		return -ERR_RANGE;
	last = pa + (size - 1);
	for (i = 0; i < m->nr_ram; i++)
		if (memmap_inside(&m->ram[i], pa, last))
			break;
	if (i == m->nr_ram)
		return -ERR_RANGE;
	if (memmap_used_overlaps(m, pa, last))
		return -ERR_EXIST;
	if (m->nr_used == MEMMAP_MAX_RANGES)
		return -ERR_NOMEM;
	m->used[m->nr_used].pa = pa;
	m->used[m->nr_used].size = size;
	m->nr_used++;
	return 0;
}

/*
 * The highest aligned block that fits in @bank below the gap end @last (inclusive), if it is
 * inside the bank and free. Every free gap ends at a bank end or just below a used range, so
 * trying those ends finds the highest fit (memmap_alloc).
 */
static bool memmap_try_below(const struct memmap *m, const struct memmap_range *bank,
			     uint64_t last, uint64_t size, uint64_t align, uint64_t *pa)
{
	uint64_t cand;

	if (last < bank->pa || last - bank->pa < size - 1)
		return false;
	cand = (last - (size - 1)) & ~(align - 1);
	if (cand < bank->pa)
		return false;
	if (memmap_used_overlaps(m, cand, cand + (size - 1)))
		return false;
	*pa = cand;
	return true;
}

int memmap_alloc(struct memmap *m, uint64_t size, uint64_t align, uint64_t *pa)
{
	uint64_t best = 0, cand;
	bool found = false;
	uint32_t b, u;

	if (size == 0 || align == 0 || (align & (align - 1)))
		return -ERR_INVAL;
	if (m->nr_used == MEMMAP_MAX_RANGES)
		return -ERR_NOMEM;
	for (b = 0; b < m->nr_ram; b++) {
		const struct memmap_range *bank = &m->ram[b];

		if (memmap_try_below(m, bank, memmap_last(bank), size, align, &cand) &&
		    (!found || cand > best)) {
			best = cand;
			found = true;
		}
		for (u = 0; u < m->nr_used; u++) {
			const struct memmap_range *r = &m->used[u];

			if (r->pa <= bank->pa || !memmap_inside(bank, r->pa, memmap_last(r)))
				continue;
			if (memmap_try_below(m, bank, r->pa - 1, size, align, &cand) &&
			    (!found || cand > best)) {
				best = cand;
				found = true;
			}
		}
	}
	if (!found)
		return -ERR_NOMEM;
	m->used[m->nr_used].pa = best;
	m->used[m->nr_used].size = size;
	m->nr_used++;
	*pa = best;
	return 0;
}

uint64_t memmap_free_bytes(const struct memmap *m)
{
	uint64_t total = 0, free;
	uint32_t b, u;

	for (b = 0; b < m->nr_ram; b++) {
		free = m->ram[b].size;
		for (u = 0; u < m->nr_used; u++)
			if (memmap_inside(&m->ram[b], m->used[u].pa, memmap_last(&m->used[u])))
				free -= m->used[u].size;
		/* saturate: disjoint banks can hold 2^64 bytes together, one more than fits */
		total = free > UINT64_MAX - total ? UINT64_MAX : total + free;
	}
	return total;
}
