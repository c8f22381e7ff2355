/* util.h - constants and helpers every layer shares: the system's limits, sizes, alignment,
 * the MPIDR affinity mask. One definition each (assembly includes it too). */
#ifndef CELLA_LIB_UTIL_H
#define CELLA_LIB_UTIL_H

/* limits of one cella system */
#define CELLA_MAX_PCPUS 8		/* pCPUs cella drives */
#define CELLA_MAX_CELLS 8		/* cells in a system description */
#define CELLA_MAX_VCPUS 8		/* vCPUs of one cell */

#define SZ_4K 0x1000ull
#define SZ_1M 0x100000ull
#define SZ_2M 0x200000ull

/* MPIDR_EL1 affinity fields: Aff3 [39:32], Aff2..Aff0 [23:0] (Arm ARM D13.2.86) */
#define MPIDR_AFF_MASK 0xff00ffffffull

#ifndef __ASSEMBLY__
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* align_up - @v rounded up to a multiple of @a (a power of two); the caller keeps @v at
 * least @a - 1 below UINT64_MAX. */
static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* is_aligned - @v is a multiple of @a (a power of two) */
static inline int is_aligned(uint64_t v, uint64_t a)
{
	return (v & (a - 1)) == 0;
}
#endif

#endif
