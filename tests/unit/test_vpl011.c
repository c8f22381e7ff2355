/* test_vpl011.c - unit tests for the virtual PL011 (src/dev/vpl011.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/mmio.h"
#include "core/virq.h"
#include "dev/vpl011.h"
#include "lib/err.h"

#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048

#define FR_BUSY 0x08u
#define FR_RXFE 0x10u
#define FR_TXFF 0x20u
#define FR_RXFF 0x40u
#define FR_TXFE 0x80u
#define INT_RX 0x10u
#define INT_TX 0x20u
#define INT_RT 0x40u
#define INT_OE 0x400u

struct cap {
	char out[256];
	unsigned nout;
	unsigned nirq;		/* set_irq calls */
	bool level;
};

static void cap_putc(void *ctx, char c)
{
	struct cap *k = ctx;

	if (k->nout < sizeof(k->out))
		k->out[k->nout] = c;
	k->nout++;
}

static void cap_irq(void *ctx, bool level)
{
	struct cap *k = ctx;

	k->nirq++;
	k->level = level;
}

static uint64_t rd(struct vpl011 *u, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(vpl011_access(u, off, size, false, &v), 0);
	return v;
}

static void wr(struct vpl011 *u, uint64_t off, unsigned size, uint64_t v)
{
	assert_int_equal(vpl011_access(u, off, size, true, &v), 0);
}

static uint32_t rd32(struct vpl011 *u, uint64_t off)
{
	return (uint32_t)rd(u, off, 4);
}

static void test_reset_state(void **state)
{
	struct vpl011 u;
	struct cap k = { 0 };

	(void)state;
	memset(&u, 0xa5, sizeof(u));
	vpl011_init(&u, cap_putc, cap_irq, &k);
	assert_int_equal(rd32(&u, CR), 0x300);
	assert_int_equal(rd32(&u, LCR_H), 0);
	assert_int_equal(rd32(&u, IMSC), 0);
	assert_int_equal(rd32(&u, IFLS), 0x12);
	assert_int_equal(rd32(&u, RIS), INT_TX);
	assert_int_equal(rd32(&u, MIS), 0);
	assert_int_equal(rd32(&u, FR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd32(&u, RSR), 0);
	assert_int_equal(rd32(&u, DMACR), 0);
	assert_false(u.irq_level);
	assert_int_equal(k.nirq, 0);
	assert_int_equal(k.nout, 0);
}

static void test_id_registers(void **state)
{
	static const uint8_t want[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct vpl011 u;
	uint32_t periphid = 0, cellid = 0;

	(void)state;
	vpl011_init(&u, NULL, NULL, NULL);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(rd32(&u, 0xfe0 + 4 * i), want[i]);
		assert_int_equal(rd(&u, 0xfe0 + 4 * i, 1), want[i]);
		assert_int_equal(rd(&u, 0xfe0 + 4 * i, 2), want[i]);
		assert_int_equal(rd(&u, 0xfe0 + 4 * i + 1, 1), 0);
	}
	/* what Linux's AMBA bus assembles: periphid 0x00141011, cid 0xb105f00d */
	for (unsigned i = 0; i < 4; i++) {
		periphid |= rd32(&u, 0xfe0 + 4 * i) << (8 * i);
		cellid |= rd32(&u, 0xff0 + 4 * i) << (8 * i);
	}
	assert_int_equal(periphid, 0x00141011);
	assert_int_equal(cellid, 0xb105f00d);
	/* read-only */
	wr(&u, 0xfe0, 4, 0);
	wr(&u, 0xff0, 4, 0);
	assert_int_equal(rd32(&u, 0xfe0), 0x11);
	assert_int_equal(rd32(&u, 0xff0), 0x0d);
}

static void test_tx_path(void **state)
{
	struct vpl011 u;
	struct cap k = { 0 };
	const char *msg = "Hello, cell\n";

	(void)state;
	vpl011_init(&u, cap_putc, cap_irq, &k);
	/* earlycon: UART left disabled, 32-bit and byte writes to DR */
	wr(&u, CR, 4, 0);
	for (const char *p = msg; *p; p++)
		wr(&u, DR, (p - msg) % 2 ? 1 : 4, (uint64_t)(unsigned char)*p | 0xffffff00u);
	assert_int_equal(k.nout, strlen(msg));
	assert_memory_equal(k.out, msg, strlen(msg));
	/* 16-bit access, as amba-pl011 does with readw/writew */
	wr(&u, DR, 2, 'x');
	assert_int_equal(k.out[k.nout - 1], 'x');
	/* the upper bytes of DR are not a transmit */
	wr(&u, DR + 1, 1, 'y');
	wr(&u, DR + 2, 2, 'z');
	assert_int_equal(k.out[k.nout - 1], 'x');
	/* TX FIFO never fills, never busy, always empty */
	for (int i = 0; i < 100; i++)
		wr(&u, DR, 4, 'a');
	assert_int_equal(rd32(&u, FR) & (FR_TXFF | FR_BUSY), 0);
	assert_true(rd32(&u, FR) & FR_TXFE);
	assert_int_equal(k.nirq, 0);
	/* no putc callback: writes are dropped, nothing crashes */
	vpl011_init(&u, NULL, NULL, NULL);
	wr(&u, DR, 4, 'q');
}

static void test_rx_fifo(void **state)
{
	struct vpl011 u;
	struct cap k = { 0 };

	(void)state;
	vpl011_init(&u, cap_putc, cap_irq, &k);
	assert_int_equal(rd32(&u, DR), 0);	/* empty: reads 0, no underflow */
	assert_int_equal(u.rx_count, 0);
	assert_int_equal(vpl011_rx(&u, 'A'), 0);
	assert_int_equal(rd32(&u, FR) & (FR_RXFE | FR_RXFF), 0);
	for (unsigned i = 1; i < VPL011_RX_FIFO; i++)
		assert_int_equal(vpl011_rx(&u, (uint8_t)('A' + i)), 0);
	assert_int_equal(rd32(&u, FR), FR_TXFE | FR_RXFF);
	/* overflow: dropped, overrun interrupt latched */
	assert_int_equal(vpl011_rx(&u, '!'), -ERR_NOSPC);
	assert_int_equal(u.rx_count, VPL011_RX_FIFO);
	assert_true(rd32(&u, RIS) & INT_OE);
	/* FR and RIS reads do not pop */
	assert_int_equal(u.rx_count, VPL011_RX_FIFO);
	/* drain in order, mixing access sizes */
	for (unsigned i = 0; i < VPL011_RX_FIFO; i++) {
		assert_int_equal(rd(&u, DR, i % 3 == 0 ? 4 : i % 3 == 1 ? 2 : 1), 'A' + i);
		if (i + 1 < VPL011_RX_FIFO)
			assert_int_equal(rd32(&u, FR) & (FR_RXFE | FR_RXFF), 0);
	}
	assert_int_equal(rd32(&u, FR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd32(&u, DR), 0);
	/* the error byte of DR does not pop */
	assert_int_equal(vpl011_rx(&u, 'z'), 0);
	assert_int_equal(rd(&u, DR + 1, 1), 0);
	assert_int_equal(rd(&u, DR + 2, 2), 0);
	assert_int_equal(u.rx_count, 1);
	assert_int_equal(rd(&u, DR, 1), 'z');
	/* wrap-around: the ring keeps order across the end of the buffer */
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned i = 0; i < 20; i++)
			assert_int_equal(vpl011_rx(&u, (uint8_t)(round * 20 + i)), 0);
		for (unsigned i = 0; i < 20; i++)
			assert_int_equal(rd32(&u, DR), round * 20 + i);
	}
	/* ICR clears the overrun */
	wr(&u, ICR, 4, INT_OE);
	assert_int_equal(rd32(&u, RIS) & INT_OE, 0);
	/* no set_irq calls: every interrupt was masked */
	assert_int_equal(k.nirq, 0);
}

static void test_irq_levels(void **state)
{
	struct vpl011 u;
	struct cap k = { 0 };

	(void)state;
	vpl011_init(&u, cap_putc, cap_irq, &k);

	/* RX: Linux enables RXIM|RTIM, a byte arrives, it drains */
	wr(&u, IMSC, 4, INT_RX | INT_RT);
	assert_int_equal(k.nirq, 0);
	assert_int_equal(vpl011_rx(&u, 'a'), 0);
	assert_int_equal(k.nirq, 1);
	assert_true(k.level);
	assert_int_equal(rd32(&u, MIS), INT_RX | INT_RT);
	assert_int_equal(vpl011_rx(&u, 'b'), 0);
	assert_int_equal(k.nirq, 1);		/* no change, no call */
	/* ICR of RX/RT does not drop the level while data remains */
	wr(&u, ICR, 4, INT_RX | INT_RT);
	assert_true(k.level);
	assert_int_equal(k.nirq, 1);
	rd32(&u, DR);
	assert_int_equal(k.nirq, 1);
	rd32(&u, DR);
	assert_int_equal(k.nirq, 2);
	assert_false(k.level);
	assert_int_equal(rd32(&u, MIS), 0);
	assert_int_equal(rd32(&u, RIS), INT_TX);

	/* masking with data pending drops the line, unmasking raises it */
	assert_int_equal(vpl011_rx(&u, 'c'), 0);
	assert_int_equal(k.nirq, 3);
	wr(&u, IMSC, 4, 0);
	assert_int_equal(k.nirq, 4);
	assert_false(k.level);
	wr(&u, IMSC, 4, INT_RT);
	assert_int_equal(k.nirq, 5);
	assert_true(k.level);
	rd32(&u, DR);
	assert_false(k.level);
	assert_int_equal(k.nirq, 6);

	/* TX, as pl011_start_tx/pl011_tx_chars do it: TXIM raises the line at once; the
	 * handler's ICR does not silence it; clearing TXIM once the buffer is empty does */
	wr(&u, IMSC, 4, INT_RX | INT_RT | INT_TX);
	assert_true(k.level);
	assert_int_equal(k.nirq, 7);
	assert_int_equal(rd32(&u, MIS), INT_TX);
	wr(&u, ICR, 4, INT_TX);
	assert_true(rd32(&u, RIS) & INT_TX);
	assert_true(k.level);
	wr(&u, DR, 4, 'x');
	assert_true(k.level);
	assert_int_equal(k.nirq, 7);
	wr(&u, IMSC, 4, INT_RX | INT_RT);
	assert_false(k.level);
	assert_int_equal(k.nirq, 8);

	/* overrun: latched until ICR even after the FIFO drains */
	wr(&u, IMSC, 4, INT_OE);
	assert_int_equal(k.nirq, 8);
	for (unsigned i = 0; i < VPL011_RX_FIFO; i++)
		assert_int_equal(vpl011_rx(&u, 'o'), 0);
	assert_false(k.level);
	assert_int_equal(vpl011_rx(&u, 'o'), -ERR_NOSPC);
	assert_true(k.level);
	assert_int_equal(k.nirq, 9);
	while (!(rd32(&u, FR) & FR_RXFE))
		rd32(&u, DR);
	assert_true(k.level);
	wr(&u, ICR, 1, 0);			/* writing 0 clears nothing */
	assert_true(k.level);
	wr(&u, ICR + 1, 1, INT_OE >> 8);	/* byte write to the high byte of ICR */
	assert_false(k.level);
	assert_int_equal(k.nirq, 10);

	/* without a set_irq callback the level is still tracked */
	vpl011_init(&u, NULL, NULL, NULL);
	wr(&u, IMSC, 4, INT_TX);
	assert_true(u.irq_level);
}

static void test_rw_registers(void **state)
{
	struct vpl011 u;

	(void)state;
	vpl011_init(&u, NULL, NULL, NULL);
	wr(&u, IBRD, 4, 0xffffffff);
	assert_int_equal(rd32(&u, IBRD), 0xffff);
	wr(&u, FBRD, 4, 0xffffffff);
	assert_int_equal(rd32(&u, FBRD), 0x3f);
	wr(&u, LCR_H, 4, 0x70);
	assert_int_equal(rd32(&u, LCR_H), 0x70);
	wr(&u, LCR_H, 4, 0xffffffff);
	assert_int_equal(rd32(&u, LCR_H), 0xff);
	wr(&u, CR, 4, 0xffffffff);
	assert_int_equal(rd32(&u, CR), 0xff87);
	wr(&u, CR, 2, 0x301);
	assert_int_equal(rd32(&u, CR), 0x301);
	wr(&u, IFLS, 4, 0xffffffff);
	assert_int_equal(rd32(&u, IFLS), 0x3f);
	wr(&u, IMSC, 4, 0xffffffff);
	assert_int_equal(rd32(&u, IMSC), 0x7ff);
	wr(&u, DMACR, 4, 0xffffffff);
	assert_int_equal(rd32(&u, DMACR), 0x7);

	/* partial writes merge into the register */
	wr(&u, IBRD, 4, 0x1234);
	wr(&u, IBRD, 1, 0xab);
	assert_int_equal(rd32(&u, IBRD), 0x12ab);
	wr(&u, IBRD + 1, 1, 0xcd);
	assert_int_equal(rd32(&u, IBRD), 0xcdab);
	assert_int_equal(rd(&u, IBRD + 1, 1), 0xcd);
	assert_int_equal(rd(&u, IBRD + 2, 2), 0);
	wr(&u, IBRD + 2, 2, 0xffff);		/* beyond the register's width */
	assert_int_equal(rd32(&u, IBRD), 0xcdab);

	/* read-only and unimplemented registers */
	wr(&u, RIS, 4, 0);
	assert_int_equal(rd32(&u, RIS), INT_TX);
	wr(&u, MIS, 4, 0);
	assert_int_equal(rd32(&u, MIS), INT_TX);	/* IMSC is all ones now */
	wr(&u, FR, 4, 0);
	assert_int_equal(rd32(&u, FR), FR_TXFE | FR_RXFE);
	wr(&u, ILPR, 4, 0xff);
	assert_int_equal(rd32(&u, ILPR), 0);
	wr(&u, RSR, 4, 0xff);
	assert_int_equal(rd32(&u, RSR), 0);
	assert_int_equal(rd32(&u, ICR), 0);
	wr(&u, 0x800, 4, 0xffffffff);
	assert_int_equal(rd32(&u, 0x800), 0);
}

static void test_hostile_accesses(void **state)
{
	struct vpl011 u, snap;
	struct cap k = { 0 };
	uint64_t v;

	(void)state;
	vpl011_init(&u, cap_putc, cap_irq, &k);
	assert_int_equal(vpl011_rx(&u, 'r'), 0);

	/* bad sizes and alignments: refused without touching any state */
	static const unsigned sizes[] = { 0, 3, 5, 6, 7, 8, 16, 0xffffffffu };
	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (uint64_t off = 0; off < 0x50; off++) {
			memcpy(&snap, &u, sizeof(u));
			v = 'w';
			assert_int_equal(vpl011_access(&u, off, sizes[s], true, &v), -ERR_INVAL);
			assert_int_equal(vpl011_access(&u, off, sizes[s], false, &v), -ERR_INVAL);
			assert_memory_equal(&snap, &u, sizeof(u));
		}
	}
	static const unsigned good[] = { 2, 4 };
	for (unsigned s = 0; s < 2; s++) {
		for (uint64_t off = 0; off < 0x50; off++) {
			if (!(off & (good[s] - 1)))
				continue;
			memcpy(&snap, &u, sizeof(u));
			assert_int_equal(vpl011_access(&u, off, good[s], true, &v), -ERR_INVAL);
			assert_int_equal(vpl011_access(&u, off, good[s], false, &v), -ERR_INVAL);
			assert_memory_equal(&snap, &u, sizeof(u));
		}
	}
	/* offsets outside the 4 KiB frame, including ones that would wrap */
	static const uint64_t far[] = { 0x1000, 0x1004, 0x2000, 0xfffffffcull, 0x100000000ull,
					0xfffffffffffffffcull, 0x8000000000000000ull };
	for (unsigned i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		assert_int_equal(vpl011_access(&u, far[i], 4, false, &v), -ERR_INVAL);
		assert_int_equal(vpl011_access(&u, far[i], 1, true, &v), -ERR_INVAL);
	}
	assert_int_equal(vpl011_access(&u, FR, 4, false, NULL), -ERR_INVAL);
	assert_int_equal(u.rx_count, 1);
	assert_int_equal(k.nout, 0);

	/* every aligned offset of the frame, every size: reads return values that fit the access
	 * and pop at most the byte at DR; writes never crash and never transmit except at DR */
	for (uint64_t off = 0; off < VPL011_SIZE; off++) {
		for (unsigned size = 1; size <= 4; size *= 2) {
			if (off & (size - 1))
				continue;
			assert_int_equal(vpl011_access(&u, off, size, false, &v), 0);
			if (size < 4)
				assert_true(v < (1ull << (8 * size)));
			else
				assert_true(v <= 0xffffffffull);
		}
	}
	assert_int_equal(u.rx_count, 0);	/* popped once, by the read at DR */
	for (uint64_t off = 0; off < VPL011_SIZE; off++) {
		for (unsigned size = 1; size <= 4; size *= 2) {
			if (off & (size - 1))
				continue;
			v = 0xffffffffffffffffull;
			assert_int_equal(vpl011_access(&u, off, size, true, &v), 0);
			assert_true(u.rx_count <= VPL011_RX_FIFO);
		}
	}
	assert_int_equal(k.nout, 3);		/* DR at sizes 1, 2, 4 */
	assert_int_equal((unsigned char)k.out[0], 0xff);
	/* state stays coherent */
	assert_int_equal(u.irq_level, (u.ris & u.imsc) != 0);
	assert_int_equal(k.level, u.irq_level);
}

/* the caller's transmit buffer full: FR says TXFF (not TXFE); a byte written anyway still goes
 * to the caller (who drops it); TXRIS stays set so Linux's TX interrupt never stalls */
static bool full_flag;

static bool cap_tx_full(void *ctx)
{
	(void)ctx;
	return full_flag;
}

static void test_tx_full(void **state)
{
	struct vpl011 u;
	struct cap k = { 0 };

	(void)state;
	vpl011_init(&u, cap_putc, cap_irq, &k);
	assert_int_equal(rd32(&u, FR) & (FR_TXFF | FR_TXFE), FR_TXFE);	/* no callback yet */
	vpl011_set_tx_full(&u, cap_tx_full);
	full_flag = false;
	assert_int_equal(rd32(&u, FR) & (FR_TXFF | FR_TXFE), FR_TXFE);
	full_flag = true;
	assert_int_equal(rd32(&u, FR) & (FR_TXFF | FR_TXFE), FR_TXFF);
	assert_true(rd32(&u, RIS) & INT_TX);
	wr(&u, IMSC, 4, INT_TX);
	assert_true(k.level);
	wr(&u, DR, 4, 'x');
	assert_int_equal(k.nout, 1);
	full_flag = false;
	assert_int_equal(rd32(&u, FR) & (FR_TXFF | FR_TXFE), FR_TXFE);
}

/* ---- the device on a cell's MMIO bus (its lock, reset, backend, virq) ---- */

static struct {
	struct cell *cell;
	uint32_t intid;
	bool level;
	int level_calls;
	char out[16];
	int nout, written, drained;
	bool full;
} be;

void virq_set_level(struct cell *c, uint32_t intid, bool level)
{
	be.cell = c;
	be.intid = intid;
	be.level = level;
	be.level_calls++;
}

static void be_putc(struct cell *c, char ch)
{
	if (be.nout < (int)sizeof(be.out))
		be.out[be.nout++] = ch;
}

static bool be_tx_full(struct cell *c)
{
	return be.full;
}

static void be_written(struct cell *c)
{
	be.written++;
}

static void be_drained(struct cell *c)
{
	be.drained++;
}

static const struct vpl011_backend backend = {
	.putc = be_putc, .tx_full = be_tx_full, .written = be_written, .rx_drained = be_drained,
};

static void test_device(void **state)
{
	struct mmio_bus bus = { 0 };
	struct cell *cell = (struct cell *)(uintptr_t)0x1000;	/* opaque to the device */
	struct vpl011_dev *d = NULL, *d2 = NULL;
	const struct mmio_region *r;
	uint64_t val;

	(void)state;
	memset(&be, 0, sizeof(be));
	assert_int_equal(vpl011_create(cell, &bus, 0x9000000, 33, &backend, &d), 0);
	assert_non_null(d);
	/* a second device on the same range is refused, and frees its slot */
	assert_int_equal(vpl011_create(cell, &bus, 0x9000000, 33, &backend, &d2), -ERR_EXIST);
	assert_null(d2);
	r = mmio_find(&bus, 0x9000000, 4);
	assert_non_null(r);
	/* DR write: the byte reaches the backend, which hears of the write */
	val = 'A';
	assert_int_equal(r->ops->access(r->dev, 0, 0x000, 4, true, &val), 0);
	assert_int_equal(be.nout, 1);
	assert_int_equal(be.out[0], 'A');
	assert_int_equal(be.written, 1);
	/* FR follows the backend's buffer */
	be.full = true;
	assert_int_equal(r->ops->access(r->dev, 0, 0x018, 4, false, &val), 0);
	assert_true(val & VPL011_FR_TXFF);
	be.full = false;
	/* receive: a byte with RX interrupts unmasked raises the line through virq */
	val = 1u << 4;
	assert_int_equal(r->ops->access(r->dev, 0, 0x038, 4, true, &val), 0);	/* IMSC.RXIM */
	assert_true(vpl011_rx_room(d));
	vpl011_push(d, 'x');
	assert_true(be.level);
	assert_ptr_equal(be.cell, cell);
	assert_int_equal(be.intid, 33);
	/* a DR read takes it, lowers the line, and tells the backend there is room */
	assert_int_equal(r->ops->access(r->dev, 0, 0x000, 4, false, &val), 0);
	assert_int_equal(val & 0xff, 'x');
	assert_false(be.level);
	assert_int_equal(be.drained, 1);
	/* the FIFO fills and says so */
	for (int i = 0; i < VPL011_RX_FIFO; i++)
		vpl011_push(d, 'y');
	assert_false(vpl011_rx_room(d));
	/* hostile: a misaligned or oversized access is refused */
	assert_int_equal(r->ops->access(r->dev, 0, 0x001, 4, false, &val), -ERR_INVAL);
	assert_int_equal(r->ops->access(r->dev, 0, 0x000, 8, false, &val), -ERR_INVAL);
	/* reset: FIFO empty, interrupts masked again */
	mmio_reset_all(&bus);
	assert_true(vpl011_rx_room(d));
	assert_int_equal(r->ops->access(r->dev, 0, 0x038, 4, false, &val), 0);
	assert_int_equal(val, 0);
	/* destroy empties the bus and frees the device for another cell */
	mmio_destroy_all(&bus);
	assert_null(mmio_find(&bus, 0x9000000, 4));
	assert_int_equal(vpl011_create(cell, &bus, 0x9000000, 33, &backend, &d2), 0);
	mmio_destroy_all(&bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_id_registers),
		cmocka_unit_test(test_tx_path),
		cmocka_unit_test(test_rx_fifo),
		cmocka_unit_test(test_irq_levels),
		cmocka_unit_test(test_rw_registers),
		cmocka_unit_test(test_hostile_accesses),
		cmocka_unit_test(test_tx_full),
		cmocka_unit_test(test_device),
	};

	return cmocka_run_group_tests_name("vpl011", tests, NULL, NULL);
}
