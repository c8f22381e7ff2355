/* hypercall.c - cella's hypercalls: one table from function ID to handler (hypercall.h). */
#include <stddef.h>
#include "core/hypercall.h"


typedef void (*hc_fn)(const struct hc_env *env, uint64_t x[7]);


/* the capability in slot @slot of type @type with rights @need, looked up under the lock */
static int hc_lookup(const struct hc_env *env, uint64_t slot, uint32_t type, uint32_t need,
		     struct cap *out)
{
	int rc;

	env->lock(env->ctx);
	rc = cap_lookup(env->cs, slot, type, need, env->exists, out);
	env->unlock(env->ctx);
	return rc;
}

static unsigned hc_count_calls(void);

static void hc_call_count(const struct hc_env *env, uint64_t x[7])
{
	x[0] = hc_count_calls();
}

static void hc_call_uid(const struct hc_env *env, uint64_t x[7])
{
	x[0] = CELLA_UID0;
	x[1] = CELLA_UID1;
	x[2] = CELLA_UID2;
	x[3] = CELLA_UID3;
}

static void hc_revision(const struct hc_env *env, uint64_t x[7])
{
	x[0] = CELLA_ABI_VERSION_MAJOR;
	x[1] = CELLA_ABI_VERSION_MINOR;
}

static void hc_nop(const struct hc_env *env, uint64_t x[7])
{
	x[0] = CELLA_OK;
}

static void hc_cap_identify(const struct hc_env *env, uint64_t x[7])
{
	uint32_t type = 0, rights = 0;
	int rc;

	env->lock(env->ctx);
	rc = cap_identify(env->cs, x[1], env->exists, &type, &rights);
	env->unlock(env->ctx);
	x[0] = (uint64_t)(int64_t)rc;
	if (rc == 0) {
		x[1] = type;
		x[2] = rights;
	}
}

static void hc_cap_copy(const struct hc_env *env, uint64_t x[7])
{
	int rc;

	env->lock(env->ctx);
	rc = cap_copy(env->cs, x[1], x[2], x[3], env->exists);
	env->unlock(env->ctx);
	x[0] = (uint64_t)(int64_t)rc;
}

static void hc_cap_delete(const struct hc_env *env, uint64_t x[7])
{
	int rc;

	env->lock(env->ctx);
	rc = cap_delete(env->cs, x[1]);
	env->unlock(env->ctx);
	x[0] = (uint64_t)(int64_t)rc;
}

static void hc_cell_query(const struct hc_env *env, uint64_t x[7])
{
	struct cap c;
	int rc = hc_lookup(env, x[1], CELLA_CAP_CELL, CELLA_R_QUERY, &c);

	x[0] = (uint64_t)(int64_t)rc;
	if (rc == 0)
		env->cell_query(env->ctx, c.obj, &x[1], &x[2], &x[3]);
}

/* start, stop, restart: the right each needs */
static void hc_cell_control(const struct hc_env *env, uint64_t x[7], enum hc_cell_op op,
			    uint32_t need)
{
	struct cap c;
	int rc = hc_lookup(env, x[1], CELLA_CAP_CELL, need, &c);

	if (rc == 0)
		rc = env->cell_control(env->ctx, c.obj, op);
	x[0] = (uint64_t)(int64_t)rc;
}

static void hc_cell_start(const struct hc_env *env, uint64_t x[7])
{
	hc_cell_control(env, x, HC_CELL_START, CELLA_R_START);
}

static void hc_cell_stop(const struct hc_env *env, uint64_t x[7])
{
	hc_cell_control(env, x, HC_CELL_STOP, CELLA_R_STOP);
}

static void hc_cell_restart(const struct hc_env *env, uint64_t x[7])
{
	hc_cell_control(env, x, HC_CELL_RESTART, CELLA_R_RESTART);
}

static void hc_vcpu_query(const struct hc_env *env, uint64_t x[7])
{
	struct cap c;
	int rc = hc_lookup(env, x[1], CELLA_CAP_VCPU, CELLA_R_QUERY, &c);

	x[0] = (uint64_t)(int64_t)rc;
	if (rc == 0)
		env->vcpu_query(env->ctx, c.obj, &x[1], &x[2], &x[3]);
}

static void hc_chan_info(const struct hc_env *env, uint64_t x[7])
{
	struct cap c;
	int rc = hc_lookup(env, x[1], CELLA_CAP_CHANNEL, 0, &c);

	x[0] = (uint64_t)(int64_t)rc;
	if (rc == 0)
		env->chan_info(env->ctx, c.obj, &x[1], &x[2], &x[3]);
}

/* ring the peer of the channel in @slot */
static int hc_notify(const struct hc_env *env, uint64_t slot)
{
	struct cap c;
	int rc = hc_lookup(env, slot, CELLA_CAP_CHANNEL, CELLA_R_NOTIFY, &c);

	if (rc == 0)
		env->chan_notify(env->ctx, c.obj);
	return rc;
}

static void hc_chan_notify(const struct hc_env *env, uint64_t x[7])
{
	x[0] = (uint64_t)(int64_t)hc_notify(env, x[1]);
}

static void hc_wait(const struct hc_env *env, uint64_t x[7])
{
	x[0] = (uint64_t)(int64_t)(env->wait ? env->wait(env->ctx, x[1]) : CELLA_E_NOT_SUPPORTED);
}

/* notify, then wait: one call for a round trip's each half */
static void hc_chan_call(const struct hc_env *env, uint64_t x[7])
{
	int rc = env->wait ? hc_notify(env, x[1]) : CELLA_E_NOT_SUPPORTED;

	x[0] = (uint64_t)(int64_t)(rc ? rc : env->wait(env->ctx, x[2]));
}

/* the table, indexed by function number: adding a call is one line here and one in abi.h
 * (and docs/abi.md). SMC64 calls 0x00..; the SMC32 standard queries of the range apart. */
static const hc_fn hc_calls[] = {
	[CELLA_FN_NOP & 0xffff] = hc_nop,
	[CELLA_FN_CAP_IDENTIFY & 0xffff] = hc_cap_identify,
	[CELLA_FN_CAP_COPY & 0xffff] = hc_cap_copy,
	[CELLA_FN_CAP_DELETE & 0xffff] = hc_cap_delete,
	[CELLA_FN_CELL_QUERY & 0xffff] = hc_cell_query,
	[CELLA_FN_CELL_START & 0xffff] = hc_cell_start,
	[CELLA_FN_CELL_STOP & 0xffff] = hc_cell_stop,
	[CELLA_FN_CELL_RESTART & 0xffff] = hc_cell_restart,
	[CELLA_FN_VCPU_QUERY & 0xffff] = hc_vcpu_query,
	[CELLA_FN_CHAN_INFO & 0xffff] = hc_chan_info,
	[CELLA_FN_CHAN_NOTIFY & 0xffff] = hc_chan_notify,
	[CELLA_FN_WAIT & 0xffff] = hc_wait,
	[CELLA_FN_CHAN_CALL & 0xffff] = hc_chan_call,
};

static const struct {
	uint32_t fid;
	hc_fn fn;
} hc_queries[] = {
	{ CELLA_FN_CALL_COUNT, hc_call_count },
	{ CELLA_FN_CALL_UID, hc_call_uid },
	{ CELLA_FN_REVISION, hc_revision },
};

#define HC_NR_CALLS (sizeof(hc_calls) / sizeof(hc_calls[0]))

void hypercall(const struct hc_env *env, uint64_t x[7])
{
	uint32_t fid = (uint32_t)x[0], n = fid & 0xffffu;

	/* SMC64 form, x0[63:32] and bits 23:16 clear (one compare): a number into the table */
	if ((x[0] & ~0xffffull) == CELLA_FN_BASE64) {
		if (n < HC_NR_CALLS && hc_calls[n]) {
			hc_calls[n](env, x);
			return;
		}
	} else if (hc_owns(x[0])) {
		for (size_t i = 0; i < sizeof(hc_queries) / sizeof(hc_queries[0]); i++) {
			if (hc_queries[i].fid == fid) {
				hc_queries[i].fn(env, x);
				return;
			}
		}
	}
	x[0] = (uint64_t)(int64_t)CELLA_E_NOT_SUPPORTED;
}

/* CELLA_FN_CALLS counts the table's calls (what CELLA_FN_CALL_COUNT answers) */
static unsigned hc_count_calls(void)
{
	unsigned c = 0;

	for (size_t i = 0; i < HC_NR_CALLS; i++)
		c += hc_calls[i] != NULL;
	return c;
}
