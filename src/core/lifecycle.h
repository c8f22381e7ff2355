/* lifecycle.h - the one state machine of a cell and its vCPUs (PSCI DEN0022D 5.1.4-5.1.5,
 * 5.6 "CPU_ON/CPU_OFF races"; SYSTEM_OFF/SYSTEM_RESET 5.10-5.11), and the restart backoff and
 * message budget a hostile cell cannot flood through. Pure C with no EL2 dependencies: every
 * transition is written here once; the caller holds the cell's lifecycle lock around each call
 * (one owner, one lock), then acts on the returned action outside the lock. */
#ifndef CELLA_CORE_LIFECYCLE_H
#define CELLA_CORE_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/util.h"


enum vcpu_state {
	VCPU_OFF = 0,
	VCPU_ON_PENDING,	/* CPU_ON accepted; its pCPU resets and starts it */
	VCPU_ON,
};

enum cell_state {
	CELL_RUNNING = 0,
	CELL_STOPPING,		/* vCPUs park at their next exit */
	CELL_RESTARTING,	/* like stopping, then the last vCPU to park reloads the cell */
	CELL_STOPPED,
};

struct lifecycle {
	uint32_t cell;				/* enum cell_state */
	uint32_t nr_vcpus;
	uint32_t vcpu[CELLA_MAX_VCPUS];		/* enum vcpu_state */
	uint64_t entry[CELLA_MAX_VCPUS];		/* CPU_ON entry IPA, valid while ON_PENDING */
	uint64_t context[CELLA_MAX_VCPUS];		/* CPU_ON context id (x0), likewise */
};

/* what the caller must do after a transition, outside the lock (flags) */
enum {
	LC_ACT_REPORT = 1u << 0,	/* the cell began stopping or restarting: say so, kick vCPUs */
	LC_ACT_STOPPED = 1u << 1,	/* the cell is now STOPPED: maybe power the machine off */
	LC_ACT_RELOAD = 1u << 2,	/* every vCPU parked in RESTARTING: reload, then lc_load */
	LC_ACT_ALL_OFF = 1u << 3,	/* with STOPPED: it stopped because every vCPU called CPU_OFF */
};

/* results of lc_cpu_on (the caller maps them to PSCI return codes) */
enum lc_on {
	LC_ON_OK = 0,		/* target OFF -> ON_PENDING: kick its pCPU */
	LC_ON_ALREADY,		/* PSCI ALREADY_ON */
	LC_ON_PENDING,		/* PSCI ON_PENDING */
	LC_ON_DENIED,		/* the cell is stopping or restarting: PSCI DENIED */
	LC_ON_INVALID,		/* no such vCPU: PSCI INVALID_PARAMETERS */
};

/* lc_init - a cell of @nr_vcpus (1..CELLA_MAX_VCPUS, clamped) vCPUs: STOPPED, every vCPU OFF. */
void lc_init(struct lifecycle *lc, uint32_t nr_vcpus);

/* lc_load - the cell's images are (re)loaded: RUNNING, vCPU 0 ON_PENDING at @entry (IPA) with
 * x0 = @context, the others OFF. Allowed from STOPPED (boot) or RESTARTING with every vCPU OFF;
 * returns 0, or -ERR_BUSY (nothing changed) if a vCPU is not OFF or the cell is running. */
int lc_load(struct lifecycle *lc, uint64_t entry, uint64_t context);

/* lc_load_failed - the reload after LC_ACT_RELOAD failed: RESTARTING -> STOPPED
 * (LC_ACT_STOPPED); 0 and no change in any other state. */
uint32_t lc_load_failed(struct lifecycle *lc);

/* lc_cpu_on - PSCI CPU_ON of vCPU @target (index) at @entry (IPA, already checked by the
 * caller) with context id @context. Reads the target's state once and changes it only from
 * OFF, so two racing CPU_ONs get one LC_ON_OK and one LC_ON_PENDING/ALREADY. */
enum lc_on lc_cpu_on(struct lifecycle *lc, uint32_t target, uint64_t entry, uint64_t context);

/* lc_start_pending - the cell runs and @v is ON_PENDING: lc_vcpu_start would start it. */
bool lc_start_pending(const struct lifecycle *lc, uint32_t v);

/* lc_vcpu_start - on @v's own pCPU: if the cell runs and @v is ON_PENDING, make it ON and
 * return true with its CPU_ON *@entry and *@context (the caller resets the vCPU to them). */
bool lc_vcpu_start(struct lifecycle *lc, uint32_t v, uint64_t *entry, uint64_t *context);

/* lc_vcpu_off - on @v's own pCPU: @v leaves ON or ON_PENDING (PSCI CPU_OFF, or parking while
 * the cell stops). If it was the last vCPU not OFF, the cell finishes: RUNNING or STOPPING ->
 * STOPPED (LC_ACT_STOPPED, with LC_ACT_ALL_OFF from RUNNING), RESTARTING -> LC_ACT_RELOAD.
 * Returns 0 if @v was already OFF or out of range. */
uint32_t lc_vcpu_off(struct lifecycle *lc, uint32_t v);

/* lc_stop - stop (@restart false: SYSTEM_OFF, fault) or restart (SYSTEM_RESET) the cell. Only a
 * RUNNING cell changes (LC_ACT_REPORT); if no vCPU is left to park, it finishes at once as
 * lc_vcpu_off does. Returns 0 if the cell was already stopping, restarting or stopped. */
uint32_t lc_stop(struct lifecycle *lc, bool restart);

/* lc_start - start a STOPPED cell again (a cell capability's START): STOPPED -> RESTARTING
 * with every vCPU OFF, returning LC_ACT_RELOAD (the caller reloads it, then lc_load). Returns 0
 * and changes nothing in any other state, so of two racing starts exactly one reloads. */
uint32_t lc_start(struct lifecycle *lc);

/* lc_must_park - @v is not OFF but its cell is not RUNNING: its pCPU parks it (lc_vcpu_off). */
bool lc_must_park(const struct lifecycle *lc, uint32_t v);

/* lc_runnable - the cell runs and @v is ON: its pCPU may enter it. */
bool lc_runnable(const struct lifecycle *lc, uint32_t v);

/* lc_runnable_hint - lc_runnable without the lock (atomic loads of what the transitions store
 * atomically), for @v's own pCPU only: only that pCPU takes @v out of ON, so "ON" is exact, and
 * whoever stops the cell afterwards kicks the pCPU, so a stale "RUNNING" costs one exit. */
static inline bool lc_runnable_hint(const struct lifecycle *lc, uint32_t v)
{
	return v < lc->nr_vcpus &&
	       __atomic_load_n(&lc->cell, __ATOMIC_RELAXED) == CELL_RUNNING &&
	       __atomic_load_n(&lc->vcpu[v], __ATOMIC_RELAXED) == VCPU_ON;
}

/* lc_vcpu_state - @v's state (VCPU_OFF if out of range), for PSCI AFFINITY_INFO. */
uint32_t lc_vcpu_state(const struct lifecycle *lc, uint32_t v);

/* lc_live_vcpus - number of vCPUs not OFF (what the old running_vcpus counter tracked). */
uint32_t lc_live_vcpus(const struct lifecycle *lc);

/* ---- restart backoff: a cell that resets over and over is restarted ever more slowly ---- */

#define LC_FAST_RUN_MS 1000	/* a run shorter than this counts as a fast restart */
#define LC_FREE_RESTARTS 3	/* fast restarts allowed without delay */
#define LC_FIRST_DELAY_MS 10	/* then 10 ms, doubling each fast restart */
#define LC_MAX_DELAY_MS 4000	/* up to this */

struct lc_backoff {
	uint64_t started;	/* counter value when the cell last started */
	uint32_t fast;		/* consecutive fast restarts (saturates) */
};

/* lc_backoff_start - the cell starts running at counter value @now (boot or after a delay). */
void lc_backoff_start(struct lc_backoff *b, uint64_t now);

/* lc_backoff_delay - the cell asks to restart at counter value @now, the counter running at
 * @freq Hz: returns how many counter ticks to wait before reloading it (0 for the first
 * LC_FREE_RESTARTS fast ones, then LC_FIRST_DELAY_MS doubling to LC_MAX_DELAY_MS). A run of
 * LC_FAST_RUN_MS or more forgets earlier restarts. Overflow-safe for any @now and @freq. */
uint64_t lc_backoff_delay(struct lc_backoff *b, uint64_t now, uint64_t freq);

/* ---- restart limit: at most N on-fault restarts per window, then the cell stops ---- */

struct lc_limit {
	uint64_t window_start;	/* counter value the current window began at */
	uint32_t count;		/* restarts in it */
	bool primed;
};

/* lc_limit_take - may the cell restart once more at counter value @now (@freq Hz), at most
 * @max restarts in each window of @window_s seconds (fixed windows, starting at the first
 * restart)? Overflow-safe for any input; @max 0 never allows. */
bool lc_limit_take(struct lc_limit *l, uint64_t now, uint64_t freq, uint32_t max,
		   uint32_t window_s);

/* ---- message budget: cella's own messages about one cell (token bucket) ---- */

#define LC_MSG_BURST 8		/* messages that may come at once */
#define LC_MSG_REFILL_MS 5000	/* one more every this long */

struct lc_budget {
	uint64_t last;		/* counter value of the last refill */
	uint32_t tokens;
	uint32_t suppressed;	/* messages dropped since the last one printed */
	bool primed;
};

/* lc_budget_take - may cella print one more message about the cell at counter value @now
 * (@freq Hz)? Returns true and, in *@suppressed, how many were dropped since the last one
 * printed (then reset), or false (counted as suppressed). Overflow-safe. */
bool lc_budget_take(struct lc_budget *b, uint64_t now, uint64_t freq, uint32_t *suppressed);

#endif
