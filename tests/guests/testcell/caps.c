/* caps.c - testcell.mode=hostile-caps: cella's hypercalls (include/cella/abi.h) driven as a
 * hostile guest would, then cell control through a capability that works.
 *
 * The description (tests/system/21-caps.t) grants this cell slot 0: cell 'target' with
 * query, start and stop; slot 1: the same cell with query only; slots 8 and 9: vCPUs 0 and 1
 * of 'target', query. 'target' pins them to pCPUs 3 and 1 (cpus = <3 1>) and only ever starts
 * vCPU 0. Nothing else: the ticker beside it is a cell this one holds no capability for. */
#include <cella/abi.h>
#include "testcell.h"

#define SLOT_V0 8		/* vCPU 0 of 'target', on pCPU 3 */
#define SLOT_V1 9		/* vCPU 1 of 'target', on pCPU 1, never started */
#define V0_PCPU 3
#define V1_PCPU 1

/* an SMCCC call returning x0..x3 in @r */
static void hc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t r[4])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	r[0] = x0;
	r[1] = x1;
	r[2] = x2;
	r[3] = x3;
}

static int64_t st(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t r[4];

	hc(fid, a1, a2, a3, r);
	return (int64_t)r[0];
}

/* the status is @want */
static void expect(const char *name, int64_t got, int64_t want)
{
	tc_check(got == want, name, "status %ld, expected %ld", (long)got, (long)want);
}

/* query slot 0 until the target is in @state (or 5 s pass); returns the last x2 (reason) */
static uint64_t wait_state(uint64_t state)
{
	uint64_t r[4] = { 0 };

	for (int i = 0; i < 500; i++) {
		hc(CELLA_FN_CELL_QUERY, 0, 0, 0, r);
		if (r[0] == CELLA_OK && r[1] == state)
			break;
		tc_delay_ms(10);
	}
	tc_check(r[0] == CELLA_OK && r[1] == state, "target state", "state %lu (want %lu)",
		 (unsigned long)r[1], (unsigned long)state);
	return r[2];
}

/* VCPU_QUERY on @slot answers OK with @state, @pcpu and @index (x2, x3 go in as junk, so a
 * call that leaves them alone cannot pass) */
static void expect_vcpu(const char *name, uint64_t slot, uint64_t state, uint64_t pcpu,
			uint64_t index)
{
	uint64_t r[4];

	hc(CELLA_FN_VCPU_QUERY, slot, 0xdead, 0xbeef, r);
	tc_check(r[0] == CELLA_OK && r[1] == state && r[2] == pcpu && r[3] == index, name,
		 "status %ld state %lu pcpu %lu index %lu", (long)r[0], (unsigned long)r[1],
		 (unsigned long)r[2], (unsigned long)r[3]);
}

/* VCPU_QUERY @slot until the vCPU is in @state (or 5 s pass; a (re)started cell's vCPU 0 is
 * ON_PENDING until its pCPU enters it) */
static void wait_vcpu(uint64_t slot, uint64_t state)
{
	uint64_t r[4] = { 0 };

	for (int i = 0; i < 500; i++) {
		hc(CELLA_FN_VCPU_QUERY, slot, 0, 0, r);
		if (r[0] != CELLA_OK || r[1] == state)
			return;
		tc_delay_ms(10);
	}
}

/* a vCPU capability next to cell capabilities: the right answers, and the wrong type refused
 * both ways */
static void hostile_vcpu_caps(void)
{
	static const struct {
		uint64_t fid;
		const char *name;
	} cell_calls[] = {
		{ CELLA_FN_CELL_QUERY, "cell query on a vcpu cap" },
		{ CELLA_FN_CELL_START, "cell start on a vcpu cap" },
		{ CELLA_FN_CELL_STOP, "cell stop on a vcpu cap" },
		{ CELLA_FN_CELL_RESTART, "cell restart on a vcpu cap" },
	};
	uint64_t r[4];

	hc(CELLA_FN_CAP_IDENTIFY, SLOT_V0, 0, 0, r);
	tc_check(r[0] == 0 && r[1] == CELLA_CAP_VCPU && r[2] == CELLA_R_QUERY, "identify vcpu cap",
		 "status %ld type %lu rights 0x%lx", (long)r[0], (unsigned long)r[1],
		 (unsigned long)r[2]);
	wait_vcpu(SLOT_V0, CELLA_VCPU_ON);
	expect_vcpu("vcpu 0 of target", SLOT_V0, CELLA_VCPU_ON, V0_PCPU, 0);
	expect_vcpu("vcpu 1 of target", SLOT_V1, CELLA_VCPU_OFF, V1_PCPU, 1);
	/* the wrong type, both ways: a vCPU is no cell, a cell is no vCPU */
	for (unsigned i = 0; i < sizeof(cell_calls) / sizeof(cell_calls[0]); i++)
		expect(cell_calls[i].name, st(cell_calls[i].fid, SLOT_V0, 0, 0), CELLA_E_TYPE);
	expect("vcpu query on a cell cap", st(CELLA_FN_VCPU_QUERY, 0, 0, 0), CELLA_E_TYPE);
	expect("vcpu query on a query-only cell cap", st(CELLA_FN_VCPU_QUERY, 1, 0, 0),
	       CELLA_E_TYPE);
	expect("vcpu query on an empty slot", st(CELLA_FN_VCPU_QUERY, 2, 0, 0), CELLA_E_NOCAP);
	expect("vcpu query on a huge slot", st(CELLA_FN_VCPU_QUERY, UINT64_MAX, 0, 0),
	       CELLA_E_RANGE);
	expect("vcpu query on slot 64", st(CELLA_FN_VCPU_QUERY, CELLA_CSPACE_SLOTS, 0, 0),
	       CELLA_E_RANGE);
	/* rights: a vCPU has query only; a copy without it is refused the query, and the type
	 * is checked before the rights */
	expect("copy a vcpu cap with a cell right",
	       st(CELLA_FN_CAP_COPY, SLOT_V0, 10, CELLA_R_STOP), CELLA_E_INVAL);
	expect("copy a vcpu cap without rights", st(CELLA_FN_CAP_COPY, SLOT_V0, 10, 0), CELLA_OK);
	hc(CELLA_FN_CAP_IDENTIFY, 10, 0, 0, r);
	tc_check(r[0] == 0 && r[1] == CELLA_CAP_VCPU && r[2] == 0, "identify the rightless copy",
		 "status %ld type %lu rights 0x%lx", (long)r[0], (unsigned long)r[1],
		 (unsigned long)r[2]);
	expect("vcpu query without the right", st(CELLA_FN_VCPU_QUERY, 10, 0, 0), CELLA_E_PERM);
	expect("stop through a rightless vcpu cap", st(CELLA_FN_CELL_STOP, 10, 0, 0),
	       CELLA_E_TYPE);
	expect("delete the copy", st(CELLA_FN_CAP_DELETE, 10, 0, 0), CELLA_OK);
}

void tc_mode_hostile_caps(void)
{
	static const uint64_t bad_slots[] = {
		CELLA_CSPACE_SLOTS, 0x100000000ull, UINT64_MAX, (uint64_t)-64, 1ull << 63,
	};
	static const uint64_t unknown[] = {
		CELLA_FN(0x04), CELLA_FN(0x21), CELLA_FN(0xfe00), CELLA_FN_BASE32 | 0x10,
		CELLA_FN_BASE32 | 0x20,
		CELLA_FN_BASE32 | 0xff02, (uint64_t)CELLA_FN_NOP | (1ull << 32),
	};
	uint64_t r[4], reason;

	/* the standard queries of the range */
	hc(CELLA_FN_CALL_UID, 0, 0, 0, r);
	tc_check(r[0] == CELLA_UID0 && r[1] == CELLA_UID1 && r[2] == CELLA_UID2 &&
		 r[3] == CELLA_UID3, "uid", "%lx %lx %lx %lx", (unsigned long)r[0],
		 (unsigned long)r[1], (unsigned long)r[2], (unsigned long)r[3]);
	hc(CELLA_FN_REVISION, 0, 0, 0, r);
	tc_check(r[0] == CELLA_ABI_VERSION_MAJOR && r[1] == CELLA_ABI_VERSION_MINOR, "revision",
		 "%lu.%lu", (unsigned long)r[0], (unsigned long)r[1]);
	expect("call count", st(CELLA_FN_CALL_COUNT, 0, 0, 0), CELLA_FN_CALLS);
	expect("nop", st(CELLA_FN_NOP, 0, 0, 0), CELLA_OK);
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		expect("unknown id", st(unknown[i], 0, 0, 0), CELLA_E_NOT_SUPPORTED);

	/* identify; empty and out-of-range slots */
	hc(CELLA_FN_CAP_IDENTIFY, 0, 0, 0, r);
	tc_check(r[0] == 0 && r[1] == CELLA_CAP_CELL &&
		 r[2] == (CELLA_R_QUERY | CELLA_R_START | CELLA_R_STOP), "identify slot 0",
		 "status %ld type %lu rights 0x%lx", (long)r[0], (unsigned long)r[1],
		 (unsigned long)r[2]);
	expect("identify empty slot", st(CELLA_FN_CAP_IDENTIFY, 2, 0, 0), CELLA_E_NOCAP);
	for (unsigned i = 0; i < sizeof(bad_slots) / sizeof(bad_slots[0]); i++) {
		expect("identify bad slot", st(CELLA_FN_CAP_IDENTIFY, bad_slots[i], 0, 0),
		       CELLA_E_RANGE);
		expect("stop bad slot", st(CELLA_FN_CELL_STOP, bad_slots[i], 0, 0), CELLA_E_RANGE);
		expect("copy bad slot", st(CELLA_FN_CAP_COPY, 0, bad_slots[i], 1), CELLA_E_RANGE);
	}
	/* a cell it holds no capability for: nothing in any slot names it (slots 8 and 9 hold
	 * vCPU capabilities: the wrong type) */
	for (uint64_t s = 2; s < CELLA_CSPACE_SLOTS; s++) {
		int64_t want = s == SLOT_V0 || s == SLOT_V1 ? CELLA_E_TYPE : CELLA_E_NOCAP;

		if (st(CELLA_FN_CELL_STOP, s, 0, 0) != want)
			tc_check(false, "no cap", "slot %lu did not answer %ld", (unsigned long)s,
				 (long)want);
	}
	hostile_vcpu_caps();

	/* copy: never more rights; refusals */
	expect("copy query-only with every right", st(CELLA_FN_CAP_COPY, 1, 3, CELLA_R_CELL_ALL),
	       CELLA_OK);
	hc(CELLA_FN_CAP_IDENTIFY, 3, 0, 0, r);
	tc_check(r[0] == 0 && r[2] == CELLA_R_QUERY, "copy adds no rights", "rights 0x%lx",
		 (unsigned long)r[2]);
	expect("copy with an undefined right", st(CELLA_FN_CAP_COPY, 0, 4, 1u << 9),
	       CELLA_E_INVAL);
	expect("copy onto a full slot", st(CELLA_FN_CAP_COPY, 0, 1, CELLA_R_QUERY), CELLA_E_FULL);
	expect("copy from an empty slot", st(CELLA_FN_CAP_COPY, 5, 6, CELLA_R_QUERY),
	       CELLA_E_NOCAP);
	/* delete */
	expect("delete", st(CELLA_FN_CAP_DELETE, 3, 0, 0), CELLA_OK);
	expect("delete again", st(CELLA_FN_CAP_DELETE, 3, 0, 0), CELLA_E_NOCAP);
	expect("query a deleted slot", st(CELLA_FN_CELL_QUERY, 3, 0, 0), CELLA_E_NOCAP);
	/* missing rights: the target is not touched */
	expect("stop without the right", st(CELLA_FN_CELL_STOP, 1, 0, 0), CELLA_E_PERM);
	expect("restart without the right", st(CELLA_FN_CELL_RESTART, 0, 0, 0), CELLA_E_PERM);
	expect("start a running cell", st(CELLA_FN_CELL_START, 0, 0, 0), CELLA_E_BUSY);
	wait_state(CELLA_CELL_RUNNING);
	tc_line("CAPS hostile calls done; target untouched");

	/* control that works: stop, see why, start again */
	expect("stop with the right", st(CELLA_FN_CELL_STOP, 0, 0, 0), CELLA_OK);
	reason = wait_state(CELLA_CELL_STOPPED);
	tc_check((reason & 0xff) == CELLA_STOP_BY_CAP, "stop reason", "reason %lu",
		 (unsigned long)(reason & 0xff));
	/* stopped: every vCPU has parked */
	expect_vcpu("vcpu 0 of the stopped target", SLOT_V0, CELLA_VCPU_OFF, V0_PCPU, 0);
	expect("stop a stopped cell", st(CELLA_FN_CELL_STOP, 0, 0, 0), CELLA_E_BUSY);
	expect("query with the query-only copy", st(CELLA_FN_CELL_QUERY, 1, 0, 0), CELLA_OK);
	expect("start it", st(CELLA_FN_CELL_START, 0, 0, 0), CELLA_OK);
	reason = wait_state(CELLA_CELL_RUNNING);
	tc_check((reason >> 32) == 1, "restart count", "%lu restarts",
		 (unsigned long)(reason >> 32));
	wait_vcpu(SLOT_V0, CELLA_VCPU_ON);
	expect_vcpu("vcpu 0 of the restarted target", SLOT_V0, CELLA_VCPU_ON, V0_PCPU, 0);
	expect_vcpu("vcpu 1 of the restarted target", SLOT_V1, CELLA_VCPU_OFF, V1_PCPU, 1);
	tc_line("CAPS control done");
}

/* testcell.mode=bench-hc: instructions per hypercall round trip, for `make bench` (run under
 * QEMU -icount shift=0, where CNTVCT counts instructions: 1 ns each). Slot 0 must hold a cell
 * capability with the query right (the benchmark's description grants one to this cell). */
void tc_mode_bench_hc(void)
{
	const uint64_t n = 20000, freq = read_cntfrq_el0();
	uint64_t t0, t1, t2, t3, loop, nop, query;
	uint64_t r[4];

	t0 = read_cntvct_el0();
	for (uint64_t i = 0; i < n; i++)
		__asm__ volatile("" : : : "memory");	/* the loop alone */
	t1 = read_cntvct_el0();
	for (uint64_t i = 0; i < n; i++)
		hc(CELLA_FN_NOP, 0, 0, 0, r);
	t2 = read_cntvct_el0();
	for (uint64_t i = 0; i < n; i++)
		hc(CELLA_FN_CELL_QUERY, 0, 0, 0, r);
	t3 = read_cntvct_el0();
	tc_check(r[0] == CELLA_OK, "bench query", "status %ld", (long)r[0]);
	/* hundredths of an instruction per call, the loop's own cost taken out */
	loop = (t1 - t0) * 100000000000ull / freq / n;
	nop = (t2 - t1) * 100000000000ull / freq / n;
	query = (t3 - t2) * 100000000000ull / freq / n;
	tc_line("BENCH hypercall nop_x100=%lu query_x100=%lu loop_x100=%lu calls=%lu",
		(unsigned long)(nop - loop), (unsigned long)(query - loop), (unsigned long)loop,
		(unsigned long)n);
}
