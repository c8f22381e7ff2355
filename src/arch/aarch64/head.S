/* head.S - cella's entry at EL2: arm64 Image header, per-pCPU stacks, BSS, vectors, EL2 MMU. */
#include "arch/aarch64/asm.h"
#include "arch/aarch64/macros.h"

	.section .text.head, "ax"
	.global _start
_start:
	/* arm64 Image header (Linux Documentation/arm64/booting.rst) */
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0x200000			/* text_offset: load at 2 MiB aligned base + 2 MiB */
	.quad	_image_size			/* image_size: memory footprint incl. BSS */
	.quad	0x2				/* flags: little-endian, 4 KiB pages, near RAM base */
	.quad	0, 0, 0
	.ascii	"ARM\x64"			/* magic */
	.long	0

primary_entry:
	mov	x19, x0				/* DTB PA from the loader */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	hang				/* cella must be entered at EL2 */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	hang				/* not position-independent: must run where linked */

	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
	/* BSS is 4 KiB aligned at both ends (cella.ld): 64 bytes a turn */
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1]
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	add	x1, x1, #64
	b	1b
2:
	mov	x0, #0
	bl	set_stack
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	bl	mmu_build_tables
	bl	mmu_enable
	mov	x0, x19
	bl	cella_main
	b	hang

/* secondary pCPUs arrive here from PSCI CPU_ON with x0 = pCPU index */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	cmp	x0, #CELLA_MAX_PCPUS
	b.hs	hang
	bl	set_stack
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	bl	mmu_enable
	mov	x0, x19
	bl	secondary_main
	b	hang

/* set_stack: sp = top of pCPU x0's stack; clobbers x1, x2 */
set_stack:
	adr_l	x1, pcpu_stacks
	add	x0, x0, #1
	mov	x2, #STACK_SIZE
	madd	x1, x0, x2, x1
	mov	sp, x1
	ret

	.global hang
hang:
	wfi
	b	hang

	.ltorg
