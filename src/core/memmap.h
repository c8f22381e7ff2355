/* memmap.h - the host physical memory map: RAM banks minus what cella and the firmware use,
 * carved into cell memory. Pure C; unit-tested on the host. */
#ifndef CELLA_CORE_MEMMAP_H
#define CELLA_CORE_MEMMAP_H

#include <stdint.h>

#define MEMMAP_MAX_RANGES 32

struct memmap_range {
	uint64_t pa, size;	/* host PA, bytes */
};

struct memmap {
	uint32_t nr_ram, nr_used;
	struct memmap_range ram[MEMMAP_MAX_RANGES];
	struct memmap_range used[MEMMAP_MAX_RANGES];
};

void memmap_init(struct memmap *m);

/* memmap_add_ram - add a RAM bank [pa, pa+size). Returns 0, -ERR_RANGE (overflow, size 0),
 * -ERR_EXIST (overlaps a bank), -ERR_NOMEM (table full). */
int memmap_add_ram(struct memmap *m, uint64_t pa, uint64_t size);

/* memmap_reserve - mark [pa, pa+size) used. It must lie inside one RAM bank and not overlap a
 * used range. Returns 0, -ERR_RANGE (outside RAM / overflow / size 0), -ERR_EXIST (overlap),
 * -ERR_NOMEM. */
int memmap_reserve(struct memmap *m, uint64_t pa, uint64_t size);

/* memmap_alloc - find @size bytes aligned to @align (a power of two) in free RAM, highest
 * address first, mark them used and return the PA in *@pa. Returns 0, -ERR_INVAL, -ERR_NOMEM. */
int memmap_alloc(struct memmap *m, uint64_t size, uint64_t align, uint64_t *pa);

/* memmap_free_bytes - total free RAM in bytes. */
uint64_t memmap_free_bytes(const struct memmap *m);

#endif
