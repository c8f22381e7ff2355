/* fdt_format.h - the flattened device tree binary format shared by the reader (fdt.c) and the
 * writer (fdt_write.c): tokens, header layout, big-endian helpers (DT spec v0.4, ch. 5).
 * Private to src/lib. */
#ifndef CELLA_LIB_FDT_FORMAT_H
#define CELLA_LIB_FDT_FORMAT_H

#include <stdint.h>

/* structure block tokens (DT spec v0.4, 5.4.1) */
#define FDT_BEGIN_NODE	1u
#define FDT_END_NODE	2u
#define FDT_PROP	3u
#define FDT_NOP		4u
#define FDT_END		9u

#define FDT_HDR_SIZE	40u
#define FDT_RSV_SIZE	16u			/* one reservation entry: address, size */
#define FDT_SIZE_MAX	0x7fffffffu		/* node handles are int offsets */
/* where the writer starts the structure block: after the header and an empty reservation map */
#define FDTW_STRUCT	(FDT_HDR_SIZE + FDT_RSV_SIZE)

/* header field offsets (DT spec v0.4, 5.2) */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP = 24,
	HDR_BOOT_CPUID = 28,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36,
};

/* byte by byte: the blob may be unaligned and EL2 builds with -mstrict-align */
static inline uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void fdt_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint64_t fdt_align4(uint64_t v)
{
	return (v + 3) & ~(uint64_t)3;
}

#endif
