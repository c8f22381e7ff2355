/* linux.c - the Linux arm64 loader (Documentation/arch/arm64/booting.rst): a cell's kernel
 * Image at a 2 MiB aligned base + text_offset, its DTB, its initrd. */
#include <stdint.h>
#include <string.h>
#include "core/boot.h"
#include "core/cell.h"
#include "core/guest_dt.h"
#include "core/loader.h"
#include "core/sysimg.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/util.h"

/* cell_ipa_to_va - EL2 pointer to [ipa, ipa+len) of @c's RAM, or NULL if any byte of it lies
 * outside (overflow-safe). The only way cella turns a guest address into a pointer. */
static void *cell_ipa_to_va(struct cell *c, uint64_t ipa, uint64_t len)
{
	if (!cell_ipa_valid(c, ipa, len))
		return NULL;
	return (void *)(uintptr_t)(c->mem_pa + (ipa - c->mem_ipa));	/* EL2 identity map */
}

int linux_open(struct cell *c)
{
	const struct sysdesc_cell *d = c->desc;
	const struct sysimg *img = boot_system_image();
	char err[96];

	if (sysimg_find(img, d->kernel, &c->kernel, &c->kernel_size)) {
		pr_err("%s: kernel '%s' is not in the system image\n", d->path, d->kernel);
		return -ERR_NOENT;
	}
	if (arm64_image_check(c->kernel, c->kernel_size, &c->kernel_text_offset, &c->kernel_mem,
			      err, sizeof(err))) {
		pr_err("%s: kernel '%s' is not a usable arm64 Image: %s\n", d->path, d->kernel, err);
		return -ERR_BADFMT;
	}
	if (d->initrd && sysimg_find(img, d->initrd, &c->initrd, &c->initrd_size)) {
		pr_err("%s: initrd '%s' is not in the system image\n", d->path, d->initrd);
		return -ERR_NOENT;
	}
	return 0;
}

void linux_boot_in_place(struct cell *c)
{
	const struct sysdesc_cell *d = c->desc;
	const struct sysimg *img = boot_system_image();
	const void *area, *kernel;
	uint64_t size, ksize, toff, kmem, isize = 0, pa;
	const void *initrd;
	struct linux_layout l;

	if (d->mem_pa_fixed || sysimg_boot_area(img, d->name, &area, &size))
		return;
	pa = (uint64_t)(uintptr_t)area;
	/* the boot area must be 2 MiB aligned and laid out as cella would */
	if ((pa & (SYSIMG_BOOT_ALIGN - 1)) ||
	    sysimg_find(img, d->kernel, &kernel, &ksize) ||
	    arm64_image_check(kernel, ksize, &toff, &kmem, NULL, 0) ||
	    (d->initrd && sysimg_find(img, d->initrd, &initrd, &isize)) ||
	    linux_layout(d->mem_size, toff, kmem, isize, &l) || l.end != size ||
	    memmap_reserve(boot_machine_mem(), pa, d->mem_size)) {
		pr_warn("%s: the system image's boot area cannot be used; copying the images\n",
			d->path);
		return;
	}
	c->mem_pa = pa;
	c->in_place = true;
}

/* copy_to_cell - copy @len bytes from @src to @dst in cell memory, SIMD for the bulk */
static void copy_to_cell(void *dst, const void *src, uint64_t len)
{
	uint64_t bulk = len & ~63ull;

	if (!(((uintptr_t)dst | (uintptr_t)src) & 15)) {
		copy_bulk(dst, src, bulk);
		memcpy((char *)dst + bulk, (const char *)src + bulk, len - bulk);
	} else {
		memcpy(dst, src, len);
	}
	dcache_clean_range((uint64_t)(uintptr_t)dst, len);
}

int linux_load(struct cell *c)
{
	const struct sysdesc_cell *d = c->desc;
	struct guest_dt_params p;
	struct linux_layout l;
	uint64_t kernel_ipa, dtb_ipa, initrd_ipa = 0, dtb_size;
	void *kva, *dva, *iva = NULL;
	int r;

	/* booting.rst: Image at a 2 MiB aligned base + text_offset; the DTB 8-byte aligned
	 * within 2 MiB; the initrd anywhere in memory. Order: kernel, DTB, initrd. image_size
	 * comes from the user's image: linux_layout bounds it before any address arithmetic. */
	r = linux_layout(c->mem_size, c->kernel_text_offset, c->kernel_mem,
			 c->initrd ? c->initrd_size : 0, &l);
	if (r == -ERR_NOSPC) {
		pr_err("%s: memory-size %llu MiB is smaller than kernel '%s' (%llu MiB loaded)\n",
		       d->path, (unsigned long long)(c->mem_size >> 20), d->kernel,
		       (unsigned long long)(c->kernel_mem >> 20));
		return -ERR_RANGE;
	}
	kernel_ipa = c->mem_ipa + l.kernel;
	dtb_ipa = c->mem_ipa + l.dtb;
	if (c->initrd)
		initrd_ipa = c->mem_ipa + l.initrd;
	kva = cell_ipa_to_va(c, kernel_ipa, c->kernel_size);
	dva = cell_ipa_to_va(c, dtb_ipa, LINUX_DTB_MAX);
	if (c->initrd)
		iva = cell_ipa_to_va(c, initrd_ipa, c->initrd_size);
	if (r || !kva || !dva || (c->initrd && !iva)) {
		pr_err("%s: memory-size %llu MiB is too small for its kernel, DTB and initrd "
		       "(%llu MiB needed)\n", d->path, (unsigned long long)(c->mem_size >> 20),
		       (unsigned long long)(align_up(l.end, SZ_2M) >> 20));
		return -ERR_RANGE;
	}
	if (c->in_place) {
		/* first boot from the boot area: the images are already where they belong, and
		 * the loader cleaned them to the PoC (booting.rst); restarts copy */
		c->in_place = false;
	} else {
		copy_to_cell(kva, c->kernel, c->kernel_size);
		if (iva)
			copy_to_cell(iva, c->initrd, c->initrd_size);
	}

	guest_dt_cell_params(d, initrd_ipa, c->initrd ? c->initrd_size : 0, &p);
	r = guest_dt_build(&p, dva, LINUX_DTB_MAX, &dtb_size);
	if (r) {
		pr_err("%s: cannot build the cell's device tree: %s\n", d->path, err_str(r));
		return r;
	}
	dcache_clean_range((uint64_t)(uintptr_t)dva, dtb_size);
	c->entry_ipa = kernel_ipa;
	c->dtb_ipa = dtb_ipa;
	return 0;
}
