/* test_cap.c - unit tests for the cspace (src/core/cap.c) and the hypercall decoder
 * (src/core/hypercall.c), with the hostile values a guest can pass: huge and negative slots,
 * empty and deleted slots, wrong types, missing rights, copies that would add rights, unknown
 * function IDs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "core/cap.h"
#include "core/hypercall.h"

/* ---- a fake core: cells 0..2 (object 3 "gone"), each with vCPUs 0 and 1 (objects
 * cell << 8 | vcpu), channel ends 0..3 (object 4 "gone"); records the control, vCPU query,
 * channel info, notify and wait calls ---- */

static struct cspace cs;
static int locked, lock_calls;
static uint32_t ctl_obj = 99, vq_obj = 99;
static int ctl_op = -1, ctl_ret, vq_calls;
static uint32_t ci_obj = 99, nt_obj = 99;
static int ci_calls, nt_calls, wt_calls, wt_ret;
static uint64_t wt_ns;
static int seq, nt_seq, wt_seq;		/* call order: notify before wait */

static void fake_lock(void *ctx)
{
	assert_int_equal(locked, 0);
	locked = 1;
	lock_calls++;
}

static void fake_unlock(void *ctx)
{
	assert_int_equal(locked, 1);
	locked = 0;
}

static bool fake_exists(uint32_t type, uint32_t obj)
{
	if (type == CELLA_CAP_VCPU)
		return (obj >> 8) < 3 && (obj & 0xff) < 2;
	if (type == CELLA_CAP_CHANNEL)
		return obj < 4;
	return type == CELLA_CAP_CELL && obj < 3;
}

static void fake_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *reason,
		       uint64_t *detail)
{
	assert_int_equal(locked, 0);	/* never invoked under the cspace lock */
	*state = CELLA_CELL_STOPPED;
	*reason = CELLA_STOP_FAULT | (7ull << 32);
	*detail = 0x92000046u + obj;
}

static int fake_control(void *ctx, uint32_t obj, enum hc_cell_op op)
{
	assert_int_equal(locked, 0);
	ctl_obj = obj;
	ctl_op = (int)op;
	return ctl_ret;
}

static void fake_vcpu_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *pcpu,
			    uint64_t *index)
{
	assert_int_equal(locked, 0);
	vq_obj = obj;
	vq_calls++;
	*state = CELLA_VCPU_ON_PENDING;
	*pcpu = 0x40 + (obj >> 8);
	*index = obj & 0xff;
}

static void fake_chan_info(void *ctx, uint32_t obj, uint64_t *ipa, uint64_t *size,
			   uint64_t *flags)
{
	assert_int_equal(locked, 0);
	ci_obj = obj;
	ci_calls++;
	*ipa = 0x10000000ull + obj * 0x04000000ull;
	*size = 0x10000;
	*flags = CELLA_R_READ | CELLA_R_NOTIFY | CELLA_CHAN_PEER_RUNNING | (uint64_t)(96 + obj) << 32;
}

static void fake_chan_notify(void *ctx, uint32_t obj)
{
	assert_int_equal(locked, 0);
	nt_obj = obj;
	nt_calls++;
	nt_seq = ++seq;
}

static int fake_wait(void *ctx, uint64_t ns)
{
	assert_int_equal(locked, 0);
	wt_ns = ns;
	wt_calls++;
	wt_seq = ++seq;
	return wt_ret;
}

static struct hc_env env = {
	.cs = &cs, .lock = fake_lock, .unlock = fake_unlock, .exists = fake_exists,
	.cell_query = fake_query, .cell_control = fake_control, .vcpu_query = fake_vcpu_query,
	.chan_info = fake_chan_info, .chan_notify = fake_chan_notify, .wait = fake_wait,
};

static int setup(void **state)
{
	cspace_clear(&cs);
	locked = lock_calls = 0;
	ctl_obj = vq_obj = 99;
	ctl_op = -1;
	ctl_ret = vq_calls = 0;
	ci_obj = nt_obj = 99;
	ci_calls = nt_calls = wt_calls = wt_ret = seq = nt_seq = wt_seq = 0;
	wt_ns = 0;
	env.wait = fake_wait;
	/* slot 0: cell 1, all rights; slot 1: cell 2, query only; slot 5: cell 3 (gone) */
	assert_int_equal(cap_grant(&cs, 0, CELLA_CAP_CELL, 1, CELLA_R_CELL_ALL), 0);
	assert_int_equal(cap_grant(&cs, 1, CELLA_CAP_CELL, 2, CELLA_R_QUERY), 0);
	assert_int_equal(cap_grant(&cs, 5, CELLA_CAP_CELL, 3, CELLA_R_CELL_ALL), 0);
	/* slot 20: vCPU 1 of cell 2, query; slot 21: vCPU 0 of cell 1, no rights; slot 22:
	 * vCPU 5 of cell 1 (gone) */
	assert_int_equal(cap_grant(&cs, 20, CELLA_CAP_VCPU, 0x0201, CELLA_R_VCPU_ALL), 0);
	assert_int_equal(cap_grant(&cs, 21, CELLA_CAP_VCPU, 0x0100, 0), 0);
	assert_int_equal(cap_grant(&cs, 22, CELLA_CAP_VCPU, 0x0105, CELLA_R_QUERY), 0);
	/* slot 40: channel end 0, every right; 41: end 1, read and notify (a reader); 42: end 2,
	 * read only (no notify); 43: end 4 (gone) */
	assert_int_equal(cap_grant(&cs, 40, CELLA_CAP_CHANNEL, 0, CELLA_R_CHAN_ALL), 0);
	assert_int_equal(cap_grant(&cs, 41, CELLA_CAP_CHANNEL, 1, CELLA_R_READ | CELLA_R_NOTIFY), 0);
	assert_int_equal(cap_grant(&cs, 42, CELLA_CAP_CHANNEL, 2, CELLA_R_READ), 0);
	assert_int_equal(cap_grant(&cs, 43, CELLA_CAP_CHANNEL, 4, CELLA_R_CHAN_ALL), 0);
	return 0;
}

/* call @fid with @a1..@a3; returns the status (x0 as signed) and leaves x in @x */
static int64_t call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t x[7])
{
	x[0] = fid;
	x[1] = a1;
	x[2] = a2;
	x[3] = a3;
	x[4] = x[5] = x[6] = 0x5a5a;
	hypercall(&env, x);
	assert_int_equal(locked, 0);
	return (int64_t)x[0];
}

/* the slots a guest might pass that are outside the cspace */
static const uint64_t bad_slots[] = {
	CELLA_CSPACE_SLOTS, CELLA_CSPACE_SLOTS + 1, 0x100000000ull, 0x7fffffffffffffffull,
	UINT64_MAX, (uint64_t)-64, 1ull << 63,
};

static void test_grant(void **state)
{
	struct cspace c;

	cspace_clear(&c);
	assert_int_equal(cap_grant(&c, 0, CELLA_CAP_CELL, 0, CELLA_R_QUERY), 0);
	assert_int_equal(cap_grant(&c, 0, CELLA_CAP_CELL, 1, CELLA_R_QUERY), CELLA_E_FULL);
	assert_int_equal(cap_grant(&c, CELLA_CSPACE_SLOTS, CELLA_CAP_CELL, 0, 0), CELLA_E_RANGE);
	assert_int_equal(cap_grant(&c, UINT64_MAX, CELLA_CAP_CELL, 0, 0), CELLA_E_RANGE);
	assert_int_equal(cap_grant(&c, 1, CELLA_CAP_NONE, 0, 0), CELLA_E_INVAL);
	assert_int_equal(cap_grant(&c, 1, 77, 0, 0), CELLA_E_INVAL);
	assert_int_equal(cap_grant(&c, 1, CELLA_CAP_CELL, 0, 1u << 20), CELLA_E_INVAL);
	assert_int_equal(c.slot[1].type, CELLA_CAP_NONE);
	assert_int_equal(cap_grant(&c, 1, CELLA_CAP_VCPU, 0, CELLA_R_START), CELLA_E_INVAL);
	assert_int_equal(cap_grant(&c, 1, CELLA_CAP_VCPU, 0, CELLA_R_CELL_ALL), CELLA_E_INVAL);
	assert_int_equal(c.slot[1].type, CELLA_CAP_NONE);
	assert_int_equal(cap_grant(&c, 1, CELLA_CAP_VCPU, 0x0301, CELLA_R_QUERY), 0);
	assert_true(c.slot[1].type == CELLA_CAP_VCPU && c.slot[1].obj == 0x0301 &&
		    c.slot[1].rights == CELLA_R_QUERY);
	assert_int_equal(cap_type_rights(CELLA_CAP_CELL), CELLA_R_CELL_ALL);
	assert_int_equal(cap_type_rights(CELLA_CAP_VCPU), CELLA_R_VCPU_ALL);
	assert_int_equal(CELLA_R_VCPU_ALL, CELLA_R_QUERY);
	assert_int_equal(cap_type_rights(CELLA_CAP_NONE), 0);
	assert_int_equal(cap_type_rights(0xffffffffu), 0);
}

static void test_queries(void **state)
{
	uint64_t x[7];

	assert_int_equal(call(CELLA_FN_CALL_COUNT, 0, 0, 0, x), CELLA_FN_CALLS);
	assert_int_equal(CELLA_FN_CALLS, 13);		/* ABI 1.2: 9 calls + 4 of channels */
	call(CELLA_FN_CALL_UID, 0, 0, 0, x);
	assert_true(x[0] == CELLA_UID0 && x[1] == CELLA_UID1 && x[2] == CELLA_UID2 &&
		    x[3] == CELLA_UID3);
	call(CELLA_FN_REVISION, 0, 0, 0, x);
	assert_true(x[0] == CELLA_ABI_VERSION_MAJOR && x[1] == CELLA_ABI_VERSION_MINOR);
	assert_true(x[0] == 1 && x[1] == 2);
	assert_int_equal(CELLA_ABI_VERSION, 0x10002);
	assert_int_equal(call(CELLA_FN_NOP, 1, 2, 3, x), CELLA_OK);
	assert_true(x[1] == 1 && x[2] == 2 && x[3] == 3);	/* no results: untouched */
}

static void test_unknown_ids(void **state)
{
	static const uint64_t ids[] = {
		CELLA_FN(0x04), CELLA_FN(0x14), CELLA_FN(0x1f), CELLA_FN(0x21), CELLA_FN(0xffff),
		CELLA_FN(0x2f), CELLA_FN(0x34), CELLA_FN(0x40),	/* around the channel calls */
		CELLA_FN_BASE32 | 0x31, CELLA_FN_BASE32 | 0x33,	/* SMC32 forms of them */
		CELLA_FN(0xff00), CELLA_FN(0x10020),	/* bits 23:16 set */
		CELLA_FN_BASE32 | 0x01,			/* SMC32 form of CAP_IDENTIFY */
		CELLA_FN_BASE32 | 0x20,			/* SMC32 form of VCPU_QUERY */
		CELLA_FN_BASE32 | 0xff02,		/* reserved query */
		(uint64_t)CELLA_FN_NOP | (1ull << 32),	/* bits 63:32 set */
		CELLA_FN_NOP & ~(1u << 31),		/* a yielding call */
		0xc5000000u, 0xc7000000u, 0x84000000u,	/* other owners (0x84: PSCI) */
		0, UINT64_MAX,
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		uint64_t x[7];

		assert_int_equal(call(ids[i], 0, 0, 0, x), CELLA_E_NOT_SUPPORTED);
		assert_true(x[1] == 0 && x[2] == 0 && x[3] == 0);
	}
	assert_false(hc_owns(0x84000008u));
	assert_true(hc_owns(CELLA_FN_NOP));
	assert_true(hc_owns(CELLA_FN_CALL_COUNT));
	assert_int_equal(lock_calls, 0);
	assert_int_equal(vq_calls, 0);
	assert_true(ci_calls == 0 && nt_calls == 0 && wt_calls == 0);
}

static void test_identify(void **state)
{
	uint64_t x[7];

	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 0, 0, 0, x), CELLA_OK);
	assert_true(x[1] == CELLA_CAP_CELL && x[2] == CELLA_R_CELL_ALL);
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 1, 0, 0, x), CELLA_OK);
	assert_true(x[1] == CELLA_CAP_CELL && x[2] == CELLA_R_QUERY);
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 20, 0, 0, x), CELLA_OK);
	assert_true(x[1] == CELLA_CAP_VCPU && x[2] == CELLA_R_QUERY);
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 21, 0, 0, x), CELLA_OK);
	assert_true(x[1] == CELLA_CAP_VCPU && x[2] == 0);
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 22, 0, 0, x), CELLA_E_NOCAP);	/* gone */
	/* empty, and an object that does not exist: alike */
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 2, 0, 0, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 5, 0, 0, x), CELLA_E_NOCAP);
	assert_true(x[1] == 5);		/* nothing leaks into the results */
	for (size_t i = 0; i < sizeof(bad_slots) / sizeof(bad_slots[0]); i++)
		assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, bad_slots[i], 0, 0, x), CELLA_E_RANGE);
}

static void test_copy_never_adds_rights(void **state)
{
	uint64_t x[7];
	struct cspace before;

	/* fewer rights: fine */
	assert_int_equal(call(CELLA_FN_CAP_COPY, 0, 10, CELLA_R_QUERY | CELLA_R_STOP, x), 0);
	assert_true(cs.slot[10].type == CELLA_CAP_CELL && cs.slot[10].obj == 1 &&
		    cs.slot[10].rights == (CELLA_R_QUERY | CELLA_R_STOP));
	/* a mask asking for more than the source has: the source's rights, no more */
	assert_int_equal(call(CELLA_FN_CAP_COPY, 1, 11, CELLA_R_CELL_ALL, x), 0);
	assert_int_equal(cs.slot[11].rights, CELLA_R_QUERY);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 10, 12, CELLA_R_CELL_ALL, x), 0);
	assert_int_equal(cs.slot[12].rights, CELLA_R_QUERY | CELLA_R_STOP);
	/* refusals change nothing */
	memcpy(&before, &cs, sizeof(cs));
	assert_int_equal(call(CELLA_FN_CAP_COPY, 0, 1, CELLA_R_QUERY, x), CELLA_E_FULL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 0, 0, CELLA_R_QUERY, x), CELLA_E_FULL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 2, 13, CELLA_R_QUERY, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 5, 13, CELLA_R_QUERY, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 0, 13, 1ull << 4, x), CELLA_E_INVAL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 0, 13, 1ull << 32, x), CELLA_E_INVAL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 0, 13, UINT64_MAX, x), CELLA_E_INVAL);
	for (size_t i = 0; i < sizeof(bad_slots) / sizeof(bad_slots[0]); i++) {
		assert_int_equal(call(CELLA_FN_CAP_COPY, bad_slots[i], 13, 1, x), CELLA_E_RANGE);
		assert_int_equal(call(CELLA_FN_CAP_COPY, 0, bad_slots[i], 1, x), CELLA_E_RANGE);
	}
	assert_memory_equal(&before, &cs, sizeof(cs));
}

static void test_delete(void **state)
{
	uint64_t x[7];

	assert_int_equal(call(CELLA_FN_CAP_DELETE, 1, 0, 0, x), CELLA_OK);
	assert_int_equal(call(CELLA_FN_CAP_DELETE, 1, 0, 0, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 1, 0, 0, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_CELL_QUERY, 1, 0, 0, x), CELLA_E_NOCAP);
	for (size_t i = 0; i < sizeof(bad_slots) / sizeof(bad_slots[0]); i++)
		assert_int_equal(call(CELLA_FN_CAP_DELETE, bad_slots[i], 0, 0, x), CELLA_E_RANGE);
	/* a deleted slot can be filled again */
	assert_int_equal(call(CELLA_FN_CAP_COPY, 0, 1, CELLA_R_QUERY, x), CELLA_OK);
}

static void test_cell_calls(void **state)
{
	uint64_t x[7];

	assert_int_equal(call(CELLA_FN_CELL_QUERY, 0, 0, 0, x), CELLA_OK);
	assert_true(x[1] == CELLA_CELL_STOPPED && x[2] == (CELLA_STOP_FAULT | (7ull << 32)) &&
		    x[3] == 0x92000047u);
	assert_int_equal(call(CELLA_FN_CELL_QUERY, 1, 0, 0, x), CELLA_OK);	/* query right */
	assert_int_equal(call(CELLA_FN_CELL_RESTART, 0, 0, 0, x), CELLA_OK);
	assert_true(ctl_obj == 1 && ctl_op == HC_CELL_RESTART);
	assert_int_equal(call(CELLA_FN_CELL_STOP, 0, 0, 0, x), CELLA_OK);
	assert_int_equal(ctl_op, HC_CELL_STOP);
	ctl_ret = CELLA_E_BUSY;
	assert_int_equal(call(CELLA_FN_CELL_START, 0, 0, 0, x), CELLA_E_BUSY);
	assert_int_equal(ctl_op, HC_CELL_START);

	/* missing rights, empty slots, gone objects, bad slots: refused before any action */
	ctl_op = -1;
	assert_int_equal(call(CELLA_FN_CELL_STOP, 1, 0, 0, x), CELLA_E_PERM);
	assert_int_equal(call(CELLA_FN_CELL_START, 1, 0, 0, x), CELLA_E_PERM);
	assert_int_equal(call(CELLA_FN_CELL_RESTART, 1, 0, 0, x), CELLA_E_PERM);
	assert_int_equal(call(CELLA_FN_CELL_STOP, 2, 0, 0, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_CELL_STOP, 5, 0, 0, x), CELLA_E_NOCAP);
	for (size_t i = 0; i < sizeof(bad_slots) / sizeof(bad_slots[0]); i++) {
		assert_int_equal(call(CELLA_FN_CELL_STOP, bad_slots[i], 0, 0, x), CELLA_E_RANGE);
		assert_int_equal(call(CELLA_FN_CELL_QUERY, bad_slots[i], 0, 0, x), CELLA_E_RANGE);
	}
	assert_int_equal(ctl_op, -1);
}

static void test_wrong_type(void **state)
{
	static const uint64_t cell_calls[] = {
		CELLA_FN_CELL_QUERY, CELLA_FN_CELL_START, CELLA_FN_CELL_STOP, CELLA_FN_CELL_RESTART,
	};
	uint64_t x[7];
	struct cap c;

	/* cell calls on a vCPU capability: refused, the core not invoked, results untouched;
	 * the type is checked before the rights (slot 21 holds none) */
	for (size_t i = 0; i < sizeof(cell_calls) / sizeof(cell_calls[0]); i++) {
		assert_int_equal(call(cell_calls[i], 20, 0x77, 0x88, x), CELLA_E_TYPE);
		assert_true(x[1] == 20 && x[2] == 0x77 && x[3] == 0x88);
		assert_int_equal(call(cell_calls[i], 21, 0, 0, x), CELLA_E_TYPE);
		/* an object that does not exist is no capability, whatever its type */
		assert_int_equal(call(cell_calls[i], 22, 0, 0, x), CELLA_E_NOCAP);
	}
	assert_int_equal(ctl_op, -1);
	assert_int_equal(ctl_obj, 99);
	/* a vCPU query on a cell capability, with every right or query only */
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 0, 0x77, 0x88, x), CELLA_E_TYPE);
	assert_true(x[1] == 0 && x[2] == 0x77 && x[3] == 0x88);
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 1, 0, 0, x), CELLA_E_TYPE);
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 5, 0, 0, x), CELLA_E_NOCAP);	/* gone cell */
	assert_int_equal(vq_calls, 0);
	/* the same through cap_lookup */
	assert_int_equal(cap_lookup(&cs, 20, CELLA_CAP_CELL, 0, NULL, &c), CELLA_E_TYPE);
	assert_int_equal(cap_lookup(&cs, 0, CELLA_CAP_VCPU, 0, NULL, &c), CELLA_E_TYPE);
	assert_int_equal(cap_lookup(&cs, 0, CELLA_CAP_CELL, CELLA_R_QUERY, NULL, &c), 0);
	assert_true(c.obj == 1);
	/* a type the ABI does not define, as if the cspace were corrupt: no object exists */
	cs.slot[7] = (struct cap){ .type = 77, .rights = 0x7, .obj = 0 };
	assert_int_equal(cap_lookup(&cs, 7, CELLA_CAP_CELL, 0, NULL, &c), CELLA_E_TYPE);
	assert_int_equal(call(CELLA_FN_CELL_STOP, 7, 0, 0, x), CELLA_E_NOCAP);	/* exists(): no */
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 7, 0, 0, x), CELLA_E_NOCAP);
}

static void test_vcpu_query(void **state)
{
	uint64_t x[7];
	struct cspace before;

	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 20, 0, 0, x), CELLA_OK);
	assert_true(x[1] == CELLA_VCPU_ON_PENDING && x[2] == 0x42 && x[3] == 1);
	assert_true(vq_obj == 0x0201 && vq_calls == 1);
	assert_true(x[4] == 0x5a5a && x[5] == 0x5a5a && x[6] == 0x5a5a);	/* preserved */
	/* refused before the core is asked: no right, gone, empty, outside the cspace */
	memcpy(&before, &cs, sizeof(cs));
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 21, 0x66, 0x77, x), CELLA_E_PERM);
	assert_true(x[1] == 21 && x[2] == 0x66 && x[3] == 0x77);	/* nothing leaks */
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 22, 0, 0, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 2, 0, 0, x), CELLA_E_NOCAP);
	for (size_t i = 0; i < sizeof(bad_slots) / sizeof(bad_slots[0]); i++)
		assert_int_equal(call(CELLA_FN_VCPU_QUERY, bad_slots[i], 0, 0, x), CELLA_E_RANGE);
	assert_int_equal(vq_calls, 1);
	/* copies of a vCPU capability: rights only its type has, never more */
	assert_int_equal(call(CELLA_FN_CAP_COPY, 20, 30, CELLA_R_START, x), CELLA_E_INVAL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 20, 30, CELLA_R_CELL_ALL, x), CELLA_E_INVAL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 22, 30, CELLA_R_QUERY, x), CELLA_E_NOCAP);
	assert_memory_equal(&before, &cs, sizeof(cs));
	assert_int_equal(call(CELLA_FN_CAP_COPY, 21, 30, CELLA_R_QUERY, x), CELLA_OK);
	assert_true(cs.slot[30].type == CELLA_CAP_VCPU && cs.slot[30].obj == 0x0100 &&
		    cs.slot[30].rights == 0);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 20, 31, 0, x), CELLA_OK);
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 31, 0, 0, x), CELLA_E_PERM);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 20, 32, CELLA_R_VCPU_ALL, x), CELLA_OK);
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 32, 0, 0, x), CELLA_OK);
	assert_true(vq_obj == 0x0201 && x[2] == 0x42 && x[3] == 1 && vq_calls == 2);
	/* deleted: gone */
	assert_int_equal(call(CELLA_FN_CAP_DELETE, 32, 0, 0, x), CELLA_OK);
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 32, 0, 0, x), CELLA_E_NOCAP);
	assert_int_equal(ctl_op, -1);
}

static void test_chan_calls(void **state)
{
	uint64_t x[7];

	/* CHAN_INFO needs no right: any channel capability, reader or not */
	assert_int_equal(call(CELLA_FN_CHAN_INFO, 40, 0, 0, x), CELLA_OK);
	assert_true(x[1] == 0x10000000ull && x[2] == 0x10000 && ci_obj == 0);
	assert_int_equal(CELLA_CHAN_INTID(x[3]), 96);
	assert_true((x[3] & CELLA_CHAN_PEER_RUNNING) && !(x[3] & CELLA_CHAN_END1));
	assert_int_equal(call(CELLA_FN_CHAN_INFO, 42, 0, 0, x), CELLA_OK);
	assert_true(ci_obj == 2 && x[1] == 0x18000000ull && CELLA_CHAN_INTID(x[3]) == 98);
	assert_true(x[4] == 0x5a5a && x[5] == 0x5a5a && x[6] == 0x5a5a);	/* preserved */
	assert_int_equal(ci_calls, 2);
	/* CHAN_NOTIFY with the right: the core rings that end */
	assert_int_equal(call(CELLA_FN_CHAN_NOTIFY, 41, 0x11, 0x22, x), CELLA_OK);
	assert_true(nt_obj == 1 && nt_calls == 1);
	assert_true(x[1] == 41 && x[2] == 0x11 && x[3] == 0x22);	/* no results */
	/* WAIT: the timeout passed through, the core's answer too */
	assert_int_equal(call(CELLA_FN_WAIT, 12345, 0, 0, x), CELLA_OK);
	assert_true(wt_calls == 1 && wt_ns == 12345);
	wt_ret = CELLA_E_TIMEOUT;
	assert_int_equal(call(CELLA_FN_WAIT, 0, 0, 0, x), CELLA_E_TIMEOUT);
	assert_true(wt_calls == 2 && wt_ns == 0);
	assert_int_equal(call(CELLA_FN_WAIT, CELLA_WAIT_FOREVER, 0, 0, x), CELLA_E_TIMEOUT);
	assert_true(wt_ns == CELLA_WAIT_FOREVER);
	assert_true(nt_calls == 1 && lock_calls == 3);	/* WAIT takes no slot, no lock */
	/* CHAN_CALL: notify, then wait, with x2 as the timeout */
	wt_ret = CELLA_OK;
	assert_int_equal(call(CELLA_FN_CHAN_CALL, 40, 777, 0, x), CELLA_OK);
	assert_true(nt_obj == 0 && nt_calls == 2 && wt_calls == 4 && wt_ns == 777);
	assert_true(nt_seq < wt_seq);
	wt_ret = CELLA_E_TIMEOUT;
	assert_int_equal(call(CELLA_FN_CHAN_CALL, 41, 5, 0, x), CELLA_E_TIMEOUT);
	assert_true(nt_obj == 1 && nt_calls == 3 && wt_calls == 5 && wt_ns == 5);
	assert_int_equal(ctl_op, -1);
}

/* refusals in the documented order: range, no capability (empty or gone), type, rights; the
 * core is never invoked and no result leaks */
static void test_chan_errors(void **state)
{
	static const uint64_t slot_calls[] = {
		CELLA_FN_CHAN_INFO, CELLA_FN_CHAN_NOTIFY, CELLA_FN_CHAN_CALL,
	};
	uint64_t x[7];
	struct cspace before;

	memcpy(&before, &cs, sizeof(cs));
	for (size_t i = 0; i < sizeof(slot_calls) / sizeof(slot_calls[0]); i++) {
		uint64_t fid = slot_calls[i];

		for (size_t j = 0; j < sizeof(bad_slots) / sizeof(bad_slots[0]); j++)
			assert_int_equal(call(fid, bad_slots[j], 0, 0, x), CELLA_E_RANGE);
		assert_int_equal(call(fid, 2, 0x66, 0x77, x), CELLA_E_NOCAP);	/* empty */
		assert_true(x[1] == 2 && x[2] == 0x66 && x[3] == 0x77);
		assert_int_equal(call(fid, 43, 0, 0, x), CELLA_E_NOCAP);	/* gone */
		assert_int_equal(call(fid, 0, 0x66, 0x77, x), CELLA_E_TYPE);	/* a cell cap */
		assert_true(x[1] == 0 && x[2] == 0x66 && x[3] == 0x77);
		assert_int_equal(call(fid, 20, 0, 0, x), CELLA_E_TYPE);		/* a vCPU cap */
		assert_int_equal(call(fid, 21, 0, 0, x), CELLA_E_TYPE);		/* rightless */
	}
	/* notify without CELLA_R_NOTIFY: PERM, and CHAN_CALL then does not wait either */
	assert_int_equal(call(CELLA_FN_CHAN_NOTIFY, 42, 0, 0, x), CELLA_E_PERM);
	assert_int_equal(call(CELLA_FN_CHAN_CALL, 42, 1000, 0, x), CELLA_E_PERM);
	assert_true(x[1] == 42 && x[2] == 1000);
	assert_true(ci_calls == 0 && nt_calls == 0 && wt_calls == 0);
	/* channel caps are no cell or vCPU caps either */
	assert_int_equal(call(CELLA_FN_CELL_STOP, 40, 0, 0, x), CELLA_E_TYPE);
	assert_int_equal(call(CELLA_FN_CELL_QUERY, 40, 0, 0, x), CELLA_E_TYPE);
	assert_int_equal(call(CELLA_FN_VCPU_QUERY, 41, 0, 0, x), CELLA_E_TYPE);
	assert_true(ctl_op == -1 && vq_calls == 0);
	/* WAIT checks no slot: x1 is a timeout, any value */
	for (size_t j = 0; j < sizeof(bad_slots) / sizeof(bad_slots[0]); j++)
		assert_int_equal(call(CELLA_FN_WAIT, bad_slots[j], 0, 0, x), CELLA_OK);
	assert_memory_equal(&before, &cs, sizeof(cs));
}

/* where the caller cannot wait (the Linux portal: env.wait NULL), WAIT and CHAN_CALL answer
 * NOT_SUPPORTED and CHAN_CALL does not ring the peer; INFO and NOTIFY still work */
static void test_chan_no_wait(void **state)
{
	uint64_t x[7];

	env.wait = NULL;
	assert_int_equal(call(CELLA_FN_WAIT, 100, 0, 0, x), CELLA_E_NOT_SUPPORTED);
	assert_int_equal(call(CELLA_FN_CHAN_CALL, 40, 100, 0, x), CELLA_E_NOT_SUPPORTED);
	assert_int_equal(call(CELLA_FN_CHAN_CALL, 42, 100, 0, x), CELLA_E_NOT_SUPPORTED);
	assert_int_equal(call(CELLA_FN_CHAN_CALL, UINT64_MAX, 100, 0, x), CELLA_E_NOT_SUPPORTED);
	assert_true(nt_calls == 0 && wt_calls == 0 && lock_calls == 0);
	assert_int_equal(call(CELLA_FN_CHAN_NOTIFY, 40, 0, 0, x), CELLA_OK);
	assert_int_equal(call(CELLA_FN_CHAN_INFO, 41, 0, 0, x), CELLA_OK);
	assert_true(nt_calls == 1 && ci_calls == 1 && wt_calls == 0);
	assert_int_equal(call(CELLA_FN_CALL_COUNT, 0, 0, 0, x), 13);	/* still counted */
}

/* copies of a channel capability: the same end, the same or fewer rights, never more */
static void test_chan_copy(void **state)
{
	uint64_t x[7];

	assert_int_equal(cap_type_rights(CELLA_CAP_CHANNEL), CELLA_R_CHAN_ALL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 40, 50, CELLA_R_READ | CELLA_R_WRITE, x), 0);
	assert_true(cs.slot[50].type == CELLA_CAP_CHANNEL && cs.slot[50].obj == 0 &&
		    cs.slot[50].rights == (CELLA_R_READ | CELLA_R_WRITE));
	assert_int_equal(call(CELLA_FN_CAP_IDENTIFY, 50, 0, 0, x), CELLA_OK);
	assert_true(x[1] == CELLA_CAP_CHANNEL && x[2] == (CELLA_R_READ | CELLA_R_WRITE));
	/* the copy lost NOTIFY: it can no longer ring, but still answers INFO */
	assert_int_equal(call(CELLA_FN_CHAN_NOTIFY, 50, 0, 0, x), CELLA_E_PERM);
	assert_int_equal(call(CELLA_FN_CHAN_CALL, 50, 0, 0, x), CELLA_E_PERM);
	assert_int_equal(call(CELLA_FN_CHAN_INFO, 50, 0, 0, x), CELLA_OK);
	assert_true(ci_obj == 0 && nt_calls == 0 && wt_calls == 0);
	/* a reader's copy asking for every right gets what it had: no WRITE appears */
	assert_int_equal(call(CELLA_FN_CAP_COPY, 41, 51, CELLA_R_CHAN_ALL, x), 0);
	assert_int_equal(cs.slot[51].rights, CELLA_R_READ | CELLA_R_NOTIFY);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 42, 52, CELLA_R_NOTIFY, x), 0);
	assert_int_equal(cs.slot[52].rights, 0);
	assert_int_equal(call(CELLA_FN_CHAN_NOTIFY, 52, 0, 0, x), CELLA_E_PERM);
	/* masks with bits a channel does not define; a gone end */
	assert_int_equal(call(CELLA_FN_CAP_COPY, 40, 53, 1ull << 3, x), CELLA_E_INVAL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 40, 53, CELLA_R_CELL_ALL, x), CELLA_E_INVAL);
	assert_int_equal(call(CELLA_FN_CAP_COPY, 43, 53, CELLA_R_READ, x), CELLA_E_NOCAP);
	assert_int_equal(cs.slot[53].type, CELLA_CAP_NONE);
	/* the copy rings the same end; deleting the original leaves the copy working */
	assert_int_equal(call(CELLA_FN_CAP_COPY, 40, 53, CELLA_R_NOTIFY, x), 0);
	assert_int_equal(call(CELLA_FN_CAP_DELETE, 40, 0, 0, x), CELLA_OK);
	assert_int_equal(call(CELLA_FN_CHAN_NOTIFY, 40, 0, 0, x), CELLA_E_NOCAP);
	assert_int_equal(call(CELLA_FN_CHAN_NOTIFY, 53, 0, 0, x), CELLA_OK);
	assert_true(nt_obj == 0 && nt_calls == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_grant, setup),
		cmocka_unit_test_setup(test_queries, setup),
		cmocka_unit_test_setup(test_unknown_ids, setup),
		cmocka_unit_test_setup(test_identify, setup),
		cmocka_unit_test_setup(test_copy_never_adds_rights, setup),
		cmocka_unit_test_setup(test_delete, setup),
		cmocka_unit_test_setup(test_cell_calls, setup),
		cmocka_unit_test_setup(test_wrong_type, setup),
		cmocka_unit_test_setup(test_vcpu_query, setup),
		cmocka_unit_test_setup(test_chan_calls, setup),
		cmocka_unit_test_setup(test_chan_errors, setup),
		cmocka_unit_test_setup(test_chan_no_wait, setup),
		cmocka_unit_test_setup(test_chan_copy, setup),
	};

	return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
