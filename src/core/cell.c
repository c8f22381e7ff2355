/* cell.c - cells and their vCPUs as objects: creation from the system description, (re)load,
 * and every lifecycle change (stop, restart, start, faults, vCPU power) carried out around
 * the pure state machine of lifecycle.c under the cell's lock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/boot.h"
#include "core/cell.h"
#include "core/chan.h"
#include "core/console.h"
#include "core/guest_dt.h"
#include "core/loader.h"
#include "core/virq.h"
#include "dev/vpl011.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/printf.h"
#include "lib/util.h"

static struct cell cells[CELLA_MAX_CELLS];
static uint32_t nr_cells;

static bool stats_enabled;		/* cella.stats: time traps and report them at stop */

struct cell *cell_get(uint32_t id)
{
	return id < nr_cells ? &cells[id] : NULL;
}

uint32_t cell_count(void)
{
	return nr_cells;
}

struct cell *cell_by_name(const char *name)
{
	for (uint32_t i = 0; name && i < nr_cells; i++)
		if (strcmp(cells[i].desc->name, name) == 0)
			return &cells[i];
	return NULL;
}

struct vcpu *vcpu_by_mpidr(struct cell *c, uint64_t mpidr)
{
	for (uint32_t i = 0; i < c->nr_vcpus; i++)
		if (c->vcpus[i].mpidr == mpidr)
			return &c->vcpus[i];
	return NULL;
}

void virq_set_level(struct cell *c, uint32_t intid, bool level)
{
	arch_virq_set_level(c, intid, level);
}

void virq_pulse(struct cell *c, uint32_t intid)
{
	arch_virq_set_level(c, intid, VIRQ_PULSE);
}

/* ---- creation and loading ---- */

/* the console is the backend of every cell's vpl011 (console.h) */
static const struct vpl011_backend console_uart = {
	.putc = console_cell_putc, .tx_full = console_cell_tx_full,
	.written = console_cell_written, .rx_drained = console_rx_drained,
};

static int cell_create(struct cell *c, uint32_t id)
{
	const struct sysdesc_cell *d = c->desc;
	int r;

	c->id = id;
	c->nr_vcpus = d->nr_vcpus;
	c->mem_ipa = GUEST_RAM_IPA;
	c->mem_size = d->mem_size;
	lc_init(&c->lc, d->nr_vcpus);
	lc_backoff_start(&c->backoff, arch_counter());

	if (c->in_place) {
		/* mem_pa reserved by linux_boot_in_place */
	} else if (d->mem_pa_fixed) {
		c->mem_pa = d->mem_pa;		/* reserved by cell_create_all */
	} else if ((r = memmap_alloc(boot_machine_mem(), d->mem_size, SZ_2M, &c->mem_pa))) {
		pr_err("%s: memory-size is %llu MiB but only %llu MiB of RAM is free\n", d->path,
		       (unsigned long long)(d->mem_size >> 20),
		       (unsigned long long)(memmap_free_bytes(boot_machine_mem()) >> 20));
		return r;
	}
	for (uint32_t i = 0; i < c->nr_vcpus; i++) {
		struct vcpu *v = &c->vcpus[i];

		v->cell = c;
		v->id = i;
		v->pcpu = d->pcpu[i];
		v->mpidr = GUEST_VCPU_MPIDR(i);
		BUG_ON(pcpu_add_vcpu(v));	/* sysdesc_parse checked the pCPU */
	}
	if ((r = arch_cell_create(c, c->mem_ipa, c->mem_pa, c->mem_size, GUEST_GICD_IPA,
				  GUEST_GICR_IPA))) {
		pr_err("%s: cannot build stage-2 tables: %s\n", d->path, err_str(r));
		return r;
	}
	if ((r = chan_cell_create(c)) || (r = linux_open(c)))
		return r;
	console_cell_init(c);
	if (vpl011_create(c, &c->mmio, GUEST_UART_IPA, 32 + GUEST_UART_SPI, &console_uart,
			  &c->uart))
		PANIC("device layout of cell %s", d->name);
	return cell_load(c);
}

int cell_load(struct cell *c)
{
	int r = linux_load(c);

	if (r)
		return r;
	mmio_reset_all(&c->mmio);	/* the UART and the vGIC in reset state */
	for (uint32_t i = 0; i < c->nr_vcpus; i++) {
		memset(&c->vcpus[i].stats, 0, sizeof(c->vcpus[i].stats));
		c->vcpus[i].time_traps = stats_enabled;
	}
	cell_build_cspace(c);
	spin_lock(&c->lock);
	r = lc_load(&c->lc, c->entry_ipa, c->dtb_ipa);
	spin_unlock(&c->lock);
	BUG_ON(r);		/* loaded only at boot or after every vCPU parked */
	console_cell_reset(c);	/* running again: input may flow into the new instance */
	chan_peer_event(c);
	vcpu_kick(&c->vcpus[0]);
	return 0;
}

int cell_create_all(const struct sysdesc *d)
{
	for (uint32_t i = 0; i < d->nr_cells; i++) {
		memset(&cells[i], 0, sizeof(cells[i]));
		cells[i].desc = &d->cells[i];
	}
	/* fixed placements first, so that cells without one are carved around them; then a
	 * cell booted in place from the system image (its RAM is where the image put it) */
	for (uint32_t i = 0; i < d->nr_cells; i++) {
		const struct sysdesc_cell *dc = &d->cells[i];
		int r;

		if (!dc->mem_pa_fixed)
			continue;
		r = memmap_reserve(boot_machine_mem(), dc->mem_pa, dc->mem_size);
		if (r) {
			pr_err("%s: memory-pa [0x%llx, 0x%llx) %s\n", dc->path,
			       (unsigned long long)dc->mem_pa,
			       (unsigned long long)(dc->mem_pa + dc->mem_size),
			       r == -ERR_EXIST ? "overlaps cella or another cell"
					       : "is not inside the machine's RAM");
			return r;
		}
	}
	for (uint32_t i = 0; i < d->nr_cells; i++)
		linux_boot_in_place(&cells[i]);
	if (chan_alloc_all(d))
		return -ERR_NOMEM;
	for (uint32_t i = 0; i < d->nr_cells; i++) {
		bool in_place = cells[i].in_place;
		int r = cell_create(&cells[i], i);

		if (r)
			return r;
		nr_cells = i + 1;
		pr_info("cell '%s': %u vCPU%s on pCPU%s", d->cells[i].name, d->cells[i].nr_vcpus,
			d->cells[i].nr_vcpus > 1 ? "s" : "", d->cells[i].nr_vcpus > 1 ? "s" : "");
		for (uint32_t j = 0; j < d->cells[i].nr_vcpus; j++)
			log_printf(" %u", d->cells[i].pcpu[j]);
		log_printf(", %llu MiB at PA 0x%llx, kernel '%s'%s%s%s\n",
			   (unsigned long long)(cells[i].mem_size >> 20),
			   (unsigned long long)cells[i].mem_pa, d->cells[i].kernel,
			   d->cells[i].initrd ? ", initrd " : "",
			   d->cells[i].initrd ? d->cells[i].initrd : "",
			   in_place ? " (booted in place)" : "");
	}
	return 0;
}

/* ---- stopping and starting ---- */

void cell_stats_enable(void)
{
	stats_enabled = true;
}

/* cell_report_stats - @c's trap statistics since its last (re)load, summed over its vCPUs
 * (all parked): one summary line, then one line per kind that occurred. */
static void cell_report_stats(const struct cell *c)
{
	struct trap_stats t = { 0 };
	uint64_t n = 0, ticks = 0;

	if (!stats_enabled)
		return;
	for (uint32_t i = 0; i < c->nr_vcpus; i++)
		trap_stats_add(&t, &c->vcpus[i].stats);
	for (unsigned k = 0; k < TRAP_KINDS; k++) {
		n += t.count[k];
		ticks += t.ticks[k];
	}
	pr_info("stats '%s': traps=%llu ticks=%llu cntfrq=%llu\n", c->desc->name,
		(unsigned long long)n, (unsigned long long)ticks,
		(unsigned long long)arch_counter_freq());
	for (unsigned k = 0; k < TRAP_KINDS; k++)
		if (t.count[k])
			pr_info("stats '%s': %s%s%s count=%llu ticks=%llu\n", c->desc->name,
				trap_kind_name(k), k < TRAP_SGI ? ":" : "",
				k < TRAP_SGI && k < c->mmio.nr ? c->mmio.r[k].ops->name : "",
				(unsigned long long)t.count[k], (unsigned long long)t.ticks[k]);
}

bool cell_running(struct cell *c)
{
	uint32_t st;

	spin_lock(&c->lock);
	st = c->lc.cell;
	spin_unlock(&c->lock);
	return st == CELL_RUNNING;
}

/* @c is STOPPED: if every cell is, power the machine off */
static void cell_check_all_stopped(void)
{
	static uint32_t powering_off;

	for (uint32_t i = 0; i < nr_cells; i++) {
		uint32_t st;

		spin_lock(&cells[i].lock);
		st = cells[i].lc.cell;
		spin_unlock(&cells[i].lock);
		if (st != CELL_STOPPED)
			return;
	}
	if (!__atomic_exchange_n(&powering_off, 1, __ATOMIC_ACQ_REL))
		pr_info("no cell left running; powering off\n");
	console_flush();
	arch_system_off();
}

/* cella's message about @c, within the cell's budget (lifecycle.h lc_budget): a guest that
 * triggers it over and over cannot flood the console */
static void cell_msg(struct cell *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell_msg(struct cell *c, const char *fmt, ...)
{
	uint32_t suppressed = 0;
	char buf[160];
	va_list ap;
	bool ok;

	spin_lock(&c->lock);
	ok = lc_budget_take(&c->msgs, arch_counter(), arch_counter_freq(), &suppressed);
	spin_unlock(&c->lock);
	if (!ok)
		return;
	va_start(ap, fmt);
	cella_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (suppressed)
		pr_info("(%u more messages about cell '%s' were suppressed)\n", suppressed,
			c->desc->name);
	pr_info("%s", buf);
}

static void cell_after(struct cell *c, uint32_t act);

/* every vCPU of @c parked while it restarts: reload it (on this pCPU, outside the lock), after
 * a delay if it restarts over and over (lifecycle.h lc_backoff) */
static void cell_reload(struct cell *c)
{
	uint64_t now = arch_counter();
	uint64_t delay = lc_backoff_delay(&c->backoff, now, arch_counter_freq());
	uint32_t act;

	if (delay)
		arch_wait_until(delay > UINT64_MAX - now ? UINT64_MAX : now + delay);
	lc_backoff_start(&c->backoff, arch_counter());
	c->restarts++;
	arch_cell_flush_tlb(c);
	if (cell_load(c) == 0)
		return;
	pr_err("cell '%s' cannot be restarted\n", c->desc->name);
	spin_lock(&c->lock);
	act = lc_load_failed(&c->lc);
	spin_unlock(&c->lock);
	cell_after(c, act);
}

/* carry out what a lifecycle transition asked for (lifecycle.h LC_ACT_*) */
static void cell_after(struct cell *c, uint32_t act)
{
	if (act & LC_ACT_ALL_OFF)
		pr_info("cell '%s' stopped: all its vCPUs are off\n", c->desc->name);
	if (act & (LC_ACT_RELOAD | LC_ACT_STOPPED)) {
		cell_report_stats(c);	/* every vCPU has parked */
		chan_peer_event(c);
	}
	if (act & LC_ACT_RELOAD)
		cell_reload(c);
	if (act & LC_ACT_STOPPED)
		cell_check_all_stopped();
}

void vcpu_power_off(struct vcpu *v)
{
	struct cell *c = v->cell;
	uint32_t act;

	arch_vcpu_park(v);	/* before the state change: a reload may follow at once */
	spin_lock(&c->lock);
	act = lc_vcpu_off(&c->lc, v->id);
	spin_unlock(&c->lock);
	cell_after(c, act);
}

void cell_stop(struct cell *c, bool restart, uint32_t reason, uint64_t detail, const char *why)
{
	uint32_t act;

	spin_lock(&c->lock);
	act = lc_stop(&c->lc, restart);
	if (act) {
		c->stop_reason = reason;
		c->stop_detail = detail;
	}
	spin_unlock(&c->lock);
	if (!act)
		return;		/* already stopping, restarting or stopped */
	if (restart)
		cell_msg(c, "cell '%s' restarting: %s\n", c->desc->name, why);
	else
		pr_info("cell '%s' stopped: %s\n", c->desc->name, why);	/* once: it stays */
	for (uint32_t i = 0; i < c->nr_vcpus; i++)
		vcpu_kick(&c->vcpus[i]);
	cell_after(c, act);
}

void cell_guest_fault(struct vcpu *v, const char *what, uint64_t esr, uint64_t ipa)
{
	struct cell *c = v->cell;

	bool again;

	cell_msg(c, "cell '%s' vCPU %u: %s at IPA 0x%llx (ESR_EL2 0x%llx, PC 0x%llx)\n",
		 c->desc->name, v->id, what, (unsigned long long)ipa, (unsigned long long)esr,
		 (unsigned long long)arch_regs_pc(&v->arch));
	switch (c->desc->on_fault) {
	case SYSDESC_FAULT_SYSTEM_OFF:
		pr_info("cell '%s' faulted and its on-fault is \"system-off\": powering off\n",
			c->desc->name);
		console_flush();
		arch_system_off();
		break;
	case SYSDESC_FAULT_RESTART:
		spin_lock(&c->lock);
		again = lc_limit_take(&c->fault_limit, arch_counter(), arch_counter_freq(),
				      c->desc->restart_max, c->desc->restart_window_s);
		spin_unlock(&c->lock);
		if (again) {
			cell_stop(c, true, CELLA_STOP_FAULT, (uint32_t)esr, "guest fault (on-fault)");
			break;
		}
		cell_stop(c, false, CELLA_STOP_RESTART_LIMIT, (uint32_t)esr,
			  "guest fault, and its restart-limit is reached");
		break;
	default:
		cell_stop(c, false, CELLA_STOP_FAULT, (uint32_t)esr, "guest fault");
		break;
	}
}

int cell_control(struct cell *t, enum hc_cell_op op, uint32_t reason, const char *why)
{
	uint32_t act;

	spin_lock(&t->lock);
	/* a start keeps the reason of the last stop: CELL_QUERY says why it last stopped */
	act = op == HC_CELL_START ? lc_start(&t->lc)
				  : (t->lc.cell == CELL_RUNNING ? LC_ACT_REPORT : 0);
	spin_unlock(&t->lock);
	if (!act)
		return CELLA_E_BUSY;	/* start: not stopped; stop/restart: not running */
	if (op == HC_CELL_START) {
		pr_info("cell '%s' starting: %s\n", t->desc->name, why);
		cell_after(t, act);
		return CELLA_OK;
	}
	cell_stop(t, op == HC_CELL_RESTART, reason, 0, why);
	return CELLA_OK;
}

/* ---- vCPU power (PSCI, vpsci.c) ---- */

enum lc_on vcpu_power_on(struct vcpu *t, uint64_t entry, uint64_t ctx)
{
	struct cell *c = t->cell;
	enum lc_on r;

	spin_lock(&c->lock);
	r = lc_cpu_on(&c->lc, t->id, entry, ctx);
	spin_unlock(&c->lock);
	if (r == LC_ON_OK)
		vcpu_kick(t);
	return r;
}

uint32_t vcpu_power_state(struct vcpu *t)
{
	uint32_t st;

	spin_lock(&t->cell->lock);
	st = lc_vcpu_state(&t->cell->lc, t->id);
	spin_unlock(&t->cell->lock);
	return st;
}
