/* test_sysimg.c - host unit tests of the system image reader and arm64 Image check
 * (src/core/sysimg.c). Every buffer is heap-allocated at its exact size so the sanitizer catches
 * any read past what the reader was given. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sysimg.h"
#include "lib/err.h"

#define HDR_SIZE sizeof(struct sysimg_header)
#define MOD_SIZE sizeof(struct sysimg_module)
#define MOD(i) (HDR_SIZE + (i) * MOD_SIZE)
#define OFF_MAGIC offsetof(struct sysimg_header, magic)
#define OFF_VERSION offsetof(struct sysimg_header, version)
#define OFF_NR offsetof(struct sysimg_header, nr_modules)
#define OFF_TOTAL offsetof(struct sysimg_header, total_size)
#define OFF_DTB offsetof(struct sysimg_header, dtb_offset)
#define OFF_DTB_SIZE offsetof(struct sysimg_header, dtb_size)
#define OFF_MOD_OFFSET offsetof(struct sysimg_module, offset)
#define OFF_MOD_SIZE offsetof(struct sysimg_module, size)

/* the good payload: a DTB and two modules */
#define DTB_OFF 0x10000u
#define DTB_SIZE 100u
#define KERNEL_OFF 0x20000u
#define KERNEL_SIZE 0x1234u
#define INITRD_OFF 0x30000u
#define INITRD_SIZE 10u
#define GOOD_TOTAL (INITRD_OFF + INITRD_SIZE)

static char err[256];

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	put_le(p + off, v, 8);
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	put_le(p + off, v, 4);
}

static void put_module(uint8_t *p, unsigned i, const char *name, uint64_t off, uint64_t size)
{
	memset(p + MOD(i), 0, SYSIMG_NAME_MAX);
	memcpy(p + MOD(i), name, strlen(name));
	put64(p, MOD(i) + OFF_MOD_OFFSET, off);
	put64(p, MOD(i) + OFF_MOD_SIZE, size);
}

/* a good payload of GOOD_TOTAL bytes (caller frees) */
static uint8_t *good_payload(void)
{
	uint8_t *p = calloc(1, GOOD_TOTAL);

	assert_non_null(p);
	put64(p, OFF_MAGIC, SYSIMG_MAGIC);
	put32(p, OFF_VERSION, SYSIMG_VERSION);
	put32(p, OFF_NR, 2);
	put64(p, OFF_TOTAL, GOOD_TOTAL);
	put64(p, OFF_DTB, DTB_OFF);
	put64(p, OFF_DTB_SIZE, DTB_SIZE);
	put_module(p, 0, "vmlinuz", KERNEL_OFF, KERNEL_SIZE);
	put_module(p, 1, "initrd.img", INITRD_OFF, INITRD_SIZE);
	memset(p + DTB_OFF, 0xd7, DTB_SIZE);
	memset(p + KERNEL_OFF, 0x4b, KERNEL_SIZE);
	memset(p + INITRD_OFF, 0x49, INITRD_SIZE);
	return p;
}

/* open @p (@avail bytes); expect @rc and, if @msg, exactly that message */
static void expect_open(const uint8_t *p, uint64_t avail, int rc, const char *msg)
{
	struct sysimg si;

	memset(err, 0, sizeof(err));
	assert_int_equal(sysimg_open(&si, p, avail, err, sizeof(err)), rc);
	if (msg)
		assert_string_equal(err, msg);
	if (rc < 0) {
		assert_true(err[0] != '\0');
		assert_null(strchr(err, '\n'));
		assert_null(si.base);
	}
}

static void test_good(void **state)
{
	uint8_t *p = good_payload();
	const uint8_t *data;
	const void *v;
	struct sysimg si;
	uint64_t size;

	assert_int_equal(sysimg_open(&si, p, GOOD_TOTAL, err, sizeof(err)), 0);
	assert_ptr_equal(si.base, p);
	assert_true(si.size == GOOD_TOTAL);
	assert_ptr_equal(sysimg_dtb(&si, &size), p + DTB_OFF);
	assert_true(size == DTB_SIZE);

	assert_int_equal(sysimg_find(&si, "vmlinuz", &v, &size), 0);
	data = v;
	assert_ptr_equal(data, p + KERNEL_OFF);
	assert_true(size == KERNEL_SIZE);
	assert_int_equal(data[KERNEL_SIZE - 1], 0x4b);
	assert_int_equal(sysimg_find(&si, "initrd.img", &v, &size), 0);
	assert_ptr_equal(v, p + INITRD_OFF);
	assert_true(size == INITRD_SIZE);

	assert_int_equal(sysimg_find(&si, "vmlinu", &v, &size), -ERR_NOENT);
	assert_int_equal(sysimg_find(&si, "vmlinuz2", &v, &size), -ERR_NOENT);
	assert_int_equal(sysimg_find(&si, "", &v, &size), -ERR_NOENT);
	assert_int_equal(sysimg_find(&si, NULL, &v, &size), -ERR_NOENT);
	free(p);
}

static void test_good_larger_avail_and_null_err(void **state)
{
	uint8_t *g = good_payload(), *p = calloc(1, GOOD_TOTAL + 4096);
	struct sysimg si;

	memcpy(p, g, GOOD_TOTAL);
	assert_int_equal(sysimg_open(&si, p, GOOD_TOTAL + 4096, NULL, 0), 0);
	assert_true(si.size == GOOD_TOTAL);
	put64(p, OFF_MAGIC, 0);
	assert_int_equal(sysimg_open(&si, p, GOOD_TOTAL + 4096, NULL, 123), -ERR_BADFMT);
	/* a message cut short by a small buffer is still NUL-terminated */
	memset(err, 'x', sizeof(err));
	assert_int_equal(sysimg_open(&si, p, GOOD_TOTAL, err, 8), -ERR_BADFMT);
	assert_string_equal(err, "bad mag");
	free(g);
	free(p);
}

static void test_no_modules(void **state)
{
	uint8_t *p = good_payload();
	const void *v;
	struct sysimg si;
	uint64_t size;

	put32(p, OFF_NR, 0);
	put64(p, OFF_TOTAL, DTB_OFF + DTB_SIZE);
	assert_int_equal(sysimg_open(&si, p, GOOD_TOTAL, err, sizeof(err)), 0);
	assert_int_equal(sysimg_find(&si, "vmlinuz", &v, &size), -ERR_NOENT);
	free(p);
}

static void test_max_modules(void **state)
{
	uint64_t total = DTB_OFF + DTB_SIZE + SYSIMG_MAX_MODULES * SYSIMG_ALIGN;
	uint8_t *p = calloc(1, total);
	const void *v;
	struct sysimg si;
	uint64_t size;
	char name[16];
	unsigned i;

	put64(p, OFF_MAGIC, SYSIMG_MAGIC);
	put32(p, OFF_VERSION, SYSIMG_VERSION);
	put32(p, OFF_NR, SYSIMG_MAX_MODULES);
	put64(p, OFF_TOTAL, total);
	put64(p, OFF_DTB, DTB_OFF);
	put64(p, OFF_DTB_SIZE, DTB_SIZE);
	for (i = 0; i < SYSIMG_MAX_MODULES; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		put_module(p, i, name, (uint64_t)(i + 2) * SYSIMG_ALIGN, i);
	}
	assert_int_equal(sysimg_open(&si, p, total, err, sizeof(err)), 0);
	assert_int_equal(sysimg_find(&si, "m31", &v, &size), 0);
	assert_ptr_equal(v, p + 33 * SYSIMG_ALIGN);
	assert_true(size == 31);
	/* a name using all 63 characters */
	memset(p + MOD(5), 'n', SYSIMG_NAME_MAX - 1);
	assert_int_equal(sysimg_open(&si, p, total, err, sizeof(err)), 0);
	put32(p, OFF_NR, SYSIMG_MAX_MODULES + 1);
	expect_open(p, total, -ERR_RANGE, "33 modules, at most 32");
	free(p);
}

static void test_bad_magic(void **state)
{
	uint8_t *p = good_payload();

	put64(p, OFF_MAGIC, SYSIMG_MAGIC + 1);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "bad magic 0x534c4c4544 (expected 0x534c4c4543)");
	put64(p, OFF_MAGIC, 0);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, NULL);
	/* a byte-swapped magic is wrong too */
	put64(p, OFF_MAGIC, __builtin_bswap64(SYSIMG_MAGIC));
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, NULL);
	free(p);
}

static void test_bad_version(void **state)
{
	uint8_t *p = good_payload();

	put32(p, OFF_VERSION, 2);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "version 2, this cella reads version 1");
	put32(p, OFF_VERSION, 0);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "version 0, this cella reads version 1");
	put32(p, OFF_VERSION, 0xffffffffu);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, NULL);
	free(p);
}

static void test_bad_nr_modules(void **state)
{
	uint8_t *p = good_payload();

	put32(p, OFF_NR, 0xffffffffu);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, "4294967295 modules, at most 32");
	put32(p, OFF_NR, 0x80000000u);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	/* 3 modules: the third entry is all zeroes, an empty name */
	put32(p, OFF_NR, 3);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, "module 2: empty name");
	free(p);
}

static void test_bad_total_size(void **state)
{
	uint8_t *p = good_payload();

	put64(p, OFF_TOTAL, GOOD_TOTAL + 1);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE,
		    "total_size 196619 is more than the 196618 bytes available");
	put64(p, OFF_TOTAL, UINT64_MAX);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, OFF_TOTAL, 0);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "total_size 0 is smaller than the header and module table "
		    "(200 bytes)");
	put64(p, OFF_TOTAL, MOD(2) - 1);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, NULL);
	/* total_size cuts the last module short */
	put64(p, OFF_TOTAL, GOOD_TOTAL - 1);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE,
		    "module 1 'initrd.img' at 0x30000, 0xa bytes, ends past "
		    "total_size 0x30009");
	/* total_size ends before the DTB */
	put64(p, OFF_TOTAL, DTB_OFF + DTB_SIZE - 1);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	free(p);
}

static void test_bad_dtb(void **state)
{
	uint8_t *p = good_payload();

	put64(p, OFF_DTB, DTB_OFF + 8);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "DTB offset 0x10008 is not 64 KiB aligned");
	put64(p, OFF_DTB, 0);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "DTB offset 0x0 is inside the header and module table");
	put64(p, OFF_DTB, 0x40000);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE,
		    "DTB at 0x40000, 0x64 bytes, ends past total_size 0x3000a");
	/* aligned offset whose end would wrap past 2^64 */
	put64(p, OFF_DTB, 0 - (uint64_t)SYSIMG_ALIGN);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, OFF_DTB, DTB_OFF);
	put64(p, OFF_DTB_SIZE, UINT64_MAX);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, OFF_DTB_SIZE, UINT64_MAX - DTB_OFF + 1);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, OFF_DTB_SIZE, GOOD_TOTAL - DTB_OFF + 1);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, OFF_DTB_SIZE, 0);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, "dtb_size is 0");
	/* exactly to the end is fine */
	put64(p, OFF_DTB_SIZE, GOOD_TOTAL - DTB_OFF);
	expect_open(p, GOOD_TOTAL, 0, NULL);
	free(p);
}

static void test_bad_module_offsets(void **state)
{
	uint8_t *p = good_payload();
	size_t off = MOD(0) + OFF_MOD_OFFSET, size = MOD(0) + OFF_MOD_SIZE;

	put64(p, off, KERNEL_OFF + 1);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "module 0 'vmlinuz' offset 0x20001 is not 64 KiB aligned");
	put64(p, off, KERNEL_OFF + 0x8000);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, NULL);
	put64(p, off, 0);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "module 0 'vmlinuz' offset 0x0 is inside the header and module "
		    "table");
	put64(p, off, 0x100000);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, off, 0 - (uint64_t)SYSIMG_ALIGN);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE,
		    "module 0 'vmlinuz' at 0xffffffffffff0000, 0x1234 bytes, "
		    "ends past total_size 0x3000a");
	put64(p, off, KERNEL_OFF);
	put64(p, size, UINT64_MAX);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, size, UINT64_MAX - KERNEL_OFF + 1);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	put64(p, size, GOOD_TOTAL - KERNEL_OFF + 1);
	expect_open(p, GOOD_TOTAL, -ERR_RANGE, NULL);
	/* a zero-size module at the very end is inside the payload */
	put64(p, size, KERNEL_SIZE);
	put64(p, MOD(1) + OFF_MOD_SIZE, 0);
	expect_open(p, GOOD_TOTAL, 0, NULL);
	free(p);
}

static void test_bad_names(void **state)
{
	uint8_t *p = good_payload();

	memset(p + MOD(1), 'A', SYSIMG_NAME_MAX);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "module 1: name is not NUL-terminated");
	memset(p + MOD(1), 0, SYSIMG_NAME_MAX);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, "module 1: empty name");
	/* empty but with junk after the NUL */
	memset(p + MOD(1) + 1, 'z', SYSIMG_NAME_MAX - 1);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT, "module 1: empty name");
	memset(p + MOD(1), 0, SYSIMG_NAME_MAX);
	memcpy(p + MOD(1), "vmlinuz", 7);
	expect_open(p, GOOD_TOTAL, -ERR_EXIST,
		    "module 1: name 'vmlinuz' is also module 0");
	/* control characters in a name do not reach the message */
	memcpy(p + MOD(0), "vm\nlinuz", 9);
	memcpy(p + MOD(1), "vm\nlinuz", 9);
	expect_open(p, GOOD_TOTAL, -ERR_EXIST,
		    "module 1: name 'vm?linuz' is also module 0");
	memcpy(p + MOD(1), "x\033", 3);
	put64(p, MOD(1) + OFF_MOD_OFFSET, 1);
	expect_open(p, GOOD_TOTAL, -ERR_BADFMT,
		    "module 1 'x?' offset 0x1 is not 64 KiB aligned");
	put64(p, MOD(1) + OFF_MOD_OFFSET, INITRD_OFF);
	memcpy(p + MOD(0), "vmlinuz\0", 9);
	memset(p + MOD(1), 0, SYSIMG_NAME_MAX);
	memcpy(p + MOD(1), "vmlinuz", 7);
	/* junk after the NUL does not make two equal names differ */
	memset(p + MOD(1) + 8, 'q', SYSIMG_NAME_MAX - 8);
	expect_open(p, GOOD_TOTAL, -ERR_EXIST, NULL);
	free(p);
}

/*
 * Open @g (a good payload of @total bytes) with every avail from 0 to @total: only the full size
 * succeeds. Up to 4 KiB the reader gets an exact-size copy, so a read past avail trips the
 * sanitizer; above that it only reads the header before refusing, on the original buffer.
 */
static void check_truncations(const uint8_t *g, uint64_t total)
{
	uint64_t avail;

	for (avail = 0; avail <= total; avail++) {
		uint8_t *copy = NULL;
		const uint8_t *p = g;
		struct sysimg si;

		if (avail <= 4096) {
			copy = malloc(avail ? avail : 1);
			assert_non_null(copy);
			memcpy(copy, g, avail);
			p = copy;
		}
		assert_int_equal(sysimg_open(&si, p, avail, err, sizeof(err)),
				 avail == total ? 0 : -ERR_RANGE);
		free(copy);
	}
}

static void test_truncated_every_size(void **state)
{
	uint8_t *g = good_payload();

	check_truncations(g, GOOD_TOTAL);
	expect_open(g, 39, -ERR_RANGE,
		    "39 bytes, too short for the 40-byte payload header");
	expect_open(g, 200, -ERR_RANGE,
		    "total_size 196618 is more than the 200 bytes available");
	expect_open(NULL, 0, -ERR_RANGE, NULL);
	free(g);
}

/* the smallest payload: no modules, a 1-byte DTB */
static void test_truncated_small(void **state)
{
	uint64_t total = DTB_OFF + 1;
	uint8_t *g = calloc(1, total);

	put64(g, OFF_MAGIC, SYSIMG_MAGIC);
	put32(g, OFF_VERSION, SYSIMG_VERSION);
	put64(g, OFF_TOTAL, total);
	put64(g, OFF_DTB, DTB_OFF);
	put64(g, OFF_DTB_SIZE, 1);
	check_truncations(g, total);
	free(g);
}

/* ---- arm64_image_check ---- */

#define OFF_TEXT offsetof(struct arm64_image_header, text_offset)
#define OFF_ISIZE offsetof(struct arm64_image_header, image_size)
#define OFF_IMAGIC offsetof(struct arm64_image_header, magic)

static uint8_t *image(size_t size, uint64_t text_offset, uint64_t image_size)
{
	uint8_t *p = calloc(1, size);

	assert_non_null(p);
	put64(p, OFF_TEXT, text_offset);
	put64(p, OFF_ISIZE, image_size);
	put32(p, OFF_IMAGIC, ARM64_IMAGE_MAGIC);
	return p;
}

static void test_image_good(void **state)
{
	uint8_t *p = image(64, 0, 0x2000000);
	uint64_t toff = 1, msize = 1;

	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), 0);
	assert_true(toff == 0);
	assert_true(msize == 0x2000000);
	/* a kernel with a non-zero text_offset */
	put64(p, OFF_TEXT, 0x80000);
	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), 0);
	assert_true(toff == 0x80000);
	/* NULL outputs and NULL err are allowed */
	assert_int_equal(arm64_image_check(p, 64, NULL, NULL, NULL, 0), 0);
	free(p);
}

static void test_image_size_zero(void **state)
{
	uint8_t *p = image(64, 0x12345678, 0);
	uint64_t toff = 0, msize = 0;

	/* booting.rst: image_size 0 means an old kernel at text_offset 0x80000 */
	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), 0);
	assert_true(toff == 0x80000);
	assert_true(msize == 0x1000);
	free(p);
	p = image(0x5001, 0, 0);
	assert_int_equal(arm64_image_check(p, 0x5001, &toff, &msize, err, sizeof(err)), 0);
	assert_true(toff == 0x80000);
	assert_true(msize == 0x6000);
	free(p);
}

static void test_image_mem_size(void **state)
{
	uint8_t *p = image(0x3000, 0, 0x1001);
	uint64_t toff, msize;

	/* the file is bigger than image_size: the file size counts */
	assert_int_equal(arm64_image_check(p, 0x3000, &toff, &msize, err, sizeof(err)), 0);
	assert_true(msize == 0x3000);
	/* image_size bigger: rounded up to 4 KiB */
	put64(p, OFF_ISIZE, 0x10001);
	assert_int_equal(arm64_image_check(p, 0x3000, &toff, &msize, err, sizeof(err)), 0);
	assert_true(msize == 0x11000);
	put64(p, OFF_ISIZE, 0x10000);
	assert_int_equal(arm64_image_check(p, 0x3000, &toff, &msize, err, sizeof(err)), 0);
	assert_true(msize == 0x10000);
	put64(p, OFF_ISIZE, UINT64_MAX - 0xfff);
	assert_int_equal(arm64_image_check(p, 0x3000, &toff, &msize, err, sizeof(err)), 0);
	assert_true(msize == UINT64_MAX - 0xfff);
	put64(p, OFF_ISIZE, UINT64_MAX - 0xffe);
	assert_int_equal(arm64_image_check(p, 0x3000, &toff, &msize, err, sizeof(err)),
			 -ERR_BADFMT);
	assert_string_equal(err, "image_size 0xfffffffffffff001 is too large");
	put64(p, OFF_ISIZE, UINT64_MAX);
	assert_int_equal(arm64_image_check(p, 0x3000, &toff, &msize, err, sizeof(err)),
			 -ERR_BADFMT);
	free(p);
}

static void test_image_bad_magic(void **state)
{
	uint8_t *p = image(64, 0, 0x100000);
	uint64_t toff = 7, msize = 7;

	put32(p, OFF_IMAGIC, ARM64_IMAGE_MAGIC ^ 1);
	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), -ERR_BADFMT);
	assert_string_equal(err, "no arm64 Image magic at offset 56");
	assert_true(toff == 7 && msize == 7);
	/* the magic of a 32-bit ARM zImage at offset 36 is not enough */
	memset(p, 0, 64);
	put32(p, 36, 0x016f2818);
	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), -ERR_BADFMT);
	free(p);
}

static void test_image_too_short(void **state)
{
	uint8_t *g = image(64, 0, 0x100000);
	uint64_t size, toff, msize;

	for (size = 0; size < 64; size++) {
		uint8_t *p = malloc(size ? size : 1);

		memcpy(p, g, size);
		assert_int_equal(arm64_image_check(p, size, &toff, &msize, err, sizeof(err)),
				 -ERR_BADFMT);
		free(p);
	}
	assert_string_equal(err, "63 bytes, too short for the 64-byte arm64 Image header");
	assert_int_equal(arm64_image_check(NULL, 0, &toff, &msize, err, sizeof(err)), -ERR_BADFMT);
	assert_string_equal(err, "0 bytes, too short for the 64-byte arm64 Image header");
	free(g);
}

static void test_image_bad_text_offset(void **state)
{
	uint8_t *p = image(64, 0x200000, 0x100000);
	uint64_t toff, msize;

	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), -ERR_BADFMT);
	assert_string_equal(err, "text_offset 0x200000 is not a 4 KiB aligned offset below 2 MiB");
	put64(p, OFF_TEXT, 0x80800);
	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), -ERR_BADFMT);
	put64(p, OFF_TEXT, UINT64_MAX);
	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), -ERR_BADFMT);
	put64(p, OFF_TEXT, 0x1ff000);
	assert_int_equal(arm64_image_check(p, 64, &toff, &msize, err, sizeof(err)), 0);
	assert_true(toff == 0x1ff000);
	free(p);
}

/* ---- linux_layout and the boot area ---- */

static void test_linux_layout(void **state)
{
	struct linux_layout l;

	(void)state;
	/* kernel at text_offset, DTB at the next 2 MiB after its footprint, initrd 4 KiB aligned */
	assert_int_equal(linux_layout(512ull << 20, 0, 0x1a1d000, 990501, &l), 0);
	assert_true(l.kernel == 0 && l.dtb == 0x1c00000 && l.initrd == 0x1c10000);
	assert_true(l.end == 0x1c10000 + 990501);
	/* no initrd: the DTB slot is the end */
	assert_int_equal(linux_layout(64ull << 20, 0x80000, 0x100000, 0, &l), 0);
	assert_true(l.kernel == 0x80000 && l.dtb == 0x200000 && l.initrd == 0);
	assert_true(l.end == 0x200000 + LINUX_DTB_MAX);
	/* the kernel alone does not fit: -ERR_NOSPC */
	assert_int_equal(linux_layout(16ull << 20, 0, 17ull << 20, 0, &l), -ERR_NOSPC);
	assert_int_equal(linux_layout(16ull << 20, 0x1000, 16ull << 20, 0, &l), -ERR_NOSPC);
	/* everything together does not: -ERR_RANGE, and end says what it needs */
	assert_int_equal(linux_layout(16ull << 20, 0, 15ull << 20, 0x10000, &l), -ERR_RANGE);
	assert_true(l.end > (16ull << 20));
	assert_int_equal(linux_layout(16ull << 20, 0, 1 << 20, 16ull << 20, &l), -ERR_RANGE);
	/* hostile sizes: no wrap-around anywhere */
	assert_int_equal(linux_layout(UINT64_MAX, 0, UINT64_MAX, 0, &l), -ERR_RANGE);
	assert_int_equal(linux_layout(UINT64_MAX, UINT64_MAX, 1, 0, &l), -ERR_NOSPC);
	assert_int_equal(linux_layout(1ull << 40, 0, 1 << 20, UINT64_MAX, &l), -ERR_RANGE);
	assert_int_equal(linux_layout(1ull << 40, 0, (1ull << 40) - 1, 1, &l), -ERR_RANGE);
	assert_int_equal(linux_layout(0, 0, 0, 0, &l), -ERR_RANGE);
}

static void test_boot_area(void **state)
{
	uint8_t *p = good_payload();
	struct sysimg si;
	const void *data;
	uint64_t size;

	(void)state;
	put_module(p, 1, SYSIMG_BOOT_PREFIX "linux", INITRD_OFF, INITRD_SIZE);
	assert_int_equal(sysimg_open(&si, p, GOOD_TOTAL, err, sizeof(err)), 0);
	assert_int_equal(sysimg_boot_area(&si, "linux", &data, &size), 0);
	assert_ptr_equal(data, p + INITRD_OFF);
	assert_true(size == INITRD_SIZE);
	assert_int_equal(sysimg_boot_area(&si, "linu", &data, &size), -ERR_NOENT);
	assert_int_equal(sysimg_boot_area(&si, "", &data, &size), -ERR_NOENT);
	assert_int_equal(sysimg_boot_area(&si, NULL, &data, &size), -ERR_NOENT);
	/* a boot area that is not the payload's last bytes is none */
	put_module(p, 0, SYSIMG_BOOT_PREFIX "k", KERNEL_OFF, KERNEL_SIZE);
	assert_int_equal(sysimg_open(&si, p, GOOD_TOTAL, err, sizeof(err)), 0);
	assert_int_equal(sysimg_boot_area(&si, "k", &data, &size), -ERR_NOENT);
	assert_int_equal(sysimg_boot_area(&si, "linux", &data, &size), 0);
	/* a cell name too long for any module name cannot have a boot area */
	assert_int_equal(sysimg_boot_area(&si, "0123456789012345678901234567890123456789"
					       "0123456789012345678", &data, &size), -ERR_NOENT);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_good_larger_avail_and_null_err),
		cmocka_unit_test(test_no_modules),
		cmocka_unit_test(test_max_modules),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_bad_nr_modules),
		cmocka_unit_test(test_bad_total_size),
		cmocka_unit_test(test_bad_dtb),
		cmocka_unit_test(test_bad_module_offsets),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_truncated_every_size),
		cmocka_unit_test(test_truncated_small),
		cmocka_unit_test(test_image_good),
		cmocka_unit_test(test_linux_layout),
		cmocka_unit_test(test_boot_area),
		cmocka_unit_test(test_image_size_zero),
		cmocka_unit_test(test_image_mem_size),
		cmocka_unit_test(test_image_bad_magic),
		cmocka_unit_test(test_image_too_short),
		cmocka_unit_test(test_image_bad_text_offset),
	};

	return cmocka_run_group_tests_name("sysimg", tests, NULL, NULL);
}
