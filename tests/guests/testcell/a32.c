/* a32.c - mode a32-thumb: a 16-bit T32 load from an emulated device at AArch32 EL0 must step
 * the PC by 2, not 4 (ESR_EL2.IL), and AArch32 EL0 accesses to the EL1 physical timer (MRC and
 * MRRC to CNTP_CTL and CNTP_CVAL) read as zero instead of stopping the cell. */
#include <stdbool.h>
#include <stdint.h>

#include "testcell.h"

extern char tc_a32_code[];
void tc_a32_run(uint64_t code, uint64_t regs[8]);

volatile struct tc_a32 tc_a32;

void tc_mode_a32_thumb(void)
{
	uint64_t pfr0 = read_id_aa64pfr0_el1(), regs[8], kctl;
	uint32_t ec;

	if ((pfr0 & 0xf) != 2) {
		tc_skip("a32_t16_mmio_step", "no AArch32 at EL0 (ID_AA64PFR0_EL1.EL0)");
		return;
	}
	/* CNTP at EL0 allowed by EL1 (CNTKCTL_EL1.EL0PTEN), so only cella's trap applies */
	__asm__ volatile("mrs %0, cntkctl_el1" : "=r"(kctl));
	write_cntkctl_el1(kctl | (1u << 9));
	regs[0] = tc_plat.uart;
	for (unsigned i = 1; i < 8; i++)
		regs[i] = 0x55;
	tc_a32.armed = 1;
	tc_a32_run((uint64_t)(uintptr_t)tc_a32_code, regs);
	write_cntkctl_el1(kctl);
	ec = ESR_EC(tc_a32.esr);
	tc_line("A32 back at EL1: EC 0x%x at 0x%lx, r1=0x%lx r2=0x%lx r3=0x%lx r4=0x%lx r5=0x%lx "
		"r6=0x%lx", ec, (unsigned long)tc_a32.elr, (unsigned long)tc_a32.r[1],
		(unsigned long)tc_a32.r[2], (unsigned long)tc_a32.r[3], (unsigned long)tc_a32.r[4],
		(unsigned long)tc_a32.r[5], (unsigned long)tc_a32.r[6]);
	tc_check(ec == 0x11 && tc_a32.r[3] == 1, "a32_reached_svc",
		 "EC 0x%x (0x11: SVC from AArch32), r3 %lu", ec, (unsigned long)tc_a32.r[3]);
	tc_check(tc_a32.r[2] == 1 && (tc_a32.r[1] & 0x90) == 0x90, "a32_t16_mmio_step",
		 "FR 0x%lx read, and the next instruction ran (r2 %lu)", (unsigned long)tc_a32.r[1],
		 (unsigned long)tc_a32.r[2]);
	tc_check(tc_a32.r[4] == 0 && tc_a32.r[5] == 0 && tc_a32.r[6] == 0, "a32_cntp_raz",
		 "CNTP_CTL 0x%lx, CNTP_CVAL 0x%lx:%lx", (unsigned long)tc_a32.r[4],
		 (unsigned long)tc_a32.r[6], (unsigned long)tc_a32.r[5]);
}
