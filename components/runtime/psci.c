/* psci.c - the component runtime's PSCI and SMCCC conduit. */
#include <rt/psci.h>
#include <rt/sysreg.h>

static int use_smc;

void psci_set_conduit(int smc)
{
	use_smc = smc;
}

int64_t smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t res[4])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMCCC 1.1 preserves x4-x17; PSCI 0.2+ is an SMCCC 1.0 user, so assume x4-x17 clobbered */
	if (use_smc)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	if (res) {
		res[0] = x0;
		res[1] = x1;
		res[2] = x2;
		res[3] = x3;
	}
	return (int64_t)x0;
}

uint32_t psci_version(void)
{
	return (uint32_t)smccc_call(PSCI_VERSION, 0, 0, 0, 0);
}

void psci_system_off(void)
{
	smccc_call(PSCI_SYSTEM_OFF, 0, 0, 0, 0);
	for (;;)
		wfi();
}

void psci_system_reset(void)
{
	smccc_call(PSCI_SYSTEM_RESET, 0, 0, 0, 0);
	for (;;)
		wfi();
}

int psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	/* PSCI return codes are 32-bit signed in w0 */
	return (int32_t)smccc_call(PSCI_CPU_ON, mpidr, entry, context, 0);
}
