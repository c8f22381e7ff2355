/* cella-pack.c - pack cella, a system description and the guest images it names into one image. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cella/sysimg.h>
#include "core/guest_dt.h"
#include "core/sysdesc.h"
#include "core/sysimg.h"
#include "lib/err.h"
#include "lib/fdt.h"

#define PACK_DEFAULT_PCPUS 8u
#define PACK_MAX_PCPUS 1024u
#define ARM64_IMAGE_SIZE_OFF offsetof(struct arm64_image_header, image_size)
#define ARM64_MAGIC_OFF offsetof(struct arm64_image_header, magic)

struct pack_file {
	uint8_t *data;
	size_t size;
};

/* one module of the image: a file named by one or more cells */
struct pack_module {
	const char *name;		/* as written in the description */
	char *path;			/* where it was found */
	struct pack_file file;
	uint64_t offset;		/* in the payload */
};

struct pack_opts {
	const char *out, *cella, *description;
	const char **search;
	unsigned nr_search;
	uint32_t nr_pcpus;
	bool unchecked;
	const char *in_place;		/* cell to boot in place, "none", or NULL: automatic */
	const char *guest_dtb;		/* write this cell's DTB instead of an image */
};

static const char pack_usage[] =
	"usage: cella-pack -o OUT --cella CELLA_BIN --description SYSTEM_DTB [--search DIR]...\n"
	"                  [--pcpus N] [--in-place CELL|none] [--unchecked]\n"
	"       cella-pack -o OUT --guest-dtb CELL --description SYSTEM_DTB [--search DIR]...\n"
	"\n"
	"Pack cella, a compiled system description and the guest kernels and initrds it names\n"
	"into one system image, loadable like a Linux arm64 Image (QEMU -kernel, U-Boot booti).\n"
	"\n"
	"  -o, --output OUT          write the system image to OUT (written to OUT.tmp, then\n"
	"                            renamed: OUT is never left half-written)\n"
	"  --cella CELLA_BIN         cella's binary (build/cella.bin), which starts with an arm64\n"
	"                            Image header whose image_size is cella's memory footprint\n"
	"  --description SYSTEM_DTB  the system description compiled by dtc\n"
	"                            (see docs/system-description.md)\n"
	"  --search DIR              where to look for 'kernel' and 'initrd' files: each name is\n"
	"                            tried as given (absolute or relative to the current\n"
	"                            directory), then in each --search DIR in order; repeatable\n"
	"  --pcpus N                 check vCPU pinning for a machine with N pCPUs (default 8)\n"
	"  --in-place CELL|none      lay out CELL's kernel, initrd and DTB slot in the image\n"
	"                            exactly where they go in its RAM (a boot area), so that cella\n"
	"                            boots that cell without copying them; the image grows by that\n"
	"                            much. Default: the first cell with a Linux arm64 kernel and no\n"
	"                            memory-pa. 'none': copy every cell's images at boot\n"
	"  --guest-dtb CELL          write the device tree cella gives CELL at boot to OUT\n"
	"                            instead of a system image (no --cella needed): the devices\n"
	"                            a cell sees, to read or to boot Linux natively on them\n"
	"  --unchecked               do not check that kernels are arm64 Images (lets system\n"
	"                            tests pack a corrupt kernel to exercise cella's own checks)\n"
	"  -h, --help                print this help and exit\n"
	"\n"
	"Exit status: 0 on success, 1 on any error (one message on stderr).\n";

static char *pack_tmp_path;	/* OUT.tmp while it exists, removed on any error */

static void __attribute__((format(printf, 1, 2), noreturn)) pack_die(const char *fmt, ...)
{
	va_list ap;

	fputs("cella-pack: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (pack_tmp_path)
		remove(pack_tmp_path);
	exit(1);
}

static void *pack_alloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		pack_die("out of memory (%zu bytes)", size);
	return p;
}

static uint64_t pack_align_up(uint64_t v, uint64_t align)
{
	if (v > UINT64_MAX - (align - 1))
		pack_die("size overflow");
	return (v + align - 1) & ~(align - 1);
}

static uint64_t pack_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static void pack_put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* true if @path names a regular file */
static bool pack_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* read all of @path into @f. Returns 0 or an errno value. */
static int pack_read(const char *path, struct pack_file *f)
{
	struct stat st;
	FILE *fp;
	size_t n;
	int e;

	fp = fopen(path, "rb");
	if (!fp)
		return errno;
	if (fstat(fileno(fp), &st) < 0) {
		e = errno;
		goto close;
	}
	if (!S_ISREG(st.st_mode)) {
		e = EISDIR;
		goto close;
	}
	f->size = (size_t)st.st_size;
	f->data = pack_alloc(f->size);
	n = fread(f->data, 1, f->size, fp);
	if (n != f->size || ferror(fp)) {
		e = EIO;	/* a read error, or the file shrank while we read it */
		free(f->data);
		f->data = NULL;
		goto close;
	}
	fclose(fp);
	return 0;
close:
	fclose(fp);
	return e;
}

static void pack_read_or_die(const char *path, struct pack_file *f)
{
	int e = pack_read(path, f);

	if (e)
		pack_die("%s: %s", path, strerror(e));
}

/* where the file for module @name is: as given, then in each search directory; NULL if none */
static char *pack_find(const struct pack_opts *o, const char *name)
{
	char *path;
	size_t len;
	unsigned i;

	if (pack_is_file(name))
		return strdup(name);
	if (name[0] == '/')
		return NULL;
	for (i = 0; i < o->nr_search; i++) {
		len = strlen(o->search[i]) + 1 + strlen(name) + 1;
		path = pack_alloc(len);
		snprintf(path, len, "%s/%s", o->search[i], name);
		if (pack_is_file(path))
			return path;
		free(path);
	}
	return NULL;
}

/* "a, b, c" for the not-found message */
static void pack_print_search(const struct pack_opts *o, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned i;

	buf[0] = '\0';
	if (o->nr_search == 0) {
		snprintf(buf, len, "the current directory; add --search DIR");
		return;
	}
	for (i = 0; i < o->nr_search && pos < len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "", o->search[i]);
}

/* the module for @name, found and read on first use; several cells may share one */
static struct pack_module *pack_module(const struct pack_opts *o, struct pack_module *mods,
				       unsigned *nr, const struct sysdesc_cell *c, const char *what,
				       const char *name)
{
	struct pack_module *m;
	char where[1024];
	unsigned i;
	int e;

	for (i = 0; i < *nr; i++)
		if (strcmp(mods[i].name, name) == 0)
			return &mods[i];
	if (*nr == SYSIMG_MAX_MODULES)
		pack_die("%s: more than %u modules", c->path, SYSIMG_MAX_MODULES);
	m = &mods[(*nr)++];
	m->name = name;
	m->path = pack_find(o, name);
	if (!m->path) {
		if (name[0] == '/')
			pack_die("%s: %s '%s' not found", c->path, what, name);
		pack_print_search(o, where, sizeof(where));
		pack_die("%s: %s '%s' not found (looked in: %s)", c->path, what, name, where);
	}
	e = pack_read(m->path, &m->file);
	if (e)
		pack_die("%s: %s '%s': %s: %s", c->path, what, name, m->path, strerror(e));
	return m;
}

static uint32_t pack_parse_pcpus(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < 1 || v > PACK_MAX_PCPUS)
		pack_die("--pcpus wants a number from 1 to %u, not '%s'", PACK_MAX_PCPUS, s);
	return (uint32_t)v;
}

static void pack_parse_args(int argc, char **argv, struct pack_opts *o)
{
	enum { OPT_CELLA = 256, OPT_DESC, OPT_SEARCH, OPT_PCPUS, OPT_UNCHECKED, OPT_IN_PLACE,
	       OPT_GUEST_DTB };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "cella", required_argument, NULL, OPT_CELLA },
		{ "description", required_argument, NULL, OPT_DESC },
		{ "search", required_argument, NULL, OPT_SEARCH },
		{ "pcpus", required_argument, NULL, OPT_PCPUS },
		{ "unchecked", no_argument, NULL, OPT_UNCHECKED },
		{ "in-place", required_argument, NULL, OPT_IN_PLACE },
		{ "guest-dtb", required_argument, NULL, OPT_GUEST_DTB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->nr_pcpus = PACK_DEFAULT_PCPUS;
	o->search = pack_alloc(sizeof(*o->search) * (size_t)argc);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			o->out = optarg;
			break;
		case OPT_CELLA:
			o->cella = optarg;
			break;
		case OPT_DESC:
			o->description = optarg;
			break;
		case OPT_SEARCH:
			o->search[o->nr_search++] = optarg;
			break;
		case OPT_PCPUS:
			o->nr_pcpus = pack_parse_pcpus(optarg);
			break;
		case OPT_UNCHECKED:
			o->unchecked = true;
			break;
		case OPT_IN_PLACE:
			o->in_place = optarg;
			break;
		case OPT_GUEST_DTB:
			o->guest_dtb = optarg;
			break;
		case 'h':
			fputs(pack_usage, stdout);
			exit(0);
		case ':':
			pack_die("%s needs an argument (see --help)", argv[optind - 1]);
		default:
			if (optopt > 0 && optopt < 128)
				pack_die("unknown option '-%c' (see --help)", optopt);
			pack_die("unknown option '%s' (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		pack_die("unexpected argument '%s' (see --help)", argv[optind]);
	if (!o->out)
		pack_die("missing -o OUT (see --help)");
	if (!o->cella && !o->guest_dtb)
		pack_die("missing --cella CELLA_BIN (see --help)");
	if (!o->description)
		pack_die("missing --description SYSTEM_DTB (see --help)");
}

/* cella's binary: an arm64 Image whose image_size covers the file; returns that size */
static uint64_t pack_check_cella(const char *path, const struct pack_file *f)
{
	uint64_t image_size;

	if (f->size < sizeof(struct arm64_image_header))
		pack_die("%s: %zu bytes, too short for the 64-byte arm64 Image header", path,
			 f->size);
	if (pack_le(f->data + ARM64_MAGIC_OFF, 4) != ARM64_IMAGE_MAGIC)
		pack_die("%s: no arm64 Image magic at offset 56: not cella's binary?", path);
	image_size = pack_le(f->data + ARM64_IMAGE_SIZE_OFF, 8);
	if (image_size < f->size)
		pack_die("%s: Image header image_size 0x%llx is smaller than the file "
			 "(0x%zx bytes)", path, (unsigned long long)image_size, f->size);
	return image_size;
}

/* pack_boot_area - build the boot area of cell @c (include/cella/sysimg.h) as module @m, from
 * its kernel @k and initrd @i (NULL if none). Returns false (with a reason in @why) if the cell
 * cannot boot in place: not a checked arm64 Image, or images that do not fit its memory. */
static bool pack_boot_area(const struct sysdesc_cell *c, const struct pack_module *k,
			   const struct pack_module *i, struct pack_module *m, char *why,
			   size_t whylen)
{
	uint64_t toff, kmem;
	struct linux_layout l;
	size_t n;
	char *name;

	if (c->mem_pa_fixed) {
		snprintf(why, whylen, "it has a fixed memory-pa");
		return false;
	}
	if (arm64_image_check(k->file.data, k->file.size, &toff, &kmem, why, (uint32_t)whylen))
		return false;
	if (linux_layout(c->mem_size, toff, kmem, i ? i->file.size : 0, &l)) {
		snprintf(why, whylen, "its images do not fit its memory-size");
		return false;
	}
	n = sizeof(SYSIMG_BOOT_PREFIX) + strlen(c->name);
	if (n > SYSIMG_NAME_MAX) {
		snprintf(why, whylen, "its name is too long for a module name");
		return false;
	}
	name = pack_alloc(n);
	snprintf(name, n, "%s%s", SYSIMG_BOOT_PREFIX, c->name);
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->path = name;			/* freed with the others */
	m->file.size = (size_t)l.end;
	m->file.data = pack_alloc(m->file.size);
	memset(m->file.data, 0, m->file.size);
	memcpy(m->file.data + l.kernel, k->file.data, k->file.size);
	if (i)
		memcpy(m->file.data + l.initrd, i->file.data, i->file.size);
	return true;
}

static void pack_write(const char *out, const uint8_t *data, size_t size);

/* pack_guest_dtb - write to @out the DTB cella builds for cell @name of @sd at boot, with the
 * initrd where cella puts it (QEMU's -initrd with -dtb rewrites those two properties) */
static void pack_guest_dtb(const struct pack_opts *o, const struct sysdesc *sd, const char *name,
			   struct pack_module *mods, unsigned *nr)
{
	struct guest_dt_params p;
	struct linux_layout l;
	const struct sysdesc_cell *c = NULL;
	struct pack_module *k, *ird = NULL;
	uint64_t toff, kmem, size;
	uint8_t *buf;
	char err[128];
	int rc;

	for (unsigned i = 0; i < sd->nr_cells; i++)
		if (strcmp(sd->cells[i].name, name) == 0)
			c = &sd->cells[i];
	if (!c)
		pack_die("--guest-dtb %s: no such cell in %s", name, o->description);
	k = pack_module(o, mods, nr, c, "kernel", c->kernel);
	if (c->initrd)
		ird = pack_module(o, mods, nr, c, "initrd", c->initrd);
	if (arm64_image_check(k->file.data, k->file.size, &toff, &kmem, err, sizeof(err)) < 0)
		pack_die("%s: kernel '%s': %s", c->path, c->kernel, err);
	if (linux_layout(c->mem_size, toff, kmem, ird ? ird->file.size : 0, &l))
		pack_die("%s: its kernel, DTB and initrd do not fit its memory-size", c->path);
	guest_dt_cell_params(c, ird ? GUEST_RAM_IPA + l.initrd : 0, ird ? ird->file.size : 0, &p);
	buf = pack_alloc(LINUX_DTB_MAX);
	rc = guest_dt_build(&p, buf, LINUX_DTB_MAX, &size);
	if (rc < 0)
		pack_die("%s: cannot build the cell's device tree: %s", c->path, err_str(rc));
	pack_write(o->out, buf, (size_t)size);
	free(buf);
}

/* lay out and fill the payload at @p: header, module table, DTB, modules */
static void pack_fill_payload(uint8_t *p, const struct pack_file *dtb, uint64_t dtb_off,
			      const struct pack_module *mods, unsigned nr, uint64_t total)
{
	uint64_t m;
	unsigned i;

	pack_put_le(p + offsetof(struct sysimg_header, magic), SYSIMG_MAGIC, 8);
	pack_put_le(p + offsetof(struct sysimg_header, version), SYSIMG_VERSION, 4);
	pack_put_le(p + offsetof(struct sysimg_header, nr_modules), nr, 4);
	pack_put_le(p + offsetof(struct sysimg_header, total_size), total, 8);
	pack_put_le(p + offsetof(struct sysimg_header, dtb_offset), dtb_off, 8);
	pack_put_le(p + offsetof(struct sysimg_header, dtb_size), dtb->size, 8);
	memcpy(p + dtb_off, dtb->data, dtb->size);
	for (i = 0; i < nr; i++) {
		m = sizeof(struct sysimg_header) + (uint64_t)i * sizeof(struct sysimg_module);
		/* sysdesc_parse limited names to SYSIMG_NAME_MAX - 1 characters */
		memcpy(p + m, mods[i].name, strlen(mods[i].name));
		pack_put_le(p + m + offsetof(struct sysimg_module, offset), mods[i].offset, 8);
		pack_put_le(p + m + offsetof(struct sysimg_module, size), mods[i].file.size, 8);
		memcpy(p + mods[i].offset, mods[i].file.data, mods[i].file.size);
	}
}

static void pack_write(const char *out, const uint8_t *data, size_t size)
{
	size_t len = strlen(out) + sizeof(".tmp");
	FILE *fp;

	pack_tmp_path = pack_alloc(len);
	snprintf(pack_tmp_path, len, "%s.tmp", out);
	fp = fopen(pack_tmp_path, "wb");
	if (!fp) {
		int e = errno;

		free(pack_tmp_path);
		pack_tmp_path = NULL;
		pack_die("%s.tmp: %s", out, strerror(e));
	}
	if (fwrite(data, 1, size, fp) != size || fflush(fp) != 0) {
		fclose(fp);
		pack_die("%s.tmp: %s", out, strerror(errno));
	}
	if (fclose(fp) != 0)
		pack_die("%s.tmp: %s", out, strerror(errno));
	if (rename(pack_tmp_path, out) != 0)
		pack_die("%s: %s", out, strerror(errno));
	free(pack_tmp_path);
	pack_tmp_path = NULL;
}

int main(int argc, char **argv)
{
	struct pack_module mods[SYSIMG_MAX_MODULES], boot_mod, *boot = NULL;
	struct pack_file cella, dtb;
	struct pack_opts o;
	struct sysdesc sd;
	struct fdt f;
	struct sysimg si;
	uint64_t image_size, payload_off, dtb_off, off, total, file_size;
	uint8_t *img;
	char err[256];
	unsigned nr = 0, i;
	int rc;

	pack_parse_args(argc, argv, &o);
	memset(mods, 0, sizeof(mods));

	pack_read_or_die(o.description, &dtb);
	rc = fdt_open(&f, dtb.data, dtb.size);
	if (rc < 0)
		pack_die("%s: not a valid device tree blob (%s); compile the description with dtc",
			 o.description, err_str(rc));
	dtb.size = f.totalsize;
	rc = sysdesc_parse(&f, &sd, o.nr_pcpus, err, sizeof(err));
	if (rc < 0)
		pack_die("%s: %s", o.description, err);
	if (o.guest_dtb) {
		pack_guest_dtb(&o, &sd, o.guest_dtb, mods, &nr);
		for (i = 0; i < nr; i++) {
			free(mods[i].path);
			free(mods[i].file.data);
		}
		free(dtb.data);
		free(o.search);
		return 0;
	}
	pack_read_or_die(o.cella, &cella);
	image_size = pack_check_cella(o.cella, &cella);

	for (i = 0; i < sd.nr_cells; i++) {
		const struct sysdesc_cell *c = &sd.cells[i];
		struct pack_module *k = pack_module(&o, mods, &nr, c, "kernel", c->kernel);
		struct pack_module *ird = NULL;
		bool want;

		if (!o.unchecked &&
		    arm64_image_check(k->file.data, k->file.size, NULL, NULL, err, sizeof(err)) < 0)
			pack_die("%s: kernel '%s': %s", c->path, c->kernel, err);
		if (c->initrd)
			ird = pack_module(&o, mods, &nr, c, "initrd", c->initrd);
		want = o.in_place ? strcmp(o.in_place, c->name) == 0 : !boot && !o.unchecked;
		if (!want || boot)
			continue;
		if (pack_boot_area(c, k, ird, &boot_mod, err, sizeof(err)))
			boot = &boot_mod;
		else if (o.in_place)
			pack_die("%s: --in-place %s: cannot boot in place: %s", c->path, c->name,
				 err);
	}
	if (o.in_place && strcmp(o.in_place, "none") != 0 && !boot)
		pack_die("--in-place %s: no such cell in %s", o.in_place, o.description);
	if (boot) {
		if (nr == SYSIMG_MAX_MODULES)
			pack_die("more than %u modules with the boot area (try --in-place none)",
				 SYSIMG_MAX_MODULES);
		mods[nr++] = boot_mod;
	}

	/* payload layout: header and table, then the DTB and each module SYSIMG_ALIGN aligned;
	 * the boot area last, at a file offset that is a multiple of SYSIMG_BOOT_ALIGN */
	payload_off = pack_align_up(image_size, SYSIMG_ALIGN);
	dtb_off = pack_align_up(sizeof(struct sysimg_header) +
				(uint64_t)nr * sizeof(struct sysimg_module), SYSIMG_ALIGN);
	total = dtb_off + dtb.size;
	for (i = 0; i < nr; i++) {
		off = pack_align_up(total, SYSIMG_ALIGN);
		if (boot && i == nr - 1)
			off = pack_align_up(payload_off + total, SYSIMG_BOOT_ALIGN) - payload_off;
		mods[i].offset = off;
		total = off + mods[i].file.size;
	}
	file_size = payload_off + total;
	if (file_size < total || file_size > SIZE_MAX)
		pack_die("the system image would be too large");

	img = pack_alloc((size_t)file_size);
	memcpy(img, cella.data, cella.size);
	pack_fill_payload(img + payload_off, &dtb, dtb_off, mods, nr, total);
	/* a bootloader reserves image_size bytes from the load address: make that all of it */
	pack_put_le(img + ARM64_IMAGE_SIZE_OFF, pack_align_up(file_size, SYSIMG_ALIGN), 8);

	/* read it back the way cella will */
	rc = sysimg_open(&si, img + payload_off, total, err, sizeof(err));
	if (rc < 0)
		pack_die("internal error: the packed image does not validate: %s", err);

	pack_write(o.out, img, (size_t)file_size);
	free(img);
	for (i = 0; i < nr; i++) {
		free(mods[i].path);
		free(mods[i].file.data);
	}
	free(dtb.data);
	free(cella.data);
	free(o.search);
	return 0;
}
