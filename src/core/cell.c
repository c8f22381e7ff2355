/* cell.c - cells and their vCPUs: creation from the system description, loading the guest
 * (Linux arm64 booting.rst), virtual PSCI, MMIO dispatch, stop and restart, the pCPU loop. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/cell.h"
#include "core/console.h"
#include "core/guest_dt.h"
#include "core/hypercall.h"
#include "core/prompt.h"
#include "core/memmap.h"
#include "core/sysimg.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/printf.h"

struct pcpu pcpus[MAX_PCPUS];
uint32_t nr_pcpus;
struct cell cells[SYSDESC_MAX_CELLS];
uint32_t nr_cells;

extern struct memmap machine_mem;	/* main.c */
extern struct sysimg system_image;	/* main.c */

#define SZ_2M 0x200000ull

static bool stats_enabled;		/* cella.stats: time traps and report them at stop */

static void cell_build_cspace(struct cell *c);

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* cell_ipa_to_va - EL2 pointer to [ipa, ipa+len) of @c's RAM, or NULL if any byte of it lies
 * outside (overflow-safe). The only way cella turns a guest address into a pointer. */
static void *cell_ipa_to_va(struct cell *c, uint64_t ipa, uint64_t len)
{
	if (ipa < c->mem_ipa || ipa - c->mem_ipa > c->mem_size ||
	    len > c->mem_size - (ipa - c->mem_ipa))
		return NULL;
	return (void *)(uintptr_t)(c->mem_pa + (ipa - c->mem_ipa));	/* EL2 identity map */
}

void vcpu_kick(struct vcpu *v)
{
	struct pcpu *me = this_pcpu();

	if (me->id != v->pcpu)
		arch_kick_pcpu(v->pcpu);
}

/* ---- devices: adapters from the MMIO bus to the register models ---- */

/* the vGIC frames: the model under the cell's vGIC lock, then kick whoever it made pending */
static int vgic_frame_access(struct cell *c, bool redist, uint32_t vcpu, uint64_t off,
			     unsigned size, bool write, uint64_t *val)
{
	int r;

	spin_lock(&c->vgic_lock);
	r = redist ? vgic_redist_access(&c->vgic, vcpu, off, size, write, val)
		   : vgic_dist_access(&c->vgic, vcpu, off, size, write, val);
	spin_unlock(&c->vgic_lock);
	vgic_kick_dirty(c, &c->vcpus[vcpu]);
	return r;
}

static int gicd_access(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		       uint64_t *val)
{
	return vgic_frame_access(dev, false, vcpu, off, size, write, val);
}

static int gicr_access(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		       uint64_t *val)
{
	return vgic_frame_access(dev, true, vcpu, off, size, write, val);
}

static int uart_access(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		       uint64_t *val)
{
	struct cell *c = dev;
	int r;

	if (vpl011_access_nolock(&c->uart, off, size, write, val)) {
		/* FR read or DR write: no state the lock guards */
		if (write)
			console_cell_written(c);	/* the DR write: drain what it buffered */
		return 0;
	}
	spin_lock(&c->uart_lock);
	r = vpl011_access_reg(&c->uart, off, size, write, val);
	spin_unlock(&c->uart_lock);
	if (!write && off == 0)
		console_rx_drained(c);	/* a DR read made room in the receive FIFO */
	if (write && off == 0)
		console_cell_written(c);
	return r;
}

static const struct mmio_ops gicd_ops = { .name = "vgic-distributor", .access = gicd_access };
static const struct mmio_ops gicr_ops = { .name = "vgic-redistributors", .access = gicr_access };
static const struct mmio_ops uart_ops = { .name = "vpl011", .access = uart_access };

static void uart_putc_cb(void *ctx, char ch)
{
	console_cell_putc(ctx, ch);
}

static bool uart_tx_full_cb(void *ctx)
{
	return console_cell_tx_full(ctx);
}

/* called with the cell's uart_lock held (lock order: uart, then vgic) */
static void uart_irq_cb(void *ctx, bool level)
{
	struct cell *c = ctx;
	struct pcpu *me = this_pcpu();

	spin_lock(&c->vgic_lock);
	vgic_set_level(&c->vgic, 0, 32 + GUEST_UART_SPI, level);
	spin_unlock(&c->vgic_lock);
	vgic_kick_dirty(c, me->vcpu && me->vcpu->cell == c ? me->vcpu : NULL);
}


/* ---- creation and loading ---- */

static int cell_create(struct cell *c, uint32_t id, const struct sysdesc_cell *d)
{
	char err[96];
	int r;

	c->id = id;
	c->desc = d;
	c->nr_vcpus = d->nr_vcpus;
	c->mem_ipa = SYSDESC_IPA_RAM_BASE;
	c->mem_size = d->mem_size;
	lc_init(&c->lc, d->nr_vcpus);
	lc_backoff_start(&c->backoff, arch_counter());

	if (c->in_place) {
		/* mem_pa reserved by cell_boot_in_place */
	} else if (d->mem_pa_fixed) {
		c->mem_pa = d->mem_pa;		/* reserved by cell_create_all */
	} else if ((r = memmap_alloc(&machine_mem, d->mem_size, SZ_2M, &c->mem_pa))) {
		pr_err("%s: memory-size is %llu MiB but only %llu MiB of RAM is free\n", d->path,
		       (unsigned long long)(d->mem_size >> 20),
		       (unsigned long long)(memmap_free_bytes(&machine_mem) >> 20));
		return r;
	}
	if ((r = arch_cell_init(c)) ||
	    (r = stage2_map(&c->s2, c->mem_ipa, c->mem_pa, c->mem_size, S2_MEM_RWX))) {
		pr_err("%s: cannot build stage-2 tables: %s\n", d->path, err_str(r));
		return r;
	}

	if (sysimg_find(&system_image, d->kernel, &c->kernel, &c->kernel_size)) {
		pr_err("%s: kernel '%s' is not in the system image\n", d->path, d->kernel);
		return -ERR_NOENT;
	}
	if (arm64_image_check(c->kernel, c->kernel_size, &c->kernel_text_offset, &c->kernel_mem,
			      err, sizeof(err))) {
		pr_err("%s: kernel '%s' is not a usable arm64 Image: %s\n", d->path, d->kernel, err);
		return -ERR_BADFMT;
	}
	if (d->initrd && sysimg_find(&system_image, d->initrd, &c->initrd, &c->initrd_size)) {
		pr_err("%s: initrd '%s' is not in the system image\n", d->path, d->initrd);
		return -ERR_NOENT;
	}

	for (uint32_t i = 0; i < c->nr_vcpus; i++) {
		struct vcpu *v = &c->vcpus[i];

		v->cell = c;
		v->id = i;
		v->pcpu = d->pcpu[i];
		v->mpidr = GUEST_VCPU_MPIDR(i);
		BUG_ON(v->pcpu >= nr_pcpus || pcpus[v->pcpu].vcpu);
		pcpus[v->pcpu].vcpu = v;
	}
	console_cell_init(c);
	if (mmio_register(&c->mmio, GUEST_GICD_IPA, VGIC_GICD_SIZE, &gicd_ops, c) ||
	    mmio_register(&c->mmio, GUEST_GICR_IPA, c->nr_vcpus * VGIC_GICR_STRIDE, &gicr_ops, c) ||
	    mmio_register(&c->mmio, GUEST_UART_IPA, VPL011_SIZE, &uart_ops, c))
		PANIC("device layout of cell %s", d->name);
	return cell_load(c);
}

/* copy_to_cell - copy @len bytes from @src to @dst in cell memory, SIMD for the bulk */
static void copy_to_cell(void *dst, const void *src, uint64_t len)
{
	uint64_t bulk = len & ~63ull;

	if (!(((uintptr_t)dst | (uintptr_t)src) & 15)) {
		copy_bulk(dst, src, bulk);
		memcpy((char *)dst + bulk, (const char *)src + bulk, len - bulk);
	} else {
		memcpy(dst, src, len);
	}
	dcache_clean_range((uint64_t)(uintptr_t)dst, len);
}

int cell_load(struct cell *c)
{
	const struct sysdesc_cell *d = c->desc;
	struct guest_dt_params p;
	struct linux_layout l;
	uint64_t kernel_ipa, dtb_ipa, initrd_ipa = 0, dtb_size;
	void *kva, *dva, *iva = NULL;
	int r;

	/* booting.rst: Image at a 2 MiB aligned base + text_offset; the DTB 8-byte aligned
	 * within 2 MiB; the initrd anywhere in memory. Order: kernel, DTB, initrd. image_size
	 * comes from the user's image: linux_layout bounds it before any address arithmetic. */
	r = linux_layout(c->mem_size, c->kernel_text_offset, c->kernel_mem,
			 c->initrd ? c->initrd_size : 0, &l);
	if (r == -ERR_NOSPC) {
		pr_err("%s: memory-size %llu MiB is smaller than kernel '%s' (%llu MiB loaded)\n",
		       d->path, (unsigned long long)(c->mem_size >> 20), d->kernel,
		       (unsigned long long)(c->kernel_mem >> 20));
		return -ERR_RANGE;
	}
	kernel_ipa = c->mem_ipa + l.kernel;
	dtb_ipa = c->mem_ipa + l.dtb;
	if (c->initrd)
		initrd_ipa = c->mem_ipa + l.initrd;
	kva = cell_ipa_to_va(c, kernel_ipa, c->kernel_size);
	dva = cell_ipa_to_va(c, dtb_ipa, LINUX_DTB_MAX);
	if (c->initrd)
		iva = cell_ipa_to_va(c, initrd_ipa, c->initrd_size);
	if (r || !kva || !dva || (c->initrd && !iva)) {
		pr_err("%s: memory-size %llu MiB is too small for its kernel, DTB and initrd "
		       "(%llu MiB needed)\n", d->path, (unsigned long long)(c->mem_size >> 20),
		       (unsigned long long)(align_up(l.end, SZ_2M) >> 20));
		return -ERR_RANGE;
	}
	if (c->in_place) {
		/* first boot from the boot area: the images are already where they belong, and
		 * the loader cleaned them to the PoC (booting.rst); restarts copy */
		c->in_place = false;
	} else {
		copy_to_cell(kva, c->kernel, c->kernel_size);
		if (iva)
			copy_to_cell(iva, c->initrd, c->initrd_size);
	}

	guest_dt_cell_params(d, initrd_ipa, c->initrd ? c->initrd_size : 0, &p);
	r = guest_dt_build(&p, dva, LINUX_DTB_MAX, &dtb_size);
	if (r) {
		pr_err("%s: cannot build the cell's device tree: %s\n", d->path, err_str(r));
		return r;
	}
	dcache_clean_range((uint64_t)(uintptr_t)dva, dtb_size);

	c->entry_ipa = kernel_ipa;
	c->dtb_ipa = dtb_ipa;
	spin_lock(&c->uart_lock);
	vpl011_init(&c->uart, uart_putc_cb, uart_irq_cb, c);
	vpl011_set_tx_full(&c->uart, uart_tx_full_cb);
	spin_unlock(&c->uart_lock);
	spin_lock(&c->vgic_lock);
	{
		uint64_t mpidr[SYSDESC_MAX_VCPUS];

		for (uint32_t i = 0; i < c->nr_vcpus; i++)
			mpidr[i] = c->vcpus[i].mpidr;
		vgic_init(&c->vgic, c->nr_vcpus, mpidr);
	}
	spin_unlock(&c->vgic_lock);
	for (uint32_t i = 0; i < c->nr_vcpus; i++) {
		memset(&c->vcpus[i].stats, 0, sizeof(c->vcpus[i].stats));
		c->vcpus[i].time_traps = stats_enabled;
	}
	cell_build_cspace(c);
	spin_lock(&c->lock);
	r = lc_load(&c->lc, kernel_ipa, dtb_ipa);
	spin_unlock(&c->lock);
	BUG_ON(r);		/* loaded only at boot or after every vCPU parked */
	console_cell_reset(c);	/* running again: input may flow into the new instance */
	vcpu_kick(&c->vcpus[0]);
	return 0;
}

/* cell_boot_in_place - if the system image has a boot area for @d (sysimg.h) that can be the
 * cell's RAM as it stands, reserve that RAM for @c and mark it to boot in place. */
static void cell_boot_in_place(struct cell *c, const struct sysdesc_cell *d)
{
	const void *area, *kernel;
	uint64_t size, ksize, toff, kmem, isize = 0, pa;
	const void *initrd;
	struct linux_layout l;

	if (d->mem_pa_fixed || sysimg_boot_area(&system_image, d->name, &area, &size))
		return;
	pa = (uint64_t)(uintptr_t)area;
	/* the boot area must be 2 MiB aligned and laid out as cella would */
	if ((pa & (SYSIMG_BOOT_ALIGN - 1)) ||
	    sysimg_find(&system_image, d->kernel, &kernel, &ksize) ||
	    arm64_image_check(kernel, ksize, &toff, &kmem, NULL, 0) ||
	    (d->initrd && sysimg_find(&system_image, d->initrd, &initrd, &isize)) ||
	    linux_layout(d->mem_size, toff, kmem, isize, &l) || l.end != size ||
	    memmap_reserve(&machine_mem, pa, d->mem_size)) {
		pr_warn("%s: the system image's boot area cannot be used; copying the images\n",
			d->path);
		return;
	}
	c->mem_pa = pa;
	c->in_place = true;
}

int cell_create_all(const struct sysdesc *d)
{
	for (uint32_t i = 0; i < d->nr_cells; i++)
		memset(&cells[i], 0, sizeof(cells[i]));
	/* fixed placements first, so that cells without one are carved around them; then a
	 * cell booted in place from the system image (its RAM is where the image put it) */
	for (uint32_t i = 0; i < d->nr_cells; i++) {
		const struct sysdesc_cell *dc = &d->cells[i];
		int r;

		if (!dc->mem_pa_fixed)
			continue;
		r = memmap_reserve(&machine_mem, dc->mem_pa, dc->mem_size);
		if (r) {
			pr_err("%s: memory-pa [0x%llx, 0x%llx) %s\n", dc->path,
			       (unsigned long long)dc->mem_pa,
			       (unsigned long long)(dc->mem_pa + dc->mem_size),
			       r == -ERR_EXIST ? "overlaps cella or another cell"
					       : "is not inside the machine's RAM");
			return r;
		}
	}
	for (uint32_t i = 0; i < d->nr_cells; i++)
		cell_boot_in_place(&cells[i], &d->cells[i]);
	for (uint32_t i = 0; i < d->nr_cells; i++) {
		bool in_place = cells[i].in_place;
		int r = cell_create(&cells[i], i, &d->cells[i]);

		if (r)
			return r;
		nr_cells = i + 1;
		pr_info("cell '%s': %u vCPU%s on pCPU%s", d->cells[i].name, d->cells[i].nr_vcpus,
			d->cells[i].nr_vcpus > 1 ? "s" : "", d->cells[i].nr_vcpus > 1 ? "s" : "");
		for (uint32_t j = 0; j < d->cells[i].nr_vcpus; j++)
			log_printf(" %u", d->cells[i].pcpu[j]);
		log_printf(", %llu MiB at PA 0x%llx, kernel '%s'%s%s%s\n",
			   (unsigned long long)(cells[i].mem_size >> 20),
			   (unsigned long long)cells[i].mem_pa, d->cells[i].kernel,
			   d->cells[i].initrd ? ", initrd " : "",
			   d->cells[i].initrd ? d->cells[i].initrd : "",
			   in_place ? " (booted in place)" : "");
	}
	return 0;
}

/* ---- stopping ---- */

void cell_stats_enable(void)
{
	stats_enabled = true;
}

/* cell_report_stats - @c's trap statistics since its last (re)load, summed over its vCPUs
 * (all parked): one summary line, then one line per kind that occurred. */
static void cell_report_stats(const struct cell *c)
{
	struct trap_stats t = { 0 };
	uint64_t n = 0, ticks = 0;

	if (!stats_enabled)
		return;
	for (uint32_t i = 0; i < c->nr_vcpus; i++)
		trap_stats_add(&t, &c->vcpus[i].stats);
	for (unsigned k = 0; k < TRAP_KINDS; k++) {
		n += t.count[k];
		ticks += t.ticks[k];
	}
	pr_info("stats '%s': traps=%llu ticks=%llu cntfrq=%llu\n", c->desc->name,
		(unsigned long long)n, (unsigned long long)ticks,
		(unsigned long long)arch_counter_freq());
	for (unsigned k = 0; k < TRAP_KINDS; k++)
		if (t.count[k])
			pr_info("stats '%s': %s%s%s count=%llu ticks=%llu\n", c->desc->name,
				trap_kind_name(k), k < TRAP_SGI ? ":" : "",
				k < TRAP_SGI && k < c->mmio.nr ? c->mmio.r[k].ops->name : "",
				(unsigned long long)t.count[k], (unsigned long long)t.ticks[k]);
}

bool cell_running(struct cell *c)
{
	uint32_t st;

	spin_lock(&c->lock);
	st = c->lc.cell;
	spin_unlock(&c->lock);
	return st == CELL_RUNNING;
}

/* @c is STOPPED: if every cell is, power the machine off */
static void cell_check_all_stopped(void)
{
	static uint32_t powering_off;

	for (uint32_t i = 0; i < nr_cells; i++) {
		uint32_t st;

		spin_lock(&cells[i].lock);
		st = cells[i].lc.cell;
		spin_unlock(&cells[i].lock);
		if (st != CELL_STOPPED)
			return;
	}
	if (!__atomic_exchange_n(&powering_off, 1, __ATOMIC_ACQ_REL))
		pr_info("no cell left running; powering off\n");
	console_flush();
	arch_system_off();
}

/* cella's message about @c, within the cell's budget (lifecycle.h lc_budget): a guest that
 * triggers it over and over cannot flood the console */
static void cell_msg(struct cell *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell_msg(struct cell *c, const char *fmt, ...)
{
	uint32_t suppressed = 0;
	char buf[160];
	va_list ap;
	bool ok;

	spin_lock(&c->lock);
	ok = lc_budget_take(&c->msgs, arch_counter(), arch_counter_freq(), &suppressed);
	spin_unlock(&c->lock);
	if (!ok)
		return;
	va_start(ap, fmt);
	cella_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (suppressed)
		pr_info("(%u more messages about cell '%s' were suppressed)\n", suppressed,
			c->desc->name);
	pr_info("%s", buf);
}

static void cell_after(struct cell *c, uint32_t act);

/* every vCPU of @c parked while it restarts: reload it (on this pCPU, outside the lock), after
 * a delay if it restarts over and over (lifecycle.h lc_backoff) */
static void cell_reload(struct cell *c)
{
	uint64_t now = arch_counter();
	uint64_t delay = lc_backoff_delay(&c->backoff, now, arch_counter_freq());
	uint32_t act;

	if (delay)
		arch_wait_until(delay > UINT64_MAX - now ? UINT64_MAX : now + delay);
	lc_backoff_start(&c->backoff, arch_counter());
	c->restarts++;
	arch_cell_flush_tlb(c);
	if (cell_load(c) == 0)
		return;
	pr_err("cell '%s' cannot be restarted\n", c->desc->name);
	spin_lock(&c->lock);
	act = lc_load_failed(&c->lc);
	spin_unlock(&c->lock);
	cell_after(c, act);
}

/* carry out what a lifecycle transition asked for (lifecycle.h LC_ACT_*) */
static void cell_after(struct cell *c, uint32_t act)
{
	if (act & LC_ACT_ALL_OFF)
		pr_info("cell '%s' stopped: all its vCPUs are off\n", c->desc->name);
	if (act & (LC_ACT_RELOAD | LC_ACT_STOPPED))
		cell_report_stats(c);	/* every vCPU has parked */
	if (act & LC_ACT_RELOAD)
		cell_reload(c);
	if (act & LC_ACT_STOPPED)
		cell_check_all_stopped();
}

/* vcpu_off - on @v's pCPU: @v stops running (CPU_OFF, or parking while its cell stops). */
static void vcpu_off(struct vcpu *v)
{
	struct cell *c = v->cell;
	uint32_t act;

	arch_vcpu_park(v);	/* before the state change: a reload may follow at once */
	spin_lock(&c->lock);
	act = lc_vcpu_off(&c->lc, v->id);
	spin_unlock(&c->lock);
	cell_after(c, act);
}

void cell_stop(struct cell *c, bool restart, uint32_t reason, uint64_t detail, const char *why)
{
	uint32_t act;

	spin_lock(&c->lock);
	act = lc_stop(&c->lc, restart);
	if (act) {
		c->stop_reason = reason;
		c->stop_detail = detail;
	}
	spin_unlock(&c->lock);
	if (!act)
		return;		/* already stopping, restarting or stopped */
	if (restart)
		cell_msg(c, "cell '%s' restarting: %s\n", c->desc->name, why);
	else
		pr_info("cell '%s' stopped: %s\n", c->desc->name, why);	/* once: it stays */
	for (uint32_t i = 0; i < c->nr_vcpus; i++)
		vcpu_kick(&c->vcpus[i]);
	cell_after(c, act);
}

void cell_guest_fault(struct vcpu *v, const char *what, uint64_t esr, uint64_t ipa)
{
	struct cell *c = v->cell;

	bool again;

	cell_msg(c, "cell '%s' vCPU %u: %s at IPA 0x%llx (ESR_EL2 0x%llx, PC 0x%llx)\n",
		 c->desc->name, v->id, what, (unsigned long long)ipa, (unsigned long long)esr,
		 (unsigned long long)v->regs.pc);
	switch (c->desc->on_fault) {
	case SYSDESC_FAULT_SYSTEM_OFF:
		pr_info("cell '%s' faulted and its on-fault is \"system-off\": powering off\n",
			c->desc->name);
		console_flush();
		arch_system_off();
		break;
	case SYSDESC_FAULT_RESTART:
		spin_lock(&c->lock);
		again = lc_limit_take(&c->fault_limit, arch_counter(), arch_counter_freq(),
				      c->desc->restart_max, c->desc->restart_window_s);
		spin_unlock(&c->lock);
		if (again) {
			cell_stop(c, true, CELLA_STOP_FAULT, (uint32_t)esr, "guest fault (on-fault)");
			break;
		}
		cell_stop(c, false, CELLA_STOP_RESTART_LIMIT, (uint32_t)esr,
			  "guest fault, and its restart-limit is reached");
		break;
	default:
		cell_stop(c, false, CELLA_STOP_FAULT, (uint32_t)esr, "guest fault");
		break;
	}
}

/* ---- cell control through capabilities (hypercall.h) ---- */

static bool cap_obj_exists(uint32_t type, uint32_t obj)
{
	return type == CELLA_CAP_CELL && obj < nr_cells;
}

static void cs_lock(void *ctx)
{
	spin_lock(&((struct cell *)ctx)->cs_lock);
}

static void cs_unlock(void *ctx)
{
	spin_unlock(&((struct cell *)ctx)->cs_lock);
}

static void cap_cell_query(void *ctx, uint32_t obj, uint64_t *state, uint64_t *reason,
			   uint64_t *detail)
{
	static const uint64_t states[] = {
		[CELL_RUNNING] = CELLA_CELL_RUNNING, [CELL_STOPPING] = CELLA_CELL_STOPPING,
		[CELL_RESTARTING] = CELLA_CELL_RESTARTING, [CELL_STOPPED] = CELLA_CELL_STOPPED,
	};
	struct cell *t = &cells[obj];		/* obj < nr_cells: cap_obj_exists */

	spin_lock(&t->lock);
	*state = t->lc.cell <= CELL_STOPPED ? states[t->lc.cell] : 0;
	*reason = t->stop_reason | ((uint64_t)t->restarts << 32);
	*detail = t->stop_reason == CELLA_STOP_FAULT || t->stop_reason == CELLA_STOP_RESTART_LIMIT
			  ? t->stop_detail : 0;
	spin_unlock(&t->lock);
}

/* cell_control - start, stop or restart @t, recording @reason (CELLA_STOP_*) and saying @why;
 * CELLA_E_BUSY if its state forbids it (start: not stopped; stop, restart: not running) */
static int cell_control(struct cell *t, enum hc_cell_op op, uint32_t reason, const char *why)
{
	uint32_t act;

	spin_lock(&t->lock);
	act = op == HC_CELL_START ? lc_start(&t->lc)
				  : (t->lc.cell == CELL_RUNNING ? LC_ACT_REPORT : 0);
	if (act && op == HC_CELL_START)
		t->stop_reason = CELLA_STOP_NONE;
	spin_unlock(&t->lock);
	if (!act)
		return CELLA_E_BUSY;	/* start: not stopped; stop/restart: not running */
	if (op == HC_CELL_START) {
		pr_info("cell '%s' starting: %s\n", t->desc->name, why);
		cell_after(t, act);
		return CELLA_OK;
	}
	cell_stop(t, op == HC_CELL_RESTART, reason, 0, why);
	return CELLA_OK;
}

static int cap_cell_control(void *ctx, uint32_t obj, enum hc_cell_op op)
{
	struct cell *me = ctx;
	char why[64];

	cella_snprintf(why, sizeof(why), "by cell '%s' (capability)", me->desc->name);
	return cell_control(&cells[obj], op, CELLA_STOP_BY_CAP, why);
}

/* ---- the operator prompt (prompt.h; console.c feeds it) ---- */

static struct cell *cell_by_name(const char *name)
{
	for (uint32_t i = 0; name && i < nr_cells; i++)
		if (strcmp(cells[i].desc->name, name) == 0)
			return &cells[i];
	return NULL;
}

static void prompt_list(void)
{
	static const char *const states[] = { "running", "stopping", "restarting", "stopped" };
	uint64_t now = arch_counter(), freq = arch_counter_freq();

	for (uint32_t i = 0; i < nr_cells; i++) {
		struct cell *c = &cells[i];
		uint64_t traps = 0, up;
		uint32_t st;
		char cpus[3 * SYSDESC_MAX_VCPUS + 1];
		size_t n = 0;

		for (uint32_t v = 0; v < c->nr_vcpus; v++) {
			for (unsigned k = 0; k < TRAP_KINDS; k++)
				traps += c->vcpus[v].stats.count[k];	/* racy: a snapshot */
			n += (size_t)cella_snprintf(cpus + n, sizeof(cpus) - n, "%s%u", v ? "," : "",
						    c->vcpus[v].pcpu);
		}
		spin_lock(&c->lock);
		st = c->lc.cell;
		up = st == CELL_RUNNING && freq ? (now - c->backoff.started) / freq : 0;
		spin_unlock(&c->lock);
		pr_info("  %-12s %-10s vCPUs %u on pCPUs %-8s %5llu MiB  up %llus  restarts %u  "
			"traps %llu%s\n", c->desc->name, st <= CELL_STOPPED ? states[st] : "?",
			c->nr_vcpus, cpus, (unsigned long long)(c->mem_size >> 20),
			(unsigned long long)up, c->restarts, (unsigned long long)traps,
			console_input() == c ? "  (keyboard)" : "");
	}
}

void cell_prompt_command(enum prompt_cmd cmd, const char *arg)
{
	static const enum hc_cell_op ops[] = {
		[PROMPT_STOP] = HC_CELL_STOP, [PROMPT_START] = HC_CELL_START,
		[PROMPT_RESTART] = HC_CELL_RESTART,
	};
	struct cell *c = cell_by_name(arg);

	switch (cmd) {
	case PROMPT_NONE:
	case PROMPT_EXIT:
		return;
	case PROMPT_LIST:
		prompt_list();
		return;
	case PROMPT_HELP:
	case PROMPT_BAD:
		pr_info("commands: list | focus CELL | stop CELL | start CELL | restart CELL | "
			"exit (or Ctrl-] again)\n");
		return;
	default:
		break;
	}
	if (!c) {
		pr_info("no cell '%.32s' (list shows them)\n", arg ? arg : "");
		return;
	}
	if (cmd == PROMPT_FOCUS) {
		console_set_input(c);
		pr_info("the keyboard goes to cell '%s'\n", c->desc->name);
		return;
	}
	if (cell_control(c, ops[cmd], CELLA_STOP_BY_OPERATOR, "by the operator") != CELLA_OK)
		pr_info("cell '%s' is %s\n", c->desc->name,
			cmd == PROMPT_START ? "not stopped" : "not running");
}

/* cell_build_cspace - @c's cspace: exactly the capabilities its node grants (nothing else),
 * and the environment its hypercalls run in */
static void cell_build_cspace(struct cell *c)
{
	const struct sysdesc_cell *d = c->desc;

	c->hc_env = (struct hc_env){
		.cs = &c->cspace, .ctx = c, .lock = cs_lock, .unlock = cs_unlock,
		.exists = cap_obj_exists, .cell_query = cap_cell_query,
		.cell_control = cap_cell_control,
	};

	spin_lock(&c->cs_lock);
	cspace_clear(&c->cspace);
	for (uint32_t i = 0; i < d->nr_caps; i++)
		BUG_ON(cap_grant(&c->cspace, d->caps[i].slot, d->caps[i].type, d->caps[i].obj,
				 d->caps[i].rights));	/* sysdesc_parse checked them */
	spin_unlock(&c->cs_lock);
}

/* ---- virtual PSCI (DEN0022D) and SMCCC (DEN0028) ---- */

static struct vcpu *vcpu_by_mpidr(struct cell *c, uint64_t mpidr)
{
	for (uint32_t i = 0; i < c->nr_vcpus; i++)
		if (c->vcpus[i].mpidr == mpidr)
			return &c->vcpus[i];
	return NULL;
}

static int64_t psci_cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct cell *c = v->cell;
	struct vcpu *t = vcpu_by_mpidr(c, target);
	enum lc_on r;

	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	/* the entry point must be an instruction inside the cell's RAM */
	if ((entry & 3) || !cell_ipa_to_va(c, entry, 4))
		return PSCI_RET_INVALID_ADDRESS;
	spin_lock(&c->lock);
	r = lc_cpu_on(&c->lc, t->id, entry, ctx);
	spin_unlock(&c->lock);
	switch (r) {
	case LC_ON_OK:
		vcpu_kick(t);
		return PSCI_RET_SUCCESS;
	case LC_ON_ALREADY:
		return PSCI_RET_ALREADY_ON;
	case LC_ON_PENDING:
		return PSCI_RET_ON_PENDING;
	case LC_ON_DENIED:
		return PSCI_RET_DENIED;
	default:
		return PSCI_RET_INVALID_PARAMS;
	}
}

static int64_t psci_affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
	struct vcpu *t = vcpu_by_mpidr(v->cell, target);
	uint32_t st;

	if (!t || level != 0)
		return PSCI_RET_INVALID_PARAMS;
	spin_lock(&v->cell->lock);
	st = lc_vcpu_state(&v->cell->lc, t->id);
	spin_unlock(&v->cell->lock);
	switch (st) {
	case VCPU_ON:
		return PSCI_AFFINITY_ON;
	case VCPU_ON_PENDING:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_OFF;
	}
}

void cell_smccc(struct vcpu *v)
{
	struct smccc_call call;
	int64_t ret;

	/* cella's own range first: the hypercall table decodes it (x0..x6 in place) */
	if (hc_owns(v->regs.x[0])) {
		hypercall(&v->cell->hc_env, v->regs.x);
		return;
	}
	smccc_decode(v->regs.x[0], v->regs.x[1], v->regs.x[2], v->regs.x[3], &call);
	switch (call.kind) {
	case SMCCC_PSCI_VERSION:
		ret = PSCI_VERSION_1_0;
		break;
	case SMCCC_PSCI_CPU_ON:
		ret = psci_cpu_on(v, call.arg[0], call.arg[1], call.arg[2]);
		break;
	case SMCCC_PSCI_AFFINITY_INFO:
		ret = psci_affinity_info(v, call.arg[0], call.arg[1]);
		break;
	case SMCCC_PSCI_CPU_OFF:
		vcpu_off(v);
		return;
	case SMCCC_PSCI_MIGRATE_INFO_TYPE:
		ret = PSCI_MIGRATE_NOT_REQUIRED;
		break;
	case SMCCC_PSCI_SYSTEM_OFF:
		cell_stop(v->cell, false, CELLA_STOP_POWER_OFF, 0, "powered off (PSCI SYSTEM_OFF)");
		return;
	case SMCCC_PSCI_SYSTEM_RESET:
		cell_stop(v->cell, v->cell->desc->restart_on_reset, CELLA_STOP_RESET, 0,
			  "reset (PSCI SYSTEM_RESET)");
		return;
	case SMCCC_PSCI_FEATURES:
		/* SMCCC_VERSION is discoverable through PSCI_FEATURES (DEN0028 7.2) */
		ret = (uint32_t)call.arg[0] == SMCCC_FN_VERSION ? 0
								 : psci_features((uint32_t)call.arg[0]);
		break;
	case SMCCC_VERSION:
		ret = SMCCC_VERSION_1_1;
		break;
	default:
		/* SMCCC_ARCH_FEATURES, CPU_SUSPEND, unknown IDs */
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	}
	v->regs.x[0] = (uint64_t)ret;
}

/* ---- the pCPU loop: static partitioning, one pinned vCPU per pCPU ---- */

static bool first_guest_entry = true;

void pcpu_loop(void)
{
	struct pcpu *me = this_pcpu();
	struct vcpu *v = me->vcpu;

	for (;;) {
		struct cell *c;
		uint64_t entry = 0, ctx = 0;
		bool park, start, run;

		if (!v) {
			arch_idle();
			continue;
		}
		c = v->cell;
		/* the common case, a running vCPU of a running cell, needs no lock (lifecycle.h) */
		if (lc_runnable_hint(&c->lc, v->id)) {
			arch_vcpu_run(v);
			continue;
		}
		/* one decision under the lock; a change after it kicks this pCPU, so the guest
		 * entered below exits at once and the next turn sees the change */
		spin_lock(&c->lock);
		park = lc_must_park(&c->lc, v->id);
		start = !park && lc_vcpu_start(&c->lc, v->id, &entry, &ctx);
		run = start || lc_runnable(&c->lc, v->id);
		spin_unlock(&c->lock);
		if (park) {
			vcpu_off(v);	/* parking the last vCPU may reload the cell */
			continue;
		}
		if (start) {
			arch_vcpu_reset(v, entry, ctx);
			if (first_guest_entry && v->id == 0 && c->id == 0) {
				uint64_t t = arch_counter();

				first_guest_entry = false;
				pr_info("first guest instruction at cntpct=%llu\n",
					(unsigned long long)t);
			}
		}
		if (!run) {
			arch_idle();
			continue;
		}
		arch_vcpu_run(v);
	}
}
