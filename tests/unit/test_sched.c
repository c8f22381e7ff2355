/* test_sched.c - host unit tests of the per-pCPU scheduling decision (src/core/sched.c):
 * priorities, round robin with slices, preemption, yield, the tick rule, idle and wake times. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/sched.h"

static struct runq rq;
static struct sched_entity ent[SCHED_MAX + 1];

static struct sched_entity *add(uint32_t prio, uint64_t slice)
{
	struct sched_entity *e = &ent[rq.nr];

	*e = (struct sched_entity){ .prio = prio, .slice = slice, .runnable = true,
				    .wake_at = SCHED_NEVER };
	assert_int_equal(sched_add(&rq, e), 0);
	return e;
}

static int setup(void **state)
{
	memset(&rq, 0, sizeof(rq));
	memset(ent, 0, sizeof(ent));
	return 0;
}

static void test_alone(void **state)
{
	struct sched_entity *a = add(100, 10);

	assert_ptr_equal(sched_pick(&rq, 0), a);
	/* alone: no tick, however long it runs */
	assert_true(sched_next_event(&rq) == SCHED_NEVER);
	assert_ptr_equal(sched_pick(&rq, 1000), a);
	assert_true(sched_next_event(&rq) == SCHED_NEVER);
	a->runnable = false;
	assert_null(sched_pick(&rq, 1001));		/* idle */
	assert_true(sched_next_event(&rq) == SCHED_NEVER);
	a->wake_at = 2000;
	assert_true(sched_next_event(&rq) == 2000);
}

static void test_round_robin(void **state)
{
	struct sched_entity *a = add(100, 10), *b = add(100, 10);

	assert_ptr_equal(sched_pick(&rq, 0), a);
	assert_true(sched_next_event(&rq) == 10);	/* the tick: b waits at a's priority */
	assert_ptr_equal(sched_pick(&rq, 5), a);	/* within its slice */
	assert_ptr_equal(sched_pick(&rq, 10), b);
	assert_true(sched_next_event(&rq) == 20);
	assert_ptr_equal(sched_pick(&rq, 19), b);
	assert_ptr_equal(sched_pick(&rq, 20), a);
	/* b blocks: a alone, no tick */
	b->runnable = false;
	assert_ptr_equal(sched_pick(&rq, 25), a);
	assert_true(sched_next_event(&rq) == SCHED_NEVER);
}

static void test_fair_shares(void **state)
{
	struct sched_entity *e[3] = { add(7, 4), add(7, 4), add(7, 4) };
	unsigned ran[3] = { 0 };

	for (uint64_t t = 0; t < 1200; t++) {
		struct sched_entity *p = sched_pick(&rq, t);

		for (int i = 0; i < 3; i++)
			ran[i] += p == e[i];
	}
	for (int i = 0; i < 3; i++)
		assert_int_equal(ran[i], 400);
}

static void test_priority_preempts(void **state)
{
	struct sched_entity *lo = add(10, 1000), *hi = add(200, 1000);

	hi->runnable = false;
	hi->wake_at = 30;
	assert_ptr_equal(sched_pick(&rq, 0), lo);
	/* lo alone at its priority: no tick, but hi's wake time is an event */
	assert_true(sched_next_event(&rq) == 30);
	hi->runnable = true;
	assert_ptr_equal(sched_pick(&rq, 3), hi);	/* at once, though lo's slice runs on */
	assert_true(sched_next_event(&rq) == SCHED_NEVER);	/* lo is lower: no tick */
	assert_ptr_equal(sched_pick(&rq, 2000), hi);	/* hi keeps it past its slice */
	hi->runnable = false;
	hi->wake_at = SCHED_NEVER;
	assert_ptr_equal(sched_pick(&rq, 2001), lo);
	assert_true(rq.slice_end == 3001);		/* lo starts a new slice */
}

static void test_yield(void **state)
{
	struct sched_entity *a = add(5, 100), *b = add(5, 100), *c = add(4, 100);

	assert_ptr_equal(sched_pick(&rq, 0), a);
	sched_end_slice(&rq);
	assert_ptr_equal(sched_pick(&rq, 1), b);	/* an equal runs */
	sched_end_slice(&rq);
	assert_ptr_equal(sched_pick(&rq, 2), a);
	/* yielding never lets a lower priority in */
	b->runnable = false;
	sched_end_slice(&rq);
	assert_ptr_equal(sched_pick(&rq, 3), a);
	assert_true(rq.slice_end == 103);
	(void)c;
}

static void test_blocked_cur(void **state)
{
	struct sched_entity *a = add(5, 10), *b = add(5, 10);

	assert_ptr_equal(sched_pick(&rq, 0), a);
	a->runnable = false;				/* WFI */
	assert_ptr_equal(sched_pick(&rq, 1), b);	/* b gets a fresh slice */
	assert_true(rq.slice_end == 11);
	a->runnable = true;				/* woken: waits for b's slice */
	assert_ptr_equal(sched_pick(&rq, 2), b);
	assert_true(sched_next_event(&rq) == 11);
	assert_ptr_equal(sched_pick(&rq, 11), a);
}

static void test_time_overflow(void **state)
{
	struct sched_entity *a = add(1, UINT64_MAX / 2), *b = add(1, 10);

	assert_ptr_equal(sched_pick(&rq, UINT64_MAX - 5), a);
	assert_true(rq.slice_end == SCHED_NEVER);	/* saturates, never wraps to the past */
	assert_ptr_equal(sched_pick(&rq, UINT64_MAX - 4), a);
	(void)b;
}

static void test_full(void **state)
{
	for (uint32_t i = 0; i < SCHED_MAX; i++)
		add(1, 1);
	ent[SCHED_MAX] = (struct sched_entity){ .prio = 1, .slice = 1 };
	assert_int_equal(sched_add(&rq, &ent[SCHED_MAX]), -1);
	assert_int_equal(rq.nr, SCHED_MAX);
}

/* every runnable set and current entity of three entities over two priorities: the pick is a
 * runnable entity of the top priority, and the tick is armed exactly when it has company */
static void test_exhaustive(void **state)
{
	for (uint32_t prios = 0; prios < 8; prios++) {
		for (uint32_t run = 0; run < 8; run++) {
			for (uint32_t cur = 0; cur < 4; cur++) {
				struct sched_entity *e[3], *p;
				uint32_t top = 0, at_top = 0;

				setup(NULL);
				for (int i = 0; i < 3; i++) {
					e[i] = add((prios >> i) & 1 ? 2 : 1, 10);
					e[i]->runnable = (run >> i) & 1;
				}
				rq.cur = cur < 3 ? e[cur] : NULL;
				rq.slice_end = 5;
				p = sched_pick(&rq, 7);
				for (int i = 0; i < 3; i++)
					if (e[i]->runnable && e[i]->prio > top)
						top = e[i]->prio;
				for (int i = 0; i < 3; i++)
					at_top += e[i]->runnable && e[i]->prio == top;
				if (!run) {
					assert_null(p);
					continue;
				}
				assert_non_null(p);
				assert_true(p->runnable && p->prio == top);
				assert_true((sched_next_event(&rq) != SCHED_NEVER) == (at_top > 1));
			}
		}
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_alone, setup),
		cmocka_unit_test_setup(test_round_robin, setup),
		cmocka_unit_test_setup(test_fair_shares, setup),
		cmocka_unit_test_setup(test_priority_preempts, setup),
		cmocka_unit_test_setup(test_yield, setup),
		cmocka_unit_test_setup(test_blocked_cur, setup),
		cmocka_unit_test_setup(test_time_overflow, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_exhaustive, setup),
	};

	return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
