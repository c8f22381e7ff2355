/* sysimg.c - validate a system image payload and find its modules; check arm64 Image headers. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "lib/util.h"
#include "sysimg.h"
#include "../lib/err.h"
#include "../lib/printf.h"

#define SYSIMG_HDR_SIZE ((uint64_t)sizeof(struct sysimg_header))
#define SYSIMG_MOD_SIZE ((uint64_t)sizeof(struct sysimg_module))
#define ARM64_IMAGE_HDR_SIZE ((uint64_t)sizeof(struct arm64_image_header))
#define ARM64_OLD_TEXT_OFFSET 0x80000ull	/* booting.rst: kernels before v3.17 */
#define HDR(field) offsetof(struct sysimg_header, field)
#define MOD(field) offsetof(struct sysimg_module, field)

/*
 * Fields are read byte by byte, little-endian: the payload is user input whose alignment is not
 * trusted, and EL2 runs with strict alignment checking.
 */
static uint64_t sysimg_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static uint64_t sysimg_mod_off(uint32_t i)
{
	return SYSIMG_HDR_SIZE + i * SYSIMG_MOD_SIZE;
}

/* write one line saying what is wrong into @err (@errlen bytes) and return @code; module
 * names it quotes come from the payload, so what is not printable becomes '?' */
__attribute__((format(printf, 4, 5)))
static int sysimg_fail(char *err, uint32_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cella_vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (errlen)
		cella_printable(err);
	return code;
}

/* [off, off+size) must be SYSIMG_ALIGN aligned, after the module table, inside total_size */
static int sysimg_check_region(const char *what, uint64_t off, uint64_t size, uint64_t table_end,
			       uint64_t total, char *err, uint32_t errlen)
{
	if (off % SYSIMG_ALIGN)
		return sysimg_fail(err, errlen, -ERR_BADFMT, "%s offset 0x%llx is not %u KiB aligned",
				   what, (unsigned long long)off, SYSIMG_ALIGN / 1024u);
	if (off < table_end)
		return sysimg_fail(err, errlen, -ERR_BADFMT,
				   "%s offset 0x%llx is inside the header and module table", what,
				   (unsigned long long)off);
	/* off <= total is checked first so total - off cannot wrap */
	if (off > total || size > total - off)
		return sysimg_fail(err, errlen, -ERR_RANGE,
				   "%s at 0x%llx, 0x%llx bytes, ends past total_size 0x%llx", what,
				   (unsigned long long)off, (unsigned long long)size,
				   (unsigned long long)total);
	return 0;
}

/* module @i: a NUL-terminated, non-empty name unique among the modules before it */
static int sysimg_check_name(const uint8_t *base, uint32_t i, char *err, uint32_t errlen)
{
	const char *name = (const char *)base + sysimg_mod_off(i);

	if (!memchr(name, '\0', SYSIMG_NAME_MAX))
		return sysimg_fail(err, errlen, -ERR_BADFMT, "module %u: name is not NUL-terminated",
				   i);
	if (name[0] == '\0')
		return sysimg_fail(err, errlen, -ERR_BADFMT, "module %u: empty name", i);
	for (uint32_t j = 0; j < i; j++)
		if (strcmp(name, (const char *)base + sysimg_mod_off(j)) == 0)
			return sysimg_fail(err, errlen, -ERR_EXIST,
					   "module %u: name '%s' is also module %u", i, name, j);
	return 0;
}

int sysimg_open(struct sysimg *si, const void *payload, uint64_t avail, char *err,
		uint32_t errlen)
{
	const uint8_t *b = payload;
	uint64_t magic, total, table_end, off, size;
	uint32_t version, nr;
	char what[SYSIMG_NAME_MAX + 24];
	int rc;

	if (!err)
		errlen = 0;
	memset(si, 0, sizeof(*si));	/* and so it stays unless the whole payload is valid */
	if (!payload || avail < SYSIMG_HDR_SIZE)
		return sysimg_fail(err, errlen, -ERR_RANGE,
				   "%llu bytes, too short for the %llu-byte payload header",
				   (unsigned long long)avail, (unsigned long long)SYSIMG_HDR_SIZE);
	magic = sysimg_le(b + HDR(magic), 8);
	version = (uint32_t)sysimg_le(b + HDR(version), 4);
	nr = (uint32_t)sysimg_le(b + HDR(nr_modules), 4);
	total = sysimg_le(b + HDR(total_size), 8);
	if (magic != SYSIMG_MAGIC)
		return sysimg_fail(err, errlen, -ERR_BADFMT, "bad magic 0x%llx (expected 0x%llx)",
				   (unsigned long long)magic, (unsigned long long)SYSIMG_MAGIC);
	if (version != SYSIMG_VERSION)
		return sysimg_fail(err, errlen, -ERR_BADFMT,
				   "version %u, this cella reads version %u", version, SYSIMG_VERSION);
	if (nr > SYSIMG_MAX_MODULES)
		return sysimg_fail(err, errlen, -ERR_RANGE, "%u modules, at most %u", nr,
				   SYSIMG_MAX_MODULES);
	table_end = sysimg_mod_off(nr);
	if (total < table_end)
		return sysimg_fail(err, errlen, -ERR_BADFMT,
				   "total_size %llu is smaller than the header and module table "
				   "(%llu bytes)",
				   (unsigned long long)total, (unsigned long long)table_end);
	if (total > avail)
		return sysimg_fail(err, errlen, -ERR_RANGE,
				   "total_size %llu is more than the %llu bytes available",
				   (unsigned long long)total, (unsigned long long)avail);

	off = sysimg_le(b + HDR(dtb_offset), 8);
	size = sysimg_le(b + HDR(dtb_size), 8);
	if (size == 0)
		return sysimg_fail(err, errlen, -ERR_BADFMT, "dtb_size is 0");
	rc = sysimg_check_region("DTB", off, size, table_end, total, err, errlen);
	for (uint32_t i = 0; i < nr && !rc; i++) {
		uint64_t m = sysimg_mod_off(i);

		rc = sysimg_check_name(b, i, err, errlen);
		if (rc < 0)
			break;
		cella_snprintf(what, sizeof(what), "module %u '%s'", i, (const char *)b + m);
		rc = sysimg_check_region(what, sysimg_le(b + m + MOD(offset), 8),
					 sysimg_le(b + m + MOD(size), 8), table_end, total, err, errlen);
	}
	if (rc < 0)
		return rc;
	si->base = b;
	si->size = total;
	return 0;
}

const void *sysimg_dtb(const struct sysimg *si, uint64_t *size)
{
	*size = sysimg_le(si->base + HDR(dtb_size), 8);
	return si->base + sysimg_le(si->base + HDR(dtb_offset), 8);
}

int sysimg_find(const struct sysimg *si, const char *name, const void **data, uint64_t *size)
{
	uint32_t nr;

	if (!si->base || !name)
		return -ERR_NOENT;
	nr = (uint32_t)sysimg_le(si->base + HDR(nr_modules), 4);
	for (uint32_t i = 0; i < nr; i++) {
		const uint8_t *m = si->base + sysimg_mod_off(i);

		/* names were checked NUL-terminated by sysimg_open */
		if (strcmp((const char *)m, name) != 0)
			continue;
		*data = si->base + sysimg_le(m + MOD(offset), 8);
		*size = sysimg_le(m + MOD(size), 8);
		return 0;
	}
	return -ERR_NOENT;
}

int linux_layout(uint64_t mem_size, uint64_t text_offset, uint64_t kernel_mem,
		 uint64_t initrd_size, struct linux_layout *l)
{
	const uint64_t max = UINT64_MAX / 4;	/* no sum below can wrap */

	memset(l, 0, sizeof(*l));
	if (kernel_mem > mem_size || text_offset > mem_size - kernel_mem)
		return -ERR_NOSPC;
	if (mem_size > max || initrd_size > max)
		return -ERR_RANGE;
	l->kernel = text_offset;
	l->dtb = align_up(l->kernel + kernel_mem, SZ_2M);
	l->end = l->dtb + LINUX_DTB_MAX;
	if (initrd_size) {
		l->initrd = align_up(l->end, SZ_4K);
		l->end = l->initrd + initrd_size;
	}
	return l->end > mem_size ? -ERR_RANGE : 0;
}

int sysimg_boot_area(const struct sysimg *si, const char *cell, const void **data,
		     uint64_t *size)
{
	char name[SYSIMG_NAME_MAX];
	int n = cell ? cella_snprintf(name, sizeof(name), SYSIMG_BOOT_PREFIX "%s", cell) : -1;

	/* a name too long for a module is no module's; the area must be the payload's tail */
	if (n < 0 || n >= (int)sizeof(name) || sysimg_find(si, name, data, size) ||
	    (const uint8_t *)*data + *size != si->base + si->size)	/* checked in range */
		return -ERR_NOENT;
	return 0;
}

int arm64_image_check(const void *img, uint64_t size, uint64_t *text_offset, uint64_t *mem_size,
		      char *err, uint32_t errlen)
{
	const uint8_t *p = img;
	uint64_t toff, isize, msize;

	if (!err)
		errlen = 0;
	if (!img || size < ARM64_IMAGE_HDR_SIZE)
		return sysimg_fail(err, errlen, -ERR_BADFMT,
				   "%llu bytes, too short for the %llu-byte arm64 Image header",
				   (unsigned long long)size, (unsigned long long)ARM64_IMAGE_HDR_SIZE);
	if (sysimg_le(p + offsetof(struct arm64_image_header, magic), 4) != ARM64_IMAGE_MAGIC)
		return sysimg_fail(err, errlen, -ERR_BADFMT, "no arm64 Image magic at offset 56");
	toff = sysimg_le(p + offsetof(struct arm64_image_header, text_offset), 8);
	isize = sysimg_le(p + offsetof(struct arm64_image_header, image_size), 8);
	/* booting.rst: image_size 0 marks a pre-3.17 kernel whose text_offset is 0x80000 */
	if (isize == 0)
		toff = ARM64_OLD_TEXT_OFFSET;
	if (toff >= SZ_2M || toff % SZ_4K)
		return sysimg_fail(err, errlen, -ERR_BADFMT,
				   "text_offset 0x%llx is not a 4 KiB aligned offset below 2 MiB",
				   (unsigned long long)toff);
	msize = isize > size ? isize : size;
	if (msize > UINT64_MAX - (SZ_4K - 1))
		return sysimg_fail(err, errlen, -ERR_BADFMT, "image_size 0x%llx is too large",
				   (unsigned long long)msize);
	msize = align_up(msize, SZ_4K);
	if (text_offset)
		*text_offset = toff;
	if (mem_size)
		*mem_size = msize;
	return 0;
}
