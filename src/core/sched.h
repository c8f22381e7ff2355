/* sched.h - the per-pCPU scheduling decision (docs/design.md "Scheduling"): fixed priorities,
 * the highest-priority runnable vCPU runs, round robin with a time slice among equals, the
 * tick armed only while two or more runnable vCPUs share the top priority. Pure C over
 * entities the caller keeps up to date; unit-tested on the host in every order (tests/unit/
 * test_sched.c). Times are counter ticks (CNTPCT_EL0). */
#ifndef CELLA_CORE_SCHED_H
#define CELLA_CORE_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/util.h"

#define SCHED_MAX (CELLA_MAX_CELLS * CELLA_MAX_VCPUS)	/* entities on one pCPU */
#define SCHED_NEVER UINT64_MAX

/* one vCPU as the scheduler of its pCPU sees it */
struct sched_entity {
	uint32_t prio;			/* higher runs first */
	uint64_t slice;			/* its time slice, ticks (> 0) */
	bool runnable;			/* wants the pCPU now (the caller's verdict) */
	uint64_t wake_at;		/* if not runnable: when it will be (SCHED_NEVER: unknown) */
	uint64_t last_pick;		/* round robin: the pick sequence it last started a slice at */
};

/* the run queue of one pCPU; the pCPU alone touches it (no lock) */
struct runq {
	uint32_t nr;
	struct sched_entity *e[SCHED_MAX];
	struct sched_entity *cur;	/* the entity that ran last, or NULL */
	uint64_t slice_end;		/* when cur's slice ends */
	uint64_t seq;			/* picks that started a slice */
};

/* sched_add - put @e on @rq (boot). Returns 0, or -1 if @rq is full. */
int sched_add(struct runq *rq, struct sched_entity *e);

/* sched_pick - who runs at @now: the highest-priority runnable entity; among equals, cur
 * until its slice ends, then the one that started a slice longest ago (round robin). A
 * switch, or cur starting a new slice, sets slice_end = @now + its slice. NULL: nobody is
 * runnable (the pCPU idles). */
struct sched_entity *sched_pick(struct runq *rq, uint64_t now);

/* sched_end_slice - (not sched_yield: POSIX has that name) cur gives up the rest of its slice (WFE): an equal-priority runnable entity
 * runs at the next pick, if there is one. */
void sched_end_slice(struct runq *rq);

/* sched_next_event - when the pCPU must look again even if nothing else happens: the end of
 * cur's slice if another runnable entity has cur's priority (the tick), and the earliest
 * wake_at of an entity that is not runnable. SCHED_NEVER if neither. */
uint64_t sched_next_event(const struct runq *rq);

#endif
