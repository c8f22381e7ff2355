/* sysimg.h - layout of a cella system image (what QEMU's -kernel or U-Boot's booti loads).
 *
 * A system image is cella's own binary (an arm64 Linux Image header at offset 0, see Linux
 * Documentation/arm64/booting.rst) followed, at file offset align_up(cella's image_size,
 * SYSIMG_ALIGN), by a payload: this header, the module table, the compiled system description
 * (DTB) and the modules (guest kernels, initrds), each at a SYSIMG_ALIGN-aligned offset.
 * All offsets are bytes from the start of the payload header; all fields little-endian.
 *
 * Module names beginning with '@' are cella-pack's own (descriptions cannot use them). The one
 * defined is the boot area "@boot/<cell>": the start of that cell's RAM with its kernel, initrd and a zeroed DTB slot already where cella would
 * copy them (linux_layout() in src/core/sysimg.h), placed last in the payload at a file offset
 * that is a multiple of SYSIMG_BOOT_ALIGN (2 MiB, so its address is too: cella's Image is
 * loaded 2 MiB aligned). cella then makes that memory the cell's RAM and boots it in place,
 * copying nothing; the ordinary kernel and initrd modules stay for restarts.
 * tools/cella-pack writes it; cella validates every field before use (src/core/sysimg.c).
 */
#ifndef CELLA_SYSIMG_H
#define CELLA_SYSIMG_H

#include <stdint.h>

#define SYSIMG_MAGIC 0x534c4c4543ull	/* "CELLS\0\0\0" little-endian */
#define SYSIMG_VERSION 1u
#define SYSIMG_ALIGN 0x10000u		/* 64 KiB */
#define SYSIMG_MAX_MODULES 32u
#define SYSIMG_NAME_MAX 64u		/* module name incl. NUL */
#define SYSIMG_RESERVED_PREFIX '@'	/* module names of cella-pack's own */
#define SYSIMG_BOOT_PREFIX "@boot/"	/* + cell name: a boot area */
#define SYSIMG_BOOT_ALIGN 0x200000u	/* 2 MiB: file offset (and address) of a boot area */

struct sysimg_module {
	char name[SYSIMG_NAME_MAX];	/* as written in the description, NUL-terminated */
	uint64_t offset;		/* bytes from the payload header */
	uint64_t size;			/* bytes */
};

struct sysimg_header {
	uint64_t magic;			/* SYSIMG_MAGIC */
	uint32_t version;		/* SYSIMG_VERSION */
	uint32_t nr_modules;		/* <= SYSIMG_MAX_MODULES */
	uint64_t total_size;		/* payload bytes, header included */
	uint64_t dtb_offset;		/* the system description */
	uint64_t dtb_size;
	struct sysimg_module modules[];	/* nr_modules entries */
};

/* arm64 Image header (booting.rst "Call the kernel image"). */
struct arm64_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;		/* load offset from a 2 MiB aligned base */
	uint64_t image_size;		/* bytes of memory the image uses, bss included */
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;			/* ARM64_IMAGE_MAGIC */
	uint32_t res5;
};

#define ARM64_IMAGE_MAGIC 0x644d5241u	/* "ARM\x64" */

#endif
