/* asm.h - offsets shared by assembly and C (checked with _Static_assert in vcpu.c). */
#ifndef CELLA_ARCH_ASM_H
#define CELLA_ARCH_ASM_H

#include "lib/util.h"

#define STACK_SIZE 0x4000	/* bytes of EL2 stack per pCPU */

/* struct vcpu_regs: x0..x30, then pc (ELR_EL2), then pstate (SPSR_EL2) */
#define REGS_X(n) ((n) * 8)
#define REGS_PC (31 * 8)
#define REGS_PSTATE (32 * 8)
#define REGS_SIZE (33 * 8)

/* guest_enter's frame on the EL2 stack: x19..x30 (96 bytes), the regs pointer, padding */
#define ENTER_FRAME 112
#define ENTER_REGS_PTR 96

/* exit reasons returned by guest_enter */
#define EXIT_SYNC 0
#define EXIT_IRQ 1
#define EXIT_FIQ 2
#define EXIT_SERROR 3

#endif
