/* sched.c - the per-pCPU scheduling decision (sched.h). */
#include <stddef.h>
#include "core/sched.h"

int sched_add(struct runq *rq, struct sched_entity *e)
{
	if (rq->nr >= SCHED_MAX)
		return -1;
	rq->e[rq->nr++] = e;
	return 0;
}

/* @a runs before @b among equals: it started a slice longer ago */
static bool sched_before(const struct sched_entity *a, const struct sched_entity *b)
{
	return a->last_pick < b->last_pick;
}

struct sched_entity *sched_pick(struct runq *rq, uint64_t now)
{
	struct sched_entity *cur = rq->cur, *best = NULL;

	for (uint32_t i = 0; i < rq->nr; i++) {
		struct sched_entity *e = rq->e[i];

		if (!e->runnable)
			continue;
		if (!best || e->prio > best->prio ||
		    (e->prio == best->prio && sched_before(e, best)))
			best = e;
	}
	if (!best)
		return NULL;
	/* cur keeps the pCPU while its slice lasts, unless someone of higher priority waits */
	if (cur && cur->runnable && cur->prio == best->prio && now < rq->slice_end)
		return cur;
	if (best == cur) {
		/* its slice ended: another of its priority, if any, goes first */
		for (uint32_t i = 0; i < rq->nr; i++) {
			struct sched_entity *e = rq->e[i];

			if (e != cur && e->runnable && e->prio == cur->prio)
				best = best == cur || sched_before(e, best) ? e : best;
		}
	}
	if (best != cur || now >= rq->slice_end) {
		best->last_pick = ++rq->seq;
		rq->slice_end = now + best->slice < now ? SCHED_NEVER : now + best->slice;
	}
	rq->cur = best;
	return best;
}

void sched_end_slice(struct runq *rq)
{
	rq->slice_end = 0;
}

uint64_t sched_next_event(const struct runq *rq)
{
	const struct sched_entity *cur = rq->cur;
	uint64_t next = SCHED_NEVER;

	for (uint32_t i = 0; i < rq->nr; i++) {
		const struct sched_entity *e = rq->e[i];

		if (!e->runnable) {
			if (e->wake_at < next)
				next = e->wake_at;
		} else if (cur && e != cur && cur->runnable && e->prio == cur->prio &&
			   rq->slice_end < next) {
			next = rq->slice_end;	/* the tick: round robin among equals */
		}
	}
	return next;
}
