/* vpci.c - a cell's virtual PCI: ECAM config space of bus 0, the portal, ivshmem functions. */
#include <string.h>
#include "core/mmio.h"
#include "dev/vpci.h"
#include "lib/err.h"

#define CMD_KEPT (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE)
#define BAR_MEM64_PREF 0xcu	/* BAR type bits: memory, 64-bit, prefetchable */
#define CLASS_RAM 0x050000u	/* memory controller, RAM (as QEMU's ivshmem) */
#define CLASS_OTHER 0xff0000u	/* fits no class (the portal) */
#define CFG_BAR0 0x10u
#define CFG_BAR5 0x24u

static bool fn_level(const struct vpci_fn *f)
{
	return (f->intr_status & f->intr_mask) != 0;
}

/* report device @d's INTx line to set_irq if it changed (the portal has none); lock held */
static void vpci_update(struct vpci *p, uint32_t d)
{
	struct vpci_fn *f = &p->fn[d];
	bool line = d && fn_level(f) && !(f->command & PCI_COMMAND_INTX_DISABLE);

	if (line != f->line) {
		f->line = line;
		p->ops->set_irq(p->ctx, VPCI_INTX_INTID(d - 1), line);
	}
}

uint64_t vpci_bar2_size(uint64_t size)
{
	uint64_t s = 1;

	while (s && s < size)
		s <<= 1;
	return s;
}

/* the writable bits of BAR @i of device @d (0: unimplemented); the others are read-only, the
 * type bits (low nibble) among them as sizes are >= 4 KiB */
static uint32_t bar_mask(const struct vpci *p, uint32_t d, unsigned i)
{
	if (i == 0)
		return (uint32_t)~(VPCI_BAR0_SIZE - 1);
	if (!d || (i != 2 && i != 3))
		return 0;
	/* BAR3, BAR2's high half: all writable, every size is below 4 GiB */
	return i == 3 ? 0xffffffffu : (uint32_t)~(vpci_bar2_size(p->chan[d - 1].size) - 1);
}

void vpci_reset(struct vpci *p)
{
	spin_lock(&p->lock);
	for (uint32_t d = 0; d <= p->nr_chan; d++) {
		struct vpci_fn *f = &p->fn[d];
		uint64_t shm = VPCI_SHM_IPA + (d - 1ull) * VPCI_SHM_STRIDE;	/* if d > 0 */

		*f = (struct vpci_fn){ .command = PCI_COMMAND_MEMORY, .line = f->line };
		f->bar[0] = (uint32_t)(VPCI_MMIO_IPA + d * VPCI_BAR0_SIZE);
		if (d) {
			f->bar[2] = (uint32_t)shm | BAR_MEM64_PREF;
			f->bar[3] = (uint32_t)(shm >> 32);
		}
		vpci_update(p, d);
	}
	memset(p->x, 0, sizeof(p->x));
	spin_unlock(&p->lock);
}

int vpci_init(struct vpci *p, const struct vpci_chan *chan, uint32_t nr,
	      const struct vpci_ops *ops, void *ctx)
{
	if (nr > VPCI_MAX_CHAN)
		return -ERR_INVAL;
	for (uint32_t i = 0; i < nr; i++)
		if (!chan[i].size || (chan[i].size & 0xfff) || chan[i].size > VPCI_SHM_STRIDE)
			return -ERR_INVAL;
	*p = (struct vpci){ .lock = SPINLOCK_INIT, .nr_chan = nr, .ops = ops, .ctx = ctx };
	for (uint32_t i = 0; i < nr; i++)
		p->chan[i] = chan[i];
	vpci_reset(p);
	return 0;
}

/* the dword at config register @reg (4-byte aligned, < 4 KiB) of present device @d */
static uint32_t cfg_read(const struct vpci *p, uint32_t d, uint32_t reg)
{
	const struct vpci_fn *f = &p->fn[d];

	switch (reg) {
	case 0x00:
		return VPCI_VENDOR | (d ? VPCI_DEVICE_IVSHMEM : VPCI_DEVICE_PORTAL) << 16;
	case 0x04:	/* Status: only Interrupt Status, whatever INTX_DISABLE says */
		return f->command | (fn_level(f) ? PCI_STATUS_INTERRUPT << 16 : 0);
	case 0x08:	/* revision 0 */
		return (d ? CLASS_RAM : CLASS_OTHER) << 8;
	case 0x2c:
		return d ? VPCI_VENDOR | VPCI_SUBSYS_IVSHMEM << 16 : 0;
	case 0x3c:	/* Interrupt Pin: INTA for the channels */
		return f->int_line | (d ? 1u << 8 : 0);
	default:
		return reg >= CFG_BAR0 && reg <= CFG_BAR5 ? f->bar[(reg - CFG_BAR0) / 4] : 0;
	}
}

/* store the dword @v at config register @reg of present device @d; registers not kept
 * (IDs, Status: no error bits to clear, ...) ignore it */
static void cfg_write(struct vpci *p, uint32_t d, uint32_t reg, uint32_t v)
{
	struct vpci_fn *f = &p->fn[d];
	uint32_t i = (reg - CFG_BAR0) / 4, m;

	if (reg == 0x04) {
		f->command = (uint16_t)(v & CMD_KEPT);
		vpci_update(p, d);
	} else if (reg == 0x3c) {
		f->int_line = (uint8_t)v;
	} else if (reg >= CFG_BAR0 && reg <= CFG_BAR5) {
		/* any value is kept (sizing reads back the mask); decoding stays where it is */
		m = bar_mask(p, d, i);
		f->bar[i] = (v & m) | (f->bar[i] & ~m);
	}
}

int vpci_ecam_access(struct vpci *p, uint64_t off, unsigned size, bool write, uint64_t *val)
{
	uint32_t d = (uint32_t)(off >> 15), reg = (uint32_t)off & 0xffc, mask, old;
	unsigned shift = ((unsigned)off & 3) * 8;

	if (!val || (size != 1 && size != 2 && size != 4) || off >= VPCI_ECAM_SIZE ||
	    (off & (size - 1)))
		return -ERR_INVAL;
	mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	/* d <= nr_chan < VPCI_NR_DEV bounds fn[]; function 0 only */
	if (d > p->nr_chan || (off & 0x7000)) {
		if (!write)
			*val = mask;
		return 0;
	}
	spin_lock(&p->lock);
	old = cfg_read(p, d, reg);
	if (write)	/* a sub-dword write keeps the other bytes of the dword */
		cfg_write(p, d, reg, (old & ~(mask << shift)) | ((uint32_t)*val & mask) << shift);
	else
		*val = (old >> shift) & mask;
	spin_unlock(&p->lock);
	return 0;
}

/* channel @c's BAR0 register @reg */
static int ivshmem_access(struct vpci *p, uint32_t c, uint32_t reg, unsigned size, bool write,
			  uint64_t *val)
{
	struct vpci_fn *f = &p->fn[c + 1];
	const struct vpci_chan *ch = &p->chan[c];

	if (size != 4 || (reg & 3))
		return -ERR_INVAL;
	if (reg == IVSHMEM_PEER_STATE) {
		if (!write)
			*val = p->ops->peer_running(p->ctx, c) ? 1 : 0;
		return 0;
	}
	if (write && reg == IVSHMEM_DOORBELL) {
		p->ops->notify(p->ctx, c);	/* without the lock: the peer may ring us now */
		return 0;
	}
	spin_lock(&p->lock);
	if (write) {
		if (reg == IVSHMEM_INTR_MASK)
			f->intr_mask = (uint32_t)*val;
		else if (reg == IVSHMEM_INTR_STATUS)
			f->intr_status = (uint32_t)*val;	/* as QEMU: the value, not OR */
	} else {
		/* by reg / 4; Doorbell reads 0, PEER_STATE is answered above */
		const uint32_t r[8] = { f->intr_mask, f->intr_status, ch->end, 0, 0, ch->slot,
					(uint32_t)ch->size, ch->rights };	/* size <= 64 MiB */

		*val = reg < sizeof(r) ? r[reg / 4] : 0;
		if (reg == IVSHMEM_INTR_STATUS)
			f->intr_status = 0;
	}
	vpci_update(p, c + 1);
	spin_unlock(&p->lock);
	return 0;
}

/* the portal's BAR0 register @reg, by vCPU @vcpu (< CELLA_MAX_VCPUS) */
static int portal_access(struct vpci *p, uint32_t vcpu, uint32_t reg, unsigned size, bool write,
			 uint64_t *val)
{
	uint64_t *x = p->x[vcpu], xc[7], mask = size == 8 ? ~0ull : 0xffffffffull;
	unsigned n = reg / 8, shift = (reg & 4) * 8;

	if ((size != 8 && size != 4) || (reg & (size - 1)))
		return -ERR_INVAL;
	if (write && reg == PORTAL_CALL) {	/* not at 0x3c: a 32-bit guest's second half */
		spin_lock(&p->lock);
		memcpy(xc, x, sizeof(xc));
		spin_unlock(&p->lock);
		p->ops->portal_call(p->ctx, xc);	/* without the lock: it may take long */
		spin_lock(&p->lock);
		memcpy(x, xc, 4 * sizeof(*x));	/* X0..X3: status and results */
		spin_unlock(&p->lock);
		return 0;
	}
	spin_lock(&p->lock);
	if (n >= 7) {	/* PORTAL_CALL and the rest: read 0, ignore writes */
		if (!write)
			*val = 0;
	} else if (write) {
		x[n] = (x[n] & ~(mask << shift)) | (*val & mask) << shift;
	} else {
		*val = (x[n] >> shift) & mask;
	}
	spin_unlock(&p->lock);
	return 0;
}

int vpci_bar0_access(struct vpci *p, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		     uint64_t *val)
{
	uint64_t d = off / VPCI_BAR0_SIZE;
	uint32_t reg = (uint32_t)(off % VPCI_BAR0_SIZE);

	/* vcpu bounds x[]; d <= nr_chan bounds fn[] and chan[] */
	if (!val || vcpu >= CELLA_MAX_VCPUS || d > p->nr_chan)
		return -ERR_INVAL;
	if (d == 0)
		return portal_access(p, vcpu, reg, size, write, val);
	return ivshmem_access(p, (uint32_t)d - 1, reg, size, write, val);
}

void vpci_ring(struct vpci *p, uint32_t chan, uint32_t bits)
{
	if (chan >= p->nr_chan)
		return;
	spin_lock(&p->lock);
	p->fn[chan + 1].intr_status |= bits;
	vpci_update(p, chan + 1);
	spin_unlock(&p->lock);
}

/* ---- on a cell's MMIO bus ---- */

static int ecam_mmio(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		     uint64_t *val)
{
	return vpci_ecam_access(dev, off, size, write, val);
}

static int bar0_mmio(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		     uint64_t *val)
{
	return vpci_bar0_access(dev, vcpu, off, size, write, val);
}

static void vpci_mmio_reset(void *dev)
{
	vpci_reset(dev);
}

/* one model, two regions: only the first resets it */
static const struct mmio_ops ecam_ops = {
	.name = "pci-ecam", .access = ecam_mmio, .reset = vpci_mmio_reset,
};
static const struct mmio_ops bar0_ops = { .name = "pci-bar0", .access = bar0_mmio };

int vpci_register(struct vpci *p, struct mmio_bus *bus)
{
	int r = mmio_register(bus, VPCI_ECAM_IPA, VPCI_ECAM_SIZE, &ecam_ops, p);

	if (r)
		return r;
	return mmio_register(bus, VPCI_MMIO_IPA, (1 + p->nr_chan) * VPCI_BAR0_SIZE, &bar0_ops, p);
}
