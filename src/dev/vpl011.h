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
#define VPL011_DR 0x000u
#define VPL011_FR 0x018u
#define VPL011_FR_RXFE (1u << 4)
#define VPL011_FR_TXFF (1u << 5)
#define VPL011_FR_RXFF (1u << 6)
#define VPL011_FR_TXFE (1u << 7)

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

/* vpl011_fr - the flag register: transmit FIFO empty, or full while the tx_full callback
 * says so (vpl011_set_tx_full); receive FIFO as it stands. */
static inline uint32_t vpl011_fr(const struct vpl011 *u)
{
	uint32_t fr = u->tx_full && u->tx_full(u->ctx) ? VPL011_FR_TXFF : VPL011_FR_TXFE;

	if (!u->rx_count)
		fr |= VPL011_FR_RXFE;
	if (u->rx_count == VPL011_RX_FIFO)
		fr |= VPL011_FR_RXFF;
	return fr;
}

/* vpl011_access_reg - vpl011_access for any register (the out-of-line part). */
int vpl011_access_reg(struct vpl011 *u, uint64_t offset, unsigned size, bool write,
		      uint64_t *val);

/* vpl011_access_nolock - the console's hot pair, as Linux's driver sends each character:
 * a 16- or 32-bit FR read (Linux uses 16 bits for "arm,pl011") and a DR write. Neither
 * changes a register, and FR reads rx_count once, so they need no lock against the receive
 * path (a stale FR is a FR read a moment earlier).
 * Returns true if it handled the access (always successfully), false for any other access. */
static inline bool vpl011_access_nolock(struct vpl011 *u, uint64_t offset, unsigned size,
					bool write, uint64_t *val)
{
	if (val && (size == 2 || size == 4) && offset == VPL011_FR && !write) {
		*val = vpl011_fr(u);
		return true;
	}
	if (val && offset == VPL011_DR && write && (size == 1 || size == 2 || size == 4)) {
		/* transmit even while UARTEN/TXE are clear: earlycon writes without enabling */
		if (u->putc)
			u->putc(u->ctx, (char)(*val & 0xff));
		return true;
	}
	return false;
}

/* vpl011_access - guest access at byte @offset (< VPL011_SIZE) of @size bytes (1, 2 or 4,
 * naturally aligned). Reads fill *@val. Unknown offsets are RAZ/WI. Returns 0 or -ERR_INVAL
 * for a bad size or alignment (the caller injects an abort). */
static inline int vpl011_access(struct vpl011 *u, uint64_t offset, unsigned size, bool write,
				uint64_t *val)
{
	if (vpl011_access_nolock(u, offset, size, write, val))
		return 0;
	return vpl011_access_reg(u, offset, size, write, val);
}

/* vpl011_rx - push @c received from the console. Returns 0, or -ERR_NOSPC if the FIFO is full
 * (the byte is dropped, as a real UART overruns). */
int vpl011_rx(struct vpl011 *u, uint8_t c);

/* ---- the device: a vpl011 on a cell's MMIO bus, with its lock (mmio.h) ---- */

struct cell;
struct mmio_bus;
struct vpl011_dev;

/* where a vpl011's bytes go, and who hears of them (cella's console, console.h) */
struct vpl011_backend {
	void (*putc)(struct cell *c, char ch);		/* a transmitted byte */
	bool (*tx_full)(struct cell *c);		/* FR.TXFF: its buffer is full */
	void (*written)(struct cell *c);		/* after a DR write, lock released */
	void (*rx_drained)(struct cell *c);		/* a DR read made room, lock released */
};

/* vpl011_create - a vpl011 for cell @c on @bus at IPA [@ipa, +VPL011_SIZE), its interrupt
 * SPI INTID @intid (virq.h), its bytes to @be; in reset state. Returns 0 and the device in
 * *@out, -ERR_NOMEM when every device is taken (one per cell), or mmio_register's error. */
int vpl011_create(struct cell *c, struct mmio_bus *bus, uint64_t ipa, uint32_t intid,
		  const struct vpl011_backend *be, struct vpl011_dev **out);

/* vpl011_rx_room - its receive FIFO has room for a byte (a snapshot) */
bool vpl011_rx_room(struct vpl011_dev *d);

/* vpl011_push - deliver received byte @ch (dropped if the FIFO is full, as vpl011_rx) */
void vpl011_push(struct vpl011_dev *d, uint8_t ch);

#endif
