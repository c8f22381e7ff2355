/* manager.c - the cell manager: holds control caps for other cells, reports their states and
 * starts again a cell that stopped on a fault or was stopped by someone (a capability, the
 * operator), but not one that powered itself off. Its slots come from the bootarg
 * manager.slots=<slot>[,<slot>...]; manager.period-ms=<ms> sets the poll period (default 500),
 * manager.rounds=<n> ends after n rounds (default 0: poll forever). It prints a slot's line
 * only when something changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/runtime.h>

#define MAX_SLOTS 16

/* what the last poll of one slot saw, to print changes only */
struct watched {
	uint64_t slot;
	int id_st, q_st;		/* statuses of CAP_IDENTIFY and CELL_QUERY */
	uint64_t type, rights, state, reason, detail;
	int seen;
};

static struct watched cells[MAX_SLOTS];
static unsigned nr_cells;

static unsigned long arg_num(const char *key, unsigned long dflt)
{
	char buf[24];

	return rt_bootarg(key, buf, sizeof(buf)) && buf[0] ? strtoul(buf, NULL, 0) : dflt;
}

static void parse_slots(void)
{
	char buf[128], *p, *end;

	if (!rt_bootarg("manager.slots", buf, sizeof(buf)))
		return;
	for (p = buf; *p && nr_cells < MAX_SLOTS; p = *end ? end + 1 : end) {
		unsigned long v = strtoul(p, &end, 0);

		if (end == p)
			break;	/* not a number: stop at the first bad entry */
		cells[nr_cells++].slot = v;
	}
}

/* a stopped cell to start again: it faulted, hit its restart limit, or someone stopped it;
 * a cell that powered itself off (or reset with on-reset "stop") stays off */
static int wants_start(const struct watched *w)
{
	switch (cella_stop_reason(w->reason)) {
	case CELLA_STOP_FAULT:
	case CELLA_STOP_RESTART_LIMIT:
	case CELLA_STOP_BY_CAP:
	case CELLA_STOP_BY_OPERATOR:
		return (w->rights & CELLA_R_START) != 0;
	default:
		return 0;
	}
}

/* print_query - the answers of a successful query, short enough for one console line (cella
 * wraps a cell's lines at 120 columns): "(stopped: fault, ESR 0x93830005, 0 restarts)",
 * "(running; last stop: by the operator, 2 restarts)", "(running, 0 restarts)" */
static void print_query(const struct watched *w)
{
	unsigned why = cella_stop_reason(w->reason);

	printf(" (%s", cella_cell_state_name(w->state));
	if (why != CELLA_STOP_NONE)
		printf("%s%s", w->state == CELLA_CELL_STOPPED ? ": " : "; last stop: ",
		       cella_stop_reason_name(why));
	if (w->detail)
		printf(", ESR 0x%llx", (unsigned long long)w->detail);
	printf(", %u restarts)", (unsigned)cella_restarts(w->reason));
}

/* one slot: identify, query, start it if it stopped and we may */
static void poll(struct watched *w)
{
	struct watched now = *w;
	int r;

	now.id_st = cella_cap_identify(w->slot, &now.type, &now.rights);
	if (now.id_st != CELLA_OK)
		now.type = now.rights = 0;	/* a failed call stores nothing: forget the old */
	now.q_st = cella_cell_query(w->slot, &now.state, &now.reason, &now.detail);
	if (now.q_st != CELLA_OK)
		now.state = now.reason = now.detail = 0;
	if (!w->seen || now.id_st != w->id_st || now.q_st != w->q_st || now.state != w->state ||
	    now.reason != w->reason) {
		printf("manager: slot %llu: identify %s", (unsigned long long)w->slot,
		       cella_strerror(now.id_st));
		if (now.id_st == CELLA_OK)
			printf(" (type %llu, rights 0x%llx)", (unsigned long long)now.type,
			       (unsigned long long)now.rights);
		printf(", query %s", cella_strerror(now.q_st));
		if (now.q_st == CELLA_OK)
			print_query(&now);
		printf("\n");
	}
	now.seen = 1;
	if (now.q_st == CELLA_OK && now.state == CELLA_CELL_STOPPED && wants_start(&now)) {
		r = cella_cell_start(w->slot);
		printf("manager: slot %llu stopped (%s): starting it again: %s\n",
		       (unsigned long long)w->slot,
		       cella_stop_reason_name(cella_stop_reason(now.reason)), cella_strerror(r));
	}
	*w = now;
}

int main(void)
{
	unsigned long period = arg_num("manager.period-ms", 500);
	unsigned long rounds = arg_num("manager.rounds", 0);
	struct cella_abi_info abi;
	int st = cella_abi_probe(&abi);

	parse_slots();
	printf("manager: cell '%s', ABI probe %s, watching %u slot%s, every %lu ms\n",
	       rt_cell()->name, cella_strerror(st), nr_cells, nr_cells == 1 ? "" : "s", period);
	for (unsigned long n = 0; rounds == 0 || n < rounds; n++) {
		for (unsigned i = 0; i < nr_cells; i++)
			poll(&cells[i]);
		timer_sleep_ms(period);
	}
	printf("manager: done after %lu rounds\n", rounds);
	return 0;
}
