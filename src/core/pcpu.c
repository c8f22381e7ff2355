/* pcpu.c - pCPUs and the loop each runs: static partitioning, one pinned vCPU per pCPU, its
 * lifecycle decisions taken under its cell's lock (lifecycle.h). */
#include <stdbool.h>
#include <stdint.h>
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

void vcpu_kick(struct vcpu *v)
{
	if (arch_pcpu_id() != v->pcpu)
		arch_kick_pcpu(pcpus[v->pcpu].mpidr);
}

/* ---- the pCPU loop: static partitioning, one pinned vCPU per pCPU ---- */

static bool first_guest_entry = true;

void pcpu_loop(void)
{
	struct pcpu *me = this_pcpu();
	struct vcpu *v = me->vcpu;

	for (;;) {
		struct cell *c;
		uint64_t entry = 0, ctx = 0;
		bool park, start, run;

		if (!v) {
			arch_idle();
			continue;
		}
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
			arch_vcpu_reset(v, entry, ctx);
			if (first_guest_entry && v->id == 0 && c->id == 0) {
				uint64_t t = arch_counter();

				first_guest_entry = false;
				pr_info("first guest instruction at cntpct=%llu\n",
					(unsigned long long)t);
			}
		}
		if (!run) {
			arch_idle();
			continue;
		}
		arch_vcpu_run(v);
	}
}
