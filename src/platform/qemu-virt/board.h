/* board.h - QEMU virt facts cella needs before it has read the DTB
 * (../shared/PLATFORM-NOTES.md; everything else comes from the DTB). */
#ifndef CELLA_PLATFORM_QEMU_VIRT_BOARD_H
#define CELLA_PLATFORM_QEMU_VIRT_BOARD_H

#define BOARD_EARLY_UART 0x09000000ull	/* PL011 used for messages before the DTB is parsed */

#endif
