/* sysimg.h - reading a cella system image payload (include/cella/sysimg.h) and checking guest
 * kernel images. Pure C; every field is validated before use: the payload is user input. */
#ifndef CELLA_CORE_SYSIMG_H
#define CELLA_CORE_SYSIMG_H

#include <stdint.h>
#include <cella/sysimg.h>

struct sysimg {
	const uint8_t *base;		/* the payload header */
	uint64_t size;			/* validated total_size */
};

/* sysimg_open - validate the payload at @payload with @avail bytes readable: magic, version,
 * total_size <= avail, nr_modules <= SYSIMG_MAX_MODULES, the module table inside the payload,
 * every module and the DTB aligned to SYSIMG_ALIGN and inside total_size without overflow,
 * names NUL-terminated, non-empty and unique. Returns 0 or a negative code with one line in
 * @err. */
int sysimg_open(struct sysimg *si, const void *payload, uint64_t avail, char *err,
		uint32_t errlen);

/* sysimg_dtb - the system description blob and its size in bytes. */
const void *sysimg_dtb(const struct sysimg *si, uint64_t *size);

/* sysimg_find - the module called @name; *@data and *@size get its bytes.
 * Returns 0 or -ERR_NOENT. */
int sysimg_find(const struct sysimg *si, const char *name, const void **data, uint64_t *size);

/* where a Linux cell's images go in its RAM (booting.rst): offsets in bytes from the RAM base */
struct linux_layout {
	uint64_t kernel;		/* 2 MiB aligned base + text_offset */
	uint64_t dtb;			/* next 2 MiB boundary after the kernel's image_size */
	uint64_t initrd;		/* 4 KiB aligned after the DTB slot; 0 without initrd */
	uint64_t end;			/* first byte after everything */
};

#define LINUX_DTB_MAX 0x10000ull	/* bytes reserved for the cell's DTB */

/* linux_layout - lay out a kernel with @text_offset and @kernel_mem bytes of footprint (from
 * arm64_image_check) and an initrd of @initrd_size bytes (0: none) in @mem_size bytes of RAM.
 * Returns 0; -ERR_NOSPC if the kernel alone does not fit; -ERR_RANGE if kernel, DTB and
 * initrd together do not (l->end then says how much they need). Overflow-safe for any input. */
int linux_layout(uint64_t mem_size, uint64_t text_offset, uint64_t kernel_mem,
		 uint64_t initrd_size, struct linux_layout *l);

/* sysimg_boot_area - the boot area of cell @cell (module SYSIMG_BOOT_PREFIX + @cell), if the
 * image has one where the format puts it, last in the payload: *@data and *@size get its
 * bytes. Returns 0 or -ERR_NOENT (none, or not the payload's tail). Its address alignment
 * (SYSIMG_BOOT_ALIGN) is the caller's to check: only it knows the address is physical. */
int sysimg_boot_area(const struct sysimg *si, const char *cell, const void **data,
		     uint64_t *size);

/* arm64_image_check - check that @img (@size bytes) is an arm64 Linux Image (booting.rst:
 * magic "ARM\x64" at offset 56, size >= 64). *@text_offset gets the load offset from a 2 MiB
 * aligned base (0x80000 if image_size is 0, per booting.rst for old kernels), *@mem_size the
 * bytes the image occupies once loaded: max(image_size, size), rounded up to 4 KiB.
 * Returns 0, or -ERR_BADFMT with a reason in @err ("no arm64 Image magic at offset 56"). */
int arm64_image_check(const void *img, uint64_t size, uint64_t *text_offset, uint64_t *mem_size,
		      char *err, uint32_t errlen);

#endif
