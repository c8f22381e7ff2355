/* pcpu.c - pCPUs and the loop each runs: the vCPUs of a shared pCPU by priority (sched.h), a
 * vCPU alone on its pCPU with no scheduling at all; lifecycle decisions for the vCPU chosen
 * taken under its cell's lock (lifecycle.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cella/abi.h>
#include "core/cell.h"
#include "lib/log.h"
#include "lib/util.h"

static struct pcpu pcpus[CELLA_MAX_PCPUS];
static uint32_t nr_pcpus;

uint32_t pcpu_setup(uint32_t n, const uint64_t *mpidr)
{
	nr_pcpus = n < CELLA_MAX_PCPUS ? n : CELLA_MAX_PCPUS;
	for (uint32_t i = 0; i < nr_pcpus; i++) {
		pcpus[i].id = i;
		pcpus[i].mpidr = mpidr[i];
	}
	return nr_pcpus;
}

struct pcpu *pcpu_get(uint32_t id)
{
	return id < nr_pcpus ? &pcpus[id] : NULL;
}

uint32_t pcpu_count(void)
{
	return nr_pcpus;
}

struct pcpu *this_pcpu(void)
{
	return &pcpus[arch_pcpu_id() % CELLA_MAX_PCPUS];
}

int pcpu_add_vcpu(struct vcpu *v)
{
	struct pcpu *p = pcpu_get(v->pcpu);
	const struct sysdesc_cell *d = v->cell->desc;
	uint64_t slice = (uint64_t)d->slice_us * arch_counter_freq() / 1000000u;

	if (!p)
		return -1;
	v->se = (struct sched_entity){
		.prio = d->priority, .slice = slice ? slice : 1, .wake_at = SCHED_NEVER,
	};
	v->wait_until = SCHED_NEVER;
	if (sched_add(&p->rq, &v->se))
		return -1;
	if (!p->vcpu)
		p->vcpu = v;
	p->shared = p->rq.nr > 1;
	return 0;
}

void vcpu_kick(struct vcpu *v)
{
	struct pcpu *me;

	if (arch_pcpu_id() != v->pcpu) {
		arch_kick_pcpu(pcpus[v->pcpu].mpidr);
		return;
	}
	/* this pCPU: the vCPU it runs (if another) returns to the loop, which sees @v's news */
	me = this_pcpu();
	if (me->shared && me->loaded)
		vcpu_exit_loop(me->loaded);
}

/* ---- the pCPU loop: the vCPUs of this pCPU by priority (sched.h), the lifecycle's
 * decisions for the one chosen under its cell's lock; alone on its pCPU a vCPU is simply
 * run whenever its lifecycle allows (no tick, WFI not trapped, no switch after the first) ---- */

static bool first_guest_entry = true;

#define PRIO_PARK (SYSDESC_PRIO_MAX + 1)	/* a vCPU that must park goes first: it is quick */

static struct vcpu *vcpu_of(struct sched_entity *e)
{
	return (struct vcpu *)((char *)e - offsetof(struct vcpu, se));
}

/* does the lifecycle give @v something to do here (run, start, or park)? A snapshot. */
static bool vcpu_wants_pcpu(struct vcpu *v, bool *park)
{
	struct cell *c = v->cell;
	bool want;

	*park = false;
	if (lc_runnable_hint(&c->lc, v->id))
		return true;
	spin_lock(&c->lock);
	*park = lc_must_park(&c->lc, v->id);
	want = *park || lc_runnable(&c->lc, v->id) || lc_start_pending(&c->lc, v->id);
	spin_unlock(&c->lock);
	return want;
}

/* does blocked @v still wait at @now (WFI, or CELLA_FN_WAIT until wait_until)? If not, it is
 * unblocked, and a WAIT whose time passed first answers CELLA_E_TIMEOUT in its x0. */
static bool vcpu_still_blocked(struct vcpu *v, uint64_t now)
{
	if (arch_vcpu_irq_pending(v, now))
		;
	else if (now < v->wait_until)
		return true;
	else
		arch_regs_args(&v->arch)[0] = (uint64_t)(int64_t)CELLA_E_TIMEOUT;
	v->blocked = false;
	v->wait_until = SCHED_NEVER;
	return false;
}

/* bring every entity of this pCPU up to date at @now and choose who runs */
static struct vcpu *pcpu_pick(struct pcpu *me, uint64_t now)
{
	struct sched_entity *e;

	for (uint32_t i = 0; i < me->rq.nr; i++) {
		struct vcpu *v = vcpu_of(me->rq.e[i]);
		bool park;

		v->se.wake_at = SCHED_NEVER;
		if (!vcpu_wants_pcpu(v, &park)) {
			v->se.runnable = false;
			v->blocked = false;	/* off or stopped: a start begins afresh */
			v->wait_until = SCHED_NEVER;
			continue;
		}
		v->se.prio = park ? PRIO_PARK : v->cell->desc->priority;
		if (v->blocked && !park && vcpu_still_blocked(v, now)) {
			uint64_t t = arch_vcpu_timer_deadline(v);

			v->se.runnable = false;
			v->se.wake_at = t < v->wait_until ? t : v->wait_until;
			continue;
		}
		v->blocked = false;
		v->se.runnable = true;
	}
	e = sched_pick(&me->rq, now);
	return e ? vcpu_of(e) : NULL;
}

void pcpu_loop(void)
{
	struct pcpu *me = this_pcpu();

	arch_pcpu_set_shared(me->shared);
	for (;;) {
		struct vcpu *v = me->vcpu;
		struct cell *c;
		uint64_t entry = 0, ctx = 0;
		bool park, start, run;

		if (me->shared) {
			uint64_t now = arch_counter();

			if (me->loaded && me->loaded->yielded) {
				me->loaded->yielded = false;
				sched_end_slice(&me->rq);
			}
			v = pcpu_pick(me, now);
			arch_timer_event(sched_next_event(&me->rq));
		}
		if (!v) {
			arch_idle();
			continue;
		}
		/* alone on its pCPU, only CELLA_FN_WAIT blocks a vCPU (WFI is not trapped) */
		if (__builtin_expect(!me->shared && v->blocked, 0) &&
		    lc_runnable_hint(&v->cell->lc, v->id) && vcpu_still_blocked(v, arch_counter())) {
			arch_timer_event(v->wait_until);
			arch_idle();
			continue;
		}
		if (v != me->loaded) {
			arch_vcpu_switch(me->loaded, v);
			me->loaded = v;
		}
		v->exit_loop = false;
		c = v->cell;
		/* the common case, a running vCPU of a running cell, needs no lock (lifecycle.h) */
		if (lc_runnable_hint(&c->lc, v->id)) {
			arch_vcpu_run(v);
			continue;
		}
		/* one decision under the lock; a change after it kicks this pCPU, so the guest
		 * entered below exits at once and the next turn sees the change */
		spin_lock(&c->lock);
		park = lc_must_park(&c->lc, v->id);
		start = !park && lc_vcpu_start(&c->lc, v->id, &entry, &ctx);
		run = start || lc_runnable(&c->lc, v->id);
		spin_unlock(&c->lock);
		if (park) {
			vcpu_power_off(v);	/* parking the last vCPU may reload the cell */
			continue;
		}
		if (start) {
			v->blocked = false;
			v->wait_until = SCHED_NEVER;
			arch_vcpu_reset(v, entry, ctx);
			if (first_guest_entry && v->id == 0 && c->id == 0) {
				uint64_t t = arch_counter();

				first_guest_entry = false;
				pr_info("first guest instruction at cntpct=%llu\n",
					(unsigned long long)t);
			}
		}
		if (!run) {
			if (!me->shared)
				arch_idle();
			continue;
		}
		arch_vcpu_run(v);
	}
}
