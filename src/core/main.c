/* main.c - cella's boot flow (docs/design.md "Boot flow"): platform DTB, system image,
 * cells, secondary pCPUs, then every pCPU runs its vCPU. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "lib/util.h"
#include "core/boot.h"
#include "core/cell.h"
#include "core/console.h"
#include "core/memmap.h"
#include "core/platform_dt.h"
#include "core/sysdesc.h"
#include "core/sysimg.h"
#include "lib/err.h"
#include "lib/log.h"
#include "platform/qemu-virt/board.h"
#include "platform/uart_pl011.h"

#define CELLA_VERSION "0.1"

static struct memmap machine_mem;
static struct sysimg system_image;
static struct platform plat;
static struct sysdesc desc;
extern char _start_image[], _end[];	/* cella.ld */
void cella_main(uint64_t dtb_pa);
void secondary_main(uint32_t index);

struct memmap *boot_machine_mem(void)
{
	return &machine_mem;
}

const struct sysimg *boot_system_image(void)
{
	return &system_image;
}

static void __attribute__((noreturn)) boot_failed(void)
{
	pr_err("cannot start the system; powering off\n");
	console_flush();
	arch_system_off();
}

/* the payload cella-pack appended: right after cella's own footprint */
static int open_system_image(void)
{
	const struct arm64_image_header *h = (const void *)_start_image;
	uint64_t own = (uint64_t)((uintptr_t)_end - (uintptr_t)_start_image);
	uint64_t off = align_up(own, SYSIMG_ALIGN);
	char err[128];

	if (h->image_size <= off) {
		pr_err("no system image found after cella's binary: pack cella, the description "
		       "and the guest images with tools/cella-pack (see README.md)\n");
		return -ERR_NOENT;
	}
	if (sysimg_open(&system_image, _start_image + off, h->image_size - off, err,
			sizeof(err))) {
		pr_err("system image: %s\n", err);
		return -ERR_BADFMT;
	}
	return 0;
}

/* the end of what cella's image keeps reserved: its payload, but not a boot area at the
 * payload's tail, which becomes a cell's RAM (include/cella/sysimg.h) */
static uint64_t payload_reserve_end(void)
{
	uint64_t r = align_up((uint64_t)(uintptr_t)(system_image.base + system_image.size),
			      0x200000);

	for (uint32_t i = 0; i < desc.nr_cells; i++) {
		const void *area;
		uint64_t size, pa;

		if (sysimg_boot_area(&system_image, desc.cells[i].name, &area, &size))
			continue;
		pa = (uint64_t)(uintptr_t)area;
		if (!(pa & (SYSIMG_BOOT_ALIGN - 1)) && pa < r)	/* the payload's tail */
			r = pa;
	}
	return r;
}

static int read_description(void)
{
	uint64_t size;
	const void *dtb = sysimg_dtb(&system_image, &size);
	struct fdt f;
	char err[160];

	if (fdt_open(&f, dtb, size)) {
		pr_err("system description: not a valid device tree blob\n");
		return -ERR_BADFMT;
	}
	if (sysdesc_parse(&f, &desc, pcpu_count(), err, sizeof(err))) {
		pr_err("system description: %s\n", err);
		return -ERR_INVAL;
	}
	return 0;
}

static int read_platform(uint64_t dtb_pa)
{
	struct fdt f;
	char err[160];
	uint32_t size;

	if (!dtb_pa) {
		pr_err("no device tree in x0: boot cella as an arm64 Image (QEMU -kernel, U-Boot "
		       "booti) so the firmware passes one\n");
		return -ERR_NOENT;
	}
	size = fdt_totalsize_hint((const void *)(uintptr_t)dtb_pa, 40);
	if (!size || fdt_open(&f, (const void *)(uintptr_t)dtb_pa, size)) {
		pr_err("the firmware's device tree at PA 0x%llx is not valid\n",
		       (unsigned long long)dtb_pa);
		return -ERR_BADFMT;
	}
	if (platform_parse(&f, &plat, err, sizeof(err))) {
		pr_err("platform device tree: %s\n", err);
		return -ERR_INVAL;
	}
	return 0;
}

/* cmdline_has - @cmdline (may be NULL) contains the space-separated word @word */
static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; p && *p;) {
		while (*p == ' ')
			p++;
		if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return true;
		while (*p && *p != ' ')
			p++;
	}
	return false;
}

static uint32_t boot_pcpu_index(void)
{
	uint64_t me;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(me));
	me &= MPIDR_AFF_MASK;
	for (uint32_t i = 0; i < pcpu_count(); i++)
		if ((pcpu_get(i)->mpidr & MPIDR_AFF_MASK) == me)
			return i;
	return 0;
}

void cella_main(uint64_t dtb_pa)
{
	uint32_t boot, nr_pcpus, console_intid;

	uart_init(BOARD_EARLY_UART);
	pr_info("version %s, type-1 hypervisor, starting at EL2\n", CELLA_VERSION);
	if (read_platform(dtb_pa))
		boot_failed();
	uart_init(plat.uart_pa);
	if (cmdline_has(plat.bootargs, "cella.stats"))
		cell_stats_enable();

	nr_pcpus = pcpu_setup(plat.nr_cpus, plat.cpu_mpidr);
	boot = boot_pcpu_index();

	memmap_init(&machine_mem);
	for (uint32_t i = 0; i < plat.nr_ram; i++)
		if (memmap_add_ram(&machine_mem, plat.ram[i].pa, plat.ram[i].size))
			pr_warn("ignoring RAM bank at 0x%llx\n", (unsigned long long)plat.ram[i].pa);
	if (open_system_image() || read_description())
		boot_failed();
	/* cella's image and payload (kept for cell restarts). The firmware's DTB is not kept:
	 * everything cella needs from it was read above (nothing points into it from here on),
	 * so its memory may become a cell's, e.g. one booted in place from the image. */
	if (memmap_reserve(&machine_mem, (uint64_t)(uintptr_t)_start_image,
			   payload_reserve_end() - (uint64_t)(uintptr_t)_start_image)) {
		pr_err("cella's image lies outside RAM\n");
		boot_failed();
	}

	arch_irqchip_init(plat.gicd_pa);
	if (arch_pcpu_init(boot, pcpu_get(boot)->mpidr, plat.gicr_pa)) {
		pr_err("no GIC redistributor for pCPU %u\n", boot);
		boot_failed();
	}
	pcpu_get(boot)->online = true;
	console_intid = 32 + plat.uart_spi;
	arch_console_irq(console_intid, pcpu_get(boot)->mpidr);

	if (cell_create_all(&desc))
		boot_failed();
	console_set_prefixing(cell_count() > 1);
	console_set_prompt(!desc.prompt_off);
	for (uint32_t i = 0; i < cell_count(); i++)
		if (desc.cells[i].console)
			console_set_input(cell_get(i));

	for (uint32_t i = 0; i < nr_pcpus; i++) {
		struct pcpu *p = pcpu_get(i);
		int64_t ret;

		if (i == boot)
			continue;
		ret = arch_pcpu_start(p->mpidr, i);
		if (ret) {
			pr_warn("pCPU %u (MPIDR 0x%llx) did not start: PSCI error %lld\n", i,
				(unsigned long long)p->mpidr, (long long)ret);
			continue;
		}
		while (!__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
			;
	}
	/* cella's console work (and its timing) lands on a pCPU no cell owns, if there is one */
	for (uint32_t i = 0; i < nr_pcpus; i++)
		if (!pcpu_get(i)->vcpu && pcpu_get(i)->online) {
			arch_console_irq(console_intid, pcpu_get(i)->mpidr);
			console_set_dedicated(true);
			break;
		}
	pr_info("%u pCPU%s online, %u cell%s\n", nr_pcpus, nr_pcpus > 1 ? "s" : "",
		cell_count(), cell_count() > 1 ? "s" : "");
	pcpu_loop();
}

void secondary_main(uint32_t index)
{
	struct pcpu *p = pcpu_get(index);

	if (!p || arch_pcpu_init(index, p->mpidr, plat.gicr_pa)) {
		pr_err("no GIC redistributor for pCPU %u\n", index);
		arch_halt();
	}
	__atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
	pcpu_loop();
}
