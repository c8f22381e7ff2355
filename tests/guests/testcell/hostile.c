/* hostile.c - hostile modes: touching IPAs outside RAM, bad PSCI/SMCCC calls, GIC garbage. */
#include <stdbool.h>
#include <stdint.h>

#include "lib/printf.h"
#include "testcell.h"

static const char *access_name(bool write)
{
	return write ? "write" : "read";
}

static const char *psci_ret_name(int64_t r)
{
	return r == PSCI_RET_INVALID_ADDRESS ? "INVALID_ADDRESS"
	       : r == PSCI_RET_INVALID_PARAMS ? "INVALID_PARAMETERS" : "unexpected";
}

void tc_mode_hostile_oob(void)
{
	uint64_t addr[2] = { tc_plat.mem_base + tc_plat.mem_size + 0x1000000ull, 0x10000000000ull };
	unsigned aborts = 0;

	tc_line("HOSTILE about to touch outside memory");
	for (unsigned i = 0; i < 2; i++) {
		for (unsigned w = 0; w < 2; w++) {
			tc_probe_arm();
			if (w)
				mmio_write32(addr[i], 0xbadc0de);
			else
				(void)mmio_read32(addr[i]);
			if (tc_probe_disarm()) {
				aborts++;
				tc_line("HOSTILE %s 0x%lx: abort, esr 0x%lx", access_name(w),
					(unsigned long)addr[i], (unsigned long)tc_probe.esr);
			} else {
				tc_line("HOSTILE %s 0x%lx: completed", access_name(w),
					(unsigned long)addr[i]);
			}
		}
	}
	tc_check(false, "hostile-oob", "still running (%u of 4 accesses aborted into the cell)",
		 aborts);
}

/* xorshift64: garbage that is the same on every run */
static uint64_t tc_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static bool psci_sweep_skip(uint32_t fn)
{
	switch (fn & 0xffff) {
	case 0x01:	/* CPU_SUSPEND */
	case 0x02:	/* CPU_OFF */
	case 0x08:	/* SYSTEM_OFF */
	case 0x09:	/* SYSTEM_RESET */
	case 0x0b:	/* CPU_FREEZE */
	case 0x0c:	/* CPU_DEFAULT_SUSPEND */
	case 0x0e:	/* SYSTEM_SUSPEND */
	case 0x12:	/* SYSTEM_RESET2 */
	case 0x15:	/* SYSTEM_OFF2 */
		return true;
	default:
		return false;
	}
}

static void hostile_psci(void)
{
	uint64_t bad_entry[] = { 0x0ull, 0x1000ull, 0xfffffffffffff000ull, TC_UART_BASE, 0 };
	uint64_t self = tc_mpidr(), other = ~0ull, bogus = 0xabcdefull;
	unsigned calls = 0, notsup = 0, undefs = 0;
	int64_t r;
	bool undef;
	char name[48];

	for (unsigned i = 0; i < tc_plat.nr_cpus; i++)
		if (tc_plat.mpidr[i] != self) {
			other = tc_plat.mpidr[i];
			break;
		}
	bad_entry[4] = tc_plat.mem_base + tc_plat.mem_size;	/* first byte after RAM */
	if (other == ~0ull) {
		tc_skip("hostile_cpu_on_bad_entry", "the DTB lists one cpu");
	} else if (!tc_plat.cella) {
		/* QEMU's PSCI would start the cpu at the bad address */
		tc_skip("hostile_cpu_on_bad_entry", "QEMU's built-in PSCI does not check entries");
	} else {
		for (unsigned i = 0; i < sizeof(bad_entry) / sizeof(bad_entry[0]); i++) {
			/* a cella that took the entry would start the vCPU there: it must fault */
			r = tc_smccc(PSCI_CPU_ON, other, bad_entry[i], 0);
			cella_snprintf(name, sizeof(name), "hostile_cpu_on_bad_entry 0x%lx",
				       (unsigned long)bad_entry[i]);
			tc_check(r == PSCI_RET_INVALID_ADDRESS || r == PSCI_RET_INVALID_PARAMS,
				 name, "%s (%ld)", psci_ret_name(r), (long)r);
		}
		r = tc_smccc(PSCI_AFFINITY_INFO, other, 0, 0);
		tc_check(r == PSCI_AFF_OFF, "hostile_cpu_on_bad_entry_stays_off",
			 "AFFINITY_INFO 0x%lx returned %ld", (unsigned long)other, (long)r);
	}

	r = tc_smccc(PSCI_CPU_ON, 0xffffffffffull, (uint64_t)(uintptr_t)tc_secondary_entry, 0);
	tc_check(r == PSCI_RET_INVALID_PARAMS, "hostile_cpu_on_bad_target",
		 "CPU_ON 0xffffffffff returned %ld", (long)r);
	r = tc_smccc(PSCI_CPU_ON, self, (uint64_t)(uintptr_t)tc_secondary_entry, 0);
	tc_check(r == PSCI_RET_ALREADY_ON, "hostile_cpu_on_self", "returned %ld", (long)r);
	while (tc_mpidr_listed(bogus))
		bogus += 0x100;
	r = tc_smccc(PSCI_AFFINITY_INFO, bogus, 0, 0);
	tc_check(r == PSCI_RET_INVALID_PARAMS, "hostile_affinity_bad_mpidr",
		 "AFFINITY_INFO 0x%lx returned %ld", (unsigned long)bogus, (long)r);
	r = tc_smccc(PSCI_AFFINITY_INFO, self, 3, 0);
	if (!tc_plat.cella && r == PSCI_AFF_ON)
		tc_skip("hostile_affinity_level3", "QEMU's built-in PSCI reports levels > 0 as ON");
	else
		tc_check(r == PSCI_RET_INVALID_PARAMS, "hostile_affinity_level3", "returned %ld",
			 (long)r);

	/* every function number of both PSCI ranges, garbage arguments */
	for (unsigned cc = 0; cc < 2; cc++) {
		for (uint32_t fn = 0; fn < 0x100; fn++) {
			uint64_t fid = (cc ? 0xc4000000ull : 0x84000000ull) | fn;

			if (psci_sweep_skip(fn))
				continue;
			r = tc_smccc_probe(fid, 0xdeadbeefcafef00dull, 0x8badf00d00000001ull, ~0ull,
					   &undef);
			calls++;
			undefs += undef;
			notsup += !undef && r == PSCI_RET_NOT_SUPPORTED;
		}
	}
	tc_check(!undefs || !tc_plat.cella, "hostile_psci_sweep",
		 "%u calls: %u NOT_SUPPORTED, %u UNDEF%s", calls, notsup, undefs,
		 undefs && !tc_plat.cella ? " (QEMU firmware)" : "");

	/* SMCCC IDs with bits [63:32] set, reserved ranges, all-ones */
	{
		static const uint64_t odd[] = { 0xffffffff84000000ull, 0x184000000ull,
						0x8000ffffull, 0xff00ffffull, 0xffffffffffffffffull,
						0xc5000000ull, 0x80000001ull };
		unsigned bad = 0, u = 0;

		for (unsigned i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
			r = tc_smccc_probe(odd[i], ~0ull, ~0ull, ~0ull, &undef);
			u += undef;
			if (!undef && r >= 0 && odd[i] != 0x80000001ull)
				bad++;
		}
		tc_check(!bad && (!u || !tc_plat.cella), "hostile_smccc_odd_ids",
			 "%u IDs: %u answered >= 0, %u UNDEF",
			 (unsigned)(sizeof(odd) / sizeof(odd[0])), bad, u);
	}
}

static void hostile_hypercalls(void)
{
	unsigned nonneg = 0, undefs = 0;
	uint64_t first_bad = 0;
	int64_t r;
	bool undef;

	/* every call but the null one (0xc6000000, which succeeds whatever x1..x3 hold) needs a
	 * capability or names no call: with garbage slots and no caps, all must fail */
	for (uint64_t fid = CELLA_HC_BASE + 1; fid < CELLA_HC_BASE + 0x10; fid++) {
		static const uint64_t garbage[3][3] = {
			{ ~0ull, ~0ull, ~0ull },
			{ 0x8000000000000000ull, 0xfffffffffffff000ull, 0x7fffffffffffffffull },
			{ 0xdeadbeefull, 0x10000000000ull, 0xffffffffull },
		};

		for (unsigned g = 0; g < 3; g++) {
			r = tc_smccc_probe(fid, garbage[g][0], garbage[g][1], garbage[g][2],
					   &undef);
			undefs += undef;
			if (!undef && r >= 0 && !nonneg++)
				first_bad = fid;
		}
	}
	if (undefs && !tc_plat.cella)
		tc_skip("hostile_hypercalls", "UNDEF: QEMU's built-in PSCI, no hypervisor");
	else
		tc_check(!nonneg && !undefs, "hostile_hypercalls",
			 "45 calls 0xc6000001-0xc600000f: %u >= 0 (first at 0x%lx), %u UNDEF",
			 nonneg, (unsigned long)(nonneg ? first_bad : 0), undefs);
}

static unsigned garbage_range(uint64_t base, uint64_t from, uint64_t to, uint64_t *seed,
			      unsigned *writes)
{
	unsigned aborts = 0;

	for (uint64_t off = from; off <= to; off += 4) {
		tc_probe_arm();
		mmio_write32(base + off, (uint32_t)tc_rand(seed));
		(*writes)++;
		aborts += tc_probe_disarm() != 0;
	}
	return aborts;
}

/* Writes of garbage at reserved (and a few implementation-defined) GICD/GICR offsets. */
static void hostile_gic(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull, rd = tc_cpus[0].rd, sgi = rd + GICR_SGI_FRAME;
	unsigned writes = 0, aborts = 0;
	uint32_t pidr2, ctlr;

	aborts += garbage_range(tc_plat.gicd, 0x0f00, 0xfffc, &seed, &writes);
	aborts += garbage_range(rd, 0x0800, 0x1ffc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0000, 0x007c, &seed, &writes);
	aborts += garbage_range(sgi, 0x0460, 0x0bfc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0c18, 0x0cfc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0d0c, 0x0dfc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0e04, 0x0f7c, &seed, &writes);
	pidr2 = mmio_read32(tc_plat.gicd + GICD_PIDR2);
	ctlr = mmio_read32(tc_plat.gicd + GICD_CTLR);
	tc_check(((pidr2 >> 4) & 0xf) >= 3 && (ctlr & GICD_CTLR_GRP1NS_ARE) == GICD_CTLR_GRP1NS_ARE,
		 "hostile_gic_garbage", "%u writes, %u aborted; GICD_CTLR 0x%x PIDR2 0x%x", writes,
		 aborts, ctlr, pidr2);
}

void tc_mode_hostile_calls(void)
{
	bool gic = gic_boot_init();

	hostile_psci();
	hostile_hypercalls();
	if (!gic) {
		tc_check(false, "hostile-calls", "GIC setup failed, GIC tests not run");
		return;
	}
	hostile_gic();
	tc_test_vtimer("vtimer_after_garbage");
	tc_test_sgi_self("sgi_self_after_garbage");
}


/* Output that tries to pass as cella's or another cell's: backspaces over the "[name] " prefix,
 * carriage returns, ANSI erase-line and cursor moves, an 8-bit CSI, then forged text. */
void tc_mode_hostile_forge(void)
{
	static const char *const forgeries[] = {
		"\b\b\b\b\b\b\b\b\b\bcella: cell 'ticker' stopped: guest fault FORGED\n",
		"\rcella: FORGED after a carriage return\n",
		"\x1b[2K\x1b[1Gcella: FORGED after an erase-line\n",
		"\x1b[A\x1b[2K\r[ticker] TICK 999 FORGED\n",
		"\xc2\x9b" "2K\r[ticker] FORGED after an 8-bit CSI\n",
		"\x1b]0;FORGED title\x07\x1b" "c\n",
	};

	tc_line("FORGE start");
	for (unsigned round = 0; round < 3; round++)
		for (unsigned i = 0; i < sizeof(forgeries) / sizeof(forgeries[0]); i++)
			tc_puts_raw(forgeries[i]);
	tc_line("FORGE done");
}
