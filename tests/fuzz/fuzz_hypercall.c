/* fuzz_hypercall.c - libFuzzer harness for cella's hypercalls and the cspace
 * (src/core/hypercall.c, src/core/cap.c), driven as a hostile guest would.
 *
 * Input: byte 0 = how many initial grants (% 8); each grant 3 bytes: slot (% 72, so some are
 * out of range), object (% 6: objects 4 and 5 do not exist), rights (any byte: bits the type
 * lacks are refused). Then calls until the input ends, 26 bytes each: which (byte: % 16 picks
 * one of cella's 11 IDs or an unknown/odd one), then x1, x2, x3 (8 bytes little-endian each;
 * when the top bit of the which byte is set, x1 and x2 are taken % 80, so that valid slots
 * are common), and one byte for what cell control answers.
 *
 * Checked (hypercall.h, cap.h): the cspace lock is balanced and never held while the core is
 * invoked; a failed call (x0 < 0) changes no slot; a capability never holds more rights than
 * its object was granted at the start (copies only lose rights); slots hold only known types;
 * unknown IDs answer -1; cell control and query run only with the right, on an object that
 * exists, and a control call's status is passed through. */
#include "fuzz.h"
#include "core/cap.h"
#include "core/hypercall.h"

#define NR_OBJ 6
#define LIVE_OBJ 4

static struct cspace cs;
static uint32_t granted[NR_OBJ];	/* rights ever granted per object */
static int locked, invoked_ok;
static int ctl_answer;

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
	return type == CELLA_CAP_CELL && obj < LIVE_OBJ;
}

static void f_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *reason, uint64_t *detail)
{
	FUZZ_CHECK(!locked && obj < LIVE_OBJ);
	invoked_ok = 1;
	*state = CELLA_CELL_RUNNING;
	*reason = CELLA_STOP_NONE;
	*detail = 0;
}

static int f_control(void *ctx, uint32_t obj, enum hc_cell_op op)
{
	FUZZ_CHECK(!locked && obj < LIVE_OBJ && op <= HC_CELL_RESTART);
	invoked_ok = 1;
	return ctl_answer;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static const uint64_t ids[16] = {
	CELLA_FN_CALL_COUNT, CELLA_FN_CALL_UID, CELLA_FN_REVISION, CELLA_FN_NOP,
	CELLA_FN_CAP_IDENTIFY, CELLA_FN_CAP_COPY, CELLA_FN_CAP_DELETE, CELLA_FN_CELL_QUERY,
	CELLA_FN_CELL_START, CELLA_FN_CELL_STOP, CELLA_FN_CELL_RESTART,
	CELLA_FN(0x20), CELLA_FN_BASE32 | 0x01, (uint64_t)CELLA_FN_NOP | (1ull << 32),
	0x84000008u, CELLA_FN(0x03) & ~(1u << 31),
};

/* the right a cell call needs, or 0 for calls that are not cell calls */
static uint32_t need_of(uint64_t fid)
{
	switch (fid) {
	case CELLA_FN_CELL_QUERY: return CELLA_R_QUERY;
	case CELLA_FN_CELL_START: return CELLA_R_START;
	case CELLA_FN_CELL_STOP: return CELLA_R_STOP;
	case CELLA_FN_CELL_RESTART: return CELLA_R_RESTART;
	default: return 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hc_env env = {
		.cs = &cs, .lock = f_lock, .unlock = f_unlock, .exists = f_exists,
		.cell_query = f_query, .cell_control = f_control,
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
		uint32_t obj = data[pos + 1] % NR_OBJ, rights = data[pos + 2];

		if (cap_grant(&cs, data[pos] % 72, CELLA_CAP_CELL, obj, rights) == 0)
			granted[obj] |= rights;
		else
			FUZZ_CHECK(data[pos] % 72 >= CELLA_CSPACE_SLOTS || (rights & ~CELLA_R_CELL_ALL) ||
				   cs.slot[data[pos] % 72].type != CELLA_CAP_NONE);
	}
	for (; pos + 26 <= size; pos += 26) {
		struct cspace before;
		uint64_t x[7] = { 0 }, fid = ids[data[pos] % 16];
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
		if (x[1] < CELLA_CSPACE_SLOTS) {
			held = cs.slot[x[1]];
			had = held.type != CELLA_CAP_NONE && f_exists(held.type, held.obj);
		}
		memcpy(&before, &cs, sizeof(cs));
		invoked_ok = 0;
		hypercall(&env, x);
		rc = (int64_t)x[0];
		FUZZ_CHECK(!locked);

		if (fid == CELLA_FN_CALL_COUNT || fid == CELLA_FN_CALL_UID || fid == CELLA_FN_REVISION)
			continue;	/* values, not statuses */
		if (data[pos] % 16 >= 11)
			FUZZ_CHECK(rc == CELLA_E_NOT_SUPPORTED);
		FUZZ_CHECK(rc <= 0 && rc >= CELLA_E_FULL);
		if (rc < 0)
			FUZZ_CHECK(memcmp(&before, &cs, sizeof(cs)) == 0);
		if (need_of(fid)) {
			/* the core was invoked iff the slot held a live cell cap with the right */
			int allowed = had && held.type == CELLA_CAP_CELL &&
				      (held.rights & need_of(fid)) == need_of(fid);

			FUZZ_CHECK(invoked_ok == allowed);
			if (allowed && fid != CELLA_FN_CELL_QUERY)
				FUZZ_CHECK(rc == ctl_answer);
		} else {
			FUZZ_CHECK(!invoked_ok);
		}
		for (unsigned s = 0; s < CELLA_CSPACE_SLOTS; s++) {
			const struct cap *c = &cs.slot[s];

			FUZZ_CHECK(c->type == CELLA_CAP_NONE || c->type == CELLA_CAP_CELL);
			if (c->type == CELLA_CAP_CELL)
				FUZZ_CHECK(c->obj < NR_OBJ && (c->rights & ~granted[c->obj]) == 0);
		}
	}
	return 0;
}
