/* pci.c - PCI functions through sysfs and uio_pci_generic (pci.h). */
#define _GNU_SOURCE
#include "pci.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PCI_CFG_COMMAND_HI 5		/* Command bits 15:8 */
#define PCI_CMD_HI_INTX_DISABLE 0x04	/* Command bit 10 */

bool pci_ids(const char *addr, unsigned *vendor, unsigned *device)
{
	char p[PATH_MAX];
	uint64_t v, d;

	snprintf(p, sizeof(p), SYS_PCI "/%s/vendor", addr);
	if (!read_u64(p, &v))
		return false;
	snprintf(p, sizeof(p), SYS_PCI "/%s/device", addr);
	if (!read_u64(p, &d))
		return false;
	*vendor = (unsigned)v;
	*device = (unsigned)d;
	return true;
}

static int cmp_addr(const void *a, const void *b)
{
	return strcmp(a, b);
}

int pci_scan(unsigned vendor, unsigned device, char (*addr)[PCI_ADDR_LEN], int max)
{
	DIR *d = opendir(SYS_PCI);
	struct dirent *e;
	int n = 0;
	unsigned v, dv;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= PCI_ADDR_LEN)
			continue;
		if (!pci_ids(e->d_name, &v, &dv) || v != vendor || dv != device)
			continue;
		if (n < max)
			snprintf(addr[n], PCI_ADDR_LEN, "%s", e->d_name);
		n++;
	}
	closedir(d);
	qsort(addr, (size_t)(n < max ? n : max), PCI_ADDR_LEN, cmp_addr);
	return n;
}

bool pci_norm_addr(const char *s, char out[PCI_ADDR_LEN])
{
	char p[PATH_MAX];
	struct stat st;

	if (strlen(s) + 5 >= PCI_ADDR_LEN || strchr(s, '/'))
		return false;
	if (strlen(s) == 7)	/* BB:DD.F: domain 0 */
		snprintf(out, PCI_ADDR_LEN, "0000:%s", s);
	else
		snprintf(out, PCI_ADDR_LEN, "%s", s);
	snprintf(p, sizeof(p), SYS_PCI "/%s", out);
	return stat(p, &st) == 0;
}

uint64_t pci_bar_size(const char *addr, unsigned bar)
{
	char p[PATH_MAX], line[128];
	unsigned long long start, end, flags;
	FILE *f;
	uint64_t size = 0;

	snprintf(p, sizeof(p), SYS_PCI "/%s/resource", addr);
	f = fopen(p, "r");
	if (!f)
		return 0;
	for (unsigned i = 0; fgets(line, sizeof(line), f); i++) {
		if (i != bar)
			continue;
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) == 3 && end > start)
			size = end - start + 1;
		break;
	}
	fclose(f);
	return size;
}

void *pci_map_bar(const char *addr, unsigned bar, size_t len, unsigned flags)
{
	char p[PATH_MAX];
	long page = sysconf(_SC_PAGESIZE);
	bool w = flags & PCI_MAP_WRITE;
	void *m;
	int fd;

	len = (len + (size_t)page - 1) & ~((size_t)page - 1);
	for (int pass = flags & PCI_MAP_WC ? 0 : 1; pass < 2; pass++) {
		snprintf(p, sizeof(p), SYS_PCI "/%s/resource%u%s", addr, bar, pass ? "" : "_wc");
		fd = open(p, (w ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		if (fd < 0)
			continue;
		m = mmap(NULL, len, PROT_READ | (w ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
		close(fd);
		if (m != MAP_FAILED)
			return m;
	}
	die("cannot map BAR%u of %s (%zu bytes) from %s: %s", bar, addr, len, p, strerror(errno));
}

/* ---- binding uio_pci_generic ---- */

/* insmod - load the module file @path (finit_module); true if loaded or already there */
static bool insmod(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long rc;

	if (fd < 0)
		return false;
	rc = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	if (rc && errno != EEXIST) {
		warnx("loading %s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

static void run_modprobe(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 2);
		execlp("modprobe", "modprobe", "uio_pci_generic", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
}

static void load_driver(void)
{
	static const char *const mods[] = { "uio", "uio_pci_generic" };
	char p[PATH_MAX];
	struct utsname u;
	struct stat st;
	bool ok = true;

	if (stat(UIO_DRV, &st) == 0)
		return;
	uname(&u);
	for (unsigned i = 0; i < 2 && ok; i++) {
		snprintf(p, sizeof(p), "/sys/module/%s", mods[i]);
		if (stat(p, &st) == 0)
			continue;
		snprintf(p, sizeof(p), "/lib/modules/%s/kernel/drivers/uio/%s.ko", u.release, mods[i]);
		ok = insmod(p);
	}
	if (stat(UIO_DRV, &st) != 0)
		run_modprobe();
	if (stat(UIO_DRV, &st) != 0)
		die("the uio_pci_generic driver is not available (no %s after loading "
		    "/lib/modules/%s/kernel/drivers/uio/{uio,uio_pci_generic}.ko and modprobe)",
		    UIO_DRV, u.release);
}

/* driver_of - the name of the driver bound to @addr into @buf ("" if none) */
static const char *driver_of(const char *addr, char *buf, size_t n)
{
	char p[PATH_MAX], t[PATH_MAX];
	ssize_t len;
	const char *slash;

	snprintf(p, sizeof(p), SYS_PCI "/%s/driver", addr);
	len = readlink(p, t, sizeof(t) - 1);
	if (len < 0) {
		buf[0] = 0;
		return buf;
	}
	t[len] = 0;
	slash = strrchr(t, '/');
	str_copy(buf, n, slash ? slash + 1 : t);
	return buf;
}

/* wait_probed - wait until the probe of @addr by uio_pci_generic is complete: the driver link
 * appears before probe() runs (another process may be binding it right now), the uio device
 * (registered last, after the function was enabled) only after. Returns 0 or -1 after 2 s. */
static int wait_probed(const char *addr)
{
	for (int i = 0; i < 200; i++) {
		if (uio_number(addr) >= 0)
			return 0;
		sleep_ns(10000000);
	}
	warnx("%s: bound to uio_pci_generic but no uio device after 2 s", addr);
	return -1;
}

/* wait_bound - wait up to @ms for @addr to have a driver; its name into @drv */
static const char *wait_bound(const char *addr, char *drv, size_t n, int ms)
{
	for (int i = 0; !driver_of(addr, drv, n)[0] && i < ms / 10; i++)
		sleep_ns(10000000);
	return drv;
}

int uio_bind(const char *addr)
{
	char drv[64], id[32];
	unsigned v, d;
	int err;

	if (!strcmp(driver_of(addr, drv, sizeof(drv)), "uio_pci_generic"))
		return wait_probed(addr);
	if (drv[0]) {
		warnx("%s is bound to driver '%s', not uio_pci_generic", addr, drv);
		return -1;
	}
	load_driver();
	if (!pci_ids(addr, &v, &d)) {
		warnx("%s: cannot read its vendor and device IDs", addr);
		return -1;
	}
	/* new_id binds every unbound function with these IDs; another process may be doing the
	 * same (EEXIST), so give its probe time before binding explicitly */
	snprintf(id, sizeof(id), "%04x %04x", v, d);
	err = write_file(UIO_DRV "/new_id", id);
	if (err && err != -EEXIST)
		warnx("%s/new_id <- '%s': %s", UIO_DRV, id, strerror(-err));
	if (!wait_bound(addr, drv, sizeof(drv), 200)[0])
		write_file(UIO_DRV "/bind", addr);
	if (strcmp(wait_bound(addr, drv, sizeof(drv), 2000), "uio_pci_generic")) {
		warnx("%s: uio_pci_generic did not bind (see dmesg)", addr);
		return -1;
	}
	return wait_probed(addr);
}

int uio_number(const char *addr)
{
	char p[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int n = -1;

	snprintf(p, sizeof(p), SYS_PCI "/%s/uio", addr);
	d = opendir(p);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "uio", 3) && e->d_name[3] >= '0' && e->d_name[3] <= '9')
			n = atoi(e->d_name + 3);
	closedir(d);
	return n;
}

/* open_uio_node - /dev/uioN, made from /sys/class/uio/uioN/dev if devtmpfs has not */
static int open_uio_node(int num)
{
	char p[64], sys[64], s[32];
	unsigned maj, min;
	int fd;

	snprintf(p, sizeof(p), "/dev/uio%d", num);
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	snprintf(sys, sizeof(sys), "/sys/class/uio/uio%d/dev", num);
	if (read_file(sys, s, sizeof(s)) <= 0 || sscanf(s, "%u:%u", &maj, &min) != 2)
		return -1;
	if (mknod(p, S_IFCHR | 0600, makedev(maj, min)) && errno != EEXIST)
		return -1;
	return open(p, O_RDWR | O_CLOEXEC);
}

void uio_open(struct uiodev *u, const char *addr)
{
	char p[PATH_MAX];
	uint64_t irq = 0;
	uint8_t b;

	memset(u, 0, sizeof(*u));
	u->uio_fd = u->cfg_fd = -1;
	snprintf(u->addr, sizeof(u->addr), "%s", addr);
	if (uio_bind(addr))
		die("%s: cannot bind uio_pci_generic", addr);
	u->num = uio_number(addr);
	if (u->num < 0)
		die("%s: bound to uio_pci_generic but has no uio device", addr);
	u->uio_fd = open_uio_node(u->num);
	if (u->uio_fd < 0)
		die("%s: cannot open /dev/uio%d: %s", addr, u->num, strerror(errno));
	snprintf(p, sizeof(p), SYS_PCI "/%s/config", addr);
	u->cfg_fd = open(p, O_RDWR | O_CLOEXEC);
	if (u->cfg_fd < 0)
		die("cannot open %s: %s", p, strerror(errno));
	if (pread(u->cfg_fd, &b, 1, PCI_CFG_COMMAND_HI) != 1)
		die("cannot read %s: %s", p, strerror(errno));
	u->cmd_hi = b & (uint8_t)~PCI_CMD_HI_INTX_DISABLE;
	snprintf(p, sizeof(p), SYS_PCI "/%s/irq", addr);
	if (read_u64(p, &irq))
		u->irq = (unsigned)irq;
}

void uio_intx_enable(struct uiodev *u)
{
	if (pwrite(u->cfg_fd, &u->cmd_hi, 1, PCI_CFG_COMMAND_HI) != 1)
		die("%s: writing config byte %d: %s", u->addr, PCI_CFG_COMMAND_HI, strerror(errno));
}

int uio_wait(struct uiodev *u, int timeout_ms)
{
	struct pollfd pfd = { .fd = u->uio_fd, .events = POLLIN };
	uint32_t count;
	int n;

	if (!u->irq)
		return -1;
	if (timeout_ms >= 0) {
		n = poll(&pfd, 1, timeout_ms);
		if (n <= 0)
			return 0;
		if (pfd.revents & (POLLERR | POLLNVAL))
			return -1;
	}
	/* no timeout: read() alone, one system call per interrupt */
	if (read(u->uio_fd, &count, sizeof(count)) != sizeof(count))
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	u->events = count;
	return 1;
}

void uio_close(struct uiodev *u)
{
	if (u->uio_fd >= 0)
		close(u->uio_fd);
	if (u->cfg_fd >= 0)
		close(u->cfg_fd);
	u->uio_fd = u->cfg_fd = -1;
}
