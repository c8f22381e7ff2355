/* testcell.h - constants and entry points shared by the test cell's assembly and C. */
#ifndef TESTCELL_H
#define TESTCELL_H

#define TC_MAX_CPUS 8		/* CPUs of the DTB the test drives (GUEST_DT_MAX_VCPUS) */
#define TC_NR_SLOTS (TC_MAX_CPUS + 1)	/* per-CPU slots: 0 is the boot CPU, DTB cpu i is i + 1 */
#define TC_STACK_SIZE 16384	/* bytes per slot */
#define TC_FRAME_SIZE 288	/* struct tc_frame */

#ifndef __ASSEMBLY__
#include <stdint.h>

/* An exception frame as head.S saves it. */
struct tc_frame {
	uint64_t x[31];
	uint64_t elr, spsr, esr, far, pad;
};

_Static_assert(sizeof(struct tc_frame) == TC_FRAME_SIZE, "head.S frame layout");

/* tc_main - boot CPU, C entry: @dtb is the DTB IPA from x0, @load the address the image was
 * entered at, @run the address it runs at (equal unless head.S moved it to its link address). */
void tc_main(uint64_t dtb, uint64_t load, uint64_t run);

/* tc_secondary_main - a CPU started by PSCI CPU_ON, on the slot tc_boot_slot named;
 * @ctx is the context id it was entered with (x0). Never returns. */
void tc_secondary_main(uint64_t ctx);

/* tc_exception - every exception vector; @kind is the vector index (0-15: group * 4 + type,
 * groups current EL SP0 / SPx / lower EL AArch64 / AArch32, types sync / IRQ / FIQ / SError).
 * The handler may change @f->elr. */
void tc_exception(struct tc_frame *f, uint64_t kind);

extern char tc_secondary_entry[];
extern volatile uint32_t tc_boot_slot;	/* slot of the next CPU to start */
extern uint8_t tc_stacks[TC_NR_SLOTS][TC_STACK_SIZE];
#endif

#endif
