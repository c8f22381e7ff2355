/* fuzz_platform_dt.c - libFuzzer harness for the platform DTB reader (src/core/platform_dt.c).
 *
 * The input is a DTB as firmware would pass it in x0. fdt_open, then platform_parse. On success
 * the facts must be usable as src/core/platform_dt.h describes them: 1..PLAT_MAX_RAM non-empty,
 * non-wrapping, non-overlapping RAM banks; GIC distributor >= 64 KiB and redistributor >= 128 KiB;
 * a non-empty UART region and an SPI number that is a real SPI (INTID <= 1019); the four timer
 * PPIs as INTIDs 16..31; 1..PLAT_MAX_CPUS distinct MPIDR affinities; psci_smc 0 or 1. On failure
 * the message is NUL-terminated and non-empty; with no buffer or a short one the answer is the
 * same and nothing is written past the buffer.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "core/platform_dt.h"
#include "lib/err.h"

#define ERR_LEN 200

/* [pa, pa + size) is non-empty and its end is representable (plat_reg refuses the rest) */
static bool region_ok(uint64_t pa, uint64_t size)
{
	return size != 0 && pa <= UINT64_MAX - size;
}

static void check_ok(const struct platform *p)
{
	uint32_t i, j;

	FUZZ_CHECK(p->nr_ram >= 1 && p->nr_ram <= PLAT_MAX_RAM);
	for (i = 0; i < p->nr_ram; i++) {
		FUZZ_CHECK(region_ok(p->ram[i].pa, p->ram[i].size));
		for (j = 0; j < i; j++)
			FUZZ_CHECK(p->ram[i].pa + p->ram[i].size <= p->ram[j].pa ||
				   p->ram[j].pa + p->ram[j].size <= p->ram[i].pa);
	}
	FUZZ_CHECK(region_ok(p->gicd_pa, p->gicd_size) && p->gicd_size >= 0x10000);
	FUZZ_CHECK(region_ok(p->gicr_pa, p->gicr_size) && p->gicr_size >= 0x20000);
	FUZZ_CHECK(region_ok(p->uart_pa, p->uart_size));
	FUZZ_CHECK(p->uart_spi + 32 <= 1019);
	for (i = 0; i < 4; i++)
		FUZZ_CHECK(p->timer_ppi[i] >= 16 && p->timer_ppi[i] < 32);
	FUZZ_CHECK(p->nr_cpus >= 1 && p->nr_cpus <= PLAT_MAX_CPUS);
	for (i = 0; i < p->nr_cpus; i++) {
		FUZZ_CHECK((p->cpu_mpidr[i] & ~0xff00ffffffull) == 0);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(p->cpu_mpidr[i] != p->cpu_mpidr[j]);
	}
	FUZZ_CHECK(p->psci_smc == 0 || p->psci_smc == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct platform p, p2;
	static const uint32_t short_lens[] = { 1, 5, 24 };
	char err[ERR_LEN], small[32];
	struct fdt f;
	uint32_t i, j;
	int rc, rc2;

	if (fdt_open(&f, data, size) < 0) {
		rc = platform_parse(&f, &p, err, sizeof(err));
		FUZZ_CHECK(rc < 0);
		fuzz_check_msg(err, sizeof(err), 1);
		return 0;
	}

	memset(err, 0x55, sizeof(err));
	rc = platform_parse(&f, &p, err, sizeof(err));
	if (rc == 0) {
		check_ok(&p);
	} else {
		FUZZ_CHECK(rc == -ERR_INVAL || rc == -ERR_NOENT || rc == -ERR_RANGE ||
			   rc == -ERR_EXIST || rc == -ERR_BADFMT);
		fuzz_check_msg(err, sizeof(err), 1);
	}

	rc2 = platform_parse(&f, &p2, NULL, 0);
	FUZZ_CHECK(rc2 == rc);
	if (rc == 0)
		FUZZ_CHECK(memcmp(&p, &p2, sizeof(p)) == 0);
	for (i = 0; i < sizeof(short_lens) / sizeof(short_lens[0]); i++) {
		memset(small, 0x55, sizeof(small));
		rc2 = platform_parse(&f, &p2, small, short_lens[i]);
		FUZZ_CHECK(rc2 == rc);
		if (rc < 0)
			FUZZ_CHECK(memchr(small, '\0', short_lens[i]) != NULL);
		for (j = short_lens[i]; j < sizeof(small); j++)
			FUZZ_CHECK(small[j] == 0x55);	/* nothing written past errlen */
	}
	return 0;
}
