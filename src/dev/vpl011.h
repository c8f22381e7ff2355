/* vpl011.h - a cell's virtual PL011 UART (Arm PrimeCell UART PL011 TRM, DDI 0183), enough for
 * Linux's amba-pl011 driver and earlycon: DR, RSR/ECR, FR, IBRD, FBRD, LCR_H, CR, IFLS, IMSC,
 * RIS, MIS, ICR, DMACR and the PrimeCell ID registers. Transmit hands each byte to the caller;
 * FR.TXFF follows the caller's buffer (tx_full); receive has a small FIFO fed from the
 * physical console. Pure C: the caller supplies
 * the output and interrupt-line callbacks. */
#ifndef CELLA_DEV_VPL011_H
#define CELLA_DEV_VPL011_H

#include <stdbool.h>
#include <stdint.h>

#define VPL011_SIZE 0x1000ull
#define VPL011_RX_FIFO 32

struct vpl011 {
	uint16_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
	uint8_t rx[VPL011_RX_FIFO];
	uint32_t rx_head, rx_count;
	bool irq_level;				/* last level reported through set_irq */
	void (*putc)(void *ctx, char c);	/* a transmitted byte */
	void (*set_irq)(void *ctx, bool level);	/* UARTINTR changed */
	bool (*tx_full)(void *ctx);		/* the caller's transmit buffer is full */
	void *ctx;
};

/* vpl011_init - reset state (CR = 0x300: TXE|RXE, LCR_H 0, all interrupts masked, TX interrupt
 * raw status set since the transmit FIFO is empty) and install the callbacks. */
void vpl011_init(struct vpl011 *u, void (*putc)(void *ctx, char c),
		 void (*set_irq)(void *ctx, bool level), void *ctx);

/* vpl011_set_tx_full - FR.TXFF (and not TXFE) reads as set while @tx_full(ctx) returns true,
 * so a guest that polls TXFF waits instead of losing bytes. TXRIS stays set (see vpl011.c). */
void vpl011_set_tx_full(struct vpl011 *u, bool (*tx_full)(void *ctx));

/* vpl011_access - guest access at byte @offset (< VPL011_SIZE) of @size bytes (1, 2 or 4,
 * naturally aligned). Reads fill *@val. Unknown offsets are RAZ/WI. Returns 0 or -ERR_INVAL
 * for a bad size or alignment (the caller injects an abort). */
int vpl011_access(struct vpl011 *u, uint64_t offset, unsigned size, bool write, uint64_t *val);

/* vpl011_rx - push @c received from the console. Returns 0, or -ERR_NOSPC if the FIFO is full
 * (the byte is dropped, as a real UART overruns). */
int vpl011_rx(struct vpl011 *u, uint8_t c);

#endif
