/* fuzz_sysimg.c - libFuzzer harness for the system image reader and the arm64 Image check
 * (src/core/sysimg.c, layout in include/cella/sysimg.h).
 *
 * The input is a payload (what follows cella in a system image). sysimg_open runs on it twice:
 *  - exactly as given, so any read past the input is caught by ASan;
 *  - padded with zeros up to the total_size its header claims (at most 512 KiB), because a whole
 *    payload is never smaller than 64 KiB (the DTB sits at a SYSIMG_ALIGN offset after the
 *    table) while everything sysimg_open reads is in the first few KiB: the fuzzer mutates those
 *    and still reaches the success path. The padded buffer is allocated at its exact size too.
 * On success: the DTB and every module that sysimg_find returns for the names in the module
 * table lie inside the payload, SYSIMG_ALIGN aligned, at the offset the table gives; names are
 * NUL-terminated, non-empty and unique. On failure the message is one printable line.
 * arm64_image_check runs on the input as an Image: on success text_offset is a 4 KiB aligned
 * offset below 2 MiB (0x80000 for image_size 0) and mem_size covers the file and image_size,
 * rounded to 4 KiB.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "core/sysimg.h"
#include "lib/err.h"

#define ERR_LEN 160
#define PAD_MAX (8 * (uint64_t)SYSIMG_ALIGN)
#define HDR_SIZE ((uint64_t)sizeof(struct sysimg_header))
#define MOD_SIZE ((uint64_t)sizeof(struct sysimg_module))

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* a region the reader handed out: inside the payload, aligned, readable at both ends */
static void check_region(const uint8_t *buf, uint64_t total, const uint8_t *d, uint64_t size)
{
	FUZZ_CHECK(fuzz_inside(d, size, buf, total));
	FUZZ_CHECK((uint64_t)(d - buf) % SYSIMG_ALIGN == 0);
	FUZZ_CHECK((uint64_t)(d - buf) >= HDR_SIZE);
	if (size) {
		fuzz_touch(d, 1);
		fuzz_touch(d + size - 1, 1);
	}
}

static void check_payload(const uint8_t *buf, uint64_t avail)
{
	struct sysimg si, si2;
	char err[ERR_LEN], name[SYSIMG_NAME_MAX + 8];
	const void *d;
	uint64_t size, toff, msize;
	uint32_t nr, i, j;
	int rc;

	memset(err, 0x55, sizeof(err));
	rc = sysimg_open(&si, buf, avail, err, sizeof(err));
	FUZZ_CHECK(sysimg_open(&si2, buf, avail, NULL, 0) == rc);
	if (rc < 0) {
		FUZZ_CHECK(rc == -ERR_BADFMT || rc == -ERR_RANGE || rc == -ERR_EXIST);
		fuzz_check_msg(err, sizeof(err), 1);
		FUZZ_CHECK(sysimg_find(&si, "vmlinuz", &d, &size) == -ERR_NOENT);
		return;
	}
	FUZZ_CHECK(si.base == buf && si.size <= avail && si.size >= HDR_SIZE);
	FUZZ_CHECK(si.size == le(buf + offsetof(struct sysimg_header, total_size), 8));

	d = sysimg_dtb(&si, &size);
	FUZZ_CHECK(size != 0);
	check_region(buf, si.size, d, size);

	nr = (uint32_t)le(buf + offsetof(struct sysimg_header, nr_modules), 4);
	FUZZ_CHECK(nr <= SYSIMG_MAX_MODULES);
	FUZZ_CHECK(HDR_SIZE + nr * MOD_SIZE <= si.size);
	for (i = 0; i < nr; i++) {
		const uint8_t *m = buf + HDR_SIZE + i * MOD_SIZE;

		FUZZ_CHECK(memchr(m, '\0', SYSIMG_NAME_MAX) != NULL);
		memcpy(name, m, SYSIMG_NAME_MAX);
		FUZZ_CHECK(name[0] != '\0');
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(name, (const char *)buf + HDR_SIZE + j * MOD_SIZE) != 0);

		d = NULL;
		size = 0;
		FUZZ_CHECK(sysimg_find(&si, name, &d, &size) == 0);
		/* names are unique, so it is this module */
		FUZZ_CHECK((const uint8_t *)d ==
			   buf + le(m + offsetof(struct sysimg_module, offset), 8));
		FUZZ_CHECK(size == le(m + offsetof(struct sysimg_module, size), 8));
		check_region(buf, si.size, d, size);
		/* what cella does with a kernel module; must stay inside it */
		(void)arm64_image_check(d, size, &toff, &msize, err, sizeof(err));
	}
	FUZZ_CHECK(sysimg_find(&si, "", &d, &size) == -ERR_NOENT);
	FUZZ_CHECK(sysimg_find(&si, NULL, &d, &size) == -ERR_NOENT);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';		/* longer than any module name can be */
	FUZZ_CHECK(sysimg_find(&si, name, &d, &size) == -ERR_NOENT);
}

static void check_image(const uint8_t *data, size_t size)
{
	char err[ERR_LEN];
	uint64_t toff = 1, msize = 1, isize;
	int rc;

	memset(err, 0x55, sizeof(err));
	rc = arm64_image_check(data, size, &toff, &msize, err, sizeof(err));
	FUZZ_CHECK(arm64_image_check(data, size, NULL, NULL, NULL, 0) == rc);
	if (rc < 0) {
		FUZZ_CHECK(rc == -ERR_BADFMT);
		fuzz_check_msg(err, sizeof(err), 1);
		return;
	}
	FUZZ_CHECK(rc == 0 && size >= sizeof(struct arm64_image_header));
	isize = le(data + offsetof(struct arm64_image_header, image_size), 8);
	FUZZ_CHECK(toff < 0x200000 && toff % 0x1000 == 0);
	if (isize == 0)
		FUZZ_CHECK(toff == 0x80000);
	else
		FUZZ_CHECK(toff == le(data + offsetof(struct arm64_image_header, text_offset), 8));
	FUZZ_CHECK(msize % 0x1000 == 0 && msize >= size && msize >= isize);
	FUZZ_CHECK(msize - (isize > size ? isize : size) < 0x1000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t total;
	uint8_t *buf;

	check_payload(data, size);
	if (size >= HDR_SIZE) {
		total = le(data + offsetof(struct sysimg_header, total_size), 8);
		if (total > size && total <= PAD_MAX) {
			buf = calloc(1, total);
			FUZZ_CHECK(buf != NULL);
			memcpy(buf, data, size);
			check_payload(buf, total);
			free(buf);
		}
	}
	check_image(data, size);
	return 0;
}
