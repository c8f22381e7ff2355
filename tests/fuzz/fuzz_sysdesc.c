/* fuzz_sysdesc.c - libFuzzer harness for the system description parser (src/core/sysdesc.c).
 *
 * The input is one byte of pCPU count (0..255) followed by a DTB. fdt_open, then sysdesc_parse.
 * On success the result must keep every promise of src/core/sysdesc.h and
 * docs/system-description.md: 1..8 cells with unique, valid names; memory a non-zero multiple of
 * 2 MiB, at most 256 GiB; fixed ranges aligned, not wrapping, not overlapping; 1..8 vCPUs per cell
 * on distinct pCPUs below nr_pcpus, 'cpus' honoured and the others given the lowest free pCPUs
 * in document order; kernel (and initrd) single strings inside the blob that fit a module name;
 * bootargs never NULL; exactly one console cell; on-reset read right; capabilities in distinct
 * slots of the cspace, each naming a cell that exists or a vCPU that cell has, with rights of
 * its type only (what cella's cap_grant accepts at boot); channels as check_chans says. On
 * failure the message is one NUL-terminated, non-empty, printable line, however short the
 * buffer; without a buffer the result is the same.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "core/sysdesc.h"
#include <cella/abi.h>
#include "lib/err.h"
#include <cella/sysimg.h>

#define ERR_LEN 160

static bool name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == ',' || ch == '.' || ch == '_' || ch == '+' || ch == '-';
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* a module name: a string inside the blob, 1..SYSIMG_NAME_MAX-1 characters */
static void check_module(const struct fdt *f, const char *s)
{
	size_t len;

	FUZZ_CHECK(s != NULL);
	FUZZ_CHECK(fuzz_inside(s, 1, f->blob, f->totalsize));
	FUZZ_CHECK(memchr(s, '\0', (size_t)(f->blob + f->totalsize - (const uint8_t *)s)));
	len = strlen(s);
	FUZZ_CHECK(len >= 1 && len < SYSIMG_NAME_MAX);
}

static void check_cell(const struct fdt *f, const struct sysdesc *sd, uint32_t idx, int node)
{
	const struct sysdesc_cell *c = &sd->cells[idx];
	const char *reset;
	const uint8_t *cpus;
	uint32_t len, i;
	size_t n;

	/* name: 1..31 characters from the allowed set, unique */
	n = strnlen(c->name, SYSDESC_NAME_MAX);
	FUZZ_CHECK(n >= 1 && n < SYSDESC_NAME_MAX);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(name_char_ok(c->name[i]));
	for (i = 0; i < idx; i++)
		FUZZ_CHECK(strcmp(sd->cells[i].name, c->name) != 0);
	FUZZ_CHECK(memchr(c->path, '\0', SYSDESC_PATH_MAX) != NULL);

	/* memory */
	FUZZ_CHECK(c->mem_size != 0 && c->mem_size % SYSDESC_MEM_ALIGN == 0);
	FUZZ_CHECK(c->mem_size >= SYSDESC_MEM_MIN && c->mem_size <= SYSDESC_MEM_MAX);
	if (c->mem_pa_fixed) {
		FUZZ_CHECK(c->mem_pa % SYSDESC_MEM_ALIGN == 0);
		FUZZ_CHECK(c->mem_pa <= UINT64_MAX - c->mem_size);
		for (i = 0; i < idx; i++) {
			const struct sysdesc_cell *o = &sd->cells[i];

			if (o->mem_pa_fixed)
				FUZZ_CHECK(c->mem_pa + c->mem_size <= o->mem_pa ||
					   o->mem_pa + o->mem_size <= c->mem_pa);
		}
	} else {
		FUZZ_CHECK(c->mem_pa == 0);
	}

	/* vCPUs; explicit pinning exactly as 'cpus' says */
	FUZZ_CHECK(c->nr_vcpus >= 1 && c->nr_vcpus <= CELLA_MAX_VCPUS);
	cpus = fdt_prop(f, node, "cpus", &len);
	if (cpus) {
		FUZZ_CHECK(len == 4 * c->nr_vcpus);
		for (i = 0; i < c->nr_vcpus; i++)
			FUZZ_CHECK(c->pcpu[i] == be32(cpus + 4 * i));
	}

	/* modules and strings */
	check_module(f, c->kernel);
	if (c->initrd)
		check_module(f, c->initrd);
	FUZZ_CHECK(c->bootargs != NULL);
	if (c->bootargs[0])
		FUZZ_CHECK(fuzz_inside(c->bootargs, strlen(c->bootargs) + 1, f->blob, f->totalsize));

	if (fdt_prop_str(f, node, "on-reset", &reset) == 0)
		FUZZ_CHECK(c->restart_on_reset == (strcmp(reset, "stop") != 0));
	else
		FUZZ_CHECK(c->restart_on_reset);
}

/* cell @idx's capabilities: the cspace cella builds from them at boot must be valid */
static void check_caps(const struct sysdesc *sd, uint32_t idx)
{
	const struct sysdesc_cell *c = &sd->cells[idx];
	bool used[SYSDESC_SLOTS] = { false };

	FUZZ_CHECK(c->nr_caps <= SYSDESC_MAX_CAPS);
	for (uint32_t i = 0; i < c->nr_caps; i++) {
		const struct sysdesc_cap *cap = &c->caps[i];

		FUZZ_CHECK(cap->slot < SYSDESC_SLOTS && !used[cap->slot]);
		used[cap->slot] = true;
		FUZZ_CHECK(cap->rights != 0);	/* 'rights' is a non-empty list */
		if (cap->type == CELLA_CAP_CELL) {
			FUZZ_CHECK(cap->obj < sd->nr_cells);
			FUZZ_CHECK((cap->rights & ~CELLA_R_CELL_ALL) == 0);
		} else {
			uint32_t cell = SYSDESC_VCPU_OBJ_CELL(cap->obj);

			FUZZ_CHECK(cap->type == CELLA_CAP_VCPU);
			FUZZ_CHECK(cell < sd->nr_cells &&
				   SYSDESC_VCPU_OBJ_VCPU(cap->obj) < sd->cells[cell].nr_vcpus);
			FUZZ_CHECK(cap->obj == SYSDESC_VCPU_OBJ(cell, SYSDESC_VCPU_OBJ_VCPU(cap->obj)));
			FUZZ_CHECK(cap->rights == CELLA_R_VCPU_ALL);
		}
	}
}

/* the channels: 0..16, each joining two different cells; every end in its cell's table at the
 * index the channel names, with the channel's size, name and peer; its capability in the
 * lowest slot its cell's caps and earlier channels left free, rights read and notify (write
 * for a writer) */
static void check_chans(const struct sysdesc *sd)
{
	FUZZ_CHECK(sd->nr_chans <= SYSDESC_MAX_CHANS);
	for (uint32_t k = 0; k < sd->nr_chans; k++) {
		const struct sysdesc_chan *ch = &sd->chans[k];

		FUZZ_CHECK(ch->size && ch->size % SYSDESC_CHAN_ALIGN == 0 &&
			   ch->size <= SYSDESC_CHAN_MAX);
		FUZZ_CHECK(ch->cell[0] < sd->nr_cells && ch->cell[1] < sd->nr_cells &&
			   ch->cell[0] != ch->cell[1]);
		FUZZ_CHECK(memchr(ch->path, '\0', SYSDESC_PATH_MAX) != NULL);
		for (uint32_t e = 0; e < 2; e++) {
			const struct sysdesc_cell *c = &sd->cells[ch->cell[e]];
			const struct sysdesc_end *end;

			FUZZ_CHECK(ch->idx[e] < c->nr_ends);
			end = &c->ends[ch->idx[e]];
			FUZZ_CHECK(end->chan == k && end->end == e && end->size == ch->size);
			FUZZ_CHECK(strcmp(end->peer, sd->cells[ch->cell[!e]].name) == 0);
			FUZZ_CHECK(strcmp(end->name, sd->cells[ch->cell[!e]].ends[ch->idx[!e]].name) ==
				   0);
		}
	}
	for (uint32_t i = 0; i < sd->nr_cells; i++) {
		const struct sysdesc_cell *c = &sd->cells[i];
		uint64_t used = 0;

		FUZZ_CHECK(c->nr_ends <= SYSDESC_CELL_CHANS);
		for (uint32_t j = 0; j < c->nr_caps; j++)
			used |= 1ull << c->caps[j].slot;
		for (uint32_t j = 0; j < c->nr_ends; j++) {
			const struct sysdesc_end *end = &c->ends[j];
			size_t n = strnlen(end->name, SYSDESC_NAME_MAX);

			FUZZ_CHECK(end->chan < sd->nr_chans && sd->chans[end->chan].idx[end->end] == j &&
				   sd->chans[end->chan].cell[end->end] == i);
			FUZZ_CHECK(end->slot == (uint32_t)__builtin_ctzll(~used));
			used |= 1ull << end->slot;
			FUZZ_CHECK((end->rights & ~CELLA_R_CHAN_ALL) == 0 &&
				   (end->rights & (CELLA_R_READ | CELLA_R_NOTIFY)) ==
					   (CELLA_R_READ | CELLA_R_NOTIFY));
			FUZZ_CHECK(n >= 1 && n < SYSDESC_NAME_MAX);
			for (size_t q = 0; q < n; q++)
				FUZZ_CHECK(name_char_ok(end->name[q]) || end->name[q] == '@');
		}
	}
}

static void check_ok(const struct fdt *f, const struct sysdesc *sd, uint32_t nr_pcpus)
{
	uint32_t load[CELLA_MAX_PCPUS] = { 0 };
	bool explicit_pins[CELLA_MAX_CELLS];
	uint32_t i, v, consoles = 0;
	int cells, node;

	FUZZ_CHECK(sd->nr_cells >= 1 && sd->nr_cells <= CELLA_MAX_CELLS);
	cells = fdt_find_path(f, "/cells");
	FUZZ_CHECK(cells >= 0);
	node = fdt_first_child(f, cells);
	for (i = 0; i < sd->nr_cells; i++) {
		FUZZ_CHECK(node >= 0);
		check_cell(f, sd, i, node);
		check_caps(sd, i);
		explicit_pins[i] = fdt_prop(f, node, "cpus", NULL) != NULL;
		node = fdt_next_sibling(f, node);
	}
	FUZZ_CHECK(node == -ERR_NOENT);	/* every child of /cells is a cell */

	/* every vCPU on a pCPU below nr_pcpus (shared or not); priority and slice in range */
	for (i = 0; i < sd->nr_cells; i++) {
		const struct sysdesc_cell *c = &sd->cells[i];

		consoles += c->console;
		FUZZ_CHECK(c->priority <= SYSDESC_PRIO_MAX);
		FUZZ_CHECK(c->slice_us >= SYSDESC_SLICE_MIN_US && c->slice_us <= SYSDESC_SLICE_MAX_US);
		for (v = 0; v < c->nr_vcpus; v++) {
			FUZZ_CHECK(c->pcpu[v] < nr_pcpus && c->pcpu[v] < CELLA_MAX_PCPUS);
			if (explicit_pins[i])
				load[c->pcpu[v]]++;
		}
	}
	FUZZ_CHECK(consoles == 1);
	check_chans(sd);

	/* cells without 'cpus': each vCPU in turn on the least-loaded pCPU (lowest on a tie) */
	for (i = 0; i < sd->nr_cells; i++) {
		if (explicit_pins[i])
			continue;
		for (v = 0; v < sd->cells[i].nr_vcpus; v++) {
			uint32_t p = sd->cells[i].pcpu[v];

			for (uint32_t q = 0; q < nr_pcpus && q < CELLA_MAX_PCPUS; q++)
				FUZZ_CHECK(load[p] < load[q] || (load[p] == load[q] && p <= q));
			load[p]++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sysdesc sd, sd2;
	static const uint32_t short_lens[] = { 1, 2, 16 };
	char err[ERR_LEN], small[16];
	uint32_t nr_pcpus, i;
	struct fdt f;
	int rc, rc2;

	if (size < 1)
		return 0;
	nr_pcpus = data[0];
	if (fdt_open(&f, data + 1, size - 1) < 0) {
		/* the zeroed struct fdt of a failed open is refused, not followed */
		rc = sysdesc_parse(&f, &sd, nr_pcpus, err, sizeof(err));
		FUZZ_CHECK(rc == -ERR_BADFMT);
		fuzz_check_msg(err, sizeof(err), 1);
		return 0;
	}

	memset(err, 0x55, sizeof(err));
	rc = sysdesc_parse(&f, &sd, nr_pcpus, err, sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(nr_pcpus > 0);
		check_ok(&f, &sd, nr_pcpus);
	} else {
		FUZZ_CHECK(rc == -ERR_INVAL || rc == -ERR_NOENT || rc == -ERR_RANGE ||
			   rc == -ERR_EXIST || rc == -ERR_BADFMT);
		fuzz_check_msg(err, sizeof(err), 1);
	}

	/* no message buffer, or a short one: same answer, still terminated */
	rc2 = sysdesc_parse(&f, &sd2, nr_pcpus, NULL, 0);
	FUZZ_CHECK(rc2 == rc);
	if (rc == 0)
		FUZZ_CHECK(memcmp(&sd, &sd2, sizeof(sd)) == 0);
	for (i = 0; i < sizeof(short_lens) / sizeof(short_lens[0]); i++) {
		memset(small, 0x55, sizeof(small));
		rc2 = sysdesc_parse(&f, &sd2, nr_pcpus, small, short_lens[i]);
		FUZZ_CHECK(rc2 == rc);
		if (rc < 0)
			FUZZ_CHECK(memchr(small, '\0', short_lens[i]) != NULL);
		for (uint32_t j = short_lens[i]; j < sizeof(small); j++)
			FUZZ_CHECK(small[j] == 0x55);	/* nothing written past errlen */
	}
	return 0;
}
