/* test_vpci.c - unit tests for the virtual PCI model (src/dev/vpci.c), with hostile accesses
 * and the configuration sequences Linux's PCI core and uio_pci_generic perform. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/mmio.h"
#include "dev/vpci.h"
#include "lib/err.h"

#define NR 3	/* channels of the model most tests use */

/* what the callbacks saw */
static struct {
	struct vpci *p;
	unsigned nirq, nnotify, npeer, ncall;
	bool level[NR];
	uint32_t last_intid, notify_chan, peer_chan;
	bool peer;
	bool lock_free;		/* every no-lock callback found the lock free */
	bool lock_held;		/* every set_irq found the lock taken */
	uint64_t call_in[7];
} k;

static bool lock_is_free(struct vpci *p)
{
	if (!spin_trylock(&p->lock))
		return false;
	spin_unlock(&p->lock);
	return true;
}

static void cb_set_irq(void *ctx, uint32_t intid, bool level)
{
	assert_ptr_equal(ctx, &k);
	if (lock_is_free(k.p))
		k.lock_held = false;
	assert_true(intid >= VPCI_INTX_INTID(0) && intid < VPCI_INTX_INTID(NR));
	/* only on change */
	assert_int_not_equal(k.level[intid - VPCI_INTX_INTID(0)], level);
	k.level[intid - VPCI_INTX_INTID(0)] = level;
	k.last_intid = intid;
	k.nirq++;
}

static void cb_notify(void *ctx, uint32_t chan)
{
	if (!lock_is_free(k.p))
		k.lock_free = false;
	k.notify_chan = chan;
	k.nnotify++;
}

static bool cb_peer_running(void *ctx, uint32_t chan)
{
	if (!lock_is_free(k.p))
		k.lock_free = false;
	k.peer_chan = chan;
	k.npeer++;
	return k.peer;
}

static void cb_portal_call(void *ctx, uint64_t x[7])
{
	if (!lock_is_free(k.p))
		k.lock_free = false;
	memcpy(k.call_in, x, sizeof(k.call_in));
	k.ncall++;
	for (unsigned i = 0; i < 7; i++)
		x[i] = 0x1000 + i;	/* results into x0..x3; x4..x6 must not be written back */
}

static const struct vpci_ops ops = {
	.set_irq = cb_set_irq, .notify = cb_notify, .peer_running = cb_peer_running,
	.portal_call = cb_portal_call,
};

static const struct vpci_chan chans[NR] = {
	{ .end = 0, .slot = 5, .rights = 7, .size = 0x1000 },
	{ .end = 1, .slot = 9, .rights = 3, .size = 0x3000 },
	{ .end = 1, .slot = 12, .rights = 1, .size = VPCI_SHM_STRIDE },
};

static struct vpci pv;

static void setup_model(uint32_t nr)
{
	memset(&k, 0, sizeof(k));
	k.p = &pv;
	k.lock_free = k.lock_held = true;
	memset(&pv, 0xa5, sizeof(pv));
	assert_int_equal(vpci_init(&pv, chans, nr, &ops, &k), 0);
	assert_int_equal(k.nirq, 0);
}

/* config space of device @d (function @fn), register @reg */
static uint64_t cfg(uint32_t d, uint32_t fn, uint32_t reg)
{
	return ((uint64_t)d << 15) | (fn << 12) | reg;
}

static uint32_t crd(uint32_t d, uint32_t reg, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(vpci_ecam_access(&pv, cfg(d, 0, reg), size, false, &v), 0);
	assert_true(v <= (size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1));
	return (uint32_t)v;
}

static void cwr(uint32_t d, uint32_t reg, unsigned size, uint64_t v)
{
	assert_int_equal(vpci_ecam_access(&pv, cfg(d, 0, reg), size, true, &v), 0);
}

static uint64_t brd(uint32_t vcpu, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(vpci_bar0_access(&pv, vcpu, off, size, false, &v), 0);
	return v;
}

static void bwr(uint32_t vcpu, uint64_t off, unsigned size, uint64_t v)
{
	assert_int_equal(vpci_bar0_access(&pv, vcpu, off, size, true, &v), 0);
}

/* channel @c's ivshmem register */
static uint32_t ird(uint32_t c, uint32_t reg)
{
	return (uint32_t)brd(0, (c + 1) * VPCI_BAR0_SIZE + reg, 4);
}

static void iwr(uint32_t c, uint32_t reg, uint32_t v)
{
	bwr(0, (c + 1) * VPCI_BAR0_SIZE + reg, 4, v);
}

/* every channel function still decodes its BAR0 where it was assigned */
static void check_decode(void)
{
	for (uint32_t c = 0; c < pv.nr_chan; c++) {
		assert_int_equal(ird(c, IVSHMEM_IV_POSITION), chans[c].end);
		assert_int_equal(ird(c, IVSHMEM_SLOT), chans[c].slot);
		assert_int_equal(ird(c, IVSHMEM_SIZE), chans[c].size);
		assert_int_equal(ird(c, IVSHMEM_RIGHTS), chans[c].rights);
	}
}

static void test_bar2_size(void **state)
{
	assert_int_equal(vpci_bar2_size(4096), 4096);
	assert_int_equal(vpci_bar2_size(12288), 16384);
	assert_int_equal(vpci_bar2_size(0x4000000), 0x4000000);
	assert_int_equal(vpci_bar2_size(0x4001000), 0x8000000);
	assert_int_equal(vpci_bar2_size(8192), 8192);
	assert_int_equal(vpci_bar2_size(4097), 8192);
}

static void test_init_refusals(void **state)
{
	struct vpci_chan c[VPCI_MAX_CHAN + 1];
	static const uint64_t bad[] = { 0, 1, 0xfff, 0x1001, VPCI_SHM_STRIDE + 0x1000,
					UINT64_MAX, 1ull << 63 };

	for (unsigned i = 0; i <= VPCI_MAX_CHAN; i++)
		c[i] = (struct vpci_chan){ .size = 0x1000 };
	assert_int_equal(vpci_init(&pv, c, VPCI_MAX_CHAN + 1, &ops, &k), -ERR_INVAL);
	assert_int_equal(vpci_init(&pv, c, UINT32_MAX, &ops, &k), -ERR_INVAL);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c[3].size = bad[i];
		assert_int_equal(vpci_init(&pv, c, 4, &ops, &k), -ERR_INVAL);
		assert_int_equal(vpci_init(&pv, c, 3, &ops, &k), 0);	/* c[3] unused */
	}
	c[3].size = VPCI_SHM_STRIDE;
	assert_int_equal(vpci_init(&pv, c, VPCI_MAX_CHAN, &ops, &k), 0);
	assert_int_equal(pv.nr_chan, VPCI_MAX_CHAN);
	assert_int_equal(vpci_init(&pv, NULL, 0, &ops, &k), 0);
	assert_int_equal(pv.nr_chan, 0);
}

static void test_header(void **state)
{
	setup_model(NR);
	for (uint32_t d = 0; d <= NR; d++) {
		bool ch = d != 0;

		/* as Linux reads them: vendor 16-bit, device 16-bit, header type 8-bit */
		assert_int_equal(crd(d, 0x00, 2), VPCI_VENDOR);
		assert_int_equal(crd(d, 0x02, 2), ch ? VPCI_DEVICE_IVSHMEM : VPCI_DEVICE_PORTAL);
		assert_int_equal(crd(d, 0x00, 4),
				 VPCI_VENDOR | (ch ? VPCI_DEVICE_IVSHMEM : VPCI_DEVICE_PORTAL) << 16);
		assert_int_equal(crd(d, 0x00, 1), VPCI_VENDOR & 0xff);
		assert_int_equal(crd(d, 0x01, 1), VPCI_VENDOR >> 8);
		assert_int_equal(crd(d, 0x0e, 1), 0);	/* header type 0, single function */
		assert_int_equal(crd(d, 0x0c, 4), 0);
		assert_int_equal(crd(d, 0x04, 4), PCI_COMMAND_MEMORY);	/* reset; Status 0 */
		assert_int_equal(crd(d, 0x08, 4), ch ? 0x05000000u : 0xff000000u);
		assert_int_equal(crd(d, 0x08, 1), 0);	/* revision */
		assert_int_equal(crd(d, 0x0b, 1), ch ? 0x05 : 0xff);
		assert_int_equal(crd(d, 0x0a, 2), ch ? 0x0500 : 0xff00);
		assert_int_equal(crd(d, 0x2c, 2), ch ? VPCI_VENDOR : 0);
		assert_int_equal(crd(d, 0x2e, 2), ch ? VPCI_SUBSYS_IVSHMEM : 0);
		assert_int_equal(crd(d, 0x34, 1), 0);	/* no capabilities */
		assert_int_equal(crd(d, 0x3c, 1), 0);
		assert_int_equal(crd(d, 0x3d, 1), ch ? 1 : 0);	/* INTA */
		assert_int_equal(crd(d, 0x3e, 2), 0);
		assert_int_equal(crd(d, 0x10, 4), VPCI_MMIO_IPA + d * VPCI_BAR0_SIZE);
		assert_int_equal(crd(d, 0x14, 4), 0);
		assert_int_equal(crd(d, 0x18, 4),
				 ch ? (VPCI_SHM_IPA + (d - 1) * VPCI_SHM_STRIDE) | 0xc : 0);
		assert_int_equal(crd(d, 0x1c, 4), 0);
		assert_int_equal(crd(d, 0x20, 4), 0);
		assert_int_equal(crd(d, 0x24, 4), 0);
		/* everything else of the header, and the extended space, reads 0 */
		for (uint32_t r = 0x28; r < 0x1000; r += 4)
			if (r != 0x2c && r != 0x3c)
				assert_int_equal(crd(d, r, 4), 0);
	}
}

static void test_absent(void **state)
{
	static const unsigned sizes[] = { 1, 2, 4 };

	setup_model(NR);
	for (uint32_t d = 0; d < 32; d++) {
		for (uint32_t fn = 0; fn < 8; fn++) {
			if (d <= NR && fn == 0)
				continue;
			for (unsigned s = 0; s < 3; s++) {
				uint32_t size = sizes[s];
				uint64_t off = cfg(d, fn, 0x04 + (4 - size)), v = 0;

				assert_int_equal(vpci_ecam_access(&pv, off, size, false, &v), 0);
				assert_int_equal(v, size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1);
				v = 0x0400;	/* INTX_DISABLE into an absent function's Command */
				assert_int_equal(vpci_ecam_access(&pv, cfg(d, fn, 4), size, true, &v), 0);
				v = 0;
				assert_int_equal(vpci_ecam_access(&pv, cfg(d, fn, 0xffc), 4, false, &v), 0);
				assert_int_equal(v, 0xffffffffull);
			}
		}
	}
	/* the writes reached no present function */
	for (uint32_t d = 0; d <= NR; d++)
		assert_int_equal(crd(d, 0x04, 4), PCI_COMMAND_MEMORY);
	/* with no channels, device 1 is absent */
	setup_model(0);
	assert_int_equal(crd(1, 0, 4), 0xffffffffu);
	assert_int_equal(crd(0, 0, 2), VPCI_VENDOR);
}

static void test_ecam_hostile(void **state)
{
	uint64_t v;

	setup_model(NR);
	for (uint64_t base = 0; base <= NR * 0x8000ull; base += 0x8000) {
		for (unsigned off = 0; off < 16; off++) {
			for (unsigned size = 0; size <= 9; size++) {
				bool ok = (size == 1 || size == 2 || size == 4) && !(off & (size - 1));

				v = 0;
				assert_int_equal(vpci_ecam_access(&pv, base + off, size, false, &v),
						 ok ? 0 : -ERR_INVAL);
				if (!ok)
					assert_int_equal(v, 0);
				v = 0xffffffff;
				assert_int_equal(vpci_ecam_access(&pv, base + 0x3c + off, size, true, &v),
						 ok ? 0 : -ERR_INVAL);
			}
		}
	}
	/* the ends of the region */
	v = 0;
	assert_int_equal(vpci_ecam_access(&pv, VPCI_ECAM_SIZE - 4, 4, false, &v), 0);
	assert_int_equal(v, 0xffffffffu);
	assert_int_equal(vpci_ecam_access(&pv, VPCI_ECAM_SIZE - 1, 1, false, &v), 0);
	assert_int_equal(vpci_ecam_access(&pv, VPCI_ECAM_SIZE - 2, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vpci_ecam_access(&pv, VPCI_ECAM_SIZE, 1, false, &v), -ERR_INVAL);
	assert_int_equal(vpci_ecam_access(&pv, VPCI_ECAM_SIZE, 4, true, &v), -ERR_INVAL);
	assert_int_equal(vpci_ecam_access(&pv, UINT64_MAX - 3, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vpci_ecam_access(&pv, 1ull << 40, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vpci_ecam_access(&pv, 0, 4, false, NULL), -ERR_INVAL);
	assert_int_equal(vpci_ecam_access(&pv, 0, 8, false, &v), -ERR_INVAL);
	assert_int_equal(k.nirq, 0);
	check_decode();
}

/* __pci_read_base: save, write all ones, read the mask, restore; returns the mask */
static uint32_t size_bar(uint32_t d, uint32_t reg)
{
	uint32_t l = crd(d, reg, 4), sz;

	cwr(d, reg, 4, 0xffffffff);
	sz = crd(d, reg, 4);
	cwr(d, reg, 4, l);
	assert_int_equal(crd(d, reg, 4), l);
	return sz;
}

static void test_bar_sizing(void **state)
{
	setup_model(NR);
	for (uint32_t d = 0; d <= NR; d++) {
		uint16_t cmd = (uint16_t)crd(d, 0x04, 2);

		/* Linux turns decoding off around sizing (unless the device is always on) */
		cwr(d, 0x04, 2, cmd & ~PCI_COMMAND_MEMORY);
		assert_int_equal(size_bar(d, 0x10), 0xfffff000u);	/* 32-bit, 4 KiB */
		assert_int_equal(size_bar(d, 0x14), 0);			/* unimplemented */
		if (d) {
			uint64_t sz = vpci_bar2_size(chans[d - 1].size);

			/* the 64-bit prefetchable BAR: both halves */
			assert_int_equal(size_bar(d, 0x18), (uint32_t)~(sz - 1) | 0xc);
			assert_int_equal(size_bar(d, 0x1c), 0xffffffffu);
		} else {
			assert_int_equal(size_bar(d, 0x18), 0);
			assert_int_equal(size_bar(d, 0x1c), 0);
		}
		assert_int_equal(size_bar(d, 0x20), 0);
		assert_int_equal(size_bar(d, 0x24), 0);
		cwr(d, 0x04, 2, cmd);
		assert_int_equal(crd(d, 0x04, 2), cmd);
	}
	/* channel 1: 12 KiB in a 16 KiB BAR */
	assert_int_equal(size_bar(2, 0x18), 0xffffc00cu);
	assert_int_equal(size_bar(3, 0x18), 0xfc00000cu);	/* 64 MiB */
	check_decode();
	assert_int_equal(k.nirq, 0);
}

static void test_bar_random_writes(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	setup_model(NR);
	for (unsigned n = 0; n < 4000; n++) {
		uint32_t d, reg, v;
		unsigned size;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		d = (uint32_t)(seed >> 60) % (NR + 1);
		size = 1u << ((seed >> 40) % 3);
		reg = 0x10 + (uint32_t)((seed >> 20) % 24);
		reg &= ~(size - 1);
		v = (uint32_t)(seed >> 8);
		cwr(d, reg, size, v);
		for (uint32_t e = 0; e <= NR; e++) {
			assert_int_equal(crd(e, 0x10, 4) & 0xfff, 0);	/* 32-bit memory */
			assert_int_equal(crd(e, 0x14, 4), 0);
			assert_int_equal(crd(e, 0x18, 4) & 0xf, e ? 0xc : 0);
			if (e) {
				uint64_t sz = vpci_bar2_size(chans[e - 1].size);

				assert_int_equal(crd(e, 0x18, 4) & (sz - 1), 0xc);
			} else {
				assert_int_equal(crd(e, 0x1c, 4), 0);
			}
			assert_int_equal(crd(e, 0x20, 4) | crd(e, 0x24, 4), 0);
		}
	}
	check_decode();
	/* the portal's registers stay where they are too */
	bwr(0, PORTAL_X(1), 8, 0x1234);
	assert_int_equal(brd(0, PORTAL_X(1), 8), 0x1234);
}

static void test_command(void **state)
{
	uint16_t orig, now;

	setup_model(NR);
	cwr(1, 0x04, 2, 0xffff);
	assert_int_equal(crd(1, 0x04, 2), 0x0406);
	cwr(1, 0x04, 4, 0xffffffff);	/* the Status half ignores writes */
	assert_int_equal(crd(1, 0x04, 4), 0x0406);
	cwr(1, 0x04, 1, 0);
	assert_int_equal(crd(1, 0x04, 2), 0x0400);
	/* uio_pci_generic user space: byte 5 is the high byte of Command */
	cwr(1, 0x05, 1, 0);
	assert_int_equal(crd(1, 0x04, 2), 0);
	cwr(1, 0x05, 1, 0x04);
	assert_int_equal(crd(1, 0x04, 2), PCI_COMMAND_INTX_DISABLE);
	cwr(1, 0x06, 2, 0xffff);	/* Status */
	assert_int_equal(crd(1, 0x04, 4), PCI_COMMAND_INTX_DISABLE);
	cwr(1, 0x04, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

	/* pci_intx_mask_supported: toggle INTX_DISABLE, nothing else may change */
	for (uint32_t d = 0; d <= NR; d++) {
		orig = (uint16_t)crd(d, 0x04, 2);
		cwr(d, 0x04, 2, orig ^ PCI_COMMAND_INTX_DISABLE);
		now = (uint16_t)crd(d, 0x04, 2);
		assert_int_equal(now, orig ^ PCI_COMMAND_INTX_DISABLE);
		cwr(d, 0x04, 2, orig);
		assert_int_equal(crd(d, 0x04, 2), orig);
	}
	assert_int_equal(k.nirq, 0);
	/* int line: RW byte; pin: RO */
	cwr(2, 0x3c, 1, 0x2a);
	cwr(2, 0x3d, 1, 0x7);
	assert_int_equal(crd(2, 0x3c, 2), 0x012a);
	cwr(2, 0x3c, 4, 0xffffffff);
	assert_int_equal(crd(2, 0x3c, 4), 0x01ff);
	/* read-only header registers */
	cwr(2, 0x00, 4, 0);
	cwr(2, 0x08, 4, 0);
	cwr(2, 0x2c, 4, 0);
	cwr(2, 0x34, 1, 0x40);
	cwr(2, 0x0e, 1, 0x80);
	assert_int_equal(crd(2, 0x00, 4), VPCI_VENDOR | VPCI_DEVICE_IVSHMEM << 16);
	assert_int_equal(crd(2, 0x08, 4), 0x05000000u);
	assert_int_equal(crd(2, 0x2c, 4), VPCI_VENDOR | VPCI_SUBSYS_IVSHMEM << 16);
	assert_int_equal(crd(2, 0x34, 4), 0);
	assert_int_equal(crd(2, 0x0c, 4), 0);
	cwr(2, 0x200, 4, 0xffffffff);
	assert_int_equal(crd(2, 0x200, 4), 0);
}

static void test_intx(void **state)
{
	uint32_t c = 1, intid = VPCI_INTX_INTID(1);

	setup_model(NR);
	vpci_ring(&pv, c, VPCI_INTR_DOORBELL);
	assert_int_equal(k.nirq, 0);	/* masked */
	assert_int_equal(crd(c + 1, 0x06, 2), 0);
	iwr(c, IVSHMEM_INTR_MASK, VPCI_INTR_DOORBELL | VPCI_INTR_PEER);
	assert_int_equal(ird(c, IVSHMEM_INTR_MASK), VPCI_INTR_DOORBELL | VPCI_INTR_PEER);
	assert_int_equal(k.nirq, 1);
	assert_int_equal(k.last_intid, intid);
	assert_true(k.level[c]);
	assert_int_equal(crd(c + 1, 0x06, 2), PCI_STATUS_INTERRUPT);
	assert_int_equal(crd(c + 1, 0x04, 4), PCI_COMMAND_MEMORY | PCI_STATUS_INTERRUPT << 16);
	/* ringing again: no change, no call */
	vpci_ring(&pv, c, VPCI_INTR_PEER);
	assert_int_equal(k.nirq, 1);
	/* INTX_DISABLE (uio_pci_generic's mask, byte 5) lowers the line, not Status.INTERRUPT */
	cwr(c + 1, 0x05, 1, 0x04);
	assert_int_equal(k.nirq, 2);
	assert_false(k.level[c]);
	assert_int_equal(crd(c + 1, 0x06, 2), PCI_STATUS_INTERRUPT);
	cwr(c + 1, 0x05, 1, 0x00);
	assert_int_equal(k.nirq, 3);
	assert_true(k.level[c]);
	/* IntrStatus read: returns and clears, the line drops */
	assert_int_equal(ird(c, IVSHMEM_INTR_STATUS), VPCI_INTR_DOORBELL | VPCI_INTR_PEER);
	assert_int_equal(k.nirq, 4);
	assert_false(k.level[c]);
	assert_int_equal(crd(c + 1, 0x06, 2), 0);
	assert_int_equal(ird(c, IVSHMEM_INTR_STATUS), 0);
	assert_int_equal(k.nirq, 4);
	/* IntrStatus write: the value (as QEMU) */
	iwr(c, IVSHMEM_INTR_STATUS, VPCI_INTR_PEER);
	assert_int_equal(k.nirq, 5);
	assert_true(k.level[c]);
	iwr(c, IVSHMEM_INTR_STATUS, 0);
	assert_int_equal(k.nirq, 6);
	assert_false(k.level[c]);
	/* IntrMask write lowers it */
	vpci_ring(&pv, c, VPCI_INTR_DOORBELL);
	assert_int_equal(k.nirq, 7);
	iwr(c, IVSHMEM_INTR_MASK, VPCI_INTR_PEER);
	assert_int_equal(k.nirq, 8);
	assert_false(k.level[c]);
	assert_int_equal(crd(c + 1, 0x06, 2), 0);
	/* other channels untouched; bad channels ignored */
	vpci_ring(&pv, NR, VPCI_INTR_DOORBELL);
	vpci_ring(&pv, UINT32_MAX, VPCI_INTR_DOORBELL);
	assert_int_equal(k.nirq, 8);
	assert_false(k.level[0] || k.level[2]);
	assert_int_equal(crd(1, 0x06, 2) | crd(3, 0x06, 2), 0);
	assert_true(k.lock_held);
	assert_int_equal(k.nnotify, 0);
}

static void test_doorbell_peer(void **state)
{
	setup_model(NR);
	for (uint32_t c = 0; c < NR; c++) {
		k.nnotify = 0;
		iwr(c, IVSHMEM_DOORBELL, 0x12345);
		assert_int_equal(k.nnotify, 1);
		assert_int_equal(k.notify_chan, c);
		assert_int_equal(ird(c, IVSHMEM_DOORBELL), 0);
		k.peer = true;
		assert_int_equal(ird(c, IVSHMEM_PEER_STATE), 1);
		assert_int_equal(k.peer_chan, c);
		k.peer = false;
		assert_int_equal(ird(c, IVSHMEM_PEER_STATE), 0);
		iwr(c, IVSHMEM_PEER_STATE, 1);	/* read-only */
		assert_int_equal(k.nnotify, 1);
	}
	assert_true(k.lock_free);
	assert_int_equal(k.nirq, 0);
	assert_int_equal(ird(0, IVSHMEM_INTR_STATUS), 0);	/* the doorbell is the peer's */
}

static void test_ivshmem_regs(void **state)
{
	setup_model(NR);
	check_decode();
	for (uint32_t c = 0; c < NR; c++) {
		uint64_t base = (c + 1) * VPCI_BAR0_SIZE, v;

		/* read-only registers ignore writes */
		iwr(c, IVSHMEM_IV_POSITION, 0xff);
		iwr(c, IVSHMEM_SLOT, 0xff);
		iwr(c, IVSHMEM_SIZE, 0xff);
		iwr(c, IVSHMEM_RIGHTS, 0xff);
		for (uint32_t r = 0x20; r < VPCI_BAR0_SIZE; r += 4) {
			iwr(c, r, 0xffffffff);
			assert_int_equal(ird(c, r), 0);
		}
		/* only aligned 4-byte accesses */
		for (unsigned off = 0; off < 0x20; off++)
			for (unsigned size = 0; size <= 9; size++) {
				int want = size == 4 && !(off & 3) ? 0 : -ERR_INVAL;

				v = 0;
				if (off == IVSHMEM_INTR_STATUS || off == IVSHMEM_DOORBELL ||
				    off == IVSHMEM_PEER_STATE)
					continue;	/* tested elsewhere (side effects) */
				assert_int_equal(vpci_bar0_access(&pv, 0, base + off, size, false, &v),
						 want);
				assert_int_equal(vpci_bar0_access(&pv, 0, base + off, size, true, &v),
						 want);
			}
		v = 0;
		assert_int_equal(vpci_bar0_access(&pv, 0, base + 0xffc, 4, false, &v), 0);
		assert_int_equal(vpci_bar0_access(&pv, 0, base + 0xffe, 4, false, &v), -ERR_INVAL);
		assert_int_equal(vpci_bar0_access(&pv, 0, base + IVSHMEM_DOORBELL, 8, true, &v),
				 -ERR_INVAL);
		assert_int_equal(vpci_bar0_access(&pv, 0, base + IVSHMEM_DOORBELL, 2, true, &v),
				 -ERR_INVAL);
		assert_int_equal(vpci_bar0_access(&pv, 0, base + IVSHMEM_INTR_STATUS, 1, false, &v),
				 -ERR_INVAL);
	}
	check_decode();
	assert_int_equal(k.nnotify, 0);
	assert_int_equal(k.npeer, 0);
	/* devices beyond nr_chan, vCPUs beyond CELLA_MAX_VCPUS */
	uint64_t v = 0;

	assert_int_equal(vpci_bar0_access(&pv, 0, (NR + 1) * VPCI_BAR0_SIZE, 4, false, &v),
			 -ERR_INVAL);
	assert_int_equal(vpci_bar0_access(&pv, 0, UINT64_MAX - 3, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vpci_bar0_access(&pv, 0, 0x1000 * 33ull, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vpci_bar0_access(&pv, CELLA_MAX_VCPUS, VPCI_BAR0_SIZE, 4, false, &v),
			 -ERR_INVAL);
	assert_int_equal(vpci_bar0_access(&pv, UINT32_MAX, 0, 8, false, &v), -ERR_INVAL);
	assert_int_equal(vpci_bar0_access(&pv, 0, VPCI_BAR0_SIZE, 4, false, NULL), -ERR_INVAL);
}

static void test_portal(void **state)
{
	uint64_t v;

	setup_model(NR);
	/* a register file per vCPU */
	for (uint32_t c = 0; c < CELLA_MAX_VCPUS; c++)
		for (uint32_t n = 0; n < 7; n++)
			bwr(c, PORTAL_X(n), 8, (uint64_t)c << 32 | n);
	for (uint32_t c = 0; c < CELLA_MAX_VCPUS; c++)
		for (uint32_t n = 0; n < 7; n++) {
			assert_int_equal(brd(c, PORTAL_X(n), 8), (uint64_t)c << 32 | n);
			assert_int_equal(brd(c, PORTAL_X(n), 4), n);
			assert_int_equal(brd(c, PORTAL_X(n) + 4, 4), c);
		}
	/* 32-bit halves */
	bwr(3, PORTAL_X(2) + 4, 4, 0xaabbccdd11223344ull);
	assert_int_equal(brd(3, PORTAL_X(2), 8), 0x1122334400000002ull);
	bwr(3, PORTAL_X(2), 4, 0xffffffff);
	assert_int_equal(brd(3, PORTAL_X(2), 8), 0x11223344ffffffffull);
	/* the call: vCPU 5's registers out, x0..x3 back */
	bwr(5, PORTAL_CALL, 8, 0);
	assert_int_equal(k.ncall, 1);
	assert_true(k.lock_free);
	for (uint32_t n = 0; n < 7; n++)
		assert_int_equal(k.call_in[n], 5ull << 32 | n);
	for (uint32_t n = 0; n < 7; n++)
		assert_int_equal(brd(5, PORTAL_X(n), 8), n < 4 ? 0x1000 + n : 5ull << 32 | n);
	assert_int_equal(brd(4, PORTAL_X(0), 8), 4ull << 32);	/* other vCPUs untouched */
	assert_int_equal(brd(5, PORTAL_CALL, 8), 0);
	assert_int_equal(brd(5, PORTAL_CALL, 4), 0);
	assert_int_equal(brd(5, PORTAL_CALL + 4, 4), 0);
	bwr(6, PORTAL_CALL, 4, 1);	/* a 32-bit write calls too */
	assert_int_equal(k.ncall, 2);
	assert_int_equal(k.call_in[0], 6ull << 32);
	bwr(6, PORTAL_CALL + 4, 4, 1);	/* the high half does not */
	assert_int_equal(k.ncall, 2);
	/* offsets past the registers: 0, writes ignored */
	for (uint32_t r = 0x40; r < VPCI_BAR0_SIZE; r += 8) {
		bwr(0, r, 8, ~0ull);
		assert_int_equal(brd(0, r, 8), 0);
	}
	assert_int_equal(k.ncall, 2);
	/* sizes and alignment */
	for (unsigned off = 0; off < 0x48; off++)
		for (unsigned size = 0; size <= 9; size++) {
			bool ok = (size == 8 && !(off & 7)) || (size == 4 && !(off & 3));

			if (ok)
				continue;
			v = 0;
			assert_int_equal(vpci_bar0_access(&pv, 0, off, size, false, &v), -ERR_INVAL);
			assert_int_equal(vpci_bar0_access(&pv, 0, off, size, true, &v), -ERR_INVAL);
		}
	assert_int_equal(k.ncall, 2);
	assert_int_equal(vpci_bar0_access(&pv, CELLA_MAX_VCPUS, PORTAL_X(0), 8, false, &v),
			 -ERR_INVAL);
	assert_int_equal(vpci_bar0_access(&pv, CELLA_MAX_VCPUS, PORTAL_CALL, 8, true, &v),
			 -ERR_INVAL);
	assert_int_equal(k.ncall, 2);
	/* the end of the portal's BAR0 */
	assert_int_equal(vpci_bar0_access(&pv, 0, 0xff8, 8, false, &v), 0);
	assert_int_equal(vpci_bar0_access(&pv, 0, 0xffc, 8, false, &v), -ERR_INVAL);
	assert_int_equal(k.nirq, 0);
}

static void test_reset(void **state)
{
	setup_model(NR);
	for (uint32_t c = 0; c < NR; c++) {
		iwr(c, IVSHMEM_INTR_MASK, 1);
		vpci_ring(&pv, c, 1);
	}
	assert_int_equal(k.nirq, NR);
	cwr(1, 0x04, 2, PCI_COMMAND_MASTER);
	cwr(2, 0x10, 4, 0xffffffff);
	cwr(2, 0x1c, 4, 0x12345678);
	cwr(2, 0x3c, 1, 9);
	bwr(1, PORTAL_X(3), 8, 77);
	vpci_reset(&pv);
	assert_int_equal(k.nirq, 2 * NR);	/* each line lowered through set_irq */
	for (uint32_t c = 0; c < NR; c++)
		assert_false(k.level[c]);
	assert_true(k.lock_held);
	for (uint32_t d = 0; d <= NR; d++) {
		assert_int_equal(crd(d, 0x04, 4), PCI_COMMAND_MEMORY);
		assert_int_equal(crd(d, 0x10, 4), VPCI_MMIO_IPA + d * VPCI_BAR0_SIZE);
		assert_int_equal(crd(d, 0x1c, 4), 0);
		assert_int_equal(crd(d, 0x3c, 1), 0);
	}
	for (uint32_t c = 0; c < NR; c++) {
		assert_int_equal(ird(c, IVSHMEM_INTR_MASK), 0);
		assert_int_equal(ird(c, IVSHMEM_INTR_STATUS), 0);
	}
	assert_int_equal(brd(1, PORTAL_X(3), 8), 0);
	vpci_reset(&pv);	/* nothing high: no calls */
	assert_int_equal(k.nirq, 2 * NR);
}

static void test_register(void **state)
{
	struct mmio_bus bus = { 0 };
	const struct mmio_region *r;
	uint64_t v = 0;

	setup_model(NR);
	assert_int_equal(vpci_register(&pv, &bus), 0);
	assert_int_equal(bus.nr, 2);
	r = mmio_find(&bus, VPCI_ECAM_IPA, 4);
	assert_non_null(r);
	assert_int_equal(r->size, VPCI_ECAM_SIZE);
	assert_string_equal(r->ops->name, "pci-ecam");
	assert_int_equal(r->ops->access(r->dev, 0, 0, 2, false, &v), 0);
	assert_int_equal(v, VPCI_VENDOR);
	assert_null(mmio_find(&bus, VPCI_ECAM_IPA + VPCI_ECAM_SIZE, 4));
	r = mmio_find(&bus, VPCI_MMIO_IPA, 8);
	assert_non_null(r);
	assert_string_equal(r->ops->name, "pci-bar0");
	assert_int_equal(r->size, (1 + NR) * VPCI_BAR0_SIZE);
	assert_non_null(mmio_find(&bus, VPCI_MMIO_IPA + (1 + NR) * VPCI_BAR0_SIZE - 4, 4));
	assert_null(mmio_find(&bus, VPCI_MMIO_IPA + (1 + NR) * VPCI_BAR0_SIZE, 4));
	/* accesses go to the model, with the vCPU */
	v = 42;
	assert_int_equal(r->ops->access(r->dev, 2, PORTAL_X(1), 8, true, &v), 0);
	assert_int_equal(pv.x[2][1], 42);
	assert_int_equal(r->ops->access(r->dev, 0, VPCI_BAR0_SIZE + IVSHMEM_SLOT, 4, false, &v), 0);
	assert_int_equal(v, chans[0].slot);
	/* reset with the bus */
	iwr(0, IVSHMEM_INTR_MASK, 1);
	vpci_ring(&pv, 0, 1);
	assert_true(k.level[0]);
	mmio_reset_all(&bus);
	assert_false(k.level[0]);
	assert_int_equal(pv.x[2][1], 0);
	/* a second model on the same bus overlaps */
	assert_int_equal(vpci_register(&pv, &bus), -ERR_EXIST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bar2_size),
		cmocka_unit_test(test_init_refusals),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_ecam_hostile),
		cmocka_unit_test(test_bar_sizing),
		cmocka_unit_test(test_bar_random_writes),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_intx),
		cmocka_unit_test(test_doorbell_peer),
		cmocka_unit_test(test_ivshmem_regs),
		cmocka_unit_test(test_portal),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_register),
	};

	return cmocka_run_group_tests_name("vpci", tests, NULL, NULL);
}
