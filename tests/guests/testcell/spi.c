/* spi.c - mode spi-cpu-off: an SPI a vCPU has taken (acknowledged, not EOIed) when it calls
 * PSCI CPU_OFF must not be stranded in its list registers: routed to another vCPU, it is
 * delivered there. The SPI is the cell's UART interrupt, held high by its TX interrupt. */
#include <stdbool.h>
#include <stdint.h>

#include "testcell.h"

#define UART_IMSC 0x038
#define UART_INT_TX (1u << 5)
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000

static volatile struct {
	uint32_t up, took, intid;
} sp;

static void spi_route(uint32_t intid, uint64_t mpidr)
{
	uint64_t r = tc_plat.gicd + GICD_IROUTER + 8ull * intid;

	mmio_write32(r, (uint32_t)(mpidr & 0xffffff));
	mmio_write32(r + 4, (uint32_t)(mpidr >> 32) & 0xff);
}

static void spi_setup(uint32_t intid, uint64_t mpidr)
{
	uint64_t g = tc_plat.gicd;
	uint32_t bit = 1u << (intid % 32), shift = (intid % 4) * 8;
	uint64_t prio = g + GICD_IPRIORITYR + (intid & ~3u);

	mmio_write32(g + GICD_IGROUPR + 4 * (intid / 32),
		     mmio_read32(g + GICD_IGROUPR + 4 * (intid / 32)) | bit);
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | (GIC_PRIO << shift));
	spi_route(intid, mpidr);
	mmio_write32(g + GICD_ISENABLER + 4 * (intid / 32), bit);
}

/* acknowledge @intid with IRQs masked, trapping now and then so cella refills the list
 * registers; other interrupts are EOIed and ignored. Returns true if taken (not EOIed). */
static bool take_masked(uint32_t intid, uint64_t ms)
{
	uint64_t end = tc_now() + tc_ms(ms);

	while (tc_now() < end) {
		uint64_t iar = read_icc_iar1_el1();
		uint32_t id = (uint32_t)iar & 0xffffff;

		if (id == intid)
			return true;
		if (id < 1020)
			write_icc_eoir1_el1(iar);
		tc_smccc(PSCI_VERSION, 0, 0, 0);
	}
	return false;
}

/* vCPU 1: take the SPI, then turn off holding it active */
void tc_spi_secondary(void)
{
	unsigned slot = tc_slot();

	gic_cpu_init(slot, false);
	sp.up = 1;
	dsb_sy();
	sev();
	sp.took = take_masked(sp.intid, 3000);
	dsb_sy();
	tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	tc_line("FAIL spi_cpu_off: CPU_OFF returned");
	for (;;)
		wfi();
}

void tc_mode_spi_cpu_off(void)
{
	uint64_t self = tc_mpidr(), other = ~0ull, end;
	uint32_t intid = 32 + tc_plat.uart_spi;
	int64_t r;
	bool got;

	for (unsigned i = 0; i < tc_plat.nr_cpus && other == ~0ull; i++)
		if (tc_plat.mpidr[i] != self)
			other = tc_plat.mpidr[i];
	if (other == ~0ull || !gic_boot_init()) {
		tc_check(false, "spi_cpu_off", "needs 2 cpus and a GIC");
		return;
	}
	irq_mask();
	sp.intid = intid;
	spi_setup(intid, other);
	r = tc_smccc(PSCI_CPU_ON, other, (uint64_t)(uintptr_t)tc_churn_entry, TC_CTX_SPI);
	end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	while (r == 0 && !sp.up && tc_now() < end)
		wfe();
	if (!tc_check(r == 0 && sp.up, "spi_cpu_on", "CPU_ON 0x%lx returned %ld", (unsigned long)other,
		      (long)r))
		return;
	/* the UART's TX interrupt is always raised: the SPI's level goes high */
	mmio_write32(tc_plat.uart + UART_IMSC, UART_INT_TX);
	end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	while (tc_smccc(PSCI_AFFINITY_INFO, other, 0, 0) != PSCI_AFF_OFF && tc_now() < end)
		;
	dsb_sy();
	tc_check(sp.took, "spi_taken_by_other_vcpu", "vCPU 0x%lx %s INTID %u, then CPU_OFF",
		 (unsigned long)other, sp.took ? "acknowledged" : "never saw", intid);
	/* the SPI was active in the other vCPU's list register when it went off: now to us */
	spi_route(intid, self);
	got = take_masked(intid, 2000);
	mmio_write32(tc_plat.uart + UART_IMSC, 0);
	if (got)
		write_icc_eoir1_el1(intid);
	tc_check(got, "spi_back_after_cpu_off", "INTID %u %s on vCPU 0x%lx after rerouting", intid,
		 got ? "taken" : "never delivered", (unsigned long)self);
	irq_unmask();
}
