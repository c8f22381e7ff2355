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
 * cell << 8 | vcpu); records the control and vCPU query calls ---- */

static struct cspace cs;
static int locked, lock_calls;
static uint32_t ctl_obj = 99, vq_obj = 99;
static int ctl_op = -1, ctl_ret, vq_calls;

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

static const struct hc_env env = {
	.cs = &cs, .lock = fake_lock, .unlock = fake_unlock, .exists = fake_exists,
	.cell_query = fake_query, .cell_control = fake_control, .vcpu_query = fake_vcpu_query,
};

static int setup(void **state)
{
	cspace_clear(&cs);
	locked = lock_calls = 0;
	ctl_obj = vq_obj = 99;
	ctl_op = -1;
	ctl_ret = vq_calls = 0;
	/* slot 0: cell 1, all rights; slot 1: cell 2, query only; slot 5: cell 3 (gone) */
	assert_int_equal(cap_grant(&cs, 0, CELLA_CAP_CELL, 1, CELLA_R_CELL_ALL), 0);
	assert_int_equal(cap_grant(&cs, 1, CELLA_CAP_CELL, 2, CELLA_R_QUERY), 0);
	assert_int_equal(cap_grant(&cs, 5, CELLA_CAP_CELL, 3, CELLA_R_CELL_ALL), 0);
	/* slot 20: vCPU 1 of cell 2, query; slot 21: vCPU 0 of cell 1, no rights; slot 22:
	 * vCPU 5 of cell 1 (gone) */
	assert_int_equal(cap_grant(&cs, 20, CELLA_CAP_VCPU, 0x0201, CELLA_R_VCPU_ALL), 0);
	assert_int_equal(cap_grant(&cs, 21, CELLA_CAP_VCPU, 0x0100, 0), 0);
	assert_int_equal(cap_grant(&cs, 22, CELLA_CAP_VCPU, 0x0105, CELLA_R_QUERY), 0);
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
	call(CELLA_FN_CALL_UID, 0, 0, 0, x);
	assert_true(x[0] == CELLA_UID0 && x[1] == CELLA_UID1 && x[2] == CELLA_UID2 &&
		    x[3] == CELLA_UID3);
	call(CELLA_FN_REVISION, 0, 0, 0, x);
	assert_true(x[0] == CELLA_ABI_VERSION_MAJOR && x[1] == CELLA_ABI_VERSION_MINOR);
	assert_int_equal(call(CELLA_FN_NOP, 1, 2, 3, x), CELLA_OK);
	assert_true(x[1] == 1 && x[2] == 2 && x[3] == 3);	/* no results: untouched */
}

static void test_unknown_ids(void **state)
{
	static const uint64_t ids[] = {
		CELLA_FN(0x04), CELLA_FN(0x14), CELLA_FN(0x1f), CELLA_FN(0x21), CELLA_FN(0xffff),
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
	};

	return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
