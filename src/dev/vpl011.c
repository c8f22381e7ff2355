/* vpl011.c - a cell's virtual PL011 UART: register model, RX FIFO and interrupt line. */
#include <stddef.h>
#include "core/mmio.h"
#include "core/virq.h"
#include "dev/vpl011.h"
#include "lib/err.h"
#include "lib/spinlock.h"
#include "lib/util.h"

/* register offsets (PL011 TRM DDI 0183, 3.2 Summary of registers) */
enum {
	UART_DR = 0x000,
	UART_RSR = 0x004,	/* read: RSR, write: ECR */
	UART_FR = 0x018,
	UART_ILPR = 0x020,
	UART_IBRD = 0x024,
	UART_FBRD = 0x028,
	UART_LCR_H = 0x02c,
	UART_CR = 0x030,
	UART_IFLS = 0x034,
	UART_IMSC = 0x038,
	UART_RIS = 0x03c,
	UART_MIS = 0x040,
	UART_ICR = 0x044,
	UART_DMACR = 0x048,
	UART_PERIPH_ID0 = 0xfe0,
	UART_PCELL_ID3 = 0xffc,
};


#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_OE (1u << 10)
#define INT_ALL 0x7ffu

#define CR_RESET 0x0300u	/* TXE | RXE */
#define IFLS_RESET 0x12u	/* both FIFO triggers at 1/2 */

/* PeriphID0..3 (part 0x011, designer 0x41 ARM, revision 1) then PCellID0..3 (TRM 3.3.14-15) */
static const uint8_t vpl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* vpl011_update - recompute the raw status and report a UARTINTR level change. TXRIS is always
 * set, even while the caller's buffer is full (FR.TXFF): Linux's amba-pl011 enables TXIM only
 * while it has bytes queued and clears it once its buffer is empty, so this never stalls it
 * (bytes it writes from the interrupt without checking TXFF into a full buffer are lost, as
 * on an overrun UART). RXRIS and RTRIS follow the RX FIFO level. */
static void vpl011_update(struct vpl011 *u)
{
	bool level;

	u->ris = (uint16_t)((u->ris & ~(INT_RX | INT_RT)) | INT_TX);
	if (u->rx_count)
		u->ris |= INT_RX | INT_RT;
	level = (u->ris & u->imsc) != 0;
	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->set_irq)
			u->set_irq(u->ctx, level);
	}
}

void vpl011_init(struct vpl011 *u, void (*putc)(void *ctx, char c),
		 void (*set_irq)(void *ctx, bool level), void *ctx)
{
	*u = (struct vpl011){
		.cr = CR_RESET,
		.ifls = IFLS_RESET,
		.ris = INT_TX,
		.putc = putc,
		.set_irq = set_irq,
		.ctx = ctx,
	};
}

int vpl011_rx(struct vpl011 *u, uint8_t c)
{
	if (u->rx_count >= VPL011_RX_FIFO) {
		u->ris |= INT_OE;
		vpl011_update(u);
		return -ERR_NOSPC;
	}
	u->rx[(u->rx_head + u->rx_count) % VPL011_RX_FIFO] = c;
	u->rx_count++;
	vpl011_update(u);
	return 0;
}

void vpl011_set_tx_full(struct vpl011 *u, bool (*tx_full)(void *ctx))
{
	u->tx_full = tx_full;
}

/* vpl011_read_reg - the 32-bit register at word offset @reg; a read of DR pops the RX FIFO */
static uint32_t vpl011_read_reg(struct vpl011 *u, uint32_t reg)
{
	uint32_t v;

	switch (reg) {
	case UART_DR:
		if (!u->rx_count)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
		u->rx_count--;
		return v;
	case UART_FR:
		return vpl011_fr(u);
	case UART_IBRD:
		return u->ibrd;
	case UART_FBRD:
		return u->fbrd;
	case UART_LCR_H:
		return u->lcr_h;
	case UART_CR:
		return u->cr;
	case UART_IFLS:
		return u->ifls;
	case UART_IMSC:
		return u->imsc;
	case UART_RIS:
		return u->ris;
	case UART_MIS:
		return (uint32_t)u->ris & u->imsc;
	case UART_DMACR:
		return u->dmacr;
	default:
		if (reg >= UART_PERIPH_ID0 && reg <= UART_PCELL_ID3)
			return vpl011_id[(reg - UART_PERIPH_ID0) / 4];
		return 0;	/* RSR (no errors are ever recorded), ILPR, reserved: RAZ */
	}
}

/* vpl011_merge - @old with the bits under @mask at @shift replaced by @val */
static uint16_t vpl011_merge(uint16_t old, uint32_t val, uint32_t mask, unsigned shift,
			     uint32_t width)
{
	uint32_t m = mask << shift;

	return (uint16_t)(((old & ~m) | ((val << shift) & m)) & width);
}

/* vpl011_write_reg - write the bits @mask << @shift of the register at word offset @reg */
static void vpl011_write_reg(struct vpl011 *u, uint32_t reg, unsigned shift, uint32_t mask,
			     uint32_t val)
{
	switch (reg) {
	case UART_DR:
		/* transmit even while UARTEN/TXE are clear: earlycon writes without enabling */
		if (shift == 0 && u->putc)
			u->putc(u->ctx, (char)(val & 0xff));
		break;
	case UART_IBRD:
		u->ibrd = vpl011_merge(u->ibrd, val, mask, shift, 0xffff);
		break;
	case UART_FBRD:
		u->fbrd = vpl011_merge(u->fbrd, val, mask, shift, 0x3f);
		break;
	case UART_LCR_H:
		u->lcr_h = vpl011_merge(u->lcr_h, val, mask, shift, 0xff);
		break;
	case UART_CR:
		u->cr = vpl011_merge(u->cr, val, mask, shift, 0xff87);
		break;
	case UART_IFLS:
		u->ifls = vpl011_merge(u->ifls, val, mask, shift, 0x3f);
		break;
	case UART_IMSC:
		u->imsc = vpl011_merge(u->imsc, val, mask, shift, INT_ALL);
		break;
	case UART_ICR:
		/* write-1-to-clear; TX/RX/RT are recomputed from the FIFO state right after */
		u->ris = (uint16_t)(u->ris & ~((val & mask) << shift));
		break;
	case UART_DMACR:
		u->dmacr = vpl011_merge(u->dmacr, val, mask, shift, 0x7);
		break;
	default:
		break;	/* ECR (no errors to clear), ILPR, FR, RIS, MIS, IDs, reserved: WI */
	}
}

int vpl011_access_reg(struct vpl011 *u, uint64_t offset, unsigned size, bool write,
		      uint64_t *val)
{
	uint32_t reg, mask;
	unsigned shift;

	if (!val || (size != 1 && size != 2 && size != 4))
		return -ERR_INVAL;
	/* offset bounded and naturally aligned: the access stays inside one 32-bit register */
	if (offset >= VPL011_SIZE || (offset & (size - 1)))
		return -ERR_INVAL;
	reg = (uint32_t)offset & ~3u;
	shift = ((unsigned)offset & 3u) * 8;
	mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;

	if (write) {
		vpl011_write_reg(u, reg, shift, mask, (uint32_t)*val & mask);
	} else if (reg == UART_DR && shift) {
		*val = 0;	/* the error byte of DR: no errors, and no pop */
		return 0;
	} else {
		*val = (vpl011_read_reg(u, reg) >> shift) & mask;
		if (reg != UART_DR)
			return 0;	/* only a DR read (a pop) changes state */
	}
	vpl011_update(u);
	return 0;
}

/* ---- the device ---- */

struct vpl011_dev {
	spinlock_t lock;			/* owns u, except vpl011_access_nolock's pair */
	struct vpl011 u;
	struct cell *cell;
	uint32_t intid;
	const struct vpl011_backend *be;
};

static struct vpl011_dev devs[CELLA_MAX_CELLS];	/* one per cell */
static spinlock_t devs_lock = SPINLOCK_INIT;

static void dev_putc(void *ctx, char ch)
{
	struct vpl011_dev *d = ctx;

	d->be->putc(d->cell, ch);
}

static bool dev_tx_full(void *ctx)
{
	struct vpl011_dev *d = ctx;

	return d->be->tx_full(d->cell);
}

/* called with d->lock held (lock order: device, then vGIC) */
static void dev_irq(void *ctx, bool level)
{
	struct vpl011_dev *d = ctx;

	virq_set_level(d->cell, d->intid, level);
}

/* any access but the lock-free pair, under the device's lock */
static __attribute__((noinline)) int dev_access_locked(struct vpl011_dev *d, uint64_t off,
							unsigned size, bool write, uint64_t *val)
{
	int r;

	spin_lock(&d->lock);
	r = vpl011_access_reg(&d->u, off, size, write, val);
	spin_unlock(&d->lock);
	if (off == UART_DR)
		(write ? d->be->written : d->be->rx_drained)(d->cell);
	return r;
}

static int dev_access(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		      uint64_t *val)
{
	struct vpl011_dev *d = dev;

	if (vpl011_access_nolock(&d->u, off, size, write, val)) {
		/* FR read or DR write: no state the lock guards */
		if (write)
			d->be->written(d->cell);	/* the DR write: drain what it buffered */
		return 0;
	}
	return dev_access_locked(d, off, size, write, val);
}

static void dev_reset(void *dev)
{
	struct vpl011_dev *d = dev;

	spin_lock(&d->lock);
	vpl011_init(&d->u, dev_putc, dev_irq, d);
	vpl011_set_tx_full(&d->u, dev_tx_full);
	spin_unlock(&d->lock);
}

static void dev_destroy(void *dev)
{
	struct vpl011_dev *d = dev;

	spin_lock(&devs_lock);
	d->cell = NULL;
	spin_unlock(&devs_lock);
}

static const struct mmio_ops vpl011_ops = {
	.name = "vpl011", .access = dev_access, .reset = dev_reset, .destroy = dev_destroy,
};

int vpl011_create(struct cell *c, struct mmio_bus *bus, uint64_t ipa, uint32_t intid,
		  const struct vpl011_backend *be, struct vpl011_dev **out)
{
	struct vpl011_dev *d = NULL;
	int r;

	spin_lock(&devs_lock);
	for (uint32_t i = 0; i < CELLA_MAX_CELLS && !d; i++)
		if (!devs[i].cell) {
			d = &devs[i];
			d->cell = c;
		}
	spin_unlock(&devs_lock);
	if (!d)
		return -ERR_NOMEM;
	d->intid = intid;
	d->be = be;
	dev_reset(d);
	r = mmio_register(bus, ipa, VPL011_SIZE, &vpl011_ops, d);
	if (r) {
		dev_destroy(d);
		return r;
	}
	*out = d;
	return 0;
}

bool vpl011_rx_room(struct vpl011_dev *d)
{
	bool room;

	spin_lock(&d->lock);
	room = d->u.rx_count < VPL011_RX_FIFO;
	spin_unlock(&d->lock);
	return room;
}

void vpl011_push(struct vpl011_dev *d, uint8_t ch)
{
	spin_lock(&d->lock);
	vpl011_rx(&d->u, ch);
	spin_unlock(&d->lock);
}
