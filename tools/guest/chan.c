/* chan.c - channels from Linux user space: discovery, mapping, doorbells, waiting (chan.h). */
#define _GNU_SOURCE
#include "chan.h"
#include "util.h"

#include "cella/abi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define POLL_SPINS 64		/* polling: sched_yield()s between short sleeps */
#define POLL_SLEEP_NS 50000

/* ---- discovery ---- */

/* pci_dev_of - @addr's device number if it is on bus 0 function 0, else -1 */
static int pci_dev_of(const char *addr)
{
	unsigned dom, bus, dev, fn;

	if (sscanf(addr, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4 || bus || fn)
		return -1;
	return (int)dev;
}

static void dt_str(const char *dir, const char *prop, char *buf, size_t n)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof(p), "%s/%s", dir, prop) >= (int)sizeof(p) || read_file(p, buf, n) < 0)
		buf[0] = 0;
}

static bool dt_num(const char *dir, const char *prop, unsigned cells, uint64_t *v)
{
	char p[PATH_MAX];

	return snprintf(p, sizeof(p), "%s/%s", dir, prop) < (int)sizeof(p) && read_be(p, cells, v);
}

int chan_find_all(struct chan *c, int max)
{
	char addr[CHAN_MAX][PCI_ADDR_LEN], dir[PATH_MAX];
	bool taken[CHAN_MAX] = { false };
	int na = pci_scan(PCI_VENDOR_REDHAT, PCI_DEVICE_IVSHMEM, addr, CHAN_MAX), n = 0;
	DIR *d = opendir(DT_CHANNELS);
	struct dirent *e;

	if (na > CHAN_MAX)
		na = CHAN_MAX;
	while (d && (e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(c->name))
			continue;
		snprintf(dir, sizeof(dir), DT_CHANNELS "/%s", e->d_name);
		memset(&c[n], 0, sizeof(c[n]));
		if (!dt_num(dir, "pci-device", 1, &c[n].dt_dev))
			continue;	/* not a channel node (a property file, or malformed) */
		str_copy(c[n].name, sizeof(c[n].name), e->d_name);
		c[n].dt = true;
		dt_num(dir, "slot", 1, &c[n].dt_slot);
		dt_num(dir, "size", 2, &c[n].dt_size);
		dt_str(dir, "peer", c[n].peer_name, sizeof(c[n].peer_name));
		for (int i = 0; i < na; i++)
			if (!taken[i] && pci_dev_of(addr[i]) == (int)c[n].dt_dev) {
				taken[i] = true;
				str_copy(c[n].addr, sizeof(c[n].addr), addr[i]);
				break;
			}
		n++;
	}
	if (d)
		closedir(d);
	for (int i = 0; i < na && n < max; i++) {
		if (taken[i])
			continue;
		memset(&c[n], 0, sizeof(c[n]));
		snprintf(c[n].name, sizeof(c[n].name), "ivshmem%d", i);
		str_copy(c[n].addr, sizeof(c[n].addr), addr[i]);
		n++;
	}
	return n;
}

static void find(struct chan *c, const char *name)
{
	struct chan all[CHAN_MAX];
	char norm[PCI_ADDR_LEN] = "", names[512] = "";
	int n = chan_find_all(all, CHAN_MAX);
	bool is_addr = pci_norm_addr(name, norm);

	for (int i = 0; i < n; i++) {
		if (!strcmp(all[i].name, name) || (is_addr && !strcmp(all[i].addr, norm))) {
			*c = all[i];
			if (!c->addr[0])
				die("channel '%s': no PCI function 1af4:1110 at device %llu of bus 0",
				    name, (unsigned long long)c->dt_dev);
			return;
		}
		if (i)
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
		strncat(names, all[i].name, sizeof(names) - strlen(names) - 1);
	}
	if (!n)
		die("no channel '%s': this cell has no channels (no %s, no PCI 1af4:1110 function)",
		    name, DT_CHANNELS);
	die("no channel '%s' (channels: %s)", name, names);
}

/* ---- registers ---- */

uint32_t chan_reg(struct chan *c, unsigned off)
{
	return mmio_read32(c->regs, off);
}

bool chan_probe(struct chan *c)
{
	uint64_t sz;

	if (!c->addr[0])
		return false;
	if (uio_bind(c->addr))
		return false;
	if (!c->regs)
		c->regs = pci_map_bar(c->addr, 0, 4096, PCI_MAP_WRITE);
	sz = chan_reg(c, IVSHMEM_SIZE);
	c->bar2 = pci_bar_size(c->addr, 2);
	c->cella = sz != 0;
	c->size = c->cella ? sz : c->bar2;
	if (c->size > c->bar2) {
		warnx("%s: SIZE register says %llu bytes, BAR2 has %llu: using BAR2's", c->name,
		      (unsigned long long)c->size, (unsigned long long)c->bar2);
		c->size = c->bar2;
	}
	c->peer_state = c->cella ? (int)(chan_reg(c, IVSHMEM_PEER_STATE) & 1) : -1;
	c->rights = c->cella ? chan_reg(c, IVSHMEM_RIGHTS) : CELLA_R_CHAN_ALL;
	c->writable = c->rights & CELLA_R_WRITE;
	return true;
}

const char *chan_peer_str(int state)
{
	return state < 0 ? "unknown" : state ? "running" : "stopped";
}

const char *chan_ring_err(int err)
{
	switch (err) {
	case RING_E_SMALL:
		return "the channel is smaller than one page";
	case RING_E_MAGIC:
		return "its memory holds something else than cella-chan's rings ('cella-chan reset' clears it)";
	case RING_E_SIZE:
		return "its rings were laid out for another size ('cella-chan reset' clears them)";
	default:
		return "ok";
	}
}

/* ---- doorbells and waiting ---- */

static void edu_ack(volatile void *edu)
{
	uint32_t st = mmio_read32(edu, EDU_INTR_STATUS);

	if (st)
		mmio_write32(edu, EDU_INTR_ACK, st);
}

/* ack - read (and so clear) the interrupt cause; returns IntrStatus (0 for edu doorbells) */
static uint32_t ack(struct chan *c)
{
	if (c->edu) {
		edu_ack(c->edu_mine);
		return 0;
	}
	return chan_reg(c, IVSHMEM_INTR_STATUS);
}

static void open_edu(struct chan *c, const struct chan_opts *o)
{
	char a[2][PCI_ADDR_LEN];

	for (int i = 0; i < 2; i++)
		if (!pci_norm_addr(o->edu[i], a[i]))
			die("--doorbell-edu: no PCI function %s", o->edu[i]);
	uio_open(&c->edu_uio, a[0]);
	if (uio_bind(a[1]))
		die("--doorbell-edu: cannot bind %s", a[1]);
	c->edu_mine = pci_map_bar(a[0], 0, 4096, PCI_MAP_WRITE);
	c->edu_peer = pci_map_bar(a[1], 0, 4096, PCI_MAP_WRITE);
	if ((mmio_read32(c->edu_mine, EDU_IDENT) & 0xff) != 0xed ||
	    (mmio_read32(c->edu_peer, EDU_IDENT) & 0xff) != 0xed)
		die("--doorbell-edu: %s or %s is not QEMU's edu device", a[0], a[1]);
	if (!c->edu_uio.irq)
		die("--doorbell-edu: %s has no IRQ", a[0]);
	c->edu = true;
	c->irq = true;
}

/* lock - flock @c's end's @what ("tx" or "rx") ring; the lock goes with the process */
static void lock(struct chan *c, const char *what)
{
	char p[96];
	int fd;

	snprintf(p, sizeof(p), "/tmp/cella-chan.%s.%u.%s.lock", c->addr, c->end, what);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		warnx("cannot open %s (%s): not guarding end %u's %s ring against another process",
		      p, strerror(errno), c->end, what);
		return;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return;
	fprintf(stderr, "cella-chan: %s: another process uses end %u's %s ring: waiting\n", c->name,
		c->end, what);
	if (flock(fd, LOCK_EX))
		die("flock %s: %s", p, strerror(errno));
}

void chan_open(struct chan *c, const char *name, const struct chan_opts *o, unsigned use)
{
	uint32_t pos;

	find(c, name);
	c->notices = stderr;
	c->spin_ns = o->spin_ns > 0 ? o->spin_ns : 0;
	if (!chan_probe(c))
		die("channel '%s' (%s): cannot bind uio_pci_generic", c->name, c->addr);
	pos = chan_reg(c, IVSHMEM_IV_POSITION);
	if (o->end >= 0)
		c->end = (unsigned)o->end;
	else if (pos > 1) {
		/* QEMU's ivshmem-plain answers -1: no peers, no position */
		warnx("%s: IVPosition is %d: acting as end 0 (--end chooses)", c->name, (int)pos);
		c->end = 0;
	} else
		c->end = pos;
	c->shm = pci_map_bar(c->addr, 2, c->size, PCI_MAP_WC | (c->writable ? PCI_MAP_WRITE : 0));
	/* INTx may be left disabled by the last interrupt of an earlier run: enable it. A cause
	 * still pending then interrupts at once (a wakeup that finds nothing). Stale causes are
	 * cleared by the process that takes this end's records (chan_clear_status), not here: a
	 * sender would take a peer-start bit from a receiver waiting on this end. */
	if (o->edu[0]) {
		open_edu(c, o);
		uio_intx_enable(&c->edu_uio);
	} else if (o->irq == 1 || (o->irq < 0 && c->cella)) {
		uio_open(&c->uio, c->addr);
		if (!c->uio.irq)
			warnx("%s: no IRQ (INTx) for %s: polling", c->name, c->addr);
		else {
			c->irq = true;
			/* QEMU's ivshmem asserts INTx for IntrStatus & IntrMask only */
			mmio_write32(c->regs, IVSHMEM_INTR_MASK, VPCI_INTR_DOORBELL | VPCI_INTR_PEER);
			uio_intx_enable(&c->uio);
		}
	}
	if (use)
		chan_use(c, use);
}

void chan_clear_status(struct chan *c)
{
	if (c->edu)
		edu_ack(c->edu_mine);
	else if (c->irq)
		(void)chan_reg(c, IVSHMEM_INTR_STATUS);
	c->status = 0;
}

void chan_use(struct chan *c, unsigned use)
{
	int err;

	if (!c->writable)
		die("channel '%s' is read-only in this cell (no write right): cella-chan's rings need "
		    "writes ('cella-chan watch %s' shows what the other end publishes)", c->name,
		    c->name);
	if (use & (CHAN_USE_TX | CHAN_USE_RESET))
		lock(c, "tx");
	if (use & (CHAN_USE_RX | CHAN_USE_RESET))
		lock(c, "rx");
	if (use & CHAN_USE_RESET)
		return;
	if (use & CHAN_USE_RX)
		chan_clear_status(c);
	err = ring_attach(&c->ring, c->shm, c->size, c->end);
	if (err)
		die("channel '%s': %s", c->name, chan_ring_err(err));
}

void chan_doorbell(struct chan *c)
{
	/* the shared-memory stores before the doorbell's (Device memory) store */
	chan_mb();
	if (c->edu)
		mmio_write32(c->edu_peer, EDU_INTR_RAISE, 1);
	else	/* cella: any value; QEMU's ivshmem-doorbell: peer ID in bits 31:16, vector 0 */
		mmio_write32(c->regs, IVSHMEM_DOORBELL, (1 - c->end) << 16);
	c->doorbells++;
}

void chan_notify(struct chan *c, unsigned what)
{
	if (ring_peer_wants_ring(&c->ring, what))
		chan_doorbell(c);
}

static void notice(struct chan *c, int state)
{
	fprintf(c->notices, "cella-chan: %s: peer %s\n", c->name, state ? "started" : "stopped");
	fflush(c->notices);
	if (state) {
		/* a new peer: its sleep tokens count on from memory, but ring it once anyway; if
		 * its restart wiped the memory, start over from the zeros */
		c->ring.rung_data = c->ring.rung_space = 0;
		if (c->ring.hdr && c->ring.hdr->magic == 0)
			ring_resync(&c->ring);
	}
}

/* check_peer - report peer starts and stops: @status is IntrStatus as just read (PEER bit), or
 * ~0 when there is none (polling, a timeout): then PEER_STATE is read in any case. On cella every
 * register access is a trap, so a doorbell alone (no PEER bit: cella sets it at every start and
 * stop) costs no PEER_STATE read. */
#define PEER_LOOK (~0u)
static void check_peer(struct chan *c, uint32_t status)
{
	int st;

	if (!c->cella || !(status & VPCI_INTR_PEER))
		return;
	st = (int)(chan_reg(c, IVSHMEM_PEER_STATE) & 1);
	if (st == c->peer_state && status != PEER_LOOK) {
		/* it changed and changed back between two looks */
		notice(c, !st);
		notice(c, st);
	} else if (st != c->peer_state)
		notice(c, st);
	c->peer_state = st;
}

bool chan_wait_for(struct chan *c, unsigned why, chan_cond_fn cond, void *arg, int64_t deadline)
{
	unsigned spins = 0;
	int64_t t, left;
	int ms, rc;

	if (c->irq && c->spin_ns) {
		/* a peer that is running will likely do what we wait for soon: a doorbell and
		 * a wakeup cost more than a short look (throughput modes) */
		int64_t end = now_ns() + c->spin_ns;

		do {
			if (cond(c, arg))
				return true;
		} while (now_ns() < end);
	}
	for (;;) {
		if (cond(c, arg))
			return true;
		t = deadline ? now_ns() : 0;
		if (deadline && t >= deadline)
			return false;
		if (!c->irq) {
			if (++spins % POLL_SPINS) {
				sched_yield();
			} else {
				sleep_ns(POLL_SLEEP_NS);
				check_peer(c, PEER_LOOK);
			}
			continue;
		}
		if (!c->ring.hdr)
			why = 0;	/* no rings (watching a page): doorbells come anyway */
		ring_sleep_begin(&c->ring, why);
		if (cond(c, arg)) {
			ring_sleep_end(&c->ring, why);
			return true;
		}
		/* no deadline: block in read() (peer starts and stops interrupt too) */
		ms = -1;
		if (deadline) {
			left = (deadline - t + 999999) / 1000000;
			ms = left > 1000000 ? 1000000 : (int)left;
		}
		rc = uio_wait(c->edu ? &c->edu_uio : &c->uio, ms);
		ring_sleep_end(&c->ring, why);
		if (rc > 0) {
			c->status = ack(c);
			c->wakeups++;
			uio_intx_enable(c->edu ? &c->edu_uio : &c->uio);
			check_peer(c, c->status);
		} else if (rc < 0) {
			warnx("%s: waiting on /dev/uio%d failed: polling", c->name,
			      (c->edu ? &c->edu_uio : &c->uio)->num);
			c->irq = false;
		} else {
			check_peer(c, PEER_LOOK);
		}
	}
}
