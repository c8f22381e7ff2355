/* test_lifecycle.c - host unit tests of the cell/vCPU state machine (src/core/lifecycle.c):
 * each transition, then every interleaving (to a depth) of the pCPUs of a 3-vCPU cell doing
 * CPU_ON, CPU_OFF, SYSTEM_RESET and SYSTEM_OFF while they start and park vCPUs, then a long
 * random churn; the cell must always be able to stop, with nothing leaked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/lifecycle.h"
#include "lib/err.h"

/* ---- single transitions ---- */

/* a capability's START: only a STOPPED cell, and only once */
static void test_start(void **state)
{
	struct lifecycle lc;
	uint64_t e, x;

	lc_init(&lc, 2);
	assert_int_equal(lc_load(&lc, 0x40080000, 0x44000000), 0);
	assert_int_equal(lc_start(&lc), 0);			/* running: busy */
	assert_true(lc_vcpu_start(&lc, 0, &e, &x));
	assert_int_equal(lc_stop(&lc, false), LC_ACT_REPORT);
	assert_int_equal(lc_start(&lc), 0);			/* still stopping */
	assert_int_equal(lc_vcpu_off(&lc, 0), LC_ACT_STOPPED);
	assert_int_equal(lc_start(&lc), LC_ACT_RELOAD);		/* the one that reloads */
	assert_int_equal(lc.cell, CELL_RESTARTING);
	assert_int_equal(lc_start(&lc), 0);			/* a racing second start */
	assert_int_equal(lc_cpu_on(&lc, 1, 0x40080000, 0), LC_ON_DENIED);
	assert_int_equal(lc_load(&lc, 0x40080000, 0x44000000), 0);
	assert_int_equal(lc.cell, CELL_RUNNING);
	/* a failed reload after a start leaves it stopped, startable again */
	assert_int_equal(lc_stop(&lc, false), LC_ACT_REPORT);
	assert_int_equal(lc_vcpu_off(&lc, 0), LC_ACT_STOPPED);
	assert_int_equal(lc_start(&lc), LC_ACT_RELOAD);
	assert_int_equal(lc_load_failed(&lc), LC_ACT_STOPPED);
	assert_int_equal(lc_start(&lc), LC_ACT_RELOAD);
}

static void test_limit(void **state)
{
	struct lc_limit l = { 0 };
	const uint64_t f = 62500000;

	/* 3 in 10 s: the fourth inside the window is refused, a new window allows again */
	assert_true(lc_limit_take(&l, 100, f, 3, 10));
	assert_true(lc_limit_take(&l, 200, f, 3, 10));
	assert_true(lc_limit_take(&l, 300, f, 3, 10));
	assert_false(lc_limit_take(&l, 400, f, 3, 10));
	assert_false(lc_limit_take(&l, 100 + 10 * f - 1, f, 3, 10));
	assert_true(lc_limit_take(&l, 100 + 10 * f, f, 3, 10));
	/* hostile values: no overflow, max 0 never allows, a counter going back restarts */
	memset(&l, 0, sizeof(l));
	assert_false(lc_limit_take(&l, 5, f, 0, 10));
	assert_true(lc_limit_take(&l, UINT64_MAX, UINT64_MAX, 1, 86400));
	assert_false(lc_limit_take(&l, UINT64_MAX, UINT64_MAX, 1, 86400));
	assert_true(lc_limit_take(&l, 0, UINT64_MAX, 1, 86400));
}

static void test_boot(void **state)
{
	struct lifecycle lc;
	uint64_t e = 0, x = 0;

	(void)state;
	lc_init(&lc, 3);
	assert_int_equal(lc.cell, CELL_STOPPED);
	assert_int_equal(lc_live_vcpus(&lc), 0);
	assert_int_equal(lc_cpu_on(&lc, 1, 0x1000, 7), LC_ON_DENIED);	/* not loaded */
	assert_int_equal(lc_load(&lc, 0x40000000, 0x48000000), 0);
	assert_int_equal(lc_load(&lc, 0, 0), -ERR_BUSY);		/* running */
	assert_int_equal(lc_vcpu_state(&lc, 0), VCPU_ON_PENDING);
	assert_false(lc_runnable(&lc, 0));
	assert_true(lc_start_pending(&lc, 0));
	assert_false(lc_start_pending(&lc, 1));
	assert_false(lc_start_pending(&lc, 3));				/* out of range */
	assert_false(lc_vcpu_start(&lc, 1, &e, &x));			/* not pending */
	assert_true(lc_vcpu_start(&lc, 0, &e, &x));
	assert_false(lc_start_pending(&lc, 0));				/* started */
	assert_int_equal(e, 0x40000000);
	assert_int_equal(x, 0x48000000);
	assert_true(lc_runnable(&lc, 0));
	assert_false(lc_vcpu_start(&lc, 0, &e, &x));			/* only once */
	assert_int_equal(lc_live_vcpus(&lc), 1);
}

static void test_cpu_on_off(void **state)
{
	struct lifecycle lc;
	uint64_t e, x;

	(void)state;
	lc_init(&lc, 2);
	lc_load(&lc, 1, 2);
	lc_vcpu_start(&lc, 0, &e, &x);
	assert_int_equal(lc_cpu_on(&lc, 0, 0x100, 0), LC_ON_ALREADY);
	assert_int_equal(lc_cpu_on(&lc, 2, 0x100, 0), LC_ON_INVALID);
	assert_int_equal(lc_cpu_on(&lc, 0xffffffffu, 0x100, 0), LC_ON_INVALID);
	assert_int_equal(lc_cpu_on(&lc, 1, 0x100, 5), LC_ON_OK);
	assert_int_equal(lc_cpu_on(&lc, 1, 0x200, 6), LC_ON_PENDING);	/* first one wins */
	assert_int_equal(lc_vcpu_state(&lc, 1), VCPU_ON_PENDING);
	assert_true(lc_vcpu_start(&lc, 1, &e, &x));
	assert_int_equal(e, 0x100);
	assert_int_equal(x, 5);
	assert_int_equal(lc_cpu_on(&lc, 1, 0x100, 0), LC_ON_ALREADY);
	assert_int_equal(lc_vcpu_off(&lc, 1), 0);
	assert_int_equal(lc_vcpu_off(&lc, 1), 0);			/* twice: no effect */
	assert_int_equal(lc_live_vcpus(&lc), 1);
	/* the last CPU_OFF stops the cell */
	assert_int_equal(lc_vcpu_off(&lc, 0), LC_ACT_STOPPED | LC_ACT_ALL_OFF);
	assert_int_equal(lc.cell, CELL_STOPPED);
	assert_int_equal(lc_vcpu_state(&lc, 9), VCPU_OFF);
}

static void test_stop_parks(void **state)
{
	struct lifecycle lc;
	uint64_t e, x;

	(void)state;
	lc_init(&lc, 3);
	lc_load(&lc, 1, 2);
	lc_vcpu_start(&lc, 0, &e, &x);
	lc_cpu_on(&lc, 1, 0x100, 0);
	lc_vcpu_start(&lc, 1, &e, &x);
	lc_cpu_on(&lc, 2, 0x100, 0);			/* still pending when the stop comes */
	assert_int_equal(lc_stop(&lc, false), LC_ACT_REPORT);
	assert_int_equal(lc_stop(&lc, true), 0);	/* second request: nothing */
	assert_int_equal(lc_cpu_on(&lc, 2, 0x100, 0), LC_ON_DENIED);
	assert_false(lc_vcpu_start(&lc, 2, &e, &x));	/* a pending vCPU never starts now */
	assert_true(lc_must_park(&lc, 0) && lc_must_park(&lc, 1) && lc_must_park(&lc, 2));
	assert_int_equal(lc_vcpu_off(&lc, 2), 0);
	assert_int_equal(lc_vcpu_off(&lc, 0), 0);
	assert_false(lc_must_park(&lc, 0));
	assert_int_equal(lc_vcpu_off(&lc, 1), LC_ACT_STOPPED);
	assert_int_equal(lc.cell, CELL_STOPPED);
	assert_int_equal(lc_stop(&lc, false), 0);
}

static void test_restart_reload(void **state)
{
	struct lifecycle lc;
	uint64_t e, x;

	(void)state;
	lc_init(&lc, 2);
	lc_load(&lc, 1, 2);
	lc_vcpu_start(&lc, 0, &e, &x);
	lc_cpu_on(&lc, 1, 0x100, 0);
	assert_int_equal(lc_stop(&lc, true), LC_ACT_REPORT);
	assert_int_equal(lc_load(&lc, 3, 4), -ERR_BUSY);	/* vCPUs not parked yet */
	assert_int_equal(lc_vcpu_off(&lc, 0), 0);
	assert_int_equal(lc_vcpu_off(&lc, 1), LC_ACT_RELOAD);
	assert_int_equal(lc.cell, CELL_RESTARTING);
	assert_int_equal(lc_stop(&lc, false), 0);		/* during the reload: ignored */
	{
		struct lifecycle failed = lc;

		assert_int_equal(lc_load_failed(&failed), LC_ACT_STOPPED);
		assert_int_equal(failed.cell, CELL_STOPPED);
		assert_int_equal(lc_load_failed(&failed), 0);
	}
	assert_int_equal(lc_load(&lc, 3, 4), 0);
	assert_int_equal(lc_load_failed(&lc), 0);		/* running: no change */
	assert_int_equal(lc_vcpu_state(&lc, 0), VCPU_ON_PENDING);
	assert_int_equal(lc_vcpu_state(&lc, 1), VCPU_OFF);
	assert_true(lc_vcpu_start(&lc, 0, &e, &x));
	assert_int_equal(e, 3);
}

/* a stop requested when no vCPU is left to park (e.g. vCPU 0 was still pending) finishes */
static void test_stop_with_nothing_live(void **state)
{
	struct lifecycle lc;

	(void)state;
	lc_init(&lc, 1);
	lc_load(&lc, 1, 2);
	assert_int_equal(lc_vcpu_off(&lc, 0), LC_ACT_STOPPED | LC_ACT_ALL_OFF);
	lc_init(&lc, 1);
	lc_load(&lc, 1, 2);
	lc.vcpu[0] = VCPU_OFF;			/* forged: a load with nothing started */
	assert_int_equal(lc_stop(&lc, true), LC_ACT_REPORT | LC_ACT_RELOAD);
	lc_init(&lc, 1);
	lc_load(&lc, 1, 2);
	lc.vcpu[0] = VCPU_OFF;
	assert_int_equal(lc_stop(&lc, false), LC_ACT_REPORT | LC_ACT_STOPPED);
}

static void test_init_clamps(void **state)
{
	struct lifecycle lc;

	(void)state;
	lc_init(&lc, 0);
	assert_int_equal(lc.nr_vcpus, 1);
	lc_init(&lc, 1000);
	assert_int_equal(lc.nr_vcpus, CELLA_MAX_VCPUS);
	assert_int_equal(lc_cpu_on(&lc, CELLA_MAX_VCPUS, 0, 0), LC_ON_INVALID);
	assert_int_equal(lc_vcpu_off(&lc, CELLA_MAX_VCPUS), 0);
	assert_false(lc_must_park(&lc, CELLA_MAX_VCPUS));
}

/* ---- interleavings: a simulated cell of NV vCPUs, one pCPU each ---- */

#define NV 3

/* one pCPU as cell.c's pcpu_loop drives it, plus what its guest does when it runs */
struct sim {
	struct lifecycle lc;
	bool in_guest[NV];	/* the pCPU has reset and entered its vCPU */
	bool promised[NV];	/* CPU_ON said SUCCESS and the vCPU has neither started nor parked */
	bool reload;		/* some pCPU got LC_ACT_RELOAD and must call lc_load */
	unsigned stops, reloads, starts, ons;
};

enum guest_op { G_CPU_ON1, G_CPU_ON2, G_CPU_OFF, G_RESET, G_SYSOFF, G_NR };

static void sim_act(struct sim *s, uint32_t act)
{
	if (act & LC_ACT_STOPPED) {
		assert_int_equal(s->lc.cell, CELL_STOPPED);
		s->stops++;
	}
	if (act & LC_ACT_RELOAD) {
		assert_false(s->reload);
		s->reload = true;
	}
}

/* the loop part of pCPU @p (no guest action): returns false if it has nothing to do */
static bool sim_loop_step(struct sim *s, unsigned p)
{
	uint64_t e, x;

	if (s->reload && p == 0) {
		/* the reloading pCPU is whichever parked last; which one does not matter */
		assert_int_equal(lc_load(&s->lc, 0x1000, 0x2000), 0);
		s->reload = false;
		s->promised[0] = true;
		s->reloads++;
		return true;
	}
	if (lc_must_park(&s->lc, p)) {
		if (s->lc.vcpu[p] == VCPU_ON_PENDING)
			s->promised[p] = false;
		s->in_guest[p] = false;
		sim_act(s, lc_vcpu_off(&s->lc, p));
		return true;
	}
	if (lc_vcpu_start(&s->lc, p, &e, &x)) {
		s->in_guest[p] = true;
		s->promised[p] = false;
		s->starts++;
		return true;
	}
	return false;
}

/* pCPU @p's guest does @op: false if it is not running */
static bool sim_guest_step(struct sim *s, unsigned p, enum guest_op op)
{
	if (!lc_runnable(&s->lc, p))
		return false;
	assert_true(s->in_guest[p]);	/* ON only after its own pCPU started it */
	switch (op) {
	case G_CPU_ON1:
	case G_CPU_ON2: {
		uint32_t t = (p + 1 + (op == G_CPU_ON2)) % NV;
		enum lc_on r = lc_cpu_on(&s->lc, t, 0x3000, t);

		s->ons++;
		if (r == LC_ON_OK) {
			assert_false(s->promised[t]);	/* one SUCCESS per start */
			s->promised[t] = true;
		}
		if (r == LC_ON_PENDING)
			assert_true(s->promised[t]);
		break;
	}
	case G_CPU_OFF:
		s->in_guest[p] = false;
		sim_act(s, lc_vcpu_off(&s->lc, p));
		break;
	case G_RESET:
	case G_SYSOFF:
		sim_act(s, lc_stop(&s->lc, op == G_RESET));
		break;
	default:
		break;
	}
	return true;
}

static void sim_invariants(const struct sim *s)
{
	unsigned live = 0;

	for (unsigned i = 0; i < NV; i++) {
		live += s->lc.vcpu[i] != VCPU_OFF;
		assert_int_equal(s->in_guest[i], s->lc.vcpu[i] == VCPU_ON);
		assert_int_equal(s->promised[i], s->lc.vcpu[i] == VCPU_ON_PENDING);
		assert_int_equal(lc_runnable_hint(&s->lc, i), lc_runnable(&s->lc, i));
	}
	assert_int_equal(lc_live_vcpus(&s->lc), live);
	if (s->lc.cell == CELL_STOPPED)
		assert_int_equal(live, 0);
	if (s->reload)
		assert_true(s->lc.cell == CELL_RESTARTING && live == 0);
	if (s->lc.cell == CELL_RESTARTING && live == 0)
		assert_true(s->reload);		/* someone will reload it: never stuck */
	if (s->lc.cell == CELL_RUNNING)
		assert_true(live > 0);		/* a running cell with no vCPU would hang */
}

/* from any state: every running guest powers off, pCPUs loop; the cell must reach STOPPED with
 * nothing live, in a bounded number of steps */
static void sim_drain(struct sim *s)
{
	for (unsigned round = 0; round < 20 && s->lc.cell != CELL_STOPPED; round++) {
		for (unsigned p = 0; p < NV; p++) {
			while (sim_loop_step(s, p))
				sim_invariants(s);
			sim_guest_step(s, p, G_SYSOFF);
			sim_invariants(s);
		}
	}
	assert_int_equal(s->lc.cell, CELL_STOPPED);
	assert_int_equal(lc_live_vcpus(&s->lc), 0);
	assert_false(s->reload);
}

static unsigned long explored;

/* every sequence of @depth steps; a step is one pCPU either looping or its guest doing one op */
static void sim_explore(const struct sim *s, unsigned depth)
{
	struct sim d;

	explored++;
	d = *s;
	sim_drain(&d);
	if (!depth)
		return;
	for (unsigned p = 0; p < NV; p++) {
		d = *s;
		if (sim_loop_step(&d, p)) {
			sim_invariants(&d);
			sim_explore(&d, depth - 1);
		}
		for (unsigned op = 0; op < G_NR; op++) {
			if (op == G_SYSOFF && depth > 2)
				continue;	/* a power-off ends the interesting part: only late */
			d = *s;
			if (sim_guest_step(&d, p, (enum guest_op)op)) {
				sim_invariants(&d);
				sim_explore(&d, depth - 1);
			}
		}
	}
}

static void sim_boot(struct sim *s)
{
	memset(s, 0, sizeof(*s));
	lc_init(&s->lc, NV);
	assert_int_equal(lc_load(&s->lc, 0x1000, 0x2000), 0);
	s->promised[0] = true;
	sim_invariants(s);
}

static void test_every_interleaving(void **state)
{
	struct sim s;

	(void)state;
	sim_boot(&s);
	explored = 0;
	sim_explore(&s, 9);
	print_message("explored %lu interleavings\n", explored);
	assert_true(explored > 100000);
}

/* CPU_ON again and again at secondaries that CPU_OFF at once (the hole of issue 6, item 1),
 * in the worst orders: the target's start and its CPU_OFF land between two CPU_ONs */
static void test_cpu_on_hammer(void **state)
{
	struct sim s;

	(void)state;
	sim_boot(&s);
	sim_loop_step(&s, 0);
	for (unsigned i = 0; i < 1000; i++) {
		unsigned t = 1 + i % 2;

		sim_guest_step(&s, 0, i & 4 ? G_CPU_ON2 : G_CPU_ON1);
		if (i % 3)
			sim_loop_step(&s, t);		/* starts */
		sim_guest_step(&s, 0, G_CPU_ON1);	/* PENDING / ALREADY, never a 2nd SUCCESS */
		sim_guest_step(&s, t, G_CPU_OFF);
		sim_invariants(&s);
	}
	assert_int_equal(s.lc.cell, CELL_RUNNING);
	sim_guest_step(&s, 0, G_CPU_OFF);		/* the last vCPU off: stopped, not leaked */
	for (unsigned p = 1; p < NV; p++)
		while (sim_loop_step(&s, p))
			sim_guest_step(&s, p, G_CPU_OFF);
	sim_invariants(&s);
	assert_int_equal(s.lc.cell, CELL_STOPPED);
	assert_int_equal(s.stops, 1);
}

static void test_random_churn(void **state)
{
	struct sim s;
	unsigned seed = 12345;

	(void)state;
	sim_boot(&s);
	for (unsigned i = 0; i < 200000; i++) {
		unsigned p, op;

		seed = seed * 1103515245u + 12345u;
		p = (seed >> 16) % NV;
		op = (seed >> 8) % (G_NR + 2);
		if (op >= G_NR)
			sim_loop_step(&s, p);
		else if (op != G_SYSOFF)
			sim_guest_step(&s, p, (enum guest_op)op);
		sim_invariants(&s);
		if (s.lc.cell == CELL_STOPPED) {	/* all off: boot it again */
			assert_int_equal(lc_load(&s.lc, 0x1000, 0x2000), 0);
			s.promised[0] = true;
		}
	}
	print_message("churn: %u starts, %u CPU_ONs, %u reloads, %u stops\n", s.starts, s.ons,
		      s.reloads, s.stops);
	assert_true(s.reloads > 100 && s.starts > 1000 && s.stops > 100);
	sim_drain(&s);
}

/* ---- backoff and budget ---- */

#define HZ 62500000ull

static void test_backoff(void **state)
{
	struct lc_backoff b = { 0 };
	uint64_t now = 1000, d, prev = 0, total = 0;

	(void)state;
	lc_backoff_start(&b, now);
	for (unsigned i = 1; i <= LC_FREE_RESTARTS; i++) {
		now += 100;
		assert_int_equal(lc_backoff_delay(&b, now, HZ), 0);
		lc_backoff_start(&b, now);
	}
	for (unsigned i = 0; i < 40; i++) {
		now += 100;
		d = lc_backoff_delay(&b, now, HZ);
		assert_true(d >= prev);
		assert_true(d <= LC_MAX_DELAY_MS * (HZ / 1000));
		prev = d;
		total += d;
		now += d;
		lc_backoff_start(&b, now);
	}
	assert_int_equal(d, LC_MAX_DELAY_MS * (HZ / 1000));
	assert_true(total > 100 * HZ);		/* 40 fast restarts take minutes, not ms */
	/* a long run forgets */
	now += 2 * HZ;
	assert_int_equal(lc_backoff_delay(&b, now, HZ), 0);
	/* hostile counters: wrap, zero frequency, huge frequency */
	lc_backoff_start(&b, UINT64_MAX);
	for (unsigned i = 0; i < 100; i++)
		(void)lc_backoff_delay(&b, 0, 0);
	assert_true(lc_backoff_delay(&b, 5, UINT64_MAX) == UINT64_MAX ||
		    lc_backoff_delay(&b, 5, UINT64_MAX) > 0);
}

static void test_budget(void **state)
{
	struct lc_budget b = { 0 };
	uint64_t now = 5;
	uint32_t sup = 99, printed = 0;

	(void)state;
	for (unsigned i = 0; i < 100; i++)
		printed += lc_budget_take(&b, now, HZ, &sup);
	assert_int_equal(printed, LC_MSG_BURST);
	assert_int_equal(b.suppressed, 100 - LC_MSG_BURST);
	now += LC_MSG_REFILL_MS * (HZ / 1000);
	assert_true(lc_budget_take(&b, now, HZ, &sup));
	assert_int_equal(sup, 100 - LC_MSG_BURST);
	assert_false(lc_budget_take(&b, now, HZ, &sup));
	/* an hour later: a full burst, no more */
	now += 3600 * HZ;
	printed = 0;
	for (unsigned i = 0; i < 100; i++)
		printed += lc_budget_take(&b, now, HZ, &sup);
	assert_int_equal(printed, LC_MSG_BURST);
	/* a counter that goes backwards or wraps never refills */
	printed = 0;
	for (unsigned i = 0; i < 100; i++)
		printed += lc_budget_take(&b, now - 1 - i, HZ, &sup);
	assert_int_equal(printed, 0);
	assert_false(lc_budget_take(&b, UINT64_MAX, 0, &sup) && lc_budget_take(&b, UINT64_MAX, 0, &sup) &&
		     lc_budget_take(&b, UINT64_MAX, 0, &sup) && lc_budget_take(&b, UINT64_MAX, 0, &sup) &&
		     lc_budget_take(&b, UINT64_MAX, 0, &sup) && lc_budget_take(&b, UINT64_MAX, 0, &sup) &&
		     lc_budget_take(&b, UINT64_MAX, 0, &sup) && lc_budget_take(&b, UINT64_MAX, 0, &sup) &&
		     lc_budget_take(&b, UINT64_MAX, 0, &sup));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot),
		cmocka_unit_test(test_cpu_on_off),
		cmocka_unit_test(test_stop_parks),
		cmocka_unit_test(test_restart_reload),
		cmocka_unit_test(test_stop_with_nothing_live),
		cmocka_unit_test(test_init_clamps),
		cmocka_unit_test(test_every_interleaving),
		cmocka_unit_test(test_cpu_on_hammer),
		cmocka_unit_test(test_random_churn),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
