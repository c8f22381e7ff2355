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

#define SPI_MARKER 0x5350495245535452ull	/* "SPIRESTR" at the top of RAM: second boot */

static volatile struct {
	uint32_t up, took, intid, hold;	/* hold: keep the SPI active until the cell resets */
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
	while (sp.hold)		/* spi-restart: hold it, in a list register, through the reset */
		tc_smccc(PSCI_VERSION, 0, 0, 0);
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

/* vCPU 2 of spi-restart's second boot: once vCPU 0 holds the SPI active and has routed it
 * here, start vCPU 1 (whose list registers cella resets) and see whether the SPI can be
 * acknowledged here too while vCPU 0 still has it active */
static volatile struct {
	uint32_t go, done, twice;
	uint64_t other;
} sr;

void tc_spi_poller(void)
{
	uint64_t end;

	gic_cpu_init(tc_slot(), false);
	sp.up = 1;
	dsb_sy();
	while (!sr.go)
		tc_smccc(PSCI_VERSION, 0, 0, 0);
	tc_smccc(PSCI_CPU_ON, sr.other, (uint64_t)(uintptr_t)tc_churn_entry, 0);
	end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	while (tc_smccc(PSCI_AFFINITY_INFO, sr.other, 0, 0) != PSCI_AFF_OFF && tc_now() < end)
		;
	end = tc_now() + tc_ms(500);
	while (tc_now() < end) {
		uint64_t iar;

		spi_route(sp.intid, tc_mpidr());	/* makes cella look again */
		iar = read_icc_iar1_el1();
		if ((iar & 0xffffff) == sp.intid)
			sr.twice++;
		if ((iar & 0xffffff) < 1020)
			write_icc_eoir1_el1(iar);
	}
	dsb_sy();
	sr.done = 1;
	dsb_sy();
	tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

/* Mode spi-restart (3 vCPUs): an SPI held (acknowledged) in a list register of vCPU 1 when
 * the cell resets must leave no trace. Second boot: vCPU 0 takes the same SPI and keeps it
 * active without trapping; vCPU 2 starts vCPU 1 (before the fix, its reset cleared the SPI's
 * in-LR and active state in the new model from stale bookkeeping) and must not be able to
 * acknowledge the SPI too (one INTID active on one PE and delivered to another). */
void tc_mode_spi_restart(void)
{
	volatile uint64_t *marker = (volatile uint64_t *)(uintptr_t)(tc_plat.mem_base +
								   tc_plat.mem_size - 8192);
	uint64_t self = tc_mpidr(), end;
	uint32_t intid = 32 + tc_plat.uart_spi;
	int64_t r;

	if (tc_plat.nr_cpus < 3 || !tc_plat.mem_size || !gic_boot_init()) {
		tc_check(false, "spi_restart", "needs 3 cpus, a memory size and a GIC");
		return;
	}
	irq_mask();
	sp.intid = intid;
	sr.other = tc_plat.mpidr[1];
	if (*marker != SPI_MARKER) {
		*marker = SPI_MARKER;
		dsb_sy();
		sp.hold = 1;
		spi_setup(intid, tc_plat.mpidr[1]);
		r = tc_smccc(PSCI_CPU_ON, tc_plat.mpidr[1], (uint64_t)(uintptr_t)tc_churn_entry,
			     TC_CTX_SPI);
		mmio_write32(tc_plat.uart + UART_IMSC, UART_INT_TX);
		end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
		while (r == 0 && !sp.took && tc_now() < end)
			;
		tc_line("SPI boot 1: vCPU 1 %s INTID %u; SYSTEM_RESET",
			sp.took ? "holds" : "never took", intid);
		tc_smccc(PSCI_SYSTEM_RESET, 0, 0, 0);
		tc_check(false, "spi_restart", "SYSTEM_RESET returned");
		return;
	}
	*marker = 0;
	dsb_sy();
	r = tc_smccc(PSCI_CPU_ON, tc_plat.mpidr[2], (uint64_t)(uintptr_t)tc_churn_entry,
		     TC_CTX_SPI_POLL);
	end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	while (r == 0 && !sp.up && tc_now() < end)
		;
	spi_setup(intid, self);
	mmio_write32(tc_plat.uart + UART_IMSC, UART_INT_TX);
	if (!tc_check(sp.up && take_masked(intid, 2000), "spi_restart_taken",
		      "INTID %u active on vCPU 0, vCPU 2 %s", intid, sp.up ? "up" : "not up"))
		return;
	spi_route(intid, tc_plat.mpidr[2]);
	tc_smccc(PSCI_VERSION, 0, 0, 0);	/* one more exit: cella records it as active */
	sr.go = 1;
	dsb_sy();
	end = tc_now() + tc_ms(4 * TC_CPU_TIMEOUT_MS);
	while (!sr.done && tc_now() < end)	/* no trap while vCPU 2 tries */
		;
	dsb_sy();
	mmio_write32(tc_plat.uart + UART_IMSC, 0);
	write_icc_eoir1_el1(intid);
	tc_check(sr.done && sr.twice == 0, "spi_not_acknowledged_twice",
		 "vCPU 2 %s, acknowledged INTID %u %u times while active on vCPU 0",
		 sr.done ? "done" : "did not finish", intid, sr.twice);
	irq_unmask();
}
