/* fuzz_vpci.c - libFuzzer harness for the virtual PCI model (src/dev/vpci.c).
 *
 * The input is a script for one struct vpci, as a hostile guest and the channel side would
 * drive it. Little-endian fields; bytes past the end of the input read 0; the script ends
 * where the input does.
 *
 *   header: nr_chan (byte % 10: 9 is refused by vpci_init, then the script runs on 8), then
 *           8 bytes, one per channel (those past nr_chan unused): bit 7 set: size
 *           (1 + (b & 0x7f)) * 4 KiB, else 4 KiB << (b % 15) (4 KiB .. 64 MiB); end = bit 0,
 *           slot = b, rights = b >> 5
 *   op (byte % 5) and its arguments:
 *     0 ECAM access    off:3 size:1 dir:1 val:4   (off: 24 bits, the region is 20)
 *     1 BAR0 access    vcpu:1 off:2 size:1 dir:1 val:8   (vcpu % 10, off: 16 bits, 16 devices)
 *         size: byte % 10 (0..9 bytes); dir: bit 0 write
 *     2 ring           chan:1 bits:1   (chan % 10)
 *     3 reset (through the MMIO bus the model is registered on)
 *     4 peer           running:1   (what peer_running answers from now on)
 * Checked after every step: return values (0 or -ERR_INVAL, exactly when the size, alignment,
 * offset and vCPU rules of vpci.h allow), reads fit the access size; a reference model of
 * Command, IntrMask, IntrStatus and the portal registers agrees with the model; every
 * function's line is its level with INTX_DISABLE clear and set_irq was called exactly on each
 * change (never twice with one level) with the lock held; notify, peer_running and
 * portal_call ran without the lock, once per Doorbell write / PEER_STATE read / call, with the
 * right channel; BARs keep their type bits and alignment, and every channel still decodes at
 * its assigned BAR0 (IVPosition, slot, size, rights read back there).
 */
#include <stdbool.h>

#include "fuzz.h"
#include "core/mmio.h"
#include "dev/vpci.h"
#include "lib/err.h"

struct in {
	const uint8_t *p;
	size_t left;
};

/* the reference: what the model must hold */
struct ref {
	uint16_t command[VPCI_NR_DEV];
	uint32_t mask[VPCI_MAX_CHAN], status[VPCI_MAX_CHAN];
	uint64_t x[CELLA_MAX_VCPUS][7];
};

static struct vpci pv;
static struct mmio_bus bus;
static struct ref ref;
static struct vpci_chan chans[VPCI_MAX_CHAN];
static bool line[VPCI_MAX_CHAN];	/* as set_irq last reported it */
static unsigned nnotify, npeer, ncall;
static uint32_t last_chan;
static bool peer;

static uint64_t take(struct in *in, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		if (in->left) {
			v |= (uint64_t)in->p[0] << (8 * i);
			in->p++;
			in->left--;
		}
	}
	return v;
}

static bool lock_free(void)
{
	if (!spin_trylock(&pv.lock))
		return false;
	spin_unlock(&pv.lock);
	return true;
}

static void cb_set_irq(void *ctx, uint32_t intid, bool level)
{
	uint32_t c = intid - VPCI_INTX_INTID(0);

	FUZZ_CHECK(!lock_free());
	FUZZ_CHECK(intid >= VPCI_INTX_INTID(0) && c < pv.nr_chan);
	FUZZ_CHECK(line[c] != level);	/* only on change */
	line[c] = level;
}

static void cb_notify(void *ctx, uint32_t chan)
{
	FUZZ_CHECK(lock_free());
	last_chan = chan;
	nnotify++;
}

static bool cb_peer_running(void *ctx, uint32_t chan)
{
	FUZZ_CHECK(lock_free());
	last_chan = chan;
	npeer++;
	return peer;
}

static void cb_portal_call(void *ctx, uint64_t x[7])
{
	FUZZ_CHECK(lock_free());
	ncall++;
	for (unsigned i = 0; i < 7; i++)
		x[i] = ~x[i] + i;
}

static const struct vpci_ops ops = {
	.set_irq = cb_set_irq, .notify = cb_notify, .peer_running = cb_peer_running,
	.portal_call = cb_portal_call,
};

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static void ref_reset(void)
{
	memset(&ref, 0, sizeof(ref));
	for (unsigned d = 0; d < VPCI_NR_DEV; d++)
		ref.command[d] = PCI_COMMAND_MEMORY;
}

static void ecam(struct vpci *p, struct in *in)
{
	uint64_t off = take(in, 3);
	unsigned size = (unsigned)take(in, 1) % 10, shift = (off & 3) * 8;
	bool write = take(in, 1) & 1;
	uint64_t v = take(in, 4), v0 = v;
	bool ok = (size == 1 || size == 2 || size == 4) && !(off & (size - 1)) &&
		  off < VPCI_ECAM_SIZE;
	uint32_t d = (uint32_t)(off >> 15);
	bool present = d <= p->nr_chan && !(off & 0x7000);
	int r = vpci_ecam_access(p, off, size, write, &v);

	FUZZ_CHECK(r == (ok ? 0 : -ERR_INVAL));
	if (!ok)
		return;
	if (!write) {
		FUZZ_CHECK(v <= size_mask(size));
		if (!present)
			FUZZ_CHECK(v == size_mask(size));
	} else if (present && (off & 0xffc) == 0x04) {
		uint32_t m = (uint32_t)size_mask(size) << shift;
		uint32_t cmd = (ref.command[d] & ~m) | (((uint32_t)v0 << shift) & m);

		ref.command[d] = (uint16_t)(cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
						   PCI_COMMAND_INTX_DISABLE));
	}
}

static void portal(struct vpci *p, uint32_t vcpu, uint32_t reg, unsigned size, bool write,
		   uint64_t v0, uint64_t v, int r)
{
	bool ok = vcpu < CELLA_MAX_VCPUS && (size == 8 || size == 4) && !(reg & (size - 1));
	unsigned n = reg / 8, shift = (reg & 4) * 8;

	FUZZ_CHECK(r == (ok ? 0 : -ERR_INVAL));
	if (!ok)
		return;
	if (!write) {
		FUZZ_CHECK(v == (n < 7 ? (ref.x[vcpu][n] >> shift) & size_mask(size) : 0));
	} else if (reg == PORTAL_CALL) {
		for (unsigned i = 0; i < 4; i++)
			ref.x[vcpu][i] = ~ref.x[vcpu][i] + i;
	} else if (n < 7) {
		uint64_t m = size_mask(size) << shift;

		ref.x[vcpu][n] = (ref.x[vcpu][n] & ~m) | ((v0 << shift) & m);
	}
}

static void bar0(struct vpci *p, struct in *in)
{
	uint32_t vcpu = (uint32_t)take(in, 1) % 10;
	uint64_t off = take(in, 2);
	unsigned size = (unsigned)take(in, 1) % 10;
	bool write = take(in, 1) & 1;
	uint64_t v = take(in, 8), v0 = v;
	uint32_t d = (uint32_t)(off / VPCI_BAR0_SIZE), reg = (uint32_t)(off % VPCI_BAR0_SIZE);
	unsigned calls = ncall, notes = nnotify, peers = npeer;
	int r = vpci_bar0_access(p, vcpu, off, size, write, &v);
	bool ok = vcpu < CELLA_MAX_VCPUS && size == 4 && !(reg & 3);
	uint32_t c = d - 1;

	FUZZ_CHECK(r == 0 || r == -ERR_INVAL);
	if (d > p->nr_chan) {
		FUZZ_CHECK(r == -ERR_INVAL);
		return;
	}
	if (d == 0) {
		portal(p, vcpu, reg, size, write, v0, v, r);
		FUZZ_CHECK(ncall == calls + (!r && write && reg == PORTAL_CALL));
		FUZZ_CHECK(nnotify == notes && npeer == peers);
		return;
	}
	FUZZ_CHECK(r == (ok ? 0 : -ERR_INVAL));
	FUZZ_CHECK(ncall == calls);
	FUZZ_CHECK(nnotify == notes + (ok && write && reg == IVSHMEM_DOORBELL));
	FUZZ_CHECK(npeer == peers + (ok && !write && reg == IVSHMEM_PEER_STATE));
	if (nnotify != notes || npeer != peers)
		FUZZ_CHECK(last_chan == c);
	if (!ok)
		return;
	if (write) {
		if (reg == IVSHMEM_INTR_MASK)
			ref.mask[c] = (uint32_t)v0;
		else if (reg == IVSHMEM_INTR_STATUS)
			ref.status[c] = (uint32_t)v0;
		return;
	}
	FUZZ_CHECK(v <= 0xffffffffu);
	switch (reg) {
	case IVSHMEM_INTR_MASK:
		FUZZ_CHECK(v == ref.mask[c]);
		break;
	case IVSHMEM_INTR_STATUS:
		FUZZ_CHECK(v == ref.status[c]);
		ref.status[c] = 0;
		break;
	case IVSHMEM_PEER_STATE:
		FUZZ_CHECK(v == peer);
		break;
	default:
		if (reg >= 0x20 || reg == IVSHMEM_DOORBELL)
			FUZZ_CHECK(v == 0);
	}
}

/* the promises that hold between any two steps */
static void check(struct vpci *p)
{
	for (uint32_t d = 0; d <= p->nr_chan; d++) {
		const struct vpci_fn *f = &p->fn[d];
		uint64_t v = 0;

		FUZZ_CHECK(f->command == ref.command[d]);
		FUZZ_CHECK((f->bar[0] & 0xfff) == 0);
		FUZZ_CHECK(f->bar[1] == 0 && f->bar[4] == 0 && f->bar[5] == 0);
		FUZZ_CHECK(vpci_ecam_access(p, (uint64_t)d << 15 | 4, 4, false, &v) == 0);
		FUZZ_CHECK((uint16_t)v == f->command);
		if (d == 0) {
			FUZZ_CHECK(f->bar[2] == 0 && f->bar[3] == 0 && !f->line);
			FUZZ_CHECK(v >> 16 == 0);
			continue;
		}
		uint32_t c = d - 1;
		bool level = (ref.status[c] & ref.mask[c]) != 0;

		FUZZ_CHECK(f->intr_mask == ref.mask[c] && f->intr_status == ref.status[c]);
		FUZZ_CHECK((f->bar[2] & (vpci_bar2_size(chans[c].size) - 1)) == 0xc);
		FUZZ_CHECK(f->line == (level && !(f->command & PCI_COMMAND_INTX_DISABLE)));
		FUZZ_CHECK(line[c] == f->line);
		FUZZ_CHECK(v >> 16 == (level ? PCI_STATUS_INTERRUPT : 0));
		/* BAR0 decodes where it was assigned, whatever the BAR registers hold */
		static const uint32_t regs[4] = { IVSHMEM_IV_POSITION, IVSHMEM_SLOT, IVSHMEM_SIZE,
						  IVSHMEM_RIGHTS };
		const uint32_t want[4] = { chans[c].end, chans[c].slot, (uint32_t)chans[c].size,
					   chans[c].rights };

		for (unsigned i = 0; i < 4; i++) {
			FUZZ_CHECK(vpci_bar0_access(p, 0, d * VPCI_BAR0_SIZE + regs[i], 4, false,
						    &v) == 0);
			FUZZ_CHECK(v == want[i]);
		}
	}
	FUZZ_CHECK(memcmp(p->x, ref.x, sizeof(ref.x)) == 0);
	FUZZ_CHECK(lock_free());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	uint32_t nr = (uint32_t)take(&in, 1) % 10;

	for (uint32_t i = 0; i < VPCI_MAX_CHAN; i++) {
		uint8_t b = (uint8_t)take(&in, 1);

		chans[i] = (struct vpci_chan){
			.end = b & 1, .slot = b, .rights = b >> 5,
			.size = b & 0x80 ? (1u + (b & 0x7fu)) * 0x1000ull : 0x1000ull << (b % 15),
		};
	}
	memset(line, 0, sizeof(line));
	nnotify = npeer = ncall = 0;
	peer = false;
	ref_reset();
	if (nr > VPCI_MAX_CHAN) {
		FUZZ_CHECK(vpci_init(&pv, chans, nr, &ops, NULL) == -ERR_INVAL);
		nr = VPCI_MAX_CHAN;
	}
	FUZZ_CHECK(vpci_init(&pv, chans, nr, &ops, NULL) == 0);
	memset(&bus, 0, sizeof(bus));
	FUZZ_CHECK(vpci_register(&pv, &bus) == 0);
	FUZZ_CHECK(mmio_find(&bus, VPCI_ECAM_IPA + VPCI_ECAM_SIZE - 4, 4) != NULL);
	FUZZ_CHECK(mmio_find(&bus, VPCI_MMIO_IPA + (nr + 1) * VPCI_BAR0_SIZE - 8, 8) != NULL);
	FUZZ_CHECK(mmio_find(&bus, VPCI_MMIO_IPA + (nr + 1) * VPCI_BAR0_SIZE, 4) == NULL);
	check(&pv);
	while (in.left) {
		switch (take(&in, 1) % 5) {
		case 0:
			ecam(&pv, &in);
			break;
		case 1:
			bar0(&pv, &in);
			break;
		case 2: {
			uint32_t c = (uint32_t)take(&in, 1) % 10, bits = (uint32_t)take(&in, 1);

			vpci_ring(&pv, c, bits);
			if (c < nr)
				ref.status[c] |= bits;
			break;
		}
		case 3:
			mmio_reset_all(&bus);
			ref_reset();
			break;
		case 4:
			peer = take(&in, 1) & 1;
			break;
		}
		check(&pv);
	}
	return 0;
}
