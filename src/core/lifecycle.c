/* lifecycle.c - the cell and vCPU state machine, restart backoff and message budget (pure). */
#include <stdbool.h>
#include <stdint.h>
#include "core/lifecycle.h"
#include "lib/err.h"

/* every write of a state is an atomic store, so lc_runnable_hint may read without the lock */
static void set_cell(struct lifecycle *lc, uint32_t st)
{
	__atomic_store_n(&lc->cell, st, __ATOMIC_RELAXED);
}

static void set_vcpu(struct lifecycle *lc, uint32_t v, uint32_t st)
{
	__atomic_store_n(&lc->vcpu[v], st, __ATOMIC_RELAXED);
}

void lc_init(struct lifecycle *lc, uint32_t nr_vcpus)
{
	if (nr_vcpus < 1)
		nr_vcpus = 1;
	if (nr_vcpus > CELLA_MAX_VCPUS)
		nr_vcpus = CELLA_MAX_VCPUS;
	set_cell(lc, CELL_STOPPED);
	lc->nr_vcpus = nr_vcpus;
	for (uint32_t i = 0; i < CELLA_MAX_VCPUS; i++) {
		set_vcpu(lc, i, VCPU_OFF);
		lc->entry[i] = lc->context[i] = 0;
	}
}

uint32_t lc_live_vcpus(const struct lifecycle *lc)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < lc->nr_vcpus; i++)
		n += lc->vcpu[i] != VCPU_OFF;
	return n;
}

int lc_load(struct lifecycle *lc, uint64_t entry, uint64_t context)
{
	if ((lc->cell != CELL_STOPPED && lc->cell != CELL_RESTARTING) || lc_live_vcpus(lc))
		return -ERR_BUSY;
	lc->entry[0] = entry;
	lc->context[0] = context;
	set_vcpu(lc, 0, VCPU_ON_PENDING);
	set_cell(lc, CELL_RUNNING);
	return 0;
}

uint32_t lc_start(struct lifecycle *lc)
{
	if (lc->cell != CELL_STOPPED || lc_live_vcpus(lc))
		return 0;
	set_cell(lc, CELL_RESTARTING);
	return LC_ACT_RELOAD;
}

bool lc_limit_take(struct lc_limit *l, uint64_t now, uint64_t freq, uint32_t max,
		   uint32_t window_s)
{
	/* window in ticks, saturating: freq * window_s may not fit */
	uint64_t window = window_s && freq > UINT64_MAX / window_s ? UINT64_MAX
								   : freq * window_s;

	if (!l->primed || now < l->window_start || now - l->window_start >= window) {
		l->primed = true;
		l->window_start = now;
		l->count = 0;
	}
	if (l->count >= max)
		return false;
	l->count++;
	return true;
}

uint32_t lc_load_failed(struct lifecycle *lc)
{
	if (lc->cell != CELL_RESTARTING || lc_live_vcpus(lc))
		return 0;
	set_cell(lc, CELL_STOPPED);
	return LC_ACT_STOPPED;
}

enum lc_on lc_cpu_on(struct lifecycle *lc, uint32_t target, uint64_t entry, uint64_t context)
{
	if (target >= lc->nr_vcpus)	/* the index comes from a guest MPIDR lookup: bound it */
		return LC_ON_INVALID;
	if (lc->cell != CELL_RUNNING)
		return LC_ON_DENIED;
	switch (lc->vcpu[target]) {
	case VCPU_ON:
		return LC_ON_ALREADY;
	case VCPU_ON_PENDING:
		return LC_ON_PENDING;
	default:
		lc->entry[target] = entry;
		lc->context[target] = context;
		set_vcpu(lc, target, VCPU_ON_PENDING);
		return LC_ON_OK;
	}
}

bool lc_start_pending(const struct lifecycle *lc, uint32_t v)
{
	return v < lc->nr_vcpus && lc->cell == CELL_RUNNING && lc->vcpu[v] == VCPU_ON_PENDING;
}

bool lc_vcpu_start(struct lifecycle *lc, uint32_t v, uint64_t *entry, uint64_t *context)
{
	if (!lc_start_pending(lc, v))
		return false;
	set_vcpu(lc, v, VCPU_ON);
	*entry = lc->entry[v];
	*context = lc->context[v];
	return true;
}

/* the last vCPU parked: finish what the cell state asked for */
static uint32_t lc_finish(struct lifecycle *lc)
{
	switch (lc->cell) {
	case CELL_RUNNING:
		set_cell(lc, CELL_STOPPED);
		return LC_ACT_STOPPED | LC_ACT_ALL_OFF;
	case CELL_STOPPING:
		set_cell(lc, CELL_STOPPED);
		return LC_ACT_STOPPED;
	case CELL_RESTARTING:
		return LC_ACT_RELOAD;	/* stays RESTARTING until lc_load */
	default:
		return 0;
	}
}

uint32_t lc_vcpu_off(struct lifecycle *lc, uint32_t v)
{
	if (v >= lc->nr_vcpus || lc->vcpu[v] == VCPU_OFF)
		return 0;
	set_vcpu(lc, v, VCPU_OFF);
	return lc_live_vcpus(lc) ? 0 : lc_finish(lc);
}

uint32_t lc_stop(struct lifecycle *lc, bool restart)
{
	if (lc->cell != CELL_RUNNING)
		return 0;
	set_cell(lc, restart ? CELL_RESTARTING : CELL_STOPPING);
	return LC_ACT_REPORT | (lc_live_vcpus(lc) ? 0 : lc_finish(lc));
}

bool lc_must_park(const struct lifecycle *lc, uint32_t v)
{
	return v < lc->nr_vcpus && lc->cell != CELL_RUNNING && lc->vcpu[v] != VCPU_OFF;
}


bool lc_runnable(const struct lifecycle *lc, uint32_t v)
{
	return v < lc->nr_vcpus && lc->cell == CELL_RUNNING && lc->vcpu[v] == VCPU_ON;
}

uint32_t lc_vcpu_state(const struct lifecycle *lc, uint32_t v)
{
	return v < lc->nr_vcpus ? lc->vcpu[v] : VCPU_OFF;
}

/* ---- restart backoff ---- */

/* @ms milliseconds in ticks of a @freq Hz counter, saturating */
static uint64_t ms_ticks(uint64_t ms, uint64_t freq)
{
	uint64_t per_ms = freq / 1000 ? freq / 1000 : 1;

	return ms > UINT64_MAX / per_ms ? UINT64_MAX : ms * per_ms;
}

void lc_backoff_start(struct lc_backoff *b, uint64_t now)
{
	b->started = now;
}

uint64_t lc_backoff_delay(struct lc_backoff *b, uint64_t now, uint64_t freq)
{
	uint64_t ran = now >= b->started ? now - b->started : 0;
	uint32_t shift;
	uint64_t ms;

	if (ran >= ms_ticks(LC_FAST_RUN_MS, freq))
		b->fast = 0;
	else if (b->fast < 64)
		b->fast++;
	if (b->fast <= LC_FREE_RESTARTS)
		return 0;
	shift = b->fast - LC_FREE_RESTARTS - 1;
	ms = LC_MAX_DELAY_MS;
	if (shift < 16 && ((uint64_t)LC_FIRST_DELAY_MS << shift) < LC_MAX_DELAY_MS)
		ms = (uint64_t)LC_FIRST_DELAY_MS << shift;
	return ms_ticks(ms, freq);
}

/* ---- message budget ---- */

bool lc_budget_take(struct lc_budget *b, uint64_t now, uint64_t freq, uint32_t *suppressed)
{
	uint64_t period = ms_ticks(LC_MSG_REFILL_MS, freq);

	if (!b->primed) {
		b->primed = true;
		b->tokens = LC_MSG_BURST;
		b->last = now;
	} else if (now > b->last && now - b->last >= period) {
		uint64_t add = (now - b->last) / period;

		b->tokens = add >= LC_MSG_BURST - b->tokens ? LC_MSG_BURST : b->tokens + (uint32_t)add;
		b->last += add * period;	/* add * period <= now - last: no overflow */
	} else if (now < b->last) {
		b->last = now;			/* a counter that went back: restart the period */
	}
	if (!b->tokens) {
		if (b->suppressed < UINT32_MAX)
			b->suppressed++;
		return false;
	}
	b->tokens--;
	*suppressed = b->suppressed;
	b->suppressed = 0;
	return true;
}
