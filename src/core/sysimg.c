/* sysimg.c - validate a system image payload and find its modules; check arm64 Image headers. */
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

static uint64_t sysimg_u64(const struct sysimg *si, uint64_t off)
{
	return sysimg_le(si->base + off, 8);
}

static uint64_t sysimg_mod_off(uint32_t i)
{
	return SYSIMG_HDR_SIZE + i * SYSIMG_MOD_SIZE;
}

/* a copy of module @i's name (checked NUL-terminated) fit for a one-line message */
static void sysimg_printable_name(const struct sysimg *si, uint32_t i, char *buf)
{
	const char *name = (const char *)si->base + sysimg_mod_off(i);
	size_t n;

	for (n = 0; name[n]; n++)
		buf[n] = name[n] >= 0x20 && name[n] < 0x7f ? name[n] : '?';
	buf[n] = '\0';
}

/* [off, off+size) must be SYSIMG_ALIGN aligned, after the module table, inside total_size */
static int sysimg_check_region(const char *what, uint64_t off, uint64_t size, uint64_t table_end,
			       uint64_t total, char *err, uint32_t errlen)
{
	if (off % SYSIMG_ALIGN) {
		cella_snprintf(err, errlen, "%s offset 0x%llx is not %u KiB aligned",
			       what, (unsigned long long)off, SYSIMG_ALIGN / 1024u);
		return -ERR_BADFMT;
	}
	if (off < table_end) {
		cella_snprintf(err, errlen,
			       "%s offset 0x%llx is inside the header and module table", what,
			       (unsigned long long)off);
		return -ERR_BADFMT;
	}
	/* off <= total is checked first so total - off cannot wrap */
	if (off > total || size > total - off) {
		cella_snprintf(err, errlen,
			       "%s at 0x%llx, 0x%llx bytes, ends past total_size 0x%llx", what,
			       (unsigned long long)off, (unsigned long long)size,
			       (unsigned long long)total);
		return -ERR_RANGE;
	}
	return 0;
}

/* module @i: a NUL-terminated, non-empty name unique among the modules before it */
static int sysimg_check_name(const struct sysimg *si, uint32_t i, char *err, uint32_t errlen)
{
	const char *name = (const char *)si->base + sysimg_mod_off(i);
	char safe[SYSIMG_NAME_MAX];
	uint32_t j;

	if (!memchr(name, '\0', SYSIMG_NAME_MAX)) {
		cella_snprintf(err, errlen, "module %u: name is not NUL-terminated", i);
		return -ERR_BADFMT;
	}
	if (name[0] == '\0') {
		cella_snprintf(err, errlen, "module %u: empty name", i);
		return -ERR_BADFMT;
	}
	for (j = 0; j < i; j++) {
		if (strcmp(name, (const char *)si->base + sysimg_mod_off(j)) == 0) {
			sysimg_printable_name(si, i, safe);
			cella_snprintf(err, errlen,
				       "module %u: name '%s' is also module %u",
				       i, safe, j);
			return -ERR_EXIST;
		}
	}
	return 0;
}

int sysimg_open(struct sysimg *si, const void *payload, uint64_t avail, char *err,
		uint32_t errlen)
{
	uint64_t magic, total, table_end, off, size;
	uint32_t version, nr, i;
	char what[SYSIMG_NAME_MAX + 24], safe[SYSIMG_NAME_MAX];
	int rc;

	if (!err)
		errlen = 0;
	memset(si, 0, sizeof(*si));
	if (!payload || avail < SYSIMG_HDR_SIZE) {
		cella_snprintf(err, errlen,
			       "%llu bytes, too short for the %llu-byte payload header",
			       (unsigned long long)avail, (unsigned long long)SYSIMG_HDR_SIZE);
		return -ERR_RANGE;
	}
	si->base = payload;
	magic = sysimg_u64(si, offsetof(struct sysimg_header, magic));
	version = (uint32_t)sysimg_le(si->base + offsetof(struct sysimg_header, version), 4);
	nr = (uint32_t)sysimg_le(si->base + offsetof(struct sysimg_header, nr_modules), 4);
	total = sysimg_u64(si, offsetof(struct sysimg_header, total_size));
	if (magic != SYSIMG_MAGIC) {
		cella_snprintf(err, errlen, "bad magic 0x%llx (expected 0x%llx)",
			       (unsigned long long)magic, (unsigned long long)SYSIMG_MAGIC);
		goto bad_format;
	}
	if (version != SYSIMG_VERSION) {
		cella_snprintf(err, errlen, "version %u, this cella reads version %u",
			       version, SYSIMG_VERSION);
		goto bad_format;
	}
	if (nr > SYSIMG_MAX_MODULES) {
		cella_snprintf(err, errlen, "%u modules, at most %u", nr,
			       SYSIMG_MAX_MODULES);
		rc = -ERR_RANGE;
		goto clear;
	}
	table_end = sysimg_mod_off(nr);
	if (total < table_end) {
		cella_snprintf(err, errlen,
			       "total_size %llu is smaller than the header and module table "
			       "(%llu bytes)",
			       (unsigned long long)total, (unsigned long long)table_end);
		goto bad_format;
	}
	if (total > avail) {
		cella_snprintf(err, errlen,
			       "total_size %llu is more than the %llu bytes available",
			       (unsigned long long)total, (unsigned long long)avail);
		rc = -ERR_RANGE;
		goto clear;
	}

	off = sysimg_u64(si, offsetof(struct sysimg_header, dtb_offset));
	size = sysimg_u64(si, offsetof(struct sysimg_header, dtb_size));
	if (size == 0) {
		cella_snprintf(err, errlen, "dtb_size is 0");
		goto bad_format;
	}
	rc = sysimg_check_region("DTB", off, size, table_end, total, err, errlen);
	if (rc < 0)
		goto clear;

	for (i = 0; i < nr; i++) {
		uint64_t m = sysimg_mod_off(i);

		rc = sysimg_check_name(si, i, err, errlen);
		if (rc < 0)
			goto clear;
		off = sysimg_u64(si, m + offsetof(struct sysimg_module, offset));
		size = sysimg_u64(si, m + offsetof(struct sysimg_module, size));
		sysimg_printable_name(si, i, safe);
		cella_snprintf(what, sizeof(what), "module %u '%s'", i, safe);
		rc = sysimg_check_region(what, off, size, table_end, total, err, errlen);
		if (rc < 0)
			goto clear;
	}
	si->size = total;
	/* only for debuggers and callers that know the payload is aligned; we read byte-wise */
	si->hdr = payload;
	return 0;

bad_format:
	rc = -ERR_BADFMT;
clear:
	memset(si, 0, sizeof(*si));
	return rc;
}

const void *sysimg_dtb(const struct sysimg *si, uint64_t *size)
{
	*size = sysimg_u64(si, offsetof(struct sysimg_header, dtb_size));
	return si->base + sysimg_u64(si, offsetof(struct sysimg_header, dtb_offset));
}

int sysimg_find(const struct sysimg *si, const char *name, const void **data, uint64_t *size)
{
	uint32_t nr, i;

	if (!si->base || !name)
		return -ERR_NOENT;
	nr = (uint32_t)sysimg_le(si->base + offsetof(struct sysimg_header, nr_modules), 4);
	for (i = 0; i < nr; i++) {
		uint64_t m = sysimg_mod_off(i);

		/* names were checked NUL-terminated by sysimg_open */
		if (strcmp((const char *)si->base + m, name) != 0)
			continue;
		*data = si->base + sysimg_u64(si, m + offsetof(struct sysimg_module, offset));
		*size = sysimg_u64(si, m + offsetof(struct sysimg_module, size));
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
	size_t pre = sizeof(SYSIMG_BOOT_PREFIX) - 1, n = cell ? strlen(cell) : SYSIMG_NAME_MAX;

	if (pre + n >= sizeof(name))
		return -ERR_NOENT;
	memcpy(name, SYSIMG_BOOT_PREFIX, pre);
	memcpy(name + pre, cell, n + 1);
	if (sysimg_find(si, name, data, size) ||
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
	if (!img || size < ARM64_IMAGE_HDR_SIZE) {
		cella_snprintf(err, errlen,
			       "%llu bytes, too short for the %llu-byte arm64 Image header",
			       (unsigned long long)size, (unsigned long long)ARM64_IMAGE_HDR_SIZE);
		return -ERR_BADFMT;
	}
	if (sysimg_le(p + offsetof(struct arm64_image_header, magic), 4) != ARM64_IMAGE_MAGIC) {
		cella_snprintf(err, errlen, "no arm64 Image magic at offset 56");
		return -ERR_BADFMT;
	}
	toff = sysimg_le(p + offsetof(struct arm64_image_header, text_offset), 8);
	isize = sysimg_le(p + offsetof(struct arm64_image_header, image_size), 8);
	/* booting.rst: image_size 0 marks a pre-3.17 kernel whose text_offset is 0x80000 */
	if (isize == 0)
		toff = ARM64_OLD_TEXT_OFFSET;
	if (toff >= SZ_2M || toff % SZ_4K) {
		cella_snprintf(err, errlen,
			       "text_offset 0x%llx is not a 4 KiB aligned offset below 2 MiB",
			       (unsigned long long)toff);
		return -ERR_BADFMT;
	}
	msize = isize > size ? isize : size;
	if (msize > UINT64_MAX - (SZ_4K - 1)) {
		cella_snprintf(err, errlen, "image_size 0x%llx is too large",
			       (unsigned long long)msize);
		return -ERR_BADFMT;
	}
	msize = align_up(msize, SZ_4K);
	if (text_offset)
		*text_offset = toff;
	if (mem_size)
		*mem_size = msize;
	return 0;
}
