/* macros.h - assembler helpers. */
#ifndef CELLA_ARCH_MACROS_H
#define CELLA_ARCH_MACROS_H
	.macro	adr_l, dst, sym
	adrp	\dst, \sym
	add	\dst, \dst, :lo12:\sym
	.endm
#endif
