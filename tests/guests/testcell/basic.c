/* basic.c - the all-round test: PSCI, virtual timer, SGIs, secondary vCPUs, MMIO emulation. */
#include <stdbool.h>
#include <stdint.h>

#include "lib/printf.h"
#include "testcell.h"

/* the boot CPU's handshake with the secondary it is testing */
static volatile struct {
	uint64_t ctx;			/* context id CPU_ON was given */
	uint32_t round;
	uint32_t up;			/* the secondary reported */
	uint32_t sgi;			/* it took SGI_CROSS */
	uint32_t off_returned;		/* its CPU_OFF came back with off_ret */
	int64_t off_ret;
} tc_sec;

static void test_psci(void)
{
	static const uint64_t unknown[] = { 0x82000000ull, 0xc2001234ull };
	int64_t r, feat;
	bool undef;
	char name[40];

	r = tc_smccc(PSCI_VERSION, 0, 0, 0);
	tc_check(r >= 0x10000, "psci_version", "0x%lx (%ld.%ld)", (unsigned long)r, (long)(r >> 16),
		 (long)(r & 0xffff));
	r = tc_smccc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
	tc_check(r == 0, "psci_features_cpu_on", "returned %ld", (long)r);
	r = tc_smccc(PSCI_FEATURES, 0x8400ff00ull, 0, 0);
	tc_check(r == PSCI_RET_NOT_SUPPORTED, "psci_features_unknown", "returned %ld", (long)r);

	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		cella_snprintf(name, sizeof(name), "smccc_unknown 0x%lx",
			       (unsigned long)unknown[i]);
		r = tc_smccc_probe(unknown[i], 1, 2, 3, &undef);
		if (undef && !tc_plat.cella)
			tc_skip(name, "UNDEF: QEMU's built-in PSCI, no hypervisor");
		else
			tc_check(!undef && r == PSCI_RET_NOT_SUPPORTED, name, "%s %ld",
				 undef ? "UNDEF, not NOT_SUPPORTED;" : "returned", (long)r);
	}

	/* SMCCC 1.1 callers ask PSCI_FEATURES first; a 1.0 implementation says NOT_SUPPORTED */
	feat = tc_smccc(PSCI_FEATURES, SMCCC_VERSION, 0, 0);
	r = tc_smccc_probe(SMCCC_VERSION, 0, 0, 0, &undef);
	if (!tc_plat.cella && (undef || (feat == PSCI_RET_NOT_SUPPORTED && r == feat)))
		tc_skip("smccc_version", "QEMU's built-in PSCI is SMCCC 1.0, no hypervisor");
	else
		tc_check(!undef && r >= 0x10001, "smccc_version",
			 "%s 0x%lx; PSCI_FEATURES says %ld", undef ? "UNDEF;" : "returned",
			 (unsigned long)r, (long)feat);
}

/* One virtual-timer interrupt @delay ticks from now; *@elapsed gets CNTVCT(IRQ) - CNTVCT(set). */
static bool timer_once(uint64_t delay, bool use_wfi, uint64_t *elapsed)
{
	struct tc_cpu *c = &tc_cpus[tc_slot()];
	uint32_t target = c->timer_irqs + 1;
	uint64_t t0 = tc_now();
	bool ok;

	write_cntv_tval_el0(delay);
	write_cntv_ctl_el0(CNTV_CTL_ENABLE);
	isb();
	ok = tc_wait_count(&c->timer_irqs, target, t0 + delay + tc_ms(TC_IRQ_TIMEOUT_MS), use_wfi);
	write_cntv_ctl_el0(0);
	isb();
	*elapsed = ok ? c->timer_at - t0 : 0;
	return ok;
}

void tc_test_vtimer(const char *prefix)
{
	uint64_t delay = tc_ms(1), elapsed, min = ~0ull, max = 0;
	unsigned n, early = 0;
	char name[40];
	bool ok = true;

	for (n = 0; n < 3 && ok; n++) {
		ok = timer_once(delay, false, &elapsed);
		if (ok && elapsed < delay)
			early++;
		if (ok && elapsed < min)
			min = elapsed;
	}
	cella_snprintf(name, sizeof(name), "%s_poll", prefix);
	tc_check(ok, name, "%s INTID %u (%u/3 IRQs)", ok ? "took" : "no IRQ for",
		 tc_plat.vtimer_intid, ok ? 3 : n - 1);
	cella_snprintf(name, sizeof(name), "%s_wfi", prefix);
	if (!ok) {
		/* WFI would wait for an IRQ that never comes */
		tc_check(false, name, "not run: the timer IRQ is not delivered");
		return;
	}
	for (n = 0; n < 5 && ok; n++) {
		ok = timer_once(delay, true, &elapsed);
		if (ok && elapsed < delay)
			early++;
		if (ok && elapsed < min)
			min = elapsed;
		if (ok && elapsed > max)
			max = elapsed;
	}
	tc_check(ok, name, "%u/5 wake-ups from WFI", ok ? 5 : n - 1);
	cella_snprintf(name, sizeof(name), "%s_elapsed", prefix);
	tc_check(ok && !early, name, "%u early; elapsed min %lu max %lu ticks, programmed %lu",
		 early, (unsigned long)min, (unsigned long)max, (unsigned long)delay);
}

void tc_test_sgi_self(const char *name)
{
	struct tc_cpu *c = &tc_cpus[tc_slot()];
	uint32_t target = c->sgis[SGI_SELF] + 1;
	bool ok;

	gic_send_sgi(tc_mpidr(), SGI_SELF);
	ok = tc_wait_count(&c->sgis[SGI_SELF], target, tc_now() + tc_ms(TC_IRQ_TIMEOUT_MS), false);
	tc_check(ok, name, "%s INTID %u via ICC_SGI1R_EL1 0x%lx", ok ? "took" : "never saw",
		 SGI_SELF, (unsigned long)gic_sgi1r_value(tc_mpidr(), SGI_SELF));
}

static bool wait_flag(volatile uint32_t *flag, uint64_t ms)
{
	uint64_t end = tc_now() + tc_ms(ms);

	while (!*flag) {
		if (tc_now() > end)
			return false;
		wfe();	/* the secondary signals with SEV; the event stream bounds the wait */
	}
	dsb_sy();
	return true;
}

/* Start DTB cpu @i, let it report, poke it with an SGI, watch it turn itself off. */
static void secondary_round(unsigned i, unsigned round)
{
	uint64_t mpidr = tc_plat.mpidr[i];
	unsigned slot = i + 1;
	const char *again = round ? "_again" : "";
	uint64_t entry = (uint64_t)(uintptr_t)tc_secondary_entry, end;
	int64_t r;
	char name[40];

	tc_sec.ctx = TC_CTX_MAGIC | (uint64_t)round << 8 | slot;
	tc_sec.round = round;
	tc_sec.up = tc_sec.sgi = tc_sec.off_returned = 0;
	tc_cpus[slot].sgis[SGI_CROSS] = 0;
	tc_boot_slot = slot;
	dsb_sy();

	cella_snprintf(name, sizeof(name), "cpu_on%s 0x%lx", again, (unsigned long)mpidr);
	r = tc_smccc(PSCI_CPU_ON, mpidr, entry, tc_sec.ctx);
	if (r != 0) {
		tc_check(false, name, "CPU_ON returned %ld", (long)r);
		return;
	}
	if (!wait_flag(&tc_sec.up, TC_CPU_TIMEOUT_MS)) {
		tc_check(false, name, "CPU_ON returned 0 but the cpu did not report within %u ms",
			 TC_CPU_TIMEOUT_MS);
		return;
	}
	/* the secondary printed its PASS/FAIL cpu_on line; it now waits in WFI for an SGI */
	cella_snprintf(name, sizeof(name), "cpu_on_already_on%s 0x%lx", again,
		       (unsigned long)mpidr);
	r = tc_smccc(PSCI_CPU_ON, mpidr, entry, tc_sec.ctx);
	tc_check(r == PSCI_RET_ALREADY_ON, name, "returned %ld", (long)r);
	cella_snprintf(name, sizeof(name), "affinity_info_on%s 0x%lx", again, (unsigned long)mpidr);
	r = tc_smccc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
	tc_check(r == PSCI_AFF_ON, name, "returned %ld", (long)r);

	gic_send_sgi(mpidr, SGI_CROSS);
	cella_snprintf(name, sizeof(name), "sgi_cross%s 0x%lx", again, (unsigned long)mpidr);
	if (!tc_check(wait_flag(&tc_sec.sgi, TC_CPU_TIMEOUT_MS), name, "INTID %u from cpu 0x%lx",
		      SGI_CROSS, (unsigned long)tc_mpidr()))
		return;

	cella_snprintf(name, sizeof(name), "cpu_off%s 0x%lx", again, (unsigned long)mpidr);
	end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	do {
		r = tc_smccc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
		if (r == PSCI_AFF_OFF || tc_sec.off_returned)
			break;
		tc_delay_ms(1);
	} while (tc_now() < end);
	if (tc_sec.off_returned)
		tc_check(false, name, "CPU_OFF returned %ld", (long)tc_sec.off_ret);
	else
		tc_check(r == PSCI_AFF_OFF, name, "AFFINITY_INFO %ld after CPU_OFF", (long)r);
}

bool tc_mpidr_listed(uint64_t mpidr)
{
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++)
		if (tc_plat.mpidr[i] == mpidr)
			return true;
	return false;
}

static void test_secondaries(void)
{
	uint64_t self = tc_mpidr(), bogus = 0xff;
	unsigned others = 0;
	int64_t r;

	for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
		if (tc_plat.mpidr[i] == self)
			continue;
		secondary_round(i, 0);
		if (others++ == 0)
			secondary_round(i, 1);	/* a vCPU that was turned off starts again */
	}
	if (!others)
		tc_skip("cpu_on", "no other cpu in the DTB");
	while (tc_mpidr_listed(bogus))
		bogus += 0x100;
	r = tc_smccc(PSCI_CPU_ON, bogus, (uint64_t)(uintptr_t)tc_secondary_entry, 0);
	tc_check(r == PSCI_RET_INVALID_PARAMS, "cpu_on_bad_mpidr", "CPU_ON 0x%lx returned %ld",
		 (unsigned long)bogus, (long)r);
}

void tc_secondary_main(uint64_t ctx)
{
	unsigned slot = tc_slot();
	struct tc_cpu *c = &tc_cpus[slot];
	uint64_t mpidr = tc_mpidr();
	bool ok;
	char name[40];

	if (TC_CTX_KIND(ctx) == TC_CTX_TRAPS)
		tc_traps_secondary();
	if (TC_CTX_KIND(ctx) == TC_CTX_STORM)
		tc_storm_secondary();
	write_cntkctl_el1(CNTKCTL_EVNTEN | CNTKCTL_EVNTI(10));
	ok = gic_cpu_init(slot, false);
	cella_snprintf(name, sizeof(name), "%s 0x%lx", tc_sec.round ? "cpu_on_again" : "cpu_on",
		       (unsigned long)mpidr);
	if (ctx != tc_sec.ctx)
		tc_check(false, name, "x0=0x%lx, CPU_ON context id was 0x%lx", (unsigned long)ctx,
			 (unsigned long)tc_sec.ctx);
	else
		tc_check(ok, name, "x0=0x%lx slot %u", (unsigned long)ctx, slot);
	dsb_sy();
	tc_sec.up = 1;
	dsb_sy();
	sev();

	if (ok)
		ok = tc_wait_count(&c->sgis[SGI_CROSS], 1, tc_now() + tc_ms(2 * TC_CPU_TIMEOUT_MS),
				   true);
	if (ok) {
		tc_sec.sgi = 1;
		dsb_sy();
		sev();
	}
	irq_mask();
	tc_sec.off_ret = tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	dsb_sy();
	tc_sec.off_returned = 1;
	dsb_sy();
	sev();
	for (;;)
		wfi();
}

static void test_mmio(void)
{
	static const uint8_t periph[4] = { 0x11, 0x10, 0x14, 0x00 };
	static const uint8_t cell[4] = { 0x0d, 0xf0, 0x05, 0xb1 };
	uint32_t typer = mmio_read32(tc_plat.gicd + GICD_TYPER), lines = typer & 0x1f;
	uint32_t id[4], cid[4];
	bool ok = true, cok = true;

	/* room for the SPIs the DTB names (the PL011's), never more than 1020 INTIDs */
	tc_check(lines >= 1 && 32 * (lines + 1) > 32 + tc_plat.uart_spi, "mmio_gicd_typer",
		 "GICD_TYPER 0x%x: ITLinesNumber %u, %u INTIDs", typer, lines,
		 32 * (lines + 1) > 1020 ? 1020 : 32 * (lines + 1));
	for (unsigned i = 0; i < 4; i++) {
		id[i] = mmio_read32(tc_plat.uart + PL011_PERIPHID0 + 4 * i);
		cid[i] = mmio_read32(tc_plat.uart + PL011_CELLID0 + 4 * i);
		ok &= id[i] == periph[i];
		cok &= cid[i] == cell[i];
	}
	tc_check(ok, "mmio_pl011_periphid", "0x%x 0x%x 0x%x 0x%x", id[0], id[1], id[2], id[3]);
	tc_check(cok, "mmio_pl011_cellid", "0x%x 0x%x 0x%x 0x%x", cid[0], cid[1], cid[2], cid[3]);
}

static void test_no_stray_irqs(void)
{
	struct tc_cpu *c = &tc_cpus[0];

	tc_check(c->other_irqs == 0, "no_stray_irqs", "%u unexpected IRQs, last INTID %u",
		 c->other_irqs, c->last_other);
}

void tc_mode_basic(void)
{
	test_psci();
	if (!gic_boot_init()) {
		tc_check(false, "basic", "GIC setup failed, interrupt tests not run");
	} else {
		tc_test_vtimer("vtimer");
		tc_test_sgi_self("sgi_self");
		test_secondaries();
	}
	test_mmio();
	test_no_stray_irqs();
}

