/* fuzz_vgic.c - libFuzzer harness for the virtual GICv3 register model
 * (src/arch/aarch64/vgic_model.c).
 *
 * The input is a script for one struct vgic, as hostile guests and the list-register code
 * would drive it. Little-endian fields; the script ends where the input does.
 *
 *   header: nr_vcpus (byte % 10: 0 and 9 test the edges), flags (bit 0: MPIDRs follow as
 *           8 x 5 bytes aff0 aff1 aff2 aff3 junk, junk landing in MPIDR bits [31:24]; else NULL)
 *   op (byte % 10) and its arguments; every vcpu byte is taken % 10 (so >= nr_vcpus happens),
 *   every intid byte % 144 (INTIDs 128..143 do not exist):
 *     0 dist access     vcpu:1 off:2 size:1 dir:1 val:8
 *     1 redist access   vcpu:1 frame:1 off:2 size:1 dir:1 val:8
 *         offset: off, plus (frame % 10) * VGIC_GICR_STRIDE and 0x10000 (SGI_base) if dir bit 2
 *         size: (byte & 7) -> 1, 2, 4, 8, 4, 4, 3, 16 bytes
 *         dir: bit 0 write; 0xfe, 0xff: NULL value pointer; 0xf0..0xfd: a wild offset
 *         (+ 2^36 and up)
 *     2 set_level       vcpu:1 intid:1 level:1
 *     3 next_pending    vcpu:1
 *     4 flush one       vcpu:1   (what vgic.c's vgic_flush does with next_pending's answer:
 *                                  vgic_lr_load into one of 4 list registers)
 *     5 sgi             vcpu:1 value:8
 *     6 sync one LR     vcpu:1 lr:1 state:1   (what vgic_sync does when the guest has moved
 *                                  the LR to state 0..3: vgic_lr_sync, 0 frees it)
 *     7 inject hw       vcpu:1 intid:1   (vgic_inject_hw: vgic_hw_take if a list register is
 *                                  free, else vgic_hw_latch)
 *     8 re-init         nr_vcpus:1 (MPIDRs = index)
 *     9 park            vcpu:1 pending:1   (vgic_vcpu_park: vgic_lr_park every LR of the vCPU,
 *                                  bit n of pending = LR n still pending; every vCPU dirty)
 * The fields are laid out so that random bytes mostly make valid calls.
 * Checked: return values of every call against vgic_model.h; reads fit the access size;
 * vgic_next_pending's answer is a valid INTID with a non-NULL vgic_irq_get, deliverable, not in a
 * list register, and the one a reference scan picks (lowest priority value, then lowest INTID);
 * vgic_next_pending_more's *more says exactly whether the scan saw a second one; after every
 * operation vgic_check finds the ready bitmaps exact (the fast search cross-checked against
 * the scan for every vCPU); vgic_hw_take is vgic_hw_latch then vgic_lr_load exactly when the
 * scan, after the latch, sees that interrupt alone (the dirty mask then untouched), and
 * vgic_hw_latch alone otherwise; the dirty mask names only existing vCPUs; at the end of the
 * script, every interrupt's in_lr matches the emulated list registers, priorities have their
 * low bits masked, SGIs are edge, and SPI targets are existing vCPUs chosen by IROUTER affinity
 * (IRM or no match: vCPU 0).
 */
#include <stdbool.h>

#include "fuzz.h"
#include "arch/aarch64/vgic_model.h"
#include "lib/err.h"

#define NR_LRS 4
#define PRIO_LOW_BITS ((uint8_t)(0xff >> VGIC_PRIO_BITS))
#define MPIDR_AFF_MASK 0xff00ffffffull
#define IROUTER_IRM (1ull << 31)

struct in {
	const uint8_t *p;
	size_t left;
};

struct lr {
	bool used;
	uint32_t intid;
};

struct state {
	struct vgic g;
	uint64_t mpidr[CELLA_MAX_VCPUS];
	struct lr lr[CELLA_MAX_VCPUS][NR_LRS];
};

/* @n bytes little-endian; 0 for bytes past the end of the input */
static uint64_t take(struct in *in, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (in->left) {
			v |= (uint64_t)in->p[0] << (8 * i);
			in->p++;
			in->left--;
		}
	}
	return v;
}

static unsigned size_of(uint8_t code)
{
	static const unsigned sizes[8] = { 1, 2, 4, 8, 4, 4, 3, 16 };

	return sizes[code & 7];
}

static uint32_t take_vcpu(struct in *in)
{
	return (uint32_t)take(in, 1) % 10;
}

static uint32_t take_intid(struct in *in)
{
	return (uint32_t)take(in, 1) % (VGIC_NR_IRQS + 16);
}

static bool is_pending(const struct vgic_irq *irq)
{
	return irq->pending || (irq->level && !irq->edge);
}

/* deliverable to @vcpu as vgic_model.h defines it, list registers aside */
static bool deliverable(const struct vgic *g, uint32_t vcpu, uint32_t intid,
			const struct vgic_irq *irq)
{
	if (!irq->enabled || !is_pending(irq) || irq->active || !irq->group1 ||
	    !(g->ctlr & (1u << 1)))
		return false;
	return intid < VGIC_NR_PRIV || irq->target == vcpu;
}

/* the reference answer of vgic_next_pending, by a scan of every INTID; *@count: how many are
 * deliverable */
static int ref_next_pending(const struct vgic *g, uint32_t vcpu, unsigned *count)
{
	unsigned best_prio = 0x100, n = 0;
	int best = -1;
	uint32_t i;

	*count = 0;
	if (vcpu >= g->nr_vcpus)
		return -1;
	for (i = 0; i < VGIC_NR_IRQS; i++) {
		const struct vgic_irq *irq = vgic_irq_get(g, vcpu, i);

		FUZZ_CHECK(irq != NULL);
		if (irq->in_lr || !deliverable(g, vcpu, i, irq))
			continue;
		n++;
		if (irq->priority < best_prio) {
			best = (int)i;
			best_prio = irq->priority;
		}
	}
	*count = n;
	return best;
}

/* the ready bitmaps are exact, and the fast search is the scan, for every vCPU */
static void check_fast_search(const struct vgic *g)
{
	uint32_t vcpu;
	unsigned n;
	bool more;

	FUZZ_CHECK(vgic_check(g, NULL) == -1);
	for (vcpu = 0; vcpu <= g->nr_vcpus; vcpu++) {	/* and one past them */
		int want = ref_next_pending(g, vcpu, &n);

		more = !n;
		FUZZ_CHECK(vgic_next_pending_more(g, vcpu, &more) == want);
		FUZZ_CHECK(more == (n > 1));
	}
}

/* the two models alike in every field (member by member: padding is not compared) */
static bool model_equal(const struct vgic *a, const struct vgic *b)
{
	uint32_t c;

	if (a->nr_vcpus != b->nr_vcpus || a->ctlr != b->ctlr || a->dirty != b->dirty ||
	    memcmp(a->spi, b->spi, sizeof(a->spi)) ||
	    memcmp(a->irouter, b->irouter, sizeof(a->irouter)))
		return false;
	for (c = 0; c < CELLA_MAX_VCPUS; c++) {
		const struct vgic_cpu *x = &a->cpu[c], *y = &b->cpu[c];

		if (memcmp(x->priv, y->priv, sizeof(x->priv)) ||
		    memcmp(x->ready, y->ready, sizeof(x->ready)) || x->mpidr != y->mpidr ||
		    x->waker != y->waker || x->ctlr != y->ctlr)
			return false;
	}
	return true;
}

static int check_next_pending(struct state *s, uint32_t vcpu)
{
	struct vgic *g = &s->g;
	int r = vgic_next_pending(g, vcpu);
	const struct vgic_irq *irq;
	unsigned n;

	FUZZ_CHECK(r >= -1 && r < VGIC_NR_IRQS);
	if (r >= 0) {
		irq = vgic_irq_get(g, vcpu, (uint32_t)r);
		FUZZ_CHECK(irq != NULL);
		FUZZ_CHECK(!irq->in_lr);
		FUZZ_CHECK(deliverable(g, vcpu, (uint32_t)r, irq));
	}
	FUZZ_CHECK(r == ref_next_pending(g, vcpu, &n));
	return r;
}

static void check_dirty(const struct vgic *g)
{
	FUZZ_CHECK(g->nr_vcpus >= 32 || (g->dirty >> g->nr_vcpus) == 0);
}

static void check_access(struct state *s, bool redist, struct in *in)
{
	struct vgic *g = &s->g;
	uint32_t vcpu = take_vcpu(in);
	uint64_t frame = redist ? take(in, 1) % 10 : 0;
	uint64_t off = take(in, 2);
	unsigned size = size_of((uint8_t)take(in, 1));
	uint8_t dir = (uint8_t)take(in, 1);
	uint64_t val = take(in, 8);
	bool write = dir & 1, null = dir >= 0xfe;
	int rc;

	if (redist)
		off += frame * VGIC_GICR_STRIDE + ((dir & 4) ? 0x10000 : 0);
	if (dir >= 0xf0 && !null)
		off += 1ull << (36 + (dir & 0xf));
	if (redist)
		rc = vgic_redist_access(g, vcpu, off, size, write, null ? NULL : &val);
	else
		rc = vgic_dist_access(g, vcpu, off, size, write, null ? NULL : &val);
	FUZZ_CHECK(rc == 0 || rc == -ERR_INVAL);
	if (null || vcpu >= g->nr_vcpus || (size != 1 && size != 2 && size != 4 && size != 8) ||
	    (off & (size - 1)))
		FUZZ_CHECK(rc == -ERR_INVAL);
	if (!redist && off >= VGIC_GICD_SIZE)
		FUZZ_CHECK(rc == -ERR_INVAL);
	if (redist && off / VGIC_GICR_STRIDE >= g->nr_vcpus)
		FUZZ_CHECK(rc == -ERR_INVAL);
	if (rc == 0 && !write && size < 8)
		FUZZ_CHECK(val >> (8 * size) == 0);
}

static void lr_reset(struct state *s)
{
	memset(s->lr, 0, sizeof(s->lr));
}

/* a free emulated list register of @vcpu, or NR_LRS */
static unsigned lr_free(const struct state *s, uint32_t vcpu)
{
	unsigned n;

	for (n = 0; n < NR_LRS && s->lr[vcpu][n].used; n++)
		;
	return n;
}

static void flush_one(struct state *s, uint32_t vcpu)
{
	const struct vgic_irq *irq;
	int r = check_next_pending(s, vcpu);
	unsigned n;

	if (r < 0)
		return;
	n = lr_free(s, vcpu);
	if (n == NR_LRS)
		return;
	irq = vgic_lr_load(&s->g, vcpu, (uint32_t)r);
	FUZZ_CHECK(irq != NULL && irq == vgic_irq_get(&s->g, vcpu, (uint32_t)r));
	FUZZ_CHECK(irq->in_lr && !irq->pending);
	s->lr[vcpu][n].used = true;
	s->lr[vcpu][n].intid = (uint32_t)r;
	s->g.dirty &= ~(1u << vcpu);
}

static void sync_one(struct state *s, uint32_t vcpu, unsigned n, unsigned st)
{
	const struct vgic_irq *irq;
	bool freed;

	if (vcpu >= s->g.nr_vcpus || !s->lr[vcpu][n].used)
		return;
	freed = vgic_lr_sync(&s->g, vcpu, s->lr[vcpu][n].intid, st);
	FUZZ_CHECK(freed == (st == 0));
	irq = vgic_irq_get(&s->g, vcpu, s->lr[vcpu][n].intid);
	FUZZ_CHECK(irq != NULL);
	FUZZ_CHECK(irq->active == !!(st & 2));
	FUZZ_CHECK(irq->in_lr == !freed);
	if (freed)
		s->lr[vcpu][n].used = false;
}

/* vgic_inject_hw: vgic_hw_take when a list register is free, checked against its definition */
static void inject_hw(struct state *s, uint32_t vcpu, uint32_t intid)
{
	static struct vgic latched;
	const struct vgic_irq *irq;
	unsigned n = vcpu < CELLA_MAX_VCPUS ? lr_free(s, vcpu) : NR_LRS, count;
	uint32_t dirty = s->g.dirty;
	int rc, next;

	latched = s->g;
	rc = vgic_hw_latch(&latched, vcpu, intid);
	FUZZ_CHECK(rc == ((vcpu < s->g.nr_vcpus && intid < VGIC_NR_IRQS) ? 0 : -ERR_INVAL));
	if (n == NR_LRS) {
		FUZZ_CHECK(vgic_hw_latch(&s->g, vcpu, intid) == rc);
		FUZZ_CHECK(model_equal(&s->g, &latched));
		return;
	}
	next = ref_next_pending(&latched, vcpu, &count);
	irq = vgic_hw_take(&s->g, vcpu, intid);
	if (!irq) {
		/* declined: an SPI (always), or not the one deliverable interrupt */
		FUZZ_CHECK(intid >= 32 || next != (int)intid || count != 1);
		FUZZ_CHECK(model_equal(&s->g, &latched));
		return;
	}
	FUZZ_CHECK(rc == 0 && intid < 32 && next == (int)intid && count == 1);
	FUZZ_CHECK(irq == vgic_irq_get(&s->g, vcpu, intid) && irq->hw && irq->group1 &&
		   irq->in_lr && !irq->pending);
	FUZZ_CHECK(vgic_lr_load(&latched, vcpu, intid) != NULL);
	latched.dirty = dirty;
	FUZZ_CHECK(model_equal(&s->g, &latched));
	s->lr[vcpu][n].used = true;
	s->lr[vcpu][n].intid = intid;
}

/* vgic_vcpu_park: every list register of @vcpu back to the model, everyone dirty */
static void park(struct state *s, uint32_t vcpu, unsigned pending)
{
	unsigned n;

	if (vcpu >= s->g.nr_vcpus)
		return;
	for (n = 0; n < NR_LRS; n++) {
		if (s->lr[vcpu][n].used)
			vgic_lr_park(&s->g, vcpu, s->lr[vcpu][n].intid, (pending >> n) & 1);
		s->lr[vcpu][n].used = false;
	}
	s->g.dirty |= (uint32_t)((1ull << s->g.nr_vcpus) - 1);
}

/* the whole model against the emulated list registers and the header's promises */
static void check_model(struct state *s)
{
	struct vgic *g = &s->g;
	uint32_t v, i, n, spi;

	check_dirty(g);
	for (v = 0; v < g->nr_vcpus; v++) {
		for (i = 0; i < VGIC_NR_PRIV; i++) {
			const struct vgic_irq *irq = &g->cpu[v].priv[i];
			bool held = false;

			for (n = 0; n < NR_LRS; n++)
				held |= s->lr[v][n].used && s->lr[v][n].intid == i;
			FUZZ_CHECK(irq->in_lr == held);
			FUZZ_CHECK((irq->priority & PRIO_LOW_BITS) == 0);
			if (i < 16)
				FUZZ_CHECK(irq->edge);
		}
	}
	for (spi = 0; spi < VGIC_NR_SPIS; spi++) {
		const struct vgic_irq *irq = &g->spi[spi];
		uint64_t r = g->irouter[spi];
		uint32_t want = 0;
		bool held = false;

		for (v = 0; v < g->nr_vcpus; v++)
			for (n = 0; n < NR_LRS; n++)
				held |= s->lr[v][n].used && s->lr[v][n].intid == spi + VGIC_NR_PRIV;
		FUZZ_CHECK(irq->in_lr == held);
		FUZZ_CHECK((irq->priority & PRIO_LOW_BITS) == 0);
		if (g->nr_vcpus == 0)
			continue;
		FUZZ_CHECK(irq->target < g->nr_vcpus);
		if (!(r & IROUTER_IRM)) {
			for (v = 0; v < g->nr_vcpus; v++) {
				if (g->cpu[v].mpidr == (r & MPIDR_AFF_MASK)) {
					want = v;
					break;
				}
			}
		}
		FUZZ_CHECK(irq->target == want);
	}
}

static void init(struct state *s, uint32_t nr, const uint64_t *mpidr)
{
	uint32_t i;

	vgic_init(&s->g, nr, mpidr);
	lr_reset(s);
	FUZZ_CHECK(s->g.nr_vcpus == (nr > CELLA_MAX_VCPUS ? CELLA_MAX_VCPUS : nr));
	FUZZ_CHECK(s->g.dirty == 0);
	for (i = 0; i < s->g.nr_vcpus; i++)
		FUZZ_CHECK(s->g.cpu[i].mpidr == ((mpidr ? mpidr[i] : i) & MPIDR_AFF_MASK));
	check_model(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state s;
	struct in in = { data, size };
	uint32_t nr, vcpu, intid, mask;
	uint8_t flags;
	unsigned i, ops = 0;
	int rc;

	nr = (uint32_t)take(&in, 1) % 10;
	flags = (uint8_t)take(&in, 1);
	memset(&s, 0, sizeof(s));
	if (flags & 1) {
		for (i = 0; i < CELLA_MAX_VCPUS; i++) {
			uint64_t a0 = take(&in, 1), a1 = take(&in, 1), a2 = take(&in, 1);
			uint64_t a3 = take(&in, 1), junk = take(&in, 1);

			s.mpidr[i] = a0 | a1 << 8 | a2 << 16 | junk << 24 | a3 << 32;
		}
		init(&s, nr, s.mpidr);
	} else {
		init(&s, nr, NULL);
	}

	while (in.left && ops++ < 4096) {
		switch (take(&in, 1) % 10) {
		case 0:
			check_access(&s, false, &in);
			break;
		case 1:
			check_access(&s, true, &in);
			break;
		case 2:
			vcpu = take_vcpu(&in);
			intid = take_intid(&in);
			rc = vgic_set_level(&s.g, vcpu, intid, take(&in, 1) & 1);
			if (intid < 16 || intid >= VGIC_NR_IRQS ||
			    (intid < VGIC_NR_PRIV && vcpu >= s.g.nr_vcpus))
				FUZZ_CHECK(rc == -ERR_INVAL);
			else
				FUZZ_CHECK(rc == 0);
			break;
		case 3:
			(void)check_next_pending(&s, take_vcpu(&in));
			break;
		case 4:
			vcpu = take_vcpu(&in);
			if (vcpu < s.g.nr_vcpus)
				flush_one(&s, vcpu);
			else
				FUZZ_CHECK(vgic_next_pending(&s.g, vcpu) == -1);
			break;
		case 5:
			vcpu = take_vcpu(&in);
			mask = vgic_sgi(&s.g, vcpu, take(&in, 8));
			if (vcpu >= s.g.nr_vcpus)
				FUZZ_CHECK(mask == 0);
			FUZZ_CHECK(s.g.nr_vcpus >= 32 || (mask >> s.g.nr_vcpus) == 0);
			break;
		case 6:
			vcpu = take_vcpu(&in);
			i = (unsigned)take(&in, 1) % NR_LRS;
			sync_one(&s, vcpu, i, (unsigned)take(&in, 1) % 4);
			break;
		case 7:
			vcpu = take_vcpu(&in);
			intid = take_intid(&in);
			FUZZ_CHECK((vgic_irq_get(&s.g, vcpu, intid) != NULL) ==
				   (vcpu < s.g.nr_vcpus && intid < VGIC_NR_IRQS));
			inject_hw(&s, vcpu, intid);
			break;
		case 8:
			init(&s, (uint32_t)take(&in, 1) % 10, NULL);
			break;
		default:
			vcpu = take_vcpu(&in);
			park(&s, vcpu, (unsigned)take(&in, 1));
			break;
		}
		check_dirty(&s.g);
		check_fast_search(&s.g);
	}
	check_model(&s);
	for (vcpu = 0; vcpu < CELLA_MAX_VCPUS + 1; vcpu++)
		(void)check_next_pending(&s, vcpu);
	return 0;
}
