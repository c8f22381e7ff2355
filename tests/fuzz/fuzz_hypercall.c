/* fuzz_hypercall.c - libFuzzer harness for cella's hypercalls and the cspace
 * (src/core/hypercall.c, src/core/cap.c), driven as a hostile guest would.
 *
 * Input: byte 0 = how many initial grants (% 8); each grant 3 bytes: slot (% 72, so some are
 * out of range), object (bits 6:0 % 6: objects 4 and 5 do not exist; bit 7 set: a vCPU
 * capability, else bit 6 set: a channel's, else a cell's),
 * rights (any byte: bits the type lacks are refused). Then calls until the input ends, 26
 * bytes each: which (byte: bits 6:0 % 23 pick one of cella's 16 IDs or an unknown/odd one),
 * then x1, x2, x3 (8 bytes little-endian each; when the top bit of the which byte is set, x1
 * and x2 are taken % 80, so that valid slots are common), and one byte for what cell control
 * answers (bit 0), whether the caller can wait (bit 1 clear; set: env.wait is NULL, as for
 * the portal) and what WAIT answers (bit 2: CELLA_E_TIMEOUT).
 *
 * Checked (hypercall.h, cap.h): the cspace lock is balanced and never held while the core is
 * invoked; a failed call (x0 < 0) changes no slot; a capability never holds more rights than
 * its object, of its type, was granted at the start (copies only lose rights); slots hold only
 * known types; unknown IDs answer -1; cell control and query, and the
 * vCPU query, run only on a capability of their type with the right, on an object that exists,
 * and a control call's status is passed through; CHAN_INFO runs on any live channel
 * capability, CHAN_NOTIFY and CHAN_CALL ring only with CELLA_R_NOTIFY; WAIT and CHAN_CALL wait
 * only when the caller can (else NOT_SUPPORTED and no ring), CHAN_CALL only after its ring. */
#include "fuzz.h"
#include "core/cap.h"
#include "core/hypercall.h"

#define NR_OBJ 6
#define LIVE_OBJ 4
#define NR_TYPES 4			/* CELLA_CAP_NONE, CELL, VCPU, CHANNEL */

static struct cspace cs;
static uint32_t granted[NR_TYPES][NR_OBJ];	/* rights ever granted per type and object */
static int locked;
static uint64_t invoked;		/* the call whose core callback ran, 0 if none */
static int ctl_answer, wait_answer;
static unsigned notified, waited;	/* chan_notify and wait calls in this hypercall */
static uint32_t notified_obj;

static void f_lock(void *ctx)
{
	FUZZ_CHECK(!locked);
	locked = 1;
}

static void f_unlock(void *ctx)
{
	FUZZ_CHECK(locked);
	locked = 0;
}

static bool f_exists(uint32_t type, uint32_t obj)
{
	return (type == CELLA_CAP_CELL || type == CELLA_CAP_VCPU || type == CELLA_CAP_CHANNEL) &&
	       obj < LIVE_OBJ;
}

static void f_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *reason, uint64_t *detail)
{
	FUZZ_CHECK(!locked && obj < LIVE_OBJ && !invoked);
	invoked = CELLA_FN_CELL_QUERY;
	*state = CELLA_CELL_RUNNING;
	*reason = CELLA_STOP_NONE;
	*detail = 0;
}

static int f_control(void *ctx, uint32_t obj, enum hc_cell_op op)
{
	static const uint64_t fids[] = {
		[HC_CELL_START] = CELLA_FN_CELL_START, [HC_CELL_STOP] = CELLA_FN_CELL_STOP,
		[HC_CELL_RESTART] = CELLA_FN_CELL_RESTART,
	};

	FUZZ_CHECK(!locked && obj < LIVE_OBJ && op <= HC_CELL_RESTART && !invoked);
	invoked = fids[op];
	return ctl_answer;
}

static void f_vcpu_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *pcpu,
			 uint64_t *index)
{
	FUZZ_CHECK(!locked && obj < LIVE_OBJ && !invoked);
	invoked = CELLA_FN_VCPU_QUERY;
	*state = CELLA_VCPU_ON;
	*pcpu = obj;
	*index = 0;
}

static void f_chan_info(void *ctx, uint32_t obj, uint64_t *ipa, uint64_t *size,
			uint64_t *flags)
{
	FUZZ_CHECK(!locked && obj < LIVE_OBJ && !invoked);
	invoked = CELLA_FN_CHAN_INFO;
	*ipa = 0x10000000ull + obj * 0x04000000ull;
	*size = 0x1000;
	*flags = (uint64_t)(96 + obj) << 32;
}

static void f_chan_notify(void *ctx, uint32_t obj)
{
	FUZZ_CHECK(!locked && obj < LIVE_OBJ && !notified && !waited);
	notified++;
	notified_obj = obj;
}

static int f_wait(void *ctx, uint64_t ns)
{
	FUZZ_CHECK(!locked && !waited);
	waited++;
	return wait_answer;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* cella's IDs first (NR_KNOWN), then unknown and odd ones; the seeds pick by index */
#define NR_KNOWN 16
static const uint64_t ids[] = {
	CELLA_FN_CALL_COUNT, CELLA_FN_CALL_UID, CELLA_FN_REVISION, CELLA_FN_NOP,
	CELLA_FN_CAP_IDENTIFY, CELLA_FN_CAP_COPY, CELLA_FN_CAP_DELETE, CELLA_FN_CELL_QUERY,
	CELLA_FN_CELL_START, CELLA_FN_CELL_STOP, CELLA_FN_CELL_RESTART, CELLA_FN_VCPU_QUERY,
	CELLA_FN_CHAN_INFO, CELLA_FN_CHAN_NOTIFY, CELLA_FN_WAIT, CELLA_FN_CHAN_CALL,
	CELLA_FN(0x21), CELLA_FN_BASE32 | 0x01, (uint64_t)CELLA_FN_NOP | (1ull << 32),
	0x84000008u, CELLA_FN(0x03) & ~(1u << 31), CELLA_FN(0x34), CELLA_FN_BASE32 | 0x31,
};
#define NR_IDS (sizeof(ids) / sizeof(ids[0]))

/* whether @fid acts on the capability in slot x1 */
static bool on_slot(uint64_t fid)
{
	switch (fid) {
	case CELLA_FN_CELL_QUERY: case CELLA_FN_CELL_START: case CELLA_FN_CELL_STOP:
	case CELLA_FN_CELL_RESTART: case CELLA_FN_VCPU_QUERY: case CELLA_FN_CHAN_INFO:
	case CELLA_FN_CHAN_NOTIFY: case CELLA_FN_CHAN_CALL:
		return true;
	default:
		return false;
	}
}

/* the right a call on an object needs (0: none, as CHAN_INFO) */
static uint32_t need_of(uint64_t fid)
{
	switch (fid) {
	case CELLA_FN_CHAN_NOTIFY: return CELLA_R_NOTIFY;
	case CELLA_FN_CHAN_CALL: return CELLA_R_NOTIFY;
	case CELLA_FN_CELL_QUERY: return CELLA_R_QUERY;
	case CELLA_FN_CELL_START: return CELLA_R_START;
	case CELLA_FN_CELL_STOP: return CELLA_R_STOP;
	case CELLA_FN_CELL_RESTART: return CELLA_R_RESTART;
	case CELLA_FN_VCPU_QUERY: return CELLA_R_QUERY;
	default: return 0;
	}
}

/* the rights abi.h defines for capabilities of @type (not cap.c's table, which this checks) */
static uint32_t abi_rights(uint32_t type)
{
	return type == CELLA_CAP_CELL ? CELLA_R_CELL_ALL
	       : type == CELLA_CAP_VCPU ? CELLA_R_VCPU_ALL
	       : type == CELLA_CAP_CHANNEL ? CELLA_R_CHAN_ALL : 0;
}

/* the capability type a call on an object needs */
static uint32_t type_of(uint64_t fid)
{
	switch (fid) {
	case CELLA_FN_VCPU_QUERY: return CELLA_CAP_VCPU;
	case CELLA_FN_CHAN_INFO: case CELLA_FN_CHAN_NOTIFY: case CELLA_FN_CHAN_CALL:
		return CELLA_CAP_CHANNEL;
	default: return CELLA_CAP_CELL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hc_env env = {
		.cs = &cs, .lock = f_lock, .unlock = f_unlock, .exists = f_exists,
		.cell_query = f_query, .cell_control = f_control, .vcpu_query = f_vcpu_query,
		.chan_info = f_chan_info, .chan_notify = f_chan_notify,
	};
	size_t pos = 1;
	unsigned n;

	if (size < 1)
		return 0;
	cspace_clear(&cs);
	memset(granted, 0, sizeof(granted));
	locked = 0;
	n = data[0] % 8;
	for (unsigned i = 0; i < n && pos + 3 <= size; i++, pos += 3) {
		uint32_t obj = (data[pos + 1] & 0x7f) % NR_OBJ, rights = data[pos + 2];
		uint32_t type = data[pos + 1] & 0x80   ? CELLA_CAP_VCPU
				: data[pos + 1] & 0x40 ? CELLA_CAP_CHANNEL : CELLA_CAP_CELL;

		if (cap_grant(&cs, data[pos] % 72, type, obj, rights) == 0)
			granted[type][obj] |= rights;
		else
			FUZZ_CHECK(data[pos] % 72 >= CELLA_CSPACE_SLOTS ||
				   (rights & ~abi_rights(type)) ||
				   cs.slot[data[pos] % 72].type != CELLA_CAP_NONE);
	}
	for (; pos + 26 <= size; pos += 26) {
		struct cspace before;
		unsigned which = (data[pos] & 0x7f) % NR_IDS;
		uint64_t x[7] = { 0 }, fid = ids[which], slot;
		int64_t rc;
		struct cap held = { 0 };
		int had = 0;

		x[0] = fid;
		x[1] = le64(data + pos + 1);
		x[2] = le64(data + pos + 9);
		x[3] = le64(data + pos + 17);
		if (data[pos] & 0x80) {
			x[1] %= 80;
			x[2] %= 80;
		}
		ctl_answer = data[pos + 25] & 1 ? CELLA_E_BUSY : CELLA_OK;
		env.wait = data[pos + 25] & 2 ? NULL : f_wait;
		wait_answer = data[pos + 25] & 4 ? CELLA_E_TIMEOUT : CELLA_OK;
		notified = waited = 0;
		slot = x[1];
		if (slot < CELLA_CSPACE_SLOTS) {
			held = cs.slot[slot];
			had = held.type != CELLA_CAP_NONE && f_exists(held.type, held.obj);
		}
		memcpy(&before, &cs, sizeof(cs));
		invoked = 0;
		hypercall(&env, x);
		rc = (int64_t)x[0];
		FUZZ_CHECK(!locked);

		if (fid == CELLA_FN_CALL_COUNT || fid == CELLA_FN_CALL_UID || fid == CELLA_FN_REVISION)
			continue;	/* values, not statuses */
		if (which >= NR_KNOWN)
			FUZZ_CHECK(rc == CELLA_E_NOT_SUPPORTED);
		FUZZ_CHECK(rc <= 0 && rc >= CELLA_E_TIMEOUT);
		if (rc < 0)
			FUZZ_CHECK(memcmp(&before, &cs, sizeof(cs)) == 0);
		/* waits: only WAIT and CHAN_CALL, only where the caller can wait */
		if (fid == CELLA_FN_WAIT)
			FUZZ_CHECK(env.wait ? waited == 1 && rc == wait_answer
					    : !waited && rc == CELLA_E_NOT_SUPPORTED);
		else if (fid != CELLA_FN_CHAN_CALL)
			FUZZ_CHECK(!waited && (fid == CELLA_FN_CHAN_NOTIFY || !notified));
		if (fid == CELLA_FN_CHAN_CALL && !env.wait)	/* refused before any lookup */
			FUZZ_CHECK(rc == CELLA_E_NOT_SUPPORTED && !notified && !waited);
		else if (fid == CELLA_FN_CHAN_NOTIFY || fid == CELLA_FN_CHAN_CALL) {
			/* the ring is the invocation: it happens iff the lookup passed */
			int ok = had && held.type == CELLA_CAP_CHANNEL &&
				 (held.rights & CELLA_R_NOTIFY);

			FUZZ_CHECK(notified == (unsigned)ok && (!ok || notified_obj == held.obj));
			FUZZ_CHECK(waited == (unsigned)(ok && fid == CELLA_FN_CHAN_CALL));
			if (ok)
				invoked = fid;
			if (ok)
				FUZZ_CHECK(rc == (fid == CELLA_FN_CHAN_CALL ? wait_answer : CELLA_OK));
		}
		if (on_slot(fid) && (fid != CELLA_FN_CHAN_CALL || env.wait)) {
			/* the core was invoked, with that call's callback, iff the slot held a live
			 * cap of the call's type with the right; otherwise the first error in the
			 * documented order: range, no capability, type, rights */
			int right = (held.rights & need_of(fid)) == need_of(fid);
			int allowed = had && held.type == type_of(fid) && right;

			FUZZ_CHECK(invoked == (allowed ? fid : 0));
			if (allowed && (fid == CELLA_FN_CELL_START || fid == CELLA_FN_CELL_STOP ||
					fid == CELLA_FN_CELL_RESTART))
				FUZZ_CHECK(rc == ctl_answer);
			if (allowed && fid == CELLA_FN_CHAN_INFO)
				FUZZ_CHECK(rc == CELLA_OK && x[1] == 0x10000000ull + held.obj *
					   0x04000000ull && CELLA_CHAN_INTID(x[3]) == 96 + held.obj);
			if (allowed && fid == CELLA_FN_VCPU_QUERY)
				FUZZ_CHECK(rc == CELLA_OK && x[1] == CELLA_VCPU_ON &&
					   x[2] == held.obj);
			if (!allowed)
				FUZZ_CHECK(rc == (slot >= CELLA_CSPACE_SLOTS ? CELLA_E_RANGE
						  : !had ? CELLA_E_NOCAP
						  : held.type != type_of(fid) ? CELLA_E_TYPE
						  : CELLA_E_PERM));
		} else {
			FUZZ_CHECK(!invoked);
		}
		/* a copy succeeds only with a mask of rights the source's type has */
		if (fid == CELLA_FN_CAP_COPY && rc == CELLA_OK)
			FUZZ_CHECK(had && (x[3] & ~(uint64_t)abi_rights(held.type)) == 0);
		for (unsigned s = 0; s < CELLA_CSPACE_SLOTS; s++) {
			const struct cap *c = &cs.slot[s];

			FUZZ_CHECK(c->type < NR_TYPES && (c->rights & ~abi_rights(c->type)) == 0);
			if (c->type != CELLA_CAP_NONE)
				FUZZ_CHECK(c->obj < NR_OBJ &&
					   (c->rights & ~granted[c->type][c->obj]) == 0);
		}
	}
	return 0;
}
