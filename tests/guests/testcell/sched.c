/* sched.c - modes for the vCPU scheduler's tests: a periodic task on the virtual timer that
 * measures how late it wakes, and busy loops (interrupts unmasked, or all of DAIF masked) that
 * count their iterations and the counter time they were kept off their pCPU.
 *
 *   testcell.mode=periodic testcell.period-us=P testcell.periods=K [testcell.delay-ms=W]
 *	sleeps W ms (default 0), then wakes from WFI on its virtual timer at d_i = start + i * P
 *	(i = 1..K) and measures each wake's lateness CNTVCT - d_i. Deadlines are absolute: a late
 *	wake does not move the next one. Prints "PERIODIC done periods=K max_late_us=X
 *	median_late_us=Y".
 *   testcell.mode=spin testcell.spin-ms=T
 *	busy loop, interrupts unmasked, until the counter passes start + T ms (T = 0: forever),
 *	with a progress line "SPIN running ..." every 500 ms of counter time. Prints "SPIN done
 *	iterations=N away_ms=A gaps=G max_away_us=M".
 *   testcell.mode=spin-masked testcell.spin-ms=T
 *	the same with PSTATE.DAIF all masked during the loop: "SPIN-MASKED done iterations=N ...".
 *
 * The counter (CNTVCT) runs whether or not the vCPU runs, so a gap of at least SPIN_AWAY_US
 * between two reads of the loop is time the vCPU was off its pCPU (or QEMU's thread off the
 * host's CPU): the spinners report their sum and largest. Each mode then returns and tc_main
 * powers the cell off (TESTCELL DONE, PSCI SYSTEM_OFF). */
#include <stdbool.h>
#include <stdint.h>

#include "lib/printf.h"
#include "testcell.h"

#define PERIODIC_MAX 4096		/* periods one run measures */
#define PERIODIC_WAIT_MS 10000		/* a wake later than this is a missing interrupt */
#define SPIN_AWAY_US 1000		/* a gap between two loop reads this long: descheduled */
#define SPIN_REPORT_MS 500		/* progress lines this far apart in counter time */

static uint64_t late[PERIODIC_MAX];	/* lateness of each period, in counter ticks */

/* counter ticks to microseconds, without overflow for any tick count */
static uint64_t us_of(uint64_t ticks)
{
	return ticks / tc_plat.freq * 1000000 + ticks % tc_plat.freq * 1000000 / tc_plat.freq;
}

static uint64_t ticks_of_us(uint64_t us)
{
	return us / 1000000 * tc_plat.freq + us % 1000000 * tc_plat.freq / 1000000;
}

/* Wait in WFI until the timer handler has counted @target, or CNTVCT passes @deadline. With
 * IRQs masked around the check and the WFI, an IRQ in between is not lost (it wakes the WFI
 * and is taken at the unmask). At the deadline, one last unmask takes an IRQ still pending, so
 * a vCPU that was kept off its pCPU past the deadline still sees its interrupt. */
static bool wait_timer(struct tc_cpu *c, uint32_t target, uint64_t deadline)
{
	for (;;) {
		irq_mask();
		if ((int32_t)(c->timer_irqs - target) >= 0) {
			irq_unmask();
			return true;
		}
		if (tc_now() >= deadline) {
			irq_unmask();
			return (int32_t)(c->timer_irqs - target) >= 0;
		}
		wfi();
		irq_unmask();
	}
}

/* One virtual-timer interrupt at CNTVCT = @at; false if none came by @at + PERIODIC_WAIT_MS. */
static bool timer_at(struct tc_cpu *c, uint64_t at)
{
	uint32_t target = c->timer_irqs + 1;
	bool ok;

	write_cntv_cval_el0(at);
	write_cntv_ctl_el0(CNTV_CTL_ENABLE);
	isb();
	ok = wait_timer(c, target, at + tc_ms(PERIODIC_WAIT_MS));
	write_cntv_ctl_el0(0);
	isb();
	return ok;
}

/* sort @n values in place (Shell sort: no recursion, fine for PERIODIC_MAX) */
static void sort_u64(uint64_t *v, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap = gap == 2 ? 1 : gap * 5 / 11) {
		for (unsigned i = gap; i < n; i++) {
			uint64_t x = v[i];
			unsigned j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

void tc_mode_periodic(void)
{
	struct tc_cpu *c = &tc_cpus[tc_slot()];
	uint64_t period_us = tc_arg("testcell.period-us", 2000);
	uint64_t periods = tc_arg("testcell.periods", 100);
	uint64_t delay_ms = tc_arg("testcell.delay-ms", 0);
	uint64_t period, start, max = 0, sum = 0, median = 0, over_1ms = 0;
	unsigned n = 0, early = 0, worst = 0;
	bool ok = true;

	if (period_us < 100 || period_us > 10000000 || periods < 1 || periods > PERIODIC_MAX ||
	    delay_ms > 60000) {
		tc_check(false, "periodic", "period-us %lu (100..10000000), periods %lu (1..%u), "
			 "delay-ms %lu (..60000)", (unsigned long)period_us,
			 (unsigned long)periods, PERIODIC_MAX, (unsigned long)delay_ms);
		return;
	}
	if (!gic_boot_init())
		return;
	period = ticks_of_us(period_us);
	if (delay_ms && !timer_at(c, tc_now() + tc_ms(delay_ms))) {
		tc_check(false, "periodic", "no timer interrupt for the %lu ms delay",
			 (unsigned long)delay_ms);
		return;
	}
	tc_line("PERIODIC start period_us=%lu periods=%lu", (unsigned long)period_us,
		(unsigned long)periods);
	start = tc_now();
	for (n = 0; n < periods; n++) {
		uint64_t d = start + (n + 1) * period;

		ok = timer_at(c, d);
		if (!ok)
			break;
		if (c->timer_at < d) {		/* the timer fired before its deadline */
			early++;
			late[n] = 0;
		} else {
			late[n] = c->timer_at - d;
		}
		sum += late[n];
		over_1ms += late[n] >= tc_ms(1);
		if (late[n] > max) {
			max = late[n];
			worst = n + 1;
		}
	}
	if (n) {
		sort_u64(late, n);
		median = late[n / 2];
	}
	tc_line("PERIODIC stats mean_late_us=%lu late_over_1ms=%lu worst_period=%u early=%u",
		(unsigned long)(n ? us_of(sum / n) : 0), (unsigned long)over_1ms, worst, early);
	tc_line("PERIODIC done periods=%u max_late_us=%lu median_late_us=%lu", n,
		(unsigned long)us_of(max), (unsigned long)us_of(median));
	tc_check(ok && !early, "periodic", "%u/%lu wake-ups, %u before their deadline", n,
		 (unsigned long)periods, early);
}

static void spin(const char *name, bool masked)
{
	uint64_t ms = tc_arg("testcell.spin-ms", 1000);
	uint64_t away_min = ticks_of_us(SPIN_AWAY_US), every = tc_ms(SPIN_REPORT_MS);
	uint64_t start, end, next, last, now, n = 0, away = 0, max_away = 0, gaps = 0;

	tc_line("%s start spin_ms=%lu%s", name, (unsigned long)ms, ms ? "" : " (forever)");
	if (masked)
		__asm__ volatile("msr daifset, #0xf" ::: "memory");
	start = last = tc_now();
	end = start + tc_ms(ms);
	next = start + every;
	for (;;) {
		now = tc_now();
		n++;
		if (now - last >= away_min) {
			gaps++;
			away += now - last;
			if (now - last > max_away)
				max_away = now - last;
		}
		last = now;
		if (ms && now >= end)
			break;
		if (now >= next) {
			tc_line("%s running iterations=%lu away_ms=%lu", name, (unsigned long)n,
				(unsigned long)(us_of(away) / 1000));
			next += every;
			last = tc_now();	/* the line's own time is not time away */
		}
	}
	if (masked)
		__asm__ volatile("msr daifclr, #0xf\n\tisb" ::: "memory");
	tc_line("%s done iterations=%lu away_ms=%lu gaps=%lu max_away_us=%lu", name,
		(unsigned long)n, (unsigned long)(us_of(away) / 1000), (unsigned long)gaps,
		(unsigned long)us_of(max_away));
	tc_check(n > 0, masked ? "spin_masked" : "spin", "%lu iterations in %lu ms",
		 (unsigned long)n, (unsigned long)ms);
}

void tc_mode_spin(void)
{
	spin("SPIN", false);
}

void tc_mode_spin_masked(void)
{
	spin("SPIN-MASKED", true);
}

/* testcell.mode=bench-switch testcell.from-ms=A testcell.to-ms=B: for `make bench` (QEMU
 * -icount shift=0: 1 instruction = 1 ns). Two cells run this at equal priority with a short
 * time slice on one pCPU. Between counter times A and B (absolute, the same for both) each
 * reads CNTVCT in a tight loop: a step of more than a few ticks is time away (the other
 * cell's turn and two switches), the rest is its own run time. The bench sums both cells'
 * run times and gaps: (B - A - runs) / gaps is the cost of one preemptive switch (timer
 * interrupt, scheduler, save, restore, entry). Prints ticks; then powers the cell off. */
void tc_mode_bench_switch(void)
{
	const uint64_t freq = read_cntfrq_el0();
	uint64_t from = tc_arg("testcell.from-ms", 500) * freq / 1000;
	uint64_t to = tc_arg("testcell.to-ms", 600) * freq / 1000;
	uint64_t prev, now, run = 0, gaps = 0, away = 0;

	while ((now = read_cntvct_el0()) < from)
		;
	prev = now;
	while (now < to) {
		uint64_t d;

		now = read_cntvct_el0();
		d = now - prev;
		if (d > 8) {		/* the loop takes about one tick: this was away */
			gaps++;
			away += d;
		} else {
			run += d;
		}
		prev = now;
	}
	tc_line("BENCH switch run_ticks=%lu gaps=%lu away_ticks=%lu window_ticks=%lu",
		(unsigned long)run, (unsigned long)gaps, (unsigned long)away,
		(unsigned long)(to - from));
}
