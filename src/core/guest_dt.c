/* guest_dt.c - builds the DTB a Linux cell boots with, shaped like QEMU virt's own tree. */
#include "lib/util.h"
#include "guest_dt.h"
#include "sysdesc.h"
#include "dev/vpci.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "../lib/err.h"
#include "../lib/fdt.h"

#define GDT_PHANDLE_GIC 1u
#define GDT_PHANDLE_CLK 2u

#define GDT_GICD_SIZE 0x10000ull		/* 64 KiB distributor frame */
#define GDT_GICR_STRIDE 0x20000ull		/* RD_base + SGI_base, 64 KiB each */
#define GDT_UART_SIZE 0x1000ull
#define GDT_CLK_HZ 24000000u

#define GDT_MPIDR_FLAGS 0xc1000000ull		/* RES1 (31), U (30), MT (24): not in "reg" */

/* interrupt specifier cells (bindings/interrupt-controller/arm,gic-v3.yaml) */
#define GDT_IRQ_SPI 0u
#define GDT_IRQ_PPI 1u
#define GDT_IRQ_LEVEL_HIGH 4u

/* gdt_hex - write @v in lowercase hex without leading zeros at @p; returns the end (no NUL) */
static char *gdt_hex(char *p, uint64_t v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* gdt_name - "<prefix>@<hex addr>" into @buf (at least 40 bytes; prefixes here are short) */
static const char *gdt_name(char *buf, const char *prefix, uint64_t addr)
{
	size_t n = strlen(prefix);
	char *p;

	memcpy(buf, prefix, n);
	buf[n] = '@';
	p = gdt_hex(buf + n + 1, addr);
	*p = '\0';
	return buf;
}

/* gdt_prop_reg - a "reg" entry of two address and two size cells */
static void gdt_prop_reg(struct fdtw *w, uint64_t addr, uint64_t size)
{
	uint32_t c[4] = { (uint32_t)(addr >> 32), (uint32_t)addr, (uint32_t)(size >> 32),
			  (uint32_t)size };

	fdtw_prop_cells(w, "reg", c, 4);
}

/* gdt_overlap - [a, a + as) and [b, b + bs) intersect (no overflow: checked by caller) */
static bool gdt_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static uint64_t gdt_aff(uint64_t mpidr)
{
	return mpidr & MPIDR_AFF_MASK;
}

static int gdt_check(const struct guest_dt_params *p)
{
	uint64_t gicr_size;

	if (p->nr_vcpus == 0 || p->nr_vcpus > CELLA_MAX_VCPUS)
		return -ERR_INVAL;
	if (p->ram_size == 0 || p->ram_ipa + p->ram_size < p->ram_ipa)
		return -ERR_INVAL;
	gicr_size = p->nr_vcpus * GDT_GICR_STRIDE;
	if (gdt_overlap(p->ram_ipa, p->ram_size, GUEST_GICD_IPA, GDT_GICD_SIZE) ||
	    gdt_overlap(p->ram_ipa, p->ram_size, GUEST_GICR_IPA, gicr_size) ||
	    gdt_overlap(p->ram_ipa, p->ram_size, GUEST_UART_IPA, GDT_UART_SIZE))
		return -ERR_INVAL;
	if (p->initrd_size) {
		if (p->initrd_ipa + p->initrd_size < p->initrd_ipa)
			return -ERR_INVAL;
		if (p->initrd_ipa < p->ram_ipa ||
		    p->initrd_ipa + p->initrd_size > p->ram_ipa + p->ram_size)
			return -ERR_INVAL;
	}
	for (uint32_t i = 0; i < p->nr_vcpus; i++) {
		/* "reg" is the affinity, distinct per CPU (bindings/arm/cpus.yaml); a VMPIDR_EL2
		 * value's flag bits are dropped, RES0 bits are refused */
		if (p->mpidr[i] & ~(MPIDR_AFF_MASK | GDT_MPIDR_FLAGS))
			return -ERR_INVAL;
		for (uint32_t j = 0; j < i; j++)
			if (gdt_aff(p->mpidr[j]) == gdt_aff(p->mpidr[i]))
				return -ERR_INVAL;
	}
	return 0;
}

static void gdt_root_props(struct fdtw *w, const struct guest_dt_params *p)
{
	static const char prefix[] = "cella,";
	char model[64];
	const char *name = p->cell_name ? p->cell_name : "cell";
	size_t n = strnlen(name, sizeof(model) - sizeof(prefix));

	memcpy(model, prefix, sizeof(prefix) - 1);
	memcpy(model + sizeof(prefix) - 1, name, n);
	model[sizeof(prefix) - 1 + n] = '\0';

	fdtw_prop_u32(w, "#address-cells", 2);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_str(w, "compatible", "linux,dummy-virt");
	fdtw_prop_str(w, "model", model);
	fdtw_prop_u32(w, "interrupt-parent", GDT_PHANDLE_GIC);
}

static void gdt_chosen(struct fdtw *w, const struct guest_dt_params *p, const char *uart_name)
{
	char path[48];

	path[0] = '/';
	memcpy(path + 1, uart_name, strlen(uart_name) + 1);
	fdtw_begin_node(w, "chosen");
	if (p->bootargs)
		fdtw_prop_str(w, "bootargs", p->bootargs);
	fdtw_prop_str(w, "stdout-path", path);
	if (p->nr_ends)
		fdtw_prop_u32(w, "linux,pci-probe-only", 1);	/* keep cella's BARs */
	if (p->initrd_size) {
		fdtw_prop_u64(w, "linux,initrd-start", p->initrd_ipa);
		fdtw_prop_u64(w, "linux,initrd-end", p->initrd_ipa + p->initrd_size);
	}
	fdtw_end_node(w);
}

static void gdt_cpus(struct fdtw *w, const struct guest_dt_params *p)
{
	bool aff3 = false;
	char name[40];

	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		aff3 |= (gdt_aff(p->mpidr[i]) >> 32) != 0;
	fdtw_begin_node(w, "cpus");
	/* one cell holds Aff2..Aff0; Aff3 needs two */
	fdtw_prop_u32(w, "#address-cells", aff3 ? 2 : 1);
	fdtw_prop_u32(w, "#size-cells", 0);
	for (uint32_t i = 0; i < p->nr_vcpus; i++) {
		uint64_t aff = gdt_aff(p->mpidr[i]);

		fdtw_begin_node(w, gdt_name(name, "cpu", aff));
		fdtw_prop_str(w, "device_type", "cpu");
		fdtw_prop_str(w, "compatible", "arm,armv8");
		if (aff3)
			fdtw_prop_u64(w, "reg", aff);
		else
			fdtw_prop_u32(w, "reg", (uint32_t)aff);
		fdtw_prop_str(w, "enable-method", "psci");
		fdtw_end_node(w);
	}
	fdtw_end_node(w);
}

static void gdt_psci(struct fdtw *w, const struct guest_dt_params *p)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

	fdtw_begin_node(w, "psci");
	fdtw_prop_strs(w, "compatible", compat, 3);
	fdtw_prop_str(w, "method", p->psci_hvc ? "hvc" : "smc");
	/* PSCI 0.1 function IDs for the plain "arm,psci" binding, the SMC64 ones as QEMU gives */
	fdtw_prop_u32(w, "cpu_suspend", 0xc4000001u);
	fdtw_prop_u32(w, "cpu_off", 0x84000002u);
	fdtw_prop_u32(w, "cpu_on", 0xc4000003u);
	fdtw_prop_u32(w, "migrate", 0xc4000005u);
	fdtw_end_node(w);
}

static void gdt_gic(struct fdtw *w, const struct guest_dt_params *p)
{
	uint64_t gicr_size = p->nr_vcpus * GDT_GICR_STRIDE;
	uint32_t reg[8] = {
		(uint32_t)(GUEST_GICD_IPA >> 32), (uint32_t)GUEST_GICD_IPA,
		(uint32_t)(GDT_GICD_SIZE >> 32), (uint32_t)GDT_GICD_SIZE,
		(uint32_t)(GUEST_GICR_IPA >> 32), (uint32_t)GUEST_GICR_IPA,
		(uint32_t)(gicr_size >> 32), (uint32_t)gicr_size,
	};
	char name[40];

	fdtw_begin_node(w, gdt_name(name, "intc", GUEST_GICD_IPA));
	fdtw_prop_str(w, "compatible", "arm,gic-v3");
	fdtw_prop_u32(w, "#interrupt-cells", 3);
	fdtw_prop_empty(w, "interrupt-controller");
	fdtw_prop_u32(w, "#address-cells", 2);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_empty(w, "ranges");
	fdtw_prop_cells(w, "reg", reg, 8);
	fdtw_prop_u32(w, "#redistributor-regions", 1);
	fdtw_prop_u32(w, "phandle", GDT_PHANDLE_GIC);
	fdtw_end_node(w);
}

static void gdt_timer(struct fdtw *w)
{
	static const char *const compat[] = { "arm,armv8-timer", "arm,armv7-timer" };
	/* secure phys, non-secure phys, virt, hyp phys; with a GICv3 QEMU writes no CPU mask in
	 * flags[15:8] (that field is GICv2-only), so neither do we */
	static const uint32_t irqs[12] = {
		GDT_IRQ_PPI, 13, GDT_IRQ_LEVEL_HIGH, GDT_IRQ_PPI, 14, GDT_IRQ_LEVEL_HIGH,
		GDT_IRQ_PPI, 11, GDT_IRQ_LEVEL_HIGH, GDT_IRQ_PPI, 10, GDT_IRQ_LEVEL_HIGH,
	};

	fdtw_begin_node(w, "timer");
	fdtw_prop_strs(w, "compatible", compat, 2);
	fdtw_prop_cells(w, "interrupts", irqs, 12);
	fdtw_prop_empty(w, "always-on");
	fdtw_end_node(w);
}

static void gdt_clock(struct fdtw *w)
{
	fdtw_begin_node(w, "apb-pclk");
	fdtw_prop_str(w, "compatible", "fixed-clock");
	fdtw_prop_u32(w, "#clock-cells", 0);
	fdtw_prop_u32(w, "clock-frequency", GDT_CLK_HZ);
	fdtw_prop_str(w, "clock-output-names", "clk24mhz");
	fdtw_prop_u32(w, "phandle", GDT_PHANDLE_CLK);
	fdtw_end_node(w);
}

static void gdt_uart(struct fdtw *w, const char *uart_name)
{
	static const char *const compat[] = { "arm,pl011", "arm,primecell" };
	static const char *const clock_names[] = { "uartclk", "apb_pclk" };
	static const uint32_t irq[3] = { GDT_IRQ_SPI, GUEST_UART_SPI, GDT_IRQ_LEVEL_HIGH };
	static const uint32_t clocks[2] = { GDT_PHANDLE_CLK, GDT_PHANDLE_CLK };

	fdtw_begin_node(w, uart_name);
	fdtw_prop_strs(w, "compatible", compat, 2);
	gdt_prop_reg(w, GUEST_UART_IPA, GDT_UART_SIZE);
	fdtw_prop_cells(w, "interrupts", irq, 3);
	fdtw_prop_strs(w, "clock-names", clock_names, 2);
	fdtw_prop_cells(w, "clocks", clocks, 2);
	fdtw_end_node(w);
}

/* the PCI host bridge (bindings/pci/host-generic-pci.yaml): bus 0 at VPCI_ECAM_IPA, a 32-bit
 * window for BAR0s, a 64-bit prefetchable one for the channels' memory, INTA of device d + 1
 * to SPI VPCI_INTX_INTID(d) (level) */
static void gdt_pci(struct fdtw *w, const struct guest_dt_params *p)
{
	static const uint32_t ranges[14] = {
		0x02000000, 0, (uint32_t)VPCI_MMIO_IPA, 0, (uint32_t)VPCI_MMIO_IPA, 0,
		(uint32_t)VPCI_MMIO_SIZE, 0x43000000, 0, (uint32_t)VPCI_SHM_IPA, 0,
		(uint32_t)VPCI_SHM_IPA, 0, (uint32_t)VPCI_SHM_SIZE,
	};
	static const uint32_t mask[4] = { 0xf800, 0, 0, 7 }, bus[2] = { 0, 0 };
	uint32_t map[VPCI_MAX_CHAN * 10];
	char name[40];

	for (uint32_t i = 0; i < p->nr_ends && i < VPCI_MAX_CHAN; i++) {
		uint32_t *m = &map[10 * i];

		m[0] = (i + 1) << 11;				/* device i + 1, function 0 */
		m[1] = m[2] = m[4] = m[5] = m[6] = 0;
		m[3] = 1;					/* INTA */
		m[4] = GDT_PHANDLE_GIC;				/* the GIC: 2 address cells, */
		m[7] = GDT_IRQ_SPI;				/* then its specifier */
		m[8] = VPCI_INTX_INTID(i) - 32;
		m[9] = GDT_IRQ_LEVEL_HIGH;
	}
	fdtw_begin_node(w, gdt_name(name, "pcie", VPCI_ECAM_IPA));
	fdtw_prop_str(w, "compatible", "pci-host-ecam-generic");
	fdtw_prop_str(w, "device_type", "pci");
	fdtw_prop_u32(w, "#address-cells", 3);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_u32(w, "#interrupt-cells", 1);
	fdtw_prop_cells(w, "bus-range", bus, 2);
	gdt_prop_reg(w, VPCI_ECAM_IPA, VPCI_ECAM_SIZE);
	fdtw_prop_cells(w, "ranges", ranges, 14);
	fdtw_prop_cells(w, "interrupt-map-mask", mask, 4);
	fdtw_prop_cells(w, "interrupt-map", map, 10 * (p->nr_ends < VPCI_MAX_CHAN ? p->nr_ends
									     : VPCI_MAX_CHAN));
	fdtw_prop_empty(w, "dma-coherent");
	fdtw_end_node(w);
}

/* /cella/channels/NAME: what a native component (or cella-chan in Linux) needs to find its
 * channels (docs/channels.md) */
static void gdt_chans(struct fdtw *w, const struct guest_dt_params *p)
{
	fdtw_begin_node(w, "cella");
	fdtw_begin_node(w, "channels");
	for (uint32_t i = 0; i < p->nr_ends && i < VPCI_MAX_CHAN; i++) {
		const struct sysdesc_end *e = &p->ends[i];
		uint32_t irq[3] = { GDT_IRQ_SPI, VPCI_DOORBELL_INTID(i) - 32, 1 /* edge */ };

		fdtw_begin_node(w, e->name);
		fdtw_prop_u64(w, "ipa", VPCI_SHM_IPA + i * VPCI_SHM_STRIDE);
		fdtw_prop_u64(w, "size", e->size);
		fdtw_prop_u32(w, "slot", e->slot);
		fdtw_prop_u32(w, "end", e->end);
		fdtw_prop_u32(w, "rights", e->rights);
		fdtw_prop_u32(w, "pci-device", i + 1);
		fdtw_prop_u32(w, "doorbell", VPCI_DOORBELL_INTID(i));
		fdtw_prop_cells(w, "interrupts", irq, 3);
		fdtw_prop_str(w, "peer", e->peer);
		fdtw_end_node(w);
	}
	fdtw_end_node(w);
	fdtw_end_node(w);
}

void guest_dt_cell_params(const struct sysdesc_cell *d, uint64_t initrd_ipa, uint64_t initrd_size,
			  struct guest_dt_params *p)
{
	memset(p, 0, sizeof(*p));
	p->cell_name = d->name;
	p->ram_ipa = GUEST_RAM_IPA;
	p->ram_size = d->mem_size;
	p->nr_vcpus = d->nr_vcpus;
	for (uint32_t i = 0; i < d->nr_vcpus && i < CELLA_MAX_VCPUS; i++)
		p->mpidr[i] = GUEST_VCPU_MPIDR(i);
	p->bootargs = d->bootargs;
	p->initrd_ipa = initrd_ipa;
	p->initrd_size = initrd_size;
	p->psci_hvc = 1;
	p->nr_ends = d->nr_ends;
	p->ends = d->ends;
}

int guest_dt_build(const struct guest_dt_params *p, void *buf, uint64_t cap, uint64_t *size)
{
	struct fdtw w;
	char name[40], uart_name[40];
	size_t total;
	int rc;

	if (!p || !size || (!buf && cap))
		return -ERR_INVAL;
	rc = gdt_check(p);
	if (rc)
		return rc;
	if (!buf)
		return -ERR_NOSPC;	/* cap is 0 */
	if (cap > SIZE_MAX)
		cap = SIZE_MAX;
	rc = fdtw_init(&w, buf, (size_t)cap);
	if (rc)
		return rc;

	gdt_name(uart_name, "pl011", GUEST_UART_IPA);
	fdtw_begin_node(&w, "");
	gdt_root_props(&w, p);
	gdt_chosen(&w, p, uart_name);

	fdtw_begin_node(&w, gdt_name(name, "memory", p->ram_ipa));
	fdtw_prop_str(&w, "device_type", "memory");
	gdt_prop_reg(&w, p->ram_ipa, p->ram_size);
	fdtw_end_node(&w);

	gdt_cpus(&w, p);
	gdt_psci(&w, p);
	gdt_gic(&w, p);
	gdt_timer(&w);
	gdt_clock(&w);
	gdt_uart(&w, uart_name);
	if (p->nr_ends) {
		gdt_pci(&w, p);
		gdt_chans(&w, p);
	}
	fdtw_end_node(&w);

	/* writer errors are sticky: the first one comes out here */
	rc = fdtw_finish(&w, &total);
	if (rc)
		return rc;
	*size = total;
	return 0;
}
