/* hostile_psci.c - hostile PSCI lifecycles: CPU_ON hammered at CPUs that CPU_OFF at once
 * (hostile-cpu-hammer), and a random CPU_ON/CPU_OFF/SYSTEM_RESET churn (hostile-cpu-churn). */
#include <stdbool.h>
#include <stdint.h>

#include "lib/printf.h"
#include "testcell.h"

#define TC_CTX_HAMMER 0x7e57ce1400000000ull	/* a hammered CPU: count the start, CPU_OFF */
#define TC_CTX_CHURN 0x7e57ce1500000000ull	/* a churning CPU: random calls, then CPU_OFF */
#define TC_CTX_FLOOD 0x7e57ce1600000000ull	/* a flooding CPU: writes the UART until told */
#define FLOOD_MS 8000				/* how long hostile-flood writes */
#define HAMMER_MS 5000			/* how long vCPU 0 hammers (CNTVCT time) */
#define CHURN_UNTIL_MS 8000			/* machine time (CNTVCT) the churn lasts */

static struct {
	volatile uint32_t started[TC_MAX_CPUS];	/* entries at tc_churn_entry, per DTB cpu */
	volatile uint32_t stop;			/* churn: wind down */
} ch;

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cpu_index(uint64_t mpidr)
{
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++)
		if (tc_plat.mpidr[i] == mpidr)
			return (int)i;
	return -1;
}

/* every cpu but the boot one reports OFF (AFFINITY_INFO), or the timeout passes */
static bool wait_secondaries_off(uint64_t self, unsigned *not_off)
{
	uint64_t end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	unsigned n;

	do {
		n = 0;
		for (unsigned i = 0; i < tc_plat.nr_cpus; i++)
			if (tc_plat.mpidr[i] != self &&
			    tc_smccc(PSCI_AFFINITY_INFO, tc_plat.mpidr[i], 0, 0) != PSCI_AFF_OFF)
				n++;
	} while (n && tc_now() < end);
	*not_off = n;
	return n == 0;
}

/* write lines to the UART as fast as it goes, ignoring TXFF, until ch.stop */
static void flood(int me)
{
	static const char line[] = "FLOOD 0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ\n";

	while (!ch.stop)
		for (const char *p = line; *p; p++)
			mmio_write32(TC_UART_BASE + UART_DR, (uint8_t)(*p == '0' ? '0' + me : *p));
}

void tc_churn_secondary(uint64_t ctx)
{
	int me = cpu_index(tc_mpidr());
	uint64_t seed = ctx ^ tc_now() ^ 0x9e3779b97f4a7c15ull;

	if (me >= 0)
		__atomic_add_fetch(&ch.started[me], 1, __ATOMIC_SEQ_CST);
	if (TC_CTX_KIND(ctx) == TC_CTX_SPI)
		tc_spi_secondary();
	if (TC_CTX_KIND(ctx) == TC_CTX_SPI_POLL)
		tc_spi_poller();
	if (TC_CTX_KIND(ctx) == TC_CTX_FLOOD) {
		flood(me);
	} else if (TC_CTX_KIND(ctx) == TC_CTX_CHURN) {
		for (unsigned n = xorshift(&seed) % 16; n && !ch.stop; n--) {
			uint64_t r = xorshift(&seed), t = tc_plat.mpidr[r % tc_plat.nr_cpus];

			if (r % 97 == 0) {
				tc_smccc(PSCI_SYSTEM_RESET, 0, 0, 0);
				break;			/* returns only if the cell already stops */
			}
			if ((r >> 8) & 1)
				tc_smccc(PSCI_CPU_ON, t, (uint64_t)(uintptr_t)tc_churn_entry,
					 TC_CTX_CHURN | (r & 0xffff));
			else
				tc_smccc(PSCI_AFFINITY_INFO, t, 0, 0);
		}
	}
	tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	tc_line("FAIL churn_cpu_off: CPU_OFF returned");
	for (;;)
		wfi();
}

/* CPU_ON again and again at every secondary; each starts and turns itself off at once. Every
 * SUCCESS must be one start, and once all are off and the boot CPU turns off too, the cell
 * must be reported stopped and the machine powered off (nothing leaked). */
void tc_mode_hostile_cpu_hammer(void)
{
	uint64_t self = tc_mpidr(), end;
	unsigned ok = 0, pending = 0, already = 0, other = 0, started = 0, calls = 0, not_off;
	int64_t r;

	if (tc_plat.nr_cpus < 2) {
		tc_check(false, "hammer", "needs 2 or more cpus, the DTB lists %u", tc_plat.nr_cpus);
		return;
	}
	tc_line("HAMMER start: %u ms of CPU_ON at %u cpus", HAMMER_MS, tc_plat.nr_cpus - 1);
	end = tc_now() + tc_ms(HAMMER_MS);
	while (tc_now() < end) {
		for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
			if (tc_plat.mpidr[i] == self)
				continue;
			calls++;
			r = tc_smccc(PSCI_CPU_ON, tc_plat.mpidr[i],
				     (uint64_t)(uintptr_t)tc_churn_entry, TC_CTX_HAMMER | calls);
			ok += r == 0;
			pending += r == PSCI_RET_ON_PENDING;
			already += r == PSCI_RET_ALREADY_ON;
			other += r != 0 && r != PSCI_RET_ON_PENDING && r != PSCI_RET_ALREADY_ON;
		}
	}
	wait_secondaries_off(self, &not_off);
	dsb_sy();
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++)
		started += ch.started[i];
	tc_line("HAMMER done cpu_on=%u success=%u started=%u on_pending=%u already_on=%u",
		calls, ok, started, pending, already);
	tc_check(not_off == 0, "hammer_all_off", "%u cpus not OFF after the hammer", not_off);
	tc_check(ok > 0 && ok == started, "hammer_success_is_a_start",
		 "%u SUCCESS, %u starts", ok, started);
	tc_check(other == 0, "hammer_only_psci_answers", "%u other return codes", other);
	tc_finish_cpu_off();
}

/* Random CPU_ON, CPU_OFF, AFFINITY_INFO and SYSTEM_RESET from every CPU, across restarts of
 * the cell, until CHURN_UNTIL_MS of machine time; then every CPU off and the cell powers off. */
void tc_mode_hostile_cpu_churn(void)
{
	uint64_t self = tc_mpidr(), seed = tc_now() | 1, until = tc_ms(CHURN_UNTIL_MS);
	unsigned calls = 0, not_off;

	tc_line("CHURN boot at %lu ms", (unsigned long)(tc_now() / tc_ms(1)));
	ch.stop = 0;
	while (tc_now() < until) {
		uint64_t r = xorshift(&seed), t = tc_plat.mpidr[r % tc_plat.nr_cpus];

		calls++;
		if (r % 509 == 0) {
			tc_line("CHURN reset after %u calls", calls);
			tc_smccc(PSCI_SYSTEM_RESET, 0, 0, 0);
		} else if ((r >> 8) & 3) {
			tc_smccc(PSCI_CPU_ON, t, (uint64_t)(uintptr_t)tc_churn_entry,
				 TC_CTX_CHURN | (r & 0xffff));
		} else {
			tc_smccc(PSCI_AFFINITY_INFO, t, 0, 0);
		}
	}
	ch.stop = 1;
	dsb_sy();
	wait_secondaries_off(self, &not_off);
	tc_line("CHURN done: %u calls in the last boot", calls);
	tc_check(not_off == 0, "churn_all_off", "%u cpus not OFF after the churn", not_off);
	tc_finish();
}

/* Every CPU of the cell writes its UART nonstop (ignoring TXFF) for FLOOD_MS, then it powers
 * off. A sibling's console latency must not suffer (tests/system/16-uart-flood.t). */
void tc_mode_hostile_flood(void)
{
	uint64_t self = tc_mpidr(), end;
	unsigned started = 0, not_off;

	ch.stop = 0;
	/* before the others start: their bytes share this UART and would cut into the line */
	tc_line("FLOOD start on %u cpus", tc_plat.nr_cpus);
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++)
		if (tc_plat.mpidr[i] != self &&
		    tc_smccc(PSCI_CPU_ON, tc_plat.mpidr[i], (uint64_t)(uintptr_t)tc_churn_entry,
			     TC_CTX_FLOOD) == 0)
			started++;
	end = tc_now() + tc_ms(FLOOD_MS);
	while (tc_now() < end) {
		static const char line[] = "FLOOD boot-cpu 0123456789abcdefghijklmnopqrstuvwxyz\n";

		for (const char *p = line; *p; p++)
			mmio_write32(TC_UART_BASE + UART_DR, (uint8_t)*p);
	}
	ch.stop = 1;
	dsb_sy();
	wait_secondaries_off(self, &not_off);
	tc_line("FLOOD done");
	tc_check(started + 1 == tc_plat.nr_cpus, "flood_cpus", "%u of %u cpus flooded",
		 started + 1, tc_plat.nr_cpus);
	tc_check(not_off == 0, "flood_all_off", "%u cpus not OFF", not_off);
}
