/* cella_ctl.c - cella-ctl: cell control from a Linux cell through cella's portal.
 *
 * The portal is PCI function 1af4:11ce on the cell's virtual host bridge (src/dev/vpci.h): its
 * BAR0 is a register file per vCPU, X0..X6 at 0x00..0x30 and CALL at 0x38. Writing CALL makes
 * the hypercall whose function ID is in X0 with arguments X1..X6, with this cell's
 * capabilities (include/cella/abi.h, docs/abi.md); X0 then holds the status, X1..X3 the
 * results. The file belongs to the vCPU that accesses it, so the process pins itself to the CPU
 * it runs on before the first access and stays there. */
#define _GNU_SOURCE
#include "cmd.h"
#include "util.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "cella/abi.h"

#define PORTAL_X(n) (n)			/* register index (8 bytes each) */
#define PORTAL_CALL 7			/* 0x38 */

struct portal {
	volatile uint64_t *regs;
	char addr[PCI_ADDR_LEN];
	int cpu;
};

static void portal_open(struct portal *p)
{
	char addr[4][PCI_ADDR_LEN], lock[64];
	cpu_set_t set;
	int fd;

	if (pci_scan(PCI_VENDOR_REDHAT, PCI_DEVICE_PORTAL, addr, 4) < 1)
		die("no portal (PCI function 1af4:11ce): not in a cella cell, or the cell has none");
	snprintf(p->addr, sizeof(p->addr), "%s", addr[0]);
	/* binding enables the function's memory decoding; without it the BAR may still answer */
	if (uio_bind(p->addr))
		warnx("portal %s: not bound to uio_pci_generic; trying its BAR0 anyway", p->addr);
	p->cpu = sched_getcpu();
	if (p->cpu < 0)
		die("sched_getcpu failed");
	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("cannot pin to CPU %d (the portal's registers are per vCPU)", p->cpu);
	/* another process on this CPU could be preempted between its X and CALL writes: one
	 * user of a vCPU's register file at a time */
	snprintf(lock, sizeof(lock), "/tmp/cella-ctl.cpu%d.lock", p->cpu);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX))
		warnx("cannot lock %s: not guarding the portal against another process", lock);
	p->regs = pci_map_bar(p->addr, 0, 4096, PCI_MAP_WRITE);
}

/* portal_call - hypercall @fn(@a1, @a2, @a3); results into @res[0..2]; returns the status */
static int64_t portal_call(struct portal *p, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
			   uint64_t res[3])
{
	p->regs[PORTAL_X(1)] = a1;
	p->regs[PORTAL_X(2)] = a2;
	p->regs[PORTAL_X(3)] = a3;
	p->regs[PORTAL_X(4)] = 0;
	p->regs[PORTAL_X(5)] = 0;
	p->regs[PORTAL_X(6)] = 0;
	p->regs[PORTAL_X(0)] = fn;
	p->regs[PORTAL_CALL] = 1;
	res[0] = p->regs[PORTAL_X(1)];
	res[1] = p->regs[PORTAL_X(2)];
	res[2] = p->regs[PORTAL_X(3)];
	return (int64_t)p->regs[PORTAL_X(0)];
}

static const char *status_str(int64_t st)
{
	static char buf[32];

	switch (st) {
	case CELLA_OK:
		return "ok";
	case CELLA_E_NOT_SUPPORTED:
		return "not supported (no such call)";
	case CELLA_E_INVAL:
		return "invalid argument";
	case CELLA_E_RANGE:
		return "slot out of range";
	case CELLA_E_NOCAP:
		return "no capability in that slot";
	case CELLA_E_TYPE:
		return "the capability is of another type";
	case CELLA_E_PERM:
		return "the capability lacks the right";
	case CELLA_E_BUSY:
		return "the cell's state forbids it";
	case CELLA_E_FULL:
		return "the slot is not empty";
	case CELLA_E_TIMEOUT:
		return "timeout";
	}
	snprintf(buf, sizeof(buf), "status %lld", (long long)st);
	return buf;
}

static const char *type_str(uint64_t t)
{
	switch (t) {
	case CELLA_CAP_CELL:
		return "cell";
	case CELLA_CAP_VCPU:
		return "vcpu";
	case CELLA_CAP_CHANNEL:
		return "channel";
	}
	return "unknown";
}

static const char *rights_of(uint64_t type, uint64_t r, char *buf, size_t n)
{
	static const char *const cell[] = { "query", "start", "stop", "restart" };
	static const char *const chan[] = { "read", "write", "notify" };
	const char *const *names = type == CELLA_CAP_CHANNEL ? chan : cell;
	unsigned count = type == CELLA_CAP_CHANNEL ? 3 : type == CELLA_CAP_VCPU ? 1 : 4;

	buf[0] = 0;
	for (unsigned i = 0; i < count; i++)
		if (r & (1u << i))
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? "," : "",
				 names[i]);
	if (!buf[0])
		snprintf(buf, n, "-");
	return buf;
}

static const char *cell_state(uint64_t s)
{
	switch (s) {
	case CELLA_CELL_RUNNING:
		return "running";
	case CELLA_CELL_STOPPING:
		return "stopping";
	case CELLA_CELL_RESTARTING:
		return "restarting";
	case CELLA_CELL_STOPPED:
		return "stopped";
	}
	return "unknown";
}

static const char *stop_reason(uint64_t r)
{
	switch (r & 0xff) {
	case CELLA_STOP_NONE:
		return "none";
	case CELLA_STOP_POWER_OFF:
		return "powered off";
	case CELLA_STOP_RESET:
		return "reset";
	case CELLA_STOP_FAULT:
		return "fault";
	case CELLA_STOP_BY_CAP:
		return "by a capability";
	case CELLA_STOP_BY_OPERATOR:
		return "by the operator";
	case CELLA_STOP_RESTART_LIMIT:
		return "restart limit";
	}
	return "unknown";
}

/* describe - one line about the object in @slot of @type into @buf */
static void describe(struct portal *p, uint64_t slot, uint64_t type, uint64_t rights, char *buf,
		     size_t n)
{
	uint64_t r[3];
	int64_t st;

	buf[0] = 0;
	if (type == CELLA_CAP_CELL && (rights & CELLA_R_QUERY)) {
		st = portal_call(p, CELLA_FN_CELL_QUERY, slot, 0, 0, r);
		if (st)
			snprintf(buf, n, "(query: %s)", status_str(st));
		else
			snprintf(buf, n, "%s, last stop: %s, restarts %llu", cell_state(r[0]),
				 stop_reason(r[1]), (unsigned long long)(r[1] >> 32));
	} else if (type == CELLA_CAP_VCPU) {
		static const char *const vs[] = { "on", "off", "on pending" };

		st = portal_call(p, CELLA_FN_VCPU_QUERY, slot, 0, 0, r);
		if (st)
			snprintf(buf, n, "(query: %s)", status_str(st));
		else
			snprintf(buf, n, "vCPU %llu %s, pCPU %llu", (unsigned long long)r[2],
				 r[0] < 3 ? vs[r[0]] : "?", (unsigned long long)r[1]);
	} else if (type == CELLA_CAP_CHANNEL) {
		char sz[32];

		st = portal_call(p, CELLA_FN_CHAN_INFO, slot, 0, 0, r);
		if (st)
			snprintf(buf, n, "(info: %s)", status_str(st));
		else
			snprintf(buf, n, "%s at IPA 0x%llx, end %u, peer %s, doorbell INTID %u",
				 fmt_size(sz, sizeof(sz), r[1]), (unsigned long long)r[0],
				 r[2] & CELLA_CHAN_END1 ? 1 : 0,
				 r[2] & CELLA_CHAN_PEER_RUNNING ? "running" : "stopped",
				 CELLA_CHAN_INTID(r[2]));
	}
}

static int ctl_list(struct portal *p)
{
	uint64_t r[3];
	char rights[48], what[160];
	int n = 0;

	printf("%-4s %-8s %-26s %s\n", "SLOT", "TYPE", "RIGHTS", "STATE");
	for (uint64_t slot = 0; slot < CELLA_CSPACE_SLOTS; slot++) {
		int64_t st = portal_call(p, CELLA_FN_CAP_IDENTIFY, slot, 0, 0, r);

		if (st == CELLA_E_NOCAP || (st == CELLA_OK && r[0] == CELLA_CAP_NONE))
			continue;
		if (st) {
			printf("%-4llu (identify: %s)\n", (unsigned long long)slot, status_str(st));
			continue;
		}
		describe(p, slot, r[0], r[1], what, sizeof(what));
		printf("%-4llu %-8s %-26s %s\n", (unsigned long long)slot, type_str(r[0]),
		       rights_of(r[0], r[1], rights, sizeof(rights)), what);
		n++;
	}
	if (!n)
		printf("(no capabilities)\n");
	return 0;
}

static int ctl_version(struct portal *p)
{
	uint64_t r[3];
	int64_t major = portal_call(p, CELLA_FN_REVISION, 0, 0, 0, r);
	uint64_t minor = r[0];
	int64_t uid0 = portal_call(p, CELLA_FN_CALL_UID, 0, 0, 0, r);
	bool cella = (uint32_t)uid0 == CELLA_UID0 && (uint32_t)r[0] == CELLA_UID1 &&
		     (uint32_t)r[1] == CELLA_UID2 && (uint32_t)r[2] == CELLA_UID3;

	printf("cella-ctl: portal %s (CPU %d): %s, ABI %lld.%llu (this tool: %u.%u)\n", p->addr,
	       p->cpu, cella ? "cella" : "not cella (unknown UID)", (long long)major,
	       (unsigned long long)minor, CELLA_ABI_VERSION_MAJOR, CELLA_ABI_VERSION_MINOR);
	return cella ? 0 : 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cella-ctl COMMAND [SLOT]   (also: cella-chan ctl COMMAND [SLOT])\n\n"
		"Control cells from this Linux cell with the capabilities cella gave it, through\n"
		"the portal (PCI function 1af4:11ce; docs/channels.md).\n\n"
		"commands:\n"
		"  list           the capabilities in this cell's slots 0..63: type, rights, state\n"
		"  query SLOT     a cell's state, why it last stopped, its restart count\n"
		"  start SLOT     start a stopped cell (right 'start')\n"
		"  stop SLOT      stop a cell (right 'stop')\n"
		"  restart SLOT   restart a cell (right 'restart')\n"
		"  info SLOT      a capability's type and rights, and what its object says\n"
		"  version        cella's ABI version, as the portal answers\n\n"
		"Exit status: 0 done, 1 refused (the reason printed), 2 bad usage.\n");
}

int ctl_main(int argc, char **argv)
{
	static const struct {
		const char *name;
		uint64_t fn;
	} ops[] = {
		{ "start", CELLA_FN_CELL_START },
		{ "stop", CELLA_FN_CELL_STOP },
		{ "restart", CELLA_FN_CELL_RESTART },
	};
	struct portal p;
	uint64_t slot = 0, r[3];
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int64_t st;
	char what[160], rights[48];

	if (!cmd || !strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return cmd ? 0 : 2;
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	if (!strcmp(cmd, "list") || !strcmp(cmd, "version")) {
		if (argc != 2) {
			usage(stderr);
			return 2;
		}
		portal_open(&p);
		return cmd[0] == 'l' ? ctl_list(&p) : ctl_version(&p);
	}
	if (argc != 3 || !parse_u64(argv[2], &slot)) {
		fprintf(stderr, "cella-ctl: '%s' needs one SLOT number\n\n", cmd);
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "query")) {
		portal_open(&p);
		st = portal_call(&p, CELLA_FN_CELL_QUERY, slot, 0, 0, r);
		if (st) {
			fprintf(stderr, "cella-ctl: query slot %llu: %s\n", (unsigned long long)slot,
				status_str(st));
			return 1;
		}
		printf("cella-ctl: slot %llu: %s, last stop: %s", (unsigned long long)slot,
		       cell_state(r[0]), stop_reason(r[1]));
		if ((r[1] & 0xff) == CELLA_STOP_FAULT)
			printf(" (ESR 0x%08llx)", (unsigned long long)(r[2] & 0xffffffffu));
		printf(", restarts %llu\n", (unsigned long long)(r[1] >> 32));
		return 0;
	}
	if (!strcmp(cmd, "info")) {
		portal_open(&p);
		st = portal_call(&p, CELLA_FN_CAP_IDENTIFY, slot, 0, 0, r);
		if (st) {
			fprintf(stderr, "cella-ctl: slot %llu: %s\n", (unsigned long long)slot,
				status_str(st));
			return 1;
		}
		describe(&p, slot, r[0], r[1], what, sizeof(what));
		printf("cella-ctl: slot %llu: %s, rights %s%s%s\n", (unsigned long long)slot,
		       type_str(r[0]), rights_of(r[0], r[1], rights, sizeof(rights)),
		       what[0] ? "; " : "", what);
		return 0;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(cmd, ops[i].name))
			continue;
		portal_open(&p);
		st = portal_call(&p, ops[i].fn, slot, 0, 0, r);
		if (st) {
			fprintf(stderr, "cella-ctl: %s slot %llu: %s\n", cmd, (unsigned long long)slot,
				status_str(st));
			return 1;
		}
		printf("cella-ctl: slot %llu: %s: ok\n", (unsigned long long)slot, cmd);
		return 0;
	}
	fprintf(stderr, "cella-ctl: unknown command '%s'\n\n", cmd);
	usage(stderr);
	return 2;
}
