/* cellctl.c - control of cells from outside them: through a cell capability (the hypercalls'
 * environment, hypercall.h) and at the operator prompt (prompt.h); and each cell's cspace,
 * built from its description at every load. */
#include <stdint.h>
#include <string.h>
#include <cella/abi.h>
#include "core/cell.h"
#include "core/chan.h"
#include "dev/vpci.h"
#include "core/console.h"
#include "lib/log.h"
#include "lib/printf.h"

/* ---- the hypercalls' environment: capabilities to cells ---- */

static bool cap_obj_exists(uint32_t type, uint32_t obj)
{
	uint32_t c = SYSDESC_VCPU_OBJ_CELL(obj);

	if (type == CELLA_CAP_VCPU)
		return c < cell_count() &&
		       SYSDESC_VCPU_OBJ_VCPU(obj) < cell_nr_vcpus(cell_get(c));
	if (type == CELLA_CAP_CHANNEL)
		return obj < SYSDESC_CELL_CHANS;	/* granted only for the holder's ends */
	return type == CELLA_CAP_CELL && obj < cell_count();
}

static void cs_lock(void *ctx)
{
	spin_lock(&((struct cell *)ctx)->cs_lock);
}

static void cs_unlock(void *ctx)
{
	spin_unlock(&((struct cell *)ctx)->cs_lock);
}

static void cap_cell_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *reason,
			   uint64_t *detail)
{
	static const uint64_t states[] = {
		[CELL_RUNNING] = CELLA_CELL_RUNNING, [CELL_STOPPING] = CELLA_CELL_STOPPING,
		[CELL_RESTARTING] = CELLA_CELL_RESTARTING, [CELL_STOPPED] = CELLA_CELL_STOPPED,
	};
	struct cell *t = cell_get(obj);		/* obj < cell_count(): cap_obj_exists */

	spin_lock(&t->lock);
	*state = t->lc.cell <= CELL_STOPPED ? states[t->lc.cell] : 0;
	*reason = t->stop_reason | ((uint64_t)t->restarts << 32);
	*detail = t->stop_reason == CELLA_STOP_FAULT || t->stop_reason == CELLA_STOP_RESTART_LIMIT
			  ? t->stop_detail : 0;
	spin_unlock(&t->lock);
}

/* CELLA_FN_VCPU_QUERY: the state of vCPU @obj (SYSDESC_VCPU_OBJ, checked by cap_obj_exists)
 * as PSCI AFFINITY_INFO reports it, its pinned pCPU and its index in its cell */
static void cap_vcpu_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *pcpu,
			   uint64_t *index)
{
	static const uint64_t states[] = {
		[VCPU_OFF] = CELLA_VCPU_OFF, [VCPU_ON_PENDING] = CELLA_VCPU_ON_PENDING,
		[VCPU_ON] = CELLA_VCPU_ON,
	};
	struct cell *t = cell_get(SYSDESC_VCPU_OBJ_CELL(obj));
	struct vcpu *v = cell_vcpu(t, SYSDESC_VCPU_OBJ_VCPU(obj));
	uint32_t st = vcpu_power_state(v);	/* under its cell's lock */

	*state = st <= VCPU_ON ? states[st] : CELLA_VCPU_OFF;
	*pcpu = v->pcpu;
	*index = vcpu_index(v);
}

static int cap_cell_control(void *ctx, uint32_t obj, enum hc_cell_op op)
{
	struct cell *me = ctx;
	char why[64];

	cella_snprintf(why, sizeof(why), "by cell '%s' (capability)", me->desc->name);
	return cell_control(cell_get(obj), op, CELLA_STOP_BY_CAP, why);
}

static void cap_chan_info(void *ctx, uint32_t obj, uint64_t *ipa, uint64_t *size,
			  uint64_t *flags)
{
	chan_info(ctx, obj, ipa, size, flags);
}

static void cap_chan_notify(void *ctx, uint32_t obj)
{
	chan_ring(ctx, obj, VPCI_INTR_DOORBELL);
}

/* CELLA_FN_WAIT: block the calling vCPU (the one loaded here) until an interrupt is pending
 * for it or @ns pass (pcpu.c answers CELLA_E_TIMEOUT then) */
static int cap_wait(void *ctx, uint64_t ns)
{
	struct vcpu *v = this_pcpu()->loaded;
	uint64_t now = arch_counter(), f = arch_counter_freq(), t;

	if (arch_vcpu_irq_pending(v, now))
		return CELLA_OK;
	if (!ns)
		return CELLA_E_TIMEOUT;
	t = ns >= UINT64_MAX / f ? UINT64_MAX : ns * f / 1000000000u;
	vcpu_block(v);
	v->wait_until = t > UINT64_MAX - now ? UINT64_MAX : now + t;
	return CELLA_OK;
}

/* ---- the operator prompt (prompt.h; console.c feeds it) ---- */

static void prompt_list(void)
{
	static const char *const states[] = { "running", "stopping", "restarting", "stopped" };
	uint64_t now = arch_counter(), freq = arch_counter_freq();

	for (uint32_t i = 0; i < cell_count(); i++) {
		struct cell *c = cell_get(i);
		uint64_t traps = 0, up;
		uint32_t st;
		char cpus[3 * CELLA_MAX_VCPUS + 1];
		size_t n = 0;

		for (uint32_t v = 0; v < c->nr_vcpus; v++) {
			for (unsigned k = 0; k < TRAP_KINDS; k++)
				traps += c->vcpus[v].stats.count[k];	/* racy: a snapshot */
			n += (size_t)cella_snprintf(cpus + n, sizeof(cpus) - n, "%s%u", v ? "," : "",
						    c->vcpus[v].pcpu);
		}
		spin_lock(&c->lock);
		st = c->lc.cell;
		up = st == CELL_RUNNING && freq ? (now - c->backoff.started) / freq : 0;
		spin_unlock(&c->lock);
		pr_info("  %-12s %-10s vCPUs %u on pCPUs %-8s %5llu MiB  up %llus  restarts %u  "
			"traps %llu%s\n", c->desc->name, st <= CELL_STOPPED ? states[st] : "?",
			c->nr_vcpus, cpus, (unsigned long long)(c->mem_size >> 20),
			(unsigned long long)up, c->restarts, (unsigned long long)traps,
			console_input() == c ? "  (keyboard)" : "");
	}
}

void cell_prompt_command(enum prompt_cmd cmd, const char *arg)
{
	static const enum hc_cell_op ops[] = {
		[PROMPT_STOP] = HC_CELL_STOP, [PROMPT_START] = HC_CELL_START,
		[PROMPT_RESTART] = HC_CELL_RESTART,
	};
	struct cell *c = cell_by_name(arg);

	switch (cmd) {
	case PROMPT_NONE:
	case PROMPT_EXIT:
		return;
	case PROMPT_LIST:
		prompt_list();
		return;
	case PROMPT_HELP:
	case PROMPT_BAD:
		pr_info("commands: list | focus CELL | stop CELL | start CELL | restart CELL | "
			"exit (or Ctrl-] again)\n");
		return;
	default:
		break;
	}
	if (!c) {
		pr_info("no cell '%.32s' (list shows them)\n", arg ? arg : "");
		return;
	}
	if (cmd == PROMPT_FOCUS) {
		console_set_input(c);
		pr_info("the keyboard goes to cell '%s'\n", c->desc->name);
		return;
	}
	if (cell_control(c, ops[cmd], CELLA_STOP_BY_OPERATOR, "by the operator") != CELLA_OK)
		pr_info("cell '%s' is %s\n", c->desc->name,
			cmd == PROMPT_START ? "not stopped" : "not running");
}

void cell_build_cspace(struct cell *c)
{
	const struct sysdesc_cell *d = c->desc;

	c->hc_env = (struct hc_env){
		.cs = &c->cspace, .ctx = c, .lock = cs_lock, .unlock = cs_unlock,
		.exists = cap_obj_exists, .cell_query = cap_cell_query,
		.cell_control = cap_cell_control, .vcpu_query = cap_vcpu_query,
		.chan_info = cap_chan_info, .chan_notify = cap_chan_notify, .wait = cap_wait,
	};
	c->portal_env = c->hc_env;
	c->portal_env.wait = NULL;	/* a Linux vCPU making a call through the portal */

	spin_lock(&c->cs_lock);
	cspace_clear(&c->cspace);
	for (uint32_t i = 0; i < d->nr_caps; i++)
		BUG_ON(cap_grant(&c->cspace, d->caps[i].slot, d->caps[i].type, d->caps[i].obj,
				 d->caps[i].rights));	/* sysdesc_parse checked them */
	/* each channel end's capability, in the free slot sysdesc_parse chose for it */
	for (uint32_t i = 0; i < d->nr_ends; i++)
		BUG_ON(cap_grant(&c->cspace, d->ends[i].slot, CELLA_CAP_CHANNEL, SYSDESC_CHAN_OBJ(i),
				 d->ends[i].rights));
	spin_unlock(&c->cs_lock);
}

