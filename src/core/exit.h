/* exit.h - the only calls from the architecture layer into the core: what a trap turns into
 * (an SMCCC call, an MMIO access, a fault, a console interrupt, a vCPU power change) and the
 * accessors arch uses for core objects. src/arch includes this and nothing else of src/core;
 * it touches only the .arch part of a cell or vCPU directly. */
#ifndef CELLA_CORE_EXIT_H
#define CELLA_CORE_EXIT_H

#include <stdbool.h>
#include <stdint.h>
#include "core/obj.h"
#include "core/hypercall.h"
#include "core/lifecycle.h"
#include "core/mmio.h"
#include "core/stats.h"
#include "lib/err.h"

/* ---- objects ---- */

static inline struct cell *vcpu_cell(struct vcpu *v)
{
	return v->cell;
}

static inline uint32_t vcpu_index(const struct vcpu *v)
{
	return v->id;
}

/* vcpu_affinity - the MPIDR affinity fields @v shows its guest */
static inline uint64_t vcpu_affinity(const struct vcpu *v)
{
	return v->mpidr;
}

static inline uint32_t cell_nr_vcpus(const struct cell *c)
{
	return c->nr_vcpus;
}

/* cell_vcpu - vCPU @i of @c (@i < cell_nr_vcpus, checked by the caller) */
static inline struct vcpu *cell_vcpu(struct cell *c, uint32_t i)
{
	return &c->vcpus[i];
}

static inline uint32_t cell_index(const struct cell *c)
{
	return c->id;
}

static inline struct mmio_bus *cell_mmio_bus(struct cell *c)
{
	return &c->mmio;
}

/* cell_restarts_on_reset - @c's on-reset policy is "restart" (the description's default) */
static inline bool cell_restarts_on_reset(const struct cell *c)
{
	return c->desc->restart_on_reset;
}

/* cell_ipa_valid - [ipa, ipa+len) lies inside @c's RAM (overflow-safe) */
static inline bool cell_ipa_valid(const struct cell *c, uint64_t ipa, uint64_t len)
{
	return ipa >= c->mem_ipa && ipa - c->mem_ipa <= c->mem_size &&
	       len <= c->mem_size - (ipa - c->mem_ipa);
}

/* vcpu_may_continue - @v, the vCPU this pCPU runs, may be entered again without asking the
 * core's loop: nobody asked it to look again (vcpu_exit_loop) and its lifecycle state allows
 * (lifecycle.h lc_runnable_hint: lock-free, exact for "ON", a stale "RUNNING" costs one more
 * exit since whoever stops the cell kicks this pCPU) */
static inline bool vcpu_may_continue(const struct vcpu *v)
{
	return !v->exit_loop && lc_runnable_hint(&v->cell->lc, v->id);
}

/* vcpu_exit_loop - the pCPU's loop must look at its run queue before @v runs again (an
 * interrupt on a shared pCPU: a kick, the scheduler's timer) */
static inline void vcpu_exit_loop(struct vcpu *v)
{
	v->exit_loop = true;
}

/* vcpu_block - @v executed WFI with no interrupt pending: it waits (not runnable) until one
 * is (arch_vcpu_irq_pending); its pCPU runs another vCPU or idles meanwhile */
static inline void vcpu_block(struct vcpu *v)
{
	v->blocked = true;
	v->exit_loop = true;
	v->wait_until = SCHED_NEVER;
}

/* vcpu_yield - @v executed WFE: it gives the rest of its slice to an equal, if one waits */
static inline void vcpu_yield(struct vcpu *v)
{
	v->yielded = true;
	v->exit_loop = true;
}

/* ---- trap accounting (stats.h) ---- */

/* vcpu_trap_kind - the trap @v is handling is of @kind (enum trap_kind) */
static inline void vcpu_trap_kind(struct vcpu *v, uint32_t kind)
{
	v->trap_kind = kind;
}

/* vcpu_trap_enter - @v enters its guest now: charge the previous trap's ticks (cella.stats) */
static inline void vcpu_trap_enter(struct vcpu *v, uint64_t now)
{
	if (v->trap_kind < TRAP_KINDS)
		v->stats.ticks[v->trap_kind] += now - v->exit_tick;
}

/* vcpu_times_traps - @v's trap ticks are counted (cella.stats): read the counter around entry */
static inline bool vcpu_times_traps(const struct vcpu *v)
{
	return v->time_traps;
}

static inline void vcpu_trap_exit(struct vcpu *v, uint64_t now)
{
	v->exit_tick = now;
}

/* vcpu_trap_done - count the trap @v handled */
static inline void vcpu_trap_done(struct vcpu *v)
{
	v->stats.count[v->trap_kind]++;
}

/* vcpu_trap_reset - no trap to account for yet (a vCPU starting afresh) */
static inline void vcpu_trap_reset(struct vcpu *v)
{
	v->trap_kind = TRAP_KINDS;
}

/* ---- what traps turn into ---- */

/* vcpu_hypercall - @v called in cella's range (hc_owns): decode, check its capability,
 * invoke; status and results in its x0..x3 (hypercall.h). Inline: the null hypercall path. */
static inline void vcpu_hypercall(struct vcpu *v)
{
	hypercall(&v->cell->hc_env, arch_regs_args(&v->arch));
}

/* cell_mmio - emulate an access to @ipa (@size bytes) by @v through its cell's MMIO bus.
 * Returns 0, -ERR_NOENT (no device: the caller stops the cell) or -ERR_INVAL (bad access:
 * the caller injects an abort). Inline: it is on every MMIO trap. */
static inline int cell_mmio(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
			    uint64_t *val)
{
	const struct mmio_region *r = mmio_find(&v->cell->mmio, ipa, size);

	if (!r)
		return -ERR_NOENT;
	v->trap_kind = TRAP_MMIO + (uint32_t)(r - v->cell->mmio.r);
	/* mmio_find checked [ipa, ipa+size) lies inside the region */
	return r->ops->access(r->dev, v->id, ipa - r->ipa, size, write, val);
}

/* cell_guest_fault - a guest did something cella cannot let it continue from: report it
 * (cell, vCPU, @what, ESR/ELR/FAR/IPA) once and apply the cell's on-fault policy (stop,
 * restart within its limit, or system-off); only that cell is affected. */
void cell_guest_fault(struct vcpu *v, const char *what, uint64_t esr, uint64_t ipa);

/* cell_stop - stop @c (all vCPUs park), reporting @why; if @restart, reload and start it
 * again once every vCPU has parked. @reason (CELLA_STOP_*, include/cella/abi.h) and @detail
 * are what a CELL_QUERY answers afterwards. Safe to call from any pCPU, more than once (only
 * the call that changes the state records its reason). */
void cell_stop(struct cell *c, bool restart, uint32_t reason, uint64_t detail, const char *why);

/* vcpu_power_on - PSCI CPU_ON of vCPU @t at @entry (IPA, checked by the caller) with context
 * @ctx (its x0): the lifecycle's answer (lifecycle.h enum lc_on); kicks @t when it starts. */
enum lc_on vcpu_power_on(struct vcpu *t, uint64_t entry, uint64_t ctx);

/* vcpu_power_state - @t's state (lifecycle.h VCPU_*), a snapshot under its cell's lock. */
uint32_t vcpu_power_state(struct vcpu *t);

/* vcpu_power_off - on @v's own pCPU: @v stops running (PSCI CPU_OFF); the last vCPU of a cell
 * going off stops the cell. */
void vcpu_power_off(struct vcpu *v);

/* vcpu_kick - make @v's pCPU look at its state and pending interrupts soon. */
void vcpu_kick(struct vcpu *v);

/* console_irq - the platform UART interrupted: read what it received (console.c). */
void console_irq(void);

#endif
