/* cella-chan.c - cella's channel tool for Linux cells: list channels, send and receive
 * messages, measure round trips and throughput, exchange a million checksummed messages, watch
 * the peer start and stop; plus cella-ctl (cell control through the portal, cella_ctl.c) and
 * native-Linux baselines (edu-ping, pipe-ping: native_ping.c). This file: the command line,
 * list, bind, reset; the commands on a channel are in chan_cmds.c. One static arm64 binary,
 * built into the guest initramfs by tools/fetch-guest.sh; `cella-chan --help` lists them.
 *
 * A channel is an ivshmem-compatible PCI function (chan.h) driven through uio_pci_generic. In
 * its shared memory cella-chan keeps two rings of framed records, one per direction, with
 * per-end control blocks and sleep tokens so that a doorbell is rung only for a peer that
 * waits (chan_ring.h; docs/channels.md "The ring protocol"):
 *
 *   0x000 header (magic "CCH1", size)  0x040 end 0's control  0x080 end 1's control
 *   0x100 ring 0 (end 0 -> end 1)      0x100 + R ring 1 (end 1 -> end 0)
 *   control block: tx_head (bytes written), rx_tail (bytes consumed), sleep_data and
 *   sleep_space (tokens: odd while waiting for records / for room)
 *   record: u32 length, u32 type, payload padded to 8 bytes
 *
 * Record types: MSG (send/recv/watch), PING/PONG/BYE (ping/pong), STREAM_START/DATA/END
 * (stream), XSTART/XMSG/XEND (exchange). A receiver skips the types it does not expect, so a
 * message left by an earlier run never confuses a later one for long: exchange and stream
 * count from their START record on, ping matches its nonce. */
#define _GNU_SOURCE
#include "cmd.h"
#include "util.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cella/abi.h"

/* options a command takes */
enum {
	O_N = 1 << 0,		/* -n COUNT */
	O_B = 1 << 1,		/* -b BYTES */
	O_TIMEOUT = 1 << 2,	/* --timeout S */
	O_DIR = 1 << 3,		/* --send --recv --memcpy */
	O_CNTVCT = 1 << 4,	/* --cntvct */
	O_CHAN = 1 << 5,	/* --end --poll --irq --doorbell-edu */
	O_WARMUP = 1 << 6,	/* --warmup W */
	O_PIN = 1 << 7,		/* --pin */
};

struct cmd {
	const char *name;
	int (*fn)(struct args *a);
	unsigned opts;
	int min_pos, max_pos;	/* max -1: any */
	const char *usage;
	const char *summary;
	const char *help;
};

/* ---- list, bind, reset ---- */

static const char *rights_str(uint32_t r, char *buf)
{
	buf[0] = r & CELLA_R_READ ? 'r' : '-';
	buf[1] = r & CELLA_R_WRITE ? 'w' : '-';
	buf[2] = r & CELLA_R_NOTIFY ? 'n' : '-';
	buf[3] = 0;
	return buf;
}

static int cmd_list(struct args *a)
{
	struct chan c[CHAN_MAX];
	int n = chan_find_all(c, CHAN_MAX);
	char size[32], rights[8], peer[96], uio[16], end[8], slot[16];

	(void)a;
	if (!n) {
		printf("no channels (no %s, no PCI function 1af4:1110)\n", DT_CHANNELS);
		return 0;
	}
	printf("%-12s %-13s %-8s %-4s %-4s %-6s %-24s %s\n", "NAME", "PCI", "SIZE", "SLOT", "END",
	       "RIGHTS", "PEER", "UIO");
	for (int i = 0; i < n; i++) {
		uint32_t pos;
		int u;

		if (!c[i].addr[0]) {
			printf("%-12s %-13s (no PCI function 1af4:1110 at device %llu of bus 0)\n",
			       c[i].name, "-", (unsigned long long)c[i].dt_dev);
			continue;
		}
		if (!chan_probe(&c[i])) {
			printf("%-12s %-13s (cannot bind uio_pci_generic)\n", c[i].name, c[i].addr);
			continue;
		}
		pos = chan_reg(&c[i], IVSHMEM_IV_POSITION);
		snprintf(end, sizeof(end), pos > 1 ? "-" : "%u", pos);
		if (c[i].cella) {
			uint32_t s = chan_reg(&c[i], IVSHMEM_SLOT);

			snprintf(slot, sizeof(slot), "%u", s);
			rights_str(chan_reg(&c[i], IVSHMEM_RIGHTS), rights);
			snprintf(peer, sizeof(peer), "%s %s", c[i].peer_name[0] ? c[i].peer_name : "?",
				 chan_peer_str(c[i].peer_state));
			if (c[i].dt && s != c[i].dt_slot)
				warnx("%s: the SLOT register (%u) differs from the device tree's (%llu)",
				      c[i].name, s, (unsigned long long)c[i].dt_slot);
		} else {
			snprintf(slot, sizeof(slot), "-");
			snprintf(rights, sizeof(rights), "?");
			snprintf(peer, sizeof(peer), "? (not a cella channel)");
		}
		u = uio_number(c[i].addr);
		snprintf(uio, sizeof(uio), u < 0 ? "-" : "uio%d", u);
		printf("%-12s %-13s %-8s %-4s %-4s %-6s %-24s %s\n", c[i].name, c[i].addr,
		       fmt_size(size, sizeof(size), c[i].size), slot, end, rights, peer, uio);
	}
	return 0;
}

static int cmd_bind(struct args *a)
{
	struct chan c[CHAN_MAX];
	char portal[4][PCI_ADDR_LEN];
	int n = chan_find_all(c, CHAN_MAX), np, fail = 0, u;

	(void)a;
	for (int i = 0; i < n; i++) {
		if (!c[i].addr[0])
			warnx("channel %s: no PCI function 1af4:1110 at device %llu of bus 0", c[i].name,
			      (unsigned long long)c[i].dt_dev);
		if (!c[i].addr[0] || uio_bind(c[i].addr)) {
			fail = 1;
			continue;
		}
		u = uio_number(c[i].addr);
		printf("cella-chan: channel %s %s -> /dev/uio%d\n", c[i].name, c[i].addr, u);
	}
	np = pci_scan(PCI_VENDOR_REDHAT, PCI_DEVICE_PORTAL, portal, 4);
	for (int i = 0; i < np && i < 4; i++) {
		if (uio_bind(portal[i])) {
			fail = 1;
			continue;
		}
		printf("cella-chan: portal %s -> /dev/uio%d\n", portal[i], uio_number(portal[i]));
	}
	if (!n && !np)
		printf("cella-chan: no channels and no portal\n");
	return fail;
}

static int cmd_reset(struct args *a)
{
	struct chan c;

	open_chan(&c, a, CHAN_USE_RESET);
	ring_reset(c.shm);
	printf("cella-chan: %s: rings cleared (both ends' counters are zero)\n", c.name);
	return 0;
}

/* ---- ctl, help, the command line ---- */

static int cmd_ctl(struct args *a)
{
	(void)a;
	return 0;	/* main hands "ctl" to ctl_main before parsing */
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define CHAN_OPTS_HELP \
	"channel options:\n" \
	"  --end 0|1           act as this end (default: the IVPosition register); two processes\n" \
	"                      on one Linux can so be the two ends of one function (tests)\n" \
	"  --poll              poll the shared memory instead of sleeping for doorbells\n" \
	"  --spin US           poll US microseconds before sleeping for a doorbell (default:\n" \
	"                      " STR(SPIN_US) " for stream and exchange, 0 for the others)\n" \
	"  --irq               wait for doorbell interrupts (default on cella's channels only;\n" \
	"                      QEMU's ivshmem-plain has none)\n" \
	"  --doorbell-edu A,B  tests on QEMU: doorbells through two edu devices: wait on A's\n" \
	"                      interrupt, raise B's for the peer (the peer gives B,A)\n"

static const struct cmd cmds[] = {
	{ "list", cmd_list, 0, 0, 0, "",
	  "list the channels: name, PCI address, size, slot, end, rights, peer, uio device",
	  "Binds uio_pci_generic to every channel first (as every command does).\n"
	  "SIZE is the channel's (the SIZE register; BAR2's size on a function that is not\n"
	  "cella's), END the IVPosition register, RIGHTS r(ead) w(rite) n(otify), PEER the\n"
	  "peer cell's name (device tree) and whether it runs (PEER_STATE register).\n" },
	{ "bind", cmd_bind, 0, 0, 0, "",
	  "load uio_pci_generic and bind it to every channel and the portal",
	  "Loads uio.ko and uio_pci_generic.ko from /lib/modules/$(uname -r) (or modprobe),\n"
	  "writes '1af4 1110' (and '1af4 11ce') to the driver's new_id and prints /dev/uioN of\n"
	  "each function.\n" },
	{ "send", cmd_send, O_TIMEOUT | O_CHAN, 2, -1, "NAME TEXT...",
	  "put one message (the words of TEXT) into the channel and ring the peer",
	  "The message stays in the ring until the peer takes it (recv, watch), also when the\n"
	  "peer starts later. Waits (up to --timeout S) while the ring is full.\n" },
	{ "recv", cmd_recv, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT] [--timeout S]",
	  "wait for a message (COUNT messages; -n 0: forever) and print its text",
	  "Prints each message's text alone on a line. Exits 1 after --timeout S seconds without\n"
	  "one. Peer starts and stops are reported on stderr as 'cella-chan: NAME: peer started'\n"
	  "and '... peer stopped'.\n" },
	{ "watch", cmd_watch, O_TIMEOUT | O_CHAN, 1, 1, "NAME",
	  "print messages and peer starts and stops as they happen, until interrupted",
	  "Lines: 'cella-chan: NAME: message: TEXT', 'cella-chan: NAME: peer started',\n"
	  "'cella-chan: NAME: peer stopped'.\n" },
	{ "sensor", cmd_sensor, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT] [--timeout S]",
	  "print the sensor component's readings from its channel as they arrive",
	  "Reads the page components/sensor publishes (include/cella/sensor.h) and prints each\n"
	  "reading as 'cella-chan: NAME: reading N: DEGREES C', starting from the newest, woken by\n"
	  "the sensor's doorbell; COUNT readings, or until interrupted. It never writes the channel\n"
	  "(the demo maps it read-only into ui).\n" },
	{ "ping", cmd_ping, O_N | O_TIMEOUT | O_CHAN | O_CNTVCT | O_WARMUP, 1, 1,
	  "NAME [-n COUNT] [--warmup W] [--cntvct] [--timeout S]",
	  "round trips with 'pong' at the other end; min/median/max/total in ns and ticks",
	  "Each round trip: a PING record, the doorbell (if the peer sleeps), the peer's PONG and\n"
	  "its doorbell. Timed with clock_gettime and CNTVCT_EL0; W untimed round trips first.\n"
	  "--cntvct adds a last line for scripts: 'cella-chan: ping n=N total_ticks=T cntfrq=F'\n"
	  "(under QEMU -icount shift=0, T * 1e9 / F instructions). Default COUNT 100.\n" },
	{ "pong", cmd_pong, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT]",
	  "answer pings: COUNT of them, or until the pinger says it is done",
	  "Without -n it ends when 'ping' finishes (a BYE record after its round trips).\n" },
	{ "stream", cmd_stream, O_N | O_B | O_TIMEOUT | O_CHAN | O_DIR, 0, 1,
	  "NAME --send|--recv [-b BYTES] [-n COUNT] | --memcpy [-b BYTES] [-n COUNT]",
	  "throughput: COUNT blocks of BYTES through the ring, checksummed on both sides",
	  "Run --recv at one end and --send at the other with the same -b and -n. Both print\n"
	  "'cella-chan: stream send|recv bytes=... MBps=... sum=S'; the receiver also checks S\n"
	  "against the sender's and exits 1 on a mismatch. --memcpy copies the same blocks twice\n"
	  "inside this process (the in-memory baseline) and prints the same sum. Defaults: BYTES\n"
	  "4096 (less if the ring is small), COUNT 1024.\n" },
	{ "exchange", cmd_exchange, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT]",
	  "both ends send COUNT messages to each other and checksum what arrives",
	  "Run at both ends. Messages are 1..32 bytes, many per doorbell. Prints\n"
	  "'cella-chan: exchange n=N sent_sum=S recv_sum=R recv_n=M': one end's sent_sum must\n"
	  "equal the other's recv_sum; each end also checks R against the peer's own sum and\n"
	  "exits 1 on a mismatch. Default COUNT 1000000.\n" },
	{ "reset", cmd_reset, O_CHAN, 1, 1, "NAME",
	  "clear the rings' header and counters (only while no one uses the channel)", "" },
	{ "ctl", cmd_ctl, 0, 0, -1, "COMMAND ...",
	  "cell control through the portal: the same as cella-ctl ('cella-chan ctl --help')", "" },
	{ "edu-ping", cmd_edu_ping, O_N | O_WARMUP | O_PIN, 0, 2,
	  "[-n COUNT] [--warmup W] [--pin] [EDU_A EDU_B]",
	  "native baseline: two processes ping-pong INTx through two QEMU edu devices",
	  "Process A raises EDU_B's interrupt (register 0x60); process B, waiting on EDU_B's\n"
	  "/dev/uioN, acknowledges it (0x64), re-enables INTx (config byte 5) and raises EDU_A's;\n"
	  "A waits on EDU_A the same way. Needs QEMU '-device edu -device edu' (the first two\n"
	  "edu functions by default). --pin puts A on CPU 0 and B on CPU 1 (or 0). Prints\n"
	  "'cella-chan: edu-ping n=N total_ticks=T cntfrq=F ns_per_rt=X' (X = instructions per\n"
	  "round trip under QEMU -icount shift=0). Default COUNT 1000.\n" },
	{ "pipe-ping", cmd_pipe_ping, O_N | O_WARMUP | O_PIN, 0, 0,
	  "[-n COUNT] [--warmup W] [--pin]",
	  "native baseline: two processes ping-pong one byte through two pipes",
	  "Prints 'cella-chan: pipe-ping n=N total_ticks=T cntfrq=F ns_per_rt=X'.\n"
	  "Default COUNT 1000.\n" },
};

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static void usage_all(FILE *f)
{
	fprintf(f, "usage: cella-chan COMMAND [ARGS...]   (cella-chan COMMAND --help for more)\n\n"
		   "cella's channels from a Linux cell: shared memory with doorbells, seen as\n"
		   "ivshmem PCI functions driven through uio_pci_generic (docs/channels.md).\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nNAME is a channel's name (/proc/device-tree/cella/channels/NAME, else ivshmemN)\n"
		   "or its PCI address. cella-ctl (the same program) controls cells: cella-ctl --help.\n");
}

static void usage_cmd(const struct cmd *c, FILE *f)
{
	fprintf(f, "usage: cella-chan %s %s\n\n%s.\n\n%s", c->name, c->usage, c->summary, c->help);
	if (c->opts & O_CHAN)
		fprintf(f, "\n" CHAN_OPTS_HELP);
}

static void bad_usage(const struct cmd *c, const char *fmt, const char *arg)
{
	fprintf(stderr, "cella-chan %s: ", c->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage_cmd(c, stderr);
	exit(2);
}

static void parse(const struct cmd *c, int argc, char **argv, struct args *a)
{
	bool opts = true;

	memset(a, 0, sizeof(*a));
	a->co.end = -1;
	a->co.irq = -1;
	a->co.spin_ns = -1;
	a->pos = xmalloc(sizeof(*a->pos) * (size_t)argc);
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned o = c->opts;

		if (!opts || s[0] != '-' || !s[1]) {
			a->pos[a->npos++] = s;
			continue;
		}
		if (!strcmp(s, "--")) {
			opts = false;
		} else if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			usage_cmd(c, stdout);
			exit(0);
		} else if ((o & O_N) && !strcmp(s, "-n")) {
			a->n = arg_u64(s, v);
			a->has_n = true;
			i++;
		} else if ((o & O_B) && !strcmp(s, "-b")) {
			a->b = arg_u64(s, v);
			a->has_b = true;
			i++;
		} else if ((o & O_WARMUP) && !strcmp(s, "--warmup")) {
			a->warmup = arg_u64(s, v);
			i++;
		} else if ((o & O_TIMEOUT) && !strcmp(s, "--timeout")) {
			char *end;

			a->timeout = v ? strtod(v, &end) : 0;
			if (!v || *end || a->timeout < 0)
				bad_usage(c, "--timeout needs a number of seconds", "");
			i++;
		} else if ((o & O_DIR) && !strcmp(s, "--send")) {
			a->send = true;
		} else if ((o & O_DIR) && !strcmp(s, "--recv")) {
			a->recv = true;
		} else if ((o & O_DIR) && !strcmp(s, "--memcpy")) {
			a->memcpy_mode = true;
		} else if ((o & O_CNTVCT) && !strcmp(s, "--cntvct")) {
			a->cntvct = true;
		} else if ((o & O_PIN) && !strcmp(s, "--pin")) {
			a->pin = true;
		} else if ((o & O_CHAN) && !strcmp(s, "--end")) {
			uint64_t e = arg_u64(s, v);

			if (e > 1)
				bad_usage(c, "--end is 0 or 1", "");
			a->co.end = (int)e;
			i++;
		} else if ((o & O_CHAN) && !strcmp(s, "--spin")) {
			a->co.spin_ns = (int64_t)arg_u64(s, v) * 1000;
			i++;
		} else if ((o & O_CHAN) && !strcmp(s, "--poll")) {
			a->co.irq = 0;
		} else if ((o & O_CHAN) && !strcmp(s, "--irq")) {
			a->co.irq = 1;
		} else if ((o & O_CHAN) && !strcmp(s, "--doorbell-edu")) {
			static char buf[2 * PCI_ADDR_LEN];
			char *comma;

			if (!v || strlen(v) >= sizeof(buf) || !(comma = strchr(strcpy(buf, v), ',')))
				bad_usage(c, "--doorbell-edu needs A,B (two PCI addresses)", "");
			*comma = 0;
			a->co.edu[0] = buf;
			a->co.edu[1] = comma + 1;
			i++;
		} else {
			bad_usage(c, "unknown option '%s'", s);
		}
	}
	if (a->npos < c->min_pos || (c->max_pos >= 0 && a->npos > c->max_pos))
		bad_usage(c, "wrong number of arguments%s", "");
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct cmd *c;
	struct args a;

	base = base ? base + 1 : argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(base, "cella-ctl")) {
		prog = "cella-ctl";
		return ctl_main(argc, argv);
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage_all(stdout);
		return argc < 2 ? 2 : 0;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "cella-chan: unknown command '%s'\n\n", argv[1]);
		usage_all(stderr);
		return 2;
	}
	if (!strcmp(c->name, "ctl")) {
		prog = "cella-ctl";
		return ctl_main(argc - 1, argv + 1);
	}
	parse(c, argc - 1, argv + 1, &a);
	return c->fn(&a);
}
